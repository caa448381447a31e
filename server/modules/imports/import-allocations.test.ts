import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, importFile, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * Payments and credit notes that name their invoice, in any order in the file, near or far from it (the import settles
 * some inside a batch of rows and the rest after all rows are written): the outcome is always the file-order rule —
 * each credit takes what the invoice still has open when its row comes, the amounts are conserved, and no invoice
 * is settled past its amount.
 */
describeEachEngine('imports: credits naming their invoice, settled in file order', (engine) => {
  let t: TestApp;
  let agent: Agent;
  let run = 0;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T09:00:00Z') } });
    ({ agent } = await signUpCompany(t.app, 'Order Co'));
  });
  afterAll(async () => t.close());

  const row = fc.record({
    kind: fc.constantFrom('invoice', 'payment', 'credit_note'),
    invoice: fc.integer({ min: 1, max: 4 }),
    customer: fc.constantFrom('A', 'B'),
    amount: fc.integer({ min: 1, max: 500 }),
  });

  it('matches a straightforward replay of the rows, whatever the batch they fall in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), fc.constantFrom(0, 475, 485, 492, 497), async (rows, padding) => {
        // Each run its own numbers in the same company.
        const R = `R${++run}-`;
        // Padding rows push the credits into other batches of 500 rows than their invoices, some of the time.
        const lines = ['customerCode;documentType;number;issuedOn;dueOn;currency;amount;appliesTo'];
        const invoices = new Map<string, { customer: string; open: number }>();
        const expected: { number: string; open: number }[] = [];
        let n = 0;
        const seen = new Set<string>();
        for (let i = 0; i < padding; i++) lines.push(`P;invoice;${R}PAD-${i};2026-01-01;2026-02-01;EUR;1;`);
        for (const r of rows) {
          const number = `${R}F-${r.invoice}`;
          if (r.kind === 'invoice') {
            if (seen.has(number)) continue; // one invoice per number
            seen.add(number);
            lines.push(`${r.customer};invoice;${number};2026-09-01;2026-10-01;EUR;${r.amount};`);
            invoices.set(number, { customer: r.customer, open: r.amount * 100 });
          } else {
            const own = `${R}${r.kind === 'payment' ? 'PAY' : 'CN'}-${++n}`;
            lines.push(`${r.customer};${r.kind};${own};2026-10-0${1 + (n % 9)};;EUR;${r.amount};${number}`);
            expected.push({ number: own, open: -r.amount * 100 });
            // appliesTo must name an invoice of the file: a credit naming none is a row error, not what is tested here.
            if (!rows.some((x) => x.kind === 'invoice' && x.invoice === r.invoice)) lines.pop(), expected.pop();
          }
        }
        // The replay: credits in file order, each against what its invoice (same customer) still has open.
        const open = new Map([...invoices].map(([k, v]) => [k, { ...v }]));
        const credits = lines.slice(1).filter((l) => l.split(';')[7]).map((l) => l.split(';'));
        const creditOpen = new Map<string, number>();
        for (const c of credits) {
          const inv = open.get(c[7]);
          const amount = Math.round(Number(c[6]) * 100);
          const take = inv && inv.customer === c[0] ? Math.min(amount, inv.open) : 0;
          if (inv && inv.customer === c[0]) inv.open -= take;
          creditOpen.set(c[2], take - amount);
        }
        const job = await importFile(t, agent, { name: 'order.csv', content: lines.join('\n') }, { source: 'erp' });
        expect(job.status, JSON.stringify(job.summary.errors?.slice(0, 2))).toBe('succeeded');
        const docs = new Map<string, any>();
        for (let cursor: string | undefined = ''; cursor !== undefined; ) {
          const page: any = (await agent.get(`/api/v1/documents?limit=500&isOpen=true&q=${R}${cursor ? `&cursor=${cursor}` : ''}`)).json();
          for (const d of page.items) docs.set(d.number, d);
          cursor = page.nextCursor ?? undefined;
        }
        for (const [number, inv] of open) expect(docs.get(number)?.openMinor ?? 0, number).toBe(inv.open);
        for (const [number, o] of creditOpen) expect(docs.get(number)?.openMinor ?? 0, number).toBe(o);
      }),
      { numRuns: engine === 'postgres' ? 8 : 25 },
    );
  });

  it('a credit waiting for an invoice of the next batch keeps its place: a later credit of that batch does not pay first', async () => {
    const R = `X${++run}-`;
    const lines = ['customerCode;documentType;number;issuedOn;dueOn;currency;amount;appliesTo'];
    // Rows 1–499 pad the first batch of 500; the first payment is its last row, its invoice opens the next batch.
    for (let i = 0; i < 499; i++) lines.push(`P;invoice;${R}PAD-${i};2026-01-01;2026-02-01;EUR;1;`);
    lines.push(`A;payment;${R}PAY-1;2026-10-01;;EUR;300;${R}F-1`, `A;invoice;${R}F-1;2026-09-01;2026-10-01;EUR;400;`, `A;payment;${R}PAY-2;2026-10-02;;EUR;300;${R}F-1`);
    const job = await importFile(t, agent, { name: 'waiting.csv', content: lines.join('\n') }, { source: 'erp' });
    expect(job.status).toBe('succeeded');
    const open = async (n: string) => (await agent.get(`/api/v1/documents?q=${R}${n}`)).json().items[0].openMinor;
    expect([await open('PAY-1'), await open('F-1'), await open('PAY-2')]).toEqual([0, 0, -20000]);
  });
});
