import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, signUpCompany, type Agent, type TestApp } from '../../test/test-app';
import { buildWorkedExample, LedgerFactory } from './reports.factory';

const k = (major: number) => major * 100;

describeEachEngine('DOMAIN.md worked example read through the reports API', (engine) => {
  let t: TestApp;
  let owner: Agent;
  let ids: { customerA: string; customerB: string };
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-01-15T10:00:00Z') } });
    const company = await signUpCompany(t.app, 'Worked Example SA');
    owner = company.agent;
    ids = await buildWorkedExample(new LedgerFactory(t.deps.db, company.tenantId));
  });
  afterAll(async () => t.close());

  const dso = async (query: string) => {
    const res = await owner.get(`/api/v1/reports/dso?asOf=2025-12-31&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('aging as of 31 Dec 2025: 140,000 not due; 70,000, 30,000, 12,000 and 8,000 overdue; exactly the CONTRACTS.md shape', async () => {
    const res = await owner.get('/api/v1/reports/aging?asOf=2025-12-31');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      asOf: '2025-12-31',
      buckets: [
        { key: 'notDue', fromDays: null, toDays: 0 },
        { key: '1-30', fromDays: 1, toDays: 30 },
        { key: '31-60', fromDays: 31, toDays: 60 },
        { key: '61-90', fromDays: 61, toDays: 90 },
        { key: 'over90', fromDays: 91, toDays: null },
      ],
      rows: [{ currency: 'EUR', amountsMinor: { notDue: k(140_000), '1-30': k(70_000), '31-60': k(30_000), '61-90': k(12_000), over90: k(8_000) }, totalMinor: k(260_000), unallocatedMinor: 0 }],
    });
  });

  it('aging as it stood on 30 Nov and 30 Sep: receivables 230,000 and 210,000', async () => {
    const nov = (await owner.get('/api/v1/reports/aging?asOf=2025-11-30')).json();
    expect(nov.rows[0].totalMinor + nov.rows[0].unallocatedMinor).toBe(k(230_000));
    const sep = (await owner.get('/api/v1/reports/aging?asOf=2025-09-30')).json();
    expect(sep.rows).toEqual([{ currency: 'EUR', amountsMinor: { notDue: k(100_000), '1-30': k(110_000), '31-60': 0, '61-90': 0, over90: 0 }, totalMinor: k(210_000), unallocatedMinor: 0 }]);
  });

  describe('N = 3 months (Oct–Dec, 92 days)', () => {
    it('standard: DSO 64.65, best possible 34.81, days delinquent 29.84, CEI 72.7', async () => {
      expect(await dso('months=3&method=standard')).toMatchObject({
        asOf: '2025-12-31', currency: 'EUR', method: 'standard', months: 3, dso: 64.65, bestPossibleDso: 34.81, averageDaysDelinquent: 29.84, cei: 72.7,
      });
    });
    it('countback: DSO 63.58, best possible 28.93, days delinquent 34.65, CEI 72.7', async () => {
      expect(await dso('months=3&method=countback')).toMatchObject({ method: 'countback', months: 3, dso: 63.58, bestPossibleDso: 28.93, averageDaysDelinquent: 34.65, cei: 72.7 });
    });
    it('countback is the default method, 3 months the default period, EUR (the base currency) the default currency', async () => {
      expect(await dso('')).toMatchObject({ currency: 'EUR', method: 'countback', months: 3, dso: 63.58 });
    });
  });

  describe('N = 1 month (Dec, 31 days)', () => {
    it('standard: DSO 53.73, best possible 28.93, days delinquent 24.80, CEI 50.0', async () => {
      expect(await dso('months=1&method=standard')).toMatchObject({ dso: 53.73, bestPossibleDso: 28.93, averageDaysDelinquent: 24.8, cei: 50 });
    });
    it('countback (not limited by N): DSO 63.58, best possible 28.93, days delinquent 34.65, CEI 50.0', async () => {
      expect(await dso('months=1&method=countback')).toMatchObject({ dso: 63.58, bestPossibleDso: 28.93, averageDaysDelinquent: 34.65, cei: 50 });
    });
  });

  it('every figure opens to how it was computed: months walked, sales per month, receivables used', async () => {
    const body = await dso('months=3&method=countback');
    expect(body.explanation).toMatchObject({
      periodDays: 92,
      periodSalesMinor: k(370_000),
      receivablesMinor: k(260_000),
      openInvoicesMinor: k(260_000),
      unallocatedMinor: 0,
      notYetDueMinor: k(140_000),
      openingReceivablesOn: '2025-09-30',
      openingReceivablesMinor: k(210_000),
    });
    expect(body.explanation.periodMonths.map((m: any) => [m.monthKey, m.days, m.salesMinor])).toEqual([
      ['2025-10', 31, k(120_000)],
      ['2025-11', 30, k(100_000)],
      ['2025-12', 31, k(150_000)],
    ]);
    expect(body.explanation.countback.dso.steps.map((s: any) => [s.monthKey, s.kind, s.daysAdded, s.remainderAfterMinor])).toEqual([
      ['2025-12', 'full', 31, k(110_000)],
      ['2025-11', 'full', 30, k(10_000)],
      ['2025-10', 'partial', 2.58, 0],
    ]);
    expect(body.explanation.countback.bestPossibleDso.steps).toHaveLength(1);
    const n1 = await dso('months=1&method=standard');
    expect(n1.explanation).toMatchObject({ periodDays: 31, openingReceivablesOn: '2025-11-30', openingReceivablesMinor: k(230_000) });
  });

  it('the invoices behind a bucket: 31–60 days holds B2 with 30,000 open, 42 days past due', async () => {
    const res = await owner.get('/api/v1/reports/aging/items?asOf=2025-12-31&bucket=31-60&currency=EUR');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ asOf: '2025-12-31', bucket: '31-60', currency: 'EUR', nextCursor: null });
    expect(res.json().items).toEqual([
      expect.objectContaining({ number: 'B2', customerId: ids.customerB, dueOn: '2025-11-19', daysPastDue: 42, amountMinor: k(40_000), openMinor: k(30_000) }),
    ]);
    const notDue = (await owner.get('/api/v1/reports/aging/items?asOf=2025-12-31&bucket=notDue&limit=1')).json();
    expect(notDue.items.map((i: any) => i.number)).toEqual(['D1']);
    const second = (await owner.get(`/api/v1/reports/aging/items?asOf=2025-12-31&bucket=notDue&limit=1&cursor=${notDue.nextCursor}`)).json();
    expect(second.items.map((i: any) => [i.number, i.openMinor])).toEqual([['D2', k(60_000)]]);
    expect(second.nextCursor).toBeNull();
  });

  it('top late customers as of 31 Dec: A owes 50,000 overdue since 19 Sep, B 70,000 since 19 Nov', async () => {
    const res = await owner.get('/api/v1/reports/top-late-customers?asOf=2025-12-31');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: any) => [i.customerCode, i.overdueMinor, i.oldestDueOn, i.maxDaysPastDue, i.invoiceCount])).toEqual([
      ['WX-B', k(70_000), '2025-11-19', 42, 2],
      ['WX-A', k(50_000), '2025-09-19', 103, 3],
    ]);
  });

  it('DSO trend: at 31 Dec the countback DSO is 63.58, and each month end uses the receivables of that day', async () => {
    const res = await owner.get('/api/v1/reports/dso-trend?asOf=2025-12-31&months=4');
    expect(res.statusCode, res.body).toBe(200);
    const points = res.json().points;
    expect(points.map((p: any) => p.asOf)).toEqual(['2025-09-30', '2025-10-31', '2025-11-30', '2025-12-31']);
    expect(points[3]).toMatchObject({ dso: 63.58, receivablesMinor: k(260_000), periodSalesMinor: k(370_000) });
    expect(points[2].receivablesMinor).toBe(k(230_000));
    expect(points[0].receivablesMinor).toBe(k(210_000));
    const standard = (await owner.get('/api/v1/reports/dso-trend?asOf=2026-01-10&months=2&method=standard&periodMonths=3')).json();
    expect(standard.points.at(-1)).toMatchObject({ asOf: '2025-12-31', dso: 64.65 });
  });

  it('the dashboard request returns exactly the aging, DSO and top late customers of their own endpoints', async () => {
    const res = await owner.get('/api/v1/reports/dashboard?asOf=2025-12-31&months=1&method=standard&limit=5');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.aging).toEqual((await owner.get('/api/v1/reports/aging?asOf=2025-12-31')).json());
    expect(body.dso).toEqual(await dso('months=1&method=standard'));
    expect(body.topLateCustomers).toEqual((await owner.get('/api/v1/reports/top-late-customers?asOf=2025-12-31&limit=5')).json());
    expect(body.dso).toMatchObject({ dso: 53.73, cei: 50 });
    const filtered = (await owner.get(`/api/v1/reports/dashboard?asOf=2025-12-31&customerId=${ids.customerB}`)).json();
    expect(filtered.aging.rows[0].totalMinor).toBe(k(130_000));
    expect(filtered.topLateCustomers.items.map((i: any) => i.customerCode)).toEqual(['WX-B']);
  });

  it('filters: a customer alone, and a segment nobody uses (empty)', async () => {
    const a = (await owner.get(`/api/v1/reports/aging?asOf=2025-12-31&customerId=${ids.customerA}`)).json();
    expect(a.rows[0]).toMatchObject({ amountsMinor: { notDue: k(80_000), '1-30': k(30_000), '31-60': 0, '61-90': k(12_000), over90: k(8_000) }, totalMinor: k(130_000) });
    expect((await owner.get('/api/v1/reports/aging?asOf=2025-12-31&segment=Nobody')).json().rows).toEqual([]);
    expect((await owner.get('/api/v1/reports/aging?asOf=2025-12-31&segment=Key%20accounts')).json().rows[0].totalMinor).toBe(k(260_000));
  });
});
