import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, multipart, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/** A plain ledger export of `rows` invoices for 200 customers. */
function ledgerCsv(rows: number): string {
  const lines = ['customerCode,customerName,documentType,number,issuedOn,dueOn,currency,amount'];
  for (let i = 0; i < rows; i++) lines.push(`C${i % 200},Customer ${i % 200},invoice,INV-${i},2026-10-01,2026-10-31,EUR,${100 + (i % 50)}.00`);
  return lines.join('\n');
}

/**
 * While an import writes (pass 2, one transaction), its progress must move: on SQLite the job's row cannot be
 * updated by anyone until that transaction commits, so the page's bar used to sit at "N rows read" until the end.
 */
describeEachEngine('imports: progress while writing', (engine) => {
  let t: TestApp;
  let owner: Agent;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Progress Co')).agent;
  });
  afterAll(async () => t.close());

  it('reports rows written out of the checked total, rising, while the import is running', async () => {
    const total = 20_000;
    const body = multipart({ options: JSON.stringify({ source: 'erp' }) }, { name: 'ledger.csv', content: ledgerCsv(total) });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body.payload, headers: { ...body.headers, cookie: owner.cookie, 'x-csrf-token': owner.csrf } });
    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;
    const seen: { status: string; rowsDone: number; rowsTotal: number }[] = [];
    for (;;) {
      const job = (await owner.get(`/api/v1/imports/${id}`)).json();
      seen.push({ status: job.status, ...job.progress });
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.at(-1)).toEqual({ status: 'succeeded', rowsDone: total, rowsTotal: total });
    // Writing: the total is pass 1's count and the rows written are fewer (while checking, the total follows them).
    const writing = seen.filter((s) => s.status === 'running' && s.rowsTotal === total && s.rowsDone < total);
    expect(writing.length).toBeGreaterThan(1);
    expect(writing.some((s) => s.rowsDone > 0)).toBe(true);
    for (let i = 1; i < writing.length; i++) expect(writing[i].rowsDone).toBeGreaterThanOrEqual(writing[i - 1].rowsDone);
  });
});
