import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * A table of sums over `documents`, grouped by a key, created, filled and kept exact by triggers on `documents`
 * (migrations 023 and 026). Every write path — API, imports, company import, demo seed, bulk statements — then keeps
 * it without remembering to.
 *
 * SQLite: row triggers with an upsert. PostgreSQL: statement triggers over transition tables, so a bulk INSERT of
 * 5,000 documents adds one aggregated upsert, not 5,000; one function per event, because a statement trigger only
 * sees the transition tables its event declares.
 *
 * Migrations call this: like them, it is frozen once shipped. What it creates must never change; a new shape of sum
 * table is a new function beside this one.
 */
export type SumTable = {
  table: string;
  /** Grouping columns after tenant_id, with the expression giving each from a documents row aliased `t`. */
  keys: { column: string; expr: (t: string) => string }[];
  /** Summed bigint columns, with the expression of each row's contribution. */
  sums: { column: string; expr: (t: string) => string }[];
  /** Documents that contribute (e.g. only those with something open); all when absent. */
  where?: (t: string) => string;
  /** Columns of documents whose change moves a row's contribution (SQLite's UPDATE OF list). */
  dependsOn: string[];
};

export async function createSumTable(db: Kysely<any>, s: SumTable): Promise<void> {
  const keyCols = ['tenant_id', ...s.keys.map((k) => k.column)];
  const keyExprs = (t: string) => [`${t}.tenant_id`, ...s.keys.map((k) => k.expr(t))];
  const where = (t: string) => (s.where ? s.where(t) : 'true');
  const sumCols = s.sums.map((x) => x.column);
  const accumulate = (target: string) => sumCols.map((c) => `${c} = ${target}${c} + excluded.${c}`).join(', ');

  let create = db.schema.createTable(s.table) as CreateTableBuilder<string, string>;
  for (const c of keyCols) create = create.addColumn(c, 'text', (col) => col.notNull());
  for (const c of sumCols) create = create.addColumn(c, 'bigint', (col) => col.notNull());
  await create.addPrimaryKeyConstraint(`${s.table}_pk`, keyCols).execute();
  await sql
    .raw(
      `insert into ${s.table} (${[...keyCols, ...sumCols].join(', ')})
       select ${keyExprs('d').join(', ')}, ${s.sums.map((x) => `sum(${x.expr('d')})`).join(', ')} from documents d
       where ${where('d')} group by ${keyExprs('d').join(', ')}`,
    )
    .execute(db);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const rows = (table: string, sign: 1 | -1) =>
      `select ${keyExprs('t').map((e, i) => `${e} as ${keyCols[i]}`).join(', ')}, ${s.sums.map((x) => `${sign} * (${x.expr('t')}) as ${x.column}`).join(', ')}
       from ${table} t where ${where('t')}`;
    const events = [
      ['insert', 'new table as new_rows', rows('new_rows', 1)],
      ['delete', 'old table as old_rows', rows('old_rows', -1)],
      ['update', 'old table as old_rows new table as new_rows', `${rows('new_rows', 1)} union all ${rows('old_rows', -1)}`],
    ] as const;
    for (const [event, tables, source] of events) {
      await sql
        .raw(
          `create function ${s.table}_${event}() returns trigger language plpgsql as $$
           begin
             insert into ${s.table} as f (${[...keyCols, ...sumCols].join(', ')})
             select ${keyCols.map((c) => `c.${c}`).join(', ')}, ${sumCols.map((c) => `sum(c.${c})`).join(', ')} from (${source}) c
             group by ${keyCols.map((c) => `c.${c}`).join(', ')}
             having ${sumCols.map((c) => `sum(c.${c}) <> 0`).join(' or ')}
             on conflict (${keyCols.join(', ')}) do update set ${accumulate('f.')};
             return null;
           end $$`,
        )
        .execute(db);
      await sql.raw(`create trigger ${s.table}_${event}_tg after ${event} on documents referencing ${tables} for each statement execute function ${s.table}_${event}()`).execute(db);
    }
    return;
  }

  // INSERT … SELECT … WHERE: the WHERE filters the row and lets SQLite parse the ON CONFLICT clause.
  const upsert = (row: string, sign: '' | '-') =>
    `insert into ${s.table} (${[...keyCols, ...sumCols].join(', ')})
     select ${keyExprs(row).join(', ')}, ${s.sums.map((x) => `${sign}(${x.expr(row)})`).join(', ')} where ${where(row)}
     on conflict (${keyCols.join(', ')}) do update set ${accumulate('')};`;
  await sql.raw(`create trigger ${s.table}_ai after insert on documents begin ${upsert('new', '')} end`).execute(db);
  await sql.raw(`create trigger ${s.table}_ad after delete on documents begin ${upsert('old', '-')} end`).execute(db);
  // Only the columns the sums depend on: other updates fire nothing.
  await sql.raw(`create trigger ${s.table}_au after update of ${s.dependsOn.join(', ')} on documents begin ${upsert('old', '-')} ${upsert('new', '')} end`).execute(db);
}
