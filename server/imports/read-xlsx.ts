// XLSX rows, streamed with exceljs's WorkbookReader so that a 500 000-row workbook never sits in memory.
// Numbers and dates keep their native type: parse-number and parse-date convert them exactly, where a formatted
// string ("1 234,56 €", "31/12/25") would lose precision or be ambiguous.
import ExcelJS from 'exceljs';
import { TableReadError, type ByteSource } from './read-table-source';
import { checkDeclaredSizes, readZipDirectory, readZipEntry, verifyInflatedSizes, XLSX_ZIP_LIMITS, type ZipEntry } from './zip-guard';
import { CompactStrings, entryRules, SHARED_STRINGS, STYLES, WORKBOOK, WORKBOOK_RELS, zipOfParts } from './xlsx-parts';

export type XlsxCell = string | number | Date;
export interface RawRow<C> {
  /** CSV: ordinal of the record in the file; XLSX: the sheet's row number. */
  position: number;
  /** 1-based line (CSV) or sheet row (XLSX) where the row starts, for messages that point into the file. */
  sourceRow: number;
  cells: C[];
}

/** What reading a workbook cost, for tests and logs: bytes inflated while verifying, shared strings kept. */
export interface XlsxCounters {
  inflatedBytes: number;
  sharedStrings: number;
  sharedStringBytes: number;
}

export interface SheetInfo {
  name: string;
  isHidden: boolean;
  path: string; // zip entry of the sheet XML
}

import { METADATA_MAX_BYTES as MAX_METADATA_BYTES } from './xlsx-parts';

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()];
    const code = entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of tag.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) found.set(name, decodeXml(value));
  return found;
}

function entryText(entries: ZipEntry[], name: string): ZipEntry | undefined {
  return entries.find((entry) => entry.name === name);
}

/**
 * Sheets in workbook order (the order of the tabs), from xl/workbook.xml and its relationships, and whether the
 * workbook counts dates from 1904 (old Mac Excel).
 */
async function readWorkbookPart(source: ByteSource, entries: ZipEntry[]): Promise<{ sheets: SheetInfo[]; isDate1904: boolean }> {
  const workbookEntry = entryText(entries, WORKBOOK);
  const relsEntry = entryText(entries, WORKBOOK_RELS);
  if (!workbookEntry || !relsEntry) throw new TableReadError('notAnXlsx', { detail: 'no xl/workbook.xml' });
  const utf8 = new TextDecoder();
  const workbookXml = utf8.decode(await readZipEntry(source, workbookEntry, MAX_METADATA_BYTES));
  const relsXml = utf8.decode(await readZipEntry(source, relsEntry, MAX_METADATA_BYTES));
  const targets = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const attrs = attributes(tag);
    const target = attrs.get('Target') ?? '';
    // Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml", written by some generators).
    targets.set(attrs.get('Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: SheetInfo[] = [];
  for (const [tag] of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const attrs = attributes(tag);
    const relationId = [...attrs].find(([key]) => key.endsWith(':id'))?.[1] ?? '';
    const state = attrs.get('state');
    sheets.push({ name: attrs.get('name') ?? '', isHidden: state === 'hidden' || state === 'veryHidden', path: targets.get(relationId) ?? '' });
  }
  const workbookPr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbookXml)?.[0] ?? '';
  const date1904 = attributes(workbookPr).get('date1904');
  return { sheets, isDate1904: date1904 === '1' || date1904 === 'true' };
}

/** The requested sheet (exact name, else ignoring case and surrounding spaces) or the first visible one. */
function chooseSheet(sheets: SheetInfo[], requested: string | undefined): SheetInfo {
  const names = sheets.map((sheet) => sheet.name);
  if (requested !== undefined) {
    const wanted = requested.trim().toLowerCase();
    const found = sheets.find((sheet) => sheet.name === requested) ?? sheets.find((sheet) => sheet.name.trim().toLowerCase() === wanted);
    if (!found) throw new TableReadError('sheetNotFound', { availableSheets: names, detail: requested });
    return found;
  }
  const first = sheets.find((sheet) => !sheet.isHidden) ?? sheets[0];
  if (!first) throw new TableReadError('notAnXlsx', { detail: 'workbook without sheets' });
  return first;
}

// A number format is a date format when, outside quoted text and [colour/locale] blocks, it uses date or time
// letters (the rule exceljs applies to plain cells; we apply it to formula results, which exceljs leaves as numbers).
function isDateFormat(format: string | undefined): boolean {
  return !!format && /[ymdhsb]/i.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function serialToDate(serial: number, isDate1904: boolean): Date {
  // Same conversion as exceljs for plain date cells, so a formula date and a typed date agree.
  return new Date(Math.round((serial - 25569 + (isDate1904 ? 1462 : 0)) * 86_400_000));
}

function cellValue(cell: ExcelJS.Cell, isDate1904: boolean): XlsxCell {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((run: { text?: string }) => run.text ?? '').join('');
    if ('formula' in v || 'sharedFormula' in v) {
      // Formula cells carry the value Excel computed when it last saved: that is what the user saw.
      const result = v.result;
      if (typeof result === 'number' && isDateFormat(cell.numFmt)) return serialToDate(result, isDate1904);
      if (result === undefined || result === null) return '';
      if (typeof result === 'object' && result !== null && 'error' in result) return String((result as { error: unknown }).error);
      return cellValue({ value: result, numFmt: cell.numFmt } as ExcelJS.Cell, isDate1904);
    }
    if (typeof v.text === 'string') return v.text; // hyperlink
    if (typeof v.error === 'string') return v.error; // "#N/A": reported as an invalid value, not silently empty
  }
  return String(value);
}

/**
 * Opens a workbook: guards against zip bombs, resolves the sheet, and returns its name, the workbook's sheet
 * names and a row iterator. Throws TableReadError (`notAnXlsx`, `zipBomb`, `sheetNotFound`).
 */
export async function openXlsx(
  source: ByteSource,
  options: { sheet?: string },
  counters: XlsxCounters = { inflatedBytes: 0, sharedStrings: 0, sharedStringBytes: 0 },
): Promise<{ sheet: string; sheets: string[]; rows: AsyncGenerator<RawRow<XlsxCell>> }> {
  const magic = await source.read(0, 4);
  if (magic.length < 4 || magic[0] !== 0x50 || magic[1] !== 0x4b) {
    const isOle = magic[0] === 0xd0 && magic[1] === 0xcf;
    throw new TableReadError('notAnXlsx', { detail: isOle ? 'legacy .xls or password-protected workbook' : 'not a zip file' });
  }
  const entries = await readZipDirectory(source);
  checkDeclaredSizes(entries);
  const { sheets, isDate1904 } = await readWorkbookPart(source, entries);
  const sheet = chooseSheet(sheets, options.sheet);
  const sheetEntry = entryText(entries, sheet.path);
  if (!sheetEntry) throw new TableReadError('notAnXlsx', { detail: `missing sheet part ${sheet.path}` });
  await verifyInflatedSizes(source, entries, XLSX_ZIP_LIMITS, entryRules(sheets.map((s) => s.path), XLSX_ZIP_LIMITS.maxTotalUncompressed), counters);
  // exceljs reads only what we hand it: the parts it needs, shared strings before the sheet, the sheet renamed to
  // the one form it recognises (xl/worksheets/sheetN.xml).
  const parts = [WORKBOOK_RELS, WORKBOOK, STYLES, SHARED_STRINGS].flatMap((name) => {
    const entry = entryText(entries, name);
    return entry ? [{ entry, as: name }] : [];
  });
  parts.push({ entry: sheetEntry, as: 'xl/worksheets/sheet1.xml' });
  return { sheet: sheet.name, sheets: sheets.map((s) => s.name), rows: streamSheetRows(source, parts, isDate1904, counters) };
}

/** Flattens a shared string as exceljs emits it (text, or rich text runs) to its text. */
function sharedText(value: unknown): string {
  if (typeof value === 'string') return value;
  const runs = (value as { richText?: { text?: string | null }[] } | null)?.richText;
  return Array.isArray(runs) ? runs.map((run) => run.text ?? '').join('') : '';
}

type ReaderInternals = {
  options: { sharedStrings: string };
  sharedStrings: unknown;
  _parseSharedStrings(entry: unknown): AsyncGenerator<{ index: number; text: unknown }>;
};

/** Makes exceljs hand us each shared string ('emit') and keeps them compactly, in place of its array of strings. */
function storeSharedStringsCompactly(reader: ExcelJS.stream.xlsx.WorkbookReader, counters: XlsxCounters): void {
  const internals = reader as unknown as ReaderInternals;
  const parse = internals._parseSharedStrings.bind(reader);
  internals._parseSharedStrings = async function* compact(entry: unknown) {
    const store = new CompactStrings();
    internals.options.sharedStrings = 'emit';
    try {
      for await (const item of parse(entry)) store.push(sharedText(item.text));
    } finally {
      internals.options.sharedStrings = 'cache';
    }
    counters.sharedStrings = store.count;
    counters.sharedStringBytes = store.bytes;
    internals.sharedStrings = store.asArray();
  };
}

async function* streamSheetRows(source: ByteSource, parts: { entry: ZipEntry; as: string }[], isDate1904: boolean, counters: XlsxCounters): AsyncGenerator<RawRow<XlsxCell>> {
  const input = zipOfParts(source, parts);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell date cells from numbers
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  storeSharedStringsCompactly(reader, counters);
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const cells: XlsxCell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = cellValue(cell, isDate1904);
        });
        yield { position: row.number, sourceRow: row.number, cells: Array.from(cells, (cell) => cell ?? '') };
      }
      return;
    }
  } catch (error) {
    if (error instanceof TableReadError) throw error;
    throw new TableReadError('notAnXlsx', { detail: error instanceof Error ? error.message : String(error) });
  } finally {
    input.destroy();
  }
}
