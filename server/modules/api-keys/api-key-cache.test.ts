import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { openDatabase } from '../../db/database';
import { apiKeyClient, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';
import { API_KEY_CACHE_TTL_MS, forgetApiKeys, verifiedApiKey } from './api-key-cache';

/**
 * The auth hook keeps recently verified API keys in memory (api-key-cache.ts). These tests go through HTTP: a key
 * that has just been served from the cache is refused on the very next request once revoked.
 */
describeEachEngine('API key cache', (engine) => {
  let t: TestApp;
  let nowMs = Date.parse('2026-11-20T10:00:00Z');
  const clock = { now: () => new Date(nowMs) };
  beforeAll(async () => {
    t = await createTestApp(engine, { clock });
  });
  afterAll(async () => t.close());

  const newKey = async (owner: Awaited<ReturnType<typeof signUpCompany>>, role = 'credit_manager') => {
    const res = await owner.agent.post('/api/v1/api-keys', { name: `key ${role}`, role });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; secret: string };
  };

  it('a revoked key is refused on the very next request, though it was just served from the cache', async () => {
    const owner = await signUpCompany(t.app, 'Revoke Co');
    const { id, secret } = await newKey(owner);
    const other = await newKey(owner, 'admin');
    const api = apiKeyClient(t.app, secret);
    for (let i = 0; i < 3; i++) expect((await api.get('/api/v1/documents?limit=5')).statusCode).toBe(200);
    expect((await apiKeyClient(t.app, other.secret).get('/api/v1/documents?limit=5')).statusCode).toBe(200);
    // Revoked through the API: the cache is emptied at once.
    expect((await owner.agent.delete(`/api/v1/api-keys/${id}`)).statusCode).toBe(204);
    const refused = await api.get('/api/v1/documents?limit=5');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
    expect((await api.get('/api/v1/company')).statusCode).toBe(401);
    // The other key of the company still works (reloaded from the database).
    expect((await apiKeyClient(t.app, other.secret).get('/api/v1/documents?limit=5')).statusCode).toBe(200);
  });

  it('a request that read the key before its revocation does not put it back in the cache', async () => {
    const owner = await signUpCompany(t.app, 'Race Co');
    const { secret } = await newKey(owner);
    const db = t.deps.db;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stale = { id: 'k', tenantId: owner.tenantId, name: 'k', role: 'viewer', prefix: 'dso_', createdByUserId: null, createdAt: '', lastUsedAt: null, revokedAt: null, companyLanguage: 'en', companyTimeZone: 'UTC' };
    const inFlight = verifiedApiKey(db, 'race-hash', nowMs, async () => {
      await gate;
      return stale;
    });
    forgetApiKeys(db); // the revocation lands while the lookup is in flight
    release();
    expect(await inFlight).toBe(stale); // that request was concurrent with the revocation: it is served…
    let loads = 0;
    await verifiedApiKey(db, 'race-hash', nowMs, async () => {
      loads++;
      return undefined;
    });
    expect(loads).toBe(1); // …but the next one reads the database again.
    expect((await apiKeyClient(t.app, secret).get('/api/v1/company')).statusCode).toBe(200);
  });

  it('another process sharing the database sees a revocation within the TTL; last_used_at is still written once a minute', async () => {
    const owner = await signUpCompany(t.app, 'Two Apps Co');
    const { id, secret } = await newKey(owner);
    const api = apiKeyClient(t.app, secret);
    expect((await api.get('/api/v1/company')).statusCode).toBe(200);
    const usedAt = async () => (await t.deps.db.selectFrom('api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    // Recorded without holding up the request: it lands just after.
    await expect.poll(usedAt).toBe(clock.now().toISOString());

    // A second app on the same database, as a second process would be (its own handle, its own cache).
    const schema = engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.deps.db)).rows[0].s : undefined;
    const handle = openDatabase({ dataDir: t.deps.config.dataDir, databaseUrl: engine === 'postgres' ? process.env.TEST_DATABASE_URL : undefined, pgSchema: schema, poolMax: 2 });
    const second = await buildApp({ ...t.deps, db: handle.db }, { serveWeb: false, pollJobs: false });
    try {
      const start = nowMs;
      // Revoked through the second app: the first one still has the key in its cache, for at most the TTL.
      const ownerOnSecond = { headers: { cookie: owner.agent.cookie, 'x-csrf-token': owner.agent.csrf } };
      expect((await second.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, ...ownerOnSecond })).statusCode).toBe(204);
      expect((await second.inject({ url: '/api/v1/company', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
      nowMs = start + API_KEY_CACHE_TTL_MS - 1;
      expect((await api.get('/api/v1/company')).statusCode).toBe(200);
      nowMs = start + API_KEY_CACHE_TTL_MS + 1;
      expect((await api.get('/api/v1/company')).statusCode).toBe(401);
    } finally {
      await second.close();
      await handle.close();
    }

    // last_used_at: written on first use, then at most once a minute, cache or not.
    const k2 = await newKey(owner);
    const api2 = apiKeyClient(t.app, k2.secret);
    const first = clock.now().toISOString();
    expect((await api2.get('/api/v1/company')).statusCode).toBe(200);
    const used2 = async () => (await t.deps.db.selectFrom('api_keys').select('last_used_at').where('id', '=', k2.id).executeTakeFirstOrThrow()).last_used_at;
    await expect.poll(used2).toBe(first);
    nowMs += 30_000;
    expect((await api2.get('/api/v1/company')).statusCode).toBe(200);
    expect(await used2()).toBe(first);
    nowMs += 31_000;
    expect((await api2.get('/api/v1/company')).statusCode).toBe(200);
    await expect.poll(used2).toBe(clock.now().toISOString());
  });
});
