import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { isValidIsoDate } from '../../domain/calendar';
import { minorUnitExponent } from '../../domain/currencies';
import { formatMinorAsDecimalString } from '../../domain/money';

/**
 * Text that a spreadsheet would run as a formula (= + - @, and tab/CR which some programs strip first) is prefixed with
 * an apostrophe (OWASP "CSV injection"). Numbers stay numbers: a negative amount is data, not a formula.
 */
export function neutralise(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Excel shows calendar dates in ISO order whatever the reader's locale, so that they sort and read the same everywhere. */
export const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * A `YYYY-MM-DD` calendar date as an Excel date: UTC midnight, which ExcelJS writes as a whole serial day number, so
 * that no time zone of the server or of the reader can move it to the day before. Anything else is not a date.
 */
export function excelDate(isoDate: string): Date | undefined {
  return isValidIsoDate(isoDate) ? new Date(`${isoDate}T00:00:00Z`) : undefined;
}

/**
 * Minor units → major units for a spreadsheet cell, through the exact decimal string (money.ts): the only float is the
 * cell's value, never a figure anything is computed from.
 */
export function majorUnits(amountMinor: number, currency: string): number {
  return Number(formatMinorAsDecimalString(amountMinor, currency));
}

/** A number format with the currency's own decimals (0 for JPY, 3 for KWD), thousands grouped. */
export function moneyFormat(currency: string): string {
  const decimals = minorUnitExponent(currency);
  return decimals > 0 ? `#,##0.${'0'.repeat(decimals)}` : '#,##0';
}

export type Money = { minor: number; currency: string };

/**
 * A column of an export: `value` for text, numbers and booleans (text neutralised), `date` for a `YYYY-MM-DD` date
 * (an Excel date; the ISO text in CSV), `money` for an amount (major units, as a number with the currency's decimals).
 */
export type Column<T> = { header: string; width?: number } & (
  | { value: (row: T) => unknown }
  | { date: (row: T) => string | null | undefined }
  | { money: (row: T) => Money | null | undefined }
);

/** The cell of a column in a row, with its number format when it has one. */
export function columnCell<T>(c: Column<T>, row: T, format: 'csv' | 'xlsx'): { value: ExcelJS.CellValue; numFmt?: string } {
  if ('date' in c) {
    const iso = c.date(row);
    if (iso === null || iso === undefined) return { value: null };
    const date = format === 'xlsx' ? excelDate(iso) : undefined;
    return date ? { value: date, numFmt: DATE_FORMAT } : { value: neutralise(iso) };
  }
  if ('money' in c) {
    const m = c.money(row);
    if (!m) return { value: null };
    return { value: majorUnits(m.minor, m.currency), numFmt: moneyFormat(m.currency) };
  }
  return { value: neutralise(c.value(row)) };
}

/**
 * Resolves once `out` can take more (or is gone): an export must not buffer a million rows for a slow client, and
 * must stop working for one who left. Waiting for 'drain' alone would wait forever on a destroyed stream.
 */
async function writable(out: Writable): Promise<boolean> {
  if (out.destroyed) return false;
  if (!out.writableNeedDrain) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  return !out.destroyed;
}

/**
 * Writes pages of rows as CSV (UTF-8 with BOM, so Excel reads accents) or XLSX (streamed) to `out`. Rejects on any
 * error (a page that cannot be read, an amount that cannot be written): the caller ends that response with it.
 * Stops early, without error, when `out` was destroyed (the client went away).
 */
export async function writeSheet<T>(out: Writable, format: 'csv' | 'xlsx', sheetName: string, columns: Column<T>[], pages: AsyncIterable<T[]>): Promise<void> {
  if (format === 'csv') {
    out.write('\ufeff' + Papa.unparse([columns.map((c) => c.header)]) + '\r\n');
    for await (const rows of pages) {
      if (!(await writable(out))) return;
      if (!rows.length) continue;
      out.write(Papa.unparse(rows.map((r) => columns.map((c) => columnCell(c, r, 'csv').value)), { header: false }) + '\r\n');
    }
    out.end();
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  await addSheet(wb, sheetName, columns, pages, out);
  if (out.destroyed) return;
  await wb.commit();
}

/** One sheet of a streamed workbook; with `out`, stops reading pages once the response is gone. */
export async function addSheet<T>(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<T>[], pages: AsyncIterable<T[]>, out?: Writable) {
  const ws = wb.addWorksheet(name.slice(0, 31));
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2) }));
  ws.getRow(1).font = { bold: true };
  for await (const rows of pages) {
    if (out && !(await writable(out))) return;
    for (const r of rows) {
      const cells = columns.map((c) => columnCell(c, r, 'xlsx'));
      const row = ws.addRow(cells.map((c) => c.value));
      cells.forEach((c, i) => {
        if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
      });
      row.commit();
    }
  }
  ws.commit();
}
