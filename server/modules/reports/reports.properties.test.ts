import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bucketFor, DEFAULT_AGING_BUCKETS, daysPastDue } from '../../domain/aging';
import { addDays } from '../../domain/calendar';
import { insertCompany } from '../companies/companies.repository';
import { createTestApp, describeEachEngine, type TestApp } from '../../test/test-app';
import { getForecast } from './reports.collections.service';
import { LedgerFactory } from './reports.factory';
import { agingAt, getAging, getDso } from './reports.service';
import { needsCorrectionsAt } from './reports.repository';
import { bucketsFromUpperBounds } from '../../../common/aging-buckets';

const DAY0 = '2025-01-01';
const RUNS = 15;

/** A random ledger: invoices in two currencies; payments and credit notes, some allocated late, some dated oddly
 *  (before their own issue date), some reversed, some left partly unallocated. */
const ledgerArb = fc.record({
  customers: fc.integer({ min: 1, max: 3 }),
  invoices: fc.array(
    fc.record({ customer: fc.nat(2), currency: fc.constantFrom('EUR', 'USD'), issuedDay: fc.integer({ min: 0, max: 150 }), terms: fc.integer({ min: 0, max: 60 }), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
    { minLength: 1, maxLength: 10 },
  ),
  credits: fc.array(
    fc.record({
      invoice: fc.nat(),
      type: fc.constantFrom('payment', 'credit_note'),
      issuedOffset: fc.integer({ min: -20, max: 120 }),
      sharePercent: fc.integer({ min: 1, max: 100 }),
      allocationDelay: fc.integer({ min: -20, max: 40 }),
      extra: fc.integer({ min: 0, max: 3 }).map((n) => (n === 0 ? 50_000 : 0)),
      reversedAfter: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    }),
    { maxLength: 10 },
  ),
  asOfDay: fc.integer({ min: 0, max: 220 }),
  /** Most runs take the as-of date among the ledger's own dates (± 1 day), where the edge cases are. */
  asOfPick: fc.option(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 1 })), { freq: 1, nil: undefined }),
});
type Ledger = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;
type Doc = { id: string; type: string; currency: string; issuedOn: string; dueOn: string | null; amount: number; customerId: string };
type Alloc = { from: string; to: string; amount: number; on: string };

async function newTenant(t: TestApp): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await insertCompany(t.deps.db, {
    id, slug: `p-${id}`, name: 'Property Co', legalId: null, vatId: null, addressLine1: null, addressLine2: null, postalCode: null, city: null, country: null,
    timeZone: 'Europe/Paris', defaultLanguage: 'en', baseCurrency: 'EUR', paymentTermsDays: 30, createdAt: at, updatedAt: at,
  });
  return id;
}

/** Writes the ledger through the factory and returns what was written, for the reference computation. */
async function writeLedger(f: LedgerFactory, l: Ledger) {
  const customers = [];
  for (let i = 0; i < l.customers; i++) customers.push(await f.customer({ segment: i === 0 ? 'A' : 'B' }));
  const docs: Doc[] = [];
  const allocs: Alloc[] = [];
  const open = new Map<string, number>();
  for (const inv of l.invoices) {
    const customerId = customers[inv.customer % customers.length];
    const issuedOn = addDays(DAY0, inv.issuedDay);
    const dueOn = addDays(issuedOn, inv.terms);
    const id = await f.invoice(customerId, { issuedOn, dueOn, amountMinor: inv.amount, currency: inv.currency });
    docs.push({ id, type: 'invoice', currency: inv.currency, issuedOn, dueOn, amount: inv.amount, customerId });
    open.set(id, inv.amount);
  }
  const invoices = [...docs];
  for (const c of l.credits) {
    const inv = invoices[c.invoice % invoices.length];
    const settled = Math.min(open.get(inv.id)!, Math.max(1, Math.floor((inv.amount * c.sharePercent) / 100)));
    const issuedOn = addDays(inv.issuedOn, c.issuedOffset); // may precede the invoice: a prepayment
    const amount = settled + c.extra;
    const id = c.type === 'payment'
      ? await f.payment(inv.customerId, { issuedOn, amountMinor: amount, currency: inv.currency })
      : await f.creditNote(inv.customerId, { issuedOn, amountMinor: amount, currency: inv.currency });
    docs.push({ id, type: c.type, currency: inv.currency, issuedOn, dueOn: null, amount: -amount, customerId: inv.customerId });
    if (settled <= 0) continue;
    const on = addDays(issuedOn, c.allocationDelay);
    const allocationId = await f.allocate(id, inv.id, settled, on);
    allocs.push({ from: id, to: inv.id, amount: settled, on });
    open.set(inv.id, open.get(inv.id)! - settled);
    if (c.reversedAfter !== undefined) {
      const reversedOn = addDays(on < issuedOn ? issuedOn : on, c.reversedAfter);
      await f.allocate(id, inv.id, -settled, reversedOn, allocationId);
      allocs.push({ from: id, to: inv.id, amount: -settled, on: reversedOn });
      open.set(inv.id, open.get(inv.id)! + settled);
    }
  }
  const dates = [...docs.map((d) => d.issuedOn), ...allocs.map((a) => a.on)].sort();
  const asOf = l.asOfPick ? addDays(dates[l.asOfPick[0] % dates.length], l.asOfPick[1]) : addDays(DAY0, l.asOfDay);
  return { customers, docs, allocs, asOf };
}

/**
 * The definitions, computed naively in JS from every row: a document exists at D when issued on or before D; an
 * allocation is in effect at D when dated on or before D and both its documents exist.
 */
function reference(docs: Doc[], allocs: Alloc[], asOf: string) {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const openAt = new Map<string, number>();
  for (const d of docs) if (d.issuedOn <= asOf) openAt.set(d.id, d.amount);
  for (const a of allocs) {
    if (a.on > asOf || byId.get(a.from)!.issuedOn > asOf || byId.get(a.to)!.issuedOn > asOf) continue;
    openAt.set(a.to, openAt.get(a.to)! - a.amount);
    openAt.set(a.from, openAt.get(a.from)! + a.amount);
  }
  const rows = new Map<string, { buckets: Record<string, number>; total: number; unallocated: number }>();
  const row = (c: string) => rows.get(c) ?? rows.set(c, { buckets: Object.fromEntries(DEFAULT_AGING_BUCKETS.map((b) => [b.key, 0])), total: 0, unallocated: 0 }).get(c)!;
  let receivables = new Map<string, number>();
  for (const [id, amount] of openAt) {
    const d = byId.get(id)!;
    receivables.set(d.currency, (receivables.get(d.currency) ?? 0) + amount);
    if (amount === 0) continue;
    if (d.type === 'invoice' || amount > 0) {
      const r = row(d.currency);
      r.buckets[bucketFor(daysPastDue(asOf, d.dueOn ?? d.issuedOn))] += amount;
      r.total += amount;
    } else row(d.currency).unallocated += amount;
  }
  receivables = new Map([...receivables].filter(([c]) => rows.has(c)));
  return { rows, receivables };
}

describeEachEngine('reports: properties over random ledgers', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2025-06-15T12:00:00Z') } });
  });
  afterAll(async () => t.close());

  it('aging at any date equals the definitions, the buckets sum to the open invoices per currency, and receivables = Σ amounts issued by then', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (l) => {
        const tenantId = await newTenant(t);
        const { docs, allocs, asOf } = await writeLedger(new LedgerFactory(t.deps.db, tenantId), l);
        const aging = await getAging(t.deps, tenantId, { asOf });
        const ref = reference(docs, allocs, asOf);
        expect(aging.rows.map((r) => r.currency)).toEqual([...ref.rows.keys()].sort());
        for (const r of aging.rows) {
          const expected = ref.rows.get(r.currency)!;
          expect(r.amountsMinor).toEqual(expected.buckets);
          expect(Object.values(r.amountsMinor).reduce((a, b) => a + b, 0)).toBe(r.totalMinor);
          expect(r.totalMinor).toBe(expected.total);
          expect(r.unallocatedMinor).toBe(expected.unallocated);
          expect(r.unallocatedMinor).toBeLessThanOrEqual(0);
          const issued = docs.filter((d) => d.currency === r.currency && d.issuedOn <= asOf).reduce((s, d) => s + d.amount, 0);
          expect(r.totalMinor + r.unallocatedMinor).toBe(issued);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the aging from the kept totals per due date, summed between bucket bounds, equals the aging from the documents, for any buckets', async () => {
    await fc.assert(
      // Bounds at the invoices' own days past due (± 1), where an off-by-one would show.
      fc.asyncProperty(ledgerArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 1 })), { maxLength: 5 }), async (l, picks) => {
        const tenantId = await newTenant(t);
        const { docs, allocs } = await writeLedger(new LedgerFactory(t.deps.db, tenantId), l);
        // The latest date of the ledger: nothing pending, so both paths apply (migration 026's totals, or the documents).
        const asOf = [...docs.map((d) => d.issuedOn), ...allocs.map((a) => a.on)].sort().at(-1)!;
        expect(await needsCorrectionsAt(t.deps.db, tenantId, asOf)).toBe(false);
        const dues = docs.filter((d) => d.dueOn).map((d) => daysPastDue(asOf, d.dueOn!));
        const buckets = bucketsFromUpperBounds(picks.map(([i, delta]) => dues[i % dues.length] + delta));
        const fromTotals = await agingAt(t.deps.db, tenantId, asOf, {}, buckets, false);
        const fromDocuments = await agingAt(t.deps.db, tenantId, asOf, {}, buckets, true);
        expect(fromTotals.rows).toEqual(fromDocuments.rows);
        expect([...fromTotals.notYetDueByCurrency].sort()).toEqual([...fromDocuments.notYetDueByCurrency].sort());
      }),
      { numRuns: RUNS },
    );
  });

  it('the aging as of yesterday is unchanged by a payment dated today; today it drops by the payment', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, fc.nat(), fc.integer({ min: 1, max: 100 }), async (l, pick, percent) => {
        const tenantId = await newTenant(t);
        const f = new LedgerFactory(t.deps.db, tenantId);
        const { docs } = await writeLedger(f, l);
        const today = addDays(DAY0, 230);
        const yesterday = addDays(today, -1);
        const before = await getAging(t.deps, tenantId, { asOf: yesterday });
        const beforeToday = await getAging(t.deps, tenantId, { asOf: today });
        const invoices = docs.filter((d) => d.type === 'invoice');
        const inv = invoices[pick % invoices.length];
        const openNow = (await t.deps.db.selectFrom('documents').select('open_minor').where('id', '=', inv.id).executeTakeFirstOrThrow()).open_minor;
        if (openNow <= 0) return;
        const paid = Math.max(1, Math.floor((openNow * percent) / 100));
        await f.pay(inv.customerId, inv.id, paid, today, inv.currency);
        expect(await getAging(t.deps, tenantId, { asOf: yesterday })).toEqual(before);
        const after = await getAging(t.deps, tenantId, { asOf: today });
        const total = (a: typeof after, c: string) => a.rows.find((r) => r.currency === c)?.totalMinor ?? 0;
        expect(total(after, inv.currency)).toBe(total(beforeToday, inv.currency) - paid);
      }),
      { numRuns: RUNS },
    );
  });

  it('the forecast spreads exactly the open amounts not excluded, per currency; excluded customers are totalled apart', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, fc.boolean(), async (l, excludeFirst) => {
        const tenantId = await newTenant(t);
        const { customers, asOf } = await writeLedger(new LedgerFactory(t.deps.db, tenantId), l);
        if (excludeFirst) await t.deps.db.updateTable('customers').set({ status: 'legal' }).where('id', '=', customers[0]).execute();
        const forecast = await getForecast(t.deps, tenantId, { asOf });
        const aging = await getAging(t.deps, tenantId, { asOf });
        const excludedAging = excludeFirst ? await getAging(t.deps, tenantId, { asOf, customerId: customers[0] }) : { rows: [] };
        for (const row of aging.rows) {
          const c = forecast.currencies.find((x) => x.currency === row.currency);
          const spread = c ? c.weeks.reduce((s, w) => s + w.amountMinor, 0) + c.laterMinor : 0;
          const excluded = excludedAging.rows.find((r) => r.currency === row.currency)?.totalMinor ?? 0;
          expect(spread).toBe(row.totalMinor - excluded);
          expect(c?.excludedMinor ?? 0).toBe(excluded);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('DSO receivables are the aging receivables, and the CEI opening balance is the receivables at the end of the month before', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, fc.integer({ min: 1, max: 4 }), async (l, months) => {
        const tenantId = await newTenant(t);
        const { docs, allocs, asOf } = await writeLedger(new LedgerFactory(t.deps.db, tenantId), l);
        const d = await getDso(t.deps, tenantId, { asOf, months, method: 'countback', currency: 'EUR' });
        const ref = reference(docs, allocs, asOf);
        const refRow = ref.rows.get('EUR');
        expect(d.explanation.receivablesMinor).toBe(refRow ? refRow.total + refRow.unallocated : 0);
        const opening = reference(docs, allocs, d.explanation.openingReceivablesOn).rows.get('EUR');
        expect(d.explanation.openingReceivablesMinor).toBe(opening ? opening.total + opening.unallocated : 0);
      }),
      { numRuns: RUNS },
    );
  });
});
