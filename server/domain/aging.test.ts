import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar';
import { bucketsFromUpperBounds } from '../../common/aging-buckets';
import { ageItems, assertValidBuckets, bucketFor, daysPastDue, DEFAULT_AGING_BUCKETS, validateBuckets, validateCompanyBuckets, type AgingBucket, type AgingItem } from './aging';

const asOf = '2025-12-31';
const invoice = (currency: string, daysOverdue: number, openMinor: number): AgingItem => ({ currency, dueOn: addDays(asOf, -daysOverdue), openMinor });

describe('aging buckets', () => {
  it('ship exactly as CONTRACTS.md lists them', () => {
    expect(DEFAULT_AGING_BUCKETS).toEqual([
      { key: 'notDue', fromDays: null, toDays: 0 },
      { key: '1-30', fromDays: 1, toDays: 30 },
      { key: '31-60', fromDays: 31, toDays: 60 },
      { key: '61-90', fromDays: 61, toDays: 90 },
      { key: 'over90', fromDays: 91, toDays: null },
    ]);
    expect(validateBuckets(DEFAULT_AGING_BUCKETS)).toEqual([]);
  });

  it('count an invoice as overdue only from the day after its due date', () => {
    expect(daysPastDue('2025-12-31', '2025-12-31')).toBe(0);
    expect(bucketFor(daysPastDue('2025-12-31', '2025-12-31'))).toBe('notDue');
    expect(bucketFor(daysPastDue('2025-12-31', '2025-12-30'))).toBe('1-30');
    expect(bucketFor(daysPastDue('2025-12-31', '2026-02-01'))).toBe('notDue');
  });

  it('put each boundary day in the right bucket', () => {
    const expected: [number, string][] = [[-400, 'notDue'], [0, 'notDue'], [1, '1-30'], [30, '1-30'], [31, '31-60'], [60, '31-60'], [61, '61-90'], [90, '61-90'], [91, 'over90'], [5000, 'over90']];
    for (const [days, key] of expected) expect(bucketFor(days)).toBe(key);
  });

  it('can be configured, e.g. weekly buckets', () => {
    const weekly: AgingBucket[] = [
      { key: 'current', fromDays: null, toDays: 0 },
      { key: 'week1', fromDays: 1, toDays: 7 },
      { key: 'later', fromDays: 8, toDays: null },
    ];
    expect(validateBuckets(weekly)).toEqual([]);
    expect(bucketFor(7, weekly)).toBe('week1');
    expect(bucketFor(8, weekly)).toBe('later');
    expect(validateBuckets([{ key: 'all', fromDays: null, toDays: null }])).toEqual([]);
  });

  it('are rejected when they leave a gap, overlap, repeat a key or do not cover everything', () => {
    const codes = (buckets: AgingBucket[]) => validateBuckets(buckets).map((p) => p.code);
    expect(codes([])).toEqual(['EMPTY']);
    expect(codes([{ key: 'a', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 2, toDays: null }])).toEqual(['GAP_OR_OVERLAP']);
    expect(codes([{ key: 'a', fromDays: null, toDays: 10 }, { key: 'b', fromDays: 5, toDays: null }])).toEqual(['GAP_OR_OVERLAP']);
    expect(codes([{ key: 'a', fromDays: null, toDays: 0 }, { key: 'a', fromDays: 1, toDays: null }])).toEqual(['KEY_DUPLICATE']);
    expect(codes([{ key: ' ', fromDays: null, toDays: null }])).toEqual(['KEY_MISSING']);
    expect(codes([{ key: 'a', fromDays: 0, toDays: 10 }, { key: 'b', fromDays: 11, toDays: null }])).toEqual(['OPEN_START_MISSING']);
    expect(codes([{ key: 'a', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 1, toDays: 30 }])).toEqual(['OPEN_END_MISSING']);
    expect(codes([{ key: 'a', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 1, toDays: null }, { key: 'c', fromDays: 31, toDays: null }])).toContain('UNBOUNDED_INSIDE');
    expect(codes([{ key: 'a', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 1, toDays: 0.5 }, { key: 'c', fromDays: 2, toDays: null }])).toContain('NOT_INTEGER');
    expect(codes([{ key: 'a', fromDays: null, toDays: 10 }, { key: 'b', fromDays: 11, toDays: 5 }, { key: 'c', fromDays: 6, toDays: null }])).toContain('EMPTY_RANGE');
    expect(() => assertValidBuckets([])).toThrow(/Invalid aging buckets/);
  });

  it('property: valid buckets hold every whole number of days in exactly one bucket', () => {
    const validBuckets = fc.uniqueArray(fc.integer({ min: -100, max: 400 }), { maxLength: 8 }).map((bounds) => {
      const sorted = [...bounds].sort((a, b) => a - b);
      return [...sorted.map((toDays, i) => ({ key: `b${i}`, fromDays: i === 0 ? null : sorted[i - 1] + 1, toDays })), { key: 'last', fromDays: sorted.length ? sorted[sorted.length - 1] + 1 : null, toDays: null }];
    });
    fc.assert(
      fc.property(validBuckets, fc.integer({ min: -1000, max: 1000 }), (buckets, days) => {
        expect(validateBuckets(buckets)).toEqual([]);
        const holding = buckets.filter((b) => (b.fromDays === null || days >= b.fromDays) && (b.toDays === null || days <= b.toDays));
        expect(holding).toHaveLength(1);
        expect(bucketFor(days, buckets)).toBe(holding[0].key);
      }),
    );
  });
});

describe('aging report rows', () => {
  it('reproduce the DOMAIN.md example: 140,000 not due, 70,000 / 30,000 / 12,000 / 8,000 overdue, total 260,000', () => {
    const items = [invoice('EUR', -10, 14_000_000), invoice('EUR', 15, 7_000_000), invoice('EUR', 45, 3_000_000), invoice('EUR', 75, 1_200_000), invoice('EUR', 120, 800_000)];
    expect(ageItems(asOf, items, [])).toEqual([
      { currency: 'EUR', amountsMinor: { notDue: 14_000_000, '1-30': 7_000_000, '31-60': 3_000_000, '61-90': 1_200_000, over90: 800_000 }, totalMinor: 26_000_000, unallocatedMinor: 0 },
    ]);
  });

  it('give one row per currency, sorted, never adding currencies together', () => {
    const rows = ageItems(asOf, [invoice('USD', 3, 500), invoice('EUR', 0, 100), invoice('EUR', 3, 200), invoice('JPY', 100, 9_000)], []);
    expect(rows.map((r) => [r.currency, r.totalMinor])).toEqual([['EUR', 300], ['JPY', 9_000], ['USD', 500]]);
    expect(rows[0].amountsMinor).toEqual({ notDue: 100, '1-30': 200, '31-60': 0, '61-90': 0, over90: 0 });
  });

  it('show unallocated payments and credit notes apart, as a negative amount, outside the buckets', () => {
    const rows = ageItems(asOf, [invoice('EUR', 5, 1_000)], [{ currency: 'EUR', unallocatedMinor: 300 }, { currency: 'EUR', unallocatedMinor: -200 }]);
    expect(rows).toEqual([{ currency: 'EUR', amountsMinor: { notDue: 0, '1-30': 1_000, '31-60': 0, '61-90': 0, over90: 0 }, totalMinor: 1_000, unallocatedMinor: -500 }]);
  });

  it('give a row to a currency that has only an unallocated credit', () => {
    expect(ageItems(asOf, [], [{ currency: 'GBP', unallocatedMinor: 4_200 }])).toEqual([
      { currency: 'GBP', amountsMinor: { notDue: 0, '1-30': 0, '31-60': 0, '61-90': 0, over90: 0 }, totalMinor: 0, unallocatedMinor: -4_200 },
    ]);
  });

  it('leave out settled invoices and empty credits, so a currency with nothing open has no row', () => {
    expect(ageItems(asOf, [invoice('EUR', 10, 0)], [{ currency: 'USD', unallocatedMinor: 0 }])).toEqual([]);
  });

  it('use configured buckets for the keys of every row', () => {
    const buckets: AgingBucket[] = [{ key: 'current', fromDays: null, toDays: 0 }, { key: 'late', fromDays: 1, toDays: null }];
    expect(ageItems(asOf, [invoice('EUR', 1, 10), invoice('EUR', 0, 5)], [], buckets)[0].amountsMinor).toEqual({ current: 5, late: 10 });
    expect(() => ageItems(asOf, [], [], [{ key: 'x', fromDays: 0, toDays: null }])).toThrow(/Invalid aging buckets/);
  });

  it('refuse fractional amounts and impossible dates', () => {
    expect(() => ageItems(asOf, [invoice('EUR', 1, 10.5)], [])).toThrow(RangeError);
    expect(() => ageItems(asOf, [{ currency: 'EUR', dueOn: '2025-02-30', openMinor: 1 }], [])).toThrow(/2025-02-30/);
    expect(() => ageItems('2025-12-32', [], [])).toThrow(/asOf/);
  });

  it('property: bucket amounts add up to the row total, which is the sum of open items of that currency', () => {
    const item = fc.record({
      currency: fc.constantFrom('EUR', 'USD', 'JPY'),
      dueOn: fc.integer({ min: -400, max: 400 }).map((offset) => addDays(asOf, offset)),
      openMinor: fc.integer({ min: -1_000_000, max: 100_000_000 }),
    });
    const credit = fc.record({ currency: fc.constantFrom('EUR', 'USD', 'CHF'), unallocatedMinor: fc.integer({ min: -1_000_000, max: 1_000_000 }) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.array(credit, { maxLength: 5 }), (items, credits) => {
        const rows = ageItems(asOf, items, credits);
        for (const row of rows) {
          const bucketSum = Object.values(row.amountsMinor).reduce((s, a) => s + a, 0);
          expect(bucketSum).toBe(row.totalMinor);
          expect(row.totalMinor).toBe(items.filter((i) => i.currency === row.currency).reduce((s, i) => s + i.openMinor, 0));
          expect(row.unallocatedMinor).toBeLessThanOrEqual(0);
          expect(row.unallocatedMinor + credits.filter((c) => c.currency === row.currency).reduce((s, c) => s + Math.abs(c.unallocatedMinor), 0)).toBe(0);
        }
        const withRow = new Set(rows.map((r) => r.currency));
        for (const i of items) if (i.openMinor !== 0) expect(withRow.has(i.currency)).toBe(true);
        expect(rows.map((r) => r.currency)).toEqual([...withRow].sort());
      }),
    );
  });
});

describe('aging buckets', () => {
  it('of a company: generated ones are valid; one must end on the due date, keys short and not reserved, at most 12', () => {
    expect(validateCompanyBuckets(bucketsFromUpperBounds([15, 30, 60, 90]))).toEqual([]);
    const codes = (b: Parameters<typeof validateCompanyBuckets>[0]) => validateCompanyBuckets(b).map((p) => p.code);
    expect(codes([{ key: 'early', fromDays: null, toDays: 5 }, { key: 'late', fromDays: 6, toDays: null }])).toEqual(['NO_DUE_DATE_BOUNDARY']);
    expect(codes([{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'unallocated', fromDays: 1, toDays: null }])).toEqual(['KEY_RESERVED']);
    expect(codes([{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'a.b', fromDays: 1, toDays: null }])).toEqual(['KEY_FORMAT']);
    expect(codes([{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '__proto__', fromDays: 1, toDays: null }])).toEqual(['KEY_FORMAT']);
    expect(codes(bucketsFromUpperBounds(Array.from({ length: 11 }, (_, i) => (i + 1) * 10)))).toEqual(['TOO_MANY']);
    // Splitting "not due" is allowed: due within a week, due later.
    expect(codes([{ key: 'due8+', fromDays: null, toDays: -8 }, { key: 'dueSoon', fromDays: -7, toDays: 0 }, { key: 'late', fromDays: 1, toDays: null }])).toEqual([]);
  });
});
