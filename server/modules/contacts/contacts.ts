import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/database';
import type { ContactsTable } from '../../db/schema';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import type { TenantContext } from '../../http/context';
import { notFound } from '../../http/errors';
import { languageField } from '../../http/fields';
import { audit } from '../audit-log/audit';
import { getCustomer } from '../customers/customers.service';

/** Contacts of a customer: the personal data named in PRODUCT.md (GDPR), with their roles and the dunning contact. */
export const CONTACT_ROLES = ['billing', 'dunning', 'legal'] as const;
const text = (max: number) => z.string().trim().max(max).nullable().optional();
export const contactBody = z.strictObject({
  title: text(20),
  firstName: text(100),
  lastName: text(100),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()).nullable().optional(),
  phone: text(50),
  fax: text(50),
  position: text(100),
  roles: z.array(z.enum(CONTACT_ROLES)).max(3).optional(),
  language: languageField.nullable().optional(),
  isDunningContact: z.boolean().optional(),
});
type ContactBody = z.infer<typeof contactBody>;

export type Contact = {
  id: string; customerId: string; title: string | null; firstName: string | null; lastName: string | null; email: string | null;
  phone: string | null; fax: string | null; position: string | null; roles: string[]; language: string | null; isDunningContact: boolean;
  createdAt: string; updatedAt: string;
};

export function rowToContact(r: ContactsTable): Contact {
  return {
    id: r.id, customerId: r.customer_id, title: r.title, firstName: r.first_name, lastName: r.last_name, email: r.email, phone: r.phone,
    fax: r.fax, position: r.position, roles: JSON.parse(r.roles_json), language: r.language, isDunningContact: !!r.is_dunning_contact,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function contactToRow(tenantId: string, c: Contact): ContactsTable {
  return {
    id: c.id, tenant_id: tenantId, customer_id: c.customerId, title: c.title, first_name: c.firstName, last_name: c.lastName, email: c.email,
    phone: c.phone, fax: c.fax, position: c.position, roles_json: JSON.stringify(c.roles), language: c.language,
    is_dunning_contact: c.isDunningContact ? 1 : 0, created_at: c.createdAt, updated_at: c.updatedAt,
  };
}

export async function listContacts(db: Db, tenantId: string, customerId: string): Promise<Contact[]> {
  const rows = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).orderBy('last_name').orderBy('id').execute();
  return rows.map(rowToContact);
}

async function findContact(db: Db, tenantId: string, customerId: string, id: string) {
  const r = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).where('id', '=', id).executeTakeFirst();
  return r ? rowToContact(r) : undefined;
}

/** One dunning contact per customer: choosing one clears the flag on the others. */
async function clearOtherDunningContacts(db: Db, tenantId: string, customerId: string, keepId: string) {
  await db.updateTable('contacts').set({ is_dunning_contact: 0 }).where('tenant_id', '=', tenantId).where('customer_id', '=', customerId).where('id', '<>', keepId).execute();
}

export async function saveContact(deps: Deps, ctx: TenantContext, customerId: string, body: ContactBody, id?: string): Promise<Contact> {
  await getCustomer(deps, ctx.tenantId, customerId);
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now().toISOString();
    const before = id ? await findContact(trx, ctx.tenantId, customerId, id) : undefined;
    if (id && !before) throw notFound();
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const base: Contact = before ?? {
      id: randomUUID(), customerId, title: null, firstName: null, lastName: null, email: null, phone: null, fax: null, position: null,
      roles: [], language: null, isDunningContact: false, createdAt: at, updatedAt: at,
    };
    const after: Contact = { ...base, ...changes, updatedAt: at } as Contact;
    if (before) {
      const { id: _i, tenant_id: _t, created_at: _c, ...set } = contactToRow(ctx.tenantId, after);
      await trx.updateTable('contacts').set(set).where('tenant_id', '=', ctx.tenantId).where('id', '=', after.id).execute();
    } else {
      await trx.insertInto('contacts').values(contactToRow(ctx.tenantId, after)).execute();
    }
    if (after.isDunningContact) await clearOtherDunningContacts(trx, ctx.tenantId, customerId, after.id);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: before ? 'contact.updated' : 'contact.created', entityType: 'contact', entityId: after.id, before, after });
    return after;
  });
}

export function registerContactRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];
  const customerParam = z.strictObject({ id: z.string().min(1).max(100) });
  const contactParam = z.strictObject({ id: z.string().min(1).max(100), contactId: z.string().min(1).max(100) });
  app.get('/api/v1/customers/:id/contacts', { config: { permission: 'ledger:read' }, schema: { tags, summary: "A customer's contacts", params: customerParam } }, async (req) => {
    await getCustomer(deps, tenantCtx(req).tenantId, req.params.id);
    return { items: await listContacts(deps.db, tenantCtx(req).tenantId, req.params.id), nextCursor: null };
  });
  app.post('/api/v1/customers/:id/contacts', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Add a contact', params: customerParam, body: contactBody } }, async (req, reply) =>
    reply.code(201).send(await saveContact(deps, tenantCtx(req), req.params.id, req.body)),
  );
  app.patch('/api/v1/customers/:id/contacts/:contactId', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Change a contact', params: contactParam, body: contactBody } }, async (req) =>
    saveContact(deps, tenantCtx(req), req.params.id, req.body, req.params.contactId),
  );
  app.delete('/api/v1/customers/:id/contacts/:contactId', { config: { permission: 'ledger:write' }, schema: { tags, summary: 'Delete a contact (erasure)', params: contactParam } }, async (req, reply) => {
    const ctx = tenantCtx(req);
    const before = await findContact(deps.db, ctx.tenantId, req.params.id, req.params.contactId);
    if (!before) throw notFound();
    await deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('contacts').where('tenant_id', '=', ctx.tenantId).where('id', '=', before.id).execute();
      await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'contact.deleted', entityType: 'contact', entityId: before.id, before });
    });
    return reply.code(204).send();
  });
}
