import { randomUUID } from 'node:crypto';
import { isLanguage, type Language } from '../../../common/languages';
import { isRole } from '../../../common/roles';
import type { Deps } from '../../deps';
import { randomToken, sha256, type RequestContext } from '../../http/context';
import { AppError } from '../../http/errors';
import { translate } from '../../i18n/i18n';
import { findUser, findUserByEmail, listUserCompanies, updateUser } from '../users/users.repository';
import { checkNewPassword, dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { takeAttempt } from './login-throttle';
import { insertSession, revokeAllUserSessions, setSessionTenant, type Session } from './sessions.repository';

export type ClientInfo = { ip: string; userAgent: string | null };

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
  let ticket;
  try {
    ticket = await takeAttempt(deps.db, input.email, client.ip, deps.clock.now());
  } catch (err) {
    await recordAttempt(deps, input.email, null, false, 'locked', client);
    throw err;
  }
  // Slow down after the third failure of this pair: 2^(n-3) × base, capped at 16 × base.
  if (ticket.pairFailures >= 3) await sleep(deps.config.loginSlowdownMs * Math.min(16, 2 ** (ticket.pairFailures - 3)));

  const user = await findUserByEmail(deps.db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok || !user.isActive || !user.passwordHash) {
    await recordAttempt(deps, input.email, user?.id ?? null, false, !user ? 'unknown_email' : !ok ? 'bad_password' : 'inactive', client);
    throw new AppError('INVALID_CREDENTIALS');
  }
  await ticket.succeeded();
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
  const now = deps.clock.now().toISOString();
  const reset = await deps.db.selectFrom('password_resets').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!reset || reset.used_at) throw new AppError('TOKEN_INVALID');
  if (reset.expires_at <= now) throw new AppError('TOKEN_EXPIRED');
  const owner = await findUser(deps.db, reset.user_id);
  checkNewPassword(password, 'password', [owner?.email, owner?.firstName, owner?.lastName]);
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', reset.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('TOKEN_INVALID');
    // The link went to the address: following it proves the address.
    await updateUser(trx, reset.user_id, { passwordHash, emailVerifiedAt: owner?.emailVerifiedAt ?? now }, now);
    await revokeAllUserSessions(trx, reset.user_id, now);
  });
}

/** Wrong current-password guesses count like failed logins (same counters), so a stolen session cannot brute-force it. */
export async function changePassword(deps: Deps, ctx: RequestContext, currentPassword: string, newPassword: string, client: ClientInfo) {
  if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN');
  const user = await findUser(deps.db, ctx.actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  const ticket = await takeAttempt(deps.db, user.email, client.ip, deps.clock.now());
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordAttempt(deps, user.email, user.id, false, 'bad_current_password', client);
    throw new AppError('VALIDATION_FAILED', {}, [{ path: 'currentPassword', key: 'invalidValue' }]);
  }
  await ticket.succeeded();
  checkNewPassword(newPassword, 'newPassword', [user.email, user.firstName, user.lastName]);
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
