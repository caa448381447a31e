import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  cei,
  computeDsoFigures,
  countbackDso,
  countbackWalk,
  periodDays,
  periodMonths,
  periodSalesMinor,
  standardDso,
  type DsoInput,
} from './dso';

const euros = (value: number) => value * 100;

/** DOMAIN.md worked example, as of 31 Dec: sales Oct 120,000, Nov 100,000, Dec 150,000. */
const workedExample = (months: number): DsoInput => ({
  asOf: '2025-12-31',
  months,
  monthlySalesMinor: { '2025-10': euros(120_000), '2025-11': euros(100_000), '2025-12': euros(150_000) },
  receivablesAtAsOfMinor: euros(260_000),
  notYetDueAtAsOfMinor: euros(140_000),
  // End of the month before the period: 30 Sep for N = 3, 30 Nov for N = 1.
  receivablesAtPeriodStartMinor: months === 3 ? euros(210_000) : euros(230_000),
});

const input = (overrides: Partial<DsoInput>): DsoInput => ({ ...workedExample(3), ...overrides });

describe('the DOMAIN.md worked example, N = 3 months (Oct–Dec, 92 days)', () => {
  const example = workedExample(3);

  it('counts 92 days in the period and 370,000 of sales', () => {
    expect(periodDays(example.asOf, 3)).toBe(92);
    expect(periodSalesMinor(example)).toBe(euros(370_000));
  });

  it('standard DSO is 260,000 / 370,000 × 92 = 64.65', () => expect(standardDso(example)).toBe(64.65));
  it('countback DSO is 31 + 30 + 10,000 / 120,000 × 31 = 63.58', () => expect(countbackDso(example).dso).toBe(63.58));
  it('best possible DSO is 34.81 (standard) and 28.93 (countback)', () => {
    expect(bestPossibleDso(example, 'standard')).toBe(34.81);
    expect(bestPossibleDso(example, 'countback')).toBe(28.93);
  });
  it('average days delinquent is 29.84 (standard) and 34.65 (countback)', () => {
    expect(averageDaysDelinquent(example, 'standard')).toBe(29.84);
    expect(averageDaysDelinquent(example, 'countback')).toBe(34.65);
  });
  it('CEI is (210,000 + 370,000 − 260,000) / (210,000 + 370,000 − 140,000) = 72.7 %', () => expect(cei(example)).toBe(72.7));

  it('computes every figure at once, for either method', () => {
    expect(computeDsoFigures(example, 'standard')).toMatchObject({ dso: 64.65, bestPossibleDso: 34.81, averageDaysDelinquent: 29.84, cei: 72.7 });
    expect(computeDsoFigures(example, 'countback')).toMatchObject({ dso: 63.58, bestPossibleDso: 28.93, averageDaysDelinquent: 34.65, cei: 72.7 });
  });
});

describe('the DOMAIN.md worked example, N = 1 month (Dec, 31 days)', () => {
  const example = workedExample(1);

  it('standard DSO is 260,000 / 150,000 × 31 = 53.73', () => expect(standardDso(example)).toBe(53.73));
  it('countback DSO is still 63.58: the walk is not limited to N months', () => expect(countbackDso(example).dso).toBe(63.58));
  it('best possible DSO is 28.93 with both methods', () => {
    expect(bestPossibleDso(example, 'standard')).toBe(28.93);
    expect(bestPossibleDso(example, 'countback')).toBe(28.93);
  });
  it('average days delinquent is 24.80 (standard) and 34.65 (countback)', () => {
    expect(averageDaysDelinquent(example, 'standard')).toBe(24.8);
    expect(averageDaysDelinquent(example, 'countback')).toBe(34.65);
  });
  it('CEI is (230,000 + 150,000 − 260,000) / (230,000 + 150,000 − 140,000) = 50.0 %', () => expect(cei(example)).toBe(50));

  it('computes every figure at once, for either method', () => {
    expect(computeDsoFigures(example, 'standard')).toMatchObject({ dso: 53.73, bestPossibleDso: 28.93, averageDaysDelinquent: 24.8, cei: 50 });
    expect(computeDsoFigures(example, 'countback')).toMatchObject({ dso: 63.58, bestPossibleDso: 28.93, averageDaysDelinquent: 34.65, cei: 50 });
  });
});

describe('how the countback was computed', () => {
  it('lists the months walked, the days each added and what remained', () => {
    const { explanation } = countbackDso(workedExample(3));
    expect(explanation.startingAmountMinor).toBe(euros(260_000));
    expect(explanation.isCapped).toBe(false);
    expect(explanation.steps.map(({ monthKey, days, salesMinor, kind, daysAdded, remainderAfterMinor }) => ({ monthKey, days, salesMinor, kind, daysAdded, remainderAfterMinor }))).toEqual([
      { monthKey: '2025-12', days: 31, salesMinor: euros(150_000), kind: 'full', daysAdded: 31, remainderAfterMinor: euros(110_000) },
      { monthKey: '2025-11', days: 30, salesMinor: euros(100_000), kind: 'full', daysAdded: 30, remainderAfterMinor: euros(10_000) },
      { monthKey: '2025-10', days: 31, salesMinor: euros(120_000), kind: 'partial', daysAdded: 2.58, remainderAfterMinor: 0 },
    ]);
    expect(explanation.steps[2]).toMatchObject({ fromOn: '2025-10-01', toOn: '2025-10-31' });
  });

  it('explains both walks in the countback report, and the period in either', () => {
    const { explanation } = computeDsoFigures(workedExample(3), 'countback');
    expect(explanation.countback?.bestPossibleDso.steps).toHaveLength(1);
    expect(explanation.countback?.bestPossibleDso.days).toBe(28.93);
    expect(explanation).toMatchObject({ method: 'countback', periodDays: 92, periodSalesMinor: euros(370_000), receivablesMinor: euros(260_000), notYetDueMinor: euros(140_000) });
    expect(computeDsoFigures(workedExample(3), 'standard').explanation.countback).toBeUndefined();
  });

  it('adds the full days of a month with no or negative sales and leaves the remainder untouched', () => {
    const walked = countbackWalk(euros(150), '2025-12-31', { '2025-12': 0, '2025-11': euros(-50), '2025-10': euros(300) });
    expect(walked.steps.map((s) => [s.kind, s.daysAdded, s.remainderAfterMinor])).toEqual([['noSales', 31, euros(150)], ['noSales', 30, euros(150)], ['partial', 15.5, 0]]);
    expect(walked.days).toBe(76.5);
  });

  it('stops as soon as the receivables are exactly exhausted', () => {
    const walked = countbackWalk(euros(150_000), '2025-12-31', { '2025-12': euros(150_000), '2025-11': 0 });
    expect(walked.days).toBe(31);
    expect(walked.steps).toHaveLength(1);
  });

  it('walks at most 24 months and says so', () => {
    const walked = countbackWalk(euros(1_000_000), '2025-12-31', { '2025-12': euros(10) });
    expect(walked.isCapped).toBe(true);
    expect(walked.steps).toHaveLength(24);
    expect(walked.steps[23].monthKey).toBe('2024-01');
    expect(walked.days).toBe(731); // 2024-01-01 … 2025-12-31, 2024 a leap year
    expect(walked.remainderMinor).toBe(euros(1_000_000) - euros(10));
  });
});

describe('DSO edge cases', () => {
  it('no receivables means 0 days with either method', () => {
    const nothingOwed = input({ receivablesAtAsOfMinor: 0, notYetDueAtAsOfMinor: 0 });
    expect(standardDso(nothingOwed)).toBe(0);
    expect(countbackDso(nothingOwed).dso).toBe(0);
    expect(countbackDso(nothingOwed).explanation.steps).toEqual([]);
    expect(computeDsoFigures(nothingOwed, 'countback')).toMatchObject({ dso: 0, bestPossibleDso: 0, averageDaysDelinquent: 0 });
  });

  it('a net credit (negative receivables) gives a negative DSO with either method', () => {
    const netCredit = input({ receivablesAtAsOfMinor: euros(-15_000) });
    expect(standardDso(netCredit)).toBe(-3.73); // -15,000 / 370,000 × 92
    expect(countbackDso(netCredit).dso).toBe(-3.1); // -15,000 / 150,000 × 31
    const skipsEmptyMonths = countbackWalk(euros(-100), '2025-12-31', { '2025-11': euros(300) });
    expect(skipsEmptyMonths.steps.map((s) => [s.kind, s.daysAdded])).toEqual([['skipped', 0], ['partial', -10]]);
    expect(countbackWalk(euros(-100), '2025-12-31', {}).days).toBeNull();
  });

  it('a partial as-of month counts from its first day to the as-of date, for days and sales', () => {
    const midMonth: DsoInput = {
      asOf: '2025-12-15',
      months: 1,
      monthlySalesMinor: { '2025-12': euros(75_000), '2025-11': euros(100_000) },
      receivablesAtAsOfMinor: euros(100_000),
      notYetDueAtAsOfMinor: euros(50_000),
      receivablesAtPeriodStartMinor: euros(120_000),
    };
    expect(periodDays('2025-12-15', 1)).toBe(15);
    expect(periodMonths('2025-12-15', 1)).toEqual([{ monthKey: '2025-12', fromOn: '2025-12-01', toOn: '2025-12-15', days: 15 }]);
    expect(standardDso(midMonth)).toBe(20); // 100,000 / 75,000 × 15
    expect(countbackDso(midMonth).dso).toBe(22.5); // 15 + 25,000 / 100,000 × 30
    expect(periodDays('2025-12-15', 3)).toBe(31 + 30 + 15);
  });

  it('lists the period months oldest first, across a year end and a leap February', () => {
    expect(periodMonths('2024-03-31', 3)).toEqual([
      { monthKey: '2024-01', fromOn: '2024-01-01', toOn: '2024-01-31', days: 31 },
      { monthKey: '2024-02', fromOn: '2024-02-01', toOn: '2024-02-29', days: 29 },
      { monthKey: '2024-03', fromOn: '2024-03-01', toOn: '2024-03-31', days: 31 },
    ]);
    expect(periodDays('2025-12-31', 12)).toBe(365);
  });

  it('rounds half away from zero once, and derives days delinquent from unrounded values', () => {
    // 31 days, sales 31,000 minor: DSO = receivables / 1,000 exactly.
    const tie = input({ months: 1, monthlySalesMinor: { '2025-12': 31_000 }, receivablesAtAsOfMinor: 10_005, notYetDueAtAsOfMinor: 5_004 });
    expect(standardDso(tie)).toBe(10.01); // 10.005, a true tie, goes up
    expect(bestPossibleDso(tie, 'standard')).toBe(5); // 5.004
    expect(averageDaysDelinquent(tie, 'standard')).toBe(5); // 5.001, not 10.01 − 5.00 = 5.01
    expect(standardDso(input({ months: 1, monthlySalesMinor: { '2025-12': 31_000 }, receivablesAtAsOfMinor: -10_005 }))).toBe(-10.01);
  });

  it('gives null instead of dividing by zero', () => {
    const noSales = input({ monthlySalesMinor: {} });
    expect(standardDso(noSales)).toBeNull();
    expect(bestPossibleDso(noSales, 'standard')).toBeNull();
    expect(averageDaysDelinquent(noSales, 'standard')).toBeNull();
    expect(standardDso(input({ monthlySalesMinor: { '2025-12': euros(-10) } }))).toBeNull();
    const nothingCollectible = input({ receivablesAtPeriodStartMinor: 0, monthlySalesMinor: { '2025-12': euros(100) }, notYetDueAtAsOfMinor: euros(100) });
    expect(cei(nothingCollectible)).toBeNull();
    expect(computeDsoFigures(noSales, 'standard')).toMatchObject({ dso: null, bestPossibleDso: null, averageDaysDelinquent: null });
  });

  it('ignores sales outside the period for the standard method but not for countback', () => {
    const withOlderSales = input({ months: 1, monthlySalesMinor: { '2025-12': euros(100), '2025-11': euros(1_000) }, receivablesAtAsOfMinor: euros(200) });
    expect(standardDso(withOlderSales)).toBe(62); // 200 / 100 × 31
    expect(countbackDso(withOlderSales).dso).toBe(34); // 31 + 100 / 1,000 × 30
  });

  it('refuses impossible inputs', () => {
    expect(() => periodDays('2025-12-31', 0)).toThrow(RangeError);
    expect(() => periodDays('2025-12-31', 25)).toThrow(RangeError);
    expect(() => standardDso(input({ asOf: '2025-12-32' }))).toThrow(RangeError);
    expect(() => standardDso(input({ receivablesAtAsOfMinor: 1.5 }))).toThrow(RangeError);
    expect(() => standardDso(input({ monthlySalesMinor: { '2025-12': 0.5 } }))).toThrow(RangeError);
    expect(() => computeDsoFigures(workedExample(3), 'median' as never)).toThrow(/Unknown DSO method/);
  });
});

describe('countback DSO properties', () => {
  const asOf = fc.constantFrom('2025-12-31', '2025-12-15', '2024-02-29', '2026-01-01');
  const sales = fc.array(fc.integer({ min: -1_000_000, max: 50_000_000 }), { minLength: 0, maxLength: 30 });
  const toMonthly = (date: string, values: number[]): Record<string, number> => {
    const result: Record<string, number> = {};
    values.forEach((value, k) => {
      const [y, m] = date.split('-').map(Number);
      const index = y * 12 + (m - 1) - k;
      result[`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`] = value;
    });
    return result;
  };

  it('property: never exceeds 24 months of days', () => {
    fc.assert(
      fc.property(asOf, sales, fc.integer({ min: 0, max: 2_000_000_000 }), (date, values, receivables) => {
        const days = countbackWalk(receivables, date, toMonthly(date, values)).days!;
        expect(days).toBeGreaterThanOrEqual(0);
        expect(days).toBeLessThanOrEqual(periodDays(date, 24));
      }),
    );
  });

  it('property: more receivables never mean fewer days', () => {
    fc.assert(
      fc.property(asOf, sales, fc.integer({ min: -100_000_000, max: 2_000_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (date, values, receivables, extra) => {
        const monthly = toMonthly(date, values);
        const lower = countbackWalk(receivables, date, monthly).days;
        const higher = countbackWalk(receivables + extra, date, monthly).days;
        fc.pre(lower !== null && higher !== null);
        expect(higher!).toBeGreaterThanOrEqual(lower!);
      }),
    );
  });

  it('property: with steady sales, countback and standard DSO agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 3_000_000 }), (perDay, receivables) => {
        // 30-day months in a row are not available, so use sales proportional to each month's days.
        const monthly = toMonthly('2025-12-31', [31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 28, 31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 29, 31].map((d) => d * perDay));
        const example: DsoInput = { asOf: '2025-12-31', months: 3, monthlySalesMinor: monthly, receivablesAtAsOfMinor: Math.min(receivables, perDay * 92), notYetDueAtAsOfMinor: 0, receivablesAtPeriodStartMinor: 0 };
        expect(Math.abs(countbackDso(example).dso! - standardDso(example)!)).toBeLessThanOrEqual(0.01);
      }),
    );
  });
});
