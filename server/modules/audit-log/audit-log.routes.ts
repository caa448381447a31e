import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { decodeCursor, encodeCursor, listQuery } from '../../http/fields';
import { maskSecrets } from '../../mail/mask-secrets';
import { grantableRoles } from '../users/users.service';
import { listAuditEntries } from './audit-log.repository';

const auditQuery = listQuery.extend({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
}).strict();
const cursorShape = z.object({ at: z.string(), id: z.string() });

export function registerAuditLogRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/audit-log', { config: { permission: 'audit:read' }, schema: { tags: ['audit-log'], summary: 'Who changed what, when, from where (newest first)', querystring: auditQuery } }, async (req) => {
    const q = req.query;
    const items = await listAuditEntries(deps.db, tenantCtx(req).tenantId, {
      entityType: q.entityType,
      entityId: q.entityId,
      action: q.action,
      actorId: q.actorId,
      fromAt: q.from,
      toAt: q.to,
      limit: q.limit + 1,
      after: decodeCursor(q.cursor, cursorShape),
    });
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
  });

  app.get('/api/v1/outbox', { config: { permission: 'users:manage' }, schema: { tags: ['audit-log'], summary: "Emails the company sent or holds in the in-app outbox (links' secrets masked)", querystring: listQuery.strict() } }, async (req) => {
    const ctx = tenantCtx(req);
    const rows = await deps.db
      .selectFrom('outbox')
      .select(['id', 'to_address', 'subject', 'body_text', 'kind', 'status', 'created_at', 'sent_at'])
      .where('tenant_id', '=', ctx.tenantId)
      // An invitation for a role the reader may not grant (an owner invitation, for an admin) is not theirs to see.
      .where((eb) => eb.or([eb('grants_role', 'is', null), eb('grants_role', 'in', grantableRoles(ctx.role))]))
      .orderBy('created_at', 'desc')
      .limit(req.query.limit)
      .execute();
    return { items: rows.map((r) => ({ id: r.id, to: r.to_address, subject: maskSecrets(r.subject), body: maskSecrets(r.body_text), kind: r.kind, status: r.status, createdAt: r.created_at, sentAt: r.sent_at })), nextCursor: null };
  });
}
