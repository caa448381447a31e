import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, minorUnitExponent } from './currencies';
import {
  addMoney,
  convertMinor,
  divideRoundHalfAwayFromZero,
  formatMinorAsDecimalString,
  roundHalfAwayFromZero,
  roundRatioHalfAwayFromZero,
  sumByCurrency,
  type Money,
} from './money';

const currency = fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'CLF', 'GBP');
const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
const money = fc.record({ amountMinor: amount, currency });

describe('adding money', () => {
  it('adds two amounts of one currency exactly', () => {
    expect(addMoney({ amountMinor: 10_010, currency: 'EUR' }, { amountMinor: -20, currency: 'EUR' })).toEqual({ amountMinor: 9_990, currency: 'EUR' });
  });

  it('refuses to add two currencies instead of producing a meaningless total', () => {
    expect(() => addMoney({ amountMinor: 1, currency: 'EUR' }, { amountMinor: 1, currency: 'USD' })).toThrow(/per currency/);
  });

  it('refuses fractional or unsafe minor units and lower-case codes', () => {
    expect(() => addMoney({ amountMinor: 1.5, currency: 'EUR' }, { amountMinor: 1, currency: 'EUR' })).toThrow(RangeError);
    expect(() => addMoney({ amountMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, { amountMinor: 1, currency: 'EUR' })).toThrow(/safe integer/);
    expect(() => addMoney({ amountMinor: NaN, currency: 'EUR' }, { amountMinor: 1, currency: 'EUR' })).toThrow(RangeError);
    expect(() => addMoney({ amountMinor: 1, currency: 'eur' }, { amountMinor: 1, currency: 'eur' })).toThrow(/upper-case/);
  });
});

describe('totals per currency', () => {
  it('keeps each currency apart, keys sorted', () => {
    const totals = sumByCurrency([
      { amountMinor: 100, currency: 'USD' },
      { amountMinor: 250, currency: 'EUR' },
      { amountMinor: -50, currency: 'USD' },
      { amountMinor: 7, currency: 'JPY' },
    ]);
    expect(totals).toEqual({ EUR: 250, JPY: 7, USD: 50 });
    expect(Object.keys(totals)).toEqual(['EUR', 'JPY', 'USD']);
  });

  it('is empty for no items and keeps a currency whose items cancel out', () => {
    expect(sumByCurrency([])).toEqual({});
    expect(sumByCurrency([{ amountMinor: 5, currency: 'EUR' }, { amountMinor: -5, currency: 'EUR' }])).toEqual({ EUR: 0 });
  });

  it('throws rather than lose cents when a total leaves the safe integer range', () => {
    expect(() => sumByCurrency([{ amountMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, { amountMinor: 1, currency: 'EUR' }])).toThrow(/safe integer/);
  });

  it('property: summing two batches separately then together gives the same totals (associative, order-free)', () => {
    fc.assert(
      fc.property(fc.array(money, { maxLength: 30 }), fc.array(money, { maxLength: 30 }), (left, right) => {
        const merged: Record<string, number> = { ...sumByCurrency(left) };
        for (const [code, total] of Object.entries(sumByCurrency(right))) merged[code] = (merged[code] ?? 0) + total;
        const together = sumByCurrency([...left, ...right]);
        expect(together).toEqual(sumByCurrency(Object.entries(merged).map(([c, a]) => ({ currency: c, amountMinor: a }))));
        expect(sumByCurrency([...right, ...left].reverse())).toEqual(together);
      }),
    );
  });

  it('property: each currency total is exactly the sum of that currency’s items and nothing else', () => {
    fc.assert(
      fc.property(fc.array(money, { maxLength: 40 }), (items: Money[]) => {
        const totals = sumByCurrency(items);
        expect(Object.keys(totals).sort()).toEqual([...new Set(items.map((i) => i.currency))].sort());
        for (const [code, total] of Object.entries(totals)) {
          expect(total).toBe(items.filter((i) => i.currency === code).reduce((s, i) => s + i.amountMinor, 0));
        }
      }),
    );
  });
});

describe('rounding half away from zero', () => {
  it('rounds decimal ties the way a person expects, despite binary floating point', () => {
    expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
    expect(roundHalfAwayFromZero(-1.005, 2)).toBe(-1.01);
    expect(roundHalfAwayFromZero(0.5, 0)).toBe(1);
    expect(roundHalfAwayFromZero(-0.5, 0)).toBe(-1);
    expect(roundHalfAwayFromZero(2.5, 0)).toBe(3);
    expect(roundHalfAwayFromZero(1.45, 1)).toBe(1.5);
    expect(roundHalfAwayFromZero(72.72727, 1)).toBe(72.7);
    expect(roundHalfAwayFromZero(64.648648, 2)).toBe(64.65);
  });

  it('leaves values that already fit alone and never returns negative zero', () => {
    expect(roundHalfAwayFromZero(12.3, 2)).toBe(12.3);
    expect(roundHalfAwayFromZero(7, 0)).toBe(7);
    expect(Object.is(roundHalfAwayFromZero(-0.001, 2), 0)).toBe(true);
    expect(Object.is(roundHalfAwayFromZero(-0, 2), 0)).toBe(true);
  });

  it('handles numbers JavaScript prints in exponent form', () => {
    expect(roundHalfAwayFromZero(1e-7, 2)).toBe(0);
    expect(roundHalfAwayFromZero(5e-7, 6)).toBe(0.000001);
    expect(roundHalfAwayFromZero(1.5e21, 2)).toBe(1.5e21);
  });

  it('refuses NaN, infinities and impossible decimal counts', () => {
    expect(() => roundHalfAwayFromZero(NaN, 2)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(Infinity, 2)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1.5, -1)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1.5, 1.5)).toThrow(RangeError);
  });

  it('property: rounding is symmetric, round(-x) = -round(x)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        expect(roundHalfAwayFromZero(-x, d) === -roundHalfAwayFromZero(x, d)).toBe(true);
      }),
    );
  });

  it('property: every decimal tie goes away from zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 6 }), (q, d) => {
        const tie = Number(`${q}5e-${d + 1}`); // (q + 0.5) / 10^d, as written in decimal
        expect(roundHalfAwayFromZero(tie, d)).toBe(Number(`${q + 1}e-${d}`));
        expect(roundHalfAwayFromZero(-tie, d)).toBe(-Number(`${q + 1}e-${d}`));
      }),
    );
  });

  it('property: the result has at most the asked decimals and is within half a unit of the value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 4 }), (x, d) => {
        const rounded = roundHalfAwayFromZero(x, d);
        expect(Math.abs(rounded - x)).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-6);
        expect(roundHalfAwayFromZero(rounded, d)).toBe(rounded);
      }),
    );
  });

  it('rounds an exact ratio of integers once, from the exact value', () => {
    expect(roundRatioHalfAwayFromZero(260_000n * 92n, 370_000n, 2)).toBe(64.65);
    expect(roundRatioHalfAwayFromZero(-1n, 8n, 2)).toBe(-0.13);
    expect(roundRatioHalfAwayFromZero(1n, -8n, 2)).toBe(-0.13);
    expect(divideRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(/zero/);
  });
});

describe('currency conversion', () => {
  it('converts USD to EUR at a four-decimal rate, to the nearest cent', () => {
    expect(convertMinor(100_000, 'USD', 'EUR', '0.9234')).toBe(92_340);
    expect(convertMinor(1_999, 'USD', 'EUR', '0.9234')).toBe(1_846); // 18.459766 → 18.46
    expect(convertMinor(-1_999, 'USD', 'EUR', '0.9234')).toBe(-1_846);
  });

  it('respects both exponents: yen have no minor unit, dinars have three', () => {
    expect(convertMinor(10_000, 'JPY', 'EUR', '0.0061')).toBe(6_100);
    expect(convertMinor(6_100, 'EUR', 'JPY', '163.93')).toBe(10_000); // 9999.73 → 10000 yen
    expect(convertMinor(1_000, 'KWD', 'EUR', '2.9876')).toBe(299); // 1.000 KWD → 2.9876 → 2.99 EUR
    expect(convertMinor(100, 'EUR', 'KWD', '0.3347')).toBe(335); // 1.00 EUR → 0.3347 → 0.335 KWD
  });

  it('breaks exact ties away from zero', () => {
    expect(convertMinor(1, 'EUR', 'USD', '0.5')).toBe(1);
    expect(convertMinor(-1, 'EUR', 'USD', '0.5')).toBe(-1);
    expect(convertMinor(3, 'EUR', 'USD', '0.5')).toBe(2);
  });

  it('refuses malformed or non-positive rates and unknown currencies', () => {
    for (const rate of ['', '0', '0.000', '-1.2', '1e3', '1,2', 'abc', '.5']) expect(() => convertMinor(100, 'USD', 'EUR', rate)).toThrow(RangeError);
    expect(() => convertMinor(100, 'USD', 'XYZ', '1')).toThrow(/Unknown/);
    expect(() => convertMinor(1.5, 'USD', 'EUR', '1')).toThrow(/safe integer/);
  });

  it('refuses a result too large to hold exactly', () => {
    expect(() => convertMinor(Number.MAX_SAFE_INTEGER, 'JPY', 'KWD', '1000')).toThrow(/too large/);
  });

  const anyCurrency = fc.constantFrom(...CURRENCY_CODES);
  const rate = fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 8 })).map(([digits, scale]) => {
    const padded = String(digits).padStart(scale + 1, '0');
    return scale === 0 ? padded : `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  });

  it('property: the result is the nearest minor unit to the exact product', () => {
    fc.assert(
      fc.property(amount, anyCurrency, anyCurrency, rate, (a, from, to, r) => {
        const [whole, fraction = ''] = r.split('.');
        const exactNumerator = BigInt(a) * BigInt(whole + fraction) * 10n ** BigInt(minorUnitExponent(to));
        const exactDenominator = 10n ** BigInt(minorUnitExponent(from) + fraction.length);
        let converted: number;
        try {
          converted = convertMinor(a, from, to, r);
        } catch {
          return; // too large to hold: refused, covered above
        }
        const error = BigInt(converted) * exactDenominator - exactNumerator; // (result − exact) × denominator
        const absError = error < 0n ? -error : error;
        expect(absError * 2n <= exactDenominator).toBe(true);
        expect(convertMinor(-a, from, to, r) === -converted).toBe(true);
      }),
    );
  });

  // Rates 2^p × 5^q have a finite decimal reciprocal, so r and 1/r are both exact strings.
  const exactDecimal = (p: number, q: number): string => {
    const shift = Math.max(0, -p, -q); // value × 10^shift is an integer
    const scaled = 2n ** BigInt(p + shift) * 5n ** BigInt(q + shift);
    const text = String(scaled).padStart(shift + 1, '0');
    return shift === 0 ? text : `${text.slice(0, -shift)}.${text.slice(-shift)}`;
  };

  it('property: converting at r then back at 1/r returns within one minor unit when the target unit is not coarser', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }),
        fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'CLF'),
        fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'CLF'),
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: -6, max: 6 }),
        (a, from, to, p, q) => {
          const r = exactDecimal(p, q);
          const inverse = exactDecimal(-p, -q);
          // The round trip is only meaningful when one source minor unit is worth at least one target minor unit.
          const factor = 2 ** p * 5 ** q * 10 ** (minorUnitExponent(to) - minorUnitExponent(from));
          fc.pre(factor >= 1 && Math.abs(a) * factor < 1e15);
          const back = convertMinor(convertMinor(a, from, to, r), to, from, inverse);
          expect(Math.abs(back - a)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('decimal text of an amount', () => {
  it('writes as many decimals as the currency has', () => {
    expect(formatMinorAsDecimalString(123_450, 'EUR')).toBe('1234.50');
    expect(formatMinorAsDecimalString(1_234, 'JPY')).toBe('1234');
    expect(formatMinorAsDecimalString(1_234, 'KWD')).toBe('1.234');
    expect(formatMinorAsDecimalString(5, 'EUR')).toBe('0.05');
    expect(formatMinorAsDecimalString(-5, 'KWD')).toBe('-0.005');
    expect(formatMinorAsDecimalString(0, 'EUR')).toBe('0.00');
    expect(formatMinorAsDecimalString(-1_234, 'JPY')).toBe('-1234');
    expect(formatMinorAsDecimalString(12_345, 'CLF')).toBe('1.2345');
  });

  it('property: the text reads back to the same amount', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...CURRENCY_CODES), (a, code) => {
        const text = formatMinorAsDecimalString(a, code);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(a));
        expect(text.includes('.') ? text.split('.')[1].length : 0).toBe(minorUnitExponent(code));
      }),
    );
  });
});
