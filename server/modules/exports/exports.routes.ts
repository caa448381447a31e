import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { formatMinorAsDecimalString } from '../../domain/money';
import { AppError, invalidField } from '../../http/errors';
import { audit } from '../audit-log/audit';
import { companyToday, getCompany } from '../companies/companies.service';
import { customerListQuery } from '../customers/customers.schemas';
import { listCustomerPage } from '../customers/customers.service';
import { documentListQuery } from '../documents/documents.schemas';
import { listDocumentPage } from '../documents/documents.service';
import { companyXlsxStream, companyZipStream } from './company-export';
import { importCompanyArchive } from './company-import';
import { columnCell, writeSheet, type Column } from './spreadsheet';
import { PassThrough } from 'node:stream';

const formatParam = z.strictObject({ format: z.enum(['csv', 'xlsx']) });
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** Every page of a list, with the list's own filters and order (the export is what the user sees, in full). */
async function* allPages<T>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  let cursor: string | undefined;
  do {
    const p = await fetch(cursor);
    yield p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
}

/** The first page, then the rest of the same iterator. */
async function* withFirst<T>(first: T[], rest: AsyncIterator<T[]> | undefined) {
  yield first;
  if (!rest) return;
  for (;;) {
    const n = await rest.next();
    if (n.done) return;
    yield n.value;
  }
}

/**
 * A list as a CSV or XLSX download. Issue 10: the sheet was written by a promise nobody awaited, so any error in it
 * (PostgreSQL refusing a filter, an amount that cannot be written) was an unhandled rejection that ended the process.
 * Now the first page is read and rendered before answering, so such errors get a normal error answer; an error on a
 * later page, when the status line is already sent, is logged and ends this response only (the stream is
 * destroyed: the client sees an incomplete download, never a complete-looking truncated file).
 */
async function sendSheet<T>(req: FastifyRequest, reply: FastifyReply, format: 'csv' | 'xlsx', name: string, columns: Column<T>[], fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const pages = allPages(fetch);
  const first = await pages.next();
  const firstRows = first.done ? [] : first.value;
  for (const row of firstRows) for (const c of columns) columnCell(c, row, format);
  const out = new PassThrough();
  writeSheet(out, format, name, columns, withFirst(firstRows, first.done ? undefined : pages)).catch((err: unknown) => {
    req.log.error({ err }, 'export failed while streaming: response aborted');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply.type(CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${name}.${format}"`).send(out);
}

type CustomerRow = Awaited<ReturnType<typeof listCustomerPage>>['items'][number];
type DocumentRow = Awaited<ReturnType<typeof listDocumentPage>>['items'][number];

const customerColumns: Column<CustomerRow>[] = [
  { header: 'code', value: (c) => c.code }, { header: 'name', value: (c) => c.name }, { header: 'legalId', value: (c) => c.legalId },
  { header: 'vatId', value: (c) => c.vatId }, { header: 'country', value: (c) => c.country }, { header: 'language', value: (c) => c.language },
  { header: 'segment', value: (c) => c.segment }, { header: 'status', value: (c) => c.status },
  // Several currencies in one cell: text, with each amount written exactly in its currency's decimals.
  { header: 'balances', value: (c) => c.balances.map((b) => `${b.currency} open ${formatMinorAsDecimalString(b.openMinor, b.currency)} overdue ${formatMinorAsDecimalString(b.overdueMinor, b.currency)}`).join('; ') },
];
const documentColumns: Column<DocumentRow>[] = [
  { header: 'customerCode', value: (d) => d.customerCode }, { header: 'customerName', value: (d) => d.customerName }, { header: 'documentType', value: (d) => d.type },
  { header: 'number', value: (d) => d.number }, { header: 'issuedOn', date: (d) => d.issuedOn }, { header: 'dueOn', date: (d) => d.dueOn },
  { header: 'currency', value: (d) => d.currency }, { header: 'amount', money: (d) => ({ minor: d.amountMinor, currency: d.currency }) },
  { header: 'openAmount', money: (d) => ({ minor: d.openMinor, currency: d.currency }) }, { header: 'status', value: (d) => d.status }, { header: 'reference', value: (d) => d.reference },
];

export function registerExportRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];

  app.get('/api/v1/exports/customers.:format', { config: { permission: 'exports:run' }, schema: { tags, summary: 'The customer list with its current filters, as CSV or XLSX', params: formatParam, querystring: customerListQuery } }, async (req, reply) => {
    const tenantId = tenantCtx(req).tenantId;
    return sendSheet(req, reply, req.params.format, 'customers', customerColumns, (cursor) => listCustomerPage(deps, tenantId, { ...req.query, limit: 500, cursor }));
  });

  app.get('/api/v1/exports/documents.:format', { config: { permission: 'exports:run' }, schema: { tags, summary: 'The document list with its current filters, as CSV or XLSX', params: formatParam, querystring: documentListQuery } }, async (req, reply) => {
    const tenantId = tenantCtx(req).tenantId;
    return sendSheet(req, reply, req.params.format, 'documents', documentColumns, (cursor) => listDocumentPage(deps, tenantId, { ...req.query, limit: 500, cursor }));
  });

  app.get('/api/v1/exports/company.:kind', { config: { permission: 'exports:run' }, schema: { tags, summary: 'Everything the company owns: a ZIP of JSON files (re-importable) or one XLSX workbook', params: z.strictObject({ kind: z.enum(['zip', 'xlsx']) }) } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    const company = await getCompany(deps.db, ctx.tenantId);
    await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'company.exported', entityType: 'company', entityId: ctx.tenantId, after: { kind: req.params.kind } });
    const name = `${company.slug}-${await companyToday(deps.db, deps.clock, ctx.tenantId)}.${req.params.kind}`;
    const stream = req.params.kind === 'zip' ? companyZipStream(deps.db, ctx.tenantId, deps.clock.now().toISOString(), deps.config.dataDir) : companyXlsxStream(deps.db, ctx.tenantId);
    return reply.type(req.params.kind === 'zip' ? 'application/zip' : CONTENT_TYPES.xlsx).header('content-disposition', `attachment; filename="${name}"`).send(stream);
  });

  // Owners and admins of a company (company:update), as people: the caller becomes the new company's owner (issue 10:
  // any logged-in user, even one with no company, could create companies from any archive).
  app.post('/api/v1/exports/company-import', { config: { permission: 'company:update' }, schema: { tags, summary: 'Recreate an exported company (ZIP) as a new company owned by the caller (multipart: `file`, `name`)', consumes: ['multipart/form-data'] } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
    const userId = ctx.actor.userId;
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    let name = '';
    let path: string | undefined;
    try {
      for await (const part of req.parts({ limits: { fileSize: 2 * 1024 * 1024 * 1024, files: 1 } })) {
        if (part.type === 'field' && part.fieldname === 'name') name = String(part.value).trim().slice(0, 200);
        else if (part.type === 'file') {
          const dir = join(deps.config.dataDir, 'tmp');
          mkdirSync(dir, { recursive: true });
          path = join(dir, `${randomUUID()}.zip`);
          await pipeline(part.file, createWriteStream(path));
        }
      }
      if (!path) throw invalidField('file', 'required');
      if (!name) throw invalidField('name', 'required');
      return reply.code(201).send(await importCompanyArchive(deps, path, { name, ownerUserId: userId }, ctx));
    } finally {
      if (path) rmSync(path, { force: true });
    }
  });
}
