import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { isLanguage, type Language } from '../../../common/languages';
import type { Deps } from '../../deps';
import type { RequestContext, TenantContext } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { translate } from '../../i18n/i18n';
import { columnLetters, readTableFromFile, TableReadError } from '../../imports/read-table';
import { MAX_CELL_CHARS, MAX_COLUMNS } from '../../imports/read-table-source';
import { MAX_SUPPORTED_DATE, MIN_SUPPORTED_DATE } from '../../domain/calendar';
import { audit } from '../audit-log/audit';
import { companyToday, getCompany } from '../companies/companies.service';
import { ImportFileError, MAX_REPORTED_ERRORS, resolveMapping, validatePass } from './import-validate';
import { writePass } from './import-write';
import { maintainAfterBulkWrite } from '../../db/dialect';
import { claimJob, exhaustedJobs, failExhausted, finishJob, findJob, findSavedMapping, HEARTBEAT_MS, insertJob, MAX_ATTEMPTS, renewLease, saveMapping, setProgress, type ImportJob } from './imports.repository';
import type { ImportOptions } from './imports.schemas';

export type ImportSummary = {
  created: number;
  updated: number;
  unchanged: number;
  closed: number;
  rejected: number;
  customers: { created: number; updated: number };
  errors: { row: number; column: string; header: string; value: string; message: string }[];
  /** Errors beyond the first MAX_REPORTED_ERRORS are counted, not listed. */
  errorCount: number;
  isWritten: boolean;
  rowsTotal: number;
  headers: string[];
  mapping: Record<string, string>;
  formats: { decimalSeparator: string; dateOrder: string; delimiter?: string; encoding?: string; sheet?: string; sheets?: string[] };
  fileError?: { code: string; message: string };
};

const emptySummary = (): ImportSummary => ({
  created: 0, updated: 0, unchanged: 0, closed: 0, rejected: 0, customers: { created: 0, updated: 0 }, errors: [], errorCount: 0, isWritten: false,
  rowsTotal: 0, headers: [], mapping: {}, formats: { decimalSeparator: '.', dateOrder: 'DMY' },
});

/** Stores an uploaded file under DATA_DIR/imports while hashing it, and queues its import. */
export async function acceptImport(deps: Deps, ctx: TenantContext, file: { stream: Readable; fileName: string }, options: ImportOptions, language: Language): Promise<ImportJob> {
  const id = randomUUID();
  const dir = join(deps.config.dataDir, 'imports', ctx.tenantId);
  mkdirSync(dir, { recursive: true });
  const safeName = file.fileName.replace(/[^\w.\- ]+/g, '_').slice(-100) || 'upload';
  const path = join(dir, `${id}-${safeName}`);
  const hash = createHash('sha256');
  let bytes = 0;
  file.stream.on('data', (c: Buffer) => {
    hash.update(c);
    bytes += c.length;
  });
  await pipeline(file.stream, createWriteStream(path));
  // @fastify/multipart stops at the size limit and marks the stream truncated: refuse, keep nothing.
  if ((file.stream as Readable & { truncated?: boolean }).truncated) {
    rmSync(path, { force: true });
    throw new AppError('PAYLOAD_TOO_LARGE');
  }
  return queueImport(deps, ctx, { fileName: file.fileName, filePath: path, fileSha256: hash.digest('hex'), fileBytes: bytes }, options, language);
}

export async function queueImport(deps: Deps, ctx: RequestContext & { tenantId: string }, file: { fileName: string; filePath: string; fileSha256: string | null; fileBytes: number | null }, options: ImportOptions, language: Language): Promise<ImportJob> {
  const job: ImportJob = {
    id: randomUUID(), source: options.source, mode: options.mode, ...file, options: { ...options, language }, isDryRun: options.dryRun, status: 'queued',
    rowsTotal: 0, rowsDone: 0, summary: null, error: null, createdBy: ctx.actor.type === 'user' ? ctx.actor.userId : ctx.actor.type === 'api_key' ? ctx.actor.apiKeyId : null,
    createdByLabel: ctx.actor.type === 'user' ? ctx.actor.email : ctx.actor.type === 'api_key' ? ctx.actor.name : ctx.actor.label,
    createdAt: deps.clock.now().toISOString(), startedAt: null, finishedAt: null,
  };
  await insertJob(deps.db, ctx.tenantId, job);
  return job;
}

/** A new job on the file of an earlier one (the preview's file, with the mapping the user corrected). */
export async function rerunImport(deps: Deps, ctx: TenantContext, id: string, options: ImportOptions, language: Language) {
  const prior = await findJob(deps.db, ctx.tenantId, id);
  if (!prior || !prior.filePath) throw notFound();
  return queueImport(deps, ctx, { fileName: prior.fileName, filePath: prior.filePath, fileSha256: prior.fileSha256, fileBytes: prior.fileBytes }, options, language);
}

/**
 * Runs a claimed job: validate everything (pass 1), then — unless it is a preview, or rows are invalid and the user
 * did not choose to skip them — write everything in one transaction (pass 2). One audit entry per import.
 */
export async function runImportJob(deps: Deps, tenantId: string, jobId: string): Promise<ImportSummary> {
  if (!(await claimJob(deps.db, jobId, deps.clock.now().toISOString()))) throw new Error(`import ${jobId} is not queued`);
  const job = (await findJob(deps.db, tenantId, jobId))!;
  const opts = job.options as unknown as ImportOptions & { language: string };
  const lang: Language = isLanguage(opts.language) ? opts.language : 'en';
  const summary = emptySummary();
  let total = 0;
  // The lease says this process is alive: renewed while the job runs, so no other process takes it. On SQLite the
  // renewal waits behind our own write transaction, during which no other process can claim anything anyway.
  let renewing = false;
  const heartbeat = setInterval(() => {
    if (renewing) return;
    renewing = true;
    renewLease(deps.db, job.id, deps.clock.now().toISOString()).catch(() => undefined).finally(() => (renewing = false));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // While validating, the total is not known yet: rowsTotal follows rowsDone. While writing, it is pass 1's count.
  // On SQLite the row's update waits for the import's own write transaction (pass 2), so this process serves the
  // figures it holds (liveProgress) and keeps at most one update of the row in flight instead of queueing hundreds.
  let inFlight = false;
  const progress = (done: number) => {
    live.set(job.id, { rowsDone: done, rowsTotal: Math.max(done, total) });
    if (inFlight) return;
    inFlight = true;
    const latest = live.get(job.id)!;
    setProgress(deps.db, job.id, latest.rowsDone, latest.rowsTotal)
      .catch(() => undefined)
      .finally(() => (inFlight = false));
  };
  try {
    const open = () => readTableFromFile(job.filePath!, { fileName: job.fileName, sheet: opts.sheet });
    const table = await open();
    summary.headers = table.header;
    summary.formats = { ...summary.formats, delimiter: table.delimiter, sheet: table.sheet, sheets: table.sheets };
    const saved = await findSavedMapping(deps.db, tenantId, job.source);
    let mapping;
    try {
      mapping = resolveMapping(table.header, saved, opts.mapping);
    } catch (e) {
      await table.close();
      throw e;
    }
    summary.mapping = mapping as Record<string, string>;
    const formats = { numberFormat: opts.numberFormat, dateFormat: opts.dateFormat };
    const v = await validatePass(deps.db, tenantId, { table, mapping, formats, source: job.source, mode: job.mode }, progress);
    total = v.rowsTotal;
    summary.formats = { ...summary.formats, decimalSeparator: v.formats.number.decimalSeparator, dateOrder: v.formats.date, encoding: table.encoding?.() };
    Object.assign(summary, v.counts, { closed: v.closed, rejected: v.rejected.size, customers: v.customerCounts, rowsTotal: v.rowsTotal, errorCount: v.problemCount });
    summary.errors = v.problems.slice(0, MAX_REPORTED_ERRORS).map((p) => ({ row: p.row, column: p.column, header: p.header, value: p.value, message: translate(lang, `imports:rowErrors.${p.messageKey}`, { min: MIN_SUPPORTED_DATE, max: MAX_SUPPORTED_DATE }) }));
    const mayWrite = !job.isDryRun && (v.rejected.size === 0 || opts.skipInvalid);
    // Only a snapshot needs the file's identities after pass 1 (to close what it no longer lists): a million keys.
    if (job.mode !== 'snapshot') v.identities.clear();
    if (mayWrite) {
      const company = await getCompany(deps.db, tenantId);
      const today = await companyToday(deps.db, deps.clock, tenantId);
      const now = deps.clock.now().toISOString();
      const written = await deps.db.transaction().execute(async (trx) => {
        const w = await writePass(trx, { engine: deps.engine, tenantId, importId: job.id, source: job.source, today, now, companyTermsDays: company.paymentTermsDays, actorId: job.createdBy }, { table: await open(), mapping, formats, mode: job.mode, rejected: v.rejected, identities: v.identities, isNew: v.isNew, schedules: v.schedules }, progress);
        await saveMapping(trx, tenantId, job.source, mapping as Record<string, string>, now);
        // Committed with the data: a long SQLite transaction (no renewal visible meanwhile) ends with a fresh lease.
        await renewLease(trx, job.id, deps.clock.now().toISOString());
        const actor: RequestContext = { actor: { type: 'system', label: job.createdByLabel ?? 'import' }, tenantId, role: null, ip: '' };
        const { errors: _e, headers: _h, ...counts } = summary;
        await audit(trx, deps.clock, { ...actor, actor: job.createdBy ? { type: 'user', userId: job.createdBy, sessionId: '', email: job.createdByLabel ?? '' } : actor.actor }, tenantId, {
          action: 'import.completed', entityType: 'import', entityId: job.id, after: { fileName: job.fileName, source: job.source, mode: job.mode, ...counts, closed: w.closed },
        });
        return w;
      });
      summary.closed = written.closed;
      summary.isWritten = true;
      await maintainAfterBulkWrite(deps.db, deps.engine, written.written).catch((err) => console.warn('vacuum after import failed', err));
    }
    const ok = job.isDryRun || summary.isWritten;
    await finishJob(deps.db, job.id, ok ? 'succeeded' : 'failed', summary, ok ? null : 'invalidRows', deps.clock.now().toISOString());
    await setProgress(deps.db, job.id, total, total);
    return summary;
  } catch (err) {
    const code = err instanceof TableReadError ? err.reason : err instanceof ImportFileError ? err.key : 'internal';
    const params = err instanceof ImportFileError ? err.params : err instanceof TableReadError ? { line: err.details.line ?? '', sheets: err.details.availableSheets?.join(', ') ?? '', column: err.details.column ? `${columnLetters(err.details.column)} (${err.details.column})` : '', columns: err.details.columns ?? '', maxColumns: MAX_COLUMNS, maxChars: MAX_CELL_CHARS, part: err.details.part ?? '' } : {};
    if (code === 'internal') console.error(err);
    summary.fileError = { code, message: translate(lang, `imports:fileErrors.${code}`, params) };
    await finishJob(deps.db, job.id, 'failed', summary, code, deps.clock.now().toISOString());
    return summary;
  } finally {
    clearInterval(heartbeat);
    live.delete(job.id);
  }
}

/** Fails, with their reason in the user's language, the jobs whose process died on each of their attempts. */
export async function failExhaustedJobs(deps: Deps): Promise<number> {
  const at = deps.clock.now().toISOString();
  let failed = 0;
  for (const j of await exhaustedJobs(deps.db, at)) {
    const language = (JSON.parse(j.options_json) as { language?: string }).language;
    const lang: Language = language && isLanguage(language) ? language : 'en';
    const summary = { ...emptySummary(), fileError: { code: 'interrupted', message: translate(lang, 'imports:fileErrors.interrupted', { attempts: MAX_ATTEMPTS }) } };
    if (await failExhausted(deps.db, j.id, summary, at)) failed += 1;
  }
  return failed;
}

/** Progress of the imports this process is running, fresher than their rows while a write transaction holds them. */
const live = new Map<string, { rowsDone: number; rowsTotal: number }>();

/** The API shape of CONTRACTS.md: `{ id, status, progress: { rowsDone, rowsTotal }, summary }`, plus history fields. */
export function presentJob(j: ImportJob) {
  const { language: _l, ...options } = j.options as Record<string, unknown>;
  return {
    id: j.id, status: j.status, progress: (j.status === 'running' && live.get(j.id)) || { rowsDone: j.rowsDone, rowsTotal: j.rowsTotal }, summary: j.summary,
    fileName: j.fileName, fileBytes: j.fileBytes, source: j.source, mode: j.mode, isDryRun: j.isDryRun, options,
    createdBy: j.createdByLabel, createdAt: j.createdAt, startedAt: j.startedAt, finishedAt: j.finishedAt,
  };
}
