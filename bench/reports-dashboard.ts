/**
 * Dashboard benchmark (docs/performance.md "Reports"): 20,000 customers and about 1,000,000 documents, then the
 * dashboard's three reports — aging, DSO (countback, 3 months) and the 20 latest customers — timed together.
 *
 *   npx tsx bench/reports-dashboard.ts                       # SQLite in a temporary directory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/reports-dashboard.ts
 *   BENCH_CUSTOMERS=2000 …                                   # smaller run
 *   BENCH_ANALYZE=false …                                    # SQLite without ANALYZE statistics
 *   BENCH_KEEP=/path/dir …                                   # keep (and reuse) the SQLite file
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../server/db/migrate';
import * as m011 from '../server/db/migrations/2026-11-26-011-reports-open-indexes';
import * as m012 from '../server/db/migrations/2026-11-26-012-reports-robust-indexes';
import type { DB } from '../server/db/schema';
import type { Deps } from '../server/deps';
import { addDays } from '../server/domain/calendar';
import { getCollectors, getForecast, getPayerProfiles } from '../server/modules/reports/reports.collections.service';
import { getAging, getAgingItems, getDashboard, getDso, getDsoTrend, getTopLateCustomers } from '../server/modules/reports/reports.service';
import { mulberry32 } from '../server/modules/demo/prng';
import { refreshCustomerBalances } from '../server/modules/documents/balances.repository';
import '../server/db/database'; // registers the pg BIGINT/NUMERIC parsers

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TODAY = '2026-01-15';
const START = '2023-01-01';
const HISTORY_DAYS = 1110;

type Row = Record<string, unknown>;

/** Customers with a payment habit each; invoices over 3 years, most paid at due date + habit, recent ones open. */
function* generate(tenantId: string, customers: number) {
  const r = mulberry32(42);
  const int = (min: number, max: number) => min + Math.floor(r() * (max - min + 1));
  const now = new Date().toISOString();
  let n = 0;
  for (let c = 0; c < customers; c++) {
    const customerId = randomUUID();
    const currency = r() < 0.8 ? 'EUR' : 'USD';
    const terms = [30, 45, 60][int(0, 2)];
    const habit = int(-5, 40);
    const customer: Row = {
      id: customerId, tenant_id: tenantId, code: `C${c}`, name: `Customer ${c}`, debtor_type: 'business', currency, payment_terms_days: terms,
      payment_terms_end_of_month: 0, collector_user_id: `collector-${c % 12}`, segment: ['Key accounts', 'SMB', 'Public sector', 'Export'][c % 4],
      tags_json: '[]', custom_fields_json: '{}', status: 'active', created_at: now, updated_at: now,
    };
    const documents: Row[] = [];
    const allocations: Row[] = [];
    const doc = (type: string, issuedOn: string, dueOn: string | null, amount: number, open: number): Row => ({
      id: randomUUID(), tenant_id: tenantId, customer_id: customerId, source: 'bench', type, number: `${type}-${++n}`, identity_key: `bench|${type}|${n}`,
      issued_on: issuedOn, due_on: dueOn, is_due_on_derived: 0, currency, amount_minor: amount, open_minor: open, status: 'open', created_at: now, updated_at: now,
    });
    const invoices = int(18, 34);
    for (let i = 0; i < invoices; i++) {
      const issuedOn = addDays(START, int(0, HISTORY_DAYS - 1));
      const dueOn = addDays(issuedOn, terms);
      const amount = int(100, 50_000) * 100;
      const inv = doc('invoice', issuedOn, dueOn, amount, amount);
      documents.push(inv);
      const paidOn = addDays(dueOn, habit + int(-5, 5));
      if (r() < 0.03) {
        const credit = Math.round(amount / 10);
        const cnOn = addDays(issuedOn, 5) < TODAY ? addDays(issuedOn, 5) : issuedOn;
        const cn = doc('credit_note', cnOn, null, -credit, 0);
        documents.push(cn);
        allocations.push({ id: randomUUID(), tenant_id: tenantId, from_document_id: cn.id, to_document_id: inv.id, amount_minor: credit, allocated_on: cnOn, created_at: now });
        (inv.open_minor as number) -= credit;
      }
      if (paidOn <= TODAY) {
        const paid = r() < 0.05 ? Math.round((inv.open_minor as number) / 2) : (inv.open_minor as number);
        const pay = doc('payment', paidOn, null, -paid, 0);
        documents.push(pay);
        allocations.push({ id: randomUUID(), tenant_id: tenantId, from_document_id: pay.id, to_document_id: inv.id, amount_minor: paid, allocated_on: paidOn, created_at: now });
        (inv.open_minor as number) -= paid;
      }
    }
    if (r() < 0.02) {
      const amount = int(100, 5000) * 100;
      documents.push(doc('payment', addDays(TODAY, -int(1, 30)), null, -amount, -amount));
    }
    yield { customer, documents, allocations };
  }
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  const captured: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
  const log = (e: LogEvent) => {
    if (e.level === 'query') captured.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
  };
  let db: Kysely<DB>;
  let sqlite: SQLite.Database | undefined;
  let dir: string | undefined;
  let fresh = true;
  const schema = `bench_reports`;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const exists = (await admin.query(`select 1 from information_schema.schemata where schema_name = $1`, [schema])).rowCount;
    if (exists && process.env.BENCH_REUSE === 'true') fresh = false;
    else {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.query(`create schema ${schema}`);
    }
    await admin.end();
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` }) }), log });
  } else {
    dir = process.env.BENCH_KEEP ?? mkdtempSync(join(tmpdir(), 'dso-bench-'));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'bench.sqlite');
    fresh = !existsSync(file);
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // BENCH_PRAGMAS=true: a 64 MiB page cache and 1 GiB of memory-mapped I/O (SQLite's defaults: 2 MiB, none).
    // BENCH_PRAGMAS=cache: the page cache only.
    if (process.env.BENCH_PRAGMAS === 'true' || process.env.BENCH_PRAGMAS === 'cache') sqlite.pragma('cache_size = -65536');
    if (process.env.BENCH_PRAGMAS === 'true') sqlite.pragma('mmap_size = 1073741824');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log });
  }
  const engine = url ? 'postgres' : 'sqlite';
  let tenantId: string;
  if (fresh) {
    await migrateToLatest(db as any, url ? schema : undefined);
    tenantId = randomUUID();
    const at = new Date().toISOString();
    for (const [id, name] of [[tenantId, 'Bench'], [randomUUID(), 'Noise']]) {
      await db.insertInto('tenants').values({ id, slug: `bench-${id}`, name, time_zone: 'Europe/Paris', default_language: 'en', base_currency: 'EUR', payment_terms_days: 30, created_at: at, updated_at: at } as any).execute();
    }
    const started = Date.now();
    let docs = 0;
    let batch: { customers: Row[]; documents: Row[]; allocations: Row[] } = { customers: [], documents: [], allocations: [] };
    const flush = async () => {
      await db.transaction().execute(async (trx) => {
        for (const [table, rows] of [['customers', batch.customers], ['documents', batch.documents], ['allocations', batch.allocations]] as const) {
          for (let i = 0; i < rows.length; i += 500) await trx.insertInto(table).values(rows.slice(i, i + 500) as any).execute();
        }
      });
      batch = { customers: [], documents: [], allocations: [] };
    };
    for (const g of generate(tenantId, CUSTOMERS)) {
      batch.customers.push(g.customer);
      batch.documents.push(...g.documents);
      batch.allocations.push(...g.allocations);
      docs += g.documents.length;
      if (batch.documents.length > 20_000) await flush();
    }
    await flush();
    // The ledger keeps customer_balances in step with every write; rows written here directly need it built once.
    await refreshCustomerBalances(db, tenantId);
    process.stderr.write(`generated ${CUSTOMERS} customers, ${docs} documents in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    if (engine === 'sqlite' && process.env.BENCH_ANALYZE !== 'false') sqlite!.exec('ANALYZE');
    if (engine === 'postgres') await sql`vacuum analyze`.execute(db);
  } else {
    tenantId = (await db.selectFrom('tenants').select('id').where('name', '=', 'Bench').executeTakeFirstOrThrow()).id;
    // A kept database may predate later reports indexes; other migrations are left as they were.
    const indexes = await db.introspection.getTables();
    if (!indexes.length) throw new Error('empty database');
    for (const [name, m] of [['011', m011], ['012', m012]] as const) {
      try {
        await m.up(db as any);
        process.stderr.write(`applied reports migration ${name}\n`);
      } catch {
        /* already there */
      }
    }
    if (engine === 'sqlite' && process.env.BENCH_ANALYZE === 'true') sqlite!.exec('ANALYZE');
    if (engine === 'sqlite' && process.env.BENCH_ANALYZE === 'drop') sqlite!.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;');
  }
  const counts = await db.selectFrom('documents').select((eb) => [eb.fn.countAll<number>().as('n')]).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  const open = await db.selectFrom('documents').select((eb) => [eb.fn.countAll<number>().as('n')]).where('tenant_id', '=', tenantId).where(sql<boolean>`open_minor <> 0`).executeTakeFirstOrThrow();
  process.stderr.write(`${engine}: ${counts.n} documents, ${open.n} open\n`);

  const deps = { db, engine, clock: { now: () => new Date(`${TODAY}T10:00:00Z`) } } as unknown as Deps;
  const filters = process.env.BENCH_FILTER === 'segment' ? { segment: 'SMB' } : {};
  // What the web dashboard asks: one request. BENCH_MODE=separate times the three reports' own endpoints instead.
  const separate = process.env.BENCH_MODE === 'separate';
  const dashboard = () =>
    separate
      ? Promise.all([
          getAging(deps, tenantId, { ...filters }),
          getDso(deps, tenantId, { months: 3, method: 'countback', ...filters }),
          getTopLateCustomers(deps, tenantId, { limit: 20, ...filters }),
        ])
      : getDashboard(deps, tenantId, { months: 3, method: 'countback', limit: 20, ...filters }).then((d) => [d.aging, d.dso, d.topLateCustomers] as const);
  const first = await dashboard();
  process.stderr.write(`aging EUR total ${first[0].rows.find((r) => r.currency === 'EUR')?.totalMinor}, DSO ${first[1].dso}, top late ${first[2].items.length}\n`);
  const timings: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (let i = 0; i < RUNS; i++) {
    captured.length = 0;
    const t0 = performance.now();
    await dashboard();
    timings.push(performance.now() - t0);
    for (const q of captured) {
      const key = q.sql.replace(/\s+/g, ' ').slice(0, 90);
      perQuery.set(key, [...(perQuery.get(key) ?? []), q.ms]);
    }
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
  console.log(`\n${engine}${filters.segment ? ' (segment filter)' : ''}${separate ? ' (three separate reports)' : ''}: dashboard (aging + DSO + top 20) over ${RUNS} runs: min ${Math.min(...timings).toFixed(1)} ms, p50 ${pct(timings, 50).toFixed(1)} ms, p95 ${pct(timings, 95).toFixed(1)} ms`);
  for (const [key, ms] of perQuery) console.log(`  min ${Math.min(...ms).toFixed(1).padStart(6)} ms, p50 ${pct(ms, 50).toFixed(1).padStart(6)} ms, p95 ${pct(ms, 95).toFixed(1).padStart(6)} ms  ${key}`);

  // BENCH_OTHERS=true: the other reports, outside the dashboard budget (median of 5).
  if (process.env.BENCH_OTHERS === 'true') {
    const others: [string, () => Promise<unknown>][] = [
      ['aging as of 30 days ago (corrections)', () => getAging(deps, tenantId, { asOf: addDays(TODAY, -30) })],
      ['aging as of a year ago (corrections)', () => getAging(deps, tenantId, { asOf: addDays(TODAY, -365) })],
      ['DSO trend, 12 month ends', () => getDsoTrend(deps, tenantId, { months: 12, periodMonths: 3, method: 'countback' })],
      ['forecast, 13 weeks', () => getForecast(deps, tenantId, {})],
      ['collectors', () => getCollectors(deps, tenantId, {})],
      ['payer profiles (all customers)', () => getPayerProfiles(deps, tenantId, { limit: 50 })],
      ['aging items, over 90 days, first page', () => getAgingItems(deps, tenantId, { bucket: 'over90', limit: 50 })],
    ];
    for (const [label, run] of others) {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await run();
        ms.push(performance.now() - t0);
      }
      console.log(`  ${label.padEnd(40)} median ${pct(ms, 50).toFixed(0)} ms`);
    }
  }

  // Query plans of the last run.
  captured.length = 0;
  await dashboard();
  for (const q of captured.filter((x) => x.ms > 0.5)) {
    console.log(`\n--- ${q.ms.toFixed(1)} ms: ${q.sql.replace(/\s+/g, ' ').slice(0, 160)}…`);
    if (engine === 'sqlite') {
      for (const row of sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as any[])) as any[]) console.log(`  ${row.detail}`);
    } else {
      const plan = await sql.raw(`explain (analyze, costs off, timing off, summary off) ${q.sql.replace(/\$(\d+)/g, (_, i) => pgLiteral(q.parameters[Number(i) - 1]))}`).execute(db);
      for (const row of plan.rows as any[]) console.log(`  ${row['QUERY PLAN']}`);
    }
  }
  await db.destroy();
  if (dir && !process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}

function pgLiteral(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

await main();
