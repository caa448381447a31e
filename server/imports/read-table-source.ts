// Where the bytes of an import come from (an uploaded file on disk, or a buffer in tests and small API uploads),
// and the one error every table reader throws. Readers take a ByteSource so that a file is streamed, never
// loaded whole: XLSX needs random access (the zip directory sits at the end), CSV a sequential stream.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

export type TableReadFailure =
  | 'binaryFile' // not text (a PDF, an image, an .xlsx renamed .csv…)
  | 'lineTooLong' // a CSV record over MAX_RECORD_CHARS, usually a quote never closed
  | 'sheetNotFound'
  | 'zipBomb'
  | 'notAnXlsx' // named .xlsx but not an Office Open XML zip (legacy .xls, encrypted workbook, corrupt zip)
  | 'emptyFile' // no non-empty row at all
  | 'workbookTooLarge' // a workbook part over what an import needs (shared strings, styles, an unused entry)
  | 'tooManyColumns' // a row with more than MAX_COLUMNS cells
  | 'cellTooLong'; // a cell over MAX_CELL_CHARS characters

export class TableReadError extends Error {
  constructor(
    readonly reason: TableReadFailure,
    readonly details: {
      /** CSV: 1-based physical line where the offending record starts. */
      line?: number;
      /** sheetNotFound: the sheets the workbook has, in workbook order. */
      availableSheets?: string[];
      /** cellTooLong: 1-based column of the cell; tooManyColumns: how many cells the row has. */
      column?: number;
      columns?: number;
      /** workbookTooLarge: the part refused. */
      part?: string;
      /** What was recognised or measured (binary kind, zip entry name…), for logs and messages. */
      detail?: string;
    } = {},
  ) {
    super(`${reason}${details.line ? ` at line ${details.line}` : ''}${details.detail ? ` (${details.detail})` : ''}`);
    this.name = 'TableReadError';
  }
}

/** Columns an import reads at most: the widest ERP export we know has about 120; a header of 100,000 cells is an attack. */
export const MAX_COLUMNS = 500;
/** Characters in one cell at most: Excel's own limit, so a real spreadsheet never exceeds it. */
export const MAX_CELL_CHARS = 32_767;

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The whole content as a Node stream, in chunks of at most `chunkSize` bytes. */
  stream(chunkSize?: number): Readable;
  close(): Promise<void>;
}

const DEFAULT_CHUNK = 64 * 1024;

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    stream(chunkSize = DEFAULT_CHUNK) {
      // Chunked like a file stream so that the CSV reader's memory bounds are exercised the same way in tests.
      return Readable.from(
        (function* chunks() {
          for (let offset = 0; offset < bytes.length; offset += chunkSize) {
            yield Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(chunkSize, bytes.length - offset));
          }
        })(),
      );
    },
    close: async () => {},
  };
}

export async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  let closing: Promise<void> | undefined;
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
    stream: (chunkSize = DEFAULT_CHUNK) => createReadStream(path, { highWaterMark: chunkSize }),
    close: () => (closing ??= handle.close()), // idempotent: both the row iterator and Table.close may call it
  };
}
