import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * A per-company counter that every write to what the reports read moves (issue 10): the reports' cache keys its
 * results by it, so a result computed before a write is never served after it — also when another process (the CLI,
 * a second server) wrote to the same database, which in-process invalidation cannot see. Reading it is one primary-key
 * lookup per request.
 *
 * Kept by triggers, like the day totals (support/sum-triggers.ts), because the ledger has many writers (documents
 * service, allocations, imports, company import, demo seed, bulk statements) and a trigger cannot be forgotten.
 * SQLite: row triggers with an upsert (one writer at a time anyway). PostgreSQL: statement triggers over transition
 * tables, one upsert per statement and company, not per row.
 *
 * Tables: what any report reads — the ledger (documents, allocations, customer_balances), customers (names,
 * segments, collectors, exclusions), exchange rates (conversion), the company row (time zone, base currency, aging
 * buckets), memberships, and users' names and emails (the collectors report) for every company the user belongs to.
 * Frozen once shipped, like every migration.
 */
const TENANT_TABLES = ['documents', 'allocations', 'customer_balances', 'customers', 'exchange_rates', 'memberships'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ledger_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bump = (source: string) =>
    `insert into ledger_versions (tenant_id, version) select distinct tenant_id, 1 from (${source}) s where tenant_id is not null
     on conflict (tenant_id) do update set version = ledger_versions.version + 1`;

  if (pg) {
    // One function per event: a statement trigger sees only the transition tables its event declares.
    const events = [
      ['insert', 'new table as new_rows', (k: string) => `select ${k} as tenant_id from new_rows`],
      ['delete', 'old table as old_rows', (k: string) => `select ${k} as tenant_id from old_rows`],
      ['update', 'old table as old_rows new table as new_rows', (k: string) => `select ${k} as tenant_id from new_rows union select ${k} from old_rows`],
    ] as const;
    for (const [table, key] of [...TENANT_TABLES.map((t) => [t, 'tenant_id'] as const), ['tenants', 'id'] as const]) {
      for (const [event, tables, source] of events) {
        if (table === 'tenants' && event === 'delete') continue;
        const fn = `ledger_version_${table}_${event}`;
        await sql.raw(`create function ${fn}() returns trigger language plpgsql as $$ begin ${bump(source(key))}; return null; end $$`).execute(db);
        await sql.raw(`create trigger ${fn}_tg after ${event} on ${table} referencing ${tables} for each statement execute function ${fn}()`).execute(db);
      }
    }
    await sql
      .raw(
        `create function ledger_version_users_update() returns trigger language plpgsql as $$
         begin ${bump('select m.tenant_id from memberships m where m.user_id = new.id')}; return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(`create trigger ledger_version_users_update_tg after update of first_name, last_name, email on users for each row execute function ledger_version_users_update()`)
      .execute(db);
    return;
  }

  for (const table of TENANT_TABLES) {
    await sql.raw(`create trigger ledger_version_${table}_ai after insert on ${table} begin ${bump('select new.tenant_id as tenant_id')}; end`).execute(db);
    await sql.raw(`create trigger ledger_version_${table}_ad after delete on ${table} begin ${bump('select old.tenant_id as tenant_id')}; end`).execute(db);
    await sql.raw(`create trigger ledger_version_${table}_au after update on ${table} begin ${bump('select new.tenant_id as tenant_id union select old.tenant_id')}; end`).execute(db);
  }
  await sql.raw(`create trigger ledger_version_tenants_au after update on tenants begin ${bump('select new.id as tenant_id')}; end`).execute(db);
  await sql
    .raw(`create trigger ledger_version_users_au after update of first_name, last_name, email on users begin ${bump('select m.tenant_id from memberships m where m.user_id = new.id')}; end`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
