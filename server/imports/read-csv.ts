// CSV rows from a byte stream, with bounded memory: bytes are decoded chunk by chunk, cut into records by a small
// quote-aware scanner (which is where the 1 MiB record limit is enforced: a quote never closed would otherwise make
// any parser buffer the rest of the file), and each batch of complete records is split into fields by papaparse.
import Papa from 'papaparse';
import { DETECTION_HEAD_BYTES, createDecoder, detectEncoding, type TextEncoding } from './decode';
import { TableReadError, type ByteSource } from './read-table-source';
import type { RawRow } from './read-xlsx';

/** Longest CSV record accepted, in characters (≈ bytes for the Latin-script files we receive). */
export const MAX_RECORD_CHARS = 1024 * 1024;

// `,` `;` and TAB are the separators of real exports; `|` is the other one the French FEC format allows.
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

interface CsvRecord {
  line: number;
  text: string;
}

/**
 * Cuts decoded text into records: a line break inside a quoted field belongs to the field. A quote opens a field
 * only at its start, as papaparse reads it (`12" pipe` is text). CR LF, LF, CR and the CR CR LF that some FEC
 * generators write each end one record.
 */
class RecordSplitter {
  private parts: string[] = [];
  private length = 0;
  private isInQuotes = false;
  private isAtFieldStart = true;
  private isQuotePending = false; // a quote inside quotes: closing, or the first half of ""
  private crSeen = 0; // CRs just seen outside quotes: 1 after CR, 2 after CR CR
  private isAfterQuotedCr = false;
  private line = 1;
  private recordLine = 1;
  private records: CsvRecord[] = [];

  constructor(private readonly delimiter: number) {}

  push(text: string): CsvRecord[] {
    let segmentStart = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (this.crSeen > 0) {
        if (c === LF) {
          this.crSeen = 0;
          segmentStart = i + 1;
          continue;
        }
        if (c === CR && this.crSeen === 1) {
          this.crSeen = 2;
          segmentStart = i + 1;
          continue;
        }
        if (this.crSeen === 2) this.endRecord(); // CR CR without LF: the second CR ended an empty line
        this.crSeen = 0;
      }
      if (this.isQuotePending) {
        this.isQuotePending = false;
        if (c === QUOTE) continue; // "" stays in the field; papaparse unescapes it
        this.isInQuotes = false;
      }
      if (this.isInQuotes) {
        if (c === QUOTE) this.isQuotePending = true;
        else if (c === CR || (c === LF && !this.isAfterQuotedCr)) this.line += 1;
        this.isAfterQuotedCr = c === CR;
        continue;
      }
      if (c === CR || c === LF) {
        this.append(text, segmentStart, i);
        this.endRecord();
        segmentStart = i + 1;
        if (c === CR) this.crSeen = 1;
        continue;
      }
      if (c === QUOTE && this.isAtFieldStart) this.isInQuotes = true;
      this.isAtFieldStart = c === this.delimiter;
    }
    this.append(text, segmentStart, text.length);
    return this.take();
  }

  finish(): CsvRecord[] {
    if (this.crSeen === 2) this.endRecord();
    if (this.parts.length > 0) this.endRecord();
    return this.take();
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.length += to - from;
    // Checked as the record grows, so an unclosed quote costs at most 1 MiB plus one chunk of memory.
    if (this.length > MAX_RECORD_CHARS) throw new TableReadError('lineTooLong', { line: this.recordLine });
    this.parts.push(text.slice(from, to));
  }

  private endRecord(): void {
    this.line += 1;
    this.records.push({ line: this.recordLine, text: this.parts.join('') });
    this.recordLine = this.line;
    this.parts = [];
    this.length = 0;
    this.isAtFieldStart = true;
  }

  private take(): CsvRecord[] {
    const records = this.records;
    this.records = [];
    return records;
  }
}

const parseConfig = (delimiter: CsvDelimiter) => ({ delimiter, newline: '\n' as const, quoteChar: '"', escapeChar: '"', skipEmptyLines: false as const });

/** Splits complete records into fields, one papaparse call per batch. */
function splitFields(records: CsvRecord[], delimiter: CsvDelimiter): string[][] {
  if (records.length === 0) return [];
  const batch = Papa.parse<string[]>(records.map((record) => record.text).join('\n'), parseConfig(delimiter)).data;
  if (batch.length === records.length) return batch;
  // Malformed quoting can make papaparse see record boundaries elsewhere; then each record is parsed alone so that
  // row numbers stay right, and a record it still splits keeps all its fields.
  return records.map((record) => {
    const rows = Papa.parse<string[]>(record.text, parseConfig(delimiter)).data;
    return rows.length === 0 ? [''] : rows.flat();
  });
}

/**
 * Picks the delimiter under which most of the first rows have the same number of fields (papaparse does the
 * splitting, so quoted delimiters do not count). Rows with one field — banner lines, titles — say nothing. A tie
 * goes to the delimiter giving more fields; no evidence at all means a one-column file, read with `,`.
 */
export function detectDelimiter(headText: string): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; agreeing: number; fields: number } = { delimiter: ',', agreeing: 0, fields: 1 };
  for (const delimiter of CSV_DELIMITERS) {
    const rows = Papa.parse<string[]>(headText, { delimiter, preview: 50, skipEmptyLines: true }).data;
    const counts = rows.map((row) => row.length).filter((count) => count > 1);
    const frequency = new Map<number, number>();
    for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    for (const [fields, agreeing] of frequency) {
      if (agreeing > best.agreeing || (agreeing === best.agreeing && fields > best.fields)) best = { delimiter, agreeing, fields };
    }
  }
  return best.delimiter;
}

/** Opens a CSV: detects encoding (binaryFile otherwise) and delimiter from the first 64 KiB, then streams rows. */
export async function openCsv(
  source: ByteSource,
): Promise<{ delimiter: CsvDelimiter; encoding: () => TextEncoding; rows: AsyncGenerator<RawRow<string>> }> {
  const head = await source.read(0, DETECTION_HEAD_BYTES);
  const isWholeFile = head.length >= source.size;
  const detection = detectEncoding(head, { isWholeFile });
  if (!detection.ok) throw new TableReadError('binaryFile', { detail: detection.kind });
  const headDecoder = createDecoder(detection.encoding, { isTentative: detection.isTentative });
  let headText = headDecoder.write(head) + (isWholeFile ? headDecoder.end() : '');
  // Only whole lines: a row cut at 64 KiB would look like a row with fewer fields.
  if (!isWholeFile && /[\r\n]/.test(headText)) headText = headText.slice(0, Math.max(headText.lastIndexOf('\n'), headText.lastIndexOf('\r')));
  const delimiter = detectDelimiter(headText);
  const decoder = createDecoder(detection.encoding, { isTentative: detection.isTentative });

  async function* rows(): AsyncGenerator<RawRow<string>> {
    const splitter = new RecordSplitter(delimiter.charCodeAt(0));
    const input = source.stream();
    let position = 0;
    const emit = (records: CsvRecord[]) =>
      splitFields(records, delimiter).map((cells, i) => ({ position: (position += 1), sourceRow: records[i].line, cells }));
    try {
      for await (const chunk of input) {
        yield* emit(splitter.push(decoder.write(chunk as Uint8Array)));
      }
      const rest = decoder.end();
      yield* emit([...(rest ? splitter.push(rest) : []), ...splitter.finish()]);
    } finally {
      input.destroy();
    }
  }
  return { delimiter, encoding: () => decoder.encoding, rows: rows() };
}
