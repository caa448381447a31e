// One entry point for an import file, CSV or XLSX: find the header row (ERP exports put a title, a company name
// or an "as of" date above it), then stream the data rows with numbers users can find again in their file.
import { matchHeader } from './mapping';
import { type CsvDelimiter, openCsv } from './read-csv';
import { bufferSource, fileSource, MAX_CELL_CHARS, MAX_COLUMNS, TableReadError, type ByteSource } from './read-table-source';
import { openXlsx, type RawRow, type XlsxCounters } from './read-xlsx';
import type { TextEncoding } from './decode';

export { TableReadError, type TableReadFailure } from './read-table-source';

/** A cell as read: CSV cells are text; XLSX numbers and dates keep their type for exact conversion. */
export type TableCell = string | number | Date;

export interface TableRow {
  /** Data row number: 1 = the first row under the header (blank rows are skipped but keep their number). */
  rowNumber: number;
  /** Where the row starts in the file: the CSV line or the sheet row, 1-based. */
  sourceRow: number;
  cells: TableCell[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  header: string[];
  /** CSV line or sheet row of the header. */
  headerSourceRow: number;
  /** Single pass. Throws TableReadError (`lineTooLong`…) while reading; ending the loop early releases the file. */
  rows: AsyncIterable<TableRow>;
  /** CSV only. */
  delimiter?: CsvDelimiter;
  /** CSV only; final once the rows have been read (an ASCII-only start leaves the choice open). */
  encoding?: () => TextEncoding;
  /** XLSX only: the sheet read and all sheets of the workbook. */
  sheet?: string;
  sheets?: string[];
  /** Releases the file when `rows` is not read to the end. */
  close(): Promise<void>;
}

export interface ReadTableOptions {
  /** The name the user gave the file: its extension decides CSV or XLSX. */
  fileName: string;
  /** XLSX: sheet to read; default the first visible one. */
  sheet?: string;
  /** Filled while reading (tests assert bounds in these counts, not in timings). */
  counters?: ReadCounters;
}

export interface ReadCounters extends XlsxCounters {
  rowsRead: number;
  widestRow: number;
}

export const newReadCounters = (): ReadCounters => ({ inflatedBytes: 0, sharedStrings: 0, sharedStringBytes: 0, rowsRead: 0, widestRow: 0 });

/** Spreadsheet column letters of a 1-based column number (1 → A, 28 → AB), as users see them. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Refuses a row wider than MAX_COLUMNS or with a cell over MAX_CELL_CHARS before anything looks at it: the header
 * matching compares every header cell with every alias, which took 35 s on a 100,000-column header.
 */
function checkRow(row: RawRow<TableCell>, counters: ReadCounters): void {
  counters.rowsRead += 1;
  if (row.cells.length > counters.widestRow) counters.widestRow = row.cells.length;
  if (row.cells.length > MAX_COLUMNS) throw new TableReadError('tooManyColumns', { line: row.sourceRow, columns: row.cells.length });
  for (let i = 0; i < row.cells.length; i += 1) {
    const cell = row.cells[i];
    if (typeof cell === 'string' && cell.length > MAX_CELL_CHARS) throw new TableReadError('cellTooLong', { line: row.sourceRow, column: i + 1 });
  }
}

/** Longest the reader runs before letting other requests in (the event loop turns), measured in docs/performance.md. */
const MAX_SLICE_MS = 20;

/** How many non-empty rows at the top may hold the header. */
export const HEADER_SEARCH_ROWS = 20;

function cellText(cell: TableCell): string {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

const isEmptyRow = (cells: readonly TableCell[]) => cells.every((cell) => cellText(cell) === '');

/**
 * Index of the header among the first rows: the first with at least two non-empty cells of which at least two,
 * and at least half, are known field names in some language; failing that, the first row with the most
 * non-empty cells (a header names every column, a banner line only one or two).
 */
export function findHeaderRow(rows: readonly (readonly TableCell[])[]): number {
  let widest = -1;
  let widestCount = 0;
  for (const [index, row] of rows.entries()) {
    const texts = row.map(cellText).filter((text) => text !== '');
    if (texts.length >= 2) {
      const known = texts.filter((text) => matchHeader(text) !== undefined).length;
      if (known >= 2 && known * 2 >= texts.length) return index;
    }
    if (texts.length > widestCount) {
      widest = index;
      widestCount = texts.length;
    }
  }
  return widest;
}

type Format = 'csv' | 'xlsx';

async function chooseFormat(source: ByteSource, fileName: string): Promise<Format> {
  const extension = /\.([^./\\]+)$/.exec(fileName.trim())?.[1]?.toLowerCase();
  if (extension === 'xlsx' || extension === 'xlsm' || extension === 'xls') return 'xlsx';
  if (extension === 'csv' || extension === 'txt' || extension === 'tsv' || extension === 'tab') return 'csv';
  // No telling extension: a zip is a workbook, anything else is tried as text.
  const magic = await source.read(0, 2);
  return magic[0] === 0x50 && magic[1] === 0x4b ? 'xlsx' : 'csv';
}

async function openTable(source: ByteSource, options: ReadTableOptions): Promise<Table> {
  const format = await chooseFormat(source, options.fileName);
  let raw: AsyncGenerator<RawRow<TableCell>>;
  let extra: Partial<Table>;
  const counters = options.counters ?? newReadCounters();
  if (format === 'xlsx') {
    const xlsx = await openXlsx(source, { sheet: options.sheet }, counters);
    raw = xlsx.rows;
    extra = { sheet: xlsx.sheet, sheets: xlsx.sheets };
  } else {
    const csv = await openCsv(source);
    raw = csv.rows;
    extra = { delimiter: csv.delimiter, encoding: csv.encoding };
  }

  const top: RawRow<TableCell>[] = [];
  while (top.length < HEADER_SEARCH_ROWS) {
    const next = await raw.next().catch(async (error: unknown) => {
      await raw.return(undefined);
      throw error;
    });
    if (next.done) break;
    try {
      checkRow(next.value, counters);
    } catch (error) {
      await raw.return(undefined);
      throw error;
    }
    if (!isEmptyRow(next.value.cells)) top.push(next.value);
  }
  if (top.length === 0) {
    await raw.return(undefined);
    throw new TableReadError('emptyFile');
  }
  const headerIndex = findHeaderRow(top.map((row) => row.cells));
  const headerRow = top[headerIndex];

  async function* rows(): AsyncGenerator<TableRow> {
    const toTableRow = (row: RawRow<TableCell>): TableRow => ({
      rowNumber: row.position - headerRow.position,
      sourceRow: row.sourceRow,
      cells: row.cells,
    });
    try {
      for (const row of top.slice(headerIndex + 1)) yield toTableRow(row);
      // Rows arrive through promises that resolve as microtasks: without a macrotask turn now and then, a pass
      // over a file already read into a chunk would hold every other request until the chunk is done.
      let sliceStart = performance.now();
      for await (const row of raw) {
        checkRow(row, counters);
        if (!isEmptyRow(row.cells)) yield toTableRow(row);
        if ((counters.rowsRead & 127) === 0 && performance.now() - sliceStart > MAX_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    } finally {
      await raw.return(undefined);
      await source.close();
    }
  }

  return {
    format,
    header: headerRow.cells.map(cellText),
    headerSourceRow: headerRow.sourceRow,
    rows: rows(),
    ...extra,
    close: async () => {
      await raw.return(undefined);
      await source.close();
    },
  };
}

async function openOrClose(source: ByteSource, options: ReadTableOptions): Promise<Table> {
  try {
    return await openTable(source, options);
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** Reads an uploaded file from disk, streaming. Throws TableReadError for files that cannot be read as a table. */
export async function readTableFromFile(path: string, options: ReadTableOptions): Promise<Table> {
  return openOrClose(await fileSource(path), options);
}

/** Same as readTableFromFile for bytes already in memory. */
export async function readTableFromBuffer(bytes: Uint8Array, options: ReadTableOptions): Promise<Table> {
  return openOrClose(bufferSource(bytes), options);
}
