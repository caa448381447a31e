import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, importFile, multipart, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/** A French ERP export: banner line, semicolons, Windows-1252, decimal commas, DD/MM/YYYY, a credit note in parentheses. */
const FRENCH = [
  'Balance âgée clients au 20/11/2026',
  '',
  'Code client;Raison sociale;Type;N° facture;Date;Échéance;Devise;Montant TTC;Facture réglée;Email',
  'C001;Société Dupont;Facture;F-001;01/10/2026;31/10/2026;EUR;1 234,56;;compta@dupont.fr',
  'C001;Société Dupont;Règlement;;05/11/2026;;EUR;234,56;F-001;',
  'C002;Müller GmbH;Avoir;AV-9;15/10/2026;;EUR;(99,00);;',
  'C002;Müller GmbH;Facture;F-002;15/10/2026;14/11/2026;EUR;2 000,00;;',
  'C003;Crème Brûlée SARL;Facture;F-003;31/02/2026;;EUR;abc;;',
].join('\r\n');
const frenchFile = () => ({ name: 'balance.csv', content: iconv.encode(FRENCH, 'windows-1252') });

describeEachEngine('imports', (engine) => {
  let t: TestApp;
  let owner: Agent;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Import Co')).agent;
  });
  afterAll(async () => t.close());

  it('previews a French Windows-1252 file: mapping from the headers, counts, and every row error in the user language', async () => {
    const job = await importFile(t, owner, frenchFile(), { dryRun: true });
    expect(job.status).toBe('succeeded');
    const s = job.summary;
    expect(s.mapping).toMatchObject({ customerCode: 'Code client', customerName: 'Raison sociale', documentType: 'Type', number: 'N° facture', issuedOn: 'Date', dueOn: 'Échéance', currency: 'Devise', amount: 'Montant TTC', appliesTo: 'Facture réglée', contactEmail: 'Email' });
    expect(s.formats).toMatchObject({ decimalSeparator: ',', dateOrder: 'DMY', delimiter: ';', encoding: 'windows-1252' });
    expect(s).toMatchObject({ created: 4, updated: 0, unchanged: 0, rejected: 1, customers: { created: 2, updated: 0 }, isWritten: false });
    expect(s.errors).toEqual([
      { row: 5, column: 'issuedOn', header: 'Date', value: '31/02/2026', message: 'This date does not exist.' },
      { row: 5, column: 'amount', header: 'Montant TTC', value: 'abc', message: 'Not an amount.' },
    ]);
    expect((await owner.get('/api/v1/customers')).json().items).toEqual([]);
  });

  it('with invalid rows and no skipInvalid, nothing is written and the import fails', async () => {
    const job = await importFile(t, owner, frenchFile(), {});
    expect(job.status).toBe('failed');
    expect(job.summary.isWritten).toBe(false);
    expect((await owner.get('/api/v1/documents')).json().items).toEqual([]);
  });

  it('imports the valid rows when asked, allocates the payment to its invoice on the payment date, and a re-import changes nothing', async () => {
    const job = await importFile(t, owner, frenchFile(), { skipInvalid: true, source: 'erp' });
    expect(job.status).toBe('succeeded');
    expect(job.summary).toMatchObject({ created: 4, rejected: 1, isWritten: true });
    const customers = (await owner.get('/api/v1/customers?sort=code')).json().items;
    expect(customers.map((c: any) => [c.code, c.name])).toEqual([['C001', 'Société Dupont'], ['C002', 'Müller GmbH']]);
    const dupont = customers[0];
    expect(dupont.balances).toEqual([{ currency: 'EUR', openMinor: 100000, overdueMinor: 100000, unallocatedMinor: 0, netMinor: 100000, oldestOpenDueOn: '2026-10-31' }]);
    const contacts = (await owner.get(`/api/v1/customers/${dupont.id}/contacts`)).json().items;
    expect(contacts).toEqual([expect.objectContaining({ email: 'compta@dupont.fr', isDunningContact: true })]);
    const inv = (await owner.get('/api/v1/documents?q=F-001')).json().items[0];
    const detail = (await owner.get(`/api/v1/documents/${inv.id}`)).json();
    expect(detail.allocations).toEqual([expect.objectContaining({ amountMinor: 23456, allocatedOn: '2026-11-05' })]);
    const muller = customers[1];
    expect(muller.balances[0]).toMatchObject({ openMinor: 200000, unallocatedMinor: -9900, netMinor: 190100 });

    const before = await t.deps.db.selectFrom('documents').select(['id', 'open_minor', 'amount_minor']).orderBy('id').execute();
    const again = await importFile(t, owner, frenchFile(), { skipInvalid: true, source: 'erp' });
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 1 });
    expect(await t.deps.db.selectFrom('documents').select(['id', 'open_minor', 'amount_minor']).orderBy('id').execute()).toEqual(before);
    expect(await t.deps.db.selectFrom('allocations').select('id').execute()).toHaveLength(1);
    // One audit entry per import, with its counts.
    const audit = (await owner.get('/api/v1/audit-log?entityType=import')).json().items;
    expect(audit).toHaveLength(2);
    expect(audit.map((e: any) => e.after)).toContainEqual(expect.objectContaining({ created: 0, unchanged: 4, fileName: 'balance.csv' }));
  });

  it('snapshot mode closes open invoices missing from the file with a dated adjustment; delta mode never closes', async () => {
    const csv = (rows: string[]) => ['customerCode,documentType,number,issuedOn,dueOn,currency,amount', ...rows].join('\n');
    const full = csv(['S1,invoice,S-1,2026-09-01,2026-10-01,USD,100.00', 'S1,invoice,S-2,2026-09-01,2026-10-01,USD,50.00']);
    await importFile(t, owner, { name: 's.csv', content: full }, { source: 'snap', mode: 'snapshot' });
    const delta = await importFile(t, owner, { name: 's.csv', content: csv(['S1,invoice,S-1,2026-09-01,2026-10-01,USD,100.00']) }, { source: 'snap' });
    expect(delta.summary.closed).toBe(0);
    const snap = await importFile(t, owner, { name: 's.csv', content: csv(['S1,invoice,S-1,2026-09-01,2026-10-01,USD,100.00']) }, { source: 'snap', mode: 'snapshot' });
    expect(snap.summary).toMatchObject({ closed: 1, unchanged: 1 });
    const s2 = (await owner.get('/api/v1/documents?q=S-2')).json().items[0];
    expect(s2).toMatchObject({ amountMinor: 5000, openMinor: 0, status: 'paid' });
    const adj = (await owner.get(`/api/v1/documents/${s2.id}`)).json().allocations[0];
    expect(adj).toMatchObject({ amountMinor: 5000, allocatedOn: '2026-11-20' });
    const again = await importFile(t, owner, { name: 's.csv', content: csv(['S1,invoice,S-1,2026-09-01,2026-10-01,USD,100.00']) }, { source: 'snap', mode: 'snapshot' });
    expect(again.summary).toMatchObject({ closed: 0, unchanged: 1 });
  });

  it('openAmount becomes a dated adjustment, paidOn a payment of the open rest; unnumbered payments keep their identity', async () => {
    const head = 'Customer code,Type,Invoice No,Invoice date,Due date,Currency,Amount,Balance,Paid on,Reference';
    const rows = ['K1,INV,K-1,2026-09-01,2026-10-01,EUR,"1,000.00",400.00,,', 'K1,INV,K-2,2026-09-01,2026-10-01,EUR,300.00,,2026-11-02,', 'K1,PMT,,2026-11-03,,EUR,10.00,,,cash', 'K1,PMT,,2026-11-03,,EUR,10.00,,,cash'];
    const file = { name: 'k.csv', content: [head, ...rows].join('\n') };
    const job = await importFile(t, owner, file, { source: 'k' });
    expect(job.summary).toMatchObject({ created: 4, rejected: 0 });
    const docs = (await owner.get('/api/v1/documents?customerId=' + (await owner.get('/api/v1/customers?q=K1')).json().items[0].id + '&limit=50')).json().items;
    const k1 = docs.find((d: any) => d.number === 'K-1');
    const k2 = docs.find((d: any) => d.number === 'K-2');
    expect(k1).toMatchObject({ amountMinor: 100000, openMinor: 40000 });
    expect(k2).toMatchObject({ openMinor: 0, status: 'paid' });
    expect(docs.filter((d: any) => d.type === 'payment' && d.reference === 'cash')).toHaveLength(2);
    const again = await importFile(t, owner, file, { source: 'k' });
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    const docsAfter = (await owner.get('/api/v1/documents?customerId=' + k1.customerId + '&limit=50')).json().items;
    expect(docsAfter).toHaveLength(docs.length);
  });

  it('refuses a binary file renamed .csv and a 10 MB line with a clear message, without crashing', async () => {
    const pdf = await importFile(t, owner, { name: 'invoice.csv', content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0)]) }, {});
    expect(pdf.status).toBe('failed');
    expect(pdf.summary.fileError).toEqual({ code: 'binaryFile', message: 'This file is not a text or spreadsheet file.' });
    const long = await importFile(t, owner, { name: 'long.csv', content: 'customerCode,documentType,number,issuedOn,currency,amount\nA,invoice,"' + 'x'.repeat(10 * 1024 * 1024) + '\n' }, {});
    expect(long.status).toBe('failed');
    expect(long.summary.fileError.code).toBe('lineTooLong');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('bad options and a missing file get 400 naming the field; history lists imports', async () => {
    const bad = multipart({ options: JSON.stringify({ mode: 'sideways' }) }, { name: 'x.csv', content: 'a,b\n' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: bad.payload, headers: { ...bad.headers, cookie: owner.cookie, 'x-csrf-token': owner.csrf } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('options.mode');
    const history = (await owner.get('/api/v1/imports?limit=3')).json();
    expect(history.items).toHaveLength(3);
    expect(history.items[0]).toMatchObject({ status: expect.any(String), progress: { rowsDone: expect.any(Number), rowsTotal: expect.any(Number) }, createdBy: expect.stringContaining('@') });
  });

  it("another company cannot read or re-run an import (404)", async () => {
    const b = await signUpCompany(t.app, 'Other Co');
    const mine = (await owner.get('/api/v1/imports?limit=1')).json().items[0];
    expect((await b.agent.get(`/api/v1/imports/${mine.id}`)).statusCode).toBe(404);
    expect((await b.agent.post(`/api/v1/imports/${mine.id}/run`, { dryRun: true })).statusCode).toBe(404);
    expect((await b.agent.get('/api/v1/imports')).json().items).toEqual([]);
    expect((await b.agent.get('/api/v1/imports/mappings/erp')).json().mapping).toBeNull();
  });
});

describeEachEngine('imports of a workbook written by LibreOffice', (engine) => {
  let t: TestApp;
  let owner: Agent;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Calc Co')).agent;
  });
  afterAll(async () => t.close());

  it('reads date and numeric cells exactly (0.1 → 10 cents) and applies the open amount as an adjustment', async () => {
    const content = readFileSync(new URL('../../imports/fixtures/libreoffice-export.xlsx', import.meta.url));
    const job = await importFile(t, owner, { name: 'libreoffice-export.xlsx', content }, { source: 'calc' });
    expect(job.status, JSON.stringify(job.summary?.fileError ?? job.summary?.errors)).toBe('succeeded');
    expect(job.summary).toMatchObject({ created: 4, rejected: 0, customers: { created: 2 } });
    const docs = (await owner.get('/api/v1/documents?sort=number&limit=10')).json().items;
    const by = (n: string) => docs.find((d: any) => d.number === n);
    expect(by('LO-1001')).toMatchObject({ issuedOn: '2026-09-15', dueOn: '2026-10-15', amountMinor: 123456, openMinor: 123456, currency: 'EUR' });
    expect(by('LO-1002')).toMatchObject({ amountMinor: 10, openMinor: 10 });
    expect(by('LO-2001')).toMatchObject({ amountMinor: 9999999, openMinor: 5000000, currency: 'USD' });
    expect(by('CN-2001')).toMatchObject({ type: 'credit_note', amountMinor: -10025 });
  });
});
