import type { Kysely } from 'kysely';

/**
 * The top late customers read customer_balances by open invoice amount, largest first, a page at a time
 * (reports.late.ts): the index gives that order without sorting the company's 20,000 rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customer_balances_open_idx').on('customer_balances').columns(['tenant_id', 'currency', 'open_invoices_minor', 'customer_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
