import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Sales and net movements per company, currency and issue day, maintained by triggers on `documents` so that every
 * write path (API, imports, company import, demo seed, bulk statements) keeps it exact without remembering to.
 * The DSO, CEI and the DSO trend need, per month, the sales (invoices − credit notes) and the net of all document
 * amounts (how receivables move, docs/performance.md "Reports"); summing them from the documents read ~80,000 index
 * entries on a 1M-document company (18 ms on SQLite, 25–45 ms on PostgreSQL) per dashboard. The table holds at most
 * one row per company, currency and day. Filtered views (customer, collector, segment) still read the documents.
 *
 * SQLite: row triggers with an UPSERT. PostgreSQL: statement triggers over transition tables, so that a bulk INSERT
 * of 5,000 documents adds one aggregated upsert, not 5,000.
 */
const SALES = (t: string) => `case when ${t}.type = 'invoice' then ${t}.amount_minor when ${t}.type = 'credit_note' then -abs(${t}.amount_minor) else 0 end`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_day_flows')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('sales_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_day_flows_pk', ['tenant_id', 'currency', 'issued_on'])
    .execute();
  await sql
    .raw(
      `insert into document_day_flows (tenant_id, currency, issued_on, sales_minor, net_minor)
       select d.tenant_id, d.currency, d.issued_on, sum(${SALES('d')}), sum(d.amount_minor) from documents d group by d.tenant_id, d.currency, d.issued_on`,
    )
    .execute(db);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One function per event: a statement trigger only sees the transition tables its event declares.
    const events = [
      ['insert', 'new table as new_rows', TG_ROWS('new_rows', 1)],
      ['delete', 'old table as old_rows', TG_ROWS('old_rows', -1)],
      ['update', 'old table as old_rows new table as new_rows', `${TG_ROWS('new_rows', 1)} union all ${TG_ROWS('old_rows', -1)}`],
    ] as const;
    for (const [event, tables, rows] of events) {
      await sql
        .raw(
          `create function document_day_flows_${event}() returns trigger language plpgsql as $$
           begin
             insert into document_day_flows as f (tenant_id, currency, issued_on, sales_minor, net_minor)
             select c.tenant_id, c.currency, c.issued_on, sum(c.sales), sum(c.net) from (${rows}) c
             group by c.tenant_id, c.currency, c.issued_on
             having sum(c.sales) <> 0 or sum(c.net) <> 0
             on conflict (tenant_id, currency, issued_on)
             do update set sales_minor = f.sales_minor + excluded.sales_minor, net_minor = f.net_minor + excluded.net_minor;
             return null;
           end $$`,
        )
        .execute(db);
      await sql.raw(`create trigger document_day_flows_${event}_tg after ${event} on documents referencing ${tables} for each statement execute function document_day_flows_${event}()`).execute(db);
    }
    return;
  }

  const upsert = (row: string, sign: string) =>
    `insert into document_day_flows (tenant_id, currency, issued_on, sales_minor, net_minor)
     values (${row}.tenant_id, ${row}.currency, ${row}.issued_on, ${sign}(${SALES(row)}), ${sign}${row}.amount_minor)
     on conflict (tenant_id, currency, issued_on)
     do update set sales_minor = sales_minor + excluded.sales_minor, net_minor = net_minor + excluded.net_minor;`;
  await sql.raw(`create trigger document_day_flows_ai after insert on documents begin ${upsert('new', '')} end`).execute(db);
  await sql.raw(`create trigger document_day_flows_ad after delete on documents begin ${upsert('old', '-')} end`).execute(db);
  // Only the columns the flows depend on: open-amount and status updates (most updates) fire nothing.
  await sql
    .raw(`create trigger document_day_flows_au after update of tenant_id, currency, issued_on, type, amount_minor on documents begin ${upsert('old', '-')} ${upsert('new', '')} end`)
    .execute(db);
}

/** Rows of a transition table as signed flows (PostgreSQL). */
function TG_ROWS(table: string, sign: 1 | -1): string {
  return `select t.tenant_id, t.currency, t.issued_on, ${sign} * (${SALES('t')}) as sales, ${sign} * t.amount_minor as net from ${table} t`;
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
