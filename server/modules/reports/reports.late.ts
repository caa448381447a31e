import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/database';
import type { CustomerFilter, OverdueCustomerRow } from './reports.repository';

/**
 * The customers with the most overdue at D, when the cached open amounts are exact at D (needsCorrectionsAt false:
 * today, as a rule) — without summing every customer's overdue items.
 *
 * A customer's overdue amount is at most its open invoice amount, which customer_balances keeps per currency (an
 * invoice's open amount stays between 0 and its amount: allocations are capped at what is open). So candidates are
 * read by open amount, largest first, a page at a time, and their overdue amounts summed exactly; once the k-th best
 * overdue amount is larger than the next candidate's whole open amount, no later candidate can enter the top k.
 * Same rows and order as sumOverdueByCustomer over all customers (overdue descending, then customer id).
 *
 * Each page is one statement: the candidates (one more than the page, whose open amount is the bound for the rest)
 * joined to their overdue invoices through documents_open_by_customer_idx. Two statements a page cost twice the
 * round trips, which on PostgreSQL were most of the dashboard's time (docs/performance.md "Reports").
 */
export async function topOverdueCustomersNow(
  db: Db,
  tenantId: string,
  asOf: string,
  scope: CustomerFilter & { currency: string },
  limit: number,
  pageSize = Math.max(200, limit * 10),
): Promise<OverdueCustomerRow[]> {
  let best: OverdueCustomerRow[] = [];
  let after: { open: number; id: string } | undefined;
  for (;;) {
    const rows = await candidatePage(db, tenantId, asOf, scope, pageSize + 1, after);
    const page = rows.slice(0, pageSize);
    const sums = page.filter((r) => Number(r.overdue_minor) > 0).map((r) => ({ customerId: r.customer_id, overdueMinor: Number(r.overdue_minor), oldestDueOn: r.oldest_due_on!, invoiceCount: Number(r.invoice_count) }));
    best = [...best, ...sums].sort((a, b) => b.overdueMinor - a.overdueMinor || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0)).slice(0, limit);
    const next = rows[pageSize];
    if (!next) break;
    if (best.length >= limit && best[limit - 1].overdueMinor > Number(next.open_invoices_minor)) break;
    const last = page[page.length - 1];
    after = { open: Number(last.open_invoices_minor), id: last.customer_id };
  }
  return best;
}

/** `size` candidates after `after` in (open amount desc, id) order, each with its overdue invoices summed (0 if none). */
function candidatePage(db: Db, tenantId: string, asOf: string, scope: CustomerFilter & { currency: string }, size: number, after?: { open: number; id: string }) {
  return db
    .with('cand', (qc) => {
      let q = qc
        .selectFrom('customer_balances as b')
        .select(['b.customer_id', 'b.open_invoices_minor'])
        .where('b.tenant_id', '=', tenantId)
        .where('b.currency', '=', scope.currency)
        .where('b.open_invoices_minor', '>', 0)
        .where('b.oldest_open_due_on', '<', asOf);
      if (scope.customerId) q = q.where('b.customer_id', '=', scope.customerId);
      if (scope.collectorId || scope.segment) {
        let customers = qc.selectFrom('customers').select('customers.id').where('customers.tenant_id', '=', tenantId);
        if (scope.collectorId) customers = customers.where('customers.collector_user_id', '=', scope.collectorId);
        if (scope.segment) customers = customers.where('customers.segment', '=', scope.segment);
        q = q.where('b.customer_id', 'in', customers);
      }
      if (after) {
        const { open, id } = after;
        q = q.where((eb) => eb.or([eb('b.open_invoices_minor', '<', open), eb.and([eb('b.open_invoices_minor', '=', open), eb('b.customer_id', '>', id)])]));
      }
      return q.orderBy('b.open_invoices_minor', 'desc').orderBy('b.customer_id').limit(size);
    })
    .selectFrom('cand as c')
    .leftJoin('documents as d', (join) =>
      join
        .onRef('d.customer_id', '=', 'c.customer_id')
        .on('d.tenant_id', '=', tenantId)
        .on('d.currency', '=', scope.currency)
        // Literal, as in the index's WHERE: SQLite uses a partial index only when the query visibly implies it.
        .on(sql<SqlBool>`d.open_minor <> 0`)
        // Filters, not seeks (see asFilter in reports.repository.ts): the seek is (tenant, currency, customer).
        .on(sql<SqlBool>`(d.type || '') = 'invoice'`)
        .on(sql<SqlBool>`coalesce(d.due_on, d.issued_on) < ${asOf}`),
    )
    .select([
      'c.customer_id',
      'c.open_invoices_minor',
      sql<number>`coalesce(sum(d.open_minor), 0)`.as('overdue_minor'),
      sql<string | null>`min(coalesce(d.due_on, d.issued_on))`.as('oldest_due_on'),
      sql<number>`count(d.id)`.as('invoice_count'),
    ])
    .groupBy(['c.customer_id', 'c.open_invoices_minor'])
    .orderBy('c.open_invoices_minor', 'desc')
    .orderBy('c.customer_id')
    .execute();
}
