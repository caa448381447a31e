import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, type TestApp } from '../../test/test-app';
import { getForecast, getCollectors, getPayerProfiles } from './reports.collections.service';
import { buildWorkedExample, LedgerFactory, reportsCompany } from './reports.factory';
import { getDashboard, getDsoTrend } from './reports.service';

/**
 * Issue 10: reports at the calendar's edges. Every report route (walked from the route catalogue, so a new one
 * must be listed here) answers 200 at the first and last supported dates with its largest parameters, and 400
 * naming the field beyond them.
 */
const LARGEST: Record<string, string> = {
  aging: '',
  dso: 'months=24',
  'dso-trend': 'months=36&periodMonths=24',
  forecast: '',
  'payer-profiles': 'limit=500',
  collectors: '',
  'aging/items': 'bucket=over90&limit=500',
  'top-late-customers': 'limit=100',
  dashboard: 'months=24&limit=100',
};

describeEachEngine('reports at the edges of the supported calendar', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof reportsCompany>>;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-01-15T10:00:00Z') } });
    owner = await reportsCompany(t.app, t.deps, 'Edges GmbH');
    const f = new LedgerFactory(t.deps.db, owner.tenantId);
    await buildWorkedExample(f);
    const c = await f.customer({ code: 'EDGE' });
    await f.invoice(c, { issuedOn: '1900-01-01', dueOn: '1900-01-31', amountMinor: 100 });
    await f.invoice(c, { issuedOn: '2199-12-01', dueOn: '2199-12-31', amountMinor: 100 });
  });
  afterAll(async () => t.close());

  const reportRoutes = () =>
    t.app.routeCatalogue.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/reports/') && r.url !== '/api/v1/reports/filters').map((r) => r.url);

  it('every report route is listed with its largest parameters', () => {
    const paths = reportRoutes().map((u) => u.slice('/api/v1/reports/'.length).replace(/\.xlsx$/, ''));
    expect(paths.length).toBeGreaterThanOrEqual(17);
    for (const p of paths) expect(LARGEST, p).toHaveProperty([p]);
  });

  it('answers 200 at 1900-01-01 and 2199-12-31 with the largest parameters, 400 naming the field beyond', async () => {
    let count = 0;
    for (const url of reportRoutes()) {
      const extra = LARGEST[url.slice('/api/v1/reports/'.length).replace(/\.xlsx$/, '')];
      const dateFields = url.includes('collectors') ? ['asOf', 'from', 'to'] : ['asOf'];
      for (const asOf of ['1900-01-01', '2199-12-31']) {
        const q = url.includes('collectors') ? `asOf=${asOf}&from=${asOf}&to=${asOf}` : `asOf=${asOf}`;
        const res = await owner.agent.get(`${url}?${q}${extra ? `&${extra}` : ''}`);
        expect(res.statusCode, `${url} ${asOf}: ${res.body.slice(0, 300)}`).toBe(200);
        count++;
      }
      for (const field of dateFields) {
        for (const bad of ['1899-12-31', '2200-01-01', '0001-01-01', '9999-12-31', '2026-02-30']) {
          const res = await owner.agent.get(`${url}?${field}=${bad}${extra ? `&${extra}` : ''}`);
          expect(res.statusCode, `${url} ${field}=${bad}`).toBe(400);
          expect(res.json().error.fields.map((x: { path: string }) => x.path)).toContain(`query.${field}`);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('a report failing on a date below year 1 rejects without leaving any sibling promise rejecting unhandled', async () => {
    // Straight to the services, past the route's validation: what the dashboard did at asOf=0001-01-01 before.
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      const asOf = '0001-01-01';
      const calls = [
        () => getDashboard(t.deps, owner.tenantId, { asOf, months: 24, method: 'countback', limit: 100 }),
        () => getDsoTrend(t.deps, owner.tenantId, { asOf, months: 36, periodMonths: 24, method: 'countback' }),
        () => getForecast(t.deps, owner.tenantId, { asOf }),
        () => getPayerProfiles(t.deps, owner.tenantId, { asOf, limit: 50 }),
        () => getCollectors(t.deps, owner.tenantId, { asOf }),
      ];
      for (const call of calls) await call().catch(() => undefined);
      // Rejections of siblings settle on later turns of the event loop: let them.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
