import type { Db } from '../../db/database';
import { collectGarbage, GC_EVERY_ROWS } from '../../imports/collect-garbage';
import { IMPORT_FIELDS, suggestMapping, type ImportField } from '../../imports/mapping';
import { detectDateFormat, type DateOrder } from '../../imports/parse-date';
import { detectNumberFormat, type NumberFormat } from '../../imports/parse-number';
import type { Table, TableRow } from '../../imports/read-table';
import { MAX_TOTAL_MINOR } from '../../domain/money';
import { companyTotals } from '../documents/amount-bounds';
import { instalmentKey } from '../documents/documents.service';
import { columnIndex, parseRow, sampleCells, type Mapping, type ParsedRow, type RowProblem } from './import-rows';

/** Fields without which no row can be read: the mapping must name a column for each. */
export const REQUIRED_FIELDS: ImportField[] = ['customerCode', 'documentType', 'issuedOn', 'currency', 'amount'];
const SAMPLE_ROWS = 500;
const BATCH = 500;
export const MAX_REPORTED_ERRORS = 1000;

export class ImportFileError extends Error {
  constructor(readonly key: string, readonly params: Record<string, unknown> = {}) {
    super(key);
  }
}

export type FormatOptions = { numberFormat?: 'comma' | 'dot'; dateFormat?: DateOrder };

/** The mapping used: suggested from the headers, then the source's saved mapping, then what the user chose. */
export function resolveMapping(header: string[], saved: Mapping | undefined, chosen: Mapping | undefined): Mapping {
  const present = (m: Mapping | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([f, h]) => (IMPORT_FIELDS as readonly string[]).includes(f) && h && header.includes(h)));
  for (const [field, h] of Object.entries(chosen ?? {})) {
    if (h && !header.includes(h)) throw new ImportFileError('mappingHeaderMissing', { field, header: h });
  }
  // A header that is the field's own id (the CONTRACTS.md names, as our exports write them) maps to it directly.
  const exact = Object.fromEntries(header.flatMap((h) => IMPORT_FIELDS.filter((f) => f.toLowerCase() === h.trim().toLowerCase()).map((f) => [f, h])));
  const suggested = Object.fromEntries(Object.entries(suggestMapping(header)).filter(([, h]) => !Object.values(exact).includes(h as string)));
  const mapping = { ...suggested, ...exact, ...present(saved), ...present(chosen) } as Mapping;
  // An empty header chosen for a field means "not imported": it removes a suggested or saved column.
  for (const [field, h] of Object.entries(chosen ?? {})) if (h === '') delete mapping[field as ImportField];
  const missing = REQUIRED_FIELDS.filter((f) => !mapping[f]);
  if (missing.length) throw new ImportFileError('mappingMissingFields', { fields: missing.join(', ') });
  return mapping;
}

/** Reads the first rows to detect the file's number and date formats (overridable), then yields every row. */
export async function withFormats(table: Table, mapping: Mapping, opts: FormatOptions) {
  const columns = columnIndex(table.header, mapping);
  const iterator = table.rows[Symbol.asyncIterator]();
  const head: TableRow[] = [];
  while (head.length < SAMPLE_ROWS) {
    const n = await iterator.next();
    if (n.done) break;
    head.push(n.value);
  }
  const amounts: unknown[] = [];
  const dates: unknown[] = [];
  for (const r of head) {
    const s = sampleCells(r.cells, columns);
    amounts.push(...s.amounts);
    dates.push(...s.dates);
  }
  const number: NumberFormat = opts.numberFormat
    ? opts.numberFormat === 'comma' ? { decimalSeparator: ',', thousandsSeparator: ' ' } : { decimalSeparator: '.', thousandsSeparator: ',' }
    : detectNumberFormat(amounts);
  const date: DateOrder = opts.dateFormat ?? detectDateFormat(dates);
  async function* rows() {
    yield* head;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield n.value;
    }
  }
  return { columns, formats: { number, date }, rows: rows() };
}

export type Classification = { created: number; updated: number; unchanged: number };

/** Pass 1: every row parsed and checked, nothing written; counts what writing would do (the preview). */
export async function validatePass(
  db: Db,
  tenantId: string,
  input: { table: Table; mapping: Mapping; formats: FormatOptions; source: string; mode: 'delta' | 'snapshot' },
  onRow: (rowsDone: number) => void,
) {
  const { columns, formats, rows } = await withFormats(input.table, input.mapping, input.formats);
  const problems: RowProblem[] = [];
  let problemCount = 0;
  const rejected = new Set<number>();
  // Identity → row of its first occurrence. A repeated invoice number is an instalment schedule when every row has a
  // due date of its own (instalments); the same due date twice is a duplicate row.
  const identities = new Map<string, number>();
  const schedules = new Map<string, number[]>();
  const instalmentRows = new Map<number, number>();
  let dueDays = new Int32Array(1 << 16);
  const dayOf = (iso: string | null) => (iso ? Date.parse(`${iso}T00:00:00Z`) / 86_400_000 + 1 : 0);
  const setDue = (row: number, iso: string | null) => {
    if (row >= dueDays.length) {
      const grown = new Int32Array(Math.max(dueDays.length * 2, row + 1));
      grown.set(dueDays);
      dueDays = grown;
    }
    dueDays[row] = dayOf(iso);
  };
  /** The instalment number of a row repeating an invoice already seen, or the reason it cannot be one. */
  const instalmentOf = (row: ParsedRow): number | 'duplicateInFile' | 'instalmentDueDate' => {
    if (row.type !== 'invoice' || !row.number) return 'duplicateInFile';
    const firstDue = dueDays[identities.get(row.identityKey)!];
    if (!firstDue || !row.dueOn) return 'instalmentDueDate';
    let dues = schedules.get(row.identityKey);
    if (!dues) schedules.set(row.identityKey, (dues = [firstDue]));
    const day = dayOf(row.dueOn);
    if (dues.includes(day)) return 'duplicateInFile';
    dues.push(day);
    return dues.length;
  };
  // appliesTo naming an invoice not seen yet in the file (rare: payments usually follow their invoices), checked at the end.
  const pendingRefs: { row: number; value: string }[] = [];
  const invoiceOfFile = (number: string) => identities.has(`${input.source}|invoice|${number}`);
  const customers = new Map<string, { name: string | null; language: string | null; currency: string | null }>();
  // What writing would do to each row, indexed by row number: 1 new, 2 changed, 3 unchanged (compact on a million rows).
  let kinds = new Uint8Array(1 << 16);
  const setKind = (row: number, k: number) => {
    if (row >= kinds.length) {
      const grown = new Uint8Array(Math.max(kinds.length * 2, row + 1));
      grown.set(kinds);
      kinds = grown;
    }
    kinds[row] = k;
  };
  const ranks = new Map<string, number>();
  const rankOf = (k: string) => {
    const r = (ranks.get(k) ?? 0) + 1;
    ranks.set(k, r);
    return r;
  };
  const report = (p: RowProblem) => {
    problemCount++;
    rejected.add(p.row);
    if (problems.length < MAX_REPORTED_ERRORS) problems.push(p);
  };
  let batch: ParsedRow[] = [];
  let rowsTotal = 0;
  // Identities include the source: when the ledger holds nothing of this source yet (its first import), every row is
  // new without asking, which spares a lookup per 500 rows (slow on PostgreSQL for a large first load).
  const sourceIsEmpty = !(await db.selectFrom('documents').select('id').where('tenant_id', '=', tenantId).where('source', '=', input.source).limit(1).executeTakeFirst());
  // The company's total of absolute amounts per currency, plus what new and changed rows bring (a changed row counted
  // whole: conservative, cheap), must stay within MAX_TOTAL_MINOR (documents/amount-bounds.ts); the row that would
  // pass it is reported. The write transaction checks the exact total again.
  const totals = await companyTotals(db, tenantId);
  const overCurrencies = new Set<string>();
  const addToTotal = (r: ParsedRow) => {
    const next = (totals.get(r.currency) ?? 0) + Math.abs(r.amountMinor);
    totals.set(r.currency, next);
    if (next > MAX_TOTAL_MINOR && !overCurrencies.has(r.currency)) {
      overCurrencies.add(r.currency);
      report({ row: r.rowNumber, column: 'amount', header: input.mapping.amount ?? '', value: String(r.amountMinor), messageKey: 'companyTotalTooLarge' });
    }
  };
  const flush = async () => {
    if (sourceIsEmpty) for (const r of batch) setKind(r.rowNumber, 1);
    else for (const [k, v] of await classify(db, tenantId, batch)) setKind(k, v === 'c' ? 1 : v === 'u' ? 2 : 3);
    for (const r of batch) if (kinds[r.rowNumber] !== 3) addToTotal(r);
    batch = [];
  };
  for await (const r of rows) {
    rowsTotal++;
    const { row, problems: ps } = parseRow(r.rowNumber, r.cells, columns, input.mapping, formats, input.source, rankOf);
    ps.forEach(report);
    if (row) {
      const k = identities.has(row.identityKey) ? instalmentOf(row) : 1;
      if (typeof k === 'string') {
        report({ row: row.rowNumber, column: k === 'instalmentDueDate' ? 'dueOn' : 'number', header: (k === 'instalmentDueDate' ? input.mapping.dueOn : input.mapping.number) ?? '', value: row.number ?? '', messageKey: k });
      } else {
        if (k > 1) {
          instalmentRows.set(row.rowNumber, k);
          row.identityKey = instalmentKey(row.identityKey, k);
        }
        identities.set(row.identityKey, row.rowNumber);
        if (row.type === 'invoice') setDue(row.rowNumber, row.dueOn);
        if (row.appliesTo && !invoiceOfFile(row.appliesTo)) pendingRefs.push({ row: row.rowNumber, value: row.appliesTo });
        const known = customers.get(row.customerCode);
        customers.set(row.customerCode, {
          name: known?.name ?? row.customerName,
          language: known?.language ?? row.customerLanguage,
          currency: known?.currency ?? row.customerCurrency,
        });
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
    }
    if (rowsTotal % 1000 === 0) onRow(rowsTotal);
    if (rowsTotal % GC_EVERY_ROWS === 0) collectGarbage();
  }
  await flush();
  onRow(rowsTotal);

  // appliesTo must name an invoice of the file or of the company (any source).
  const unresolved = pendingRefs.filter((p) => !invoiceOfFile(p.value));
  const known = await existingInvoiceNumbers(db, tenantId, [...new Set(unresolved.map((p) => p.value))]);
  for (const p of unresolved) {
    if (!known.has(p.value)) report({ row: p.row, column: 'appliesTo', header: input.mapping.appliesTo ?? '', value: p.value, messageKey: 'unknownInvoice' });
  }

  const counts: Classification = { created: 0, updated: 0, unchanged: 0 };
  for (let rowNumber = 0; rowNumber < kinds.length; rowNumber++) {
    const k = kinds[rowNumber];
    if (!k || rejected.has(rowNumber)) continue;
    if (k === 1) counts.created++;
    else if (k === 2) counts.updated++;
    else counts.unchanged++;
  }
  const customerCounts = await classifyCustomers(db, tenantId, customers);
  const closed = input.mode === 'snapshot' ? await countClosing(db, tenantId, input.source, identities) : 0;
  problems.sort((a, b) => a.row - b.row);
  const scheduleCounts = new Map([...schedules].map(([key, dues]) => [key, dues.length]));
  // What pass 1 found for each row (1 new, 2 changed, 3 unchanged): pass 2 looks up only the rows the ledger had.
  const isNew = (rowNumber: number) => kinds[rowNumber] === 1;
  return { rowsTotal, problems, problemCount, rejected, counts, customerCounts, closed, formats, identities, isNew, schedules: { counts: scheduleCounts, rows: instalmentRows } };
}

/** New, changed or unchanged against what the ledger holds for the same identity. */
async function classify(db: Db, tenantId: string, rows: ParsedRow[]): Promise<Map<number, 'c' | 'u' | 'n'>> {
  const out = new Map<number, 'c' | 'u' | 'n'>();
  if (!rows.length) return out;
  const existing = await db
    .selectFrom('documents')
    .select(['identity_key', 'amount_minor', 'issued_on', 'due_on', 'is_due_on_derived', 'reference', 'open_minor'])
    .where('tenant_id', '=', tenantId)
    .where('identity_key', 'in', rows.map((r) => r.identityKey))
    .execute();
  const byKey = new Map(existing.map((e) => [e.identity_key, e]));
  for (const r of rows) {
    const e = byKey.get(r.identityKey);
    if (!e) out.set(r.rowNumber, 'c');
    else {
      const changed =
        e.amount_minor !== r.amountMinor ||
        e.issued_on !== r.issuedOn ||
        (r.dueOn !== null && e.due_on !== r.dueOn) ||
        (r.reference !== null && e.reference !== r.reference) ||
        (r.openAmountMinor !== null && e.open_minor !== r.openAmountMinor) ||
        (r.paidOn !== null && e.open_minor > 0);
      out.set(r.rowNumber, changed ? 'u' : 'n');
    }
  }
  return out;
}

async function existingInvoiceNumbers(db: Db, tenantId: string, numbers: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < numbers.length; i += BATCH) {
    const rows = await db.selectFrom('documents').select('number').where('tenant_id', '=', tenantId).where('type', '=', 'invoice').where('number', 'in', numbers.slice(i, i + BATCH)).execute();
    rows.forEach((r) => r.number && out.add(r.number));
  }
  return out;
}

async function classifyCustomers(db: Db, tenantId: string, customers: Map<string, { name: string | null; language: string | null; currency: string | null }>) {
  const codes = [...customers.keys()];
  let created = 0;
  let updated = 0;
  for (let i = 0; i < codes.length; i += BATCH) {
    const slice = codes.slice(i, i + BATCH);
    const rows = await db.selectFrom('customers').select(['code', 'name', 'language', 'currency']).where('tenant_id', '=', tenantId).where('code', 'in', slice).execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const code of slice) {
      const e = byCode.get(code);
      const f = customers.get(code)!;
      if (!e) created++;
      else if ((f.name && f.name !== e.name) || (f.language && f.language !== e.language) || (f.currency && f.currency !== e.currency)) updated++;
    }
  }
  return { created, updated };
}

/** Snapshot mode: open invoices of this source that the file no longer lists are closed (settled in the source). */
export type Identities = { has(key: string): boolean };
/** Instalment schedules found in a file: lines per invoice identity, and the instalment number of rows after the first. */
export type Schedules = { counts: Map<string, number>; rows: Map<number, number> };

export async function openInvoicesMissingFrom(db: Db, tenantId: string, source: string, identities: Identities) {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'identity_key', 'open_minor', 'customer_id', 'currency'])
    .where('tenant_id', '=', tenantId)
    .where('source', '=', source)
    .where('type', '=', 'invoice')
    .where('open_minor', '>', 0)
    .execute();
  return rows.filter((r) => !identities.has(r.identity_key));
}

async function countClosing(db: Db, tenantId: string, source: string, identities: Identities) {
  return (await openInvoicesMissingFrom(db, tenantId, source, identities)).length;
}

