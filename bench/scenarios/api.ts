import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../server/app';
import type { Engine } from '../../server/db/database';
import type { Deps } from '../../server/deps';
import { createApiKey } from '../../server/modules/api-keys/api-keys.service';
import { listDocuments } from '../../server/modules/documents/documents.repository';
import { percentile, type Result } from '../env';

const DASHBOARD = ['/api/v1/reports/aging', '/api/v1/reports/dso', '/api/v1/reports/top-late-customers?limit=20'];
const LIST_URL = '/api/v1/documents?type=invoice&overdue=true&sort=dueOn&order=asc&limit=50';

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

/** P3: the invoice list API under autocannon (10 connections) against a bare Fastify route running the same query. */
export async function benchListApi(engine: Engine, deps: Deps, tenantId: string, seconds: number): Promise<Result[]> {
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const secret = await apiKey(deps, tenantId);
  const ours = await load(`http://127.0.0.1:${(app.server.address() as { port: number }).port}${LIST_URL}`, { authorization: `Bearer ${secret}` }, seconds);
  await app.close();

  const bare = Fastify();
  const q = { type: 'invoice' as const, overdue: true, sort: 'dueOn' as const, order: 'asc' as const, limit: 50, today: '2026-11-20', offset: 0 };
  bare.get('/bare', async () => ({ items: await listDocuments(deps.db, tenantId, q) }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const base = await load(`http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`, {}, seconds);
  await bare.close();
  return [
    { scenario: 'P3 invoice list API throughput', engine, metric: 'req/s', value: Math.round(ours.rps), unit: 'req/s', baseline: Math.round(base.rps), ratio: ours.rps / base.rps, goal: '≥ 0.8×' },
    { scenario: 'P3 invoice list API p99', engine, metric: 'p99', value: ours.p99, unit: 'ms', baseline: base.p99, ratio: null, goal: '≤ 20 ms' },
  ];
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (r.non2xx > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

const round = (x: number) => Math.round(x * 10) / 10;
