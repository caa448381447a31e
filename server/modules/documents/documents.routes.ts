import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { idParam, isoDateField } from '../../http/fields';
import { autoAllocateCustomer, createAllocation, createAllocationBody, reverseAllocation } from '../allocations/allocations.service';
import { audit } from '../audit-log/audit';
import { getCustomer } from '../customers/customers.service';
import { createDocumentBody, documentListQuery, updateDocumentBody } from './documents.schemas';
import { createDocument, getDocumentDetail, listDocumentPage, removeDocument, updateDocument } from './documents.service';

export function registerDocumentRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];
  app.get('/api/v1/documents', { config: { permission: 'ledger:read' }, schema: { tags, summary: 'Invoices, credit notes, payments and adjustments (filters, sort, pages)', querystring: documentListQuery } }, async (req) =>
    listDocumentPage(deps, tenantCtx(req).tenantId, req.query, tenantCtx(req).companyTimeZone),
  );
  app.post('/api/v1/documents', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Create a document; a payment or credit note may settle an invoice at once', body: createDocumentBody } }, async (req, reply) =>
    reply.code(201).send(await createDocument(deps, tenantCtx(req), req.body)),
  );
  app.get('/api/v1/documents/:id', { config: { permission: 'ledger:read' }, schema: { tags, summary: 'A document with its allocations', params: idParam } }, async (req) =>
    getDocumentDetail(deps, tenantCtx(req).tenantId, req.params.id),
  );
  app.patch('/api/v1/documents/:id', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Change due date, reference or PDF link; cancel or write off an invoice', params: idParam, body: updateDocumentBody } }, async (req) =>
    updateDocument(deps, tenantCtx(req), req.params.id, req.body),
  );
  app.delete('/api/v1/documents/:id', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Delete a document and its allocations', params: idParam } }, async (req, reply) => {
    await removeDocument(deps, tenantCtx(req), req.params.id);
    return reply.code(204).send();
  });

  const atags = ['allocations'];
  app.post('/api/v1/allocations', { config: { permission: 'ledger:write' }, schema: { tags: atags, summary: 'Allocate a payment or credit note to an invoice', body: createAllocationBody } }, async (req, reply) =>
    reply.code(201).send(await createAllocation(deps, tenantCtx(req), req.body)),
  );
  app.post('/api/v1/allocations/:id/reverse', { config: { permission: 'ledger:write' }, schema: { tags: atags, summary: 'Reverse an allocation with a dated negative allocation', params: idParam, body: z.strictObject({ reversedOn: isoDateField.optional() }) } }, async (req, reply) =>
    reply.code(201).send(await reverseAllocation(deps, tenantCtx(req), req.params.id, req.body.reversedOn)),
  );
  app.post('/api/v1/customers/:id/auto-allocate', { config: { permission: 'ledger:write' }, schema: { tags: atags, summary: "Apply the automatic allocation rule to the customer's unallocated credits", params: idParam } }, async (req) => {
    const ctx = tenantCtx(req);
    await getCustomer(deps, ctx.tenantId, req.params.id);
    const made = await deps.db.transaction().execute(async (trx) => {
      const allocations = await autoAllocateCustomer(trx, deps, ctx, req.params.id);
      if (allocations.length) await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'allocation.auto', entityType: 'customer', entityId: req.params.id, after: { count: allocations.length } });
      return allocations;
    });
    return { items: made, nextCursor: null };
  });
}
