import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** Shapes of GET /api/v1/reports/* (server/modules/reports/reports.schemas.ts). Money in minor units beside a currency. */
export type AgingBucket = { key: string; fromDays: number | null; toDays: number | null };
export type AgingRow = { currency: string; amountsMinor: Record<string, number>; totalMinor: number; unallocatedMinor: number };
export type RateLeg = { baseCurrency: string; quoteCurrency: string; rate: string; rateOn: string; source: 'company' | 'reference'; isInverted: boolean };
export type Aging = {
  asOf: string;
  buckets: AgingBucket[];
  rows: AgingRow[];
  converted?: { currency: string; amountsMinor: Record<string, number>; totalMinor: number; unallocatedMinor: number; rates: { currency: string; legs: RateLeg[] }[]; missingCurrencies: string[] };
};
export type CountbackStep = { monthKey: string; days: number; salesMinor: number; kind: 'full' | 'partial' | 'noSales' | 'skipped'; daysAdded: number; remainderAfterMinor: number };
export type CountbackWalk = { startingAmountMinor: number; steps: CountbackStep[]; remainderMinor: number; isCapped: boolean; days: number | null };
export type Dso = {
  asOf: string;
  currency: string;
  method: 'countback' | 'standard';
  months: number;
  dso: number | null;
  bestPossibleDso: number | null;
  averageDaysDelinquent: number | null;
  cei: number | null;
  explanation: {
    periodMonths: { monthKey: string; fromOn: string; toOn: string; days: number; salesMinor: number }[];
    periodDays: number;
    periodSalesMinor: number;
    receivablesMinor: number;
    openInvoicesMinor: number;
    unallocatedMinor: number;
    notYetDueMinor: number;
    openingReceivablesOn: string;
    openingReceivablesMinor: number;
    countback?: { dso: CountbackWalk; bestPossibleDso: CountbackWalk };
  };
};
export type DsoTrend = { currency: string; method: string; periodMonths: number; points: { asOf: string; dso: number | null; receivablesMinor: number; periodSalesMinor: number }[] };
export type Forecast = {
  asOf: string;
  delayHistory: { fromOn: string; toOn: string; customersWithHistory: number };
  currencies: { currency: string; openMinor: number; weeks: { weekStartOn: string; amountMinor: number; itemCount: number }[]; laterMinor: number; laterItemCount: number; excludedMinor: number }[];
};
export type TopLate = {
  asOf: string;
  currency: string;
  items: { customerId: string; customerCode: string; customerName: string; overdueMinor: number; invoiceCount: number; oldestDueOn: string; maxDaysPastDue: number }[];
};
export type AgingItems = {
  items: { documentId: string; number: string | null; customerName: string; customerCode: string; issuedOn: string; dueOn: string | null; daysPastDue: number | null; currency: string; amountMinor: number; openMinor: number }[];
  nextCursor: string | null;
};
export type Collectors = {
  fromOn: string;
  toOn: string;
  items: { collectorId: string | null; name: string | null; currencies: { currency: string; openMinor: number; overdueMinor: number; collectedMinor: number; customersWithOpenItems: number }[]; actionsDone: null; promisesKept: null; tracked: boolean }[];
};
type DelayFigures = { paidMinor: number; averageDaysLate: number | null; onTimeSharePercent: number | null };
export type PayerProfiles = {
  items: { customerId: string; customerCode: string; customerName: string; currency: string; current: DelayFigures; previous: DelayFigures; changeDays: number | null; trend: 'improving' | 'worsening' | 'stable' | null }[];
};
export type Dashboard = { asOf: string; currency: string; aging: Aging; dso: Dso; topLateCustomers: TopLate };
export type FilterOptions = { today: string; baseCurrency: string; segments: string[]; collectors: { id: string; name: string }[] };

export type ReportParams = Record<string, string | number | undefined | null>;

/** Query string without the empty values, so "all collectors" sends nothing. */
export function reportQuery(params: ReportParams): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const reportUrl = (name: string, params: ReportParams = {}, ext = '') => `/api/v1/reports/${name}${ext}${reportQuery(params)}`;

export function useReport<T>(name: string, params: ReportParams = {}, enabled = true) {
  return useQuery({
    queryKey: ['reports', name, params],
    queryFn: () => api<T>('GET', reportUrl(name, params)),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export const useFilterOptions = () => useQuery({ queryKey: ['reports', 'filters'], queryFn: () => api<FilterOptions>('GET', '/api/v1/reports/filters') });
