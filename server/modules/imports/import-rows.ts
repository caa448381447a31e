import { isLanguage } from '../../../common/languages';
import { isActiveCurrency, minorUnitExponent } from '../../domain/currencies';
import { MAX_AMOUNT_MINOR } from '../../domain/money';
import { parseDocumentType, type ImportField } from '../../imports/mapping';
import { parseAmountToMinor, type NumberFormat } from '../../imports/parse-number';
import { parseDate, type DateOrder } from '../../imports/parse-date';
import { isSupportedDate } from '../../domain/calendar';
import type { TableCell } from '../../imports/read-table';
import { signedAmount } from '../documents/documents.service';

/** One valid row of an import, in ledger terms: signed minor units, ISO dates, its identity key. */
export type ParsedRow = {
  rowNumber: number;
  customerCode: string;
  customerName: string | null;
  customerLanguage: string | null;
  customerCurrency: string | null;
  contact: { email: string | null; firstName: string | null; lastName: string | null; phone: string | null } | null;
  type: 'invoice' | 'credit_note' | 'payment' | 'adjustment';
  number: string | null;
  issuedOn: string;
  dueOn: string | null;
  currency: string;
  amountMinor: number;
  openAmountMinor: number | null;
  appliesTo: string | null;
  paidOn: string | null;
  reference: string | null;
  identityKey: string;
  /** Set by the import passes when the file repeats an invoice number with other due dates: instalment k of n. */
  instalmentNo: number | null;
  instalmentCount: number | null;
};

/** A row problem as CONTRACTS.md reports it; `messageKey` is translated by the caller (imports:rowErrors.*). */
export type RowProblem = { row: number; column: ImportField; header: string; value: string; messageKey: string };

export type RowFormats = { number: NumberFormat; date: DateOrder };
export type Mapping = Partial<Record<ImportField, string>>;

const cellText = (c: TableCell | undefined): string => (c === undefined || c === null ? '' : c instanceof Date ? (Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10)) : String(c).trim());

/**
 * A copy of the text that does not keep the file's chunk alive. CSV parsers hand out cells as slices of the chunk
 * they read (V8 keeps a substring of 13 characters or more as a view into its parent), so one customer name kept for
 * the whole import would keep its 64 KB chunk, and the intents kept across a million-row file all of the file.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Column index of each mapped field (by header text), computed once per file. */
export function columnIndex(header: string[], mapping: Mapping): Partial<Record<ImportField, number>> {
  const out: Partial<Record<ImportField, number>> = {};
  for (const [field, h] of Object.entries(mapping) as [ImportField, string][]) {
    const i = header.indexOf(h);
    if (i >= 0) out[field] = i;
  }
  return out;
}

/**
 * Parses and checks one row. Unnumbered payments get their identity from (customer, date, amount, reference, rank
 * among identical rows), which `rankOf` tracks across the file (CONTRACTS.md "Identity").
 */
export function parseRow(
  rowNumber: number,
  cells: TableCell[],
  columns: Partial<Record<ImportField, number>>,
  mapping: Mapping,
  formats: RowFormats,
  source: string,
  rankOf: (key: string) => number,
): { row?: ParsedRow; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const raw = (f: ImportField): TableCell | undefined => (columns[f] === undefined ? undefined : cells[columns[f]!]);
  const text = (f: ImportField) => ownCopy(cellText(raw(f)));
  const fail = (f: ImportField, messageKey: string) => problems.push({ row: rowNumber, column: f, header: mapping[f] ?? '', value: text(f).slice(0, 200), messageKey });
  const opt = (f: ImportField) => text(f) || null;

  const required = (f: ImportField) => {
    if (!text(f)) fail(f, 'required');
    return text(f);
  };
  const date = (f: ImportField, isRequired: boolean): string | null => {
    const v = raw(f);
    if (cellText(v) === '') {
      if (isRequired) fail(f, 'required');
      return null;
    }
    const r = parseDate(v, formats.date);
    if (!r.ok) {
      fail(f, r.reason);
      return null;
    }
    // Reports walk months back and forth from these dates: outside 1900–2199 their arithmetic leaves the calendar.
    if (!isSupportedDate(r.date)) {
      fail(f, 'dateOutOfRange');
      return null;
    }
    return r.date;
  };

  const customerCode = required('customerCode');
  const typeText = required('documentType');
  const type = typeText ? parseDocumentType(typeText) : undefined;
  if (typeText && !type) fail('documentType', 'unknownDocumentType');
  const number = opt('number');
  if ((type === 'invoice' || type === 'credit_note') && !number) fail('number', 'required');
  const issuedOn = date('issuedOn', true);
  const dueOn = date('dueOn', false);
  const paidOn = date('paidOn', false);
  if (issuedOn && dueOn && dueOn < issuedOn) fail('dueOn', 'dueBeforeIssue');
  const currency = required('currency').toUpperCase();
  if (currency && !isActiveCurrency(currency)) fail('currency', 'invalidCurrency');
  const exponent = currency && isActiveCurrency(currency) ? minorUnitExponent(currency) : 2;
  const money = (f: ImportField, isRequired: boolean): number | null => {
    const v = raw(f);
    if (cellText(v) === '') {
      if (isRequired) fail(f, 'required');
      return null;
    }
    const r = parseAmountToMinor(v as string | number, exponent, formats.number);
    if (!r.ok) {
      fail(f, r.reason);
      return null;
    }
    // The API's bound on one amount (domain/money.ts): larger amounts would let the company's sums pass 2^53.
    if (Math.abs(r.minor) > MAX_AMOUNT_MINOR) {
      fail(f, 'outOfRange');
      return null;
    }
    return r.minor;
  };
  const amount = money('amount', true);
  const openAmount = money('openAmount', false);
  const customerCurrency = opt('customerCurrency')?.toUpperCase() ?? null;
  if (customerCurrency && !isActiveCurrency(customerCurrency)) fail('customerCurrency', 'invalidCurrency');
  const customerLanguage = normaliseLanguage(opt('customerLanguage'));
  if (opt('customerLanguage') && !customerLanguage) fail('customerLanguage', 'invalidLanguage');
  const email = opt('contactEmail')?.toLowerCase() ?? null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('contactEmail', 'invalidEmail');
  if (openAmount !== null && type && type !== 'invoice') fail('openAmount', 'onlyForInvoices');
  if (paidOn && type && type !== 'invoice') fail('paidOn', 'onlyForInvoices');

  if (problems.length || !type || !issuedOn || amount === null) return { problems };
  const signed = signedAmount(type, amount);
  const reference = opt('reference');
  let identityKey: string;
  if (number) identityKey = `${source}|${type}|${number}`;
  else {
    const base = `${source}|${type}|~${customerCode}|${issuedOn}|${signed}|${reference ?? ''}`;
    identityKey = `${base}|${rankOf(base)}`;
  }
  const hasContact = !!(email || opt('contactFirstName') || opt('contactLastName') || opt('contactPhone'));
  return {
    problems,
    row: {
      rowNumber,
      customerCode,
      customerName: opt('customerName'),
      customerLanguage,
      customerCurrency,
      contact: hasContact ? { email, firstName: opt('contactFirstName'), lastName: opt('contactLastName'), phone: opt('contactPhone') } : null,
      type,
      number,
      issuedOn,
      dueOn: type === 'invoice' ? dueOn : null,
      currency,
      amountMinor: signed,
      openAmountMinor: openAmount === null ? null : Math.abs(openAmount),
      appliesTo: opt('appliesTo'),
      paidOn,
      reference,
      identityKey,
      instalmentNo: null,
      instalmentCount: null,
    },
  };
}

function normaliseLanguage(v: string | null): string | null {
  if (!v) return null;
  const l = v.trim();
  if (isLanguage(l)) return l;
  const lower = l.toLowerCase();
  const map: Record<string, string> = { 'pt-br': 'pt-BR', pt: 'pt-BR', 'zh-cn': 'zh-CN', zh: 'zh-CN' };
  const m = map[lower] ?? lower.split(/[-_]/)[0];
  return isLanguage(m) ? m : null;
}

/** The cells to sample for per-file number and date format detection. */
export function sampleCells(cells: TableCell[], columns: Partial<Record<ImportField, number>>) {
  const pick = (fs: ImportField[]) => fs.map((f) => (columns[f] === undefined ? undefined : cells[columns[f]!])).filter((c) => c !== undefined && cellText(c) !== '');
  return { amounts: pick(['amount', 'openAmount']), dates: pick(['issuedOn', 'dueOn', 'paidOn']) };
}
