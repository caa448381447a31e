import { request } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { openDatabase } from '../../db/database';
import { createMailer } from '../../mail/mailer';
import { apiKeyClient, createTestApp, describeEachEngine, type TestApp } from '../../test/test-app';
import { LedgerFactory, reportsCompany } from './reports.factory';
import { ReportAborted } from './reports.work';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

/** Issue 10: the reports' cache, per-company bound and cancellation, as behaviour (never timings). */
describeEachEngine('report work: cache, bound, cancellation', (engine) => {
  let t: TestApp;
  let c: Awaited<ReturnType<typeof reportsCompany>>;
  let customerId: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    c = await reportsCompany(t.app, t.deps, 'Work SA');
    const f = new LedgerFactory(t.deps.db, c.tenantId);
    customerId = await f.customer({ code: 'W1' });
    await f.invoice(customerId, { issuedOn: '2025-01-01', dueOn: '2025-01-31', amountMinor: 10_000 });
  });
  afterAll(async () => t.close());

  it('serves a repeated report from the cache until a write made through another app instance on the same database', async () => {
    // A second process on the same database: its own app, its own connections, its own (empty) cache.
    const schema = engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.deps.db)).rows[0].s : undefined;
    const handle = openDatabase({ dataDir: t.deps.config.dataDir, databaseUrl: engine === 'postgres' ? process.env.TEST_DATABASE_URL : undefined, pgSchema: schema, poolMax: 2 });
    const mailer = createMailer(handle.db, undefined);
    const other = await buildApp({ ...t.deps, db: handle.db, mailer }, { serveWeb: false, pollJobs: false });
    try {
      const total = async () => (await c.agent.get('/api/v1/reports/aging')).json().rows.find((r: { currency: string }) => r.currency === 'EUR').totalMinor;
      expect(await total()).toBe(10_000);
      const hits = t.app.reportWork.stats.cacheHits;
      expect(await total()).toBe(10_000);
      expect(t.app.reportWork.stats.cacheHits).toBe(hits + 1);
      const created = await apiKeyClient(other, c.secret).post('/api/v1/documents', { customerId, type: 'invoice', number: 'OTHER-1', issuedOn: '2025-02-01', dueOn: '2025-02-28', currency: 'EUR', amountMinor: 2_500 });
      expect(created.statusCode, created.body).toBe(201);
      expect(await total()).toBe(12_500);
    } finally {
      await other.close();
      mailer.close();
      await handle.close();
    }
  });

  it('refuses beyond the queue with 503 REPORTS_BUSY and Retry-After, and runs the queued report once a slot frees', async () => {
    const work = t.app.reportWork;
    const saved = { ...work.limits };
    Object.assign(work.limits, { concurrency: 1, queue: 1 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    try {
      const holding = work.run(c.tenantId, 'test:hold', new AbortController().signal, () => gate, { cache: false });
      const queued = c.agent.get('/api/v1/reports/aging?asOf=2025-06-30');
      await until(() => work.queueLength(c.tenantId) === 1);
      const refused = await c.agent.get('/api/v1/reports/dso?asOf=2025-06-30');
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('REPORTS_BUSY');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      release();
      await holding;
      expect((await queued).statusCode).toBe(200);
    } finally {
      release();
      Object.assign(work.limits, saved);
    }
  });

  it('a request whose client went away never starts its queued work', async () => {
    const work = t.app.reportWork;
    const saved = { ...work.limits };
    Object.assign(work.limits, { concurrency: 1, queue: 4 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const holding = work.run(c.tenantId, 'test:hold', new AbortController().signal, () => gate, { cache: false });
      const { port } = t.app.server.address() as { port: number };
      const req = request({ host: '127.0.0.1', port, path: '/api/v1/reports/forecast?asOf=2025-03-31', headers: { authorization: `Bearer ${c.secret}` } });
      req.on('error', () => undefined);
      req.end();
      await until(() => work.queueLength(c.tenantId) === 1);
      const [computed, aborted] = [work.stats.computed, work.stats.aborted];
      req.destroy();
      await until(() => work.queueLength(c.tenantId) === 0);
      expect(work.stats.aborted).toBe(aborted + 1);
      release();
      await holding;
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Only the held computation completed: the abandoned forecast never ran.
      expect(work.stats.computed).toBe(computed + 1);
    } finally {
      release();
      Object.assign(work.limits, saved);
    }
  });

  it('an aborted computation stops at its next statement', async () => {
    const work = t.app.reportWork;
    const controller = new AbortController();
    let reachedSecond = false;
    let firstDone!: () => void;
    const first = new Promise<void>((resolve) => (firstDone = resolve));
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const running = work.run(c.tenantId, 'test:two-statements', controller.signal, async (deps) => {
      await deps.db.selectFrom('documents').select('id').where('tenant_id', '=', c.tenantId).execute();
      firstDone();
      await paused;
      await deps.db.selectFrom('documents').select('id').where('tenant_id', '=', c.tenantId).execute();
      reachedSecond = true;
    }, { cache: false });
    const outcome = running.catch((err) => err);
    await first;
    controller.abort();
    resume();
    expect(await outcome).toBeInstanceOf(ReportAborted);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reachedSecond).toBe(false);
  });

  it('identical concurrent requests share one computation', async () => {
    const work = t.app.reportWork;
    const [computed, joined, hits] = [work.stats.computed, work.stats.joined, work.stats.cacheHits];
    const answers = await Promise.all(Array.from({ length: 5 }, () => c.agent.get('/api/v1/reports/dashboard?asOf=2025-04-30')));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(work.stats.computed - computed).toBe(1);
    // The others waited for it, or (when it had already finished) found its result cached.
    expect(work.stats.joined - joined + (work.stats.cacheHits - hits)).toBe(4);
  });
});
