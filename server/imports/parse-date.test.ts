import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDateFormat, excelSerialToDate, parseDate, type DateOrder } from './parse-date';

const date = (raw: unknown, order: DateOrder = 'DMY') => {
  const result = parseDate(raw, order);
  return result.ok ? result.date : result.reason;
};

describe('parseDate reads the dates found in real files', () => {
  it.each([
    ['31/12/2025', '2025-12-31'],
    ['31.12.2025', '2025-12-31'],
    ['31-12-2025', '2025-12-31'],
    ['1/2/2025', '2025-02-01'],
    ['2025-12-31', '2025-12-31'],
    ['2025/12/31', '2025-12-31'],
    ['2025.12.31', '2025-12-31'],
    ['20251231', '2025-12-31'],
    ['31/12/25', '2025-12-31'],
    ['01/01/69', '2069-01-01'],
    ['01/01/70', '1970-01-01'],
    ['2025-12-31T00:00:00', '2025-12-31'],
    ['2025-12-31T23:30:00.000Z', '2025-12-31'],
    ['2025-12-31 23:30:00+02:00', '2025-12-31'],
    ['31/12/2025 00:00', '2025-12-31'],
    ['31.12.2025 14:05:09', '2025-12-31'],
    ['31-Dec-2025', '2025-12-31'],
    ['31 Dec 25', '2025-12-31'],
    ['Dec 31, 2025', '2025-12-31'],
    ['  31/12/2025\u00A0', '2025-12-31'],
    ['45657', '2024-12-31'],
  ])('%s → %s', (raw, expected) => {
    expect(date(raw)).toBe(expected);
  });

  it('reads month-first dates only when the file is month-first', () => {
    expect(date('12/31/2025', 'MDY')).toBe('2025-12-31');
    expect(date('12/31/2025 10:30 PM', 'MDY')).toBe('2025-12-31');
    expect(date('12/31/2025', 'DMY')).toBe('invalidDate');
    expect(date('02/03/2025', 'MDY')).toBe('2025-02-03');
    expect(date('02/03/2025', 'DMY')).toBe('2025-03-02');
    expect(date('2025-12-31', 'MDY')).toBe('2025-12-31');
  });

  it('reads two-digit year-first dates in a YMD file', () => {
    expect(date('25/12/31', 'YMD')).toBe('2025-12-31');
    expect(date('31/12/2025', 'YMD')).toBe('2025-12-31');
  });

  it('tells a day that does not exist from text that is no date', () => {
    expect(date('31/02/2025')).toBe('invalidDate');
    expect(date('29/02/2025')).toBe('invalidDate');
    expect(date('29/02/2024')).toBe('2024-02-29');
    expect(date('29/02/2100')).toBe('invalidDate');
    expect(date('29/02/2000')).toBe('2000-02-29');
    expect(date('20251301')).toBe('invalidDate');
    expect(date('2025-00-10')).toBe('invalidDate');
    for (const raw of ['', 'tomorrow', '31/12', '2025-12', '12:30', '31/12/2025/1', '1234567', 'Foo 31, 2025', null, undefined, true, {}]) {
      expect(date(raw), String(raw)).toBe('notADate');
    }
  });

  it('converts Excel serial numbers of the 1900 system, fake leap day included', () => {
    expect(date(45657)).toBe('2024-12-31');
    expect(date(45657.75)).toBe('2024-12-31');
    expect(date(1)).toBe('1900-01-01');
    expect(date(59)).toBe('1900-02-28');
    expect(date(60)).toBe('invalidDate');
    expect(date(61)).toBe('1900-03-01');
    expect(date(2958465)).toBe('9999-12-31');
    expect(date(0)).toBe('notADate');
    expect(date(-5)).toBe('notADate');
    expect(date(Number.NaN)).toBe('notADate');
    expect(date(3e6)).toBe('notADate');
  });

  it('reads Date cells from exceljs by their UTC calendar day', () => {
    expect(date(new Date(Date.UTC(2025, 11, 31)))).toBe('2025-12-31');
    expect(date(new Date(Date.UTC(2025, 11, 31, 23, 59)))).toBe('2025-12-31');
    expect(date(new Date(Number.NaN))).toBe('notADate');
  });
});

describe('detectDateFormat', () => {
  it.each<[unknown[], DateOrder]>([
    [['01/02/2025', '13/02/2025'], 'DMY'],
    [['01/02/2025', '02/13/2025'], 'MDY'],
    [['01/02/2025', '02/03/2025'], 'DMY'],
    [[], 'DMY'],
    [['2025-12-31', 45657, new Date()], 'DMY'],
    [['12/31/2025', '12/30/2025', '13/01/2025'], 'MDY'],
    [['98/12/31', '99/01/15'], 'YMD'],
    [['25/12/31', '24/01/15'], 'DMY'],
  ])('%j → %s', (samples, expected) => {
    expect(detectDateFormat(samples)).toBe(expected);
  });
});

describe('parseDate properties', () => {
  const days = fc
    .integer({ min: Date.UTC(1950, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 })
    .map((d) => new Date(d * 86_400_000));

  it('reads back any date from 1950 to 2100 in every written form', () => {
    fc.assert(
      fc.property(days, (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, dd] = iso.split('-');
        const forms: [unknown, DateOrder][] = [
          [`${dd}/${m}/${y}`, 'DMY'],
          [`${dd}.${m}.${y}`, 'DMY'],
          [`${dd}-${m}-${y}`, 'DMY'],
          [`${Number(dd)}/${Number(m)}/${y}`, 'DMY'],
          [`${m}/${dd}/${y}`, 'MDY'],
          [iso, 'DMY'],
          [iso, 'MDY'],
          [`${y}/${m}/${dd}`, 'DMY'],
          [`${y}${m}${dd}`, 'DMY'],
          [`${iso}T00:00:00`, 'DMY'],
          [d, 'DMY'],
          [Math.round((d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000), 'DMY'],
        ];
        const year = Number(y);
        if (year >= 1970 && year <= 2069) forms.push([`${dd}/${m}/${y.slice(2)}`, 'DMY'], [`${y.slice(2)}/${m}/${dd}`, 'YMD']);
        for (const [raw, order] of forms) expect(parseDate(raw, order), `${String(raw)} ${order}`).toEqual({ ok: true, date: iso });
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with exceljs-style serial conversion for modern dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 80_000 }), (serial) => {
        const viaEpoch = new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);
        expect(excelSerialToDate(serial)).toEqual({ ok: true, date: viaEpoch });
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.date({ noInvalidDate: false }), fc.anything()), fc.constantFrom<DateOrder>('DMY', 'MDY', 'YMD'), (raw, order) => {
        parseDate(raw, order);
        detectDateFormat([raw]);
      }),
      { numRuns: 3000 },
    );
  });
});
