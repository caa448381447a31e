import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseAmountToMinor } from './parse-number';
import { parseDate } from './parse-date';
import { findHeaderRow, readTableFromBuffer, readTableFromFile, TableReadError, type Table, type TableRow } from './read-table';

const FEC = new URL('../../../shared/corpus/fec/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dso-read-table-'));

async function allRows(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function failure(promise: Promise<unknown>): Promise<TableReadError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TableReadError) return error;
    throw error;
  }
  throw new Error('expected a TableReadError');
}

const FRENCH_CSV = [
  'Balance âgée clients au 31/12/2025',
  'Société Exemple SAS',
  '',
  'Code client;Raison sociale;N° facture;Date;Échéance;Montant TTC;Reste dû',
  'C001;"Dupont; Fils & Cie";FA-2025-001;15/11/2025;15/12/2025;1 234,56;1 234,56',
  '',
  'C002;Café de l’Œuvre;FA-2025-002;20/11/2025;20/12/2025;-12,50;0,00',
  'C003;"Le ""Grand"" Magasin";AV-2025-001;01/12/2025;;(99,90);(99,90)',
].join('\r\n');

describe('reading a CSV', () => {
  it('reads a Windows-1252 French export with banner lines, semicolons and decimal commas', async () => {
    const table = await readTableFromBuffer(iconv.encode(FRENCH_CSV, 'windows-1252'), { fileName: 'balance.csv' });
    expect(table.format).toBe('csv');
    expect(table.delimiter).toBe(';');
    expect(table.encoding?.()).toBe('windows-1252');
    expect(table.header).toEqual(['Code client', 'Raison sociale', 'N° facture', 'Date', 'Échéance', 'Montant TTC', 'Reste dû']);
    expect(table.headerSourceRow).toBe(4);
    const rows = await allRows(table);
    expect(rows.map((row) => [row.rowNumber, row.sourceRow])).toEqual([[1, 5], [3, 7], [4, 8]]);
    expect(rows[0].cells).toEqual(['C001', 'Dupont; Fils & Cie', 'FA-2025-001', '15/11/2025', '15/12/2025', '1 234,56', '1 234,56']);
    expect(rows[1].cells[1]).toBe('Café de l’Œuvre');
    expect(rows[2].cells[1]).toBe('Le "Grand" Magasin');
    expect(parseAmountToMinor(rows[2].cells[5] as string, 2)).toEqual({ ok: true, minor: -9990 });
  });

  it('reads UTF-8 with BOM, commas, and quoted fields spanning lines', async () => {
    const csv = '\uFEFFInvoice No,Customer,Amount,Note\n"INV-1","Acme, Inc.","1,234.56","line one\nline two"\nINV-2,Beta,12.00,\n';
    const table = await readTableFromBuffer(Buffer.from(csv, 'utf8'), { fileName: 'export.CSV' });
    expect(table.delimiter).toBe(',');
    expect(table.header).toEqual(['Invoice No', 'Customer', 'Amount', 'Note']);
    const rows = await allRows(table);
    expect(rows).toEqual([
      { rowNumber: 1, sourceRow: 2, cells: ['INV-1', 'Acme, Inc.', '1,234.56', 'line one\nline two'] },
      { rowNumber: 2, sourceRow: 4, cells: ['INV-2', 'Beta', '12.00', ''] },
    ]);
  });

  it('reads a TAB-separated FEC with BOM from disk', async () => {
    const table = await readTableFromFile(join(FEC, '0000000001FEC20220831.txt'), { fileName: '0000000001FEC20220831.txt' });
    expect(table.delimiter).toBe('\t');
    expect(table.header.slice(0, 3)).toEqual(['JournalCode', 'JournalLib', 'EcritureNum']);
    const rows = await allRows(table);
    expect(rows).toHaveLength(5422);
    expect(rows.at(-1)?.rowNumber).toBe(5422);
    expect(rows.every((row) => row.cells.length === 18)).toBe(true);
  });

  it('reads a pipe-separated FEC whose first accent comes after 64 KiB', async () => {
    const table = await readTableFromFile(join(FEC, '111111111FEC20221231.TXT'), { fileName: '111111111FEC20221231.TXT' });
    expect(table.delimiter).toBe('|');
    const rows = await allRows(table);
    expect(rows).toHaveLength(934);
    expect(rows.some((row) => row.cells.some((cell) => String(cell).includes('CREATø MAQUETTE')))).toBe(true);
    expect(table.encoding?.()).toBe('windows-1252');
  });

  it('counts CR CR LF line ends as one line', async () => {
    // 10 757 lines: the header, 10 755 lines ending in CR CR LF and a last one without line end.
    const table = await readTableFromFile(join(FEC, '123456789FEC20500930.txt'), { fileName: 'fec.txt' });
    const rows = await allRows(table);
    expect(rows).toHaveLength(10756);
    expect(rows.at(-1)).toMatchObject({ rowNumber: 10756, sourceRow: 10757 });
    expect(rows.every((row) => !String(row.cells.at(-1)).includes('\r'))).toBe(true);
  });

  it('keeps every row of a large file with bounded chunks', async () => {
    const lines = ['number;amount'];
    for (let i = 1; i <= 100_000; i += 1) lines.push(`INV-${i};${i},50`);
    const table = await readTableFromBuffer(Buffer.from(lines.join('\n')), { fileName: 'big.csv' });
    let count = 0;
    let last: TableRow | undefined;
    for await (const row of table.rows) {
      count += 1;
      last = row;
    }
    expect(count).toBe(100_000);
    expect(last?.cells).toEqual(['INV-100000', '100000,50']);
  });

  it('refuses a record over 1 MiB, naming its line, without reading on', async () => {
    const csv = (rowsBefore: number) =>
      Buffer.from(`number;note\n${'INV-1;ok\n'.repeat(rowsBefore)}INV-2;"never closed ${'x'.repeat(2 * 1024 * 1024)}\nINV-3;ok\n`);
    // Within the header search the error comes from opening; further down, from the row iterator.
    const early = await failure(readTableFromBuffer(csv(1), { fileName: 'bad.csv' }));
    expect(early).toMatchObject({ reason: 'lineTooLong', details: { line: 3 } });
    const table = await readTableFromBuffer(csv(30), { fileName: 'bad.csv' });
    const late = await failure(allRows(table));
    expect(late).toMatchObject({ reason: 'lineTooLong', details: { line: 32 } });
  });

  it('refuses binary content named .csv', async () => {
    const pdf = await failure(readTableFromFile(new URL('../../../shared/corpus/einvoice/facturx-pdf/Facture_FR_BASICWL.pdf', import.meta.url).pathname, { fileName: 'facture.csv' }));
    expect(pdf).toMatchObject({ reason: 'binaryFile', details: { detail: 'pdf' } });
    const xlsx = await failure(readTableFromBuffer(await workbookBytes(), { fileName: 'export.csv' }));
    expect(xlsx).toMatchObject({ reason: 'binaryFile', details: { detail: 'zip' } });
  });

  it('refuses a file without any non-empty row', async () => {
    expect((await failure(readTableFromBuffer(Buffer.from(';;\r\n\r\n'), { fileName: 'empty.csv' }))).reason).toBe('emptyFile');
    expect((await failure(readTableFromBuffer(new Uint8Array(), { fileName: 'empty.csv' }))).reason).toBe('emptyFile');
  });
});

describe('findHeaderRow', () => {
  it('takes the first row of known field names below banner lines', () => {
    expect(findHeaderRow([['Aged balance'], ['Printed', '2025-12-31'], ['Customer', 'Invoice No', 'Due date', 'Comment'], ['C1', 'INV-1', '2025-12-31', 'x']])).toBe(2);
  });

  it('falls back to the first widest row when no header is recognised', () => {
    expect(findHeaderRow([['Report'], ['Colonne A', 'Colonne B', 'Colonne C'], ['1', '2', '3']])).toBe(1);
  });

  it('does not mistake a data row with one type word for a header', () => {
    expect(findHeaderRow([['Code', 'Libre 1', 'Libre 2', 'Libre 3'], ['C1', 'Facture', 'FA-1', '12,50']])).toBe(0);
  });
});

// --- XLSX ----------------------------------------------------------------------------------------------------

async function workbookBytes(configure?: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  if (configure) configure(workbook);
  else workbook.addWorksheet('Data').addRow(['number', 'amount']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function invoicesWorkbook(workbook: ExcelJS.Workbook): void {
  workbook.addWorksheet('Notes', { state: 'hidden' }).addRow(['internal']);
  const sheet = workbook.addWorksheet('Factures');
  sheet.addRow(['Balance âgée au 31/12/2025']);
  sheet.addRow([]);
  sheet.addRow(['Code client', 'Raison sociale', 'N° facture', 'Date facture', 'Échéance', 'Montant TTC', 'Solde']);
  sheet.addRow(['C001', { richText: [{ text: 'Société ' }, { text: 'Générale', font: { bold: true } }] }, 'FA-1', new Date(Date.UTC(2025, 10, 15)), new Date(Date.UTC(2025, 11, 15)), 1234.56, 0.1 + 0.2]);
  sheet.addRow([]);
  const row = sheet.addRow(['C002', 'Beta', 1002, 45657, null, 99.9, { error: '#N/A' }]);
  row.getCell(5).value = { formula: 'D6+30', result: 45687 };
  row.getCell(5).numFmt = 'dd/mm/yyyy';
  row.getCell(6).value = { formula: '33.3*3', result: 99.9 };
  sheet.getColumn(4).numFmt = 'dd/mm/yyyy';
  workbook.addWorksheet('Clients').addRow(['Code', 'Nom']);
}

describe('reading an XLSX', () => {
  it('reads the first visible sheet below its banner, keeping numbers and dates typed', async () => {
    const table = await readTableFromBuffer(await workbookBytes(invoicesWorkbook), { fileName: 'balance.xlsx' });
    expect(table.format).toBe('xlsx');
    expect(table.sheet).toBe('Factures');
    expect(table.sheets).toEqual(['Notes', 'Factures', 'Clients']);
    expect(table.header).toEqual(['Code client', 'Raison sociale', 'N° facture', 'Date facture', 'Échéance', 'Montant TTC', 'Solde']);
    expect(table.headerSourceRow).toBe(3);
    const rows = await allRows(table);
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 3]);
    const [first, second] = rows;
    expect(first.cells[1]).toBe('Société Générale');
    expect(parseDate(first.cells[3])).toEqual({ ok: true, date: '2025-11-15' });
    expect(parseAmountToMinor(first.cells[5] as number, 2)).toEqual({ ok: true, minor: 123456 });
    expect(parseAmountToMinor(first.cells[6] as number, 2)).toEqual({ ok: true, minor: 30 });
    expect(second.cells[2]).toBe(1002);
    expect(parseDate(second.cells[3])).toEqual({ ok: true, date: '2024-12-31' });
    expect(second.cells[4]).toBeInstanceOf(Date);
    expect(parseDate(second.cells[4])).toEqual({ ok: true, date: '2025-01-30' });
    expect(second.cells[5]).toBe(99.9);
    expect(second.cells[6]).toBe('#N/A');
  });

  it('reads a named sheet, from disk, and lists the sheets when the name is unknown', async () => {
    const path = join(tmp, 'clients.xlsx');
    writeFileSync(path, await workbookBytes(invoicesWorkbook));
    const table = await readTableFromFile(path, { fileName: 'clients.xlsx', sheet: ' clients ' });
    expect(table.sheet).toBe('Clients');
    expect(table.header).toEqual(['Code', 'Nom']);
    expect(await allRows(table)).toEqual([]);
    const error = await failure(readTableFromFile(path, { fileName: 'clients.xlsx', sheet: 'Invoices' }));
    expect(error.reason).toBe('sheetNotFound');
    expect(error.details.availableSheets).toEqual(['Notes', 'Factures', 'Clients']);
  });

  it('stops cleanly when the caller stops early', async () => {
    const path = join(tmp, 'early.xlsx');
    writeFileSync(path, await workbookBytes(invoicesWorkbook));
    const table = await readTableFromFile(path, { fileName: 'early.xlsx' });
    for await (const row of table.rows) {
      expect(row.rowNumber).toBe(1);
      break;
    }
    await table.close();
  });

  it('refuses a file named .xlsx that is no workbook', async () => {
    const text = await failure(readTableFromBuffer(Buffer.from('a;b\n1;2\n'), { fileName: 'export.xlsx' }));
    expect(text).toMatchObject({ reason: 'notAnXlsx', details: { detail: 'not a zip file' } });
    const xls = await failure(readTableFromBuffer(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), { fileName: 'old.xls' }));
    expect(xls.reason).toBe('notAnXlsx');
    const { zipSync } = await import('fflate');
    const otherZip = await failure(readTableFromBuffer(zipSync({ 'readme.txt': Buffer.from('hello') }), { fileName: 'x.xlsx' }));
    expect(otherZip.reason).toBe('notAnXlsx');
    const truncated = (await workbookBytes(invoicesWorkbook)).subarray(0, 2000);
    expect((await failure(readTableFromBuffer(truncated, { fileName: 'cut.xlsx' }))).reason).toBe('notAnXlsx');
  });

  it('reads workbooks whatever the order of the parts inside the zip', async () => {
    const { unzipSync, zipSync } = await import('fflate');
    const parts = unzipSync(await workbookBytes(invoicesWorkbook));
    const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet2.xml'];
    for (const order of [first, [...first].reverse()]) {
      const reordered = Object.fromEntries([...order.map((name) => [name, parts[name]]), ...Object.entries(parts).filter(([name]) => !order.includes(name))]);
      const table = await readTableFromBuffer(zipSync(reordered), { fileName: 'reordered.xlsx' });
      expect(table.sheet).toBe('Factures');
      const rows = await allRows(table);
      expect(rows).toHaveLength(2);
      expect(parseDate(rows[1].cells[4])).toEqual({ ok: true, date: '2025-01-30' });
    }
  });

  it('reads dates of a workbook counting from 1904', async () => {
    const bytes = await workbookBytes((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow(['number', 'issuedOn', 'dueOn']);
      const row = sheet.addRow(['INV-1', new Date(Date.UTC(2025, 11, 31)), { formula: 'B2+30', result: 44590 }]);
      row.getCell(2).numFmt = 'yyyy-mm-dd';
      row.getCell(3).numFmt = 'yyyy-mm-dd';
    });
    const [row] = await allRows(await readTableFromBuffer(bytes, { fileName: 'mac.xlsx' }));
    expect(parseDate(row.cells[1])).toEqual({ ok: true, date: '2025-12-31' });
    expect(parseDate(row.cells[2])).toEqual({ ok: true, date: '2026-01-30' }); // serial 44590 counted from 1904-01-01
  });

  it('detects an XLSX by its content when the name has no known extension', async () => {
    const table = await readTableFromBuffer(await workbookBytes(invoicesWorkbook), { fileName: 'upload' });
    expect(table.format).toBe('xlsx');
    await table.close();
  });
});
