import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
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
    await a.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'J-1', issuedOn: '2026-09-02', dueOn: '2026-10-02', currency: 'JPY', amountMinor: 16000 });
    // The company's own aging buckets travel with the export.
    const buckets = await a.patch('/api/v1/company', { agingBuckets: [{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '1-15', fromDays: 1, toDays: 15 }, { key: 'over15', fromDays: 16, toDays: null }] });
    if (buckets.statusCode !== 200) throw new Error(buckets.body);
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
    expect(lines.find((l) => l.includes('F-1'))).toContain(',2026-09-01,2026-10-01,EUR,1234.56,'); // ISO dates and plain numbers in CSV
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

  it('exports documents to XLSX with real dates and amounts as numbers in each currency’s decimals', async () => {
    const res = await download(owner.agent, '/api/v1/exports/documents.xlsx?sort=number');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rowOf = (number: string) => ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(col('number')).value === number)!;
    const f1 = rowOf('F-1');
    expect(f1.getCell(col('issuedOn')).value).toEqual(new Date(Date.UTC(2026, 8, 1)));
    expect(f1.getCell(col('dueOn')).value).toEqual(new Date(Date.UTC(2026, 9, 1)));
    expect(f1.getCell(col('issuedOn')).numFmt).toBe('yyyy-mm-dd');
    expect([f1.getCell(col('amount')).value, f1.getCell(col('openAmount')).value]).toEqual([1234.56, 1000]);
    expect(f1.getCell(col('amount')).numFmt).toBe('#,##0.00');
    expect(f1.getCell(col('customerName')).value).toBe('\'=HYPERLINK("http://evil")'); // text still neutralised
    const j1 = rowOf('J-1');
    expect([j1.getCell(col('amount')).value, j1.getCell(col('amount')).numFmt]).toEqual([16000, '#,##0']);
    const payment = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(col('documentType')).value === 'payment')!;
    expect(payment.getCell(col('amount')).value).toBe(-234.56); // a negative amount is a number, not a neutralised text
    expect(payment.getCell(col('dueOn')).value).toBeNull();
  });

  it('a full export re-imports as a new company identical entity by entity', async () => {
    const zip = await download(owner.agent, '/api/v1/exports/company.zip');
    expect(zip.statusCode).toBe(200);
    const body = multipart({ name: 'Export Co (copy)' }, { name: 'export.zip', content: zip.rawPayload });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf } });
    expect(res.statusCode, res.body).toBe(201);
    const copyId = res.json().id;
    expect(await comparable(t, copyId)).toEqual(await comparable(t, owner.tenantId));
    const copy = await t.deps.db.selectFrom('tenants').select('aging_buckets_json').where('id', '=', copyId).executeTakeFirstOrThrow();
    expect(JSON.parse(copy.aging_buckets_json!).map((b: { key: string }) => b.key)).toEqual(['notDue', '1-15', 'over15']);
    // The importer owns the copy and can switch to it.
    const switched = await owner.agent.post('/api/v1/auth/switch-company', { tenantId: copyId });
    expect(switched.json().company.name).toBe('Export Co (copy)');
    await owner.agent.post('/api/v1/auth/switch-company', { tenantId: owner.tenantId });

    const xlsx = await download(owner.agent, '/api/v1/exports/company.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['company', 'customers', 'contacts', 'documents', 'allocations', 'exchangeRates', 'importMappings']);
    expect(wb.getWorksheet('documents')!.rowCount).toBe(1 + 5);
    const docs = wb.getWorksheet('documents')!;
    const issuedOn = (docs.getRow(1).values as unknown[]).indexOf('issuedOn');
    expect(docs.getRow(2).getCell(issuedOn).value).toBeInstanceOf(Date);
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

  it('an archive from before the buckets setting gets the defaults; one with broken buckets is refused', async () => {
    const zip = await download(owner.agent, '/api/v1/exports/company.zip');
    const withCompany = (edit: (c: Record<string, unknown>) => void) => {
      const files = unzipSync(new Uint8Array(zip.rawPayload));
      const company = JSON.parse(strFromU8(files['company.json']));
      edit(company);
      return Buffer.from(zipSync({ 'company.json': strToU8(JSON.stringify(company)), ...Object.fromEntries(Object.entries(files).filter(([n]) => n !== 'company.json')) }));
    };
    const send = (content: Buffer, name: string) => {
      const body = multipart({ name }, { name: 'export.zip', content });
      return t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf } });
    };
    const old = await send(withCompany((c) => delete c.agingBuckets), 'Old archive');
    expect(old.statusCode, old.body).toBe(201);
    const row = await t.deps.db.selectFrom('tenants').select('aging_buckets_json').where('id', '=', old.json().id).executeTakeFirstOrThrow();
    expect(row.aging_buckets_json).toBeNull();
    const broken = await send(withCompany((c) => (c.agingBuckets = [{ key: 'late', fromDays: 5, toDays: null }])), 'Broken buckets');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.fields[0].path).toBe('file');
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
