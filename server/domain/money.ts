/**
 * Money as integer minor units beside an ISO 4217 code (CONTRACTS.md "Conventions": fields ending in `Minor`).
 *
 * Floats never hold money here: every amount is a safe integer, conversions and roundings go through BigInt so a
 * worked example comes out "to the cent" (DOMAIN.md). DOMAIN.md "Never sum different currencies": totals are per
 * currency, and adding two currencies is an error rather than a silent wrong number.
 */
import { minorUnitExponent } from './currencies';

export interface Money {
  amountMinor: number;
  currency: string;
}

const CURRENCY_SHAPE = /^[A-Z]{3}$/;

/**
 * The largest amount one document, instalment, allocation or credit limit may carry: 10^15 minor units (10 trillion
 * EUR). Far above any real invoice, and 9,007 times below Number.MAX_SAFE_INTEGER, so that the sums of a company stay
 * exact; what bounds those sums is the company's total (documents/amount-bounds.ts), checked at every write.
 */
export const MAX_AMOUNT_MINOR = 10 ** 15;

/** The bound of every sum of a company's amounts per currency: beyond it a JavaScript number loses units. */
export const MAX_TOTAL_MINOR = Number.MAX_SAFE_INTEGER;

/**
 * An amount or a sum that is not a safe integer, met while reading (data written before the bounds existed, or a sum
 * the database computed past them). The error handler answers it as AMOUNT_OUT_OF_RANGE for that request alone.
 */
export class UnsafeAmountError extends RangeError {
  override name = 'UnsafeAmountError';
}

/** Throws unless `amountMinor` is a safe integer: beyond 2^53 a number silently loses cents. */
export function assertMinor(amountMinor: number, what = 'amountMinor'): void {
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor)) {
    throw new UnsafeAmountError(`${what} must be a safe integer number of minor units, got ${String(amountMinor)}`);
  }
}

function assertCurrencyShape(currency: string): void {
  // Only the shape is checked here (sums may carry historical codes); a lower-case 'eur' would otherwise start a
  // second EUR total.
  if (typeof currency !== 'string' || !CURRENCY_SHAPE.test(currency)) {
    throw new RangeError(`currency must be an upper-case ISO 4217 code, got ${JSON.stringify(currency)}`);
  }
}

/** Adds two amounts of the same currency. Different currencies throw (DOMAIN.md: never sum different currencies). */
export function addMoney(a: Money, b: Money): Money {
  assertCurrencyShape(a.currency);
  assertCurrencyShape(b.currency);
  if (a.currency !== b.currency) {
    throw new RangeError(`Cannot add ${a.currency} and ${b.currency}: totals are per currency`);
  }
  assertMinor(a.amountMinor);
  assertMinor(b.amountMinor);
  const amountMinor = a.amountMinor + b.amountMinor;
  assertMinor(amountMinor, 'sum');
  return { amountMinor, currency: a.currency };
}

/**
 * Totals per currency, keys in alphabetical order. A currency that appears only with zero amounts still gets its key
 * (with 0), so a caller can tell "nothing open" from "no documents in that currency".
 */
export function sumByCurrency(items: Iterable<Money>): Record<string, number> {
  const totals = new Map<string, number>();
  for (const item of items) {
    assertCurrencyShape(item.currency);
    assertMinor(item.amountMinor);
    const next = (totals.get(item.currency) ?? 0) + item.amountMinor;
    assertMinor(next, `${item.currency} total`);
    totals.set(item.currency, next);
  }
  const result: Record<string, number> = {};
  for (const currency of [...totals.keys()].sort()) result[currency] = totals.get(currency)!;
  return result;
}

const TEN = 10n;
const pow10 = (exponent: number): bigint => TEN ** BigInt(exponent);

/**
 * Integer division rounding half away from zero: the rule DOMAIN.md sets for every rounding ("Rounding: half away
 * from zero"). Exact for any size of operands.
 */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Renders `scaled / 10^decimals` as a number, through a decimal string so the double is the nearest one. */
function scaledToNumber(scaled: bigint, decimals: number): number {
  const result = Number(`${scaled}e-${decimals}`);
  return result === 0 ? 0 : result; // never hand out -0: it prints as "-0" in some formatters
}

function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`decimals must be an integer from 0 to 20, got ${decimals}`);
  }
}

/**
 * numerator / denominator rounded half away from zero to `decimals` places, computed exactly. Metrics use it so a
 * ratio of two money amounts is rounded once, from the exact value (DOMAIN.md "Rounding").
 */
export function roundRatioHalfAwayFromZero(numerator: bigint, denominator: bigint, decimals: number): number {
  assertDecimals(decimals);
  return scaledToNumber(divideRoundHalfAwayFromZero(numerator * pow10(decimals), denominator), decimals);
}

/**
 * The decimal a number stands for, as digits / 10^scale. Uses the shortest round-trip string JavaScript prints, so
 * 2.675 is read as the decimal 2.675 a person typed, not as the binary 2.67499999999999982236431605997495353221893310546875.
 */
function numberToDecimal(value: number): { digits: bigint; scale: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`Cannot read ${value} as a decimal`);
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  let digits = BigInt(sign + whole + fraction);
  let scale = fraction.length - Number(exponentText);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/**
 * Rounds half away from zero to `decimals` places, correct for decimal ties: 2.675 → 2.68, 1.005 → 1.01,
 * -1.005 → -1.01 (naive `Math.round(x * 100) / 100` gives 2.67 and 1 because of binary representation).
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot round ${value}`);
  assertDecimals(decimals);
  const { digits, scale } = numberToDecimal(value);
  if (scale <= decimals) return value === 0 ? 0 : value;
  return scaledToNumber(divideRoundHalfAwayFromZero(digits, pow10(scale - decimals)), decimals);
}

const RATE_SHAPE = /^(\d+)(?:\.(\d+))?$/;

/** Reads a decimal rate string ("0.9234") exactly as digits / 10^scale; refuses zero, negatives, exponents. */
function parseRate(rate: string): { digits: bigint; scale: number } {
  const match = typeof rate === 'string' ? RATE_SHAPE.exec(rate.trim()) : null;
  if (!match) throw new RangeError(`rate must be a positive decimal string such as "0.9234", got ${JSON.stringify(rate)}`);
  const [, whole, fraction = ''] = match;
  const digits = BigInt(whole + fraction);
  if (digits === 0n) throw new RangeError('rate must be greater than zero');
  return { digits, scale: fraction.length };
}

/**
 * Converts an amount in minor units of `fromCurrency` to minor units of `toCurrency`, where `rate` is the number of
 * `toCurrency` units for one `fromCurrency` unit ("0.9234" for USD→EUR). Both exponents count: 10,000 JPY (exponent
 * 0) at "0.0061" is 61.00 EUR = 6100 minor. Exact (BigInt) and rounded once, half away from zero, so the result is
 * the nearest minor unit and convert(-a) = -convert(a). DOMAIN.md: a base-currency view converts with a dated rate
 * table; which rate applies is the caller's business.
 */
export function convertMinor(amountMinor: number, fromCurrency: string, toCurrency: string, rate: string): number {
  assertMinor(amountMinor);
  const fromExponent = minorUnitExponent(fromCurrency);
  const toExponent = minorUnitExponent(toCurrency);
  const { digits, scale } = parseRate(rate);
  // amountMinor / 10^from × rateDigits / 10^scale × 10^to
  const numerator = BigInt(amountMinor) * digits * pow10(toExponent);
  const denominator = pow10(fromExponent + scale);
  const converted = divideRoundHalfAwayFromZero(numerator, denominator);
  if (converted > BigInt(Number.MAX_SAFE_INTEGER) || converted < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`Converted amount ${converted} ${toCurrency} is too large to hold exactly`);
  }
  return Number(converted);
}

/**
 * Plain decimal text of an amount, no grouping, '.' as separator, as many decimals as the currency has:
 * 123450 EUR → "1234.50", 1234 JPY → "1234", -5 KWD → "-0.005". For CSV exports and APIs; screens format with Intl.
 */
export function formatMinorAsDecimalString(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exponent = minorUnitExponent(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor));
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const fraction = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
