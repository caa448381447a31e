import type { Db } from '../../db/database';
import { sumOverdueByCustomer, type CustomerFilter, type OverdueCustomerRow } from './reports.repository';

/**
 * The customers with the most overdue at D, when the cached open amounts are exact at D (needsCorrectionsAt false:
 * today, as a rule) — without summing every customer's overdue items.
 *
 * A customer's overdue amount is at most its open invoice amount, which customer_balances keeps per currency (an
 * invoice's open amount stays between 0 and its amount: allocations are capped at what is open). So candidates are
 * read by open amount, largest first, a page at a time, and their overdue amounts summed exactly; once the k-th best
 * overdue amount is larger than the next candidate's whole open amount, no later candidate can enter the top k.
 * Same rows and order as sumOverdueByCustomer over all customers (overdue descending, then customer id); on a
 * 20,000-customer ledger it reads one or two pages instead of every open item.
 */
export async function topOverdueCustomersNow(
  db: Db,
  tenantId: string,
  asOf: string,
  scope: CustomerFilter & { currency: string },
  limit: number,
  pageSize = Math.max(100, limit * 5),
): Promise<OverdueCustomerRow[]> {
  let best: OverdueCustomerRow[] = [];
  let after: { open: number; id: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('customer_balances as b')
      .select(['b.customer_id', 'b.open_invoices_minor'])
      .where('b.tenant_id', '=', tenantId)
      .where('b.currency', '=', scope.currency)
      .where('b.open_invoices_minor', '>', 0)
      .where('b.oldest_open_due_on', '<', asOf);
    if (scope.customerId) q = q.where('b.customer_id', '=', scope.customerId);
    if (scope.collectorId || scope.segment) {
      let customers = db.selectFrom('customers').select('customers.id').where('customers.tenant_id', '=', tenantId);
      if (scope.collectorId) customers = customers.where('customers.collector_user_id', '=', scope.collectorId);
      if (scope.segment) customers = customers.where('customers.segment', '=', scope.segment);
      q = q.where('b.customer_id', 'in', customers);
    }
    if (after) {
      const { open, id } = after;
      q = q.where((eb) => eb.or([eb('b.open_invoices_minor', '<', open), eb.and([eb('b.open_invoices_minor', '=', open), eb('b.customer_id', '>', id)])]));
    }
    const page = await q.orderBy('b.open_invoices_minor', 'desc').orderBy('b.customer_id').limit(pageSize).execute();
    if (page.length === 0) break;
    if (best.length >= limit && best[limit - 1].overdueMinor > Number(page[0].open_invoices_minor)) break;
    const sums = await sumOverdueByCustomer(db, tenantId, asOf, { currency: scope.currency, customerIds: page.map((p) => p.customer_id) }, pageSize, false);
    best = [...best, ...sums].sort((a, b) => b.overdueMinor - a.overdueMinor || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0)).slice(0, limit);
    if (page.length < pageSize) break;
    const last = page[page.length - 1];
    after = { open: Number(last.open_invoices_minor), id: last.customer_id };
  }
  return best;
}
