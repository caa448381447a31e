import { describe, expect, it } from 'vitest';
import { HOSTILE_FILES, hiddenEntryBomb, lyingHiddenEntry, lyingSharedStrings, sharedStringBomb, wideCsv, workbook } from './fixtures/hostile';
import { newReadCounters, readTableFromBuffer, TableReadError, type ReadCounters } from './read-table';
import { CompactStrings } from './xlsx-parts';

async function refusal(bytes: Uint8Array, fileName: string, counters: ReadCounters = newReadCounters()) {
  try {
    const table = await readTableFromBuffer(bytes, { fileName, counters });
    for await (const _ of table.rows);
    return { reason: 'read', counters };
  } catch (error) {
    if (!(error instanceof TableReadError)) throw error;
    return { reason: error.reason, details: error.details, counters };
  }
}

describe('hostile import files (generated fixtures)', () => {
  it.each(HOSTILE_FILES)('refuses $name as $code', async (file) => {
    expect((await refusal(file.make(), file.name)).reason).toBe(file.code);
  });

  it('refuses the shared-string bomb and the hidden-entry bomb by their declarations, inflating nothing', async () => {
    for (const bytes of [sharedStringBomb(), hiddenEntryBomb()]) {
      const r = await refusal(bytes, 'bomb.xlsx');
      expect(r.reason).toBe('workbookTooLarge');
      expect(r.counters.inflatedBytes).toBe(0);
      expect(r.counters.sharedStrings).toBe(0);
    }
  });

  it('stops inflating an entry that lies about its size just past what it declared', async () => {
    for (const bytes of [lyingSharedStrings(), lyingHiddenEntry()]) {
      const r = await refusal(bytes, 'liar.xlsx');
      expect(r.reason).toBe('zipBomb');
      expect(r.counters.inflatedBytes).toBeLessThan(1024 + 64 * 1024); // declared 1 KiB: one zlib chunk more at most
    }
  });

  it('refuses a 100,000-column header naming its row and width, having read one row', async () => {
    const r = await refusal(wideCsv(), 'wide.csv');
    expect(r).toMatchObject({ reason: 'tooManyColumns', details: { line: 1, columns: 100_000 } });
    expect(r.counters.rowsRead).toBe(1);
  });

  it('names the row and column of a cell over 32,767 characters', async () => {
    const csv = `customerCode,documentType,number\nC1,invoice,F1\nC2,invoice,${'n'.repeat(40_000)}\n`;
    expect(await refusal(new TextEncoder().encode(csv), 'x.csv')).toMatchObject({ reason: 'cellTooLong', details: { line: 3, column: 3 } });
  });

  it('still reads a normal workbook, through the compact shared strings', async () => {
    const counters = newReadCounters();
    const table = await readTableFromBuffer(workbook(), { fileName: 'ok.xlsx', counters });
    const rows = [];
    for await (const row of table.rows) rows.push(row.cells);
    expect(table.header).toEqual(['customerCode', 'documentType', 'number', 'issuedOn', 'currency', 'amount']);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(['C1', 'x', 'C1', 'x', 'C1', 'x']);
    expect(counters.sharedStrings).toBe(8);
  });

  it('keeps shared strings compactly and cuts one over the cell limit to limit + 1 characters', () => {
    const store = new CompactStrings();
    store.push('Société Dupont');
    store.push('z'.repeat(100_000));
    store.push('');
    expect(store.get(0)).toBe('Société Dupont');
    expect(store.get(1)).toHaveLength(32_768);
    expect(store.get(2)).toBe('');
    expect(store.asArray()[0]).toBe('Société Dupont');
    expect(store.get(3)).toBeUndefined();
  });
});
