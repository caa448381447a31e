import type { Kysely } from 'kysely';

/**
 * The receivables ledger. Amounts are signed integers of minor units in the document's currency: invoices positive;
 * credit notes and payments negative; adjustments either way. Allocations are the single source of truth for open
 * amounts (DOMAIN.md); documents.open_minor is a cache maintained in the same transaction as the allocations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_id', 'text')
    .addColumn('vat_id', 'text')
    .addColumn('debtor_type', 'text', (c) => c.notNull().defaultTo('business'))
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text')
    .addColumn('language', 'text')
    .addColumn('currency', 'text')
    .addColumn('payment_terms_days', 'integer')
    .addColumn('payment_terms_end_of_month', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credit_limit_minor', 'bigint')
    .addColumn('collector_user_id', 'text')
    .addColumn('segment', 'text')
    .addColumn('tags_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('parent_customer_id', 'text')
    .addColumn('custom_fields_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('customers_tenant_code_uq', ['tenant_id', 'code'])
    .execute();
  await db.schema.createIndex('customers_tenant_name_idx').on('customers').columns(['tenant_id', 'name']).execute();
  await db.schema.createIndex('customers_tenant_collector_idx').on('customers').columns(['tenant_id', 'collector_user_id']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('title', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('fax', 'text')
    .addColumn('position', 'text')
    .addColumn('roles_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('language', 'text')
    .addColumn('is_dunning_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_customer_idx').on('contacts').columns(['tenant_id', 'customer_id']).execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    // (source, type, number) for numbered documents; a derived key for payments without a number (CONTRACTS.md).
    .addColumn('identity_key', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('is_due_on_derived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('open_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('pdf_url', 'text')
    .addColumn('pdf_file', 'text')
    .addColumn('import_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('documents_identity_uq', ['tenant_id', 'identity_key'])
    .execute();
  await db.schema.createIndex('documents_customer_idx').on('documents').columns(['tenant_id', 'customer_id', 'type']).execute();
  await db.schema.createIndex('documents_due_idx').on('documents').columns(['tenant_id', 'type', 'due_on']).execute();
  await db.schema.createIndex('documents_issued_idx').on('documents').columns(['tenant_id', 'type', 'issued_on']).execute();

  await db.schema
    .createTable('allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('from_document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('to_document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('allocated_on', 'text', (c) => c.notNull())
    .addColumn('reversal_of_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('allocations_to_idx').on('allocations').columns(['tenant_id', 'to_document_id', 'allocated_on']).execute();
  await db.schema.createIndex('allocations_from_idx').on('allocations').columns(['tenant_id', 'from_document_id']).execute();

  // Dated rates for base-currency views: 1 unit of base_currency = rate units of quote_currency. tenant_id '*' holds
  // the shipped reference rates; a company's own rates override them.
  await db.schema
    .createTable('exchange_rates')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('rate_on', 'text', (c) => c.notNull())
    .addColumn('base_currency', 'text', (c) => c.notNull())
    .addColumn('quote_currency', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_rates_pk', ['tenant_id', 'base_currency', 'quote_currency', 'rate_on'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
