import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../server/db/database';
import { benchDeps, type Result } from './env';
import { writeCsv, writeXlsx } from './generate';
import { benchCustomerListApi, benchDashboard, benchListApi, benchReadsDuringImport } from './scenarios/api';
import { benchImport, importThroughApp } from './scenarios/import';
import { benchReportsUnderLoad } from './scenarios/reports-load';

/**
 * `npm run bench [-- --quick]`: each scenario prints its figure and its ratio against a raw baseline run in the same
 * process on the same data. Scenarios are functions of (engine, deps, data); add new ones (the daily dunning run,
 * several app processes) to SCENARIOS without touching the rest.
 */
const quick = process.argv.includes('--quick');
const size = quick ? { customers: 2_000, documents: 100_000, xlsx: 10_000, runs: 50, seconds: 5 } : { customers: 20_000, documents: 1_000_000, xlsx: 100_000, runs: 50, seconds: 10 };
const engineArg = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length) as Engine | undefined;
const outArg = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const engines: Engine[] = engineArg ? [engineArg] : process.env.BENCH_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
// BENCH_ONLY=P3,P4 runs only those scenarios (the ledger is still imported, without timing it).
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim().toUpperCase());
const selected = (id: string) => !only || only.includes(id);

async function main() {
  if (engines.length > 1) {
    // Each engine in a process of its own, as a server would run: peak memory then measures that engine's import,
    // not what the previous engine's run left in the heap and the allocator.
    const results: Result[] = [];
    for (const engine of engines) results.push(...(await runChild(engine)));
    return report(results);
  }
  const dir = join(tmpdir(), 'dso-bench-files');
  mkdirSync(dir, { recursive: true });
  const csvFile = join(dir, `ledger-${size.documents}.csv`);
  const xlsxFile = join(dir, `ledger-${size.xlsx}.xlsx`);
  log(`generating ${size.documents.toLocaleString('en')} documents for ${size.customers.toLocaleString('en')} customers…`);
  const csvRows = await writeCsv(csvFile, { customers: size.customers, documents: size.documents });
  const xlsxRows = await writeXlsx(xlsxFile, { customers: Math.min(size.customers, 5_000), documents: size.xlsx, seed: 7 });
  // P5's concurrent import: another company's file of 100,000 rows (10,000 with --quick).
  const sideFile = join(dir, `side-${size.xlsx}.csv`);
  if (selected('P5')) await writeCsv(sideFile, { customers: Math.min(size.customers, 5_000), documents: size.xlsx });
  const results: Result[] = [];
  for (const engine of engines) {
    log(`[${engine}] ${selected('P1') ? 'P1 import…' : 'importing the ledger (not timed)…'}`);
    const deps = await benchDeps(engine);
    try {
      const p1 = selected('P1') ? await benchImport(engine, deps, { file: csvFile, rows: csvRows }, { file: xlsxFile, rows: xlsxRows }) : { results: [], tenantId: (await importThroughApp(deps, csvFile, 'ledger.csv')).tenantId };
      results.push(...p1.results);
      if (selected('P2')) {
        log(`[${engine}] P2 dashboard…`);
        results.push(...(await benchDashboard(engine, deps, p1.tenantId, size.runs)));
      }
      if (selected('P3')) {
        log(`[${engine}] P3 invoice list API…`);
        results.push(...(await benchListApi(engine, deps, p1.tenantId, size.seconds)));
      }
      if (selected('P4')) {
        log(`[${engine}] P4 customer list API (${size.customers.toLocaleString('en')} customers)…`);
        results.push(...(await benchCustomerListApi(engine, deps, p1.tenantId, size.seconds)));
      }
      if (selected('P6')) {
        log(`[${engine}] P6 reports under 50 connections…`);
        results.push(...(await benchReportsUnderLoad(engine, deps, p1.tenantId, size.seconds)));
      }
      if (selected('P5')) {
        log(`[${engine}] P5 list API during another company's import…`);
        results.push(...(await benchReadsDuringImport(engine, deps, p1.tenantId, () => importThroughApp(deps, sideFile, 'side.csv'))));
      }
    } finally {
      await deps.close();
    }
  }
  if (outArg) return writeFileSync(outArg, JSON.stringify(results));
  report(results);
}

function report(results: Result[]) {
  print(results);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100) };
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ quick, size, machine, results }, null, 2));
  log(`results written to ${file}`);
}

function print(results: Result[]) {
  const rows = results.map((r) => [r.scenario, r.engine, `${r.value.toLocaleString('en')} ${r.unit}`, r.baseline === null ? '' : `${r.baseline.toLocaleString('en')} ${r.unit}`, r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`, r.goal, r.note ?? '']);
  const head = ['scenario', 'engine', 'figure', 'baseline', 'ratio', 'goal', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** `bench/run.ts … --engine=<engine> --out=<file>` in a child process; its results. */
async function runChild(engine: Engine): Promise<Result[]> {
  const out = join(tmpdir(), `dso-bench-${process.pid}-${engine}.json`);
  const args = [...process.execArgv, process.argv[1], ...process.argv.slice(2), `--engine=${engine}`, `--out=${out}`];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ${engine} benchmark exited with ${code}`);
  const results = JSON.parse(readFileSync(out, 'utf8')) as Result[];
  rmSync(out, { force: true });
  return results;
}

const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
