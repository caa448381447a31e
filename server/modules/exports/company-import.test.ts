import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, createTestApp, describeEachEngine, multipart, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/** Issue 10: the company import was open to anyone logged in, had no zip-bomb guard and validated nothing. */
describeEachEngine('company import guards', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  let archive: Record<string, Uint8Array>;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    owner = await signUpCompany(t.app, 'Source Co');
    const c = (await owner.agent.post('/api/v1/customers', { code: 'C1', name: 'One' })).json();
    await owner.agent.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'F-1', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor: 1000 });
    const zip = await t.app.inject({ method: 'GET', url: '/api/v1/exports/company.zip', headers: { cookie: owner.agent.cookie } });
    archive = unzipSync(new Uint8Array(zip.rawPayload));
  });
  afterAll(async () => t.close());

  const upload = (agent: Agent, files: Record<string, Uint8Array>) => {
    const body = multipart({ name: 'Copy' }, { name: 'x.zip', content: Buffer.from(zipSync(files)) });
    return t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: agent.cookie, 'x-csrf-token': agent.csrf } });
  };
  const edit = (file: string, change: (text: string) => string) => ({ ...archive, [file]: strToU8(change(strFromU8(archive[file]))) });
  const tenants = async () => (await t.deps.db.selectFrom('tenants').select('id').execute()).length;

  it('owners and admins only', async () => {
    const collector = await addMember(t.app, t.deps, owner.agent, 'collector');
    expect((await upload(collector.agent, archive)).statusCode).toBe(403);
    const admin = await addMember(t.app, t.deps, owner.agent, 'admin');
    expect((await upload(admin.agent, archive)).statusCode).toBe(201);
  });

  it('every record is validated as the API would; errors name the record and field, never a constraint; nothing is written', async () => {
    const before = await tenants();
    const cases: [Record<string, Uint8Array>, string][] = [
      [edit('documents.json', (s) => s.replace('"amountMinor":1000', `"amountMinor":${2 ** 60}`)), 'documents[1].amountMinor'],
      [edit('documents.json', (s) => s.replace('"issuedOn":"2026-09-01"', '"issuedOn":"0000-00-00"')), 'documents[1].issuedOn'],
      [edit('company.json', (s) => s.replace(/"timeZone": "[^"]+"/, '"timeZone": "Mars/Olympus"')), 'company[1].timeZone'],
      [edit('company.json', (s) => s.replace(/"baseCurrency": "[^"]+"/, '"baseCurrency": "XXX"')), 'company[1].baseCurrency'],
    ];
    for (const [files, path] of cases) {
      const res = await upload(owner.agent, files);
      expect(res.statusCode, res.body).toBe(400);
      const paths = res.json().error.fields.map((f: { path: string }) => f.path);
      expect(paths[0]).toBe('file');
      expect(paths).toContain(path);
    }
    // A duplicate customer code: the database refuses it, the answer names the record, not the constraint.
    const dup = await upload(owner.agent, edit('customers.json', (s) => s.replace(/\n\]/, `,\n${s.split('\n')[1]}\n]`)));
    expect(dup.statusCode).toBe(400);
    expect(dup.body).not.toMatch(/constraint|unique|_pk|_key|sqlite|duplicate key/i);
    expect(dup.json().error.fields[0].message).toContain('customers.json');
    expect(await tenants()).toBe(before);
  });

  it('a zip bomb is refused before it is written out', async () => {
    const bomb = { ...archive, 'files/x.pdf': new Uint8Array(64 * 1024 * 1024) }; // 64 MiB of zeros: ~1000:1
    const res = await upload(owner.agent, bomb);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('file');
  });
});
