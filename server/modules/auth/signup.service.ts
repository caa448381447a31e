import { randomUUID } from 'node:crypto';
import { isLanguage, type Language } from '../../../common/languages';
import type { Deps } from '../../deps';
import { randomToken, sha256 } from '../../http/context';
import { AppError } from '../../http/errors';
import { translate } from '../../i18n/i18n';
import { createCompanyWithOwner } from '../companies/companies.service';
import { findUserByEmail, updateUser } from '../users/users.repository';
import { checkNewPassword, hashPassword } from './passwords';
import { revokeAllUserSessions } from './sessions.repository';

const VERIFICATION_TTL_MS = 24 * 3_600_000;

export type SignupInput = {
  companyName: string;
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  language: Language;
  timeZone: string;
  baseCurrency: string;
};

type Pending = Omit<SignupInput, 'password'> & { passwordHash: string };

/**
 * Sign-up answers the same for a new and a known email (no enumeration) and creates nothing yet: a new address gets
 * a verification link, a known one a note that someone tried to sign up with it. The account and the company are
 * created when the link comes back (`verifySignup`), so an address nobody proved never holds an account.
 */
export async function requestSignup(deps: Deps, input: SignupInput): Promise<void> {
  checkNewPassword(input.password, 'password', [input.email, input.firstName, input.lastName]);
  // Hashed in both cases, so that a known email does not answer faster.
  const passwordHash = await hashPassword(input.password);
  const existing = await findUserByEmail(deps.db, input.email);
  const now = deps.clock.now();
  if (existing) {
    const lang = existing.language && isLanguage(existing.language) ? existing.language : input.language;
    const params = { loginLink: `${deps.config.publicUrl}/login`, resetLink: `${deps.config.publicUrl}/forgot-password` };
    await deps.mailer.send({ tenantId: null, to: existing.email, subject: translate(lang, 'emails:signupAttempt.subject', params), text: translate(lang, 'emails:signupAttempt.body', params), kind: 'signup_attempt' });
    return;
  }
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + VERIFICATION_TTL_MS);
  const { password: _password, ...rest } = input;
  const pending: Pending = { ...rest, passwordHash };
  await deps.db
    .insertInto('email_verifications')
    .values({ id: randomUUID(), token_hash: sha256(token), email: input.email.toLowerCase(), payload_json: JSON.stringify(pending), created_at: now.toISOString(), expires_at: expiresAt.toISOString(), used_at: null })
    .execute();
  const params = {
    company: input.companyName,
    link: `${deps.config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`,
    expiresAt: new Intl.DateTimeFormat(input.language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(expiresAt) + ' UTC',
  };
  await deps.mailer.send({ tenantId: null, to: input.email, subject: translate(input.language, 'emails:verifyEmail.subject', params), text: translate(input.language, 'emails:verifyEmail.body', params), kind: 'email_verification' });
}

/** The emailed link came back: the address is proven; the account (verified) and its company are created. */
export async function verifySignup(deps: Deps, token: string): Promise<{ userId: string; tenantId: string }> {
  const now = deps.clock.now().toISOString();
  const row = await deps.db.selectFrom('email_verifications').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.used_at) throw new AppError('TOKEN_INVALID');
  if (row.expires_at <= now) throw new AppError('TOKEN_EXPIRED');
  const claimed = await deps.db.updateTable('email_verifications').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('TOKEN_INVALID');
  const p = JSON.parse(row.payload_json) as Pending;
  // The address got an account meanwhile (an invitation, the CLI): whoever holds this link owns the address, so the
  // account takes the password chosen at sign-up and its other sessions end, as after a password reset.
  const existing = await findUserByEmail(deps.db, row.email);
  if (existing) {
    await updateUser(deps.db, existing.id, { passwordHash: p.passwordHash, emailVerifiedAt: existing.emailVerifiedAt ?? now }, now);
    await revokeAllUserSessions(deps.db, existing.id, now);
  }
  const { company, ownerUserId } = await createCompanyWithOwner(deps.db, deps.clock, {
    name: p.companyName,
    timeZone: p.timeZone,
    defaultLanguage: p.language,
    baseCurrency: p.baseCurrency,
    owner: { email: row.email, passwordHash: p.passwordHash, firstName: p.firstName, lastName: p.lastName },
  }, { allowExistingUser: true });
  return { userId: ownerUserId, tenantId: company.id };
}
