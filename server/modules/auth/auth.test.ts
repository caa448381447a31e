import { afterAll, beforeAll, expect, it } from 'vitest';
import { Agent, STRONG_PASSWORD, createTestApp, describeEachEngine, lastEmailedToken, signUpCompany, uniqueEmail, type TestApp } from '../../test/test-app';
import { startSmtpSink } from '../../test/smtp-sink';

describeEachEngine('authentication', (engine) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp(engine, { env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('signs up a company whose owner is logged in, with an HttpOnly SameSite session cookie', async () => {
    const agent = new Agent(t.app);
    const email = uniqueEmail();
    const asked = await agent.post('/api/v1/auth/signup', { companyName: 'Société Générale de Test', email, password: STRONG_PASSWORD, language: 'fr' });
    expect(asked.statusCode).toBe(202);
    expect(asked.headers['set-cookie']).toBeUndefined();
    const res = await agent.post('/api/v1/auth/verify-email', { token: await lastEmailedToken(t.deps, email) });
    expect(res.statusCode).toBe(201);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/dso_session=[A-Za-z0-9_-]{43}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = res.json();
    expect(body.role).toBe('owner');
    expect(body.company.name).toBe('Société Générale de Test');
    const company = await agent.get('/api/v1/company');
    expect(company.json()).toMatchObject({ name: 'Société Générale de Test', timeZone: 'Europe/Paris', defaultLanguage: 'fr', baseCurrency: 'EUR' });
  });

  it('refuses a short or common password, naming the field, in the caller language', async () => {
    const agent = new Agent(t.app);
    const short = await agent.post('/api/v1/auth/signup', { companyName: 'X', email: uniqueEmail(), password: 'short' }, { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'password' }] });
    expect(short.json().error.fields[0].message).not.toBe('Use at least 12 characters.');
    const common = await agent.post('/api/v1/auth/signup', { companyName: 'X', email: uniqueEmail(), password: 'qwerty123456' });
    expect(common.statusCode).toBe(400);
    expect(common.json().error.fields[0]).toEqual({ path: 'password', message: 'This password is too common. Choose another one.' });
    expect(await t.deps.db.selectFrom('tenants').select('id').where('name', '=', 'X').execute()).toHaveLength(0);
  });

  it('logs in with a new token each time and logs out; never tells whether an email exists', async () => {
    const { email } = await signUpCompany(t.app, 'Login Co');
    const a = new Agent(t.app);
    const first = await a.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    expect(first.statusCode).toBe(200);
    const firstCookie = a.cookie;
    await a.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    expect(a.cookie).not.toBe(firstCookie);

    const wrong = await new Agent(t.app).post('/api/v1/auth/login', { email, password: 'wrong password here' });
    const unknown = await new Agent(t.app).post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'wrong password here' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());

    expect((await a.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await a.get('/api/v1/company')).statusCode).toBe(401);
  });

  it('locks login for an email after repeated failures and answers 429 with Retry-After', async () => {
    const { email } = await signUpCompany(t.app, 'Locked Co');
    const a = new Agent(t.app);
    for (let i = 0; i < 10; i++) expect((await a.post('/api/v1/auth/login', { email, password: `wrong password ${i}` })).statusCode).toBe(401);
    const locked = await a.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('records every login attempt with time, IP and browser in the user history', async () => {
    const { email } = await signUpCompany(t.app, 'History Co');
    const a = new Agent(t.app, { 'user-agent': 'Mozilla/5.0 TestBrowser' });
    await a.post('/api/v1/auth/login', { email, password: 'not the password!' });
    await a.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    const history = (await a.get('/api/v1/me/login-history')).json().items;
    expect(history.slice(0, 2).map((h: any) => h.isSuccess)).toEqual([true, false]);
    expect(history[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'Mozilla/5.0 TestBrowser' });
    expect(history[0].at).toMatch(/Z$/);
  });

  it('lists active sessions and revokes one, which logs that browser out at once', async () => {
    const { email } = await signUpCompany(t.app, 'Sessions Co');
    const laptop = new Agent(t.app);
    const phone = new Agent(t.app);
    await laptop.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    await phone.post('/api/v1/auth/login', { email, password: STRONG_PASSWORD });
    const sessions = (await laptop.get('/api/v1/me/sessions')).json().items;
    const other = sessions.find((s: any) => !s.isCurrent && s.id);
    expect(sessions.filter((s: any) => s.isCurrent)).toHaveLength(1);
    expect((await phone.get('/api/v1/company')).statusCode).toBe(200);
    const phoneSession = sessions.filter((s: any) => !s.isCurrent);
    for (const s of phoneSession) expect((await laptop.delete(`/api/v1/me/sessions/${s.id}`)).statusCode).toBe(204);
    expect(other).toBeDefined();
    expect((await phone.get('/api/v1/company')).statusCode).toBe(401);
    expect((await laptop.get('/api/v1/company')).statusCode).toBe(200);
  });

  it('resets a password by a single-use emailed link sent over SMTP, ending all sessions', async () => {
    const { agent, email } = await signUpCompany(t.app, 'Reset Co');
    const res = await new Agent(t.app).post('/api/v1/auth/password-reset/request', { email });
    expect(res.statusCode).toBe(202);
    const unknown = await new Agent(t.app).post('/api/v1/auth/password-reset/request', { email: uniqueEmail('ghost') });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(res.body);
    // The sign-up's verification email, then the reset link.
    await expect.poll(() => smtp.received.filter((m) => m.to.includes(email)).length).toBe(2);
    const token = await lastEmailedToken(t.deps, email);
    const newPassword = 'A brand new long passphrase';
    expect((await new Agent(t.app).post('/api/v1/auth/password-reset/confirm', { token, password: newPassword })).statusCode).toBe(204);
    expect((await agent.get('/api/v1/company')).statusCode).toBe(401);
    const again = await new Agent(t.app).post('/api/v1/auth/password-reset/confirm', { token, password: newPassword });
    expect(again.json().error.code).toBe('TOKEN_INVALID');
    expect((await new Agent(t.app).post('/api/v1/auth/login', { email, password: newPassword })).statusCode).toBe(200);
  });

  it('refuses an expired reset link with 410', async () => {
    const { email } = await signUpCompany(t.app, 'Expired Co');
    await new Agent(t.app).post('/api/v1/auth/password-reset/request', { email });
    const token = await lastEmailedToken(t.deps, email);
    await t.deps.db.updateTable('password_resets').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    const res = await new Agent(t.app).post('/api/v1/auth/password-reset/confirm', { token, password: 'Another long passphrase' });
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a state-changing request without the CSRF token, and changes nothing', async () => {
    const { agent } = await signUpCompany(t.app, 'Csrf Co');
    const csrf = agent.csrf;
    agent.csrf = '';
    const res = await agent.patch('/api/v1/company', { name: 'Hacked' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
    agent.csrf = 'forged-token';
    expect((await agent.patch('/api/v1/company', { name: 'Hacked' })).statusCode).toBe(403);
    agent.csrf = csrf;
    expect((await agent.get('/api/v1/company')).json().name).toBe('Csrf Co');
  });

  it('treats a forged session cookie as logged out', async () => {
    const a = new Agent(t.app);
    a.cookie = 'dso_session=forgedforgedforgedforgedforgedforgedforged123';
    const res = await a.get('/api/v1/company');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session after the idle timeout', async () => {
    const { agent } = await signUpCompany(t.app, 'Idle Co');
    await t.deps.db.updateTable('sessions').set({ last_seen_at: '2000-01-01T00:00:00.000Z' }).execute();
    expect((await agent.get('/api/v1/company')).statusCode).toBe(401);
  });
});
