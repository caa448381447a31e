import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, can, type Permission } from '../../common/roles';
import { Agent, addMember, apiKeyClient, createTestApp, describeEachEngine, signUpCompany, STRONG_PASSWORD, type TestApp } from '../test/test-app';

const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, '00000000-0000-0000-0000-000000000000');

describeEachEngine('roles and permissions', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('every tenant route refuses the roles without its permission (403) and lets the others through', async () => {
    const owner = await signUpCompany(t.app, 'Roles Co');
    const routes = t.app.routeCatalogue.filter((r) => r.auth === 'tenant' && r.permission);
    expect(routes.length).toBeGreaterThan(8);
    for (const role of ROLES) {
      const member = role === 'owner' ? owner : await addMember(t.app, t.deps, owner.agent, role);
      for (const r of routes) {
        const res = await member.agent.request(r.method as any, fill(r.url), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        const allowed = can(role, r.permission as Permission);
        if (allowed) expect(res.statusCode, `${role} ${r.method} ${r.url}`).not.toBe(403);
        else expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
      }
    }
  });

  it('every non-public route refuses anonymous callers with 401', async () => {
    for (const r of t.app.routeCatalogue.filter((x) => x.auth !== 'public')) {
      const res = await t.app.inject({ method: r.method as any, url: fill(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('only an owner can make someone an owner', async () => {
    const owner = await signUpCompany(t.app, 'Owners Co');
    const admin = await addMember(t.app, t.deps, owner.agent, 'admin');
    const viewer = await addMember(t.app, t.deps, owner.agent, 'viewer');
    expect((await admin.agent.patch(`/api/v1/users/${viewer.userId}`, { role: 'owner' })).statusCode).toBe(403);
    expect((await admin.agent.patch(`/api/v1/users/${viewer.userId}`, { role: 'collector' })).statusCode).toBe(200);
    expect((await owner.agent.patch(`/api/v1/users/${owner.userId}`, { role: 'viewer' })).json().error.code).toBe('LAST_OWNER');
  });

  it('deactivating a member ends their session at once', async () => {
    const owner = await signUpCompany(t.app, 'Deactivate Co');
    const collector = await addMember(t.app, t.deps, owner.agent, 'collector');
    expect((await collector.agent.get('/api/v1/company')).statusCode).toBe(200);
    expect((await owner.agent.patch(`/api/v1/users/${collector.userId}`, { isActive: false })).statusCode).toBe(200);
    expect((await collector.agent.get('/api/v1/company')).statusCode).toBe(401);
    const relogin = await new Agent(t.app).post('/api/v1/auth/login', { email: collector.email, password: STRONG_PASSWORD });
    expect(relogin.json().company).toBeNull();
  });

  it('a user of two companies switches between them', async () => {
    const a = await signUpCompany(t.app, 'Alpha Co');
    const b = await signUpCompany(t.app, 'Beta Co');
    const member = await addMember(t.app, t.deps, a.agent, 'viewer');
    // The same person invited by Beta accepts with their existing password.
    await b.agent.post('/api/v1/users/invitations', { email: member.email, role: 'credit_manager' });
    const { lastEmailedToken } = await import('../test/test-app');
    const token = await lastEmailedToken(t.deps, member.email);
    const accepted = await new Agent(t.app).post('/api/v1/auth/invitations/accept', { token, password: STRONG_PASSWORD });
    expect(accepted.statusCode).toBe(200);
    const session = (await member.agent.get('/api/v1/auth/session')).json();
    expect(session.companies.map((c: any) => c.name).sort()).toEqual(['Alpha Co', 'Beta Co']);
    const switched = await member.agent.post('/api/v1/auth/switch-company', { tenantId: b.tenantId });
    expect(switched.json()).toMatchObject({ company: { name: 'Beta Co' }, role: 'credit_manager' });
    expect((await member.agent.get('/api/v1/company')).json().name).toBe('Beta Co');
  });

  it('API keys: shown once, stored hashed, act with their role on one company, 401 once revoked or unknown', async () => {
    const owner = await signUpCompany(t.app, 'Keys Co');
    const created = await owner.agent.post('/api/v1/api-keys', { name: 'ERP export', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json();
    expect(secret).toMatch(/^dso_[A-Za-z0-9_-]{43}$/);
    const stored = await t.deps.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify((await owner.agent.get('/api/v1/api-keys')).json())).not.toContain(secret);

    const api = apiKeyClient(t.app, secret);
    expect((await api.get('/api/v1/company')).json()).toMatchObject({ id: owner.tenantId, name: 'Keys Co', baseCurrency: 'EUR' });
    // No CSRF for Bearer requests; the viewer role still cannot change settings.
    expect((await api.patch('/api/v1/company', { name: 'x' })).statusCode).toBe(403);
    expect((await apiKeyClient(t.app, 'dso_unknown').get('/api/v1/company')).statusCode).toBe(401);
    await owner.agent.delete(`/api/v1/api-keys/${id}`);
    expect((await api.get('/api/v1/company')).statusCode).toBe(401);
  });

  it('audit log records who, what, before and after, when and from where; admins filter it', async () => {
    const owner = await signUpCompany(t.app, 'Audit Co');
    await owner.agent.patch('/api/v1/company', { name: 'Audit Company', city: 'Lyon' });
    const page = (await owner.agent.get('/api/v1/audit-log?entityType=company&action=company.updated')).json();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actorType: 'user', actorId: owner.userId, actorLabel: owner.email, entityType: 'company', entityId: owner.tenantId, ip: '127.0.0.1',
      before: { name: 'Audit Co', city: null }, after: { name: 'Audit Company', city: 'Lyon' },
    });
    expect(page.items[0].at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const viewer = await addMember(t.app, t.deps, owner.agent, 'viewer');
    expect((await viewer.agent.get('/api/v1/audit-log')).statusCode).toBe(403);
  });
});

describeEachEngine('tenant isolation', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it("company B gets 404 for every route called with company A's ids, and A's data is unchanged", async () => {
    const a = await signUpCompany(t.app, 'Company A');
    const b = await signUpCompany(t.app, 'Company B');
    const aMember = await addMember(t.app, t.deps, a.agent, 'collector');
    const aInvite = (await a.agent.post('/api/v1/users/invitations', { email: 'pending@a.test', role: 'viewer' })).json();
    const aKey = (await a.agent.post('/api/v1/api-keys', { name: 'A key', role: 'viewer' })).json();
    const aSession = (await a.agent.get('/api/v1/me/sessions')).json().items[0];
    const before = await snapshot(t, a.tenantId);

    const attempts = [
      b.agent.patch(`/api/v1/users/${aMember.userId}`, { isActive: false }),
      b.agent.patch(`/api/v1/users/${aMember.userId}`, { role: 'admin' }),
      b.agent.delete(`/api/v1/users/invitations/${aInvite.id}`),
      b.agent.delete(`/api/v1/api-keys/${aKey.id}`),
      b.agent.delete(`/api/v1/me/sessions/${aSession.id}`),
      b.agent.post('/api/v1/auth/switch-company', { tenantId: a.tenantId }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode, res.body).toBe(404);
    expect((await b.agent.get(`/api/v1/audit-log?entityId=${a.tenantId}`)).json().items).toEqual([]);
    expect((await b.agent.get('/api/v1/users')).json().items.map((u: any) => u.email)).toEqual([b.email]);
    expect((await b.agent.get('/api/v1/company')).json().id).toBe(b.tenantId);
    expect(await snapshot(t, a.tenantId)).toEqual(before);
    expect((await aMember.agent.get('/api/v1/company')).statusCode).toBe(200);
    expect((await apiKeyClient(t.app, aKey.secret).get('/api/v1/company')).json().id).toBe(a.tenantId);
  });
});

async function snapshot(t: TestApp, tenantId: string) {
  const db = t.deps.db;
  return {
    tenant: await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).execute(),
    members: await db.selectFrom('memberships').selectAll().where('tenant_id', '=', tenantId).orderBy('user_id').execute(),
    invitations: await db.selectFrom('invitations').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute(),
    keys: await db.selectFrom('api_keys').select(['id', 'revoked_at', 'role']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').select(['id', 'revoked_at', 'tenant_id']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
  };
}
