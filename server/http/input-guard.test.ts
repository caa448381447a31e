import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, multipart, signUpCompany, type TestApp } from '../test/test-app';

describeEachEngine('text that cannot be stored is refused where it enters, naming the field', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    owner = await signUpCompany(t.app, 'Guard Co');
  });
  afterAll(async () => t.close());

  const raw = (method: 'POST' | 'PATCH', url: string, payload: Buffer | string, contentType = 'application/json') =>
    t.app.inject({ method, url, payload, headers: { cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf, 'content-type': contentType } });
  const customerCount = async () => (await owner.agent.get('/api/v1/customers?limit=500')).json().items.length;

  it('a NUL byte in a filter is a 400 naming query.q (on PostgreSQL it was a 500, and an export killed the process)', async () => {
    for (const url of ['/api/v1/documents?q=%00', '/api/v1/customers?q=a%00b', '/api/v1/exports/documents.csv?q=%00', '/api/v1/audit-log?entityType=%00']) {
      const res = await owner.agent.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.fields[0].path, url).toMatch(/^query\./);
    }
    expect((await owner.agent.get('/api/v1/documents?q=%00')).json().error.fields[0]).toMatchObject({ path: 'query.q' });
  });

  it('a NUL byte or a lone surrogate in a body field is a 400 naming it, and nothing is written', async () => {
    const before = await customerCount();
    const nul = await owner.agent.post('/api/v1/customers', { code: 'C-1', name: 'Acme\u0000 SA' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.fields).toEqual([{ path: 'name', message: expect.stringMatching(/NUL/) }]);
    const surrogate = await raw('POST', '/api/v1/customers', '{"code":"C-2","name":"Acme \\ud800 SA"}');
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().error.fields[0].path).toBe('name');
    const nested = await raw('PATCH', '/api/v1/company', JSON.stringify({ name: 'ok', ['bad\u0000key']: 1 }));
    expect(nested.statusCode).toBe(400);
    expect(await customerCount()).toBe(before);
  });

  it('a JSON body that is not UTF-8 is a 400, not stored with replacement characters', async () => {
    const latin1 = Buffer.from('{"code":"C-3","name":"B\xe4ckerei"}', 'latin1');
    const res = await raw('POST', '/api/v1/customers', latin1);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('body');
    expect((await owner.agent.get('/api/v1/customers?q=ckerei')).json().items).toEqual([]);
    // The same text in UTF-8 (with a BOM, as some Windows tools send it) is accepted.
    const ok = await raw('POST', '/api/v1/customers', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"code":"C-3","name":"Bäckerei"}')]));
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('prototype poisoning in JSON is still refused', async () => {
    const res = await raw('PATCH', '/api/v1/company', '{"__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
  });

  it('malformed multipart (no boundary, a wrong boundary, a truncated body) is a 400, never a 500', async () => {
    const good = multipart({ options: '{}' }, { name: 'a.csv', content: 'customerCode;number\nC1;1\n' });
    const boundary = good.headers['content-type'].split('boundary=')[1];
    const cases: [string, Buffer | string, string][] = [
      ['no boundary', good.payload, 'multipart/form-data'],
      ['another boundary', good.payload, 'multipart/form-data; boundary=nothing-like-it'],
      ['truncated', good.payload.subarray(0, good.payload.length - 40), good.headers['content-type']],
      ['garbage', 'not a form at all', good.headers['content-type']],
      ['empty', '', `multipart/form-data; boundary=${boundary}`],
    ];
    for (const [what, payload, type] of cases) {
      for (const url of ['/api/v1/imports', '/api/v1/exports/company-import']) {
        const res = await raw('POST', url, payload, type);
        expect(res.statusCode, `${what} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${what} ${url}: ${res.body}`).toBeLessThan(500);
      }
    }
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
