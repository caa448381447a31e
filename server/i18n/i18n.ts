import i18next, { type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../../common/languages';
import { NAMESPACES, RESOURCES } from '../../common/locales/catalogue';

// One shared, fully loaded instance: server messages (errors, emails) come from the same catalogue as the web app.
const instance = i18next.createInstance();
void instance.init({
  resources: RESOURCES as Record<string, Record<string, object>>,
  supportedLngs: [...LANGUAGES],
  fallbackLng: 'en',
  ns: [...NAMESPACES],
  defaultNS: 'errors',
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export function translator(language: Language): TFunction {
  return instance.getFixedT(language);
}

export function translate(language: Language, key: string, params?: Record<string, unknown>): string {
  return instance.getFixedT(language)(key, params ?? {}) as string;
}
