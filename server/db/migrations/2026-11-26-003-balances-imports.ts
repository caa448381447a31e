import type { Kysely } from 'kysely';

/**
 * Maintained aggregates and import bookkeeping.
 * customer_balances is a cache of the ledger per customer and currency, rewritten from documents in the same
 * transaction as every change (so lists and filters on 20,000 customers read one small row each, never sum documents).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_balances')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    // Open invoice amounts (≥ 0 in practice) and unallocated credits (≤ 0); net = their sum.
    .addColumn('open_invoices_minor', 'bigint', (c) => c.notNull())
    .addColumn('unallocated_minor', 'bigint', (c) => c.notNull())
    .addColumn('open_count', 'integer', (c) => c.notNull())
    // The oldest due date among open invoices: "overdue at D" ⇔ oldest_open_due_on < D, without a scan.
    .addColumn('oldest_open_due_on', 'text')
    .addPrimaryKeyConstraint('customer_balances_pk', ['tenant_id', 'customer_id', 'currency'])
    .execute();
  await db.schema.createIndex('customer_balances_due_idx').on('customer_balances').columns(['tenant_id', 'oldest_open_due_on']).execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text')
    .addColumn('file_sha256', 'text')
    .addColumn('file_bytes', 'bigint')
    .addColumn('options_json', 'text', (c) => c.notNull())
    .addColumn('is_dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary_json', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('imports_tenant_idx').on('imports').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('imports_status_idx').on('imports').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mapping_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_mappings_pk', ['tenant_id', 'source'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
