// What of a workbook an import reads, and in how much memory. exceljs streams the zip it is given from its first
// byte (local headers, not the central directory we verified), caches every shared string as a JavaScript string
// (an 89 MB workbook whose shared strings inflate to 962 MB took the process to 4.5 GB) and inflates every entry it
// meets. So: each part has a bound from what the row limits need; exceljs is fed a zip we assemble from the
// verified compressed bytes of the parts it needs only (an entry hidden between local headers, or unused, is never
// read); and its shared strings go to a compact store (UTF-8 bytes and offsets) instead of an array of strings.
import { Readable } from 'node:stream';
import { dataOffset, MAX_XML_TOKEN_BYTES, type EntryRule, type ZipEntry } from './zip-guard';
import { MAX_CELL_CHARS, TableReadError, type ByteSource } from './read-table-source';

const MiB = 1024 * 1024;

/**
 * Bounds per part. Imports accept about 2 million rows (250 MB); their unique texts (invoice numbers, references,
 * names) make about 30 bytes of shared-strings XML each, a few per row: 256 MiB and 8 million strings leave room.
 */
export const SHARED_STRINGS_MAX_BYTES = 256 * MiB;
export const SHARED_STRINGS_MAX_COUNT = 8_000_000;
export const METADATA_MAX_BYTES = 10 * MiB; // workbook.xml, its relationships
export const STYLES_MAX_BYTES = 16 * MiB;
/** Entries the import never reads (drawings, images, printer settings, anything else): checked, never parsed. */
export const UNUSED_ENTRY_MAX_BYTES = 64 * MiB;

export const WORKBOOK = 'xl/workbook.xml';
export const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
export const STYLES = 'xl/styles.xml';
export const SHARED_STRINGS = 'xl/sharedStrings.xml';

/** The rule of each entry: the chosen sheet may use the whole budget, other sheets too (they are real data). */
export function entryRules(sheetPaths: readonly string[], totalBudget: number): (entry: ZipEntry) => EntryRule {
  return (entry) => {
    if (entry.name === WORKBOOK || entry.name === WORKBOOK_RELS) return { maxBytes: METADATA_MAX_BYTES, isXml: true };
    if (entry.name === STYLES) return { maxBytes: STYLES_MAX_BYTES, isXml: true };
    if (entry.name === SHARED_STRINGS) return { maxBytes: SHARED_STRINGS_MAX_BYTES, isXml: true };
    if (sheetPaths.includes(entry.name)) return { maxBytes: totalBudget, isXml: true };
    return { maxBytes: UNUSED_ENTRY_MAX_BYTES, isXml: false };
  };
}

function localHeader(name: Buffer, entry: ZipEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0, 6); // no data descriptor: sizes are known
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc32 ?? 0, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralDirectory(parts: { name: Buffer; entry: ZipEntry; offset: number }[], directoryOffset: number): Buffer {
  const records = parts.map(({ name, entry, offset }) => {
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(entry.method, 10);
    record.writeUInt32LE(entry.crc32 ?? 0, 16);
    record.writeUInt32LE(entry.compressedSize, 20);
    record.writeUInt32LE(entry.uncompressedSize, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    return Buffer.concat([record, name]);
  });
  const body = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(body.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([body, end]);
}

/**
 * A zip stream of the given entries only, in this order, each renamed (the chosen sheet becomes sheet1.xml, which
 * is the only form exceljs reads), made of their verified compressed bytes: nothing is inflated or recompressed here.
 * Putting the shared strings before the sheet also spares exceljs parking the sheet in a temporary file.
 */
export function zipOfParts(source: ByteSource, parts: { entry: ZipEntry; as: string }[]): Readable {
  async function* bytes() {
    let offset = 0;
    const written: { name: Buffer; entry: ZipEntry; offset: number }[] = [];
    for (const { entry, as } of parts) {
      const name = Buffer.from(as, 'utf8');
      const header = localHeader(name, entry);
      written.push({ name, entry, offset });
      yield header;
      offset += header.length;
      const start = await dataOffset(source, entry);
      for (let at = 0; at < entry.compressedSize; at += MiB) {
        const chunk = await source.read(start + at, Math.min(MiB, entry.compressedSize - at));
        if (chunk.length === 0) throw new TableReadError('notAnXlsx', { detail: `truncated entry ${entry.name}` });
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
        offset += chunk.length;
      }
    }
    yield centralDirectory(written, offset);
  }
  return Readable.from(bytes(), { objectMode: false });
}

const CHUNK_BYTES = 8 * MiB;

/**
 * Shared strings as UTF-8 bytes in 8 MiB chunks plus two offsets a string: about the size of their text, where
 * an array of JavaScript strings cost 2–4 times the XML (string headers, UTF-16, slices keeping parser chunks).
 * A string over MAX_CELL_CHARS keeps one character more than the limit, so that the cell check names its cell.
 */
export class CompactStrings {
  private chunks: Buffer[] = [];
  private used = CHUNK_BYTES; // forces a first chunk
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  count = 0;
  bytes = 0;

  push(text: string): void {
    if (this.count >= SHARED_STRINGS_MAX_COUNT) {
      throw new TableReadError('workbookTooLarge', { part: SHARED_STRINGS, detail: `over ${SHARED_STRINGS_MAX_COUNT} strings` });
    }
    const kept = text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS + 1) : text;
    const size = Buffer.byteLength(kept, 'utf8'); // at most 3 × 32,768 bytes: always fits one chunk
    if (this.used + size > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafe(CHUNK_BYTES));
      this.used = 0;
    }
    if (this.count === this.starts.length) {
      const grow = (from: Uint32Array) => {
        const to = new Uint32Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
    }
    this.chunks[this.chunks.length - 1].write(kept, this.used, 'utf8');
    this.starts[this.count] = (this.chunks.length - 1) * CHUNK_BYTES + this.used;
    this.lengths[this.count] = size;
    this.used += size;
    this.bytes += size;
    this.count += 1;
  }

  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const start = this.starts[index];
    const chunk = this.chunks[Math.floor(start / CHUNK_BYTES)];
    const at = start % CHUNK_BYTES;
    return chunk.toString('utf8', at, at + this.lengths[index]);
  }

  /** What exceljs's worksheet reader indexes (`sharedStrings[i]`): a read-only view decoding on access. */
  asArray(): unknown[] {
    return new Proxy([], {
      get: (target, key) => (typeof key === 'string' && /^\d+$/.test(key) ? this.get(Number(key)) : key === 'length' ? this.count : Reflect.get(target, key)),
    });
  }
}

export { MAX_XML_TOKEN_BYTES };
