import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { UnsafeAmountError } from '../domain/money';
import type { DB } from './schema';
import { SqliteRoutedDialect } from './sqlite-driver';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;

// PostgreSQL returns BIGINT (money sums, COUNT) as strings; every amount we store is a safe integer of minor units,
// so parse int8 to number once here instead of at each call site.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  // A clear error for the request that read it (AMOUNT_OUT_OF_RANGE), never a silently rounded amount. pg rejects
  // the query with it; writes are bounded so that no stored amount or company total gets here (amount-bounds.ts).
  if (!Number.isSafeInteger(n)) throw new UnsafeAmountError(`integer out of safe range: ${v}`);
  return n;
});
// NUMERIC (AVG, exact division) comes back as a string too; reports round it themselves.
pg.types.setTypeParser(1700, (v: string) => Number(v));

/**
 * DSO_SLOW_QUERY_MS=<n> prints queries slower than n ms on stderr (diagnostics: plans are checked against these).
 * Read here rather than in config.ts because the CLI and the benchmarks open databases without a full config.
 */
const slowMs = Number(process.env.DSO_SLOW_QUERY_MS ?? 0);
const slowLog = slowMs > 0
  ? (event: LogEvent) => {
      if (event.queryDurationMillis >= slowMs) process.stderr.write(`slow query ${event.queryDurationMillis.toFixed(1)} ms: ${event.query.sql.replace(/\s+/g, ' ').slice(0, 300)}\n`);
    }
  : undefined;

export type DatabaseHandle = { db: Db; engine: Engine; close: () => Promise<void> };

export type OpenOptions = { databaseUrl?: string; dataDir: string; sqliteFile?: string; pgSchema?: string; poolMax?: number };

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax ?? 10,
      // Tests isolate themselves in a schema of their own; production uses the default search_path.
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: slowLog });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = opts.sqliteFile ?? join(opts.dataDir, 'dso.sqlite');
  const sqlite = new SQLite(file);
  // WAL lets the CLI read and write while the server runs, and the reader connection below read while the writer
  // writes; busy_timeout makes the second writer wait, not fail.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // 64 MiB of page cache instead of SQLite's 2 MiB default: a million documents carry a dozen indexes, and inserts
  // land at random places in them (measured: the import's document inserts ran several times slower with 2 MiB).
  sqlite.pragma('cache_size = -65536');
  // Statistics refreshed where stale (SQLite's own advice at open). No memory-mapped I/O: it took the dashboard's p95
  // on a million documents from 65 to 51 ms before the reports read maintained totals (now ~25 ms without it), but
  // every page it touches counts in the process's memory — a million-row import went past 700 MB with it
  // (docs/performance.md).
  sqlite.pragma('optimize = 0x10002');
  // Reads outside transactions (server/db/sqlite-driver.ts). It sees statistics an import's ANALYZE writes: SQLite
  // reloads them on the next statement (the schema cookie changes). An in-memory database has no second connection.
  let reader: SQLite.Database | undefined;
  if (file !== ':memory:') {
    reader = new SQLite(file, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 5000');
    reader.pragma('cache_size = -65536');
  }
  const db = new Kysely<DB>({ dialect: new SqliteRoutedDialect({ writer: withStatementCache(sqlite), reader: reader && withStatementCache(reader) }), log: slowLog });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares every statement anew; parsing and planning a list query costs as much as running
 * it on a 50-row page (measured: 60–100 µs of ~1 ms per list request). Prepared statements are kept per SQL text
 * (Kysely binds every value as a parameter, so the texts repeat), least recently used out first. SQLite re-prepares a
 * kept statement by itself after a schema change or ANALYZE. A statement still iterating is never handed out twice.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 300): Pick<SQLite.Database, 'prepare' | 'close'> {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sqlText: string) {
      const hit = cache.get(sqlText);
      if (hit && !hit.busy) {
        cache.delete(sqlText);
        cache.set(sqlText, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sqlText);
      if (!hit) {
        cache.set(sqlText, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
    close() {
      cache.clear();
      return sqlite.close();
    },
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}
