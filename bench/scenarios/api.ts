import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp, LOG_REDACT } from '../../server/app';
import type { Engine } from '../../server/db/database';
import type { Deps } from '../../server/deps';
import { page } from '../../server/http/pagination';
import { createApiKey } from '../../server/modules/api-keys/api-keys.service';
import { listBalances, listCustomers, overdueByCustomer } from '../../server/modules/customers/customers.repository';
import { presentCustomer } from '../../server/modules/customers/customers.service';
import { listDocuments } from '../../server/modules/documents/documents.repository';
import { percentile, type Result } from '../env';

// What the dashboard page asks: one request computing the aging once for the DSO and the top 20 late customers.
const DASHBOARD = ['/api/v1/reports/dashboard?limit=20'];
const TODAY = '2026-11-20'; // the bench clock's date in the company's time zone

async function apiKey(deps: Deps, tenantId: string) {
  return (await createApiKey(deps, { actor: { type: 'system', label: 'bench' }, tenantId, role: 'owner', ip: '' }, { name: 'bench', role: 'credit_manager' })).secret;
}

/** P2: one dashboard load = aging + DSO + top 20 late customers, through HTTP routing, auth and validation. */
export async function benchDashboard(engine: Engine, deps: Deps, tenantId: string, runs: number): Promise<Result[]> {
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false });
  const secret = await apiKey(deps, tenantId);
  const headers = { authorization: `Bearer ${secret}` };
  for (const url of DASHBOARD) {
    const res = await app.inject({ url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const url of DASHBOARD) await app.inject({ url, headers });
    times.push(performance.now() - t0);
  }
  await app.close();
  // The naive way: one GROUP BY over every document of the company, per customer and currency.
  const naive: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await sql`select customer_id, currency, sum(amount_minor), sum(open_minor) from documents where tenant_id = ${tenantId} group by customer_id, currency`.execute(deps.db);
    naive.push(performance.now() - t0);
  }
  const naiveMs = percentile(naive, 50);
  const p95 = percentile(times, 95);
  return [
    { scenario: 'P2 dashboard p50', engine, metric: 'p50', value: round(percentile(times, 50)), unit: 'ms', baseline: null, ratio: null, goal: '' },
    { scenario: 'P2 dashboard p95 vs naive GROUP BY', engine, metric: 'p95', value: round(p95), unit: 'ms', baseline: round(naiveMs), ratio: p95 / naiveMs, goal: '≤ 50 ms and ≤ 0.2×' },
  ];
}

/** P3: the invoice list API under load against a bare Fastify route running the same query and sending the same JSON. */
export async function benchListApi(engine: Engine, deps: Deps, tenantId: string, seconds: number): Promise<Result[]> {
  const q = { type: 'invoice' as const, overdue: true, sort: 'dueOn' as const, order: 'asc' as const, limit: 50 };
  const url = '/api/v1/documents?type=invoice&overdue=true&sort=dueOn&order=asc&limit=50';
  const bare = async () => page(await listDocuments(deps.db, tenantId, { ...q, today: TODAY, offset: 0 }), q.limit, 0);
  return appVersusBare(engine, deps, tenantId, seconds, { name: 'P3 invoice list API', url, bare });
}

/**
 * P4: the customer list as the collectors use it — overdue customers, largest open amount first, 50 a page — at the
 * generator's customer count (20,000; 2,000 with --quick), against a bare route running the same three queries (page,
 * balances, overdue amounts) and sending the same JSON.
 */
export async function benchCustomerListApi(engine: Engine, deps: Deps, tenantId: string, seconds: number): Promise<Result[]> {
  const q = { overdue: true, sort: 'openMinor' as const, order: 'desc' as const, limit: 50 };
  const url = '/api/v1/customers?overdue=true&sort=openMinor&order=desc&limit=50';
  const bare = async () => {
    const result = page(await listCustomers(deps.db, tenantId, { ...q, today: TODAY, offset: 0, balanceCurrency: 'EUR' }), q.limit, 0);
    const ids = result.items.map((c) => c.id);
    const [balances, overdue] = await Promise.all([listBalances(deps.db, tenantId, ids), overdueByCustomer(deps.db, tenantId, ids, TODAY)]);
    return { ...result, items: result.items.map((c) => presentCustomer(c, balances.get(c.id) ?? [], overdue.get(c.id) ?? {})) };
  };
  return appVersusBare(engine, deps, tenantId, seconds, { name: 'P4 customer list API', url, bare });
}

/**
 * The app (routing, helmet, API-key auth, validation, the service, one log line) and a bare Fastify route doing only
 * the route's SQL, each listening on its own port. To be fair to both:
 * - the answers are checked to be the same JSON, byte for byte, before measuring;
 * - autocannon runs in a worker thread, not on the server's event loop (in the same thread it took about half of
 *   each request's CPU time and its own pauses showed as server latency);
 * - both are warmed up (JIT, page cache, prepared statements), then measured in turns (bare, app, bare, app); the
 *   better round of each is kept, since the machine is shared and other load only ever slows a round down.
 */
async function appVersusBare(engine: Engine, deps: Deps, tenantId: string, seconds: number, s: { name: string; url: string; bare: () => Promise<unknown> }): Promise<Result[]> {
  // The app as deployed, logging each request at info level (server/main.ts), into /dev/null.
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false, logger: { level: 'info', redact: LOG_REDACT, file: '/dev/null' } });
  const headers = { authorization: `Bearer ${await apiKey(deps, tenantId)}` };
  const bare = Fastify();
  bare.get('/bare', s.bare);
  const appUrl = await listen(app, s.url);
  const bareUrl = await listen(bare, '/bare');
  try {
    const [a, b] = [await app.inject({ url: s.url, headers }), await bare.inject({ url: '/bare' })];
    if (a.statusCode !== 200 || a.body !== b.body) throw new Error(`${s.name}: the app and the bare route answer differently (${a.statusCode}, ${a.body.length} vs ${b.body.length} bytes)`);
    const rows = (a.json() as { items: unknown[] }).items.length;
    await load(bareUrl, {}, 2);
    await load(appUrl, headers, 2);
    const rounds = { app: [] as Load[], bare: [] as Load[] };
    for (let i = 0; i < 2; i++) {
      rounds.bare.push(await load(bareUrl, {}, seconds));
      rounds.app.push(await load(appUrl, headers, seconds));
    }
    const best = (xs: Load[]) => xs.reduce((m, x) => (x.rps > m.rps ? x : m));
    const [ours, base] = [best(rounds.app), best(rounds.bare)];
    const note = `${rows} rows, ${a.body.length.toLocaleString('en')} B; rounds app ${rounds.app.map(fmt).join(', ')}; bare ${rounds.bare.map(fmt).join(', ')}; load ${ours.load.toFixed(1)}`;
    return [
      { scenario: `${s.name} throughput`, engine, metric: 'req/s', value: Math.round(ours.rps), unit: 'req/s', baseline: Math.round(base.rps), ratio: ours.rps / base.rps, goal: '≥ 0.8×', note },
      { scenario: `${s.name} p99`, engine, metric: 'p99', value: ours.p99, unit: 'ms', baseline: base.p99, ratio: null, goal: '≤ 20 ms' },
    ];
  } finally {
    await app.close();
    await bare.close();
  }
}

async function listen(server: FastifyInstance, path: string) {
  await server.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(server.server.address() as { port: number }).port}${path}`;
}

type Load = { rps: number; p99: number; load: number };
const fmt = (l: Load) => `${Math.round(l.rps)}/s p99 ${l.p99} ms`;

/** 10 connections for `seconds`, autocannon in a worker thread; the 1-minute load average is noted at the end. */
async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Load> {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers, workers: 1 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99, load: loadavg()[0] };
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * P5: the invoice list API (P3's request, one at a time) while another company imports a file, against the same
 * requests with nothing else running. On SQLite the import holds the writer connection in one transaction; reads go
 * to the reader connection (server/db/sqlite-driver.ts) and wait at most for the import's current batch.
 */
export async function benchReadsDuringImport(engine: Engine, deps: Deps, tenantId: string, importFile: () => Promise<unknown>): Promise<Result[]> {
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false });
  const headers = { authorization: `Bearer ${await apiKey(deps, tenantId)}` };
  // Over a real socket, as a browser would ask: in-process injection would never let the import's file reads run.
  const url = await listen(app, '/api/v1/documents?type=invoice&overdue=true&sort=dueOn&order=asc&limit=50');
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 20; i++) await get();
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push(await get());
    const during: number[] = [];
    let done = false;
    const t0 = performance.now();
    const importing = importFile().finally(() => (done = true));
    while (!done) during.push(await get());
    await importing;
    const seconds = (performance.now() - t0) / 1000;
    const [p50, p99, idle50, idle99] = [percentile(during, 50), percentile(during, 99), percentile(idle, 50), percentile(idle, 99)];
    const note = `${during.length} requests answered during the ${seconds.toFixed(1)} s import; max ${round(Math.max(...during))} ms`;
    return [
      { scenario: 'P5 list API during an import p50', engine, metric: 'p50', value: round(p50), unit: 'ms', baseline: round(idle50), ratio: p50 / idle50, goal: '(ours)', note },
      { scenario: 'P5 list API during an import p99', engine, metric: 'p99', value: round(p99), unit: 'ms', baseline: round(idle99), ratio: p99 / idle99, goal: '(ours)' },
    ];
  } finally {
    await app.close();
  }
}
