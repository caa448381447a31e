import type { Db } from '../../db/database';
import type { AgingRow } from '../../domain/aging';
import { minorUnitExponent } from '../../domain/currencies';
import { divideRoundHalfAwayFromZero } from '../../domain/money';
import { findRate } from './reports.repository';

/**
 * Base-currency view of an aging (CONTRACTS.md: `converted`, never a row). Each amount is converted with the dated
 * rate table (the latest rate on or before the as-of date; a company's own rates override the reference rates) and
 * says which rates it used; a currency without a rate is listed as missing, never silently dropped.
 */

export type RateLeg = { baseCurrency: string; quoteCurrency: string; rate: string; rateOn: string; source: 'company' | 'reference'; isInverted: boolean };
export type Conversion = { from: string; to: string; legs: RateLeg[] };

/** Currencies tried as a bridge when no rate links two currencies directly (reference tables are EUR-based). */
const BRIDGES = ['EUR', 'USD'];

async function findLeg(db: Db, tenantId: string, from: string, to: string, asOf: string): Promise<RateLeg | undefined> {
  const direct = await findRate(db, tenantId, from, to, asOf);
  if (direct) return { baseCurrency: from, quoteCurrency: to, rate: direct.rate, rateOn: direct.rateOn, source: direct.isCompanyRate ? 'company' : 'reference', isInverted: false };
  const inverse = await findRate(db, tenantId, to, from, asOf);
  if (inverse) return { baseCurrency: to, quoteCurrency: from, rate: inverse.rate, rateOn: inverse.rateOn, source: inverse.isCompanyRate ? 'company' : 'reference', isInverted: true };
  return undefined;
}

/** The rates that convert `from` into `to` at `asOf`: one leg, or two through a bridge currency; undefined if none. */
export async function findConversion(db: Db, tenantId: string, from: string, to: string, asOf: string, bridges: readonly string[] = BRIDGES): Promise<Conversion | undefined> {
  if (from === to) return { from, to, legs: [] };
  const leg = await findLeg(db, tenantId, from, to, asOf);
  if (leg) return { from, to, legs: [leg] };
  for (const bridge of bridges) {
    if (bridge === from || bridge === to) continue;
    const first = await findLeg(db, tenantId, from, bridge, asOf);
    const second = first && (await findLeg(db, tenantId, bridge, to, asOf));
    if (first && second) return { from, to, legs: [first, second] };
  }
  return undefined;
}

function decimal(rate: string): { digits: bigint; scale: number } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m || /^0*\.?0*$/.test(rate.trim())) throw new RangeError(`Invalid exchange rate ${JSON.stringify(rate)}`);
  return { digits: BigInt(m[1] + (m[2] ?? '')), scale: (m[2] ?? '').length };
}

/**
 * Exact conversion of minor units through the legs, rounded once half away from zero (like money.ts convertMinor,
 * which covers only a single direct rate). A leg stored as 1 `to` = r `from` divides by r.
 */
export function convertThrough(amountMinor: number, c: Conversion): number {
  let num = BigInt(amountMinor) * 10n ** BigInt(minorUnitExponent(c.to));
  let den = 10n ** BigInt(minorUnitExponent(c.from));
  for (const leg of c.legs) {
    const { digits, scale } = decimal(leg.rate);
    if (leg.isInverted) {
      num *= 10n ** BigInt(scale);
      den *= digits;
    } else {
      num *= digits;
      den *= 10n ** BigInt(scale);
    }
  }
  const result = divideRoundHalfAwayFromZero(num, den);
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError('Converted amount too large');
  return Number(result);
}

export type ConvertedAging = {
  currency: string;
  amountsMinor: Record<string, number>;
  totalMinor: number;
  unallocatedMinor: number;
  rates: { currency: string; legs: RateLeg[] }[];
  missingCurrencies: string[];
};

/** Each bucket of each row converted on its own, then summed; the total is the sum of the converted buckets. */
export async function convertAging(db: Db, tenantId: string, asOf: string, rows: readonly AgingRow[], bucketKeys: readonly string[], to: string): Promise<ConvertedAging> {
  const out: ConvertedAging = { currency: to, amountsMinor: Object.fromEntries(bucketKeys.map((k) => [k, 0])), totalMinor: 0, unallocatedMinor: 0, rates: [], missingCurrencies: [] };
  for (const row of rows) {
    const conversion = await findConversion(db, tenantId, row.currency, to, asOf);
    if (!conversion) {
      out.missingCurrencies.push(row.currency);
      continue;
    }
    if (conversion.legs.length > 0) out.rates.push({ currency: row.currency, legs: conversion.legs });
    for (const key of bucketKeys) {
      const converted = convertThrough(row.amountsMinor[key] ?? 0, conversion);
      out.amountsMinor[key] += converted;
      out.totalMinor += converted;
    }
    out.unallocatedMinor += convertThrough(row.unallocatedMinor, conversion);
  }
  return out;
}
