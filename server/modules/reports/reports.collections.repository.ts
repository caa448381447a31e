import { sql, type SqlBool } from 'kysely';
import type { Db, Engine } from '../../db/database';
import { daysBetween } from '../../db/dialect';
import { scopeConditions, withOpenAt, type CustomerFilter } from './reports.repository';

/**
 * How customers pay and what collectors hold: payment delays from allocations, open amounts per collector, the open
 * invoices the forecast spreads over weeks. Same conventions as reports.repository.ts.
 */

export type PaymentDelayRow = {
  customerId: string;
  currency: string;
  /** Σ allocated amounts: the weight of the averages. */
  paidMinor: number;
  /** Σ amount × (payment date − due date), in minor-unit-days; negative when paid early. */
  weightedDelayDays: number;
  /** Σ amount × max(0, payment date − due date). */
  weightedLateDays: number;
  /** Σ amounts paid on or before the due date. */
  paidOnTimeMinor: number;
  invoiceCount: number;
};

/**
 * Payments allocated in (fromOn, toOn] per customer and currency. Chosen: amount-weighted over allocations, so a
 * customer's habit is measured in money (a late 50,000 invoice weighs more than an early 50 one), and partial
 * payments count each at its own date. Only payments count (a credit note settles but collects no cash); reversed
 * allocations and their reversals are left out, so a bounced payment leaves no trace in the habit.
 */
export async function sumPaymentDelays(db: Db, engine: Engine, tenantId: string, fromOn: string, toOn: string, customerId?: string): Promise<PaymentDelayRow[]> {
  const due = sql<string>`coalesce(t.due_on, t.issued_on)`;
  const delay = daysBetween(engine, sql.ref('a.allocated_on'), due);
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('documents as f', 'f.id', 'a.from_document_id')
    .innerJoin('documents as t', 't.id', 'a.to_document_id')
    .select([
      't.customer_id',
      't.currency',
      (eb) => eb.fn.sum<number>('a.amount_minor').as('paid_minor'),
      sql<number>`sum(a.amount_minor * ${delay})`.as('weighted_delay'),
      sql<number>`sum(case when ${delay} > 0 then a.amount_minor * ${delay} else 0 end)`.as('weighted_late'),
      sql<number>`sum(case when a.allocated_on <= ${due} then a.amount_minor else 0 end)`.as('on_time_minor'),
      sql<number>`count(distinct a.to_document_id)`.as('invoice_count'),
    ])
    .where('a.tenant_id', '=', tenantId)
    .where('a.allocated_on', '>', fromOn)
    .where('a.allocated_on', '<=', toOn)
    .where('a.amount_minor', '>', 0)
    .where('a.reversal_of_id', 'is', null)
    .where('f.type', '=', 'payment')
    .where('t.type', '=', 'invoice')
    // Selects a constant so that the small partial index allocations_reversal_idx covers the probe.
    .where((eb) => eb.not(eb.exists(eb.selectFrom('allocations as r').select(sql<number>`1`.as('one')).where('r.tenant_id', '=', tenantId).whereRef('r.reversal_of_id', '=', 'a.id'))))
    .$if(!!customerId, (qb) => qb.where('t.customer_id', '=', customerId!))
    .groupBy(['t.customer_id', 't.currency'])
    .execute();
  return rows.map((r) => ({
    customerId: r.customer_id,
    currency: r.currency,
    paidMinor: Number(r.paid_minor),
    weightedDelayDays: Number(r.weighted_delay),
    weightedLateDays: Number(r.weighted_late),
    paidOnTimeMinor: Number(r.on_time_minor),
    invoiceCount: Number(r.invoice_count),
  }));
}

export type CollectorOpenRow = { collectorId: string | null; currency: string; openMinor: number; overdueMinor: number; customerCount: number };

/** Open and overdue invoice amounts at D per collector (customers.collector_user_id) and currency. */
export async function sumOpenByCollector(db: Db, tenantId: string, asOf: string, filter: CustomerFilter, hasPending = true): Promise<CollectorOpenRow[]> {
  const rows = await withOpenAt(db, tenantId, asOf, { ...filter, kind: 'invoices' }, hasPending)
    .selectFrom('open_at as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select([
      'c.collector_user_id',
      'o.currency',
      (eb) => eb.fn.sum<number>('o.open_minor').as('open_minor'),
      sql<number>`sum(case when coalesce(o.due_on, o.issued_on) < ${asOf} then o.open_minor else 0 end)`.as('overdue_minor'),
      sql<number>`count(distinct o.customer_id)`.as('customer_count'),
    ])
    .where(sql<SqlBool>`o.open_minor <> 0`)
    .groupBy(['c.collector_user_id', 'o.currency'])
    .execute();
  return rows.map((r) => ({ collectorId: r.collector_user_id, currency: r.currency, openMinor: Number(r.open_minor), overdueMinor: Number(r.overdue_minor), customerCount: Number(r.customer_count) }));
}

export type CollectedRow = { collectorId: string | null; currency: string; collectedMinor: number };

/**
 * Cash collected in [fromOn, toOn]: payment allocations dated in the period on the invoices of each collector's
 * customers (today's portfolio). A reversal dated in the period subtracts what it cancels.
 */
export async function sumCollectedByCollector(db: Db, tenantId: string, fromOn: string, toOn: string, filter: CustomerFilter): Promise<CollectedRow[]> {
  const conditions = scopeConditions(db, tenantId, filter, 't');
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('documents as f', 'f.id', 'a.from_document_id')
    .innerJoin('documents as t', 't.id', 'a.to_document_id')
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .select(['c.collector_user_id', 't.currency', (eb) => eb.fn.sum<number>('a.amount_minor').as('collected_minor')])
    .where('a.tenant_id', '=', tenantId)
    .where('a.allocated_on', '>=', fromOn)
    .where('a.allocated_on', '<=', toOn)
    .where('f.type', '=', 'payment')
    .$if(conditions.length > 0, (qb) => qb.where((eb) => eb.and(conditions)))
    .groupBy(['c.collector_user_id', 't.currency'])
    .execute();
  return rows.map((r) => ({ collectorId: r.collector_user_id, currency: r.currency, collectedMinor: Number(r.collected_minor) }));
}

export type ForecastRow = { customerId: string; currency: string; dueOn: string; openMinor: number; count: number };

/**
 * What is still to be collected at D, per customer, currency and due date: open invoices, and debits without invoice
 * (a positive unallocated adjustment) at their due or issue date. Credits are not cash-in.
 */
export async function sumOpenForForecast(db: Db, tenantId: string, asOf: string, scope: CustomerFilter & { currency?: string }, hasPending = true): Promise<ForecastRow[]> {
  const due = sql<string>`coalesce(o.due_on, o.issued_on)`;
  const rows = await withOpenAt(db, tenantId, asOf, scope, hasPending)
    .selectFrom('open_at as o')
    .select(['o.customer_id', 'o.currency', due.as('due_on'), (eb) => eb.fn.sum<number>('o.open_minor').as('open_minor'), (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb.or([eb.and([eb('o.type', '=', 'invoice'), sql<SqlBool>`o.open_minor <> 0`]), sql<SqlBool>`o.open_minor > 0`]))
    .groupBy(['o.customer_id', 'o.currency', due])
    .execute();
  return rows.map((r) => ({ customerId: r.customer_id, currency: r.currency, dueOn: r.due_on, openMinor: Number(r.open_minor), count: Number(r.n) }));
}

/** Customers whose open items stay out of the forecast weeks (DOMAIN.md: handed to legal, excluded). */
export const FORECAST_EXCLUDED_STATUSES = ['legal', 'excluded'] as const;

export async function listExcludedCustomerIds(db: Db, tenantId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('status', 'in', [...FORECAST_EXCLUDED_STATUSES]).execute();
  return new Set(rows.map((r) => r.id));
}
