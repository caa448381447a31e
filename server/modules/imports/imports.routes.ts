import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import type { ImportWorker } from '../../jobs/import-worker';
import { tenantCtx } from '../../http/auth';
import { requestLanguage } from '../../http/error-handler';
import { AppError, invalidField, notFound } from '../../http/errors';
import { idParam, listQuery } from '../../http/fields';
import { cursorOffset, page } from '../../http/pagination';
import { findJob, findSavedMapping, listJobs } from './imports.repository';
import { importOptions } from './imports.schemas';
import { acceptImport, presentJob, rerunImport } from './imports.service';

/** The documented maximum upload: 250 MB (CSV or XLSX; about 2 million rows of a typical export). */
export const MAX_IMPORT_BYTES = 250 * 1024 * 1024;

function parseOptions(raw: unknown) {
  let json: unknown = {};
  if (typeof raw === 'string' && raw.trim()) {
    try {
      json = JSON.parse(raw);
    } catch {
      throw invalidField('options', 'invalidFormat');
    }
  }
  const r = importOptions.safeParse(json);
  if (!r.success) {
    throw new AppError('VALIDATION_FAILED', {}, r.error.issues.map((i) => ({ path: ['options', ...i.path].join('.'), key: i.code === 'unrecognized_keys' ? 'unknownField' : 'invalidValue', params: { field: (i as { keys?: string[] }).keys?.join(', ') } })));
  }
  return r.data;
}

export function registerImportRoutes(root: FastifyInstance, deps: Deps, worker: ImportWorker) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['imports'];

  app.post('/api/v1/imports', {
    config: { permission: 'imports:run' },
    schema: { tags, summary: 'Upload a CSV or XLSX file to import (multipart: `file`, and `options` as JSON: mode, source, mapping, sheet, dryRun, skipInvalid); answers 202 and imports in the background', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const ctx = tenantCtx(req);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    let optionsRaw: unknown;
    let job;
    for await (const part of req.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } })) {
      if (part.type === 'field' && part.fieldname === 'options') optionsRaw = part.value;
      else if (part.type === 'file' && part.fieldname === 'file') {
        // Options come before the file in the form (the web app and the docs send them so); parse them first.
        const options = parseOptions(optionsRaw);
        job = await acceptImport(deps, ctx, { stream: part.file, fileName: part.filename || 'upload.csv' }, options, requestLanguage(req));
      } else if (part.type === 'file') part.file.resume();
    }
    if (!job) throw invalidField('file', 'required');
    worker.kick();
    return reply.code(202).send({ id: job.id, status: job.status });
  });

  app.get('/api/v1/imports', { config: { permission: 'imports:run' }, schema: { tags, summary: 'Import history (who, when, file, mode, counts, errors)', querystring: listQuery.strict() } }, async (req) => {
    const offset = cursorOffset(req.query.cursor);
    const rows = await listJobs(deps.db, tenantCtx(req).tenantId, req.query.limit + 1, offset);
    const p = page(rows, req.query.limit, offset);
    return { ...p, items: p.items.map((j) => ({ ...presentJob(j), summary: j.summary ? { ...(j.summary as object), errors: undefined } : null })) };
  });

  app.get('/api/v1/imports/:id', { config: { permission: 'imports:run' }, schema: { tags, summary: 'An import: status, progress, summary with row errors', params: idParam } }, async (req) => {
    const job = await findJob(deps.db, tenantCtx(req).tenantId, req.params.id);
    if (!job) throw notFound();
    return presentJob(job);
  });

  app.post('/api/v1/imports/:id/run', { config: { permission: 'imports:run' }, schema: { tags, summary: 'Import the file of an earlier import again with new options (after a preview)', params: idParam, body: importOptions } }, async (req, reply) => {
    const job = await rerunImport(deps, tenantCtx(req), req.params.id, req.body, requestLanguage(req));
    worker.kick();
    return reply.code(202).send({ id: job.id, status: job.status });
  });

  app.get('/api/v1/imports/mappings/:source', { config: { permission: 'imports:run' }, schema: { tags, summary: 'The mapping saved for a source', params: z.strictObject({ source: z.string().min(1).max(50) }) } }, async (req) => ({
    source: req.params.source,
    mapping: (await findSavedMapping(deps.db, tenantCtx(req).tenantId, req.params.source)) ?? null,
  }));
}
