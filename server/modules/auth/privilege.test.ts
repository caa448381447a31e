import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { Agent, STRONG_PASSWORD, addMember, createTestApp, describeEachEngine, lastEmailedToken, signUpCompany, uniqueEmail, type TestApp } from '../../test/test-app';
import { createMemberUser } from '../users/users.service';

describeEachEngine('privilege (issue 10)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { PUBLIC_URL: 'https://dso.example.com' } });
  });
  afterAll(async () => t.close());

  it('outbox: no live link for anyone, and an admin neither sees nor resends an owner invitation', async () => {
    const owner = await signUpCompany(t.app, 'Outbox Co');
    const admin = await addMember(t.app, t.deps, owner.agent, 'admin');
    const target = uniqueEmail('future-owner');
    const inv = await owner.agent.post('/api/v1/users/invitations', { email: target, role: 'owner' }, { host: 'evil.example' });
    expect(inv.statusCode).toBe(201);
    const token = await lastEmailedToken(t.deps, target);
    const ownerView = (await owner.agent.get('/api/v1/outbox')).json().items;
    const adminView = (await admin.agent.get('/api/v1/outbox')).json().items;
    expect(JSON.stringify(ownerView)).not.toContain(token);
    expect(ownerView.find((m: any) => m.to === target).body).toContain('https://dso.example.com/accept-invitation?token=[hidden]');
    expect(JSON.stringify(adminView)).not.toContain(token);
    expect(adminView.find((m: any) => m.to === target)).toBeUndefined();
    expect(adminView.find((m: any) => m.to === admin.email)).toBeDefined(); // the admin invitation it may grant
    expect((await admin.agent.get('/api/v1/users/invitations')).json().items.map((i: any) => i.email)).not.toContain(target);
    expect((await admin.agent.post(`/api/v1/users/invitations/${inv.json().id}/resend`)).statusCode).toBe(404);
    expect((await admin.agent.delete(`/api/v1/users/invitations/${inv.json().id}`)).statusCode).toBe(404);
    // The owner may resend: a new link, the old one dead.
    expect((await owner.agent.post(`/api/v1/users/invitations/${inv.json().id}/resend`)).statusCode).toBe(200);
    const fresh = await lastEmailedToken(t.deps, target);
    expect(fresh).not.toBe(token);
    expect((await new Agent(t.app).post('/api/v1/auth/invitations/accept', { token, password: STRONG_PASSWORD })).json().error.code).toBe('TOKEN_INVALID');
  });

  it('pre-account takeover: sign-up creates nothing until the link comes back; the CLI refuses an existing or unverified user', async () => {
    const victim = uniqueEmail('future-employee');
    const attacker = new Agent(t.app);
    const signup = await attacker.post('/api/v1/auth/signup', { companyName: 'Squat Co', email: victim, password: 'Attacker chose this 2026' });
    expect(signup.statusCode).toBe(202);
    expect(await t.deps.db.selectFrom('users').select('id').where('email', '=', victim).executeTakeFirst()).toBeUndefined();
    const owner = await signUpCompany(t.app, 'Employer Co');
    const ctx = { actor: { type: 'system' as const, label: 'test' }, tenantId: owner.tenantId, role: 'owner' as const, ip: '' };
    // An account from before verification existed (unverified) is never joined by the operator.
    await t.deps.db.insertInto('users').values({ id: crypto.randomUUID(), email: victim, password_hash: 'x', first_name: null, last_name: null, language: null, is_active: 1, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', email_verified_at: null }).execute();
    await expect(createMemberUser(t.deps, ctx, { email: victim, password: STRONG_PASSWORD, role: 'admin' })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    await expect(createMemberUser(t.deps, ctx, { email: victim, role: 'admin', addMembership: true })).rejects.toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
    expect((await owner.agent.get('/api/v1/users')).json().items.map((m: any) => m.email)).not.toContain(victim);
    // The invitation link proves the address: its holder chooses the password, and is verified.
    await owner.agent.post('/api/v1/users/invitations', { email: victim, role: 'admin' });
    const token = await lastEmailedToken(t.deps, victim);
    expect((await new Agent(t.app).get(`/api/v1/auth/invitations/${token}`)).json().hasAccount).toBe(false);
    expect((await new Agent(t.app).post('/api/v1/auth/invitations/accept', { token, password: STRONG_PASSWORD })).statusCode).toBe(200);
    const row = await t.deps.db.selectFrom('users').select('email_verified_at').where('email', '=', victim).executeTakeFirstOrThrow();
    expect(row.email_verified_at).not.toBeNull();
    expect((await new Agent(t.app).post('/api/v1/auth/login', { email: victim, password: STRONG_PASSWORD })).statusCode).toBe(200);
  });

  it('sign-up answers the same for a new and a known email, and tells the known one by email', async () => {
    const { email } = await signUpCompany(t.app, 'Known Co');
    const fresh = await new Agent(t.app).post('/api/v1/auth/signup', { companyName: 'N', email: uniqueEmail('new'), password: STRONG_PASSWORD });
    const known = await new Agent(t.app).post('/api/v1/auth/signup', { companyName: 'K', email, password: STRONG_PASSWORD });
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(known.body).toBe(fresh.body);
    const mails = await t.deps.db.selectFrom('outbox').select(['kind']).where('to_address', '=', email).execute();
    expect(mails.map((m) => m.kind)).toContain('signup_attempt');
    const verifications = await t.deps.db.selectFrom('email_verifications').select(['token_hash']).execute();
    for (const v of verifications) expect(v.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parallel wrong passwords beyond the limit are refused before checking; another address is not locked out', async () => {
    const { email } = await signUpCompany(t.app, 'Throttle Co');
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    const results = await Promise.all(Array.from({ length: 29 }, (_, i) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: `wrong guess number ${i}` }, remoteAddress: '203.0.113.9', headers: attacker })));
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(19);
    const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: STRONG_PASSWORD }, remoteAddress: '203.0.113.9' });
    expect(right.statusCode).toBe(429);
    const bad = await t.deps.db.selectFrom('login_attempts').select('id').where('email', '=', email).where('reason', '=', 'bad_password').execute();
    expect(bad).toHaveLength(10);
    // The real user, elsewhere, logs in.
    const user = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: STRONG_PASSWORD }, remoteAddress: '198.51.100.7' });
    expect(user.statusCode).toBe(200);
  });

  it('wrong current-password guesses on password change count like login', async () => {
    const { agent } = await signUpCompany(t.app, 'Change Co');
    for (let i = 0; i < 10; i++) expect((await agent.post('/api/v1/me/password', { currentPassword: `not it at all ${i}`, newPassword: 'Yet another long passphrase' })).statusCode).toBe(400);
    const locked = await agent.post('/api/v1/me/password', { currentPassword: STRONG_PASSWORD, newPassword: 'Yet another long passphrase' });
    expect(locked.statusCode).toBe(429);
  });

  it('refuses dressed common words and the user\'s own email as passwords', async () => {
    for (const password of ['Password123!', 'Summer2026!!']) {
      const r = await new Agent(t.app).post('/api/v1/auth/signup', { companyName: 'W', email: uniqueEmail(), password });
      expect(r.statusCode, password).toBe(400);
      expect(r.json().error.fields[0].path).toBe('password');
    }
    const email = `${'longname'}.${Date.now()}@example.test`;
    const own = await new Agent(t.app).post('/api/v1/auth/signup', { companyName: 'W', email, password: email });
    expect(own.statusCode).toBe(400);
  });

  it('headers: no-store on API answers and errors, no X-Frame-Options beside the CSP', async () => {
    for (const url of ['/api/v1/company', '/api/v1/nope', '/api/openapi.json']) {
      const r = await t.app.inject({ url });
      expect(r.headers['cache-control'], url).toBe('no-store');
      expect(r.headers['x-frame-options'], url).toBeUndefined();
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    const { agent } = await signUpCompany(t.app, 'Header Co');
    expect((await agent.get('/api/v1/auth/session')).headers['cache-control']).toBe('no-store');
  });
});

it('configuration: TLS with an http PUBLIC_URL stops the start; the demo seeds only on a trial start', () => {
  const base = { DATA_DIR: '/tmp/dso-config-test', SECRET_KEY: 'k'.repeat(40) };
  expect(() => loadConfig({ ...base, TLS_CERT: '/dev/null', TLS_KEY: '/dev/null', PUBLIC_URL: 'http://dso.example.com' })).toThrow(/PUBLIC_URL/);
  expect(loadConfig({ ...base, TLS_CERT: '/dev/null', TLS_KEY: '/dev/null' }).publicUrl).toMatch(/^https:/);
  expect(loadConfig(base).demoSeed).toBe(true);
  expect(loadConfig({ ...base, PUBLIC_URL: 'http://localhost:3000' }).demoSeed).toBe(true);
  expect(loadConfig({ ...base, TLS_CERT: '/dev/null', TLS_KEY: '/dev/null' }).demoSeed).toBe(false);
  expect(loadConfig({ ...base, DATABASE_URL: 'postgres://x@y/z' }).demoSeed).toBe(false);
  expect(loadConfig({ ...base, PUBLIC_URL: 'https://dso.example.com' }).demoSeed).toBe(false);
  expect(loadConfig({ ...base, PUBLIC_URL: 'https://dso.example.com', DEMO_SEED: 'true' }).demoSeed).toBe(true);
  expect(loadConfig({ ...base, DEMO_SEED: 'false' }).demoSeed).toBe(false);
});
