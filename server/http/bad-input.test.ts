import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../test/test-app';

describeEachEngine('bad input gets a translated 4xx naming the field, and writes nothing', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    owner = await signUpCompany(t.app, 'Input Co');
  });
  afterAll(async () => t.close());

  const patch = (body: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'PATCH', url: '/api/v1/company', payload: body, headers: { cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf, 'content-type': 'application/json', ...headers } });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await patch('{"name": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });

  it("wrong types, unknown fields and bad values name each field, in the user's language (German)", async () => {
    await owner.agent.patch('/api/v1/me', { language: 'de' });
    const res = await patch(JSON.stringify({ name: 42, paymentTermsDays: 'thirty', hacker: true, timeZone: 'Mars/Olympus', baseCurrency: 'XYZ' }), { 'accept-language': 'de' });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.fields.map((f: any) => f.path).sort()).toEqual(['baseCurrency', 'hacker', 'name', 'paymentTermsDays', 'timeZone']);
    expect(err.message).not.toBe('Some fields are not valid.');
    expect(err.fields.find((f: any) => f.path === 'hacker').message).toContain('hacker');
    await owner.agent.patch('/api/v1/me', { language: null });
    // Without a user setting, Accept-Language decides.
    const fr = await patch(JSON.stringify({ name: 42 }), { 'accept-language': 'fr-CA,fr;q=0.8' });
    expect(fr.json().error.message).toBe(JSON.parse(JSON.stringify(fr.json())).error.message);
    expect(fr.json().error.message).not.toBe(err.message);
    expect((await owner.agent.get('/api/v1/company')).json().name).toBe('Input Co');
  });

  it('an oversized body → 413', async () => {
    const res = await patch(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a wrong content type → 415', async () => {
    const res = await patch('name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
  });

  it('a bad query parameter names it', async () => {
    const res = await owner.agent.get('/api/v1/audit-log?limit=100000');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('query.limit');
    const cursor = await owner.agent.get('/api/v1/audit-log?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
  });

  it('an unknown API route → 404 in the error format; a malformed Authorization header → 401', async () => {
    const res = await owner.agent.get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/company', headers: { authorization: 'Basic abc' } });
    expect(bad.statusCode).toBe(401);
  });

  it('health, readiness and the OpenAPI document answer', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/company', '/api/v1/auth/login', '/api/v1/auth/signup', '/api/v1/api-keys', '/api/v1/audit-log']) expect(doc.paths[p], p).toBeDefined();
    expect((await t.app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
  });
});
