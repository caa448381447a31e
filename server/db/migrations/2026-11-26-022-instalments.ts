import type { Kysely } from 'kysely';

/**
 * Invoices with several due dates (DOMAIN.md: "an instalment schedule gives several: each instalment is dunned on its
 * own"). Each instalment is a line of its own in `documents` — type invoice, the invoice's number, its own due date,
 * amount and open amount — numbered `instalment_no` of `instalment_count`, the way accounting systems keep one
 * receivable line per due date. Aging, DSO, the forecast, the open-item lists and (later) dunning then work per
 * instalment without knowing about schedules; the invoice is the set of lines sharing (source, number). Both columns
 * are null for an invoice with one due date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('documents').addColumn('instalment_no', 'integer').execute();
  await db.schema.alterTable('documents').addColumn('instalment_count', 'integer').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
