import type { Kysely } from 'kysely';

/**
 * Import jobs are claimed with a lease: `lease_until` is renewed while the job runs, and only a job whose lease has
 * expired (its process died) may be claimed again; `attempts` counts claims, so a job that kills its process is
 * failed after the third attempt instead of being requeued at every start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('imports').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('imports').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
