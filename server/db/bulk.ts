import { CompiledQuery } from 'kysely';
import type { Db, Engine } from './database';
import type { AllocationsTable, DocumentsTable } from './schema';

/**
 * Bulk writes for imports: the same rows Kysely's builders would write, without building a query tree per batch.
 * Measured on a 100,000-row import (docs/performance.md): compiling multi-row INSERTs and one UPDATE per document cost
 * more than SQLite spent executing them. SQL text is built once per table and batch size, so SQLite's statement
 * cache (database.ts) reuses the prepared statement; PostgreSQL gets one statement per batch over `unnest` arrays
 * (one parameter per column instead of one per value, the cheapest path short of COPY).
 */

type Column = { name: string; pg: 'text' | 'bigint' | 'integer' };
const text = (name: string): Column => ({ name, pg: 'text' });
const big = (name: string): Column => ({ name, pg: 'bigint' });
const int = (name: string): Column => ({ name, pg: 'integer' });

const TABLES = {
  documents: [
    text('id'), text('tenant_id'), text('customer_id'), text('source'), text('type'), text('number'), text('identity_key'), text('issued_on'),
    text('due_on'), int('is_due_on_derived'), text('currency'), big('amount_minor'), big('open_minor'), text('status'), text('reference'),
    text('pdf_url'), text('pdf_file'), text('import_id'), int('instalment_no'), int('instalment_count'), text('created_at'), text('updated_at'),
  ],
  allocations: [
    text('id'), text('tenant_id'), text('from_document_id'), text('to_document_id'), big('amount_minor'), text('allocated_on'), text('reversal_of_id'),
    text('created_by'), text('created_at'),
  ],
} as const satisfies Record<string, Column[]>;
type BulkTable = keyof typeof TABLES;
type RowOf<T extends BulkTable> = T extends 'documents' ? DocumentsTable : AllocationsTable;

/** SQLite binds at most 32,766 values per statement; 200 rows of 22 columns (4,400) stay well below. */
const SQLITE_ROWS = 200;
const PG_ROWS = 5000;
const texts = new Map<string, string>();

function insertSql(engine: Engine, table: BulkTable, rows: number): string {
  const key = `${engine}|${table}|${rows}`;
  let s = texts.get(key);
  if (!s) {
    const cols = TABLES[table];
    const names = cols.map((c) => `"${c.name}"`).join(', ');
    if (engine === 'postgres') {
      s = `insert into "${table}" (${names}) select * from unnest(${cols.map((c, i) => `$${i + 1}::${c.pg}[]`).join(', ')})`;
    } else {
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      s = `insert into "${table}" (${names}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
    }
    texts.set(key, s);
  }
  return s;
}

export async function insertMany<T extends BulkTable>(db: Db, engine: Engine, table: T, rows: readonly RowOf<T>[]): Promise<void> {
  const cols = TABLES[table];
  const size = engine === 'postgres' ? PG_ROWS : SQLITE_ROWS;
  for (let i = 0; i < rows.length; i += size) {
    const slice = rows.slice(i, i + size) as unknown as Record<string, unknown>[];
    const params =
      engine === 'postgres'
        ? cols.map((c) => slice.map((r) => r[c.name] ?? null))
        : slice.flatMap((r) => cols.map((c) => r[c.name] ?? null));
    await db.executeQuery(CompiledQuery.raw(insertSql(engine, table, engine === 'postgres' ? 0 : slice.length), params));
  }
}

/** Open amount and status of many documents of one company. */
export async function updateOpenAmounts(db: Db, engine: Engine, tenantId: string, changes: ReadonlyMap<string, { openMinor: number; status: string }>): Promise<void> {
  if (changes.size === 0) return;
  if (engine === 'postgres') {
    const entries = [...changes];
    for (let i = 0; i < entries.length; i += PG_ROWS) {
      const slice = entries.slice(i, i + PG_ROWS);
      await db.executeQuery(
        CompiledQuery.raw(
          'update documents as d set open_minor = v.open_minor, status = v.status from unnest($1::text[], $2::bigint[], $3::text[]) as v(id, open_minor, status) where d.id = v.id and d.tenant_id = $4',
          [slice.map(([id]) => id), slice.map(([, c]) => c.openMinor), slice.map(([, c]) => c.status), tenantId],
        ),
      );
    }
    return;
  }
  // One cached statement run per document: SQLite has no cheaper multi-row UPDATE, and each run is a few microseconds.
  const update = 'update "documents" set "open_minor" = ?, "status" = ? where "id" = ? and "tenant_id" = ?';
  for (const [id, c] of changes) await db.executeQuery(CompiledQuery.raw(update, [c.openMinor, c.status, id, tenantId]));
}
