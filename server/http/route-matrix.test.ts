import { afterAll, beforeAll, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '../../common/roles';
import { A_MARKER, buildFixture, callRoute, ROUTE_MATRIX, snapshotTenant, type Fixture } from '../test/route-matrix';
import { Agent, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../test/test-app';

/**
 * The route table × every kind of caller who must be refused (issue 10): another company with A's ids, no
 * credentials, each role without the route's permission. Each answer is the right refusal, below 500, and company A
 * is unchanged afterwards, row for row.
 */
describeEachEngine('route-table matrix', (engine) => {
  let t: TestApp;
  let fx: Fixture;
  const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  beforeAll(async () => {
    t = await createTestApp(engine);
    fx = await buildFixture(t);
  }, 120_000);
  afterAll(async () => t.close());

  it('every API route is in the matrix, and the matrix names no route that does not exist', () => {
    const live = t.app.routeCatalogue.map(routeKey).sort();
    expect(live.filter((k) => !ROUTE_MATRIX[k]), 'routes missing from server/test/route-matrix.ts').toEqual([]);
    expect(Object.keys(ROUTE_MATRIX).filter((k) => !live.includes(k)), 'matrix entries without a route').toEqual([]);
  });

  it("another company calling every route with A's ids gets 404 where an id is A's, never A's data, and A is unchanged", async () => {
    const b = await signUpCompany(t.app, 'Intruder Co');
    const before = await snapshotTenant(t.deps, fx.ids.tenantId);
    const problems: string[] = [];
    for (const key of Object.keys(ROUTE_MATRIX)) {
      const res = await callRoute(t, key, fx.ids, b.agent);
      if (res.statusCode >= 500) problems.push(`${key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (ROUTE_MATRIX[key].cross === 'id' && res.statusCode !== 404) problems.push(`${key}: expected 404, got ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.body.includes(A_MARKER)) problems.push(`${key}: the answer contains company A's data`);
      // B may have logged itself out or switched away: keep it logged in for the next route.
      if ((await b.agent.get('/api/v1/company')).statusCode !== 200) await b.agent.post('/api/v1/auth/login', { email: b.email, password: 'Plenty of length 2026!' });
    }
    expect(problems).toEqual([]);
    expect(await snapshotTenant(t.deps, fx.ids.tenantId)).toEqual(before);
  }, 120_000);

  /** Calls each route as its caller, expects one refusal status from all of them, and A unchanged afterwards. */
  async function expectRefused(calls: { label: string; key: string; agent: Agent }[], status: number) {
    const before = await snapshotTenant(t.deps, fx.ids.tenantId);
    const problems: string[] = [];
    for (const c of calls) {
      const res = await callRoute(t, c.key, fx.ids, c.agent);
      if (res.statusCode !== status) problems.push(`${c.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    expect(await snapshotTenant(t.deps, fx.ids.tenantId)).toEqual(before);
  }

  it('without credentials every non-public route answers 401, and A is unchanged', async () => {
    const calls = t.app.routeCatalogue.filter((x) => x.auth !== 'public').map((r) => ({ label: routeKey(r), key: routeKey(r), agent: new Agent(t.app) }));
    await expectRefused(calls, 401);
  }, 120_000);

  it("each of A's roles without a route's permission gets 403 on it with A's real ids, and A is unchanged", async () => {
    const calls = ROLES.filter((r): r is Exclude<Role, 'owner'> => r !== 'owner').flatMap((role) =>
      t.app.routeCatalogue
        .filter((x) => x.auth === 'tenant' && x.permission && !can(role, x.permission as Permission))
        .map((r) => ({ label: `${role} ${routeKey(r)}`, key: routeKey(r), agent: fx.members[role].agent })),
    );
    expect(calls.length).toBeGreaterThan(100);
    await expectRefused(calls, 403);
  }, 120_000);
});
