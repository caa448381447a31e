/**
 * 13-week cash-in forecast (DOMAIN.md "Metrics", cash forecast): a promise at its date; disputed items at due date +
 * the average resolution time of their dispute type; other items at due date + the customer's average payment delay
 * (over the last 6 months — the caller computes it); an item whose expected date has passed goes to the current week.
 *
 * Weeks are ISO weeks (Monday to Sunday); week 0 is the week containing today. Totals are per currency, and every
 * non-excluded open amount lands exactly once: in one of the 13 weeks or in `laterMinor`.
 */
import { addDays, assertIsoDate, diffDays, startOfIsoWeek, type IsoDate } from './calendar';
import { assertMinor, roundHalfAwayFromZero } from './money';

export const FORECAST_WEEKS = 13;

export interface ForecastItem {
  documentId: string;
  currency: string;
  openMinor: number;
  dueOn: IsoDate;
  /** The customer's average payment delay in days (may be fractional or negative); null = no history, 0 assumed. */
  customerAverageDelayDays: number | null;
  /** Date the customer promised to pay; wins over every estimate. */
  promisedOn?: IsoDate | null;
  /** Set (non-null) only for a disputed item: the average resolution time of its dispute type, in days. */
  disputeTypeResolutionDays?: number | null;
  /** Left out of the weeks (e.g. handed to legal, excluded customer) and totalled apart. */
  isExcluded?: boolean;
}

export interface ForecastWeek {
  weekStartOn: IsoDate;
  amountMinor: number;
  documentIds: string[];
}

export interface CurrencyForecast {
  currency: string;
  weeks: ForecastWeek[];
  /** Expected after week 12. */
  laterMinor: number;
  laterDocumentIds: string[];
  /** Open amounts of excluded items, not in the weeks nor in `laterMinor`. */
  excludedMinor: number;
}

export interface Forecast {
  today: IsoDate;
  /** One entry per currency having a non-zero open item, sorted by currency. */
  currencies: CurrencyForecast[];
}

function wholeDays(days: number, what: string): number {
  if (!Number.isFinite(days)) throw new RangeError(`${what} must be a finite number of days, got ${days}`);
  // Averages are fractional; dates move by whole days, rounded half away from zero like every rounding (DOMAIN.md).
  return roundHalfAwayFromZero(days, 0);
}

/**
 * The date the money is expected, before the "already passed → this week" rule: the promise date if any; else, for
 * a disputed item, due date + its dispute type's average resolution days; else due date + the customer's average
 * delay (0 when unknown).
 */
export function expectedPaymentOn(item: ForecastItem): IsoDate {
  assertIsoDate(item.dueOn, 'dueOn');
  if (item.promisedOn != null) {
    assertIsoDate(item.promisedOn, 'promisedOn');
    return item.promisedOn;
  }
  if (item.disputeTypeResolutionDays != null) {
    return addDays(item.dueOn, wholeDays(item.disputeTypeResolutionDays, 'disputeTypeResolutionDays'));
  }
  return addDays(item.dueOn, wholeDays(item.customerAverageDelayDays ?? 0, 'customerAverageDelayDays'));
}

/** Week index counted from the week of `today` (0–12), or 'later'. A past expected date counts in week 0. */
export function forecastWeekIndex(expectedOn: IsoDate, today: IsoDate): number | 'later' {
  if (diffDays(expectedOn, today) < 0) return 0;
  const index = Math.floor(diffDays(expectedOn, startOfIsoWeek(today)) / 7);
  return index < FORECAST_WEEKS ? index : 'later';
}

export function forecastCashIn(items: readonly ForecastItem[], today: IsoDate): Forecast {
  assertIsoDate(today, 'today');
  const firstMonday = startOfIsoWeek(today);
  const byCurrency = new Map<string, CurrencyForecast>();
  const forecastFor = (currency: string): CurrencyForecast => {
    let forecast = byCurrency.get(currency);
    if (!forecast) {
      forecast = {
        currency,
        weeks: Array.from({ length: FORECAST_WEEKS }, (_, week) => ({ weekStartOn: addDays(firstMonday, 7 * week), amountMinor: 0, documentIds: [] })),
        laterMinor: 0,
        laterDocumentIds: [],
        excludedMinor: 0,
      };
      byCurrency.set(currency, forecast);
    }
    return forecast;
  };

  for (const item of items) {
    assertMinor(item.openMinor, 'openMinor');
    if (item.openMinor === 0) continue; // nothing left to collect
    const forecast = forecastFor(item.currency);
    if (item.isExcluded) {
      forecast.excludedMinor += item.openMinor;
      assertMinor(forecast.excludedMinor, `${item.currency} excluded total`);
      continue;
    }
    const index = forecastWeekIndex(expectedPaymentOn(item), today);
    if (index === 'later') {
      forecast.laterMinor += item.openMinor;
      forecast.laterDocumentIds.push(item.documentId);
      assertMinor(forecast.laterMinor, `${item.currency} later total`);
    } else {
      const week = forecast.weeks[index];
      week.amountMinor += item.openMinor;
      week.documentIds.push(item.documentId);
      assertMinor(week.amountMinor, `${item.currency} week total`);
    }
  }
  const currencies = [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { today, currencies };
}
