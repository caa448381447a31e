/** The ten interface languages of CONTRACTS.md, with their names written in themselves (for the switcher). */
export const LANGUAGES = ['en', 'fr', 'pt-BR', 'zh-CN', 'cs', 'de', 'el', 'es', 'fi', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  'pt-BR': 'Português (Brasil)',
  'zh-CN': '简体中文',
  cs: 'Čeština',
  de: 'Deutsch',
  el: 'Ελληνικά',
  es: 'Español',
  fi: 'Suomi',
  hi: 'हिन्दी',
};

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the best supported language from an Accept-Language header or a browser list: exact match first
 * ("pt-BR"), then the primary subtag ("pt-PT" → "pt-BR", "zh-TW" → "zh-CN").
 */
export function matchLanguage(candidates: readonly string[]): Language | undefined {
  for (const raw of candidates) {
    const c = raw.trim().toLowerCase();
    if (!c) continue;
    const exact = LANGUAGES.find((l) => l.toLowerCase() === c);
    if (exact) return exact;
    const primary = c.split('-')[0];
    const byPrimary = LANGUAGES.find((l) => l.toLowerCase().split('-')[0] === primary);
    if (byPrimary) return byPrimary;
  }
  return undefined;
}

export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}
