import type { LedgerDocument } from '../documents/document';

/** The buckets of CONTRACTS.md's aging report: days past the due date, counted from today. */
export const AGING_BUCKETS = ['notDue', '1-30', '31-60', '61-90', 'over90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingRow = { currency: string; amountsMinor: Record<AgingBucket, number>; totalMinor: number };

const DAY = 86_400_000;
export const daysBetween = (fromIso: string, toIso: string) => Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY);

export function bucketOf(dueOn: string | null, today: string): AgingBucket {
  const late = dueOn ? daysBetween(dueOn, today) : 0;
  if (late <= 0) return 'notDue';
  if (late <= 30) return '1-30';
  if (late <= 60) return '31-60';
  if (late <= 90) return '61-90';
  return 'over90';
}

/** Open invoice amounts per currency and bucket (never converted, never summed across currencies). */
export function agingByCurrency(documents: LedgerDocument[], today: string): AgingRow[] {
  const rows = new Map<string, AgingRow>();
  for (const d of documents) {
    if (d.type !== 'invoice' || d.openMinor <= 0) continue;
    let row = rows.get(d.currency);
    if (!row) {
      row = { currency: d.currency, amountsMinor: { notDue: 0, '1-30': 0, '31-60': 0, '61-90': 0, over90: 0 }, totalMinor: 0 };
      rows.set(d.currency, row);
    }
    row.amountsMinor[bucketOf(d.dueOn, today)] += d.openMinor;
    row.totalMinor += d.openMinor;
  }
  return [...rows.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
