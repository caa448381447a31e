import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, multipart, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

describeEachEngine('exports and reversibility', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    owner = await signUpCompany(t.app, 'Export Co');
    const a = owner.agent;
    const parent = (await a.post('/api/v1/customers', { code: 'G1', name: 'Group Holding', segment: 'Key', tags: ['vip'], customFields: { region: 'North' } })).json();
    const c = (await a.post('/api/v1/customers', { code: 'C1', name: '=HYPERLINK("http://evil")', parentCustomerId: parent.id, paymentTermsDays: 45 })).json();
    await a.post(`/api/v1/customers/${c.id}/contacts`, { firstName: 'Zoé', lastName: 'Durand', email: 'zoe@c1.test', isDunningContact: true, roles: ['dunning'] });
    const inv = (await a.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'F-1', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor: 123456 })).json();
    await a.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'U-1', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'USD', amountMinor: 5000 });
    await a.post('/api/v1/documents', { customerId: c.id, type: 'payment', issuedOn: '2026-10-05', currency: 'EUR', amountMinor: 23456, appliesToDocumentId: inv.id, reference: '@SUM(A1)' });
    await a.post('/api/v1/documents', { customerId: c.id, type: 'credit_note', number: 'AV-1', issuedOn: '2026-10-06', currency: 'EUR', amountMinor: 1000 });
  });
  afterAll(async () => t.close());

  const download = (agent: Agent, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: agent.cookie } });

  it('exports a filtered list to CSV with formulas neutralised and numbers kept', async () => {
    const res = await download(owner.agent, '/api/v1/exports/documents.csv?currency=EUR&sort=number');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('customerCode,customerName,documentType,number,issuedOn,dueOn,currency,amount,openAmount,status,reference');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.includes('F-1'))).toContain('"\'=HYPERLINK(""http://evil"")"');
    expect(lines.find((l) => l.includes('payment'))).toContain(",-234.56,0,allocated,'@SUM(A1)");
    expect(res.body).not.toContain('U-1');
  });

  it('exports the customer list to XLSX that Excel-compatible readers open', async () => {
    const res = await download(owner.agent, '/api/v1/exports/customers.xlsx?sort=code');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('code');
    expect([ws.getRow(2).getCell(1).value, ws.getRow(3).getCell(1).value]).toEqual(['C1', 'G1']);
    expect(ws.getRow(2).getCell(2).value).toBe('\'=HYPERLINK("http://evil")');
  });

  it('a full export re-imports as a new company identical entity by entity', async () => {
    const zip = await download(owner.agent, '/api/v1/exports/company.zip');
    expect(zip.statusCode).toBe(200);
    const body = multipart({ name: 'Export Co (copy)' }, { name: 'export.zip', content: zip.rawPayload });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf } });
    expect(res.statusCode, res.body).toBe(201);
    const copyId = res.json().id;
    expect(await comparable(t, copyId)).toEqual(await comparable(t, owner.tenantId));
    // The importer owns the copy and can switch to it.
    const switched = await owner.agent.post('/api/v1/auth/switch-company', { tenantId: copyId });
    expect(switched.json().company.name).toBe('Export Co (copy)');
    await owner.agent.post('/api/v1/auth/switch-company', { tenantId: owner.tenantId });

    const xlsx = await download(owner.agent, '/api/v1/exports/company.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['company', 'customers', 'contacts', 'documents', 'allocations', 'exchangeRates', 'importMappings']);
    expect(wb.getWorksheet('documents')!.rowCount).toBe(1 + 4);
  });

  it('a truncated or foreign archive is refused with 400 and creates nothing', async () => {
    const zip = await download(owner.agent, '/api/v1/exports/company.zip');
    const before = await t.deps.db.selectFrom('tenants').select('id').execute();
    for (const content of [zip.rawPayload.subarray(0, Math.floor(zip.rawPayload.length * 0.6)), Buffer.from('not a zip at all')]) {
      const body = multipart({ name: 'Broken' }, { name: 'x.zip', content });
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0].path).toBe('file');
    }
    expect(await t.deps.db.selectFrom('tenants').select('id').execute()).toHaveLength(before.length);
  });

  it('another company exports only its own data', async () => {
    const b = await signUpCompany(t.app, 'Other');
    const res = await download(b.agent, '/api/v1/exports/documents.csv');
    expect(res.body.replace(/^\ufeff/, '').trim().split('\r\n')).toHaveLength(1);
    const zip = await download(b.agent, '/api/v1/exports/company.zip');
    expect(zip.rawPayload.includes(Buffer.from('F-1'))).toBe(false);
  });
});

/** A company's ledger with ids replaced by business keys (codes, identity keys), so two companies can be compared. */
async function comparable(t: TestApp, tenantId: string) {
  const db = t.deps.db;
  const customers = await db.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId).orderBy('code').execute();
  const code = new Map(customers.map((c) => [c.id, c.code]));
  const docs = await db.selectFrom('documents').selectAll().where('tenant_id', '=', tenantId).orderBy('identity_key').execute();
  const key = new Map(docs.map((d) => [d.id, d.identity_key]));
  const strip = <T extends Record<string, unknown>>(r: T, ...omit: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => !['id', 'tenant_id', ...omit].includes(k)));
  return {
    company: strip((await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirstOrThrow()) as any, 'slug', 'name', 'created_at', 'updated_at'),
    customers: customers.map((c) => ({ ...strip(c, 'parent_customer_id', 'collector_user_id'), parent: c.parent_customer_id ? code.get(c.parent_customer_id) : null })),
    contacts: (await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).execute()).map((c) => ({ ...strip(c, 'customer_id'), customer: code.get(c.customer_id) })),
    documents: docs.map((d) => ({ ...strip(d, 'customer_id', 'import_id'), customer: code.get(d.customer_id) })),
    allocations: (await db.selectFrom('allocations').selectAll().where('tenant_id', '=', tenantId).execute())
      .map((a) => ({ from: key.get(a.from_document_id), to: key.get(a.to_document_id), amount: a.amount_minor, on: a.allocated_on }))
      .sort((x, y) => `${x.from}${x.to}`.localeCompare(`${y.from}${y.to}`)),
    balances: (await db.selectFrom('customer_balances').selectAll().where('tenant_id', '=', tenantId).execute()).map((b) => ({ ...strip(b, 'customer_id'), customer: code.get(b.customer_id) }) as Record<string, unknown>).sort((x: any, y: any) => `${x.customer}${x.currency}`.localeCompare(`${y.customer}${y.currency}`)),
  };
}
