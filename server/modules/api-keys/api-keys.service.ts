import { randomUUID } from 'node:crypto';
import type { Role } from '../../../common/roles';
import type { Deps } from '../../deps';
import { randomToken, sha256, type TenantContext } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { audit } from '../audit-log/audit';
import { forgetApiKeys } from './api-key-cache';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, type ApiKey } from './api-keys.repository';

/** `dso_` + 32 random bytes: shown once, stored as SHA-256 (a key check costs microseconds, unlike argon2). */
export async function createApiKey(deps: Deps, ctx: TenantContext, input: { name: string; role: Role }) {
  if (input.role === 'owner' && ctx.role !== 'owner') throw new AppError('FORBIDDEN');
  const secret = `dso_${randomToken(32)}`;
  const key: ApiKey = {
    id: randomUUID(),
    tenantId: ctx.tenantId,
    name: input.name,
    role: input.role,
    prefix: secret.slice(0, 10),
    createdByUserId: ctx.actor.type === 'user' ? ctx.actor.userId : null,
    createdAt: deps.clock.now().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertApiKey(trx, { ...key, keyHash: sha256(secret) });
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'api_key.created', entityType: 'api_key', entityId: key.id, after: presentApiKey(key) });
  });
  return { ...presentApiKey(key), secret };
}

export async function listCompanyApiKeys(deps: Deps, tenantId: string) {
  return (await listApiKeys(deps.db, tenantId)).map(presentApiKey);
}

export async function revokeCompanyApiKey(deps: Deps, ctx: TenantContext, id: string) {
  const key = await findApiKey(deps.db, ctx.tenantId, id);
  if (!key) throw notFound();
  if (!key.revokedAt) {
    await revokeApiKey(deps.db, ctx.tenantId, id, deps.clock.now().toISOString());
    // Refused from the next request on (the auth hook keeps recently verified keys).
    forgetApiKeys(deps.db);
    await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: presentApiKey(key) });
  }
}

export function presentApiKey(k: ApiKey) {
  return { id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt };
}
