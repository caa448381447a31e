import type { Kysely } from 'kysely';

/**
 * A company's own aging buckets (DOMAIN.md "Metrics": configurable), as the JSON array the API shows
 * (`[{ "key", "fromDays", "toDays" }]`). Null means the shipped defaults, so that a later change of the defaults
 * reaches every company that never chose its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('aging_buckets_json', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
