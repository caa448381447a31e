// An .xlsx is a zip: a 1 MB upload can inflate to gigabytes (a "zip bomb") and exhaust memory or CPU once the
// spreadsheet library opens it. Before any parsing we read the zip's central directory (at the end of the file)
// and refuse suspicious sizes, then inflate every entry once into nothing, counting bytes, because the sizes
// written in the directory are the attacker's word and the library would trust them.
import { once } from 'node:events';
import { createInflateRaw } from 'node:zlib';
import { inflateSync } from 'fflate';
import { TableReadError, type ByteSource } from './read-table-source';

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflated
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** CRC-32 from the central directory (0 when unknown), copied into the zip the spreadsheet library reads. */
  crc32?: number;
}

/** What one entry may inflate to, and whether it is XML whose longest token must stay bounded. */
export interface EntryRule {
  maxBytes: number;
  isXml: boolean;
}

/**
 * Longest run of bytes between two `<` in an XML part we parse. A cell holds at most 32,767 characters (under
 * 330 KB even written as entities), so 1 MiB is generous; without it one 900 MB text node would become one
 * JavaScript string of twice that size inside the SAX parser, whatever the part's total size.
 */
export const MAX_XML_TOKEN_BYTES = 1024 * 1024;

export interface ZipLimits {
  maxTotalUncompressed: number;
  maxRatio: number;
  ratioAppliesAbove: number;
  maxEntries: number;
}

// Limits from the import brief: a real workbook of a million rows stays far below them.
export const XLSX_ZIP_LIMITS: ZipLimits = {
  maxTotalUncompressed: 1024 ** 3,
  maxRatio: 200,
  ratioAppliesAbove: 10 * 1024 ** 2,
  maxEntries: 10_000,
};

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 64 * 1024 ** 2;

const notAZip = (detail: string) => new TableReadError('notAnXlsx', { detail });

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(data: DataView, offset: number): number {
  const value = data.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw notAZip('zip64 size beyond safe integers');
  return Number(value);
}

/** Where the central directory is and how many entries it lists (zip64 included, as Excel writes for big files). */
async function findCentralDirectory(source: ByteSource): Promise<{ offset: number; size: number; count: number }> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tailStart = source.size - tailLength;
  const tail = view(await source.read(tailStart, tailLength));
  for (let at = tail.byteLength - 22; at >= 0; at -= 1) {
    if (tail.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    let count = tail.getUint16(at + 10, true);
    let size = tail.getUint32(at + 12, true);
    let offset = tail.getUint32(at + 16, true);
    if ((count === 0xffff || size === 0xffffffff || offset === 0xffffffff) && at >= 20) {
      if (tail.getUint32(at - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
        const record = view(await source.read(u64(tail, at - 12), 56));
        if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw notAZip('bad zip64 record');
        count = u64(record, 32);
        size = u64(record, 40);
        offset = u64(record, 48);
      }
    }
    if (offset + size > source.size) throw notAZip('central directory outside the file');
    return { offset, size, count };
  }
  throw notAZip('no zip directory');
}

/** Lists the entries of a zip from its central directory. Throws `notAnXlsx` when it is no readable zip. */
export async function readZipDirectory(source: ByteSource, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<ZipEntry[]> {
  const { offset, size, count } = await findCentralDirectory(source);
  if (count > limits.maxEntries || size > MAX_CENTRAL_DIRECTORY) {
    throw new TableReadError('zipBomb', { detail: `${count} entries` });
  }
  const directory = await source.read(offset, size);
  const data = view(directory);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 46 <= data.byteLength && data.getUint32(at, true) === CENTRAL_SIGNATURE) {
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(directory.subarray(at + 46, at + 46 + nameLength)),
      method: data.getUint16(at + 10, true),
      compressedSize: data.getUint32(at + 20, true),
      uncompressedSize: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
      crc32: data.getUint32(at + 16, true),
    };
    readZip64Extra(data, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== count) throw notAZip('truncated zip directory');
  return entries;
}

/** Zip64 entries keep their real sizes in extra field 0x0001, in this order, only for the 0xFFFFFFFF fields. */
function readZip64Extra(data: DataView, start: number, length: number, entry: ZipEntry): void {
  let at = start;
  while (at + 4 <= start + length && at + 4 <= data.byteLength) {
    const id = data.getUint16(at, true);
    const size = data.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const take = () => {
        const value = field + 8 <= data.byteLength ? u64(data, field) : 0;
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
      return;
    }
    at += 4 + size;
  }
}

/** Refuses by declared sizes: total over the limit, or a big entry compressed more than any real sheet is. */
export function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ZipLimits = XLSX_ZIP_LIMITS): void {
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > limits.ratioAppliesAbove && ratio > limits.maxRatio) {
      throw new TableReadError('zipBomb', { detail: `${entry.name} expands ${Math.round(ratio)}:1` });
    }
  }
  if (total > limits.maxTotalUncompressed) throw new TableReadError('zipBomb', { detail: `${total} bytes uncompressed` });
}

export async function dataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const header = view(await source.read(entry.localHeaderOffset, 30));
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL_SIGNATURE) throw notAZip(`bad local header for ${entry.name}`);
  return entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
}

/** Inflates one (small) entry into memory, refusing more than `maxBytes`. */
export async function readZipEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<Uint8Array> {
  if (entry.uncompressedSize > maxBytes) throw new TableReadError('zipBomb', { detail: `${entry.name} too large` });
  const start = await dataOffset(source, entry);
  const compressed = await source.read(start, entry.compressedSize);
  if (entry.method === 0) return compressed;
  if (entry.method !== 8) throw notAZip(`compression method ${entry.method}`);
  // The output buffer is sized from the directory, so a lying entry is truncated rather than allowed to grow.
  try {
    return inflateSync(compressed, { out: new Uint8Array(entry.uncompressedSize) });
  } catch {
    throw notAZip(`corrupt entry ${entry.name}`);
  }
}

/**
 * Inflates every entry into nothing and counts: an entry producing more than it declared, or a total over the
 * limit, is a bomb whatever the directory says. Memory stays at one zlib window; CPU stops at the limit. `ruleOf`
 * bounds each entry further (what the import needs of it): an entry declaring more is refused before any inflating,
 * one inflating past it is stopped there, so no entry is ever inflated beyond its rule.
 */
export async function verifyInflatedSizes(
  source: ByteSource,
  entries: readonly ZipEntry[],
  limits: ZipLimits = XLSX_ZIP_LIMITS,
  ruleOf: (entry: ZipEntry) => EntryRule = () => ({ maxBytes: limits.maxTotalUncompressed, isXml: false }),
  counters: { inflatedBytes: number } = { inflatedBytes: 0 },
): Promise<void> {
  const rules = entries.map((entry) => ruleOf(entry));
  entries.forEach((entry, i) => {
    if (entry.uncompressedSize > rules[i].maxBytes) throw new TableReadError('workbookTooLarge', { part: entry.name, detail: `${entry.uncompressedSize} bytes declared` });
  });
  let total = 0;
  for (const [i, entry] of entries.entries()) {
    if (entry.method === 0 || entry.compressedSize === 0) {
      if (entry.compressedSize > rules[i].maxBytes) throw new TableReadError('workbookTooLarge', { part: entry.name });
      total += entry.compressedSize;
      continue;
    }
    if (entry.method !== 8) throw notAZip(`compression method ${entry.method}`);
    const start = await dataOffset(source, entry);
    const inflater = createInflateRaw();
    const feeding = (async () => {
      for (let at = 0; at < entry.compressedSize; at += 1024 * 1024) {
        const chunk = await source.read(start + at, Math.min(1024 * 1024, entry.compressedSize - at));
        if (!inflater.write(chunk)) await once(inflater, 'drain');
      }
      inflater.end();
    })();
    feeding.catch((error: unknown) => inflater.destroy(error instanceof Error ? error : new Error(String(error)))); // surfaces below
    let produced = 0;
    let sinceLt = 0; // bytes since the last '<' (zlib chunks are 16 KiB, far below the token limit)
    try {
      for await (const output of inflater) {
        const bytes = output as Buffer;
        produced += bytes.length;
        counters.inflatedBytes += bytes.length;
        if (produced > entry.uncompressedSize || total + produced > limits.maxTotalUncompressed) {
          throw new TableReadError('zipBomb', { detail: `${entry.name} inflates beyond its declared size` });
        }
        if (rules[i].isXml) {
          const first = bytes.indexOf(0x3c);
          if (first < 0) sinceLt += bytes.length;
          else {
            if (sinceLt + first > MAX_XML_TOKEN_BYTES) throw new TableReadError('cellTooLong', { detail: `${entry.name}: text run over ${MAX_XML_TOKEN_BYTES} bytes` });
            sinceLt = bytes.length - 1 - bytes.lastIndexOf(0x3c);
          }
          if (sinceLt > MAX_XML_TOKEN_BYTES) throw new TableReadError('cellTooLong', { detail: `${entry.name}: text run over ${MAX_XML_TOKEN_BYTES} bytes` });
        }
      }
    } catch (error) {
      inflater.destroy();
      if (error instanceof TableReadError) throw error;
      throw notAZip(`corrupt entry ${entry.name}`);
    }
    await feeding;
    total += produced;
  }
}
