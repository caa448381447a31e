// Bytes of an uploaded CSV → text. Real exports arrive as UTF-8 (with or without BOM), Excel's "Unicode text"
// (UTF-16 with BOM), Windows-1252 or ISO-8859-15 (French FEC files); nothing in the file says which, so we infer it.
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-15';
export type BinaryKind = 'zip' | 'pdf' | 'png' | 'jpeg' | 'gif' | 'gzip' | 'elf' | 'ole2' | 'nulBytes' | 'controlCharacters';

export type EncodingDetection =
  | {
      ok: true;
      encoding: TextEncoding;
      hasBom: boolean;
      /** Only ASCII was seen: any ASCII-compatible encoding fits so far; createDecoder decides at the first other byte. */
      isTentative: boolean;
    }
  | { ok: false; reason: 'binaryFile'; kind: BinaryKind };

export type DecodeResult = { ok: true; text: string; encoding: TextEncoding } | { ok: false; reason: 'binaryFile'; kind: BinaryKind };

/** How much of a file a streaming caller should pass to detectEncoding. */
export const DETECTION_HEAD_BYTES = 64 * 1024;

const ICONV_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
};

// Formats people upload by mistake (or an .xlsx renamed .csv). A CSV never starts with these bytes.
const MAGIC_NUMBERS: [BinaryKind, number[]][] = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['png', [0x89, 0x50, 0x4e, 0x47]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38]],
  ['gzip', [0x1f, 0x8b]],
  ['elf', [0x7f, 0x45, 0x4c, 0x46]],
  ['ole2', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]], // legacy .xls, or an encrypted .xlsx
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** The kind of binary content, or undefined when the bytes may be text. */
export function sniffBinary(head: Uint8Array): BinaryKind | undefined {
  for (const [kind, magic] of MAGIC_NUMBERS) if (startsWith(head, magic)) return kind;
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return 'nulBytes';
    // TAB, LF, CR are text; FF and SUB (the DOS end-of-file mark some old exports still write) are tolerated.
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1a) || byte === 0x7f) {
      controls += 1;
    }
  }
  // A text file may carry a stray control character in a free-text field; 1 % of the bytes is not text any more.
  return controls > Math.max(2, head.length * 0.01) ? 'controlCharacters' : undefined;
}

function isValidUtf8(bytes: Uint8Array, isComplete: boolean): boolean {
  try {
    // `stream: true` lets a multi-byte character cut at the end of a 64 KiB head pass; `fatal` rejects the rest.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !isComplete });
    return true;
  } catch {
    return false;
  }
}

const isLetter = (byte: number | undefined) =>
  byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0xc0 && byte !== 0xd7 && byte !== 0xf7));
const isDigitOrSpace = (byte: number | undefined) => byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || byte === 0x20 || byte === 0xa0);

/**
 * Windows-1252 or ISO-8859-15 for bytes that are not UTF-8. They differ in eight positions: 8859-15 has €, Š, š,
 * Ž, ž, Œ, œ, Ÿ where 1252 has ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ (1252 puts € and Œ at 0x80/0x8C instead). Windows-1252 is the
 * default (Excel on Windows); 8859-15 wins only when those bytes are used as a euro after an amount or as letters
 * inside words, and no 0x80–0x9F byte (C1 controls in 8859-15, never written by it) is present.
 */
function guessEightBit(bytes: Uint8Array): 'windows-1252' | 'iso-8859-15' {
  let evidence = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte >= 0x80 && byte <= 0x9f) return 'windows-1252';
    const before = bytes[i - 1];
    const after = bytes[i + 1];
    if (byte === 0xa4 && (isDigitOrSpace(before) || isDigitOrSpace(after))) evidence += 1; // "12,50 €"
    else if ((byte === 0xbc || byte === 0xbd) && (isLetter(before) || isLetter(after))) evidence += 1; // "cœur", "Œuvre"
    // ´ and ¨ after a letter could be a Windows user's apostrophe or accent: for Š š Ž ž Ÿ demand letters on both sides.
    else if ([0xa6, 0xa8, 0xb4, 0xb8, 0xbe].includes(byte) && isLetter(before) && isLetter(after)) evidence += 1;
  }
  return evidence > 0 ? 'iso-8859-15' : 'windows-1252';
}

/**
 * Detects the encoding from the start of a file (pass up to DETECTION_HEAD_BYTES; `isWholeFile` when that is all
 * of it, so a truncated UTF-8 sequence at the end counts as invalid).
 */
export function detectEncoding(head: Uint8Array, options: { isWholeFile?: boolean } = {}): EncodingDetection {
  const isComplete = options.isWholeFile ?? head.length < DETECTION_HEAD_BYTES;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) {
    return { ok: true, encoding: 'utf-8', hasBom: true, isTentative: false };
  }
  // UTF-16 is full of NUL bytes, so its BOM must be recognised before the binary check.
  if (startsWith(head, [0xff, 0xfe])) return { ok: true, encoding: 'utf-16le', hasBom: true, isTentative: false };
  if (startsWith(head, [0xfe, 0xff])) return { ok: true, encoding: 'utf-16be', hasBom: true, isTentative: false };
  const kind = sniffBinary(head);
  if (kind) return { ok: false, reason: 'binaryFile', kind };
  const firstHigh = head.findIndex((byte) => byte >= 0x80);
  if (firstHigh === -1) return { ok: true, encoding: 'utf-8', hasBom: false, isTentative: !isComplete };
  const encoding = isValidUtf8(head, isComplete) ? 'utf-8' : guessEightBit(head);
  return { ok: true, encoding, hasBom: false, isTentative: false };
}

export interface StreamingDecoder {
  /** The encoding in use; for a tentative decoder it is final once a non-ASCII byte has been seen. */
  readonly encoding: TextEncoding;
  write(chunk: Uint8Array): string;
  end(): string;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * A decoder for chunks of a stream (multi-byte characters split across chunks are handled by iconv-lite).
 * With `isTentative` (an ASCII-only head) the choice between UTF-8 and the 8-bit encodings is made at the first
 * non-ASCII byte: a French export whose first accent is on row 5 000 is still decoded right, and the text emitted
 * before that point is identical in every candidate encoding.
 */
export function createDecoder(encoding: TextEncoding, options: { isTentative?: boolean } = {}): StreamingDecoder {
  let current = encoding;
  let inner = options.isTentative ? undefined : iconv.getDecoder(ICONV_NAMES[encoding]);
  return {
    get encoding() {
      return current;
    },
    write(chunk) {
      const bytes = toBuffer(chunk);
      if (inner) return inner.write(bytes);
      const firstHigh = bytes.findIndex((byte) => byte >= 0x80);
      if (firstHigh === -1) return bytes.toString('latin1');
      const rest = bytes.subarray(firstHigh);
      current = isValidUtf8(rest, false) ? 'utf-8' : guessEightBit(rest);
      inner = iconv.getDecoder(ICONV_NAMES[current]);
      return bytes.subarray(0, firstHigh).toString('latin1') + inner.write(rest);
    },
    end() {
      return inner?.end() ?? '';
    },
  };
}

/** Decodes a whole file held in memory. */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const detection = detectEncoding(bytes, { isWholeFile: true });
  if (!detection.ok) return detection;
  const decoder = createDecoder(detection.encoding);
  const text = decoder.write(bytes) + decoder.end();
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: detection.encoding };
}
