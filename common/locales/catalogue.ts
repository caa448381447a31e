import type { Language } from '../languages';

/**
 * The one message catalogue of the server and the web app: common/locales/<language>/<namespace>.json.
 * Loaded eagerly with import.meta.glob-free static imports so that both Vite and tsx resolve them.
 */
import enApp from './en/app.json';
import enErrors from './en/errors.json';
import enEmails from './en/emails.json';
import frApp from './fr/app.json';
import frErrors from './fr/errors.json';
import frEmails from './fr/emails.json';
import ptBRApp from './pt-BR/app.json';
import ptBRErrors from './pt-BR/errors.json';
import ptBREmails from './pt-BR/emails.json';
import zhCNApp from './zh-CN/app.json';
import zhCNErrors from './zh-CN/errors.json';
import zhCNEmails from './zh-CN/emails.json';
import csApp from './cs/app.json';
import csErrors from './cs/errors.json';
import csEmails from './cs/emails.json';
import deApp from './de/app.json';
import deErrors from './de/errors.json';
import deEmails from './de/emails.json';
import elApp from './el/app.json';
import elErrors from './el/errors.json';
import elEmails from './el/emails.json';
import esApp from './es/app.json';
import esErrors from './es/errors.json';
import esEmails from './es/emails.json';
import fiApp from './fi/app.json';
import fiErrors from './fi/errors.json';
import fiEmails from './fi/emails.json';
import hiApp from './hi/app.json';
import hiErrors from './hi/errors.json';
import hiEmails from './hi/emails.json';

export const NAMESPACES = ['app', 'errors', 'emails'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const RESOURCES: Record<Language, Record<Namespace, object>> = {
  en: { app: enApp, errors: enErrors, emails: enEmails },
  fr: { app: frApp, errors: frErrors, emails: frEmails },
  'pt-BR': { app: ptBRApp, errors: ptBRErrors, emails: ptBREmails },
  'zh-CN': { app: zhCNApp, errors: zhCNErrors, emails: zhCNEmails },
  cs: { app: csApp, errors: csErrors, emails: csEmails },
  de: { app: deApp, errors: deErrors, emails: deEmails },
  el: { app: elApp, errors: elErrors, emails: elEmails },
  es: { app: esApp, errors: esErrors, emails: esEmails },
  fi: { app: fiApp, errors: fiErrors, emails: fiEmails },
  hi: { app: hiApp, errors: hiErrors, emails: hiEmails },
};
