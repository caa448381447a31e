import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * Sorting the customer list by open amount or oldest due date reads the balances in index order, in segments
 * (customers.repository.ts, balanceSortedPage). Every page must match sorting the whole list by
 * `coalesce(balance in the base currency, default), name, id`, whatever the page size and offset.
 */
describeEachEngine('customer list sorted by balance', (engine) => {
  let t: TestApp;
  let owner: Agent;
  type Row = { id: string; name: string; balances: { currency: string; openMinor: number; oldestOpenDueOn: string | null }[] };
  let everyone: Row[] = [];
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Sorted Co')).agent;
    // [name, EUR invoices (amount, due date), other documents]: equal amounts and dates, credit-only (a balance row
    // with no open invoice), USD only, nothing at all.
    const plan: [string, [number, string][], ((id: string) => object)[]][] = [
      ['kilo', [[5000, '2026-10-01']], []],
      ['alpha', [[5000, '2026-10-01']], []],
      ['hotel', [[12000, '2026-11-30']], []],
      ['bravo', [], [(id) => ({ customerId: id, type: 'credit_note', number: 'CN-B', issuedOn: '2026-11-01', currency: 'EUR', amountMinor: 700 })]],
      ['delta', [], []],
      ['echo', [], [(id) => ({ customerId: id, type: 'invoice', number: 'US-E', issuedOn: '2026-09-01', dueOn: '2026-09-15', currency: 'USD', amountMinor: 99000 })]],
      ['golf', [[300, '2026-12-15'], [400, '2026-08-01']], []],
      ['charlie', [], []],
      ['india', [[5000, '2026-10-02']], []],
      ['juliet', [[80000, '2027-01-31']], []],
      ['foxtrot', [[1, '2026-11-19']], []],
    ];
    let n = 0;
    for (const [name, invoices, others] of plan) {
      const c = await owner.post('/api/v1/customers', { code: `S${++n}`, name });
      expect(c.statusCode, c.body).toBe(201);
      const id = c.json().id;
      for (const [amountMinor, dueOn] of invoices) {
        const res = await owner.post('/api/v1/documents', { customerId: id, type: 'invoice', number: `I-${++n}`, issuedOn: '2026-08-01', dueOn, currency: 'EUR', amountMinor });
        expect(res.statusCode, res.body).toBe(201);
      }
      for (const other of others) expect((await owner.post('/api/v1/documents', other(id))).statusCode).toBe(201);
    }
    everyone = (await owner.get('/api/v1/customers?limit=100&sort=name')).json().items;
    expect(everyone).toHaveLength(plan.length);
    // Overdue amounts (summed from the open items of each balance currency) as the plan says.
    const overdue = Object.fromEntries(everyone.map((r: any) => [r.name, Object.fromEntries(r.balances.filter((b: any) => b.overdueMinor).map((b: any) => [b.currency, b.overdueMinor]))]));
    expect(overdue).toEqual({ kilo: { EUR: 5000 }, alpha: { EUR: 5000 }, hotel: {}, bravo: {}, delta: {}, echo: { USD: 99000 }, golf: { EUR: 400 }, charlie: {}, india: { EUR: 5000 }, juliet: {}, foxtrot: { EUR: 1 } });
  });
  afterAll(async () => t.close());

  const eur = (r: Row) => r.balances.find((b) => b.currency === 'EUR');
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  function expected(sort: 'openMinor' | 'oldestDueOn', order: 'asc' | 'desc', rows: Row[]) {
    const key = (r: Row) => (sort === 'openMinor' ? (eur(r)?.openMinor ?? 0) : (eur(r)?.oldestOpenDueOn ?? '9999-12-31'));
    return [...rows].sort((a, b) => (order === 'asc' ? cmp(key(a), key(b)) : cmp(key(b), key(a))) || cmp(a.name, b.name) || cmp(a.id, b.id)).map((r) => r.name);
  }
  async function allPages(query: string, limit: number) {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await owner.get(`/api/v1/customers?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      names.push(...res.json().items.map((r: Row) => r.name));
      cursor = res.json().nextCursor;
    } while (cursor);
    return names;
  }

  it('by open amount and by oldest due date, both directions, every page size: the order of a full sort', async () => {
    for (const sort of ['openMinor', 'oldestDueOn'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const want = expected(sort, order, everyone);
        for (const limit of [1, 2, 3, 4, 50]) expect(await allPages(`sort=${sort}&order=${order}`, limit), `${sort} ${order} ${limit}`).toEqual(want);
      }
    }
  });

  it('with filters: overdue, minimum open amount, currency', async () => {
    const overdue = everyone.filter((r) => r.balances.some((b) => b.oldestOpenDueOn !== null && b.oldestOpenDueOn < '2026-11-20'));
    expect(overdue.length).toBeGreaterThan(2);
    expect(await allPages('overdue=true&sort=openMinor&order=desc', 2)).toEqual(expected('openMinor', 'desc', overdue));
    const notOverdue = everyone.filter((r) => !overdue.includes(r));
    expect(await allPages('overdue=false&sort=oldestDueOn&order=asc', 3)).toEqual(expected('oldestDueOn', 'asc', notOverdue));
    const atLeast = everyone.filter((r) => (eur(r)?.openMinor ?? -1) >= 5000);
    expect(await allPages('minOpenMinor=5000&sort=openMinor&order=asc', 2)).toEqual(expected('openMinor', 'asc', atLeast));
    // Sorted by the USD balance when the list is filtered on USD.
    expect(await allPages('currency=USD&sort=openMinor&order=desc', 1)).toEqual(['echo']);
  });
});
