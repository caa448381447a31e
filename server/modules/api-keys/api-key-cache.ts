import type { Db } from '../../db/database';
import type { findApiKeyByHash } from './api-keys.repository';

type VerifiedKey = NonNullable<Awaited<ReturnType<typeof findApiKeyByHash>>>;

/**
 * Keys verified recently, per database handle, so that a busy integration does not pay a key lookup (query joining
 * the company's language and time zone) on every call. Only valid keys are kept, for at most TTL_MS.
 *
 * Revocation is effective on the next request: `forgetApiKeys` (called by the revoke service once the write is
 * done) empties the cache and bumps a generation number, so a lookup that read the key before the revocation cannot
 * put it back. Another process sharing the database (a second app instance) sees a revocation made elsewhere after
 * at most TTL_MS; a change of the company's language or time zone reaches API-key requests after at most TTL_MS.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 1_000;

type Cache = { entries: Map<string, { key: VerifiedKey; expiresAt: number }>; generation: number };
const caches = new WeakMap<Db, Cache>();

function cacheOf(db: Db): Cache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { entries: new Map(), generation: 0 }));
  return c;
}

/** The verified key for this hash: from the cache while fresh, else from `load` (cached only if still valid). */
export async function verifiedApiKey(db: Db, keyHash: string, nowMs: number, load: () => Promise<VerifiedKey | undefined>): Promise<VerifiedKey | undefined> {
  const c = cacheOf(db);
  const hit = c.entries.get(keyHash);
  if (hit && hit.expiresAt > nowMs) return hit.key;
  if (hit) c.entries.delete(keyHash);
  const generation = c.generation;
  const key = await load();
  if (key && !key.revokedAt && c.generation === generation) {
    if (c.entries.size >= MAX_ENTRIES) c.entries.delete(c.entries.keys().next().value!);
    c.entries.set(keyHash, { key, expiresAt: nowMs + API_KEY_CACHE_TTL_MS });
  }
  return key;
}

/** Forgets every verified key of this database: call after revoking a key (or anything a cached key carries). */
export function forgetApiKeys(db: Db): void {
  const c = cacheOf(db);
  c.generation++;
  c.entries.clear();
}
