import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';
import { buildWorkedExample, LedgerFactory } from './reports.factory';

describeEachEngine('reports: tenant isolation', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-01-15T10:00:00Z') } });
  });
  afterAll(async () => t.close());

  it("company B cannot see company A's figures: A's customer or collector → 404, A's segment → nothing, B's own reports are empty", async () => {
    const a = await signUpCompany(t.app, 'Company A');
    const b = await signUpCompany(t.app, 'Company B');
    const collector = await addMember(t.app, t.deps, a.agent, 'collector');
    const { customerA } = await buildWorkedExample(new LedgerFactory(t.deps.db, a.tenantId), { collectorUserId: collector.userId, segment: 'A-secret-segment' });
    const aAgingBefore = (await a.agent.get('/api/v1/reports/aging?asOf=2025-12-31')).json();
    expect(aAgingBefore.rows[0].totalMinor).toBe(26_000_000);

    const q = '&asOf=2025-12-31';
    const withA = [
      `/api/v1/reports/aging?customerId=${customerA}${q}`,
      `/api/v1/reports/aging?collectorId=${collector.userId}${q}`,
      `/api/v1/reports/aging.xlsx?customerId=${customerA}${q}`,
      `/api/v1/reports/dso?customerId=${customerA}${q}`,
      `/api/v1/reports/dso?collectorId=${collector.userId}${q}`,
      `/api/v1/reports/dso-trend?customerId=${customerA}${q}`,
      `/api/v1/reports/top-late-customers?collectorId=${collector.userId}${q}`,
      `/api/v1/reports/aging/items?bucket=notDue&customerId=${customerA}${q}`,
      `/api/v1/reports/forecast?customerId=${customerA}${q}`,
      `/api/v1/reports/payer-profiles?customerId=${customerA}${q}`,
      `/api/v1/reports/payer-profiles.xlsx?customerId=${customerA}${q}`,
    ];
    for (const url of withA) {
      const res = await b.agent.get(url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }

    expect((await b.agent.get(`/api/v1/reports/aging?segment=A-secret-segment${q}`)).json().rows).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/aging${q.replace('&', '?')}`)).json().rows).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/dso${q.replace('&', '?')}`)).json()).toMatchObject({ dso: 0, bestPossibleDso: 0, explanation: { receivablesMinor: 0, periodSalesMinor: 0 } });
    expect((await b.agent.get(`/api/v1/reports/top-late-customers${q.replace('&', '?')}`)).json().items).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/aging/items?bucket=over90${q}`)).json().items).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/forecast${q.replace('&', '?')}`)).json().currencies).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/payer-profiles${q.replace('&', '?')}`)).json().items).toEqual([]);
    expect((await b.agent.get(`/api/v1/reports/collectors${q.replace('&', '?')}`)).json().items).toEqual([]);
    expect((await b.agent.get('/api/v1/reports/filters')).json()).toMatchObject({ segments: [], collectors: [] });

    // A sees its own figures, unchanged, and its collector by name.
    expect((await a.agent.get('/api/v1/reports/aging?asOf=2025-12-31')).json()).toEqual(aAgingBefore);
    expect((await a.agent.get(`/api/v1/reports/aging?collectorId=${collector.userId}${q}`)).json().rows[0].totalMinor).toBe(26_000_000);
    const filters = (await a.agent.get('/api/v1/reports/filters')).json();
    expect(filters).toMatchObject({ baseCurrency: 'EUR', segments: ['A-secret-segment'], collectors: [{ id: collector.userId }] });
  });

  it('a collector reads the reports; a sales user may not (403)', async () => {
    const a = await signUpCompany(t.app, 'Roles Co');
    const collector = await addMember(t.app, t.deps, a.agent, 'collector');
    const sales = await addMember(t.app, t.deps, a.agent, 'sales');
    expect((await collector.agent.get('/api/v1/reports/aging')).statusCode).toBe(200);
    expect((await sales.agent.get('/api/v1/reports/aging')).statusCode).toBe(403);
    expect((await sales.agent.get('/api/v1/reports/dso.xlsx')).statusCode).toBe(403);
  });
});
