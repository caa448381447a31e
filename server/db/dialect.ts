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
 * Refreshes the planner's statistics of the tables after bulk writes (`written`: rows written per table, about). Without them SQLite guesses that
 * `tenant_id = ?` selects a few rows and may walk a whole company through a (tenant_id, …) index instead of looking
 * ids up by primary key — measured: 150 ms instead of 2 ms per 500-id update on 10,000 documents. SQLite's ANALYZE
 * reads the whole table (sampling with analysis_limit kept the bad plans, docs/performance.md) and blocks the event
 * loop meanwhile (0.35 s on 100,000 documents), so it runs only when the write is at least a tenth of what the last
 * statistics counted: the same plans hold after a smaller change. PostgreSQL's ANALYZE samples by itself.
 */
export async function refreshStatistics(db: Kysely<any>, engine: Engine, written: Record<string, number>): Promise<void> {
  const tables = Object.keys(written);
  if (engine === 'sqlite') {
    await sql`pragma analysis_limit = 0`.execute(db);
    for (const t of tables) {
      const rowsWritten = written[t];
      const stat = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = ${t} limit 1`.execute(db).catch(() => ({ rows: [] }));
      const counted = Number(stat.rows[0]?.stat.split(' ')[0] ?? 0);
      if (counted > 0 && rowsWritten * 10 < counted) continue;
      await sql`analyze ${sql.table(t)}`.execute(db);
    }
  } else {
    for (const t of tables) await sql`analyze ${sql.table(t)}`.execute(db);
  }
}

/**
 * PostgreSQL, after an import's transaction: the trigger-kept totals (migrations 023 and 026) are small tables whose
 * rows every batch of the import rewrites, so a 100,000-row import leaves ~80,000 dead row versions behind 2,000 live
 * ones, and the dashboard read them all (open totals 1.5 → 5 ms) until autovacuum came by. VACUUM cannot run inside a
 * transaction; it takes milliseconds on tables this size. SQLite updates those rows in place: nothing to do.
 */
export async function reclaimAfterBulkWrite(db: Kysely<any>, engine: Engine, tables: string[]): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}
