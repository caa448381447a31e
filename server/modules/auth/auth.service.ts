import { randomUUID } from 'node:crypto';
import { isLanguage, type Language } from '../../../common/languages';
import { isRole } from '../../../common/roles';
import type { Deps } from '../../deps';
import { randomToken, sha256, type RequestContext } from '../../http/context';
import { AppError } from '../../http/errors';
import { translate } from '../../i18n/i18n';
import { findUser, findUserByEmail, listUserCompanies, updateUser } from '../users/users.repository';
import { checkNewPassword, dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { insertSession, revokeAllUserSessions, setSessionTenant, type Session } from './sessions.repository';

export type ClientInfo = { ip: string; userAgent: string | null };

/** Failures per email (and per IP) in this window lock login for the rest of it; each failure slows the next answer. */
const LOCK_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_IP = 50;
const RESET_TOKEN_TTL_MS = 60 * 60_000;

async function recordAttempt(deps: Deps, email: string, userId: string | null, isSuccess: boolean, reason: string | null, client: ClientInfo) {
  await deps.db
    .insertInto('login_attempts')
    .values({
      id: randomUUID(),
      email: email.toLowerCase().slice(0, 254),
      user_id: userId,
      is_success: isSuccess ? 1 : 0,
      reason,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 500) ?? null,
      at: deps.clock.now().toISOString(),
    })
    .execute();
}

async function recentFailures(deps: Deps, column: 'email' | 'ip', value: string, sinceAt: string) {
  const r = await deps.db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('first')])
    .where(column, '=', value)
    .where('at', '>=', sinceAt)
    .where('is_success', '=', 0)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), firstAt: r.first as string | null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createSession(deps: Deps, userId: string, tenantId: string | null, client: ClientInfo) {
  const token = randomToken(32);
  const now = deps.clock.now();
  const session: Session = {
    id: sha256(token),
    userId,
    tenantId,
    csrfToken: randomToken(32),
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000).toISOString(),
    revokedAt: null,
  };
  await insertSession(deps.db, session);
  return { token, session };
}

/**
 * Email + password login. The answer never tells whether the email exists: unknown emails verify against a dummy
 * hash (same cost) and get the same INVALID_CREDENTIALS. A new session token is issued at every login.
 */
export async function login(deps: Deps, input: { email: string; password: string; tenantId?: string }, client: ClientInfo) {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - LOCK_WINDOW_MS).toISOString();
  const [byEmail, byIp] = await Promise.all([
    recentFailures(deps, 'email', input.email, since),
    recentFailures(deps, 'ip', client.ip, since),
  ]);
  if (byEmail.count >= MAX_FAILURES_PER_EMAIL || byIp.count >= MAX_FAILURES_PER_IP) {
    const first = Date.parse((byEmail.count >= MAX_FAILURES_PER_EMAIL ? byEmail.firstAt : byIp.firstAt) ?? now.toISOString());
    await recordAttempt(deps, input.email, null, false, 'locked', client);
    throw new AppError('RATE_LIMITED', { seconds: Math.max(1, Math.ceil((first + LOCK_WINDOW_MS - now.getTime()) / 1000)) });
  }
  // Slow down after the third failure: 2^(n-3) × base, capped at 16 × base.
  if (byEmail.count >= 3) await sleep(deps.config.loginSlowdownMs * Math.min(16, 2 ** (byEmail.count - 3)));

  const user = await findUserByEmail(deps.db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok || !user.isActive || !user.passwordHash) {
    await recordAttempt(deps, input.email, user?.id ?? null, false, !user ? 'unknown_email' : !ok ? 'bad_password' : 'inactive', client);
    throw new AppError('INVALID_CREDENTIALS');
  }
  const companies = await listUserCompanies(deps.db, user.id);
  const tenantId = companies.find((c) => c.id === input.tenantId)?.id ?? companies[0]?.id ?? null;
  await recordAttempt(deps, input.email, user.id, true, null, client);
  return createSession(deps, user.id, tenantId, client);
}

/** What the web app needs after login or reload: who, which company and role, the companies to switch to, CSRF. */
export async function describeSession(deps: Deps, ctx: RequestContext) {
  if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
  const user = await findUser(deps.db, ctx.actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  const companies = await listUserCompanies(deps.db, user.id);
  const current = companies.find((c) => c.id === ctx.tenantId) ?? null;
  return {
    user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, language: user.language },
    company: current ? { id: current.id, name: current.name, slug: current.slug } : null,
    role: ctx.role,
    companies: companies.map((c) => ({ id: c.id, name: c.name, slug: c.slug, role: c.role })),
    csrfToken: ctx.csrfToken ?? '',
  };
}

export async function switchCompany(deps: Deps, ctx: RequestContext, tenantId: string) {
  if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
  const companies = await listUserCompanies(deps.db, ctx.actor.userId);
  const target = companies.find((c) => c.id === tenantId);
  // Not a member (or deactivated): the same answer as a company that does not exist.
  if (!target || !isRole(target.role)) throw new AppError('NOT_FOUND');
  await setSessionTenant(deps.db, ctx.actor.sessionId, tenantId);
  return { ...ctx, tenantId, role: target.role };
}

export async function requestPasswordReset(deps: Deps, email: string, language: Language): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || !user.isActive) return; // same answer either way
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  // A new link voids the previous ones: only the latest email works.
  await deps.db.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
  await deps.db
    .insertInto('password_resets')
    .values({ id: randomUUID(), user_id: user.id, token_hash: sha256(token), created_at: now.toISOString(), expires_at: expiresAt.toISOString(), used_at: null })
    .execute();
  const lang = user.language && isLanguage(user.language) ? user.language : language;
  const link = `${deps.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const params = { link, expiresAt: new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(expiresAt) + ' UTC' };
  await deps.mailer.send({
    tenantId: null,
    to: user.email,
    subject: translate(lang, 'emails:passwordReset.subject', params),
    text: translate(lang, 'emails:passwordReset.body', params),
    kind: 'password_reset',
  });
}

/** Single use, expiring; a successful reset ends every session of the user. */
export async function confirmPasswordReset(deps: Deps, token: string, password: string): Promise<void> {
  checkNewPassword(password);
  const now = deps.clock.now().toISOString();
  const reset = await deps.db.selectFrom('password_resets').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!reset || reset.used_at) throw new AppError('TOKEN_INVALID');
  if (reset.expires_at <= now) throw new AppError('TOKEN_EXPIRED');
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', reset.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('TOKEN_INVALID');
    await updateUser(trx, reset.user_id, { passwordHash }, now);
    await revokeAllUserSessions(trx, reset.user_id, now);
  });
}

export async function changePassword(deps: Deps, ctx: RequestContext, currentPassword: string, newPassword: string) {
  if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
  const user = await findUser(deps.db, ctx.actor.userId);
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: 'currentPassword', key: 'invalidValue' }]);
  }
  checkNewPassword(newPassword, 'newPassword');
  const now = deps.clock.now().toISOString();
  await updateUser(deps.db, user.id, { passwordHash: await hashPassword(newPassword) }, now);
  // Other sessions may belong to whoever knew the old password.
  await revokeAllUserSessions(deps.db, user.id, now, ctx.actor.sessionId);
}

export async function loginHistory(deps: Deps, userId: string) {
  const rows = await deps.db
    .selectFrom('login_attempts')
    .select(['id', 'is_success', 'reason', 'ip', 'user_agent', 'at'])
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, isSuccess: !!r.is_success, reason: r.reason, ip: r.ip, userAgent: r.user_agent, at: r.at }));
}
