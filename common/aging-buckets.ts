/**
 * Aging bucket keys and labels shared by the server (validation, Excel headers) and the web app (settings editor,
 * charts). A company may configure its own buckets (DOMAIN.md "Metrics": "configurable"); the keys are what users
 * see in URLs, exports and the API, so the generated ones are canonical and readable: "notDue", "1-15", "over90".
 */

export type BucketBounds = { fromDays: number | null; toDays: number | null };
export type AgingBucketShape = BucketBounds & { key: string };

/** The keys shipped with translated labels (CONTRACTS.md defaults, plus the drill-down of unallocated credits). */
export const TRANSLATED_BUCKET_KEYS = ['notDue', '1-30', '31-60', '61-90', 'over90', 'unallocated'] as const;

/** `unallocated` names the credits in the bucket drill-down: a bucket may not take it. */
export const RESERVED_BUCKET_KEYS = ['unallocated'] as const;

/** At most this many buckets: more would not fit a chart or a printed table. */
export const MAX_AGING_BUCKETS = 12;
/** Bounds beyond ten years say nothing a credit manager can act on, and keep the date arithmetic small. */
export const MAX_BUCKET_DAYS = 3650;

/**
 * Letters and digits first (so that no key reads as a formula in a spreadsheet or as a prototype name), then letters,
 * digits, space, "-", "_" or "+". No "." or ":" either: the web app looks labels up by key in i18next.
 */
export const BUCKET_KEY_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _+-]{0,31}$/u;

/** The key the settings editor gives a bucket: "notDue" up to the due date, "1-15", and "over90" for the last one. */
export function canonicalBucketKey(b: BucketBounds): string {
  if (b.fromDays === null && b.toDays === 0) return 'notDue';
  if (b.toDays === null && b.fromDays !== null) return `over${b.fromDays - 1}`;
  if (b.fromDays !== null && b.toDays !== null) return `${b.fromDays}-${b.toDays}`;
  return `upTo${b.toDays}`;
}

/**
 * Buckets from the upper bounds of the overdue ones, as the settings editor asks for them: [15, 30, 60, 90] gives
 * notDue, 1-15, 16-30, 31-60, 61-90, over90. Bounds are sorted and deduplicated; non-positive ones are dropped.
 */
export function bucketsFromUpperBounds(upperBounds: readonly number[]): AgingBucketShape[] {
  const bounds = [...new Set(upperBounds.filter((d) => Number.isSafeInteger(d) && d > 0))].sort((a, b) => a - b);
  const buckets: AgingBucketShape[] = [{ key: 'notDue', fromDays: null, toDays: 0 }];
  let from = 1;
  for (const to of bounds) {
    buckets.push({ key: canonicalBucketKey({ fromDays: from, toDays: to }), fromDays: from, toDays: to });
    from = to + 1;
  }
  buckets.push({ key: canonicalBucketKey({ fromDays: from, toDays: null }), fromDays: from, toDays: null });
  return buckets;
}

/** The upper bounds of the overdue buckets when the buckets have the editor's shape; undefined when they do not. */
export function upperBoundsOf(buckets: readonly AgingBucketShape[]): number[] | undefined {
  const bounds = buckets.filter((b) => b.fromDays !== null && b.toDays !== null).map((b) => b.toDays as number);
  const rebuilt = bucketsFromUpperBounds(bounds);
  const same = rebuilt.length === buckets.length && rebuilt.every((b, i) => b.key === buckets[i].key && b.fromDays === buckets[i].fromDays && b.toDays === buckets[i].toDays);
  return same ? bounds : undefined;
}

/** What a key says about its days, when it follows the generated patterns ("1-15", "over90", "notDue"). */
export function parseBucketKey(key: string): { kind: 'range'; from: number; to: number } | { kind: 'over'; days: number } | { kind: 'notDue' } | undefined {
  if (key === 'notDue') return { kind: 'notDue' };
  const range = /^(\d{1,4})-(\d{1,4})$/.exec(key);
  if (range) return { kind: 'range', from: Number(range[1]), to: Number(range[2]) };
  const over = /^over(\d{1,4})$/.exec(key);
  if (over) return { kind: 'over', days: Number(over[1]) };
  return undefined;
}

/**
 * True when a key that reads as days ("1-15", "over90", "notDue") covers exactly those days: a label must never
 * say "1–15 days" over invoices 40 days late. Other keys are the company's own names and say nothing about days.
 */
export function keyMatchesBounds(key: string, b: BucketBounds): boolean {
  const parsed = parseBucketKey(key);
  if (!parsed) return true;
  if (parsed.kind === 'notDue') return b.toDays !== null && b.toDays <= 0;
  if (parsed.kind === 'range') return b.fromDays === parsed.from && b.toDays === parsed.to;
  return b.fromDays === parsed.days + 1 && b.toDays === null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A bucket's label through `t`, whose keys are relative to the reports namespace ("buckets.notDue"): the shipped keys
 * have their own translation, generated ones read "16–30 days" / "Over 120 days", a company's own names stay as typed.
 */
export function bucketLabel(t: Translate, key: string): string {
  if ((TRANSLATED_BUCKET_KEYS as readonly string[]).includes(key)) return t(`buckets.${key}`);
  const parsed = parseBucketKey(key);
  if (parsed?.kind === 'range') return t('buckets.range', { from: parsed.from, to: parsed.to });
  if (parsed?.kind === 'over') return t('buckets.over', { days: parsed.days });
  return key;
}
