import { formatMoney } from '../../components/format';

/** Figures of the reports through Intl in the interface language; money never summed across currencies. */
export { formatMoney };

export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units → a number of major units, for chart axes. */
export const toMajor = (minor: number, currency: string) => minor / 10 ** minorDigits(currency);

/** "1,2 M €" on chart axes. */
export function formatMoneyCompact(major: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(major);
}

export function formatMajorMoney(major: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(major);
}

export function formatNumber(value: number, lang: string, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits, minimumFractionDigits: 0 }).format(value);
}

/** A calendar date (YYYY-MM-DD) in the interface language, never shifted by the browser's time zone. */
export function formatDay(isoDate: string | null | undefined, lang: string, style: 'medium' | 'short' = 'medium'): string {
  if (!isoDate) return '—';
  return new Intl.DateTimeFormat(lang, { dateStyle: style, timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** "Dec 2025" for a month key. */
export function formatMonth(monthKey: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${monthKey}-01T00:00:00Z`));
}
