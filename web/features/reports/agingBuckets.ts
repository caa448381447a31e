import type { TFunction } from 'i18next';
import { bucketLabel } from '../../../common/aging-buckets';
import type { AgingBucket } from './reportsApi';

/** A bucket's label in the interface language: shipped keys translated, "16-30" → "16–30 days", own names as typed. */
export const labelOfBucket = (t: TFunction<'reports'>, key: string) => bucketLabel((k, o) => t(k, o), key);

/** Colours from the first overdue bucket to the oldest; the four default ones get yellow, orange, red and dark red. */
const OVERDUE_PALETTE = ['yellow.6', 'orange.4', 'orange.6', 'orange.8', 'red.6', 'red.7', 'red.9'];

/**
 * The colour of each bucket, whatever the company configured: teal for what is not yet due, then warmer the later
 * the payment, spread over the palette so that the last bucket is always the darkest.
 */
export function bucketColors(buckets: readonly AgingBucket[]): Record<string, string> {
  const overdue = buckets.filter((b) => !(b.toDays !== null && b.toDays <= 0));
  const colors: Record<string, string> = {};
  for (const b of buckets) if (b.toDays !== null && b.toDays <= 0) colors[b.key] = 'teal.6';
  overdue.forEach((b, i) => {
    const at = overdue.length === 1 ? OVERDUE_PALETTE.length - 1 : Math.round((i * (OVERDUE_PALETTE.length - 1)) / (overdue.length - 1));
    colors[b.key] = OVERDUE_PALETTE[at];
  });
  return colors;
}

/** Overdue = the buckets after the due date (the server requires one bucket to end on it, at 0 days). */
export const overdueMinor = (buckets: readonly AgingBucket[], amountsMinor: Record<string, number>) =>
  buckets.filter((b) => b.fromDays !== null && b.fromDays > 0).reduce((sum, b) => sum + (amountsMinor[b.key] ?? 0), 0);
