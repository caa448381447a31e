// Calendar dates from import files → `YYYY-MM-DD`. A due date is a calendar day, not an instant: nothing here
// goes through the server's time zone, so "31/12/2025" is 2025-12-31 on every machine.

/** Order of day, month and year in the file's slash/dot/dash dates. Year-first ISO forms are always read as such. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export type DateFailure = 'notADate' | 'invalidDate';
export type ParseDateResult = { ok: true; date: string } | { ok: false; reason: DateFailure };

const MS_PER_DAY = 86_400_000;

// Excel's 1900 date system counts 1900-02-29, a day that never existed (Lotus 1-2-3 compatibility). From serial
// 61 (1900-03-01) on, serial n is n days after 1899-12-30; serials 1–59 are one day later than that formula says.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const EXCEL_FAKE_LEAP_DAY = 60;
const EXCEL_MAX_SERIAL = 2_958_465; // 9999-12-31

// Two-digit years: 00–69 → 2000–2069, 70–99 → 1970–1999 (the pivot Excel and most ERPs use).
const TWO_DIGIT_YEAR_PIVOT = 70;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function fullYear(yearText: string): number {
  const year = Number(yearText);
  if (yearText.length > 2) return year;
  return year < TWO_DIGIT_YEAR_PIVOT ? 2000 + year : 1900 + year;
}

/** Valid calendar day → ISO text; a well-formed but impossible day (31/02) is `invalidDate`. */
function toResult(year: number, month: number, day: number): ParseDateResult {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'invalidDate' };
  }
  return { ok: true, date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

function fromUtcMs(ms: number): ParseDateResult {
  const date = new Date(ms);
  return toResult(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Excel serial day number (1900 system) → date; the time of day, if any, is dropped. */
export function excelSerialToDate(serial: number): ParseDateResult {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_MAX_SERIAL + 1) return { ok: false, reason: 'notADate' };
  const day = Math.floor(serial);
  if (day === EXCEL_FAKE_LEAP_DAY) return { ok: false, reason: 'invalidDate' };
  const realDays = day < EXCEL_FAKE_LEAP_DAY ? day + 1 : day;
  return fromUtcMs(EXCEL_EPOCH_MS + realDays * MS_PER_DAY);
}

// A time after the date is ignored: "31/12/2025 00:00", "2025-12-31T23:59:59+02:00", "12/31/2025 10:30 PM".
const TIME_SUFFIX = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[AaPp][Mm])?(?: ?(?:Z|UTC|[+-]\d{2}(?::?\d{2})?))?)?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_SUFFIX}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const THREE_PARTS = new RegExp(String.raw`^(\d{1,2}) ?([-/.]) ?(\d{1,2}) ?\2 ?(\d{4}|\d{2})\.?${TIME_SUFFIX}$`);
const MONTH_NAME_DMY = new RegExp(String.raw`^(\d{1,2})[- /.]([A-Za-z]{3,9})\.?[- /.,]+(\d{4}|\d{2})${TIME_SUFFIX}$`);
const MONTH_NAME_MDY = new RegExp(String.raw`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})${TIME_SUFFIX}$`);
// A bare 5-digit number in a text file is an Excel serial that lost its date format on the way to CSV.
const SERIAL_TEXT = /^(\d{5})(?:[.,]\d+)?$/;

function parseText(raw: string, order: DateOrder): ParseDateResult {
  const text = raw.replace(/[\u00A0\u202F]/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > 64) return { ok: false, reason: 'notADate' };
  let m = YEAR_FIRST.exec(text);
  if (m) return toResult(Number(m[1]), Number(m[3]), Number(m[4]));
  m = COMPACT.exec(text);
  if (m) return toResult(Number(m[1]), Number(m[2]), Number(m[3]));
  m = THREE_PARTS.exec(text);
  if (m) {
    const [a, b, c] = [m[1], m[3], m[4]];
    // A 4-digit year at the end rules out year-first; a YMD file then falls back to day-first, the world default.
    if (order === 'YMD' && c.length === 2) return toResult(fullYear(a), Number(b), Number(c));
    if (order === 'MDY') return toResult(fullYear(c), Number(a), Number(b));
    return toResult(fullYear(c), Number(b), Number(a));
  }
  m = MONTH_NAME_DMY.exec(text);
  if (m && MONTHS[m[2].toLowerCase()]) return toResult(fullYear(m[3]), MONTHS[m[2].toLowerCase()], Number(m[1]));
  m = MONTH_NAME_MDY.exec(text);
  if (m && MONTHS[m[1].toLowerCase()]) return toResult(Number(m[3]), MONTHS[m[1].toLowerCase()], Number(m[2]));
  m = SERIAL_TEXT.exec(text);
  if (m) return excelSerialToDate(Number(m[1]));
  return { ok: false, reason: 'notADate' };
}

/**
 * Parses a date cell: text in the file's order, an Excel serial number, or a Date from exceljs (whose UTC parts
 * are the calendar day Excel shows — exceljs builds dates at UTC midnight).
 */
export function parseDate(raw: unknown, order: DateOrder = 'DMY'): ParseDateResult {
  if (raw instanceof Date) {
    const ms = raw.getTime();
    return Number.isNaN(ms) ? { ok: false, reason: 'notADate' } : fromUtcMs(ms);
  }
  if (typeof raw === 'number') return excelSerialToDate(raw);
  if (typeof raw === 'string') return parseText(raw, order);
  return { ok: false, reason: 'notADate' };
}

/**
 * Decides the file's date order from its date cells. Only a number above 12 proves anything: in the first place it
 * must be a day (DMY), in the second a day after a month (MDY). The majority wins; ties and silence mean DMY,
 * the order of every supported language except US English.
 */
export function detectDateFormat(samples: readonly unknown[]): DateOrder {
  let dmy = 0;
  let mdy = 0;
  let ymd = 0;
  for (const sample of samples) {
    if (typeof sample !== 'string') continue;
    const m = THREE_PARTS.exec(sample.trim());
    if (!m) continue;
    const [a, b, c] = [Number(m[1]), Number(m[3]), m[4]];
    if (a > 12 && b <= 12) dmy += 1;
    else if (b > 12 && a <= 12) mdy += 1;
    // "25/12/31": a first part above 31 can only be a two-digit year.
    if (c.length === 2 && a > 31) ymd += 1;
  }
  if (ymd > 0 && ymd >= dmy && ymd >= mdy) return 'YMD';
  return mdy > dmy ? 'MDY' : 'DMY';
}
