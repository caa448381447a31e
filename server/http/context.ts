import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Language } from '../../common/languages';
import type { Permission, Role } from '../../common/roles';

export type Actor =
  | { type: 'user'; userId: string; sessionId: string; email: string }
  | { type: 'api_key'; apiKeyId: string; name: string }
  | { type: 'system'; label: string };

/** Who is calling and for which company: set by the auth hook, never from the request body. */
export type RequestContext = {
  actor: Actor;
  tenantId: string | null;
  role: Role | null;
  userLanguage?: Language;
  companyLanguage?: Language;
  /** The company's IANA time zone, read with the session or key: "today" without another query. */
  companyTimeZone?: string;
  csrfToken?: string;
  ip: string;
};

/** A context whose tenant is known: what every tenant-scoped service receives. */
export type TenantContext = RequestContext & { tenantId: string; role: Role };

export type AuthLevel = 'public' | 'session' | 'tenant';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext | null;
  }
  interface FastifyContextConfig {
    /** Default 'tenant': a user or API key acting for a company. 'session': any logged-in user. */
    auth?: AuthLevel;
    permission?: Permission;
  }
}

export const SESSION_COOKIE = 'dso_session';
export const CSRF_COOKIE = 'dso_csrf';

/** 256-bit random tokens, URL-safe (sessions, CSRF, invitations, resets, API keys). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored as SHA-256: a stolen database holds no usable session, link or key. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export function actorId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.userId : actor.type === 'api_key' ? actor.apiKeyId : null;
}
