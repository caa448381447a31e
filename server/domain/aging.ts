/**
 * Aging of open invoices by days past due (DOMAIN.md "Metrics": days = as-of date − due date; not due (≤ 0), 1–30,
 * 31–60, 61–90, over 90; configurable) in the shape of CONTRACTS.md `GET /api/v1/reports/aging`.
 *
 * The caller passes open amounts *as they stood on the as-of date* (open amount = amount − allocations dated on or
 * before that date, see allocation.ts): this module only buckets and totals, per currency, never across currencies.
 */
import { BUCKET_KEY_PATTERN, canonicalBucketKey, keyMatchesBounds, MAX_AGING_BUCKETS, MAX_BUCKET_DAYS, RESERVED_BUCKET_KEYS } from '../../common/aging-buckets';
import { assertIsoDate, diffDays, type IsoDate } from './calendar';
import { assertMinor } from './money';

export interface AgingBucket {
  key: string;
  /** Inclusive lower bound in days past due; null = no lower bound (the first bucket). */
  fromDays: number | null;
  /** Inclusive upper bound in days past due; null = no upper bound (the last bucket). */
  toDays: number | null;
}

/** CONTRACTS.md defaults, key for key. An invoice due today is 0 days past due, so "not due" (DOMAIN.md: overdue from the day after the due date). */
export const DEFAULT_AGING_BUCKETS: readonly AgingBucket[] = Object.freeze([
  { key: 'notDue', fromDays: null, toDays: 0 },
  { key: '1-30', fromDays: 1, toDays: 30 },
  { key: '31-60', fromDays: 31, toDays: 60 },
  { key: '61-90', fromDays: 61, toDays: 90 },
  { key: 'over90', fromDays: 91, toDays: null },
]);

export interface BucketProblem {
  code:
    | 'EMPTY' | 'KEY_MISSING' | 'KEY_DUPLICATE' | 'NOT_INTEGER' | 'OPEN_START_MISSING' | 'OPEN_END_MISSING' | 'UNBOUNDED_INSIDE' | 'EMPTY_RANGE' | 'GAP_OR_OVERLAP'
    // Company settings only (validateCompanyBuckets):
    | 'TOO_MANY' | 'KEY_FORMAT' | 'KEY_RESERVED' | 'KEY_MISMATCH' | 'OUT_OF_RANGE' | 'NO_DUE_DATE_BOUNDARY';
  /** Index of the offending bucket, when there is one. */
  index?: number;
  message: string;
  /** What the message needs besides the bucket (e.g. the key the days call for). */
  params?: Record<string, string | number>;
}

/**
 * Problems that would make an item fall in no bucket or in two: buckets must be listed in ascending order, start
 * unbounded (fromDays null), end unbounded (toDays null), and touch without gap or overlap (each fromDays = previous
 * toDays + 1), with unique non-empty keys. An empty list means the buckets are valid.
 */
export function validateBuckets(buckets: readonly AgingBucket[]): BucketProblem[] {
  const problems: BucketProblem[] = [];
  if (buckets.length === 0) return [{ code: 'EMPTY', message: 'At least one bucket is needed' }];
  const seen = new Set<string>();
  buckets.forEach((bucket, index) => {
    if (typeof bucket.key !== 'string' || bucket.key.trim() === '') {
      problems.push({ code: 'KEY_MISSING', index, message: `Bucket ${index + 1} has no key` });
    } else if (seen.has(bucket.key)) {
      problems.push({ code: 'KEY_DUPLICATE', index, message: `Bucket key "${bucket.key}" is used twice` });
    }
    seen.add(bucket.key);
    for (const bound of [bucket.fromDays, bucket.toDays]) {
      if (bound !== null && !Number.isSafeInteger(bound)) {
        problems.push({ code: 'NOT_INTEGER', index, message: `Bucket "${bucket.key}" bounds must be whole days` });
      }
    }
    const isFirst = index === 0;
    const isLast = index === buckets.length - 1;
    if ((bucket.fromDays === null && !isFirst) || (bucket.toDays === null && !isLast)) {
      problems.push({ code: 'UNBOUNDED_INSIDE', index, message: `Only the first bucket may start, and only the last may end, unbounded ("${bucket.key}")` });
    }
    if (bucket.fromDays !== null && bucket.toDays !== null && bucket.fromDays > bucket.toDays) {
      problems.push({ code: 'EMPTY_RANGE', index, message: `Bucket "${bucket.key}" starts after it ends` });
    }
    if (!isFirst) {
      const previous = buckets[index - 1];
      if (previous.toDays !== null && bucket.fromDays !== null && bucket.fromDays !== previous.toDays + 1) {
        problems.push({ code: 'GAP_OR_OVERLAP', index, message: `Bucket "${bucket.key}" must start at ${previous.toDays + 1} days, right after "${previous.key}"` });
      }
    }
  });
  if (buckets[0].fromDays !== null) {
    problems.push({ code: 'OPEN_START_MISSING', index: 0, message: 'The first bucket must have no lower bound, so that nothing is left out' });
  }
  if (buckets[buckets.length - 1].toDays !== null) {
    problems.push({ code: 'OPEN_END_MISSING', index: buckets.length - 1, message: 'The last bucket must have no upper bound, so that nothing is left out' });
  }
  return problems;
}

/**
 * validateBuckets plus what a company's own buckets must also respect, because people read them: a bucket must end on
 * the due date (0 days), so that "not due" and "overdue" are never mixed (the dashboard's overdue figure relies on
 * it); keys are short, readable, not reserved, and a key that reads as days ("1-15", "over90") covers those days.
 */
export function validateCompanyBuckets(buckets: readonly AgingBucket[]): BucketProblem[] {
  const problems = validateBuckets(buckets);
  if (buckets.length > MAX_AGING_BUCKETS) problems.push({ code: 'TOO_MANY', message: `At most ${MAX_AGING_BUCKETS} buckets`, params: { maximum: MAX_AGING_BUCKETS } });
  buckets.forEach((bucket, index) => {
    const key = typeof bucket.key === 'string' ? bucket.key : '';
    if (key && !BUCKET_KEY_PATTERN.test(key)) problems.push({ code: 'KEY_FORMAT', index, message: `Bucket key "${key}" has characters that are not allowed` });
    else if ((RESERVED_BUCKET_KEYS as readonly string[]).includes(key)) problems.push({ code: 'KEY_RESERVED', index, message: `Bucket key "${key}" is reserved`, params: { key } });
    else if (key && !keyMatchesBounds(key, bucket)) {
      problems.push({ code: 'KEY_MISMATCH', index, message: `Bucket key "${key}" does not match its days`, params: { key, expected: canonicalBucketKey(bucket) } });
    }
    for (const bound of [bucket.fromDays, bucket.toDays]) {
      if (bound !== null && Math.abs(bound) > MAX_BUCKET_DAYS) problems.push({ code: 'OUT_OF_RANGE', index, message: `Bucket "${key}" bounds must be within ${MAX_BUCKET_DAYS} days`, params: { maximum: MAX_BUCKET_DAYS } });
    }
  });
  if (buckets.length > 0 && !buckets.some((b) => b.toDays === 0)) {
    problems.push({ code: 'NO_DUE_DATE_BOUNDARY', message: 'One bucket must end at 0 days (the due date)' });
  }
  return problems;
}

/** Throws with every problem listed; for code paths that received buckets already validated at the API edge. */
export function assertValidBuckets(buckets: readonly AgingBucket[]): void {
  const problems = validateBuckets(buckets);
  if (problems.length > 0) throw new RangeError(`Invalid aging buckets: ${problems.map((p) => p.message).join('; ')}`);
}

/** DOMAIN.md: days past due = as-of date − due date (0 on the due date itself, negative before it). */
export function daysPastDue(asOf: IsoDate, dueOn: IsoDate): number {
  return diffDays(asOf, dueOn);
}

/** Key of the bucket holding `days`; buckets must be valid (see validateBuckets). */
export function bucketFor(days: number, buckets: readonly AgingBucket[] = DEFAULT_AGING_BUCKETS): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  const bucket = buckets.find((b) => (b.fromDays === null || days >= b.fromDays) && (b.toDays === null || days <= b.toDays));
  if (!bucket) throw new RangeError(`No aging bucket holds ${days} days: the buckets are not valid`);
  return bucket.key;
}

export interface AgingItem {
  currency: string;
  dueOn: IsoDate;
  /** Open amount at the as-of date, in minor units. */
  openMinor: number;
}

export interface AgingCredit {
  currency: string;
  /** Payment or credit note amount not yet allocated at the as-of date; either sign is read as a credit. */
  unallocatedMinor: number;
}

export interface AgingRow {
  currency: string;
  amountsMinor: Record<string, number>;
  /** Sum of the buckets = open invoice amounts (CONTRACTS.md). */
  totalMinor: number;
  /** ≤ 0: unallocated payments and credit notes, shown apart from the buckets (DOMAIN.md). */
  unallocatedMinor: number;
}

/**
 * One row per currency that has a non-zero open item or unallocated credit, sorted by currency code. Every bucket
 * key is present in every row (0 when empty), so tables and CSV exports have stable columns.
 *
 * Credits are negated whatever sign the caller stored them with: the ledger keeps payments negative while
 * allocation.ts speaks of a positive "available amount"; both mean money the customer has already handed over.
 */
export function ageItems(
  asOf: IsoDate,
  items: readonly AgingItem[],
  credits: readonly AgingCredit[],
  buckets: readonly AgingBucket[] = DEFAULT_AGING_BUCKETS,
): AgingRow[] {
  assertIsoDate(asOf, 'asOf');
  assertValidBuckets(buckets);
  const rows = new Map<string, AgingRow>();
  const rowFor = (currency: string): AgingRow => {
    let row = rows.get(currency);
    if (!row) {
      row = { currency, amountsMinor: Object.fromEntries(buckets.map((b) => [b.key, 0])), totalMinor: 0, unallocatedMinor: 0 };
      rows.set(currency, row);
    }
    return row;
  };
  for (const item of items) {
    assertMinor(item.openMinor, 'openMinor');
    if (item.openMinor === 0) continue; // a settled invoice is not an open item
    const row = rowFor(item.currency);
    const key = bucketFor(daysPastDue(asOf, item.dueOn), buckets);
    row.amountsMinor[key] += item.openMinor;
    row.totalMinor += item.openMinor;
    assertMinor(row.totalMinor, `${item.currency} total`);
  }
  for (const credit of credits) {
    assertMinor(credit.unallocatedMinor, 'unallocatedMinor');
    if (credit.unallocatedMinor === 0) continue;
    const row = rowFor(credit.currency);
    row.unallocatedMinor -= Math.abs(credit.unallocatedMinor);
    assertMinor(row.unallocatedMinor, `${credit.currency} unallocated`);
  }
  return [...rows.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
