import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Open amounts per company, currency and due date, kept by triggers on `documents` like the day totals of migration
 * 023: the aging of a whole company today reads a few thousand rows instead of every open item (197,000 on the
 * benchmark ledger of 1,000,000 documents: ~31 ms on SQLite, over 100 ms on PostgreSQL, for each dashboard).
 *
 * A document counts where `documents.open_minor` is not 0, on its due date (its issue date when it has none), as the
 * aging reads it (reports.repository.ts, sumOpenByDueDate): an invoice, or any document with a positive rest, is an
 * item to age; a payment, credit note or adjustment with a negative rest is an unallocated credit.
 */
const ITEMS = (t: string) => `case when ${t}.type = 'invoice' or ${t}.open_minor > 0 then ${t}.open_minor else 0 end`;
const CREDITS = (t: string) => `case when ${t}.type <> 'invoice' and ${t}.open_minor < 0 then ${t}.open_minor else 0 end`;
const DUE = (t: string) => `coalesce(${t}.due_on, ${t}.issued_on)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_open_sums')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('items_minor', 'bigint', (c) => c.notNull())
    .addColumn('credits_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_open_sums_pk', ['tenant_id', 'currency', 'due_on'])
    .execute();
  await sql
    .raw(
      `insert into document_open_sums (tenant_id, currency, due_on, items_minor, credits_minor)
       select d.tenant_id, d.currency, ${DUE('d')}, sum(${ITEMS('d')}), sum(${CREDITS('d')}) from documents d where d.open_minor <> 0
       group by d.tenant_id, d.currency, ${DUE('d')}`,
    )
    .execute(db);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const rows = (table: string, sign: 1 | -1) =>
      `select t.tenant_id, t.currency, ${DUE('t')} as due_on, ${sign} * (${ITEMS('t')}) as items, ${sign} * (${CREDITS('t')}) as credits from ${table} t where t.open_minor <> 0`;
    // One function per event: a statement trigger only sees the transition tables its event declares.
    const events = [
      ['insert', 'new table as new_rows', rows('new_rows', 1)],
      ['delete', 'old table as old_rows', rows('old_rows', -1)],
      ['update', 'old table as old_rows new table as new_rows', `${rows('new_rows', 1)} union all ${rows('old_rows', -1)}`],
    ] as const;
    for (const [event, tables, source] of events) {
      await sql
        .raw(
          `create function document_open_sums_${event}() returns trigger language plpgsql as $$
           begin
             insert into document_open_sums as f (tenant_id, currency, due_on, items_minor, credits_minor)
             select c.tenant_id, c.currency, c.due_on, sum(c.items), sum(c.credits) from (${source}) c
             group by c.tenant_id, c.currency, c.due_on
             having sum(c.items) <> 0 or sum(c.credits) <> 0
             on conflict (tenant_id, currency, due_on)
             do update set items_minor = f.items_minor + excluded.items_minor, credits_minor = f.credits_minor + excluded.credits_minor;
             return null;
           end $$`,
        )
        .execute(db);
      await sql.raw(`create trigger document_open_sums_${event}_tg after ${event} on documents referencing ${tables} for each statement execute function document_open_sums_${event}()`).execute(db);
    }
    return;
  }

  // INSERT … SELECT … WHERE: the WHERE skips documents with nothing open (and lets SQLite parse the ON CONFLICT).
  const upsert = (row: string, sign: string) =>
    `insert into document_open_sums (tenant_id, currency, due_on, items_minor, credits_minor)
     select ${row}.tenant_id, ${row}.currency, ${DUE(row)}, ${sign}(${ITEMS(row)}), ${sign}(${CREDITS(row)}) where ${row}.open_minor <> 0
     on conflict (tenant_id, currency, due_on)
     do update set items_minor = items_minor + excluded.items_minor, credits_minor = credits_minor + excluded.credits_minor;`;
  await sql.raw(`create trigger document_open_sums_ai after insert on documents begin ${upsert('new', '')} end`).execute(db);
  await sql.raw(`create trigger document_open_sums_ad after delete on documents begin ${upsert('old', '-')} end`).execute(db);
  await sql
    .raw(`create trigger document_open_sums_au after update of tenant_id, currency, due_on, issued_on, type, open_minor on documents begin ${upsert('old', '-')} ${upsert('new', '')} end`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
