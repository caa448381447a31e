import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from './database';

/**
 * The few SQL expressions that cannot be written the same way on SQLite and PostgreSQL. Dates are 'YYYY-MM-DD'
 * text on both engines (design.md), so comparisons and substr() are portable; only date arithmetic differs.
 * Services never branch on the engine: repositories call these with `deps.engine`.
 */

/** Whole days from `earlier` to `later` (later − earlier), both 'YYYY-MM-DD' text expressions. */
export function daysBetween(engine: Engine, later: Expression<string | null>, earlier: Expression<string | null>): RawBuilder<number> {
  return engine === 'postgres'
    ? sql<number>`(cast(${later} as date) - cast(${earlier} as date))`
    : sql<number>`cast(julianday(${later}) - julianday(${earlier}) as integer)`;
}

/**
 * Refreshes the planner's statistics of the tables after bulk writes (`written`: rows written per table, about).
 * Without them SQLite guesses that `tenant_id = ?` selects a few rows and may walk a whole company through a
 * (tenant_id, …) index instead of looking ids up by primary key — measured: 150 ms instead of 2 ms per 500-id update
 * on 10,000 documents. SQLite's ANALYZE reads the whole table (sampling with analysis_limit kept the bad plans,
 * docs/performance.md) and blocks the process meanwhile (1.9 s on a million documents), so it runs only where the
 * import wrote at least half as many rows as the last statistics counted: the bad plans came from statistics far
 * off (none, or a table a hundred times smaller), and within a factor of 1.5 the same plans hold. PostgreSQL's
 * ANALYZE samples by itself, on the server.
 */
export async function refreshStatistics(db: Kysely<any>, engine: Engine, written: Record<string, number>): Promise<void> {
  const tables = Object.keys(written);
  if (engine === 'sqlite') {
    await sql`pragma analysis_limit = 0`.execute(db);
    for (const t of tables) {
      const rowsWritten = written[t];
      // Each index's row starts with its entry count; a partial index counts only its own rows: the largest is the table's.
      const stats = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = ${t}`.execute(db).catch(() => ({ rows: [] as { stat: string }[] }));
      const counted = Math.max(0, ...stats.rows.map((r) => Number(r.stat.split(' ')[0]) || 0));
      if (counted > 0 && rowsWritten * 2 < counted) continue;
      await sql`analyze ${sql.table(t)}`.execute(db);
    }
  } else {
    for (const t of tables) await sql`analyze ${sql.table(t)}`.execute(db);
  }
}

/**
 * PostgreSQL, after an import's transaction (VACUUM cannot run inside one), measured on a 1,000,000-row import:
 * - The trigger-kept totals (migrations 023 and 026) are small tables whose rows every batch of the import rewrites:
 *   2,190 live rows of day totals left 83 MB of dead versions, which the dashboard's scans read until autovacuum came
 *   by, and which a plain VACUUM frees for reuse but does not give back. After a large import they are rewritten
 *   (VACUUM FULL: 0.15 s, a lock on those two small tables meanwhile); after a small one, vacuumed.
 * - Ledger tables the import wrote a tenth of (or more) are vacuumed at once (1.3 s for a million documents): until
 *   then index-only scans fetch every row from the table to check its visibility (the top late customers' page took
 *   8 ms instead of 4).
 * The dashboard after that import: p50 16.5 → 10 ms. SQLite updates those rows in place and has no visibility map.
 */
export async function maintainAfterBulkWrite(db: Kysely<any>, engine: Engine, written: Record<string, number>): Promise<void> {
  if (engine !== 'postgres') return;
  // On one connection with a lock timeout: VACUUM FULL needs the tables to itself, and while it waits every reader
  // queues behind it; a VACUUM waits for another import's ANALYZE (held until that import commits). Maintenance that
  // cannot start within a second is skipped (FULL falls back to a plain VACUUM, which blocks nobody): autovacuum will
  // come by.
  await db.connection().execute(async (c) => {
    const attempt = (q: RawBuilder<unknown>) => q.execute(c).then(() => true, () => false);
    await sql`set lock_timeout = '1s'`.execute(c);
    try {
      const totals = sql`document_day_flows, document_open_sums`;
      const rewritten = (written.documents ?? 0) >= 10_000 && (await attempt(sql`vacuum (full, analyze) ${totals}`));
      if (!rewritten) await attempt(sql`vacuum (analyze) ${totals}`);
      for (const [table, rows] of Object.entries(written)) {
        const size = await sql<{ n: number }>`select reltuples::bigint as n from pg_class where oid = to_regclass(${table})`.execute(c);
        const counted = Number(size.rows[0]?.n ?? 0);
        // Statistics were refreshed inside the import (refreshStatistics): only the visibility map is missing.
        if (rows > 0 && rows * 10 >= counted) await attempt(sql`vacuum ${sql.table(table)}`);
      }
    } finally {
      await sql`reset lock_timeout`.execute(c);
    }
  });
}
