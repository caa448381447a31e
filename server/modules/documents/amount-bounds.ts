import type { Db } from '../../db/database';
import { MAX_TOTAL_MINOR } from '../../domain/money';
import { invalidField } from '../../http/errors';

/**
 * Issue 10: two accepted invoices of 2^53 − 1 made a customer's balance unsafe and the export crashed on it. Each
 * amount is bounded where it enters (MAX_AMOUNT_MINOR), and the company's total of absolute amounts per currency —
 * the bound of every balance, aging, DSO and forecast sum — is kept within MAX_TOTAL_MINOR. The total is a
 * trigger-kept row per currency (migration 027), so this check reads one indexed row per currency of the company.
 * Called inside the write's transaction, after the write: an excess rolls the whole write back.
 */
export async function currencyOverTotalBound(db: Db, tenantId: string): Promise<string | undefined> {
  // Only the currency is selected: on PostgreSQL an unsafe bigint cannot even be parsed into a number.
  const over = await db.selectFrom('document_amount_totals').select('currency').where('tenant_id', '=', tenantId).where('abs_minor', '>', MAX_TOTAL_MINOR).executeTakeFirst();
  return over?.currency;
}

/** The same check as a 400 on `field` (the amount that was being written). */
export async function assertCompanyTotalsBounded(db: Db, tenantId: string, field: string): Promise<void> {
  const currency = await currencyOverTotalBound(db, tenantId);
  if (currency) throw invalidField(field, 'companyTotalTooLarge', { currency, max: MAX_TOTAL_MINOR });
}

/** What the company holds now per currency (sum of absolute amounts), for checks made before writing (imports). */
export async function companyTotals(db: Db, tenantId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('document_amount_totals').select(['currency', 'abs_minor']).where('tenant_id', '=', tenantId).execute();
  return new Map(rows.map((r) => [r.currency, Number(r.abs_minor)]));
}
