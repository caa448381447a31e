import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR } from '../../domain/money';
import { createTestApp, describeEachEngine, importFile, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * Issue 10: an export's sheet was written by a promise nobody awaited, so any error in it ended the process (two
 * invoices of 2^53 − 1 made the customer export crash; `q=%00` did on PostgreSQL). These tests make such errors
 * happen, before and during streaming, and check that the request fails alone and the app keeps serving.
 */
describeEachEngine('exports survive their errors', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
  });
  afterAll(async () => t.close());

  const download = (agent: Agent, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: agent.cookie } });
  /** What the test's app answers after a failure: the process (and its app) still serves. */
  const stillServing = async (agent: Agent) => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await agent.get('/api/v1/customers?limit=1')).statusCode).toBe(200);
  };
  /**
   * A stored amount beyond the safe range, as data written before the amount bounds may hold: set in the database,
   * since the API no longer accepts one.
   */
  const corrupt = async (tenantId: string, number: string) => {
    await sql`update documents set amount_minor = 9007199254740993, open_minor = 9007199254740993 where tenant_id = ${tenantId} and number = ${number}`.execute(t.deps.db);
  };

  it('two invoices of 2^53 − 1 are refused; amounts are bounded per document and per company total, and the export answers', async () => {
    const { agent } = await signUpCompany(t.app, 'Bounds Co');
    const c = (await agent.post('/api/v1/customers', { code: 'B1', name: 'Big' })).json();
    const invoice = (number: string, amountMinor: number, extra: object = {}) =>
      agent.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number, issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor, ...extra });
    for (const amountMinor of [Number.MAX_SAFE_INTEGER, MAX_AMOUNT_MINOR + 1]) {
      const res = await invoice(`X-${amountMinor}`, amountMinor);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[0].path).toBe('amountMinor');
    }
    const res = await invoice('I-0', 2, { instalments: [{ dueOn: '2026-10-01', amountMinor: MAX_AMOUNT_MINOR + 1 }, { dueOn: '2026-11-01', amountMinor: 1 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('instalments.0.amountMinor');
    const limit = await agent.post('/api/v1/customers', { code: 'B2', name: 'Limit', creditLimitMinor: MAX_AMOUNT_MINOR + 1 });
    expect(limit.json().error.fields[0].path).toBe('creditLimitMinor');

    // Nine invoices of the maximum fill the company's EUR total to 9 × 10^15; a tenth would pass 2^53 − 1.
    for (let i = 1; i <= 9; i++) expect((await invoice(`F-${i}`, MAX_AMOUNT_MINOR)).statusCode).toBe(201);
    const tenth = await invoice('F-10', MAX_AMOUNT_MINOR);
    expect(tenth.statusCode).toBe(400);
    expect(tenth.json().error.fields[0]).toEqual({ path: 'amountMinor', message: expect.stringContaining('EUR') });
    // Cancelling adds a closing adjustment: an amount too, refused as well; nothing of either write remains.
    const f1 = (await agent.get('/api/v1/documents?q=F-1&limit=1')).json().items[0];
    const cancel = await agent.patch(`/api/v1/documents/${f1.id}`, { status: 'cancelled' });
    expect(cancel.statusCode).toBe(400);
    expect(cancel.json().error.fields[0].path).toBe('status');
    expect((await agent.get('/api/v1/documents?limit=100')).json().items).toHaveLength(9);
    // Another currency has its own total.
    expect((await invoice('U-1', MAX_AMOUNT_MINOR, { currency: 'USD' })).statusCode).toBe(201);
    const allocation = await agent.post('/api/v1/allocations', { fromDocumentId: f1.id, toDocumentId: f1.id, amountMinor: MAX_AMOUNT_MINOR + 1 });
    expect(allocation.json().error.fields[0].path).toBe('amountMinor');

    const csv = await download(agent, '/api/v1/exports/customers.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('EUR open 90000000000000.00');
    await stillServing(agent);
  });

  it('an import row over the per-amount bound, or passing the company total, is refused with its row', async () => {
    const { agent } = await signUpCompany(t.app, 'Import Bounds Co');
    const header = 'customerCode,documentType,number,issuedOn,dueOn,currency,amount';
    const big = await importFile(t, agent, { name: 'big.csv', content: [header, 'C1,invoice,A-1,2026-09-01,2026-10-01,EUR,10000000000000.01'].join('\n') });
    expect(big.summary.errors).toEqual([expect.objectContaining({ row: 1, column: 'amount' })]);
    // Ten rows of the maximum (10^13 EUR = 10^15 minor): the tenth passes 2^53 − 1 and is named; nothing is written.
    const rows = Array.from({ length: 10 }, (_, i) => `C1,invoice,B-${i},2026-09-01,2026-10-01,EUR,10000000000000.00`);
    const sum = await importFile(t, agent, { name: 'sum.csv', content: [header, ...rows].join('\n') });
    expect(sum.status).toBe('failed');
    expect(sum.summary.errors).toEqual([expect.objectContaining({ row: 10, column: 'amount', message: expect.stringContaining('9,007,199,254,740,991') })]);
    expect((await agent.get('/api/v1/documents?limit=10')).json().items).toHaveLength(0);
  });

  it('an amount that cannot be written on the first page is a clear error answer, not a crash', async () => {
    const { agent, tenantId } = await signUpCompany(t.app, 'Corrupt Co');
    const c = (await agent.post('/api/v1/customers', { code: 'C1', name: 'One' })).json();
    await agent.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'BAD', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor: 100 });
    await corrupt(tenantId, 'BAD');
    for (const format of ['csv', 'xlsx']) {
      const res = await download(agent, `/api/v1/exports/documents.${format}`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('AMOUNT_OUT_OF_RANGE');
    }
    await stillServing(agent);
  });

  it('a failure mid-stream ends that response only; the app keeps serving', async () => {
    const { agent, tenantId } = await signUpCompany(t.app, 'Stream Co');
    // 600 invoices: the export reads them 500 a page, and the one sorted last is on the second page.
    const rows = Array.from({ length: 600 }, (_, i) => `C1,invoice,N-${String(i).padStart(4, '0')},2026-09-01,2026-10-01,EUR,10.00`);
    const job = await importFile(t, agent, { name: 'many.csv', content: ['customerCode,documentType,number,issuedOn,dueOn,currency,amount', ...rows].join('\n') });
    expect(job.status, JSON.stringify(job.summary)).toBe('succeeded');
    await corrupt(tenantId, 'N-0599');
    for (const format of ['csv', 'xlsx']) {
      const res = await download(agent, `/api/v1/exports/documents.${format}?sort=number`).catch((err: Error) => ({ aborted: err }));
      // Headers were sent with page 1; the response is then cut (destroyed), never completed as if whole.
      if ('aborted' in res) expect(res.aborted).toBeInstanceOf(Error);
      else if (format === 'csv') expect(res.body).not.toContain('N-0599');
      else expect(res.rawPayload.length).toBeGreaterThan(0);
      await stillServing(agent);
    }
    // The same export without the broken row is whole.
    const fine = await download(agent, '/api/v1/exports/documents.csv?sort=number&maxAmountMinor=100000');
    expect(fine.statusCode).toBe(200);
    expect(fine.body.trim().split('\r\n')).toHaveLength(1 + 599);
  });

  it('a NUL byte in a filter is a 400, before anything is streamed', async () => {
    const { agent } = await signUpCompany(t.app, 'Nul Co');
    for (const url of ['/api/v1/exports/documents.csv?q=%00', '/api/v1/exports/customers.xlsx?q=a%00b']) {
      const res = await download(agent, url);
      expect(res.statusCode, res.body).toBe(400);
    }
    await stillServing(agent);
  });
});
