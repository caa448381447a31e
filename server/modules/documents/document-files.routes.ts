import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { AppError, invalidField, notFound } from '../../http/errors';
import { idParam } from '../../http/fields';
import { audit } from '../audit-log/audit';
import { findDocument, updateDocumentFields } from './documents.repository';

/** An invoice's PDF: at most 20 MB, and really a PDF (its first bytes), whatever the name or content type says. */
const MAX_PDF_BYTES = 20 * 1024 * 1024;

function pdfPath(deps: Deps, tenantId: string, documentId: string) {
  return join(deps.config.dataDir, 'files', tenantId, `${documentId}.pdf`);
}

export function registerDocumentFileRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];

  app.put('/api/v1/documents/:id/pdf', { config: { permission: 'ledger:write' }, schema: { tags, summary: "Upload the document's PDF (multipart `file`); replaces the previous one", params: idParam, consumes: ['multipart/form-data'] } }, async (req) => {
    const ctx = tenantCtx(req);
    const doc = await findDocument(deps.db, ctx.tenantId, req.params.id);
    if (!doc) throw notFound();
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    const file = await req.file({ limits: { fileSize: MAX_PDF_BYTES, files: 1 } });
    if (!file) throw invalidField('file', 'required');
    const final = pdfPath(deps, ctx.tenantId, doc.id);
    mkdirSync(join(deps.config.dataDir, 'files', ctx.tenantId), { recursive: true });
    const temp = `${final}.${Date.now()}.part`;
    let head = Buffer.alloc(0);
    file.file.on('data', (c: Buffer) => {
      if (head.length < 5) head = Buffer.concat([head, c]).subarray(0, 5);
    });
    try {
      await pipeline(file.file, createWriteStream(temp));
      if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
      if (head.toString('latin1') !== '%PDF-') throw invalidField('file', 'notAPdf');
      renameSync(temp, final);
    } finally {
      rmSync(temp, { force: true });
    }
    await updateDocumentFields(deps.db, ctx.tenantId, doc.id, { pdf_file: `files/${ctx.tenantId}/${doc.id}.pdf`, updated_at: deps.clock.now().toISOString() });
    await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'document.pdf_uploaded', entityType: 'document', entityId: doc.id, after: { fileName: file.filename } });
    return { id: doc.id, hasPdfFile: true };
  });

  app.get('/api/v1/documents/:id/pdf', { config: { permission: 'ledger:read' }, schema: { tags, summary: "Download the document's uploaded PDF", params: idParam } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    const doc = await findDocument(deps.db, ctx.tenantId, req.params.id);
    const path = doc ? pdfPath(deps, ctx.tenantId, doc.id) : '';
    if (!doc || !existsSync(path)) throw notFound();
    const name = (doc.number ?? doc.id).replace(/[^\w.-]+/g, '_');
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).header('x-content-type-options', 'nosniff').send(createReadStream(path));
  });

  app.delete('/api/v1/documents/:id/pdf', { config: { permission: 'ledger:write' }, schema: { tags, summary: "Delete the document's uploaded PDF", params: idParam } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    const doc = await findDocument(deps.db, ctx.tenantId, req.params.id);
    if (!doc) throw notFound();
    rmSync(pdfPath(deps, ctx.tenantId, doc.id), { force: true });
    await updateDocumentFields(deps.db, ctx.tenantId, doc.id, { pdf_file: null, updated_at: deps.clock.now().toISOString() });
    await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'document.pdf_deleted', entityType: 'document', entityId: doc.id });
    return reply.code(204).send();
  });
}
