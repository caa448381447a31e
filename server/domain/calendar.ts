/**
 * Plain calendar dates as 'YYYY-MM-DD' strings (CONTRACTS.md: calendar dates end in `On`, or `asOf`).
 *
 * Why no `Date` arithmetic: a due date is a day, not an instant. `new Date('2025-03-30')` is midnight UTC, which is
 * still 29 March in America/*, and adding 24 h across a DST change lands on the wrong day. Here a date becomes an
 * integer day number (days since 1970-01-01 in the proleptic Gregorian calendar) and back, with integer arithmetic
 * only, so "days past due" and aging buckets (DOMAIN.md "Metrics") never drift by one.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_DAY = -719162; // 0001-01-01
const MAX_DAY = 2932896; // 9999-12-31

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function monthLength(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** True for an existing date written 'YYYY-MM-DD' (years 0001–9999): '2025-02-29' and '2025-2-1' are false. */
export function isValidIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month);
}

/**
 * The dates the product accepts anywhere a date enters (API, imports, company import, CLI). Reports look back up to
 * 24 months and forward a year from `asOf`, and every date must stay inside 0001–9999 after that arithmetic: at
 * `asOf=0001-01-01` the DSO walk went below year 1 and threw. No receivable is dated before 1900 or after 2199.
 */
export const MIN_SUPPORTED_DATE = '1900-01-01';
export const MAX_SUPPORTED_DATE = '2199-12-31';

/** An existing date between MIN_SUPPORTED_DATE and MAX_SUPPORTED_DATE (ISO strings compare as dates). */
export function isSupportedDate(value: unknown): value is IsoDate {
  return isValidIsoDate(value) && value >= MIN_SUPPORTED_DATE && value <= MAX_SUPPORTED_DATE;
}

/** Throws a RangeError naming the value, so a bad date fails where it enters rather than as NaN later. */
export function assertIsoDate(value: unknown, what = 'date'): asserts value is IsoDate {
  if (!isValidIsoDate(value)) throw new RangeError(`${what} must be an existing date 'YYYY-MM-DD', got ${JSON.stringify(value)}`);
}

function parts(date: IsoDate): [number, number, number] {
  assertIsoDate(date);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** Days since 1970-01-01 (negative before). Civil-from-days algorithm (H. Hinnant), integers only. */
export function toDayNumber(date: IsoDate): number {
  const [year, month, day] = parts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of `toDayNumber`. Throws outside 0001-01-01 … 9999-12-31. */
export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber) || dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new RangeError(`Day number ${dayNumber} is outside 0001-01-01 … 9999-12-31`);
  }
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromDayNumber(toDayNumber(date) + days);
}

/** a − b in days: diffDays('2025-12-31', '2025-12-01') = 30. Aging's "days past due" is diffDays(asOf, dueOn). */
export function diffDays(a: IsoDate, b: IsoDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** -1, 0 or 1; the fixed-width format also sorts correctly as text, but this validates both sides. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const difference = diffDays(a, b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** 'YYYY-MM' of a date: the key of monthly sales (DOMAIN.md: sales of a month). */
export function monthKey(date: IsoDate): string {
  assertIsoDate(date);
  return date.slice(0, 7);
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${monthKey(date)}-01`;
}

/** Accepts a date or a month key ('2024-02' → 29). */
export function daysInMonth(dateOrMonthKey: string): number {
  const date = /^\d{4}-\d{2}$/.test(dateOrMonthKey) ? `${dateOrMonthKey}-01` : dateOrMonthKey;
  const [year, month] = parts(date);
  return monthLength(year, month);
}

export function endOfMonth(date: IsoDate): IsoDate {
  return `${monthKey(date)}-${String(daysInMonth(date)).padStart(2, '0')}`;
}

export function isMonthEnd(date: IsoDate): boolean {
  return endOfMonth(date) === date;
}

/**
 * Adds calendar months, clamping the day to the target month's length: 2025-01-31 + 1 → 2025-02-28 (never rolls
 * over into March, which would move a due date by days).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  if (targetYear < 1 || targetYear > 9999) throw new RangeError(`${date} + ${months} months is outside years 0001–9999`);
  const clampedDay = Math.min(day, monthLength(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(clampedDay).padStart(2, '0')}`;
}

/** Last day of the month before: the CEI's "end of the month before the period" (DOMAIN.md "Metrics"). */
export function previousMonthEnd(date: IsoDate): IsoDate {
  return addDays(startOfMonth(date), -1);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(date: IsoDate): number {
  const day = toDayNumber(date);
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Monday of the ISO week containing the date (weeks start on Monday, ISO 8601). */
export function startOfIsoWeek(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date));
}

// Building an Intl.DateTimeFormat costs ~50 µs (it loads the zone's rules); "today" is asked on every list request,
// so one formatter per zone is kept. Only zones Intl accepted are cached (an unknown zone throws before the set).
const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(ianaZone: string): Intl.DateTimeFormat {
  let f = formatters.get(ianaZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: ianaZone, calendar: 'gregory', numberingSystem: 'latn', era: 'short', year: 'numeric', month: '2-digit', day: '2-digit' });
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(ianaZone, f);
  }
  return f;
}

/**
 * The calendar date at `instant` in an IANA time zone: the company's "today" (a dunning run is keyed by the
 * company's local date, DOMAIN.md). Uses formatToParts so no locale's digit or order conventions leak in.
 * Throws a RangeError for an unknown zone (Intl's own error).
 */
export function todayInTimeZone(instant: Date, ianaZone: string): IsoDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('instant must be a valid Date');
  // Every request asks, and formatToParts costs ~10 µs; a zone's date cannot change within a UTC minute (offsets are
  // whole minutes in every zone since 1972), so the last answer per zone is kept for its minute.
  const minute = Math.floor(instant.getTime() / 60_000);
  const cached = lastToday.get(ianaZone);
  if (cached && cached.minute === minute) return cached.date;
  const date = computeToday(instant, ianaZone);
  if (lastToday.size >= 1000) lastToday.clear();
  lastToday.set(ianaZone, { minute, date });
  return date;
}

const lastToday = new Map<string, { minute: number; date: IsoDate }>();

function computeToday(instant: Date, ianaZone: string): IsoDate {
  const formatter = zoneFormatter(ianaZone);
  const byType = new Map(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  if (byType.get('era') !== 'AD') throw new RangeError('Dates before year 1 are not supported');
  const date = `${byType.get('year')!.padStart(4, '0')}-${byType.get('month')}-${byType.get('day')}`;
  assertIsoDate(date);
  return date;
}
