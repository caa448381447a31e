import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readTableFromBuffer, TableReadError } from './read-table';
import { bufferSource } from './read-table-source';
import { checkDeclaredSizes, readZipDirectory, verifyInflatedSizes, type ZipEntry } from './zip-guard';

const WORKBOOK_XML =
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
  '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS_XML =
  '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '</Relationships>';

/** A minimal workbook whose sheet part is `sheetBytes`, compressed as hard as deflate allows. */
function workbookZip(sheetBytes: Uint8Array): Uint8Array {
  return zipSync(
    {
      'xl/workbook.xml': new TextEncoder().encode(WORKBOOK_XML),
      'xl/_rels/workbook.xml.rels': new TextEncoder().encode(RELS_XML),
      'xl/worksheets/sheet1.xml': sheetBytes,
    },
    { level: 9 },
  );
}

/** Rewrites the uncompressed size the central directory declares for one entry, as a bomb maker would. */
function lieAboutSize(zip: Uint8Array, name: string, declared: number): Uint8Array {
  const copy = Uint8Array.from(zip);
  const data = new DataView(copy.buffer);
  const encodedName = new TextEncoder().encode(name);
  for (let at = 0; at + 46 < copy.length; at += 1) {
    if (data.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = data.getUint16(at + 28, true);
    const entryName = copy.subarray(at + 46, at + 46 + nameLength);
    if (entryName.length === encodedName.length && entryName.every((b, i) => b === encodedName[i])) {
      data.setUint32(at + 24, declared, true);
      return copy;
    }
  }
  throw new Error(`no entry ${name}`);
}

async function reasonOf(bytes: Uint8Array): Promise<string> {
  try {
    const table = await readTableFromBuffer(bytes, { fileName: 'upload.xlsx' });
    await table.close();
    return 'read';
  } catch (error) {
    if (error instanceof TableReadError) return error.reason;
    throw error;
  }
}

describe('zip bomb guard', () => {
  it('lists entries with their declared sizes from the central directory', async () => {
    const zip = workbookZip(new Uint8Array(1000));
    const entries = await readZipDirectory(bufferSource(zip));
    expect(entries.map((entry) => [entry.name, entry.uncompressedSize])).toEqual([
      ['xl/workbook.xml', WORKBOOK_XML.length],
      ['xl/_rels/workbook.xml.rels', RELS_XML.length],
      ['xl/worksheets/sheet1.xml', 1000],
    ]);
  });

  it('refuses an entry over 10 MB that expands more than 200:1', async () => {
    expect(await reasonOf(workbookZip(new Uint8Array(20 * 1024 * 1024)))).toBe('zipBomb');
  });

  it('accepts a highly compressible entry under 10 MB (the ratio rule is for big entries)', async () => {
    const zip = workbookZip(new Uint8Array(2 * 1024 * 1024));
    const entries = await readZipDirectory(bufferSource(zip));
    expect(() => checkDeclaredSizes(entries)).not.toThrow();
    await expect(verifyInflatedSizes(bufferSource(zip), entries)).resolves.toBeUndefined();
  });

  it('refuses a total declared size over 1 GiB', () => {
    const entries: ZipEntry[] = Array.from({ length: 120 }, (_, i) => ({
      name: `xl/media/image${i}.png`,
      method: 8,
      compressedSize: 9 * 1024 * 1024,
      uncompressedSize: 9 * 1024 * 1024,
      localHeaderOffset: 0,
    }));
    expect(() => checkDeclaredSizes(entries)).toThrow(expect.objectContaining({ reason: 'zipBomb' }));
  });

  it('refuses an entry that inflates beyond the size its directory declares', async () => {
    const zip = lieAboutSize(workbookZip(new Uint8Array(5 * 1024 * 1024)), 'xl/worksheets/sheet1.xml', 1000);
    expect(await reasonOf(zip)).toBe('zipBomb');
  });

  it('refuses a corrupt deflate stream as not an xlsx', async () => {
    const zip = workbookZip(new Uint8Array(100_000).map((_, i) => (i * 7919) % 251));
    const entries = await readZipDirectory(bufferSource(zip));
    const sheet = entries.find((entry) => entry.name === 'xl/worksheets/sheet1.xml')!;
    const corrupt = Uint8Array.from(zip);
    const dataStart = sheet.localHeaderOffset + 30 + sheet.name.length;
    corrupt.fill(0xff, dataStart + 10, dataStart + 200);
    expect(await reasonOf(corrupt)).toBe('notAnXlsx');
  });
});
