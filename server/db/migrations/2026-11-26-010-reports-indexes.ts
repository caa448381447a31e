import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the reports (docs/performance.md "Reports"). The dashboard reads only what is open today: a partial
 * index over documents with a non-zero open amount holds every column aging, top late customers and the invoices of
 * a bucket need (covering on SQLite), so those reports scan the open items, never the whole ledger.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('documents_open_cover_idx')
    .on('documents')
    .columns(['tenant_id', 'currency', 'due_on', 'type', 'customer_id', 'issued_on', 'open_minor', 'id'])
    .where(sql.ref('open_minor'), '<>', sql.lit(0))
    .execute();
  // Sales and ledger movements per month (DSO, CEI opening balance, DSO trend): a range on issued_on per currency.
  await db.schema
    .createIndex('documents_flows_cover_idx')
    .on('documents')
    .columns(['tenant_id', 'currency', 'issued_on', 'type', 'amount_minor', 'customer_id'])
    .execute();
  // Allocations by date: those not yet in effect at a past as-of date, collections of a period, payment delays.
  await db.schema
    .createIndex('allocations_dated_cover_idx')
    .on('allocations')
    .columns(['tenant_id', 'allocated_on', 'to_document_id', 'from_document_id', 'amount_minor'])
    .execute();
  // Reversed allocations are left out of payment delays; few rows, so a partial index.
  await db.schema
    .createIndex('allocations_reversal_idx')
    .on('allocations')
    .columns(['tenant_id', 'reversal_of_id'])
    .where(sql.ref('reversal_of_id'), 'is not', sql.lit(null))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
