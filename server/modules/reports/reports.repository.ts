import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database';

/**
 * SQL aggregates behind the reports: every sum is computed by the database, never by loading documents into JS.
 *
 * "As it stood on day D" (DOMAIN.md): only documents issued on or before D exist at D, and an allocation is in effect
 * at D when it is dated on or before D and both its documents exist. documents.open_minor caches the open amount
 * with every allocation applied (invoices: amount − allocations; payments, credit notes, adjustments: amount +
 * allocations, ≤ 0 for credits), so
 *   open at D = open_minor + (allocations not yet in effect at D, signed: + for the invoice, − for the credit).
 * For today those "pending" allocations are usually none, and the reports read only the open documents through the
 * partial index documents_open_cover_idx (migration 010). docs/performance.md "Reports" has the measured plans.
 */

export type CustomerFilter = { customerId?: string; collectorId?: string; segment?: string };

/** What part of the open documents a query needs; pushed into both branches of `open_at` so indexes apply. */
export type OpenScope = CustomerFilter & {
  currency?: string;
  /** Only these customers (a page of candidates, see reports.late.ts). */
  customerIds?: readonly string[];
  /** Invoices only, or payments, credit notes and adjustments only. */
  kind?: 'invoices' | 'others';
  /** due_on < this date (overdue at it). */
  dueBefore?: string;
  dueFrom?: string;
  dueTo?: string;
};

const ref = (column: string) => sql.ref(column);

/**
 * The column as an expression no index matches: the term then filters rows without being offered to the planner as
 * a seek. Without ANALYZE statistics SQLite assumes every equality on an indexed column matches ~10 rows, so a
 * `type = 'invoice'` or `issued_on <= D` would lure it onto a (tenant, type, issued_on) index and into 500,000 table
 * lookups instead of the small partial index of open items (docs/performance.md). Portable: text concatenation.
 */
const asFilter = (column: string) => sql<string>`(${sql.ref(column)} || '')`;

/** Conditions on the customer and currency of the documents aliased `alias`. */
export function scopeConditions(db: Db, tenantId: string, s: OpenScope, alias: string): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (s.currency) out.push(sql<SqlBool>`${ref(`${alias}.currency`)} = ${s.currency}`);
  if (s.customerId) out.push(sql<SqlBool>`${ref(`${alias}.customer_id`)} = ${s.customerId}`);
  if (s.customerIds) out.push(sql<SqlBool>`${ref(`${alias}.customer_id`)} in (${sql.join(s.customerIds.length ? s.customerIds : [''])})`);
  if (s.collectorId || s.segment) {
    let customers = db.selectFrom('customers').select('customers.id').where('customers.tenant_id', '=', tenantId);
    if (s.collectorId) customers = customers.where('customers.collector_user_id', '=', s.collectorId);
    if (s.segment) customers = customers.where('customers.segment', '=', s.segment);
    out.push(sql<SqlBool>`${asFilter(`${alias}.customer_id`)} in (${customers})`);
  }
  if (s.kind === 'invoices') out.push(sql<SqlBool>`${asFilter(`${alias}.type`)} = 'invoice'`);
  if (s.kind === 'others') out.push(sql<SqlBool>`${asFilter(`${alias}.type`)} <> 'invoice'`);
  // Invoices always carry a due date (derived from the terms when missing, DOMAIN.md); other documents are due when issued.
  const due = sql`coalesce(${ref(`${alias}.due_on`)}, ${ref(`${alias}.issued_on`)})`;
  if (s.dueBefore) out.push(sql<SqlBool>`${due} < ${s.dueBefore}`);
  if (s.dueFrom) out.push(sql<SqlBool>`${due} >= ${s.dueFrom}`);
  if (s.dueTo) out.push(sql<SqlBool>`${due} <= ${s.dueTo}`);
  return out;
}

/** Allocations not in effect at D: dated after D, or from a document issued after D, or to an invoice issued after D. */
function pendingAllocations(qc: Db, tenantId: string, asOf: string) {
  return qc
    .selectFrom('allocations as a')
    .select(['a.from_document_id', 'a.to_document_id', 'a.amount_minor'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.allocated_on', '>', asOf)
    .unionAll(
      // CROSS JOIN: SQLite then keeps the few documents issued after D as the outer loop even without ANALYZE
      // statistics (left alone, it may walk every allocation dated up to D instead: seconds on 1M documents).
      // Plain SQL for PostgreSQL, whose planner still chooses the order.
      qc
        .selectFrom('documents as f')
        .crossJoin('allocations as a')
        .select(['a.from_document_id', 'a.to_document_id', 'a.amount_minor'])
        .whereRef('a.from_document_id', '=', 'f.id')
        .where('a.tenant_id', '=', tenantId)
        .where('f.tenant_id', '=', tenantId)
        .where('f.type', 'in', ['payment', 'credit_note', 'adjustment'])
        .where('f.issued_on', '>', asOf)
        .where(asFilter('a.allocated_on'), '<=', asOf),
    )
    .unionAll(
      qc
        .selectFrom('documents as t')
        .crossJoin('allocations as a')
        .innerJoin('documents as f', 'f.id', 'a.from_document_id')
        .select(['a.from_document_id', 'a.to_document_id', 'a.amount_minor'])
        .whereRef('a.to_document_id', '=', 't.id')
        .where('a.tenant_id', '=', tenantId)
        .where('t.tenant_id', '=', tenantId)
        .where('t.type', '=', 'invoice')
        .where('t.issued_on', '>', asOf)
        .where(asFilter('a.allocated_on'), '<=', asOf)
        .where('f.issued_on', '<=', asOf),
    );
}

/**
 * False when the cached open amounts are exactly the state at D: no allocation pending at D and no document issued
 * after D. For today that is the rule (nothing is dated in the future), and the reports read the open documents
 * directly; otherwise they correct them (same figures, more work). A few index seeks.
 */
export async function needsCorrectionsAt(db: Db, tenantId: string, asOf: string): Promise<boolean> {
  const later = db
    .selectFrom('documents')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('type', 'in', ['invoice', 'credit_note', 'payment', 'adjustment'])
    .where('issued_on', '>', asOf)
    .limit(1);
  const pending = db.selectFrom(pendingAllocations(db, tenantId, asOf).as('p')).select('p.amount_minor').limit(1);
  // One statement (one round trip on PostgreSQL): this check is on the dashboard's critical path.
  const row = await db
    .selectNoFrom((eb) => [eb.exists(later).as('later'), eb.exists(pending).as('pending')])
    .executeTakeFirstOrThrow();
  return Boolean(row.later) || Boolean(row.pending);
}

/** The open documents when the cache is exact at D (see needsCorrectionsAt): every one of them exists at D. */
function openNow(qc: Db, tenantId: string, conditions: Expression<SqlBool>[]) {
  return qc
    .selectFrom('documents as d')
    .select(['d.id', 'd.customer_id', 'd.type', 'd.currency', 'd.due_on', 'd.issued_on', 'd.open_minor'])
    .where('d.tenant_id', '=', tenantId)
    // A literal, not a parameter: SQLite uses a partial index only when the query's WHERE visibly implies it.
    .where(sql<SqlBool>`d.open_minor <> 0`)
    .$if(conditions.length > 0, (qb) => qb.where((eb) => eb.and(conditions)));
}

function withCorrections(db: Db, tenantId: string, asOf: string, conditions: Expression<SqlBool>[]) {
  return db
    .with('pending', (qc) => pendingAllocations(qc as unknown as Db, tenantId, asOf))
    .with('corr', (qc) =>
      qc
        .selectFrom((eb) =>
          eb
            .selectFrom('pending')
            .select(['pending.to_document_id as id', 'pending.amount_minor as amt'])
            .unionAll(eb.selectFrom('pending').select(['pending.from_document_id as id', sql<number>`-pending.amount_minor`.as('amt')]))
            .as('p'),
        )
        .select(['p.id', (eb) => eb.fn.sum<number>('p.amt').as('amt')])
        .groupBy('p.id'),
    )
    .with('open_at', (qc) =>
      qc
        .selectFrom('documents as d')
        .leftJoin('corr as c', 'c.id', 'd.id')
        .select(['d.id', 'd.customer_id', 'd.type', 'd.currency', 'd.due_on', 'd.issued_on', sql<number>`d.open_minor + coalesce(c.amt, 0)`.as('open_minor')])
        .where('d.tenant_id', '=', tenantId)
        .where(sql<SqlBool>`d.open_minor <> 0`)
        .where(asFilter('d.issued_on'), '<=', asOf)
        .$if(conditions.length > 0, (qb) => qb.where((eb) => eb.and(conditions)))
        .unionAll(
          // Driven by the (usually empty) corrections: `in` keeps both planners from scanning the documents instead.
          qc
            .selectFrom('documents as d')
            .select([
              'd.id', 'd.customer_id', 'd.type', 'd.currency', 'd.due_on', 'd.issued_on',
              (eb) => sql<number>`d.open_minor + ${eb.selectFrom('corr as c2').select('c2.amt').whereRef('c2.id', '=', 'd.id')}`.as('open_minor'),
            ])
            .where('d.id', 'in', qc.selectFrom('corr as c1').select('c1.id'))
            // Checked, not sought: the ids are the seek (a tenant_id seek would walk the company's every document).
            .where(asFilter('d.tenant_id'), '=', tenantId)
            .where(sql<SqlBool>`d.open_minor = 0`)
            .where('d.issued_on', '<=', asOf)
            .$if(conditions.length > 0, (qb) => qb.where((eb) => eb.and(conditions))),
        ),
    );
}

/**
 * A query creator with an `open_at` CTE: every document issued on or before D whose open amount at D may be
 * non-zero, with that amount. Consumers read `coalesce(due_on, issued_on)` as the due date (a payment or adjustment
 * has none) except where they select dated invoices, so that SQLite can follow the index order.
 * With `hasPending` (needsCorrectionsAt), two more CTEs correct the cached amounts: `pending` (allocations not in effect at D, three
 * disjoint index-driven parts) and `corr` (their signed sum per document: + on the invoice, − on the credit), and
 * `open_at` adds the documents that only those allocations touch.
 */
export function withOpenAt(db: Db, tenantId: string, asOf: string, scope: OpenScope = {}, hasPending = true) {
  const conditions = scopeConditions(db, tenantId, scope, 'd');
  if (hasPending) return withCorrections(db, tenantId, asOf, conditions);
  return db.with('open_at', (qc) => openNow(qc as unknown as Db, tenantId, conditions)) as unknown as ReturnType<typeof withCorrections>;
}

export type AgingSumRow = { currency: string; dueOn: string; isItem: boolean; openMinor: number };

/**
 * Open amounts at D per currency and due date. Invoices are items to age; a payment, credit note or adjustment is a
 * credit when its unallocated rest is negative, and an item (a debit without invoice, aged from its due or issue
 * date) when positive.
 */
export async function sumOpenByDueDate(db: Db, tenantId: string, asOf: string, scope: OpenScope, hasPending = true, cutDates: readonly string[] = []): Promise<AgingSumRow[]> {
  const onlyCurrency = Object.entries(scope).every(([k, v]) => v === undefined || k === 'currency');
  if (!hasPending && onlyCurrency) {
    // The cache is exact at D and the whole company is asked: the totals per due date the triggers keep (migration 026).
    // With cut dates, due dates between two cuts are summed into one row dated by the latest of them: an aging needs
    // only its buckets, and a few rows instead of one per due date (thousands) halved its cost on PostgreSQL.
    const cuts = [...cutDates].sort().reverse();
    const group = sql`case ${sql.join(cuts.map((d, i) => sql`when due_on > ${d} then ${sql.lit(i)}`), sql` `)} else ${sql.lit(cuts.length)} end`;
    let q = db
      .selectFrom('document_open_sums')
      .select(['currency', sql<string>`max(due_on)`.as('due_on'), sql<number>`sum(items_minor)`.as('items_minor'), sql<number>`sum(credits_minor)`.as('credits_minor')])
      .where('tenant_id', '=', tenantId)
      .groupBy(cuts.length ? ['currency', group] : ['currency', 'due_on']);
    if (scope.currency) q = q.where('currency', '=', scope.currency);
    const out: AgingSumRow[] = [];
    for (const r of await q.execute()) {
      if (Number(r.credits_minor) !== 0) out.push({ currency: r.currency, dueOn: r.due_on, isItem: false, openMinor: Number(r.credits_minor) });
      if (Number(r.items_minor) !== 0) out.push({ currency: r.currency, dueOn: r.due_on, isItem: true, openMinor: Number(r.items_minor) });
    }
    return out;
  }
  const isItem = sql<boolean>`(o.type = 'invoice' or o.open_minor > 0)`;
  // One pass in the order of documents_open_by_due_idx (currency, due date): streamed, never sorted. The conditions are
  // ordered to fail fast on the common row (a positive invoice with a due date).
  const byDue = await withOpenAt(db, tenantId, asOf, scope, hasPending)
    .selectFrom('open_at as o')
    .select([
      'o.currency',
      'o.due_on',
      (eb) => eb.fn.sum<number>('o.open_minor').as('open_minor'),
      sql<number>`sum(case when o.open_minor < 0 and o.type <> 'invoice' then o.open_minor else 0 end)`.as('credits_minor'),
      sql<number>`sum(case when o.due_on is null and ${isItem} then 1 else 0 end)`.as('undated_items'),
    ])
    .groupBy(['o.currency', 'o.due_on'])
    .execute();
  const out: AgingSumRow[] = [];
  let hasUndatedItems = false;
  for (const r of byDue) {
    const credits = Number(r.credits_minor);
    const items = Number(r.open_minor) - credits;
    if (credits !== 0) out.push({ currency: r.currency, dueOn: r.due_on ?? asOf, isItem: false, openMinor: credits });
    if (r.due_on === null) hasUndatedItems ||= Number(r.undated_items) > 0;
    else if (items !== 0) out.push({ currency: r.currency, dueOn: r.due_on, isItem: true, openMinor: items });
  }
  if (hasUndatedItems) {
    // Rare: an invoice without due date, or a debit adjustment not allocated; aged from its issue date.
    const undated = await withOpenAt(db, tenantId, asOf, scope, hasPending)
      .selectFrom('open_at as o')
      .select(['o.currency', 'o.issued_on', (eb) => eb.fn.sum<number>('o.open_minor').as('open_minor')])
      .where('o.due_on', 'is', null)
      .where(isItem)
      .groupBy(['o.currency', 'o.issued_on'])
      .execute();
    for (const r of undated) out.push({ currency: r.currency, dueOn: r.issued_on, isItem: true, openMinor: Number(r.open_minor) });
  }
  return out;
}

export type OverdueCustomerRow = { customerId: string; overdueMinor: number; oldestDueOn: string; invoiceCount: number };

/** Overdue open invoice amount at D per customer in one currency, largest first. */
export async function sumOverdueByCustomer(db: Db, tenantId: string, asOf: string, scope: OpenScope & { currency: string }, limit: number, hasPending = true): Promise<OverdueCustomerRow[]> {
  const rows = await withOpenAt(db, tenantId, asOf, { ...scope, kind: 'invoices', dueBefore: asOf }, hasPending)
    .selectFrom('open_at as o')
    .select([
      'o.customer_id',
      (eb) => eb.fn.sum<number>('o.open_minor').as('overdue_minor'),
      sql<string>`min(coalesce(o.due_on, o.issued_on))`.as('oldest_due_on'),
      (eb) => eb.fn.countAll<number>().as('invoice_count'),
    ])
    .where(sql<SqlBool>`o.open_minor <> 0`)
    .groupBy('o.customer_id')
    .having((eb) => eb.fn.sum('o.open_minor'), '>', 0)
    .orderBy('overdue_minor', 'desc')
    .orderBy('o.customer_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ customerId: r.customer_id, overdueMinor: Number(r.overdue_minor), oldestDueOn: r.oldest_due_on, invoiceCount: Number(r.invoice_count) }));
}

export type OpenDocumentRow = {
  documentId: string;
  number: string | null;
  type: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  issuedOn: string;
  dueOn: string | null;
  currency: string;
  amountMinor: number;
  openMinor: number;
};

/**
 * The documents behind an aging figure, ordered by (due date, id) for invoices or (issue date, id) for unallocated
 * credits, from `after` (keyset pagination).
 */
export async function listOpenDocuments(
  db: Db,
  tenantId: string,
  asOf: string,
  scope: OpenScope & { currency: string; kind: 'invoices' | 'others' },
  page: { limit: number; after?: { on: string; id: string } },
  hasPending = true,
): Promise<OpenDocumentRow[]> {
  const orderColumn = scope.kind === 'invoices' ? sql<string>`coalesce(o.due_on, o.issued_on)` : sql<string>`o.issued_on`;
  let q = withOpenAt(db, tenantId, asOf, scope, hasPending)
    .selectFrom('open_at as o')
    .innerJoin('documents as d', 'd.id', 'o.id')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select([
      'o.id', 'd.number', 'o.type', 'o.customer_id', 'c.code', 'c.name', 'o.issued_on', 'd.due_on', 'o.currency', 'd.amount_minor', 'o.open_minor',
    ])
    .where(scope.kind === 'invoices' ? sql<SqlBool>`o.open_minor <> 0` : sql<SqlBool>`o.open_minor < 0`);
  if (page.after) {
    const { on, id } = page.after;
    q = q.where((eb) => eb.or([eb(orderColumn, '>', on), eb.and([eb(orderColumn, '=', on), eb('o.id', '>', id)])]));
  }
  const rows = await q.orderBy(orderColumn).orderBy('o.id').limit(page.limit).execute();
  return rows.map((r) => ({
    documentId: r.id,
    number: r.number,
    type: r.type,
    customerId: r.customer_id,
    customerCode: r.code,
    customerName: r.name,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    currency: r.currency,
    amountMinor: Number(r.amount_minor),
    openMinor: Number(r.open_minor),
  }));
}

export type MonthFlowRow = { monthKey: string; salesMinor: number; netMinor: number };

/**
 * Per month of issue, in one currency, for documents issued in [fromOn, toOn]: sales (invoices − credit notes, by
 * absolute value, DOMAIN.md) and the net of every document's amount. The net is how receivables move: with
 * allocations cancelling out between an invoice and its payment, receivables at D = Σ amounts of the documents
 * issued on or before D, so receivables at an earlier date = receivables at the as-of date − the later net flows.
 */
export async function sumFlowsByMonth(db: Db, tenantId: string, scope: CustomerFilter & { currency: string }, fromOn: string, toOn: string): Promise<MonthFlowRow[]> {
  const conditions = scopeConditions(db, tenantId, scope, 'd');
  if (!scope.customerId && !scope.collectorId && !scope.segment) {
    // The whole company: the day totals the ledger's triggers keep (migration 023), a few hundred rows.
    const days = await db
      .selectFrom('document_day_flows')
      .select(['issued_on', 'sales_minor', 'net_minor'])
      .where('tenant_id', '=', tenantId)
      .where('currency', '=', scope.currency)
      .where('issued_on', '>=', fromOn)
      .where('issued_on', '<=', toOn)
      .execute();
    return byMonth(days);
  }
  // Grouped by day, in the index's order (streamed, no sort), then by month here: a few hundred rows at most.
  // (One range sum per month in a UNION ALL saves ~5 ms on SQLite but PostgreSQL plans it as a Parallel Append whose
  // workers cost more than they save: docs/performance.md.)
  const rows = await db
    .selectFrom('documents as d')
    .select([
      'd.issued_on',
      sql<number>`sum(case when d.type = 'invoice' then d.amount_minor when d.type = 'credit_note' then -abs(d.amount_minor) else 0 end)`.as('sales_minor'),
      (eb) => eb.fn.sum<number>('d.amount_minor').as('net_minor'),
    ])
    .where('d.tenant_id', '=', tenantId)
    .where('d.issued_on', '>=', fromOn)
    .where('d.issued_on', '<=', toOn)
    .$if(conditions.length > 0, (qb) => qb.where((eb) => eb.and(conditions)))
    .groupBy('d.issued_on')
    .execute();
  return byMonth(rows);
}

function byMonth(days: { issued_on: string; sales_minor: number | string; net_minor: number | string }[]): MonthFlowRow[] {
  const months = new Map<string, MonthFlowRow>();
  for (const r of days) {
    const monthKey = r.issued_on.slice(0, 7);
    const m = months.get(monthKey) ?? { monthKey, salesMinor: 0, netMinor: 0 };
    m.salesMinor += Number(r.sales_minor);
    m.netMinor += Number(r.net_minor);
    months.set(monthKey, m);
  }
  return [...months.values()];
}

export async function customerExists(db: Db, tenantId: string, customerId: string): Promise<boolean> {
  return !!(await db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('id', '=', customerId).executeTakeFirst());
}

export async function memberExists(db: Db, tenantId: string, userId: string): Promise<boolean> {
  return !!(await db.selectFrom('memberships').select('user_id').where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst());
}

export type CustomerSummaryRow = { id: string; code: string; name: string; collectorUserId: string | null; status: string };

/**
 * Customers by primary key; the tenant is checked on each row. (With `tenant_id = ?` in the query, SQLite without
 * ANALYZE statistics assumes it matches ~10 rows and scans the company's 20,000 customers instead of 20 key lookups.)
 */
export async function findCustomers(db: Db, tenantId: string, ids: readonly string[]): Promise<CustomerSummaryRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('customers').select(['id', 'tenant_id', 'code', 'name', 'collector_user_id', 'status']).where('id', 'in', ids).execute();
  return rows
    .filter((r) => r.tenant_id === tenantId)
    .map((r) => ({ id: r.id, code: r.code, name: r.name, collectorUserId: r.collector_user_id, status: r.status }));
}

export async function listSegments(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('customers').select('segment').distinct().where('tenant_id', '=', tenantId).where('segment', 'is not', null).orderBy('segment').execute();
  return rows.map((r) => r.segment as string);
}

export type CollectorRow = { userId: string; email: string; firstName: string | null; lastName: string | null };

/** Users named as collector on at least one customer, or all given ids. */
export async function listCollectors(db: Db, tenantId: string, ids?: readonly string[]): Promise<CollectorRow[]> {
  let q = db.selectFrom('users').innerJoin('memberships', (j) => j.onRef('memberships.user_id', '=', 'users.id').on('memberships.tenant_id', '=', tenantId))
    .select(['users.id', 'users.email', 'users.first_name', 'users.last_name']);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('users.id', 'in', ids);
  } else {
    q = q.where('users.id', 'in', db.selectFrom('customers').select('collector_user_id').where('tenant_id', '=', tenantId).where('collector_user_id', 'is not', null).$narrowType<{ collector_user_id: string }>());
  }
  const rows = await q.orderBy('users.email').execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name }));
}

export type RateRow = { rateOn: string; rate: string; isCompanyRate: boolean };

/**
 * The rate for 1 `base` in `quote` on or before `asOf`: the company's own latest rate when it has one (its rates
 * override the shipped reference rates, tenant '*'), else the latest reference rate.
 */
export async function findRate(db: Db, tenantId: string, base: string, quote: string, asOf: string): Promise<RateRow | undefined> {
  for (const owner of [tenantId, '*']) {
    const row = await db
      .selectFrom('exchange_rates')
      .select(['rate_on', 'rate'])
      .where('tenant_id', '=', owner)
      .where('base_currency', '=', base)
      .where('quote_currency', '=', quote)
      .where('rate_on', '<=', asOf)
      .orderBy('rate_on', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) return { rateOn: row.rate_on, rate: row.rate, isCompanyRate: owner !== '*' };
  }
  return undefined;
}
