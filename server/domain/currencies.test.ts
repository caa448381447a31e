import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, isActiveCurrency, minorUnitExponent } from './currencies';

describe('active ISO 4217 currencies', () => {
  it('knows the exponent ISO gives each currency, not the digits a locale displays', () => {
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KRW')).toBe(0);
    expect(minorUnitExponent('CLP')).toBe(0);
    expect(minorUnitExponent('ISK')).toBe(0);
    expect(minorUnitExponent('XOF')).toBe(0);
    expect(minorUnitExponent('XAF')).toBe(0);
    expect(minorUnitExponent('XPF')).toBe(0);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(minorUnitExponent('BHD')).toBe(3);
    expect(minorUnitExponent('TND')).toBe(3);
    expect(minorUnitExponent('CLF')).toBe(4);
    expect(minorUnitExponent('UYW')).toBe(4);
    // CLDR shows these without decimals, ISO stores two: an import must not be off by 100.
    expect(minorUnitExponent('HUF')).toBe(2);
    expect(minorUnitExponent('IDR')).toBe(2);
    expect(minorUnitExponent('COP')).toBe(2);
  });

  it('accepts the codes of recent changeovers and refuses withdrawn ones', () => {
    for (const code of ['SLE', 'VED', 'VES', 'MRU', 'STN', 'ZWG', 'XCG']) expect(isActiveCurrency(code)).toBe(true);
    for (const code of ['HRK', 'VEF', 'MRO', 'STD', 'FRF', 'DEM', 'LTL']) expect(isActiveCurrency(code)).toBe(false);
  });

  it('refuses codes that have no minor unit, since an amount in them cannot be stored in minor units', () => {
    for (const code of ['XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XXX', 'XTS', 'XBA', 'XUA', 'XSU']) expect(isActiveCurrency(code)).toBe(false);
  });

  it('is case-sensitive so that one currency cannot become two totals', () => {
    expect(isActiveCurrency('eur')).toBe(false);
    expect(isActiveCurrency(' EUR')).toBe(false);
    expect(isActiveCurrency('')).toBe(false);
    expect(isActiveCurrency('toString')).toBe(false);
    expect(isActiveCurrency('__proto__')).toBe(false);
  });

  it('throws for an unknown code rather than guessing an exponent', () => {
    expect(() => minorUnitExponent('ABC')).toThrow(RangeError);
    expect(() => minorUnitExponent('hasOwnProperty')).toThrow(/Unknown/);
  });

  it('lists every accepted code once, sorted, each three upper-case letters with an exponent from 0 to 4', () => {
    expect(CURRENCY_CODES).toHaveLength(169);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    for (const code of CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(minorUnitExponent(code));
    }
  });

  it('covers every currency the runtime knows except withdrawn ones and those without minor unit', () => {
    const knownWithdrawnOrUnitless = new Set(['HRK', 'XDR', 'XSU', 'XAU', 'XAG', 'XPD', 'XPT', 'XXX', 'XTS', 'XUA', 'XBA', 'XBB', 'XBC', 'XBD']);
    const missing = Intl.supportedValuesOf('currency').filter((code) => !isActiveCurrency(code) && !knownWithdrawnOrUnitless.has(code));
    expect(missing).toEqual([]);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CURRENCY_CODES)).toBe(true);
  });
});
