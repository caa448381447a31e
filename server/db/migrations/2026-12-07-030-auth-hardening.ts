import type { Kysely } from 'kysely';

/**
 * Authentication hardening (issue 10, "Privilege"):
 * - `users.email_verified_at`: an account is joined to a company only once its address is proven (a link sent to it).
 *   Existing accounts stay unverified: nothing ever proved their address (sign-up did not check it).
 * - `email_verifications`: pending sign-ups. The account is created only when the emailed link comes back, so an
 *   address nobody proved never holds an account (no pre-account takeover). Only the SHA-256 of the token is kept.
 * - `login_throttles`: failed-login counters per (account, address) pair and per address, counted by one upsert so
 *   that parallel guesses and other processes see the same count.
 * - `outbox.grants_role`: the role an invitation email grants; only members who may grant it can see the email.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('grants_role', 'text').execute();
  await db.schema
    .createTable('email_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('email_verifications_email_idx').on('email_verifications').columns(['email', 'created_at']).execute();
  await db.schema
    .createTable('login_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
