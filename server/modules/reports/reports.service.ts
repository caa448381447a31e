import { z } from 'zod';
import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { ageItems, DEFAULT_AGING_BUCKETS, type AgingBucket, type AgingRow } from '../../domain/aging';
import { addDays, addMonths, diffDays, isMonthEnd, monthKey, previousMonthEnd, startOfMonth, todayInTimeZone, type IsoDate } from '../../domain/calendar';
import { computeDsoFigures, countbackDso, MAX_DSO_MONTHS, periodMonths, standardDso, type CountbackExplanation, type DsoInput, type DsoMethod } from '../../domain/dso';
import { invalidField, notFound } from '../../http/errors';
import { decodeCursor, encodeCursor } from '../../http/fields';
import { effectiveAgingBuckets } from '../companies/companies.aging';
import { findCompany } from '../companies/companies.repository';
import { convertAging } from './reports.conversion';
import { topOverdueCustomersNow } from './reports.late';
import {
  customerExists, needsCorrectionsAt, findCustomers, listCollectors, listOpenDocuments, listSegments, memberExists, sumFlowsByMonth,
  sumOpenByDueDate, sumOverdueByCustomer, type CustomerFilter,
} from './reports.repository';
import { allOf } from './reports.work';
import type { AgingItemsQuery, AgingQuery, DashboardQuery, DsoQuery, DsoTrendQuery, TopLateQuery } from './reports.schemas';

export type ReportScope = { tenantId: string; today: IsoDate; baseCurrency: string; buckets: AgingBucket[] };

/**
 * The company's local "today" (tenants.time_zone, deps.clock), base currency and aging buckets (its own, else the
 * defaults): the defaults of every report.
 */
export async function reportScope(deps: Deps, tenantId: string): Promise<ReportScope> {
  const company = await findCompany(deps.db, tenantId);
  if (!company) throw notFound();
  return { tenantId, today: todayInTimeZone(deps.clock.now(), company.timeZone), baseCurrency: company.baseCurrency, buckets: effectiveAgingBuckets(company) };
}

/** A customer or collector of another company is "not found", never an empty success that would confirm nothing. */
export async function checkFilter(db: Db, tenantId: string, f: CustomerFilter): Promise<CustomerFilter> {
  if (f.customerId && !(await customerExists(db, tenantId, f.customerId))) throw notFound();
  if (f.collectorId && !(await memberExists(db, tenantId, f.collectorId))) throw notFound();
  return { customerId: f.customerId, collectorId: f.collectorId, segment: f.segment };
}

export type AgingState = { rows: AgingRow[]; notYetDueByCurrency: Map<string, number> };

/** Aging at D with the domain's bucketing (server/domain/aging.ts) over SQL sums per currency and due date. */
export async function agingAt(db: Db, tenantId: string, asOf: IsoDate, f: CustomerFilter & { currency?: string }, buckets: readonly AgingBucket[] = DEFAULT_AGING_BUCKETS, hasPending?: boolean): Promise<AgingState> {
  // Due dates on the same side of every bucket's lower bound (and of the due date itself) age alike.
  const cuts = [...new Set([1, ...buckets.flatMap((b) => (b.fromDays === null ? [] : [b.fromDays]))])].map((days) => addDays(asOf, -days));
  const sums = await sumOpenByDueDate(db, tenantId, asOf, f, hasPending ?? (await needsCorrectionsAt(db, tenantId, asOf)), cuts);
  const items = sums.filter((s) => s.isItem).map((s) => ({ currency: s.currency, dueOn: s.dueOn, openMinor: s.openMinor }));
  const credits = sums.filter((s) => !s.isItem).map((s) => ({ currency: s.currency, unallocatedMinor: s.openMinor }));
  const notYetDueByCurrency = new Map<string, number>();
  // DOMAIN.md: not yet due = open amounts of invoices with due date ≥ the date (overdue from the day after).
  for (const item of items) if (item.dueOn >= asOf) notYetDueByCurrency.set(item.currency, (notYetDueByCurrency.get(item.currency) ?? 0) + item.openMinor);
  return { rows: ageItems(asOf, items, credits, buckets), notYetDueByCurrency };
}

export async function getAging(deps: Deps, tenantId: string, q: AgingQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const filter = await checkFilter(deps.db, tenantId, q);
  const buckets = scope.buckets;
  const { rows } = await agingAt(deps.db, tenantId, asOf, filter, buckets);
  const converted = q.convertTo ? await convertAging(deps.db, tenantId, asOf, rows, buckets.map((b) => b.key), q.convertTo) : undefined;
  return { asOf, buckets: buckets.map((b) => ({ ...b })), rows, ...(converted ? { converted } : {}) };
}

type Flows = { firstMonthKey: string; salesByMonth: Record<string, number>; netByMonth: Record<string, number> };

/** Sales and net movements per month, from the first day of `firstMonthStart` to `asOf`. */
async function loadFlows(db: Db, tenantId: string, f: CustomerFilter & { currency: string }, firstMonthStart: IsoDate, asOf: IsoDate): Promise<Flows> {
  const rows = await sumFlowsByMonth(db, tenantId, f, firstMonthStart, asOf);
  return {
    firstMonthKey: monthKey(firstMonthStart),
    salesByMonth: Object.fromEntries(rows.map((r) => [r.monthKey, r.salesMinor])),
    netByMonth: Object.fromEntries(rows.map((r) => [r.monthKey, r.netMinor])),
  };
}

/** Net movements of the months after `monthEnd` up to the as-of date: receivables(monthEnd) = receivables(asOf) − this. */
function netAfter(flows: Flows, monthEnd: IsoDate): number {
  const after = monthKey(monthEnd);
  return Object.entries(flows.netByMonth).reduce((sum, [key, net]) => (key > after ? sum + net : sum), 0);
}

/** True when a countback walk went back past the months loaded, so it must be redone with more history. */
const walkedPast = (walk: CountbackExplanation | undefined, firstMonthKey: string) => !!walk && walk.steps.some((s) => s.monthKey < firstMonthKey);

/**
 * The months of sales a DSO needs: the period, and for countback the months the walk goes through. Most walks stop
 * within a few months, so those are loaded first; the full 24 months only when a walk goes further (DOMAIN.md).
 */
function initialFirstMonth(asOf: IsoDate, months: number): IsoDate {
  return addMonths(startOfMonth(asOf), -(Math.max(months, 4) - 1));
}
const fullFirstMonth = (asOf: IsoDate) => addMonths(startOfMonth(asOf), -(MAX_DSO_MONTHS - 1));

type DsoParams = { asOf: IsoDate; currency: string; months: number; method: DsoMethod; filter: CustomerFilter & { currency: string } };

/**
 * DSO figures of one currency from an aging already computed at the as-of date (receivables and not-yet-due come
 * from it) and the months' sales and movements; `firstFlows` may be loaded in parallel by the caller.
 */
async function dsoFromAging(db: Db, tenantId: string, p: DsoParams, aging: AgingState, firstFlows?: Flows) {
  const { asOf, currency } = p;
  const row = aging.rows.find((r) => r.currency === currency);
  const openInvoicesMinor = row?.totalMinor ?? 0;
  const unallocatedMinor = row?.unallocatedMinor ?? 0;
  const receivablesMinor = openInvoicesMinor + unallocatedMinor;
  const notYetDueMinor = aging.notYetDueByCurrency.get(currency) ?? 0;
  const openingReceivablesOn = addDays(periodMonths(asOf, p.months)[0].fromOn, -1);

  const compute = (flows: Flows) => {
    const input: DsoInput = {
      asOf,
      months: p.months,
      monthlySalesMinor: flows.salesByMonth,
      receivablesAtAsOfMinor: receivablesMinor,
      notYetDueAtAsOfMinor: notYetDueMinor,
      receivablesAtPeriodStartMinor: receivablesMinor - netAfter(flows, openingReceivablesOn),
    };
    return { input, figures: computeDsoFigures(input, p.method) };
  };
  let flows = firstFlows ?? (await loadFlows(db, tenantId, p.filter, initialFirstMonth(asOf, p.months), asOf));
  let result = compute(flows);
  const walks = result.figures.explanation.countback;
  if (walkedPast(walks?.dso, flows.firstMonthKey) || walkedPast(walks?.bestPossibleDso, flows.firstMonthKey)) {
    flows = await loadFlows(db, tenantId, p.filter, fullFirstMonth(asOf), asOf);
    result = compute(flows);
  }
  const { figures, input } = result;
  return {
    asOf,
    currency,
    method: p.method,
    months: p.months,
    dso: figures.dso,
    bestPossibleDso: figures.bestPossibleDso,
    averageDaysDelinquent: figures.averageDaysDelinquent,
    cei: figures.cei,
    explanation: {
      periodMonths: figures.explanation.periodMonths.map((m) => ({ ...m, salesMinor: flows.salesByMonth[m.monthKey] ?? 0 })),
      periodDays: figures.explanation.periodDays,
      periodSalesMinor: figures.explanation.periodSalesMinor,
      receivablesMinor,
      openInvoicesMinor,
      unallocatedMinor,
      notYetDueMinor,
      openingReceivablesOn,
      openingReceivablesMinor: input.receivablesAtPeriodStartMinor,
      ...(figures.explanation.countback ? { countback: figures.explanation.countback } : {}),
    },
  };
}

export async function getDso(deps: Deps, tenantId: string, q: DsoQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const currency = q.currency ?? scope.baseCurrency;
  const filter = { ...(await checkFilter(deps.db, tenantId, q)), currency };
  const aging = await agingAt(deps.db, tenantId, asOf, filter);
  return dsoFromAging(deps.db, tenantId, { asOf, currency, months: q.months, method: q.method, filter }, aging);
}

/**
 * The dashboard's three reports in one request (docs/performance.md "Reports"): the aging of every currency is
 * computed once and gives the DSO its receivables; the months' movements and the late customers are read alongside
 * (side by side on PostgreSQL). Each part has exactly the shape of its own endpoint.
 */
export async function getDashboard(deps: Deps, tenantId: string, q: DashboardQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const currency = q.currency ?? scope.baseCurrency;
  const filter = await checkFilter(deps.db, tenantId, q);
  const hasPending = await needsCorrectionsAt(deps.db, tenantId, asOf);
  const dsoFilter = { ...filter, currency };
  // allOf, not Promise.all over started promises: initialFirstMonth threw synchronously at asOf=0001-01-01 after the
  // first two had started, and their rejections, unhandled, ended the process (issue 10).
  const [aging, topLateCustomers, flows] = await allOf(
    () => agingAt(deps.db, tenantId, asOf, filter, scope.buckets, hasPending),
    () => topLateFor(deps.db, tenantId, asOf, currency, filter, q.limit, hasPending),
    () => loadFlows(deps.db, tenantId, dsoFilter, initialFirstMonth(asOf, q.months), asOf),
  );
  const dso = await dsoFromAging(deps.db, tenantId, { asOf, currency, months: q.months, method: q.method, filter: dsoFilter }, aging, flows);
  return { asOf, currency, aging: { asOf, buckets: scope.buckets.map((b) => ({ ...b })), rows: aging.rows }, dso, topLateCustomers };
}

/** The month ends of a trend, oldest first: the last `count` month ends on or before the as-of date. */
export function trendMonthEnds(asOf: IsoDate, count: number): IsoDate[] {
  const last = isMonthEnd(asOf) ? asOf : previousMonthEnd(asOf);
  return Array.from({ length: count }, (_, k) => previousMonthEnd(addMonths(startOfMonth(last), -(count - 1 - k) + 1)));
}

/**
 * DSO at each of the last month ends. Receivables at a past month end come from today's (exact, from the open
 * items) minus the net movements since, so the trend costs one aging and one pass over the months' documents.
 */
export async function getDsoTrend(deps: Deps, tenantId: string, q: DsoTrendQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const currency = q.currency ?? scope.baseCurrency;
  const filter = { ...(await checkFilter(deps.db, tenantId, q)), currency };
  const { rows } = await agingAt(deps.db, tenantId, asOf, filter);
  const row = rows.find((r) => r.currency === currency);
  const receivablesNow = (row?.totalMinor ?? 0) + (row?.unallocatedMinor ?? 0);
  const ends = trendMonthEnds(asOf, q.months);

  const compute = (flows: Flows) =>
    ends.map((end) => {
      const input: DsoInput = {
        asOf: end,
        months: q.periodMonths,
        monthlySalesMinor: flows.salesByMonth,
        receivablesAtAsOfMinor: receivablesNow - netAfter(flows, end),
        notYetDueAtAsOfMinor: 0,
        receivablesAtPeriodStartMinor: 0,
      };
      const walk = q.method === 'countback' ? countbackDso(input) : undefined;
      const periodSalesMinor = periodMonths(end, q.periodMonths).reduce((s, m) => s + (flows.salesByMonth[m.monthKey] ?? 0), 0);
      return { point: { asOf: end, dso: walk ? walk.dso : standardDso(input), receivablesMinor: input.receivablesAtAsOfMinor, periodSalesMinor }, walk: walk?.explanation };
    });
  let flows = await loadFlows(deps.db, tenantId, filter, initialFirstMonth(ends[0], q.periodMonths), asOf);
  let computed = compute(flows);
  if (computed.some((c) => walkedPast(c.walk, flows.firstMonthKey))) {
    flows = await loadFlows(deps.db, tenantId, filter, fullFirstMonth(ends[0]), asOf);
    computed = compute(flows);
  }
  return { currency, method: q.method, periodMonths: q.periodMonths, points: computed.map((c) => c.point) };
}

async function topLateFor(db: Db, tenantId: string, asOf: IsoDate, currency: string, filter: CustomerFilter, limit: number, hasPending: boolean) {
  // Exact cached open amounts (today, as a rule): the bounded search; otherwise every customer's amounts at D.
  const rows = hasPending ? await sumOverdueByCustomer(db, tenantId, asOf, { ...filter, currency }, limit, true) : await topOverdueCustomersNow(db, tenantId, asOf, { ...filter, currency }, limit);
  const customers = new Map((await findCustomers(db, tenantId, rows.map((r) => r.customerId))).map((c) => [c.id, c]));
  return {
    asOf,
    currency,
    items: rows.map((r) => {
      const c = customers.get(r.customerId);
      return {
        customerId: r.customerId,
        customerCode: c?.code ?? '',
        customerName: c?.name ?? '',
        collectorId: c?.collectorUserId ?? null,
        overdueMinor: r.overdueMinor,
        invoiceCount: r.invoiceCount,
        oldestDueOn: r.oldestDueOn,
        maxDaysPastDue: diffDays(asOf, r.oldestDueOn),
      };
    }),
  };
}

export async function getTopLateCustomers(deps: Deps, tenantId: string, q: TopLateQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const filter = await checkFilter(deps.db, tenantId, q);
  return topLateFor(deps.db, tenantId, asOf, q.currency ?? scope.baseCurrency, filter, q.limit, await needsCorrectionsAt(deps.db, tenantId, asOf));
}

const itemsCursor = z.object({ on: z.string(), id: z.string() });

/** Due dates of a bucket at D: days past due in [fromDays, toDays] ⇔ due date in [D − toDays, D − fromDays]. */
export function bucketDueRange(asOf: IsoDate, bucket: AgingBucket): { dueFrom?: IsoDate; dueTo?: IsoDate } {
  return {
    ...(bucket.toDays !== null ? { dueFrom: addDays(asOf, -bucket.toDays) } : {}),
    ...(bucket.fromDays !== null ? { dueTo: addDays(asOf, -bucket.fromDays) } : {}),
  };
}

export async function getAgingItems(deps: Deps, tenantId: string, q: AgingItemsQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const currency = q.currency ?? scope.baseCurrency;
  const filter = await checkFilter(deps.db, tenantId, q);
  // The company's buckets: a key of the defaults that the company no longer uses is an unknown bucket.
  const bucket = scope.buckets.find((b) => b.key === q.bucket);
  if (!bucket && q.bucket !== 'unallocated') throw invalidField('query.bucket', 'invalidValue');
  const rows = await listOpenDocuments(
    deps.db,
    tenantId,
    asOf,
    { ...filter, currency, kind: bucket ? 'invoices' : 'others', ...(bucket ? bucketDueRange(asOf, bucket) : {}) },
    { limit: q.limit + 1, after: decodeCursor(q.cursor, itemsCursor) },
    await needsCorrectionsAt(deps.db, tenantId, asOf),
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    asOf,
    bucket: q.bucket,
    currency,
    items: page.map((r) => ({ ...r, daysPastDue: r.type === 'invoice' && r.dueOn ? diffDays(asOf, r.dueOn) : null })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ on: bucket ? last.dueOn ?? last.issuedOn : last.issuedOn, id: last.documentId }) : null,
  };
}

/** What the report filters can offer: segments in use and the collectors named on customers. */
export async function getFilterOptions(deps: Deps, tenantId: string) {
  const scope = await reportScope(deps, tenantId);
  const [segments, collectors] = await allOf(() => listSegments(deps.db, tenantId), () => listCollectors(deps.db, tenantId));
  return {
    today: scope.today,
    baseCurrency: scope.baseCurrency,
    segments,
    collectors: collectors.map((c) => ({ id: c.userId, name: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email, email: c.email })),
  };
}
