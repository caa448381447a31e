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
import enLedger from './en/ledger.json';
import enImports from './en/imports.json';
import enReports from './en/reports.json';
import frLedger from './fr/ledger.json';
import frImports from './fr/imports.json';
import frReports from './fr/reports.json';
import ptBRLedger from './pt-BR/ledger.json';
import ptBRImports from './pt-BR/imports.json';
import ptBRReports from './pt-BR/reports.json';
import zhCNLedger from './zh-CN/ledger.json';
import zhCNImports from './zh-CN/imports.json';
import zhCNReports from './zh-CN/reports.json';
import csLedger from './cs/ledger.json';
import csImports from './cs/imports.json';
import csReports from './cs/reports.json';
import deLedger from './de/ledger.json';
import deImports from './de/imports.json';
import deReports from './de/reports.json';
import elLedger from './el/ledger.json';
import elImports from './el/imports.json';
import elReports from './el/reports.json';
import esLedger from './es/ledger.json';
import esImports from './es/imports.json';
import esReports from './es/reports.json';
import fiLedger from './fi/ledger.json';
import fiImports from './fi/imports.json';
import fiReports from './fi/reports.json';
import hiLedger from './hi/ledger.json';
import hiImports from './hi/imports.json';
import hiReports from './hi/reports.json';

export const NAMESPACES = ['app', 'errors', 'emails', 'ledger', 'imports', 'reports'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const RESOURCES: Record<Language, Record<Namespace, object>> = {
  en: { app: enApp, errors: enErrors, emails: enEmails, ledger: enLedger, imports: enImports, reports: enReports },
  fr: { app: frApp, errors: frErrors, emails: frEmails, ledger: frLedger, imports: frImports, reports: frReports },
  'pt-BR': { app: ptBRApp, errors: ptBRErrors, emails: ptBREmails, ledger: ptBRLedger, imports: ptBRImports, reports: ptBRReports },
  'zh-CN': { app: zhCNApp, errors: zhCNErrors, emails: zhCNEmails, ledger: zhCNLedger, imports: zhCNImports, reports: zhCNReports },
  cs: { app: csApp, errors: csErrors, emails: csEmails, ledger: csLedger, imports: csImports, reports: csReports },
  de: { app: deApp, errors: deErrors, emails: deEmails, ledger: deLedger, imports: deImports, reports: deReports },
  el: { app: elApp, errors: elErrors, emails: elEmails, ledger: elLedger, imports: elImports, reports: elReports },
  es: { app: esApp, errors: esErrors, emails: esEmails, ledger: esLedger, imports: esImports, reports: esReports },
  fi: { app: fiApp, errors: fiErrors, emails: fiEmails, ledger: fiLedger, imports: fiImports, reports: fiReports },
  hi: { app: hiApp, errors: hiErrors, emails: hiEmails, ledger: hiLedger, imports: hiImports, reports: hiReports },
};
