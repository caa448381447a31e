import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps';
import { getAging } from '../reports/reports.service';
import { tenantCtx } from '../../http/auth';
import { idParam } from '../../http/fields';
import { createCustomerBody, customerListQuery, updateCustomerBody } from './customers.schemas';
import { createCustomer, getCustomerDetail, listCustomerPage, removeCustomer, updateCustomer } from './customers.service';

export function registerCustomerRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['customers'];
  app.get('/api/v1/customers', { config: { permission: 'ledger:read' }, schema: { tags, summary: 'Customers with their balances per currency (search, filters, sort, pages)', querystring: customerListQuery } }, async (req) =>
    listCustomerPage(deps, tenantCtx(req).tenantId, req.query),
  );
  app.post('/api/v1/customers', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Create a customer (debtor account)', body: createCustomerBody } }, async (req, reply) => {
    const c = await createCustomer(deps, tenantCtx(req), req.body);
    return reply.code(201).send(await getCustomerDetail(deps, tenantCtx(req).tenantId, c.id));
  });
  app.get('/api/v1/customers/:id', { config: { permission: 'ledger:read' }, schema: { tags, summary: 'A customer with open and overdue totals per currency', params: idParam } }, async (req) =>
    getCustomerDetail(deps, tenantCtx(req).tenantId, req.params.id),
  );
  // The customer page's aging, for every role that sees the ledger (the reports themselves need reports:read).
  app.get('/api/v1/customers/:id/aging', { config: { permission: 'ledger:read' }, schema: { tags, summary: "The customer's aging today, in the company's buckets, per currency (the shape of GET /reports/aging)", params: idParam } }, async (req) =>
    getAging(deps, tenantCtx(req).tenantId, { customerId: req.params.id }),
  );
  app.patch('/api/v1/customers/:id', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Change a customer', params: idParam, body: updateCustomerBody } }, async (req) => {
    await updateCustomer(deps, tenantCtx(req), req.params.id, req.body);
    return getCustomerDetail(deps, tenantCtx(req).tenantId, req.params.id);
  });
  app.delete('/api/v1/customers/:id', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Delete a customer with its contacts and documents', params: idParam } }, async (req, reply) => {
    await removeCustomer(deps, tenantCtx(req), req.params.id);
    return reply.code(204).send();
  });
}
