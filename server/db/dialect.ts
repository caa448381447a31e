import { sql, type Expression, type RawBuilder } from 'kysely';
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
