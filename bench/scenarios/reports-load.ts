import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { buildApp, LOG_REDACT } from '../../server/app';
import type { Engine } from '../../server/db/database';
import type { Deps } from '../../server/deps';
import { createApiKey } from '../../server/modules/api-keys/api-keys.service';
import { percentile, type Result } from '../env';

/**
 * P6 (issue 10): the dashboard and the aging under 50 connections, the way the outside-in load test hit them, while a
 * probe asks for a one-row customer list every 100 ms over its own connection (another user of the same server).
 * Two rounds per report: the ledger untouched (what does not change between writes is computed once), and with a
 * payment posted through the API every second (every write invalidates, so the reports are really recomputed).
 * Also measured: the list 5 s after the load stops (it once took 47 s while abandoned requests were still computed).
 */
const REPORTS = [
  { name: 'dashboard', path: '/api/v1/reports/dashboard?limit=20' },
  { name: 'aging', path: '/api/v1/reports/aging' },
];
const LIST = '/api/v1/customers?limit=1';
const CONNECTIONS = 50;

export async function benchReportsUnderLoad(engine: Engine, deps: Deps, tenantId: string, seconds: number): Promise<Result[]> {
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false, logger: { level: 'info', redact: LOG_REDACT, file: '/dev/null' } });
  const secret = (await createApiKey(deps, { actor: { type: 'system', label: 'bench' }, tenantId, role: 'owner', ip: '' }, { name: 'bench-p6', role: 'credit_manager' })).secret;
  const headers = { authorization: `Bearer ${secret}` };
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const customerId = (await (await fetch(`${base}${LIST}`, { headers })).json()).items[0].id as string;
  const results: Result[] = [];
  try {
    for (const report of REPORTS) {
      for (const writes of [false, true]) {
        const label = `P6 ${report.name} ×${CONNECTIONS}${writes ? ' + 1 write/s' : ''}`;
        const probe = startProbe(`${base}${LIST}`, headers);
        const writer = writes ? startWriter(`${base}/api/v1/documents`, headers, customerId) : undefined;
        const r = await autocannon({ url: `${base}${report.path}`, connections: CONNECTIONS, duration: seconds, headers, workers: 1, timeout: 10 });
        const during = await probe.stop();
        const written = writer ? await writer.stop() : 0;
        // "5 s after the load stopped": is the server still busy with work nobody waits for?
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        const after = await timedGet(`${base}${LIST}`, headers);
        const note = `${Math.round(r.requests.average)} req/s, ${r.timeouts} timeouts, ${r.non2xx} non-2xx, ${r.errors} errors; list during: p50 ${round(percentile(during, 50))} / max ${round(Math.max(...during))} ms (${during.length}); 5 s after: ${round(after)} ms${writes ? `; ${written} writes` : ''}; load ${loadavg()[0].toFixed(1)}`;
        results.push(
          { scenario: `${label} p99`, engine, metric: 'p99', value: r.latency.p99, unit: 'ms', baseline: null, ratio: null, goal: '≤ 1,000 ms, 0 timeouts', note },
          { scenario: `${label} timeouts`, engine, metric: 'timeouts', value: r.timeouts, unit: '', baseline: null, ratio: null, goal: '0' },
          { scenario: `${label}: one-row list p99`, engine, metric: 'p99', value: round(percentile(during, 99)), unit: 'ms', baseline: null, ratio: null, goal: '≤ 100 ms' },
        );
        process.stderr.write(`  ${label}: p99 ${r.latency.p99} ms, ${note}\n`);
      }
    }
  } finally {
    await app.close();
  }
  return results;
}

async function timedGet(url: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** One request at a time, at most every 100 ms, until stopped; the latencies. */
function startProbe(url: string, headers: Record<string, string>) {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = await timedGet(url, headers);
      times.push(t);
      if (t < 100) await new Promise((resolve) => setTimeout(resolve, 100 - t));
    }
  })();
  return { stop: async () => ((running = false), await loop, times) };
}

/** A payment of 1.00 posted through the API every second: a ledger write like any user's. */
function startWriter(url: string, headers: Record<string, string>, customerId: string) {
  let count = 0;
  const timer = setInterval(() => {
    const body = { customerId, type: 'payment', issuedOn: '2026-11-20', currency: 'EUR', amountMinor: 100 };
    void fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => {
      await res.arrayBuffer();
      if (res.status === 201) count++;
      else process.stderr.write(`  writer: ${res.status}\n`);
    }, (err) => process.stderr.write(`  writer: ${String(err)}\n`));
  }, 1_000);
  return { stop: async () => (clearInterval(timer), await new Promise((resolve) => setTimeout(resolve, 200)), count) };
}

const round = (x: number) => Math.round(x * 10) / 10;
