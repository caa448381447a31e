import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { addMonths, startOfMonth, type IsoDate } from '../../domain/calendar';
import { forecastCashIn, type ForecastItem } from '../../domain/forecast';
import { roundRatioHalfAwayFromZero } from '../../domain/money';
import { invalidField } from '../../http/errors';
import {
  listExcludedCustomerIds, sumCollectedByCollector, sumOpenByCollector, sumOpenForForecast, sumPaymentDelays, type PaymentDelayRow,
} from './reports.collections.repository';
import { findCustomers, needsCorrectionsAt, listCollectors } from './reports.repository';
import { allOf } from './reports.work';
import type { CollectorsQuery, ForecastQuery, PayerProfilesQuery } from './reports.schemas';
import { checkFilter, reportScope } from './reports.service';

/** DOMAIN.md: the forecast uses the customer's average payment delay over the last 6 months. */
export const DELAY_HISTORY_MONTHS = 6;

/**
 * Per-document facts owned by modules that do not exist yet — promises (a promised date wins), disputes (due date +
 * the average resolution time of the dispute type), exclusions. A source returns only the documents it knows about;
 * they are taken out of the per-customer aggregates and forecast one by one.
 */
export type ForecastOverride = {
  documentId: string;
  customerId: string;
  currency: string;
  dueOn: IsoDate;
  openMinor: number;
  promisedOn?: IsoDate | null;
  disputeTypeResolutionDays?: number | null;
  isExcluded?: boolean;
};
export type ForecastOverrideSource = (db: Db, tenantId: string, asOf: IsoDate) => Promise<ForecastOverride[]>;
/** Until the promises and disputes modules exist, nothing overrides the average-delay estimate. */
export const noForecastOverrides: ForecastOverrideSource = async () => [];

const key = (customerId: string, currency: string) => `${customerId}\u0000${currency}`;

/** Average delay per customer and currency (days, exact fraction), from the amount-weighted sums. */
function averageDelays(rows: readonly PaymentDelayRow[]): Map<string, number> {
  return new Map(rows.filter((r) => r.paidMinor > 0).map((r) => [key(r.customerId, r.currency), r.weightedDelayDays / r.paidMinor]));
}

export async function getForecast(deps: Deps, tenantId: string, q: ForecastQuery, overrides: ForecastOverrideSource = noForecastOverrides) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const filter = await checkFilter(deps.db, tenantId, q);
  const historyFrom = addMonths(asOf, -DELAY_HISTORY_MONTHS);
  const hasPending = await needsCorrectionsAt(deps.db, tenantId, asOf);
  // allOf: a synchronous throw in one (an override source, say) must not leave the others rejecting unhandled.
  const [rows, delayRows, excluded, overridden] = await allOf(
    () => sumOpenForForecast(deps.db, tenantId, asOf, { ...filter, currency: q.currency }, hasPending),
    () => sumPaymentDelays(deps.db, deps.engine, tenantId, historyFrom, asOf),
    () => listExcludedCustomerIds(deps.db, tenantId),
    () => overrides(deps.db, tenantId, asOf),
  );
  const delays = averageDelays(delayRows);
  const groupKey = (customerId: string, currency: string, dueOn: string) => `${key(customerId, currency)}\u0000${dueOn}`;
  const taken = new Map<string, { amount: number; count: number }>();
  const items: ForecastItem[] = [];
  const counts = new Map<string, number>();
  for (const o of overridden) {
    if (q.currency && o.currency !== q.currency) continue;
    const g = groupKey(o.customerId, o.currency, o.dueOn);
    const t = taken.get(g) ?? { amount: 0, count: 0 };
    taken.set(g, { amount: t.amount + o.openMinor, count: t.count + 1 });
    counts.set(o.documentId, 1);
    items.push({
      documentId: o.documentId, currency: o.currency, openMinor: o.openMinor, dueOn: o.dueOn, customerAverageDelayDays: delays.get(key(o.customerId, o.currency)) ?? null,
      promisedOn: o.promisedOn, disputeTypeResolutionDays: o.disputeTypeResolutionDays, isExcluded: o.isExcluded || excluded.has(o.customerId),
    });
  }
  for (const r of rows) {
    const g = groupKey(r.customerId, r.currency, r.dueOn);
    const t = taken.get(g);
    counts.set(g, r.count - (t?.count ?? 0));
    items.push({
      documentId: g, currency: r.currency, openMinor: r.openMinor - (t?.amount ?? 0), dueOn: r.dueOn,
      customerAverageDelayDays: delays.get(key(r.customerId, r.currency)) ?? null, isExcluded: excluded.has(r.customerId),
    });
  }
  const forecast = forecastCashIn(items, asOf);
  const countOf = (ids: readonly string[]) => ids.reduce((n, id) => n + (counts.get(id) ?? 0), 0);
  const openByCurrency = new Map<string, number>();
  for (const item of items) openByCurrency.set(item.currency, (openByCurrency.get(item.currency) ?? 0) + item.openMinor);
  return {
    asOf,
    delayHistory: { fromOn: historyFrom, toOn: asOf, weighting: 'amount' as const, customersWithHistory: new Set(delayRows.map((r) => r.customerId)).size },
    tracked: { promises: false, disputes: false },
    currencies: forecast.currencies.map((c) => ({
      currency: c.currency,
      openMinor: openByCurrency.get(c.currency) ?? 0,
      weeks: c.weeks.map((w) => ({ weekStartOn: w.weekStartOn, amountMinor: w.amountMinor, itemCount: countOf(w.documentIds) })),
      laterMinor: c.laterMinor,
      laterItemCount: countOf(c.laterDocumentIds),
      excludedMinor: c.excludedMinor,
    })),
  };
}

type DelayFigures = { paidMinor: number; invoiceCount: number; averageDelayDays: number | null; averageDaysLate: number | null; onTimeSharePercent: number | null };

function figures(r: PaymentDelayRow | undefined): DelayFigures {
  if (!r || r.paidMinor <= 0) return { paidMinor: r?.paidMinor ?? 0, invoiceCount: r?.invoiceCount ?? 0, averageDelayDays: null, averageDaysLate: null, onTimeSharePercent: null };
  const paid = BigInt(r.paidMinor);
  return {
    paidMinor: r.paidMinor,
    invoiceCount: r.invoiceCount,
    averageDelayDays: roundRatioHalfAwayFromZero(BigInt(r.weightedDelayDays), paid, 2),
    averageDaysLate: roundRatioHalfAwayFromZero(BigInt(r.weightedLateDays), paid, 2),
    onTimeSharePercent: roundRatioHalfAwayFromZero(BigInt(r.paidOnTimeMinor) * 100n, paid, 1),
  };
}

/** Less than a day of change either way is "stable". */
const TREND_THRESHOLD_DAYS = 1;

/**
 * How a customer pays, per currency: amount-weighted average delay and days late (early payments count 0 days late)
 * and the share of the amount paid by the due date, over the last 6 months and the 6 before, to show the trend.
 */
export async function getPayerProfiles(deps: Deps, tenantId: string, q: PayerProfilesQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  if (q.customerId) await checkFilter(deps.db, tenantId, { customerId: q.customerId });
  const currentFrom = addMonths(asOf, -DELAY_HISTORY_MONTHS);
  const previousFrom = addMonths(asOf, -2 * DELAY_HISTORY_MONTHS);
  const [current, previous] = await allOf(
    () => sumPaymentDelays(deps.db, deps.engine, tenantId, currentFrom, asOf, q.customerId),
    () => sumPaymentDelays(deps.db, deps.engine, tenantId, previousFrom, currentFrom, q.customerId),
  );
  const previousByKey = new Map(previous.map((r) => [key(r.customerId, r.currency), r]));
  const keys = new Map<string, { customerId: string; currency: string }>();
  for (const r of [...current, ...previous]) keys.set(key(r.customerId, r.currency), { customerId: r.customerId, currency: r.currency });
  const currentByKey = new Map(current.map((r) => [key(r.customerId, r.currency), r]));
  const profiles = [...keys.entries()].map(([k, { customerId, currency }]) => {
    const now = figures(currentByKey.get(k));
    const before = figures(previousByKey.get(k));
    const changeDays = now.averageDaysLate !== null && before.averageDaysLate !== null ? Math.round((now.averageDaysLate - before.averageDaysLate) * 100) / 100 : null;
    const trend = changeDays === null ? null : changeDays <= -TREND_THRESHOLD_DAYS ? 'improving' : changeDays >= TREND_THRESHOLD_DAYS ? 'worsening' : 'stable';
    return { customerId, currency, current: now, previous: before, changeDays, trend };
  });
  profiles.sort((a, b) => (b.current.averageDaysLate ?? -Infinity) - (a.current.averageDaysLate ?? -Infinity) || (a.customerId < b.customerId ? -1 : 1));
  const page = profiles.slice(0, q.limit);
  const customers = new Map((await findCustomers(deps.db, tenantId, [...new Set(page.map((p) => p.customerId))])).map((c) => [c.id, c]));
  return {
    asOf,
    currentPeriod: { fromOn: currentFrom, toOn: asOf },
    previousPeriod: { fromOn: previousFrom, toOn: currentFrom },
    items: page.map((p) => ({ ...p, customerCode: customers.get(p.customerId)?.code ?? '', customerName: customers.get(p.customerId)?.name ?? '' })),
  };
}

/**
 * Per collector: open and overdue amounts per currency in their portfolio at D, cash collected in the period.
 * Actions done and promises kept belong to modules not built yet: null, with `tracked: false`, never a fake 0.
 */
export async function getCollectors(deps: Deps, tenantId: string, q: CollectorsQuery) {
  const scope = await reportScope(deps, tenantId);
  const asOf = q.asOf ?? scope.today;
  const toOn = q.to ?? asOf;
  const fromOn = q.from ?? startOfMonth(toOn);
  if (fromOn > toOn) throw invalidField('query.from', 'invalidValue');
  const filter = { segment: q.segment };
  const hasPending = await needsCorrectionsAt(deps.db, tenantId, asOf);
  const [open, collected] = await allOf(() => sumOpenByCollector(deps.db, tenantId, asOf, filter, hasPending), () => sumCollectedByCollector(deps.db, tenantId, fromOn, toOn, filter));
  const ids = [...new Set([...open, ...collected].map((r) => r.collectorId).filter((id): id is string => id !== null))];
  const users = new Map((await listCollectors(deps.db, tenantId, ids)).map((u) => [u.userId, u]));
  type Line = { currency: string; openMinor: number; overdueMinor: number; collectedMinor: number; customersWithOpenItems: number };
  const byCollector = new Map<string | null, Map<string, Line>>();
  const lineOf = (collectorId: string | null, currency: string) => {
    let lines = byCollector.get(collectorId);
    if (!lines) byCollector.set(collectorId, (lines = new Map()));
    let line = lines.get(currency);
    if (!line) lines.set(currency, (line = { currency, openMinor: 0, overdueMinor: 0, collectedMinor: 0, customersWithOpenItems: 0 }));
    return line;
  };
  for (const r of open) {
    const line = lineOf(r.collectorId, r.currency);
    line.openMinor += r.openMinor;
    line.overdueMinor += r.overdueMinor;
    line.customersWithOpenItems += r.customerCount;
  }
  for (const r of collected) lineOf(r.collectorId, r.currency).collectedMinor += r.collectedMinor;
  const items = [...byCollector.entries()].map(([collectorId, lines]) => {
    const user = collectorId ? users.get(collectorId) : undefined;
    return {
      collectorId,
      name: user ? [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email : null,
      email: user?.email ?? null,
      currencies: [...lines.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
      actionsDone: null,
      promisesKept: null,
      tracked: false,
    };
  });
  items.sort((a, b) => (a.collectorId === null ? 1 : b.collectorId === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '')));
  return { asOf, fromOn, toOn, items };
}
