import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DETECTION_HEAD_BYTES, createDecoder, decodeText, detectEncoding } from './decode';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const FRENCH = 'Code client;Raison sociale;N° facture;Échéance;Montant TTC\nC001;Société Générale d’Études;FA-1;31/12/2025;1 234,56 €\n';

function decodedOk(bytes: Uint8Array) {
  const result = decodeText(bytes);
  if (!result.ok) throw new Error(`expected text, got ${result.reason} ${result.kind}`);
  return result;
}

describe('decodeText recognises the encodings of real exports', () => {
  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const result = decodedOk(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH, 'utf8')]));
    expect(result).toEqual({ ok: true, text: FRENCH, encoding: 'utf-8' });
  });

  it('reads UTF-8 without a BOM', () => {
    expect(decodedOk(Buffer.from(FRENCH, 'utf8'))).toMatchObject({ text: FRENCH, encoding: 'utf-8' });
  });

  it('reads a Windows-1252 export from Excel, typographic apostrophe included', () => {
    const bytes = iconv.encode(FRENCH, 'windows-1252');
    expect(decodedOk(bytes)).toMatchObject({ text: FRENCH, encoding: 'windows-1252' });
  });

  it('reads ISO-8859-15 when its euro sign and œ are used and no 0x80–0x9F byte appears', () => {
    const text = 'Client;Libellé;Montant\nC1;Cœur de métier;12,50 €\n';
    const bytes = iconv.encode(text, 'iso-8859-15');
    expect(decodedOk(bytes)).toMatchObject({ text, encoding: 'iso-8859-15' });
  });

  it('keeps Windows-1252 for Latin-1 text that uses none of the differing positions', () => {
    const text = 'Client;Libellé\nC1;Café des Amis – ½ tarif\n';
    expect(decodedOk(iconv.encode(text, 'windows-1252'))).toMatchObject({ text, encoding: 'windows-1252' });
  });

  it("reads Excel's Unicode text (UTF-16 LE with BOM, TAB-separated)", () => {
    const text = 'Kundennummer\tFälligkeitsdatum\n10001\t31.12.2025\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodedOk(bytes)).toMatchObject({ text, encoding: 'utf-16le' });
  });

  it('reads the FEC corpus files', () => {
    const withBom = decodedOk(readFileSync(new URL('fec/0000000001FEC20220831.txt', CORPUS)));
    expect(withBom.encoding).toBe('utf-8');
    expect(withBom.text.startsWith('JournalCode\t')).toBe(true);
    expect(withBom.text).toContain('Capital souscrit appelé, versé');
    const pipe = decodedOk(readFileSync(new URL('fec/111111111FEC20221231.TXT', CORPUS)));
    expect(pipe.text.startsWith('JournalCode|')).toBe(true);
  });

  it('reads an empty file as empty text', () => {
    expect(decodeText(new Uint8Array())).toEqual({ ok: true, text: '', encoding: 'utf-8' });
  });
});

describe('decodeText refuses binary files', () => {
  const refusal = (bytes: Uint8Array) => {
    const result = decodeText(bytes);
    return result.ok ? 'text' : `${result.reason}:${result.kind}`;
  };

  it('names the format of a renamed xlsx, PDF, image or executable', () => {
    expect(refusal(Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'))).toBe('binaryFile:zip');
    expect(refusal(readFileSync(new URL('einvoice/facturx-pdf/Facture_FR_BASICWL.pdf', CORPUS)))).toBe('binaryFile:pdf');
    expect(refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('binaryFile:png');
    expect(refusal(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]))).toBe('binaryFile:elf');
    expect(refusal(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('binaryFile:ole2');
  });

  it('refuses NUL bytes and a high share of control characters, tolerates a stray one', () => {
    expect(refusal(Buffer.from('a;b\n1;\x002\n', 'latin1'))).toBe('binaryFile:nulBytes');
    expect(refusal(Buffer.from('a;b\n' + '\x01\x02\x03\x04x'.repeat(20), 'latin1'))).toBe('binaryFile:controlCharacters');
    expect(refusal(Buffer.from('a;b\n' + '1;xy\n'.repeat(100) + '2;x\x1by\n', 'latin1'))).toBe('text');
    expect(refusal(Buffer.from('a;b\r\n1;2\r\n\x1a', 'latin1'))).toBe('text');
  });
});

describe('streaming decoding', () => {
  it('detects from the head and decodes chunks split inside multi-byte characters', () => {
    const bytes = Buffer.from(FRENCH.repeat(50), 'utf8');
    const detection = detectEncoding(bytes.subarray(0, DETECTION_HEAD_BYTES));
    expect(detection).toMatchObject({ ok: true, encoding: 'utf-8', isTentative: false });
    const decoder = createDecoder('utf-8');
    let text = '';
    for (let i = 0; i < bytes.length; i += 7) text += decoder.write(bytes.subarray(i, i + 7));
    expect(text + decoder.end()).toBe(FRENCH.repeat(50));
  });

  it('decides UTF-8 or Windows-1252 at the first accent when the head was plain ASCII', () => {
    const asciiHead = 'number;amount\n' + 'INV-1;12.50\n'.repeat(8000);
    for (const encoding of ['utf8', 'windows-1252'] as const) {
      const bytes = iconv.encode(asciiHead + 'INV-2;Société\n', encoding);
      const detection = detectEncoding(bytes.subarray(0, DETECTION_HEAD_BYTES));
      expect(detection).toMatchObject({ ok: true, isTentative: true });
      if (!detection.ok) return;
      const decoder = createDecoder(detection.encoding, { isTentative: detection.isTentative });
      let text = '';
      for (let i = 0; i < bytes.length; i += 65536) text += decoder.write(bytes.subarray(i, i + 65536));
      expect(text + decoder.end()).toBe(asciiHead + 'INV-2;Société\n');
      expect(decoder.encoding).toBe(encoding === 'utf8' ? 'utf-8' : 'windows-1252');
    }
  });

  it('accepts a UTF-8 character cut at the end of the head', () => {
    const bytes = Buffer.from('a'.repeat(DETECTION_HEAD_BYTES - 1) + 'é', 'utf8');
    expect(detectEncoding(bytes.subarray(0, DETECTION_HEAD_BYTES))).toMatchObject({ ok: true, encoding: 'utf-8' });
  });
});

describe('decodeText properties', () => {
  it('round-trips any text through UTF-8, and never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 300 }), (text, bytes) => {
        const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/^\uFEFF/, '');
        expect(decodeText(Buffer.from(clean, 'utf8'))).toMatchObject({ ok: true, text: clean });
        decodeText(bytes);
      }),
    );
  });
});
