import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  compareDates,
  daysInMonth,
  diffDays,
  endOfMonth,
  fromDayNumber,
  isMonthEnd,
  isValidIsoDate,
  isoWeekday,
  monthKey,
  previousMonthEnd,
  startOfIsoWeek,
  startOfMonth,
  toDayNumber,
  todayInTimeZone,
} from './calendar';

/** Any date from 1900-01-01 to 2200-12-31. */
const dateIn1900to2200 = fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2200-12-31') }).map(fromDayNumber);

describe('validating dates', () => {
  it('accepts existing dates written YYYY-MM-DD, leap days included', () => {
    for (const date of ['2025-12-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect(isValidIsoDate(date)).toBe(true);
  });

  it('refuses dates that do not exist or are written otherwise', () => {
    for (const value of ['2025-02-29', '1900-02-29', '2025-02-31', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '0000-01-01', '2025-1-01', '31/12/2025', '20251231', '2025-12-31T00:00:00Z', ' 2025-12-31', '', null, 20251231]) {
      expect(isValidIsoDate(value)).toBe(false);
    }
  });

  it('throws with the offending value when arithmetic gets a bad date', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(/2025-02-30/);
    expect(() => addDays('2025-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it('counts days across month, year and leap-year boundaries', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(diffDays('2025-12-31', '2025-10-01')).toBe(91);
    expect(diffDays('2025-10-01', '2025-12-31')).toBe(-91);
    expect(diffDays('2025-04-02', '2025-01-31')).toBe(61); // DOMAIN.md interest example: 1 Feb to 2 Apr
  });

  it('is immune to daylight-saving changes (the last Sunday of March is a normal day)', () => {
    expect(addDays('2025-03-29', 1)).toBe('2025-03-30');
    expect(addDays('2025-03-30', 1)).toBe('2025-03-31');
    expect(diffDays('2025-10-27', '2025-10-25')).toBe(2);
  });

  it('numbers days from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11_017);
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(() => fromDayNumber(10_000_000)).toThrow(RangeError);
  });

  it('property: addDays and diffDays are inverse over 1900–2200', () => {
    fc.assert(
      fc.property(dateIn1900to2200, fc.integer({ min: -40_000, max: 40_000 }), (date, days) => {
        const later = addDays(date, days);
        expect(isValidIsoDate(later)).toBe(true);
        expect(diffDays(later, date)).toBe(days);
        expect(addDays(later, -days)).toBe(date);
      }),
    );
  });

  it('property: day numbers agree with the JavaScript UTC calendar', () => {
    fc.assert(
      fc.property(dateIn1900to2200, (date) => {
        expect(toDayNumber(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        expect(fromDayNumber(toDayNumber(date))).toBe(date);
      }),
    );
  });

  it('property: comparing dates agrees with their order as text', () => {
    fc.assert(
      fc.property(dateIn1900to2200, dateIn1900to2200, (a, b) => {
        expect(compareDates(a, b)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});

describe('months', () => {
  it('knows month starts, ends and lengths', () => {
    expect(startOfMonth('2025-12-15')).toBe('2025-12-01');
    expect(endOfMonth('2025-12-15')).toBe('2025-12-31');
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(endOfMonth('2100-02-10')).toBe('2100-02-28');
    expect(daysInMonth('2025-11-03')).toBe(30);
    expect(daysInMonth('2024-02')).toBe(29);
    expect(monthKey('2025-12-31')).toBe('2025-12');
    expect(isMonthEnd('2025-11-30')).toBe(true);
    expect(isMonthEnd('2025-12-30')).toBe(false);
  });

  it('adds months clamping to the last day rather than spilling into the next month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
    expect(addMonths('2025-05-31', 0)).toBe('2025-05-31');
    expect(() => addMonths('9999-12-01', 1)).toThrow(RangeError);
  });

  it('finds the end of the previous month, the CEI opening date', () => {
    expect(previousMonthEnd('2025-10-01')).toBe('2025-09-30');
    expect(previousMonthEnd('2025-12-31')).toBe('2025-11-30');
    expect(previousMonthEnd('2025-03-15')).toBe('2025-02-28');
    expect(previousMonthEnd('2026-01-10')).toBe('2025-12-31');
  });

  it('property: adding months keeps the day when it exists and otherwise lands on the month end', () => {
    fc.assert(
      fc.property(dateIn1900to2200, fc.integer({ min: -600, max: 600 }), (date, months) => {
        const moved = addMonths(date, months);
        const day = Number(date.slice(8));
        expect(Number(moved.slice(8))).toBe(Math.min(day, daysInMonth(moved)));
        const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
        expect(monthIndex(moved) - monthIndex(date)).toBe(months);
      }),
    );
  });
});

describe('ISO weeks', () => {
  it('starts weeks on Monday', () => {
    expect(isoWeekday('2025-12-15')).toBe(1); // a Monday
    expect(isoWeekday('2025-12-21')).toBe(7);
    expect(startOfIsoWeek('2025-12-21')).toBe('2025-12-15');
    expect(startOfIsoWeek('2025-12-15')).toBe('2025-12-15');
    expect(startOfIsoWeek('2026-01-01')).toBe('2025-12-29');
  });

  it('property: the week start is a Monday at most six days before', () => {
    fc.assert(
      fc.property(dateIn1900to2200, (date) => {
        const monday = startOfIsoWeek(date);
        expect(isoWeekday(monday)).toBe(1);
        expect(diffDays(date, monday)).toBeGreaterThanOrEqual(0);
        expect(diffDays(date, monday)).toBeLessThanOrEqual(6);
        expect(isoWeekday(date)).toBe(((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });
});

describe("a company's today", () => {
  it('is the local calendar date in the company time zone, not the UTC one', () => {
    const instant = new Date('2025-12-31T23:30:00Z');
    expect(todayInTimeZone(instant, 'UTC')).toBe('2025-12-31');
    expect(todayInTimeZone(instant, 'Europe/Paris')).toBe('2026-01-01');
    expect(todayInTimeZone(instant, 'America/New_York')).toBe('2025-12-31');
    expect(todayInTimeZone(new Date('2025-06-01T02:00:00Z'), 'America/Los_Angeles')).toBe('2025-05-31');
    expect(todayInTimeZone(new Date('2025-06-01T12:00:00Z'), 'Pacific/Kiritimati')).toBe('2025-06-02');
  });

  it('follows daylight saving time', () => {
    // Paris is UTC+1 in winter and UTC+2 in summer: 22:30 UTC is the next day only in summer.
    expect(todayInTimeZone(new Date('2025-01-15T22:30:00Z'), 'Europe/Paris')).toBe('2025-01-15');
    expect(todayInTimeZone(new Date('2025-07-15T22:30:00Z'), 'Europe/Paris')).toBe('2025-07-16');
  });

  it('refuses unknown zones and invalid instants', () => {
    expect(() => todayInTimeZone(new Date(), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => todayInTimeZone(new Date(NaN), 'UTC')).toThrow(RangeError);
  });

  it('property: in UTC it is the date part of the ISO instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2200-12-31T23:59:59Z') }), (ms) => {
        const instant = new Date(ms);
        expect(todayInTimeZone(instant, 'UTC')).toBe(instant.toISOString().slice(0, 10));
      }),
    );
  });
});
