import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLanguage } from '../../common/languages';
import { can, isRole } from '../../common/roles';
import type { Deps } from '../deps';
import { CSRF_COOKIE, SESSION_COOKIE, safeEqual, sha256, type RequestContext } from './context';
import { AppError } from './errors';
import { findSession, touchSession } from '../modules/auth/sessions.repository';
import { findApiKeyByHash, markApiKeyUsed } from '../modules/api-keys/api-keys.repository';
import { verifiedApiKey } from '../modules/api-keys/api-key-cache';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// last_seen_at is written at most once a minute per session: enough for idle timeouts, cheap for busy users.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves the caller on every request (session cookie or Bearer API key), then enforces the route's auth level,
 * CSRF on cookie-authenticated writes, and the route's permission for the caller's role. Runs before the body is
 * parsed, so refused requests cost nothing.
 */
export function registerAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('ctx', null);

  app.addHook('onRequest', async (req, reply) => {
    // Only the REST API is guarded here; health checks, the OpenAPI document and the web app are public.
    if (!req.url.startsWith('/api/v1/')) return;
    const cfg = req.routeOptions.config ?? {};
    const level = cfg.auth ?? 'tenant';
    const authz = req.headers.authorization;

    if (authz !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      if (!m) throw new AppError('UNAUTHENTICATED');
      req.ctx = await contextFromApiKey(deps, req, m[1]);
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        req.ctx = await contextFromSession(deps, req, token);
        // A forged or expired cookie is cleared, so the browser stops sending it.
        if (!req.ctx) reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      }
    }

    if (level === 'public') return;
    const ctx = req.ctx;
    if (!ctx) throw new AppError('UNAUTHENTICATED');
    if (ctx.actor.type === 'user' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !ctx.csrfToken || !safeEqual(sent, ctx.csrfToken)) throw new AppError('CSRF_FAILED');
    }
    if (level === 'session') {
      if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
      return;
    }
    if (!ctx.tenantId || !ctx.role) throw new AppError('NO_COMPANY');
    if (cfg.permission && !can(ctx.role, cfg.permission)) throw new AppError('FORBIDDEN');
  });
}

function clientIp(req: FastifyRequest): string {
  return req.ip;
}

async function contextFromApiKey(deps: Deps, req: FastifyRequest, secret: string): Promise<RequestContext> {
  // The hot path of every integration call: the key with its company's language and time zone, from the cache of
  // recently verified keys (emptied when a key is revoked) or one query.
  const now = deps.clock.now();
  const keyHash = sha256(secret);
  const key = await verifiedApiKey(deps.db, keyHash, now.getTime(), () => findApiKeyByHash(deps.db, keyHash));
  if (!key || key.revokedAt || !isRole(key.role)) throw new AppError('UNAUTHENTICATED');
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) > TOUCH_INTERVAL_MS) {
    // Set before the write so that concurrent requests of the same key do not all write it.
    key.lastUsedAt = now.toISOString();
    // Bookkeeping, not awaited: on SQLite a write waits for any transaction in progress (an import can hold one for
    // minutes), and the request itself only reads.
    markApiKeyUsed(deps.db, key.id, key.lastUsedAt).catch((err) => req.log.warn({ err }, 'could not record the API key’s last use'));
  }
  return {
    actor: { type: 'api_key', apiKeyId: key.id, name: key.name },
    tenantId: key.tenantId,
    role: key.role,
    companyLanguage: isLanguage(key.companyLanguage) ? key.companyLanguage : undefined,
    companyTimeZone: key.companyTimeZone,
    ip: clientIp(req),
  };
}

async function contextFromSession(deps: Deps, req: FastifyRequest, token: string): Promise<RequestContext | null> {
  const session = await findSession(deps.db, sha256(token));
  if (!session || session.revokedAt) return null;
  const now = deps.clock.now();
  const idleLimit = Date.parse(session.lastSeenAt) + deps.config.sessionIdleMinutes * 60_000;
  if (now.toISOString() >= session.expiresAt || now.getTime() > idleLimit) return null;
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'language', 'is_active'])
    .where('id', '=', session.userId)
    .executeTakeFirst();
  if (!user || !user.is_active) return null;

  let role: RequestContext['role'] = null;
  let companyLanguage: RequestContext['companyLanguage'];
  let companyTimeZone: string | undefined;
  if (session.tenantId) {
    const m = await deps.db
      .selectFrom('memberships')
      .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
      .select(['memberships.role', 'memberships.is_active', 'tenants.default_language', 'tenants.time_zone'])
      .where('memberships.tenant_id', '=', session.tenantId)
      .where('memberships.user_id', '=', user.id)
      .executeTakeFirst();
    if (m && m.is_active && isRole(m.role)) {
      role = m.role;
      companyLanguage = isLanguage(m.default_language) ? m.default_language : undefined;
      companyTimeZone = m.time_zone;
    }
  }
  if (now.getTime() - Date.parse(session.lastSeenAt) > TOUCH_INTERVAL_MS) {
    // Not awaited, as for API keys above.
    touchSession(deps.db, session.id, now.toISOString()).catch((err) => req.log.warn({ err }, 'could not record the session’s last activity'));
  }
  return {
    actor: { type: 'user', userId: user.id, sessionId: session.id, email: user.email },
    tenantId: role ? session.tenantId : null,
    role,
    userLanguage: user.language && isLanguage(user.language) ? user.language : undefined,
    companyLanguage,
    companyTimeZone,
    csrfToken: session.csrfToken,
    ip: clientIp(req),
  };
}

/** For handlers of 'tenant' routes: the context with its tenant, which the hook has guaranteed. */
export function tenantCtx(req: FastifyRequest) {
  const ctx = req.ctx;
  if (!ctx || !ctx.tenantId || !ctx.role) throw new AppError('UNAUTHENTICATED');
  return ctx as RequestContext & { tenantId: string; role: NonNullable<RequestContext['role']> };
}

export function userCtx(req: FastifyRequest) {
  const ctx = req.ctx;
  if (!ctx || ctx.actor.type !== 'user') throw new AppError('UNAUTHENTICATED');
  return { ...ctx, actor: ctx.actor };
}
