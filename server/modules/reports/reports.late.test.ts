import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar';
import { createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';
import { LedgerFactory } from './reports.factory';
import { topOverdueCustomersNow } from './reports.late';
import { sumOverdueByCustomer } from './reports.repository';

/**
 * The bounded search for the top late customers (reports.late.ts) must give exactly the ranking of summing every
 * customer's overdue items — including when the customers with the largest open amounts owe little that is overdue,
 * so that the search must read past its first page of candidates, and with ties on the overdue amount.
 */
describeEachEngine('top late customers: bounded search', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-06-15T12:00:00Z') } });
  });
  afterAll(async () => t.close());

  const asOf = '2026-06-15';
  const customerArb = fc.record({
    // Large not-yet-due invoices lift the open amount (the bound) without any overdue.
    notDue: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 2 }),
    overdue: fc.array(fc.record({ amount: fc.constantFrom(5, 10, 20, 35), daysLate: fc.integer({ min: 1, max: 200 }), paid: fc.constantFrom(0, 0, 1, 5) }), { maxLength: 3 }),
    usd: fc.boolean(),
    segment: fc.constantFrom('SMB', 'Key accounts'),
  });

  it('gives the same customers, amounts and order as summing every customer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customerArb, { minLength: 20, maxLength: 70, size: 'max' }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 12 }), async (customers, limit, pageSize) => {
        const { tenantId } = await signUpCompany(t.app, 'Late Co');
        const f = new LedgerFactory(t.deps.db, tenantId);
        for (const c of customers) {
          const id = await f.customer({ segment: c.segment });
          const currency = c.usd ? 'USD' : 'EUR';
          for (const a of c.notDue) await f.invoice(id, { issuedOn: '2026-06-01', dueOn: '2026-07-31', amountMinor: a * 100_000, currency });
          for (const o of c.overdue) {
            const inv = await f.invoice(id, { issuedOn: addDays(asOf, -o.daysLate - 30), dueOn: addDays(asOf, -o.daysLate), amountMinor: o.amount * 1000, currency });
            if (o.paid) await f.pay(id, inv, o.paid * 1000, addDays(asOf, -1), currency);
          }
        }
        for (const currency of ['EUR', 'USD']) {
          const everyone = await sumOverdueByCustomer(t.deps.db, tenantId, asOf, { currency }, limit, true);
          // Small pages, so that the search reads several and stops early on some.
          const bounded = await topOverdueCustomersNow(t.deps.db, tenantId, asOf, { currency }, limit, pageSize);
          expect(bounded).toEqual(everyone);
          // A filtered dashboard searches only the matching customers' candidates.
          const smb = await sumOverdueByCustomer(t.deps.db, tenantId, asOf, { currency, segment: 'SMB' }, limit, true);
          expect(await topOverdueCustomersNow(t.deps.db, tenantId, asOf, { currency, segment: 'SMB' }, limit, pageSize)).toEqual(smb);
        }
      }),
      { numRuns: engine === 'postgres' ? 4 : 10 },
    );
  });
});
