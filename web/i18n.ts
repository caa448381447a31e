import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, matchLanguage, type Language } from '../common/languages';
import { NAMESPACES, RESOURCES } from '../common/locales/catalogue';

const STORAGE_KEY = 'dso.language';

/** The chosen language, else the browser's, else English. */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return matchLanguage([stored ?? '', ...navigator.languages]) ?? 'en';
}

export function rememberLanguage(lang: Language) {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

void i18next.use(initReactI18next).init({
  resources: RESOURCES as Record<string, Record<string, object>>,
  supportedLngs: [...LANGUAGES],
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: [...NAMESPACES],
  defaultNS: 'app',
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export default i18next;
