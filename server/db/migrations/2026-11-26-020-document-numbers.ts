import type { Kysely } from 'kysely';

/** Imports resolve `appliesTo` by invoice number: without this index each lookup scans the company's documents. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('documents_number_idx').on('documents').columns(['tenant_id', 'number']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
