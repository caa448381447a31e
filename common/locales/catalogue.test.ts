import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../languages';
import { NAMESPACES, RESOURCES } from './catalogue';

function flatten(obj: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v, key));
    else out[key] = String(v);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the message catalogue in ten languages', () => {
  for (const ns of NAMESPACES) {
    const en = flatten(RESOURCES.en[ns]);
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      it(`${lang}/${ns}.json has every key and placeholder of English, and is really translated`, () => {
        const other = flatten(RESOURCES[lang][ns]);
        expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
        for (const key of Object.keys(en)) {
          expect(placeholders(other[key]), `${lang} ${ns}:${key}`).toEqual(placeholders(en[key]));
          expect(other[key].trim(), `${lang} ${ns}:${key} is empty`).not.toBe('');
        }
        // Product names and codes may stay as they are; most strings must not.
        const same = Object.keys(en).filter((k) => other[k] === en[k] && en[k].length > 3);
        if (Object.keys(en).length) expect(same.length / Object.keys(en).length, `${lang}/${ns} identical to English: ${same.join(', ')}`).toBeLessThan(0.1);
      });
    }
  }
});
