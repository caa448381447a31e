import type { Clock } from '../../deps';
import type { Db } from '../../db/database';
import { actorId, type RequestContext } from '../../http/context';
import { insertAuditEntry } from './audit-log.repository';

export type AuditChange = {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
};

/** Secrets never reach the audit log, whatever a caller passes. */
const SECRET_KEYS = /password|secret|token|hash/i;
function redact(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redact);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v)]));
}

/** Records one write: who (user or API key), what, which entity, before and after, when (UTC), from which IP. */
export async function audit(db: Db, clock: Clock, ctx: RequestContext, tenantId: string, change: AuditChange): Promise<void> {
  const a = ctx.actor;
  await insertAuditEntry(db, tenantId, {
    actorType: a.type,
    actorId: actorId(a),
    actorLabel: a.type === 'user' ? a.email : a.type === 'api_key' ? a.name : a.label,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    before: redact(change.before),
    after: redact(change.after),
    ip: ctx.ip,
    at: clock.now().toISOString(),
  });
}
