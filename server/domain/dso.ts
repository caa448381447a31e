/**
 * DSO, best possible DSO, average days delinquent and CEI (DOMAIN.md "Metrics"; CONTRACTS.md `reports/dso`).
 *
 * Inputs are per-currency aggregates the database computes with SQL (sales per month, receivables at two dates,
 * not-yet-due receivables), so this module is pure arithmetic. Every figure is an exact ratio of integers (BigInt),
 * rounded once at the end, half away from zero: days to 2 decimals, CEI to 1. Average days delinquent is computed
 * from the unrounded DSO and best possible DSO, then rounded (worked example: 64.65 − 34.81 = 29.84).
 */
import { addMonths, assertIsoDate, daysInMonth, monthKey, startOfMonth, endOfMonth, type IsoDate } from './calendar';
import { assertMinor, roundRatioHalfAwayFromZero } from './money';

export type DsoMethod = 'standard' | 'countback';

/** DOMAIN.md: countback is not limited to N months, but walks at most 24. Also the longest accepted period. */
export const MAX_DSO_MONTHS = 24;

export interface DsoInput {
  asOf: IsoDate;
  /** N: the period is N whole calendar months ending with the as-of month. 1–24. */
  months: number;
  /** 'YYYY-MM' → sales (invoices − credit notes issued in the month) for up to 24 months back, including the as-of
   *  month counted up to the as-of date. A missing month means no sales. */
  monthlySalesMinor: Readonly<Record<string, number>>;
  /** Open invoice amounts − unallocated credits at the as-of date. */
  receivablesAtAsOfMinor: number;
  /** Open amounts of invoices due on or after the as-of date. */
  notYetDueAtAsOfMinor: number;
  /** Receivables at the end of the month before the period (CEI's opening balance). */
  receivablesAtPeriodStartMinor: number;
}

export interface PeriodMonth {
  monthKey: string;
  fromOn: IsoDate;
  toOn: IsoDate;
  days: number;
}

/** An exact non-negative-denominator ratio; every figure is one until it is rounded for display. */
interface Ratio {
  num: bigint;
  den: bigint;
}

function assertMonths(months: number): void {
  if (!Number.isInteger(months) || months < 1 || months > MAX_DSO_MONTHS) {
    throw new RangeError(`months must be a whole number from 1 to ${MAX_DSO_MONTHS}, got ${months}`);
  }
}

/** The k-th month back from the as-of month (k = 0 is the as-of month, counted from its 1st to the as-of date). */
function monthBack(asOf: IsoDate, k: number): PeriodMonth {
  if (k === 0) {
    const fromOn = startOfMonth(asOf);
    return { monthKey: monthKey(asOf), fromOn, toOn: asOf, days: Number(asOf.slice(8, 10)) };
  }
  const fromOn = addMonths(startOfMonth(asOf), -k);
  return { monthKey: monthKey(fromOn), fromOn, toOn: endOfMonth(fromOn), days: daysInMonth(fromOn) };
}

/**
 * The N months of the period, oldest first. DOMAIN.md: if the as-of date is not a month end, its month counts from
 * its first day to the as-of date (asOf 2025-12-15 → December counts 15 days).
 */
export function periodMonths(asOf: IsoDate, months: number): PeriodMonth[] {
  assertIsoDate(asOf, 'asOf');
  assertMonths(months);
  return Array.from({ length: months }, (_, k) => monthBack(asOf, months - 1 - k));
}

/** Days of the period: 92 for Oct–Dec as of 31 Dec, 15 for N = 1 as of 15 Dec. */
export function periodDays(asOf: IsoDate, months: number): number {
  return periodMonths(asOf, months).reduce((sum, month) => sum + month.days, 0);
}

function salesOf(input: DsoInput, key: string): bigint {
  const value = input.monthlySalesMinor[key] ?? 0;
  assertMinor(value, `sales of ${key}`);
  return BigInt(value);
}

function validateInput(input: DsoInput): void {
  assertIsoDate(input.asOf, 'asOf');
  assertMonths(input.months);
  assertMinor(input.receivablesAtAsOfMinor, 'receivablesAtAsOfMinor');
  assertMinor(input.notYetDueAtAsOfMinor, 'notYetDueAtAsOfMinor');
  assertMinor(input.receivablesAtPeriodStartMinor, 'receivablesAtPeriodStartMinor');
}

function periodSales(input: DsoInput): bigint {
  return periodMonths(input.asOf, input.months).reduce((sum, month) => sum + salesOf(input, month.monthKey), 0n);
}

/** Sales of the N-month period, in minor units. */
export function periodSalesMinor(input: DsoInput): number {
  validateInput(input);
  const total = periodSales(input);
  assertMinor(Number(total), 'sales of the period');
  return Number(total);
}

const days2 = (ratio: Ratio | null): number | null => (ratio === null ? null : roundRatioHalfAwayFromZero(ratio.num, ratio.den, 2));

/**
 * amount / sales of the period × days of the period. Nothing outstanding is 0 days whatever the sales; otherwise
 * no (or negative) sales in the period has no meaningful answer and gives null, never a division by zero.
 */
function standardRatio(input: DsoInput, amountMinor: number): Ratio | null {
  if (amountMinor === 0) return { num: 0n, den: 1n };
  const sales = periodSales(input);
  if (sales <= 0n) return null;
  return { num: BigInt(amountMinor) * BigInt(periodDays(input.asOf, input.months)), den: sales };
}

/** DOMAIN.md standard DSO = receivables at the as-of date / sales of the period × days of the period. */
export function standardDso(input: DsoInput): number | null {
  validateInput(input);
  return days2(standardRatio(input, input.receivablesAtAsOfMinor));
}

export interface CountbackStep extends PeriodMonth {
  salesMinor: number;
  /** full: the remainder covered the month's sales; partial: the month where the walk stopped; noSales: sales ≤ 0,
   *  full days added without touching the remainder; skipped: a month without sales passed over by a negative walk. */
  kind: 'full' | 'partial' | 'noSales' | 'skipped';
  /** Days this month adds, rounded to 2 decimals for display (the total is computed from exact values). */
  daysAdded: number;
  remainderAfterMinor: number;
}

export interface CountbackExplanation {
  startingAmountMinor: number;
  /** Months walked, newest first. */
  steps: CountbackStep[];
  /** Amount still uncovered after 24 months (only when `isCapped`). */
  remainderMinor: number;
  /** True when 24 months of sales did not exhaust the amount: the DSO is then 24 months of days. */
  isCapped: boolean;
  days: number | null;
}

function walk(amountMinor: number, asOf: IsoDate, monthlySalesMinor: Readonly<Record<string, number>>): { ratio: Ratio | null; explanation: CountbackExplanation } {
  assertIsoDate(asOf, 'asOf');
  assertMinor(amountMinor, 'amount');
  const steps: CountbackStep[] = [];
  const sales = (key: string): bigint => {
    const value = monthlySalesMinor[key] ?? 0;
    assertMinor(value, `sales of ${key}`);
    return BigInt(value);
  };
  const finish = (ratio: Ratio | null, remainder: bigint, isCapped: boolean) => ({
    ratio,
    explanation: { startingAmountMinor: amountMinor, steps, remainderMinor: Number(remainder), isCapped, days: days2(ratio) },
  });
  if (amountMinor === 0) return finish({ num: 0n, den: 1n }, 0n, false);

  if (amountMinor < 0) {
    // A net credit owes no days of sales. DOMAIN.md's walk assumes something to exhaust, so a negative amount is
    // read as the negative fraction of the newest month that has sales (monotonic with the positive side, and the
    // same sign as the standard method); months without sales are passed over adding nothing.
    for (let k = 0; k < MAX_DSO_MONTHS; k++) {
      const month = monthBack(asOf, k);
      const monthSales = sales(month.monthKey);
      if (monthSales <= 0n) {
        steps.push({ ...month, salesMinor: Number(monthSales), kind: 'skipped', daysAdded: 0, remainderAfterMinor: amountMinor });
        continue;
      }
      const ratio = { num: BigInt(amountMinor) * BigInt(month.days), den: monthSales };
      steps.push({ ...month, salesMinor: Number(monthSales), kind: 'partial', daysAdded: days2(ratio)!, remainderAfterMinor: 0 });
      return finish(ratio, 0n, false);
    }
    return finish(null, BigInt(amountMinor), false);
  }

  let remainder = BigInt(amountMinor);
  let wholeDays = 0n;
  for (let k = 0; k < MAX_DSO_MONTHS; k++) {
    const month = monthBack(asOf, k);
    const monthSales = sales(month.monthKey);
    const days = BigInt(month.days);
    if (monthSales <= 0n) {
      // DOMAIN.md: a month with zero or negative sales adds its full days (and leaves the remainder as it is).
      wholeDays += days;
      steps.push({ ...month, salesMinor: Number(monthSales), kind: 'noSales', daysAdded: month.days, remainderAfterMinor: Number(remainder) });
    } else if (remainder >= monthSales) {
      // The remainder covers the month's sales: subtract them, add the month's days.
      remainder -= monthSales;
      wholeDays += days;
      steps.push({ ...month, salesMinor: Number(monthSales), kind: 'full', daysAdded: month.days, remainderAfterMinor: Number(remainder) });
      // Exactly exhausted: stop here, or an empty month further back would add days for nothing outstanding.
      if (remainder === 0n) return finish({ num: wholeDays, den: 1n }, 0n, false);
    } else {
      // First month not covered: remainder / sales × days, then stop.
      const fraction = { num: remainder * days, den: monthSales };
      steps.push({ ...month, salesMinor: Number(monthSales), kind: 'partial', daysAdded: days2(fraction)!, remainderAfterMinor: 0 });
      return finish({ num: wholeDays * monthSales + remainder * days, den: monthSales }, 0n, false);
    }
  }
  return finish({ num: wholeDays, den: 1n }, remainder, true);
}

/**
 * DOMAIN.md countback walk (méthode par épuisement) applied to any amount, from the as-of month back, at most 24
 * months. Returns the steps so the UI can show how the figure was computed.
 */
export function countbackWalk(amountMinor: number, asOf: IsoDate, monthlySalesMinor: Readonly<Record<string, number>>): CountbackExplanation {
  return walk(amountMinor, asOf, monthlySalesMinor).explanation;
}

/** Countback DSO of the receivables at the as-of date; not limited to N months (worked example: 63.58 for N = 1 and 3). */
export function countbackDso(input: DsoInput): { dso: number | null; explanation: CountbackExplanation } {
  validateInput(input);
  const { explanation } = walk(input.receivablesAtAsOfMinor, input.asOf, input.monthlySalesMinor);
  return { dso: explanation.days, explanation };
}

function dsoRatio(input: DsoInput, method: DsoMethod, amountMinor: number): Ratio | null {
  if (method === 'standard') return standardRatio(input, amountMinor);
  if (method === 'countback') return walk(amountMinor, input.asOf, input.monthlySalesMinor).ratio;
  throw new RangeError(`Unknown DSO method: ${String(method)}`);
}

/** DOMAIN.md: the same method applied to the not-yet-due receivables. */
export function bestPossibleDso(input: DsoInput, method: DsoMethod): number | null {
  validateInput(input);
  return days2(dsoRatio(input, method, input.notYetDueAtAsOfMinor));
}

function subtract(a: Ratio | null, b: Ratio | null): Ratio | null {
  if (a === null || b === null) return null;
  return { num: a.num * b.den - b.num * a.den, den: a.den * b.den };
}

/** DOMAIN.md: DSO − best possible DSO, same method, from unrounded values, then rounded. */
export function averageDaysDelinquent(input: DsoInput, method: DsoMethod): number | null {
  validateInput(input);
  return days2(subtract(dsoRatio(input, method, input.receivablesAtAsOfMinor), dsoRatio(input, method, input.notYetDueAtAsOfMinor)));
}

/**
 * DOMAIN.md CEI = (opening receivables + sales of the period − receivables at the as-of date)
 *               / (opening receivables + sales of the period − not-yet-due receivables) × 100, 1 decimal.
 * Null when the denominator is 0 (nothing was collectible).
 */
export function cei(input: DsoInput): number | null {
  validateInput(input);
  const collectible = BigInt(input.receivablesAtPeriodStartMinor) + periodSales(input);
  const denominator = collectible - BigInt(input.notYetDueAtAsOfMinor);
  if (denominator === 0n) return null;
  return roundRatioHalfAwayFromZero((collectible - BigInt(input.receivablesAtAsOfMinor)) * 100n, denominator, 1);
}

export interface DsoExplanation {
  method: DsoMethod;
  periodMonths: PeriodMonth[];
  periodDays: number;
  periodSalesMinor: number;
  receivablesMinor: number;
  notYetDueMinor: number;
  /** Present for the countback method: the walks behind the DSO and the best possible DSO. */
  countback?: { dso: CountbackExplanation; bestPossibleDso: CountbackExplanation };
}

export interface DsoFigures {
  dso: number | null;
  bestPossibleDso: number | null;
  averageDaysDelinquent: number | null;
  cei: number | null;
  explanation: DsoExplanation;
}

/** Every figure of the DSO report for one currency, with what the UI needs to show how it was computed. */
export function computeDsoFigures(input: DsoInput, method: DsoMethod): DsoFigures {
  validateInput(input);
  if (method !== 'standard' && method !== 'countback') throw new RangeError(`Unknown DSO method: ${String(method)}`);
  const explanation: DsoExplanation = {
    method,
    periodMonths: periodMonths(input.asOf, input.months),
    periodDays: periodDays(input.asOf, input.months),
    periodSalesMinor: periodSalesMinor(input),
    receivablesMinor: input.receivablesAtAsOfMinor,
    notYetDueMinor: input.notYetDueAtAsOfMinor,
  };
  let dso: Ratio | null;
  let best: Ratio | null;
  if (method === 'countback') {
    const dsoWalk = walk(input.receivablesAtAsOfMinor, input.asOf, input.monthlySalesMinor);
    const bestWalk = walk(input.notYetDueAtAsOfMinor, input.asOf, input.monthlySalesMinor);
    dso = dsoWalk.ratio;
    best = bestWalk.ratio;
    explanation.countback = { dso: dsoWalk.explanation, bestPossibleDso: bestWalk.explanation };
  } else {
    dso = standardRatio(input, input.receivablesAtAsOfMinor);
    best = standardRatio(input, input.notYetDueAtAsOfMinor);
  }
  return { dso: days2(dso), bestPossibleDso: days2(best), averageDaysDelinquent: days2(subtract(dso, best)), cei: cei(input), explanation };
}
