import type { Kysely } from 'kysely';
import { createSumTable } from './support/sum-triggers';

/**
 * The sum of the absolute amounts of a company's documents per currency, kept by triggers on `documents`
 * (support/sum-triggers.ts), like the day flows of migration 023. Every balance, aging bucket, DSO or forecast figure
 * is a sum of (parts of) those amounts, so it is bounded by this total: keeping it within Number.MAX_SAFE_INTEGER at
 * each write (documents/amount-bounds.ts, inside the write's transaction) keeps every sum exact. Reading it is one row
 * per currency; the triggers cover every path that writes documents (API, imports, company import, seed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createSumTable(db, {
    table: 'document_amount_totals',
    keys: [{ column: 'currency', expr: (t) => `${t}.currency` }],
    sums: [{ column: 'abs_minor', expr: (t) => `abs(${t}.amount_minor)` }],
    dependsOn: ['tenant_id', 'currency', 'amount_minor'],
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
