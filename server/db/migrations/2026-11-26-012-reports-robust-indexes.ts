import { sql, type Kysely } from 'kysely';

/**
 * Indexes whose plans hold even before SQLite has ANALYZE statistics (docs/performance.md "Reports"). Without them
 * SQLite assumes every equality matches ~10 rows and prefers any covering index, and 011's indexes let it:
 * - walk documents_customer_idx over all 1,000,000 documents for a per-customer GROUP BY (top late customers):
 *   the open-items index is now ordered (tenant, currency, customer) so that order comes from it;
 * - scan all of a company's documents when correcting a past date: the open-items index now carries the id;
 * - walk every allocation for each later payment: allocations by document now cover what the corrections read.
 * And allocations by date now also cover the reversal columns, so payment delays read no allocation row; the
 * open-items index by due date carries the customer, so a collector or segment filter reads no document row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('documents_open_due_idx').execute();
  await db.schema
    .createIndex('documents_open_by_due_idx')
    .on('documents')
    .columns(['tenant_id', 'currency', 'due_on', 'type', 'open_minor', 'issued_on', 'customer_id'])
    .where(sql.ref('open_minor'), '<>', sql.lit(0))
    .execute();
  await db.schema.dropIndex('documents_open_customer_idx').execute();
  await db.schema
    .createIndex('documents_open_by_customer_idx')
    .on('documents')
    .columns(['tenant_id', 'currency', 'customer_id', 'due_on', 'type', 'open_minor', 'issued_on', 'id'])
    .where(sql.ref('open_minor'), '<>', sql.lit(0))
    .execute();
  await db.schema.dropIndex('allocations_dated_cover_idx').execute();
  await db.schema
    .createIndex('allocations_by_date_idx')
    .on('allocations')
    .columns(['tenant_id', 'allocated_on', 'to_document_id', 'from_document_id', 'amount_minor', 'reversal_of_id', 'id'])
    .execute();
  await db.schema
    .createIndex('allocations_from_cover_idx')
    .on('allocations')
    .columns(['tenant_id', 'from_document_id', 'to_document_id', 'allocated_on', 'amount_minor'])
    .execute();
  await db.schema
    .createIndex('allocations_to_cover_idx')
    .on('allocations')
    .columns(['tenant_id', 'to_document_id', 'from_document_id', 'allocated_on', 'amount_minor'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
