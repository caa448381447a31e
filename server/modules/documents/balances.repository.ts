import { sql } from 'kysely';
import type { Db } from '../../db/database';

const CHUNK = 500;

/**
 * Rewrites (for these documents, or all of the company's when `documentIds` is undefined) the maintained open amounts and customer balances from the allocations, in the caller's transaction.
 * Allocations are the truth (DOMAIN.md): documents.open_minor and customer_balances are caches of them.
 */
export async function recomputeOpenAmounts(db: Db, tenantId: string, documentIds?: string[]): Promise<void> {
  const groups = documentIds ? chunks(documentIds, CHUNK) : [undefined];
  for (const ids of groups) {
    const only = ids ? sql`and id in (${sql.join(ids)})` : sql``;
    // Invoices: amount − allocations received. Credits, payments, adjustments: amount (signed) + allocations given.
    await sql`
      update documents set open_minor = amount_minor + case when type = 'invoice'
          then -coalesce((select sum(a.amount_minor) from allocations a where a.tenant_id = documents.tenant_id and a.to_document_id = documents.id), 0)
          else coalesce((select sum(a.amount_minor) from allocations a where a.tenant_id = documents.tenant_id and a.from_document_id = documents.id), 0)
        end
      where tenant_id = ${tenantId} ${only}`.execute(db);
    await sql`
      update documents set status = case
          when status in ('cancelled', 'written_off') then status
          when type = 'invoice' then case when open_minor = 0 then 'paid' when open_minor = amount_minor then 'open' else 'partially_paid' end
          else case when open_minor = 0 then 'allocated' when open_minor = amount_minor then 'unallocated' else 'partially_allocated' end
        end
      where tenant_id = ${tenantId} ${only}`.execute(db);
  }
}

/** Rebuilds customer_balances for these customers (or for the whole company when `customerIds` is undefined). */
export async function refreshCustomerBalances(db: Db, tenantId: string, customerIds?: string[]): Promise<void> {
  const groups = customerIds ? chunks([...new Set(customerIds)], CHUNK) : [undefined];
  for (const ids of groups) {
    const only = ids ? sql`and customer_id in (${sql.join(ids)})` : sql``;
    await sql`delete from customer_balances where tenant_id = ${tenantId} ${only}`.execute(db);
    await sql`
      insert into customer_balances (tenant_id, customer_id, currency, open_invoices_minor, unallocated_minor, open_count, oldest_open_due_on)
      select tenant_id, customer_id, currency,
        sum(case when type = 'invoice' then open_minor else 0 end),
        sum(case when type = 'invoice' then 0 else open_minor end),
        sum(case when type = 'invoice' then 1 else 0 end),
        min(case when type = 'invoice' and open_minor > 0 then due_on end)
      from documents
      where tenant_id = ${tenantId} and open_minor <> 0 ${only}
      group by tenant_id, customer_id, currency`.execute(db);
  }
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** The status rule of recomputeOpenAmounts, for callers that already know the new open amount. */
export function documentStatus(type: string, amountMinor: number, openMinor: number, current: string): string {
  if (current === 'cancelled' || current === 'written_off') return current;
  if (type === 'invoice') return openMinor === 0 ? 'paid' : openMinor === amountMinor ? 'open' : 'partially_paid';
  return openMinor === 0 ? 'allocated' : openMinor === amountMinor ? 'unallocated' : 'partially_allocated';
}
