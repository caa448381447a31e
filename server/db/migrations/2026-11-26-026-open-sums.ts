import type { Kysely } from 'kysely';
import { createSumTable } from './support/sum-triggers';

/**
 * Open amounts per company, currency and due date, kept by triggers on `documents` (support/sum-triggers.ts): the
 * aging of a whole company today reads a few thousand rows instead of every open item (197,000 on the benchmark
 * ledger of 1,000,000 documents: ~31 ms on SQLite, over 100 ms on PostgreSQL, for each dashboard).
 *
 * A document counts where `documents.open_minor` is not 0, on its due date (its issue date when it has none), as the
 * aging reads it (reports.repository.ts, sumOpenByDueDate): an invoice, or any document with a positive rest, is an
 * item to age; a payment, credit note or adjustment with a negative rest is an unallocated credit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createSumTable(db, {
    table: 'document_open_sums',
    keys: [{ column: 'currency', expr: (t) => `${t}.currency` }, { column: 'due_on', expr: (t) => `coalesce(${t}.due_on, ${t}.issued_on)` }],
    sums: [
      { column: 'items_minor', expr: (t) => `case when ${t}.type = 'invoice' or ${t}.open_minor > 0 then ${t}.open_minor else 0 end` },
      { column: 'credits_minor', expr: (t) => `case when ${t}.type <> 'invoice' and ${t}.open_minor < 0 then ${t}.open_minor else 0 end` },
    ],
    where: (t) => `${t}.open_minor <> 0`,
    dependsOn: ['tenant_id', 'currency', 'due_on', 'issued_on', 'type', 'open_minor'],
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
