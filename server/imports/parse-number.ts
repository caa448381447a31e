// Amounts written by people and ERPs → integer minor units, without ever going through a float.
// A float round-trip turns "0.29" into 28.999999999999996 cents; working on the digit string cannot.

export interface NumberFormat {
  decimalSeparator: ',' | '.';
  thousandsSeparator: ' ' | '.' | ',' | '';
}

export type AmountFailure = 'notANumber' | 'tooManyDecimals' | 'outOfRange';
export type ParseAmountResult = { ok: true; minor: number } | { ok: false; reason: AmountFailure };

// Spaces that people and locales put between digit groups: NBSP (fr-FR before 2017, Excel), narrow NBSP
// (fr-FR in ICU since 2017), thin and figure spaces. Apostrophes are the Swiss grouping mark. None of them can
// be a decimal separator, so they are always accepted as grouping whatever the file's format.
const GROUPING_SPACES = /[\u00A0\u202F\u2009\u2007\u2008\u200A'\u2019]/g;

// Currency marks around the number: any Unicode currency symbol (with a prefix such as "US$", "R$"), an ISO 4217
// code in capitals, or a few local abbreviations ERPs print instead of a symbol. Lower-case words are not accepted
// so that "net 30" or "abc12" stay "not a number" instead of silently becoming an amount.
const CURRENCY_TOKEN = /[A-Z]{0,3}\p{Sc}|(?<!\p{L})(?:[A-Z]{3}|K[čc]|z[łl]|kr\.?|Fr\.?|Rs\.?|lei|Ft)(?![\p{L}])|元|円/gu;

interface Split {
  negative: boolean;
  core: string; // digits with '.', ',' and ' ' only
}

/** Separates sign and currency decorations from the digits; undefined when the text is not one number. */
function splitNumber(raw: string): Split | undefined {
  if (raw.length > 200) return undefined;
  const text = raw
    .normalize('NFKC')
    .replace(GROUPING_SPACES, ' ')
    .replace(/[\u2212\u2012\u2013\uFE63\uFF0D]/g, '-')
    .replace(CURRENCY_TOKEN, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Exactly one run of digits and separators; around it only signs, brackets and spaces may remain.
  const match = /^([ ()+-]*)((?:\d|[.,]\d)[\d., ]*?)([ ()+-]*)$/.exec(text);
  if (!match) return undefined;
  const [, before, core, after] = match;
  if (/\)/.test(before) || /\(/.test(after)) return undefined;
  const opening = before.split('(').length - 1;
  if (opening !== after.split(')').length - 1 || opening > 1) return undefined;
  const minus = (before + after).split('-').length - 1;
  const plus = (before + after).split('+').length - 1;
  // "(12.50)" is the accountants' negative, "12.50-" SAP's; two negative marks at once is not a number we trust.
  const negativeMarks = minus + opening;
  if (negativeMarks > 1 || plus > 1 || (plus === 1 && negativeMarks > 0)) return undefined;
  return { negative: negativeMarks === 1, core };
}

/** Thousands groups are 3 digits, or the Indian 2-digit lakh/crore groups before the last 3 (1,23,45,678). */
function isValidGrouping(groups: string[]): boolean {
  if (groups.length < 2) return true;
  if (!/^\d{1,3}$/.test(groups[0])) return false;
  if (!/^\d{3}$/.test(groups[groups.length - 1])) return false;
  const middle = groups.slice(1, -1);
  return middle.every((g) => /^\d{3}$/.test(g)) || middle.every((g) => /^\d{2}$/.test(g));
}

/** Splits the core into integer and fraction digits, given which mark is the decimal separator. */
function digitsOf(core: string, decimal: ',' | '.'): { int: string; frac: string } | undefined {
  const other = decimal === '.' ? ',' : '.';
  const parts = core.split(decimal);
  if (parts.length > 2) return undefined;
  const [intPart, fracPart = ''] = parts;
  if (!/^\d*$/.test(fracPart)) return undefined; // no grouping after the decimal separator
  let int = intPart.trim();
  if (int.includes(' ') || int.includes(other)) {
    // Spaces and the other punctuation mark may group thousands, but only one kind in a number.
    const kinds = new Set(int.replace(/\d/g, '').split(''));
    if (kinds.size > 1) return undefined;
    const groups = int.split(/[ .,]/);
    if (!isValidGrouping(groups)) return undefined;
    int = groups.join('');
  }
  if (!/^\d*$/.test(int) || (int === '' && fracPart === '')) return undefined;
  if (parts.length === 2 && parts[0].endsWith(' ')) return undefined; // "12 ,50"
  return { int, frac: fracPart };
}

type Vote = { decimal?: ',' | '.'; grouping?: ' ' | '.' | ',' };

/** What one number says about the file's separators. `1,234` alone says nothing about the decimal mark. */
function voteOf(core: string): Vote {
  const vote: Vote = {};
  if (/\d \d/.test(core)) vote.grouping = ' ';
  const commas = (core.match(/,/g) ?? []).length;
  const dots = (core.match(/\./g) ?? []).length;
  if (commas > 0 && dots > 0) {
    vote.decimal = core.lastIndexOf(',') > core.lastIndexOf('.') ? ',' : '.';
    vote.grouping = vote.decimal === ',' ? '.' : ',';
  } else if (commas + dots > 1) {
    const mark = commas > 0 ? ',' : '.';
    vote.grouping = mark;
    vote.decimal = mark === ',' ? '.' : ',';
  } else if (commas + dots === 1) {
    const mark = commas > 0 ? ',' : '.';
    const [int, frac] = core.split(mark);
    // Only 1–3 digits (not starting with 0), the mark, then exactly 3 digits can be a grouped thousand.
    const ambiguous = /^[1-9]\d{0,2}$/.test(int) && /^\d{3}$/.test(frac);
    if (!ambiguous) vote.decimal = mark;
  }
  return vote;
}

/**
 * Decides a file's number format from its amount cells. Voting, not the first sample, because the first rows of
 * an export are often small amounts ("12,50") while `1,234` is only told apart by its neighbours.
 */
export function detectNumberFormat(samples: readonly unknown[]): NumberFormat {
  const decimalVotes = { ',': 0, '.': 0 };
  const groupingVotes = { ' ': 0, ',': 0, '.': 0 };
  const ambiguousMarks = { ',': 0, '.': 0 };
  for (const sample of samples) {
    if (typeof sample !== 'string') continue;
    const split = splitNumber(sample);
    if (!split) continue;
    const vote = voteOf(split.core);
    if (vote.decimal) decimalVotes[vote.decimal] += 1;
    if (vote.grouping) groupingVotes[vote.grouping] += 1;
    if (!vote.decimal && /[.,]/.test(split.core)) ambiguousMarks[split.core.includes(',') ? ',' : '.'] += 1;
  }
  const decimalSeparator = decimalVotes[','] > decimalVotes['.'] ? ',' : '.';
  const otherMark = decimalSeparator === ',' ? '.' : ',';
  // An ambiguous "1,234" in a decimal-point file is a grouped thousand; count it as grouping evidence.
  const otherGrouping = groupingVotes[otherMark] + ambiguousMarks[otherMark];
  let thousandsSeparator: NumberFormat['thousandsSeparator'] = '';
  if (groupingVotes[' '] > 0 && groupingVotes[' '] >= otherGrouping) thousandsSeparator = ' ';
  else if (otherGrouping > 0) thousandsSeparator = otherMark;
  return { decimalSeparator, thousandsSeparator };
}

/** A JS number from a spreadsheet cell as the decimal string Excel shows (15 significant digits). */
function numberToDecimalString(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  // Excel keeps 15 significant digits; toPrecision(15) undoes binary artefacts such as 0.1 + 0.2.
  const precise = value.toPrecision(15);
  const [mantissa, expText] = precise.split('e');
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const [intDigits, fracDigits = ''] = unsigned.split('.');
  let digits = intDigits + fracDigits;
  let pointAt = intDigits.length + (expText ? Number(expText) : 0);
  if (pointAt <= 0) {
    digits = '0'.repeat(1 - pointAt) + digits;
    pointAt = 1;
  } else if (pointAt > digits.length) {
    digits = digits + '0'.repeat(pointAt - digits.length);
  }
  return `${negative ? '-' : ''}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/**
 * Parses an amount into minor units of a currency with `exponent` decimals (0 JPY, 2 EUR, 3 KWD).
 * With `format` (from detectNumberFormat over the file's column) the file's convention decides; without it each
 * value is read on its own, and when it cannot tell (`1,234`, `1.234`) the point is the decimal mark.
 */
export function parseAmountToMinor(
  raw: string | number,
  exponent: number,
  format?: NumberFormat,
): ParseAmountResult {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 6) {
    throw new RangeError(`currency exponent must be an integer 0–6, got ${exponent}`);
  }
  let split: Split | undefined;
  let decimal: ',' | '.';
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, reason: 'notANumber' };
    const text = numberToDecimalString(raw);
    split = { negative: text.startsWith('-'), core: text.replace('-', '') };
    decimal = '.';
  } else if (typeof raw === 'string') {
    split = splitNumber(raw);
    if (!split) return { ok: false, reason: 'notANumber' };
    decimal = (format ?? detectNumberFormat([raw])).decimalSeparator;
  } else {
    return { ok: false, reason: 'notANumber' };
  }

  const digits = digitsOf(split.core, decimal);
  if (!digits) return { ok: false, reason: 'notANumber' };
  let frac = digits.frac;
  if (frac.length > exponent) {
    // "12.500" in a 2-decimal currency is fine; "12.505" would need rounding, which an import must not invent.
    if (/[^0]/.test(frac.slice(exponent))) return { ok: false, reason: 'tooManyDecimals' };
    frac = frac.slice(0, exponent);
  }
  const minorDigits = (digits.int + frac.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  // Number() of at most 16 digits below 2^53 is exact; anything larger cannot be summed safely anyway.
  if (minorDigits.length > 16) return { ok: false, reason: 'outOfRange' };
  const magnitude = Number(minorDigits);
  if (!Number.isSafeInteger(magnitude)) return { ok: false, reason: 'outOfRange' };
  return { ok: true, minor: split.negative && magnitude !== 0 ? -magnitude : magnitude };
}
