import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectNumberFormat, parseAmountToMinor, type NumberFormat } from './parse-number';

const minor = (raw: string | number, exponent = 2, format?: NumberFormat) => {
  const result = parseAmountToMinor(raw, exponent, format);
  return result.ok ? result.minor : result.reason;
};

const FR: NumberFormat = { decimalSeparator: ',', thousandsSeparator: ' ' };
const DE: NumberFormat = { decimalSeparator: ',', thousandsSeparator: '.' };
const US: NumberFormat = { decimalSeparator: '.', thousandsSeparator: ',' };

describe('parseAmountToMinor reads what people and ERPs write', () => {
  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1 234,56', 123456],
    ['1\u00A0234,56', 123456],
    ['1\u202F234,56', 123456],
    ['1.234,56', 123456],
    ['1234,5', 123450],
    ['-12,50', -1250],
    ['(12.50)', -1250],
    ['12.50-', -1250],
    ['+12', 1200],
    ['€ 1 234,56', 123456],
    ['1234.56 EUR', 123456],
    ['$1,234.56', 123456],
    ['-$1,234.56', -123456],
    ['US$ 12.00', 1200],
    ['R$ 1.234,56', 123456],
    ['1 234,56 Kč', 123456],
    ["CHF 1'234.50", 123450],
    ['₹ 1,23,45,678.90', 1234567890],
    ['\u221212,50', -1250],
    ['0000000074,70', 7470],
    ['.5', 50],
    ['  42  ', 4200],
    ['12,500', 1250000],
  ])('%s → %s', (raw, expected) => {
    expect(minor(raw)).toBe(expected);
  });

  it('uses the file format for values that are ambiguous on their own', () => {
    expect(minor('1.234', 2, DE)).toBe(123400);
    expect(minor('1,234', 2, US)).toBe(123400);
    expect(minor('1,234', 3, FR)).toBe(1234);
    expect(minor('1.234', 2)).toBe('tooManyDecimals');
  });

  it('accepts extra decimals only when they are zeros', () => {
    expect(minor('12.500', 2, US)).toBe(1250);
    expect(minor('12.505', 2, US)).toBe('tooManyDecimals');
    expect(minor('12,5', 0, FR)).toBe('tooManyDecimals');
    expect(minor('12,0', 0, FR)).toBe(12);
    expect(minor('1.234', 3, US)).toBe(1234);
  });

  it('converts Excel numeric cells through their 15-digit decimal form', () => {
    expect(minor(1234.56)).toBe(123456);
    expect(minor(0.1 + 0.2)).toBe(30);
    expect(minor(1.005)).toBe('tooManyDecimals');
    expect(minor(-0.29)).toBe(-29);
    expect(minor(1e-7)).toBe('tooManyDecimals');
    expect(minor(1e21)).toBe('outOfRange');
    expect(minor(42, 0)).toBe(42);
    expect(minor(Number.NaN)).toBe('notANumber');
    expect(minor(Number.POSITIVE_INFINITY)).toBe('notANumber');
  });

  it('refuses what is not one number', () => {
    for (const raw of ['', 'abc', 'N/A', '12 34', '1,2,3', '12.34.56,7.8', '--12', '(-12)', '(12', '12)', 'net 30', '1e5', '12 EUR 50', '1.234.56', '€']) {
      expect(minor(raw), raw).toBe('notANumber');
    }
  });

  it('refuses amounts beyond safe integers', () => {
    expect(minor('99999999999999999999')).toBe('outOfRange');
    expect(minor('90071992547409.92')).toBe('outOfRange');
    expect(minor('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('never gives negative zero', () => {
    expect(Object.is(minor('-0,00'), 0)).toBe(true);
  });

  it('rejects an impossible currency exponent as a programming error', () => {
    expect(() => parseAmountToMinor('1', 1.5)).toThrow(RangeError);
  });
});

describe('detectNumberFormat decides once per file', () => {
  it.each<[string[], NumberFormat]>([
    [['12,50', '1 234,56', '7'], { decimalSeparator: ',', thousandsSeparator: ' ' }],
    [['1.234,56', '12,50'], { decimalSeparator: ',', thousandsSeparator: '.' }],
    [['1,234', '12.5'], { decimalSeparator: '.', thousandsSeparator: ',' }],
    [['1,234', '12,5'], { decimalSeparator: ',', thousandsSeparator: '' }],
    [['1,234', '2,345'], { decimalSeparator: '.', thousandsSeparator: ',' }],
    [['1.234', '1.234.567'], { decimalSeparator: ',', thousandsSeparator: '.' }],
    [['100', '200'], { decimalSeparator: '.', thousandsSeparator: '' }],
    [[], { decimalSeparator: '.', thousandsSeparator: '' }],
    [['0,125'], { decimalSeparator: ',', thousandsSeparator: '' }],
  ])('%j → %j', (samples, expected) => {
    expect(detectNumberFormat(samples)).toEqual(expected);
  });
});

// --- properties -------------------------------------------------------------------------------------------

interface Style {
  format: NumberFormat;
  groupWith: string;
}
const STYLES: Style[] = [
  { format: { decimalSeparator: '.', thousandsSeparator: '' }, groupWith: '' },
  { format: { decimalSeparator: '.', thousandsSeparator: ',' }, groupWith: ',' },
  { format: { decimalSeparator: ',', thousandsSeparator: ' ' }, groupWith: ' ' },
  { format: { decimalSeparator: ',', thousandsSeparator: ' ' }, groupWith: '\u00A0' },
  { format: { decimalSeparator: ',', thousandsSeparator: ' ' }, groupWith: '\u202F' },
  { format: { decimalSeparator: ',', thousandsSeparator: '.' }, groupWith: '.' },
  { format: { decimalSeparator: ',', thousandsSeparator: '' }, groupWith: '' },
];
const SIGNS = ['-x', '(x)', 'x-', '−x'] as const;
const DECORATIONS = ['x', '€ x', 'x EUR', '$x', 'x\u00A0€'] as const;

function write(value: number, exponent: number, style: Style, sign: string, decoration: string): string {
  const digits = Math.abs(value).toString().padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, style.groupWith);
  const unsigned = exponent > 0 ? `${grouped}${style.format.decimalSeparator}${frac}` : grouped;
  const signed = value < 0 ? sign.replace('x', unsigned) : unsigned;
  return decoration.replace('x', signed);
}

describe('parseAmountToMinor properties', () => {
  it('gives back any integer amount written in any supported style', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
        fc.constantFrom(0, 2, 3),
        fc.constantFrom(...STYLES),
        fc.constantFrom(...SIGNS),
        fc.constantFrom(...DECORATIONS),
        (value, exponent, style, sign, decoration) => {
          const text = write(value, exponent, style, sign, decoration);
          const result = parseAmountToMinor(text, exponent, style.format);
          expect(result, text).toEqual({ ok: true, minor: value === 0 ? 0 : value });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads a whole column back after detecting its format, whenever one value shows the decimal mark', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(2, 3),
        fc.constantFrom(...STYLES),
        (values, exponent, style) => {
          const column = [...values, 1].map((v) => write(v, exponent, style, '-x', 'x'));
          const format = detectNumberFormat(column);
          expect(format.decimalSeparator).toBe(style.format.decimalSeparator);
          column.forEach((text, i) => {
            expect(parseAmountToMinor(text, exponent, format), text).toEqual({ ok: true, minor: [...values, 1][i] || 0 });
          });
        },
      ),
    );
  });

  it('reads Excel numbers with at most 15 significant digits exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 13), max: 10 ** 13 }), fc.constantFrom(0, 2, 3), (value, exponent) => {
        const asExcelNumber = value / 10 ** exponent;
        expect(parseAmountToMinor(asExcelNumber, exponent)).toEqual({ ok: true, minor: value === 0 ? 0 : value });
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.double()), fc.constantFrom(0, 2, 3), (raw, exponent) => {
        const result = parseAmountToMinor(raw, exponent);
        if (result.ok) expect(Number.isSafeInteger(result.minor)).toBe(true);
        detectNumberFormat([raw]);
      }),
      { numRuns: 3000 },
    );
  });
});
