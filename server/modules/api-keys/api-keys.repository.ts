import type { Db } from '../../db/database';
import type { ApiKeysTable } from '../../db/schema';

export type ApiKey = {
  id: string;
  tenantId: string;
  name: string;
  role: string;
  prefix: string;
  createdByUserId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export async function insertApiKey(db: Db, k: ApiKey & { keyHash: string }): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: k.id,
      tenant_id: k.tenantId,
      name: k.name,
      role: k.role,
      key_hash: k.keyHash,
      prefix: k.prefix,
      created_by_user_id: k.createdByUserId,
      created_at: k.createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<(ApiKey & { companyLanguage: string; companyTimeZone: string }) | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
    .selectAll('api_keys')
    .select(['tenants.default_language', 'tenants.time_zone'])
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  return row ? { ...rowToApiKey(row), companyLanguage: row.default_language, companyTimeZone: row.time_zone } : undefined;
}

export async function findApiKey(db: Db, tenantId: string, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row ? rowToApiKey(row) : undefined;
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').execute();
  return rows.map(rowToApiKey);
}

export async function markApiKeyUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiKey(db: Db, tenantId: string, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

function rowToApiKey(r: ApiKeysTable): ApiKey {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}
