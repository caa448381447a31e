import { randomUUID } from 'node:crypto';
import { isLanguage, type Language } from '../../../common/languages';
import { ROLES, type Role } from '../../../common/roles';
import type { Deps } from '../../deps';
import { randomToken, sha256, type RequestContext, type TenantContext } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { translate } from '../../i18n/i18n';
import { audit } from '../audit-log/audit';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/passwords';
import { revokeAllUserSessions, revokeUserSessionsInTenant } from '../auth/sessions.repository';
import { findCompany } from '../companies/companies.repository';
import {
  countActiveOwners,
  findMember,
  findUserByEmail,
  insertMembership,
  insertUser,
  listMembers,
  updateMembership,
  updateUser,
} from './users.repository';

const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** Only an owner may create or change an owner. */
function assertMayGrant(ctx: TenantContext, role: Role) {
  if (!mayGrant(ctx.role, role)) throw new AppError('FORBIDDEN');
}

/** Whether a member with `actorRole` may hand out `role` (invite, change, see or resend its invitation). */
export function mayGrant(actorRole: Role | null, role: string): boolean {
  if (actorRole === 'owner') return true;
  return actorRole === 'admin' && role !== 'owner';
}

/** The roles a member may hand out: the invitations and invitation emails they may see. */
export function grantableRoles(actorRole: Role | null): Role[] {
  return ROLES.filter((r) => mayGrant(actorRole, r));
}

export async function inviteUser(deps: Deps, ctx: TenantContext, input: { email: string; role: Role; language?: Language }) {
  assertMayGrant(ctx, input.role);
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing && (await findMember(deps.db, ctx.tenantId, existing.id))) {
    throw new AppError('ALREADY_MEMBER', {}, [{ path: 'email', key: 'invalidValue' }]);
  }
  const company = await findCompany(deps.db, ctx.tenantId);
  if (!company) throw notFound();
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('invitations')
      .values({
        id,
        tenant_id: ctx.tenantId,
        email: input.email,
        role: input.role,
        token_hash: sha256(token),
        invited_by_user_id: ctx.actor.type === 'user' ? ctx.actor.userId : null,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        accepted_at: null,
        revoked_at: null,
      })
      .execute();
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'invitation.created', entityType: 'invitation', entityId: id, after: { email: input.email, role: input.role } });
  });
  await sendInvitationEmail(deps, ctx, company, { email: input.email, role: input.role, language: input.language }, token, expiresAt);
  return { id, email: input.email, role: input.role, expiresAt: expiresAt.toISOString() };
}

type CompanyInfo = { name: string; defaultLanguage: string; timeZone: string };

async function sendInvitationEmail(deps: Deps, ctx: TenantContext, company: CompanyInfo, inv: { email: string; role: string; language?: Language }, token: string, expiresAt: Date) {
  const lang: Language = inv.language ?? (isLanguage(company.defaultLanguage) ? company.defaultLanguage : 'en');
  const params = {
    company: company.name,
    inviter: ctx.actor.type === 'user' ? ctx.actor.email : company.name,
    role: translate(lang, `app:roles.${inv.role}`),
    // PUBLIC_URL, never the request's Host header: a forged Host must not turn the link into the attacker's site.
    link: `${deps.config.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`,
    expiresAt: new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: company.timeZone }).format(expiresAt),
  };
  await deps.mailer.send({
    tenantId: ctx.tenantId,
    to: inv.email,
    subject: translate(lang, 'emails:invitation.subject', params),
    text: translate(lang, 'emails:invitation.body', params),
    kind: 'invitation',
    grantsRole: inv.role,
  });
}

/** A new link for a pending invitation (the previous one stops working); only for a role the caller may grant. */
export async function resendInvitation(deps: Deps, ctx: TenantContext, id: string) {
  const inv = await deps.db.selectFrom('invitations').selectAll().where('tenant_id', '=', ctx.tenantId).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  // An invitation the caller may not grant is one they cannot see: the same 404 as none.
  if (!inv || !mayGrant(ctx.role, inv.role)) throw notFound();
  const company = await findCompany(deps.db, ctx.tenantId);
  if (!company) throw notFound();
  const token = randomToken(32);
  const expiresAt = new Date(deps.clock.now().getTime() + INVITATION_TTL_MS);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('invitations').set({ token_hash: sha256(token), expires_at: expiresAt.toISOString() }).where('id', '=', inv.id).execute();
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'invitation.resent', entityType: 'invitation', entityId: inv.id, after: { email: inv.email, role: inv.role } });
  });
  await sendInvitationEmail(deps, ctx, company, { email: inv.email, role: inv.role }, token, expiresAt);
  return { id: inv.id, email: inv.email, role: inv.role, expiresAt: expiresAt.toISOString() };
}

export async function listInvitations(deps: Deps, ctx: TenantContext) {
  const rows = await deps.db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'created_at', 'expires_at'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('role', 'in', grantableRoles(ctx.role))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, createdAt: r.created_at, expiresAt: r.expires_at }));
}

export async function revokeInvitation(deps: Deps, ctx: TenantContext, id: string) {
  const r = await deps.db
    .updateTable('invitations')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', id)
    .where('role', 'in', grantableRoles(ctx.role))
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound();
  await audit(deps.db, deps.clock, ctx, ctx.tenantId, { action: 'invitation.revoked', entityType: 'invitation', entityId: id });
}

async function findOpenInvitation(deps: Deps, token: string) {
  const inv = await deps.db.selectFrom('invitations').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!inv || inv.accepted_at || inv.revoked_at) throw new AppError('TOKEN_INVALID');
  if (inv.expires_at <= deps.clock.now().toISOString()) throw new AppError('TOKEN_EXPIRED');
  return inv;
}

export async function describeInvitation(deps: Deps, token: string) {
  const inv = await findOpenInvitation(deps, token);
  const company = await findCompany(deps.db, inv.tenant_id);
  // An unverified account is claimed by choosing a password (acceptInvitation), so the page asks for a new one.
  const user = await findUserByEmail(deps.db, inv.email);
  return { companyName: company?.name ?? '', email: inv.email, role: inv.role, hasAccount: !!user?.emailVerifiedAt };
}

/**
 * Accepting creates the account (new email) or, for an existing account, requires its password; then the membership.
 * Returns the user id so the caller can open a session on the company.
 */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; password: string; firstName?: string | null; lastName?: string | null; language?: Language },
): Promise<{ userId: string; tenantId: string }> {
  const inv = await findOpenInvitation(deps, input.token);
  const existing = await findUserByEmail(deps.db, inv.email);
  let passwordHash: string | null = null;
  const knowsPassword = !!existing?.passwordHash && (await verifyPassword(existing.passwordHash, input.password));
  if (existing?.emailVerifiedAt) {
    if (!knowsPassword) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'password', key: 'invalidValue' }]);
  } else if (!knowsPassword) {
    // A new account, or an unverified one: nothing proved who set its password (perhaps someone who signed up with
    // this address first). The link proves the address, so its holder chooses the password and the account's other
    // sessions end.
    checkNewPassword(input.password, 'password', [inv.email, input.firstName, input.lastName]);
    passwordHash = await hashPassword(input.password);
  }
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('invitations').set({ accepted_at: at }).where('id', '=', inv.id).where('accepted_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('TOKEN_INVALID');
    const userId = existing?.id ?? randomUUID();
    if (!existing) {
      await insertUser(trx, {
        id: userId,
        email: inv.email,
        passwordHash,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        language: input.language ?? null,
        isActive: true,
        createdAt: at,
        emailVerifiedAt: at,
      });
    } else {
      // Accepting proves the address (the link went to it).
      await updateUser(trx, userId, { emailVerifiedAt: existing.emailVerifiedAt ?? at, ...(passwordHash ? { passwordHash } : {}) }, at);
      if (passwordHash) await revokeAllUserSessions(trx, userId, at);
    }
    if (await findMember(trx, inv.tenant_id, userId)) {
      await updateMembership(trx, inv.tenant_id, userId, { role: inv.role, isActive: true }, at);
    } else {
      await insertMembership(trx, { tenantId: inv.tenant_id, userId, role: inv.role, at });
    }
    const ctx: RequestContext = { actor: { type: 'user', userId, sessionId: '', email: inv.email }, tenantId: inv.tenant_id, role: null, ip: '' };
    await audit(trx, deps.clock, ctx, inv.tenant_id, { action: 'invitation.accepted', entityType: 'membership', entityId: userId, after: { role: inv.role } });
    return { userId, tenantId: inv.tenant_id };
  });
}

export { listMembers };

export async function changeMember(deps: Deps, ctx: TenantContext, userId: string, changes: { role?: Role; isActive?: boolean }) {
  const before = await findMember(deps.db, ctx.tenantId, userId);
  if (!before) throw notFound();
  if (changes.role) assertMayGrant(ctx, changes.role);
  if (before.role === 'owner' && ctx.role !== 'owner') throw new AppError('FORBIDDEN');
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    await updateMembership(trx, ctx.tenantId, userId, changes, at);
    if (before.role === 'owner' && (await countActiveOwners(trx, ctx.tenantId)) === 0) throw new AppError('LAST_OWNER');
    // Deactivation ends the member's sessions in this company at once.
    if (changes.isActive === false) await revokeUserSessionsInTenant(trx, ctx.tenantId, userId, at);
    const after = await findMember(trx, ctx.tenantId, userId);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'member.updated', entityType: 'membership', entityId: userId, before, after });
    return after!;
  });
}

/**
 * CLI `user:create`: a new user with the password, member of the company with the role. An existing account is
 * refused (USER_EXISTS: its password would be silently ignored) unless `addMembership`, which only adds the
 * membership — and only to an account whose address is verified, never to someone's unproven pre-registration.
 */
export async function createMemberUser(
  deps: Deps,
  ctx: TenantContext,
  input: { email: string; password?: string; role: Role; firstName?: string | null; lastName?: string | null; addMembership?: boolean },
) {
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing && !input.addMembership) throw new AppError('USER_EXISTS', {}, [{ path: 'email', key: 'invalidValue' }]);
  if (!existing && input.addMembership) throw new AppError('NOT_FOUND', {}, [{ path: 'email', key: 'invalidValue' }]);
  if (existing && !existing.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED', {}, [{ path: 'email', key: 'invalidValue' }]);
  if (!existing) checkNewPassword(input.password ?? '', 'password', [input.email, input.firstName, input.lastName]);
  const passwordHash = existing ? null : await hashPassword(input.password ?? '');
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const userId = existing?.id ?? randomUUID();
    if (!existing) {
      // The operator named the address and chose the password: vouched for, like the demo seed.
      await insertUser(trx, { id: userId, email: input.email, passwordHash, firstName: input.firstName ?? null, lastName: input.lastName ?? null, language: null, isActive: true, createdAt: at, emailVerifiedAt: at });
    } else if (await findMember(trx, ctx.tenantId, userId)) {
      throw new AppError('ALREADY_MEMBER', {}, [{ path: 'email', key: 'invalidValue' }]);
    }
    await insertMembership(trx, { tenantId: ctx.tenantId, userId, role: input.role, at });
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'member.created', entityType: 'membership', entityId: userId, after: { email: input.email, role: input.role } });
    return { id: userId };
  });
}
