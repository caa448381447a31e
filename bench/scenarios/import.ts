import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import pg from 'pg';
import type { Engine } from '../../server/db/database';
import type { Deps } from '../../server/deps';
import { createCompanyWithOwner } from '../../server/modules/companies/companies.service';
import { queueImport, runImportJob } from '../../server/modules/imports/imports.service';
import { benchDeps, measure, type Result } from '../env';

const PASSWORD = 'benchmark password 2026';

/** A company to import into; its owner's password hash (argon2, ~0.2 s) is not part of any import's time. */
export async function benchCompany(deps: Deps) {
  const { company } = await createCompanyWithOwner(deps.db, deps.clock, { name: 'Bench Co', timeZone: 'Europe/Paris', defaultLanguage: 'en', baseCurrency: 'EUR', owner: { email: `bench-${Date.now()}-${Math.random()}@example.test`, password: PASSWORD } });
  return company.id;
}

/** The real import path: upload record, parse, validate, upsert, allocations, balances, one audit entry. */
export async function importThroughApp(deps: Deps, file: string, fileName: string, tenantId?: string) {
  const id = tenantId ?? (await benchCompany(deps));
  const ctx = { actor: { type: 'system' as const, label: 'bench' }, tenantId: id, role: 'owner' as const, ip: '' };
  const job = await queueImport(deps, ctx, { fileName, filePath: file, fileSha256: null, fileBytes: null }, { mode: 'delta', source: 'erp', dryRun: false, skipInvalid: false }, 'en');
  const summary = await runImportJob(deps, id, job.id);
  if (!summary.isWritten) throw new Error(`bench import failed: ${JSON.stringify(summary.fileError ?? summary.errors.slice(0, 3))}`);
  return { tenantId: id, summary };
}

const COLS = ['id', 'tenant_id', 'customer_id', 'source', 'type', 'number', 'identity_key', 'issued_on', 'due_on', 'is_due_on_derived', 'currency', 'amount_minor', 'open_minor', 'status', 'created_at', 'updated_at'];

/** Feeds a baseline its rows as CSV-like text cells; `drain` (when given) must be awaited between chunks. */
type Feed = (onRow: (r: string[]) => void, drain?: () => Promise<void>) => Promise<void>;

/**
 * The raw baseline: a parser streaming the same file straight into a prepared INSERT into the same indexed documents
 * table (a fresh database of the same engine and schema), with no validation, no customers, no allocations.
 */
async function rawInsertBaseline(engine: Engine, feed: Feed): Promise<number> {
  const env = await benchDeps(engine);
  try {
    const { company } = await createCompanyWithOwner(env.db, env.clock, { name: 'Raw', timeZone: 'UTC', defaultLanguage: 'en', baseCurrency: 'EUR', owner: { email: 'raw@example.test', password: PASSWORD } });
    const customerId = crypto.randomUUID();
    await env.db.insertInto('customers').values({ id: customerId, tenant_id: company.id, code: 'RAW', name: 'raw', legal_id: null, vat_id: null, debtor_type: 'business', address_line1: null, address_line2: null, postal_code: null, city: null, country: null, language: null, currency: null, payment_terms_days: null, payment_terms_end_of_month: 0, credit_limit_minor: null, collector_user_id: null, segment: null, tags_json: '[]', parent_customer_id: null, custom_fields_json: '{}', status: 'active', created_at: '', updated_at: '' }).execute();
    const now = new Date().toISOString();
    // The row the import would write: its amount open (a zero open amount would skip the partial indexes of open
    // items, which the real import cannot skip).
    const toValues = (r: string[]) => {
      const amount = Math.round(Number(r[7]) * 100);
      return [crypto.randomUUID(), company.id, customerId, 'erp', r[2], r[3], `erp|${r[2]}|${r[3]}`, r[4], r[5] || null, 0, r[6], amount, amount, 'open', now, now];
    };
    const t0 = performance.now();
    let rows = 0;
    if (engine === 'sqlite') {
      const raw = new SQLite(join(env.dataDir, 'dso.sqlite'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      // The app's connection settings (server/db/database.ts), so that the ratio compares work, not configuration.
      raw.pragma('foreign_keys = ON');
      raw.pragma('cache_size = -65536');
      const insert = raw.prepare(`insert into documents (${COLS.join(',')}) values (${COLS.map(() => '?').join(',')})`);
      raw.exec('begin');
      await feed((r) => {
        insert.run(toValues(r));
        rows++;
      });
      raw.exec('commit');
      raw.close();
    } else {
      const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL, options: `-c search_path=${env.schema}` });
      await client.connect();
      await client.query('begin');
      const batch: unknown[][] = [];
      const flush = async () => {
        if (!batch.length) return;
        const params = batch.flat();
        const tuples = batch.map((_, i) => `(${COLS.map((__, j) => `$${i * COLS.length + j + 1}`).join(',')})`).join(',');
        await client.query({ name: batch.length === 1000 ? 'ins1000' : undefined, text: `insert into documents (${COLS.join(',')}) values ${tuples}`, values: params });
        batch.length = 0;
      };
      const pending: string[][] = [];
      await feed((r) => {
        pending.push(r);
      }, async () => {
        for (const r of pending.splice(0)) {
          batch.push(toValues(r));
          rows++;
          if (batch.length === 1000) await flush();
        }
      });
      await flush();
      await client.query('commit');
      await client.end();
    }
    return (rows / (performance.now() - t0)) * 1000;
  } finally {
    await env.close();
  }
}

/** Streams CSV rows through papaparse; `drain` (when given) runs between chunks so async sinks keep memory flat. */
function parse(file: string, onRow: (r: string[]) => void, drain?: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let header = true;
    const stream = createReadStream(file);
    Papa.parse<string[]>(stream as unknown as File, {
      chunk: (res, parser) => {
        for (const r of res.data) {
          if (header) {
            header = false;
            continue;
          }
          if (r.length > 1) onRow(r);
        }
        if (drain) {
          parser.pause();
          drain().then(() => parser.resume(), reject);
        }
      },
      complete: () => (drain ? drain().then(resolve, reject) : resolve()),
      error: reject,
    });
  });
}

/** exceljs streaming the workbook's rows as text cells (dates as YYYY-MM-DD), `drain` every 1,000 rows. */
function xlsxFeed(file: string): Feed {
  return async (onRow, drain) => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', styles: 'cache', hyperlinks: 'ignore' });
    let header = true;
    let n = 0;
    for await (const ws of reader) {
      for await (const row of ws) {
        if (header) {
          header = false;
          continue;
        }
        const cells = (row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? '' : String(v)));
        onRow(cells);
        if (drain && ++n % 1000 === 0) await drain();
      }
    }
    if (drain) await drain();
  };
}

/** exceljs's raw streaming read of the same workbook: the floor for any XLSX import. */
async function rawXlsxBaseline(file: string): Promise<number> {
  const t0 = performance.now();
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const ws of reader) for await (const _row of ws) rows++;
  return ((rows - 1) / (performance.now() - t0)) * 1000;
}

export async function benchImport(engine: Engine, deps: Deps, csv: { file: string; rows: number }, xlsx: { file: string; rows: number }) {
  const results: Result[] = [];
  const csvTenant = await benchCompany(deps);
  const real = await measure(() => importThroughApp(deps, csv.file, 'ledger.csv', csvTenant));
  const ours = (csv.rows / real.ms) * 1000;
  const base = await rawInsertBaseline(engine, (onRow, drain) => parse(csv.file, onRow, drain));
  results.push({ scenario: `P1 import CSV ${csv.rows.toLocaleString('en')} rows`, engine, metric: 'rows/s', value: Math.round(ours), unit: 'rows/s', baseline: Math.round(base), ratio: ours / base, goal: '≥ 0.5×', note: `${(real.ms / 1000).toFixed(1)} s` });
  results.push({ scenario: 'P1 import CSV peak memory', engine, metric: 'peak RSS', value: real.peakRssMb, unit: 'MB', baseline: null, ratio: null, goal: '< 500 MB' });

  const env = await benchDeps(engine);
  const xlsxTenant = await benchCompany(env);
  const x = await measure(() => importThroughApp(env, xlsx.file, 'ledger.xlsx', xlsxTenant)).finally(() => env.close());
  const xOurs = (xlsx.rows / x.ms) * 1000;
  const xBase = await rawXlsxBaseline(xlsx.file);
  results.push({ scenario: `P1 import XLSX ${xlsx.rows.toLocaleString('en')} rows`, engine, metric: 'rows/s', value: Math.round(xOurs), unit: 'rows/s', baseline: Math.round(xBase), ratio: xOurs / xBase, goal: '≥ 0.5×', note: `peak ${x.peakRssMb} MB; baseline reads only` });
  // Like for like with the CSV scenario: the same read, then the same prepared INSERT of every row.
  const xWrite = await rawInsertBaseline(engine, xlsxFeed(xlsx.file));
  results.push({ scenario: `P1 import XLSX vs read + INSERT`, engine, metric: 'rows/s', value: Math.round(xOurs), unit: 'rows/s', baseline: Math.round(xWrite), ratio: xOurs / xWrite, goal: '(as CSV)', note: 'baseline writes each row, as the CSV one' });
  return { results, tenantId: real.value.tenantId };
}
