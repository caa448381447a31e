import type { Kysely } from 'kysely';

/**
 * allocations_from_idx (tenant, from) and allocations_to_idx (tenant, to, date) are prefixes of the covering indexes
 * of migration 012 (tenant, from, to, date, amount) and (tenant, to, from, date, amount): every lookup they served,
 * the covering ones serve too, and each allocation written paid for both twice (imports write hundreds of thousands).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('allocations_from_idx').execute();
  await db.schema.dropIndex('allocations_to_idx').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
