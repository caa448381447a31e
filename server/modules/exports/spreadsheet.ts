import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

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

export type Column<T> = { header: string; value: (row: T) => unknown; width?: number };

/** Writes pages of rows as CSV (UTF-8 with BOM, so Excel reads accents) or XLSX (streamed) to `out`. */
export async function writeSheet<T>(out: Writable, format: 'csv' | 'xlsx', sheetName: string, columns: Column<T>[], pages: AsyncIterable<T[]>): Promise<void> {
  if (format === 'csv') {
    out.write('\ufeff' + Papa.unparse([columns.map((c) => c.header)]) + '\r\n');
    for await (const rows of pages) {
      if (!rows.length) continue;
      out.write(Papa.unparse(rows.map((r) => columns.map((c) => neutralise(c.value(r)))), { header: false }) + '\r\n');
    }
    out.end();
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  await addSheet(wb, sheetName, columns, pages);
  await wb.commit();
}

export async function addSheet<T>(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<T>[], pages: AsyncIterable<T[]>) {
  const ws = wb.addWorksheet(name.slice(0, 31));
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2) }));
  ws.getRow(1).font = { bold: true };
  for await (const rows of pages) for (const r of rows) ws.addRow(columns.map((c) => neutralise(c.value(r)))).commit();
  ws.commit();
}
