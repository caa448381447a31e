import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { AuditLogTable } from '../../db/schema';

export type AuditEntry = {
  id: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  at: string;
};

export async function insertAuditEntry(db: Db, tenantId: string, entry: Omit<AuditEntry, 'id'>): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      tenant_id: tenantId,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      actor_label: entry.actorLabel,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before_json: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
      ip: entry.ip,
      at: entry.at,
    })
    .execute();
}

export type AuditFilter = {
  entityType?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  fromAt?: string;
  toAt?: string;
  limit: number;
  after?: { at: string; id: string };
};

export async function listAuditEntries(db: Db, tenantId: string, f: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.fromAt) q = q.where('at', '>=', f.fromAt);
  if (f.toAt) q = q.where('at', '<=', f.toAt);
  if (f.after) {
    const { at, id } = f.after;
    q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(rowToAuditEntry);
}

function rowToAuditEntry(r: AuditLogTable): AuditEntry {
  return {
    id: r.id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
    ip: r.ip,
    at: r.at,
  };
}
