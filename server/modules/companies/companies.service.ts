import { randomUUID } from 'node:crypto';
import type { Language } from '../../../common/languages';
import type { Db } from '../../db/database';
import type { Clock } from '../../deps';
import type { RequestContext } from '../../http/context';
import { AppError, notFound } from '../../http/errors';
import { audit } from '../audit-log/audit';
import { todayInTimeZone } from '../../domain/calendar';
import { findUserByEmail, insertMembership, insertUser } from '../users/users.repository';
import { checkNewPassword, hashPassword } from '../auth/passwords';
import { checkAgingBuckets, effectiveAgingBuckets } from './companies.aging';
import { findCompany, insertCompany, isSlugTaken, updateCompany, type Company, type CompanyChanges } from './companies.repository';

export type NewCompany = {
  name: string;
  timeZone: string;
  defaultLanguage: Language;
  baseCurrency: string;
  /** `passwordHash` when the password was checked and hashed earlier (a sign-up waiting for its emailed link). */
  owner: { email: string; password?: string; passwordHash?: string; firstName?: string | null; lastName?: string | null };
};

/** A URL-safe slug from the name, made unique with a numeric suffix. */
async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'company';
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await isSlugTaken(db, slug))) return slug;
  }
}

/**
 * Creates a company and its owner in one transaction. An existing user (same email) becomes the owner of the new
 * company only when `allowExistingUser` (the CLI, a verified sign-up link) and only when its address is verified.
 */
export async function createCompanyWithOwner(
  db: Db,
  clock: Clock,
  input: NewCompany,
  opts: { allowExistingUser?: boolean } = {},
): Promise<{ company: Company; ownerUserId: string }> {
  let passwordHash = input.owner.passwordHash;
  if (!passwordHash) {
    checkNewPassword(input.owner.password ?? '', 'password', [input.owner.email, input.owner.firstName, input.owner.lastName]);
    passwordHash = await hashPassword(input.owner.password ?? '');
  }
  return db.transaction().execute(async (trx) => {
    const at = clock.now().toISOString();
    const existing = await findUserByEmail(trx, input.owner.email);
    if (existing && !opts.allowExistingUser) throw new AppError('EMAIL_TAKEN', {}, [{ path: 'email', key: 'invalidValue' }]);
    // An account nobody proved the address of may be someone else's pre-registration: never make it an owner.
    if (existing && !existing.emailVerifiedAt) throw new AppError('EMAIL_NOT_VERIFIED', {}, [{ path: 'email', key: 'invalidValue' }]);
    const company: Company = {
      id: randomUUID(),
      slug: await uniqueSlug(trx, input.name),
      name: input.name,
      legalId: null,
      vatId: null,
      addressLine1: null,
      addressLine2: null,
      postalCode: null,
      city: null,
      country: null,
      timeZone: input.timeZone,
      defaultLanguage: input.defaultLanguage,
      baseCurrency: input.baseCurrency,
      paymentTermsDays: 30,
      agingBuckets: null,
      createdAt: at,
      updatedAt: at,
    };
    await insertCompany(trx, company);
    const ownerUserId = existing?.id ?? randomUUID();
    if (!existing) {
      await insertUser(trx, {
        id: ownerUserId,
        email: input.owner.email,
        passwordHash,
        firstName: input.owner.firstName ?? null,
        lastName: input.owner.lastName ?? null,
        language: input.defaultLanguage,
        isActive: true,
        createdAt: at,
        // Callers are trusted: the sign-up link came back, or the operator (CLI, demo seed) named the address.
        emailVerifiedAt: at,
      });
    }
    await insertMembership(trx, { tenantId: company.id, userId: ownerUserId, role: 'owner', at });
    const systemCtx: RequestContext = { actor: { type: 'system', label: 'signup' }, tenantId: company.id, role: 'owner', ip: '' };
    await audit(trx, clock, systemCtx, company.id, { action: 'company.created', entityType: 'company', entityId: company.id, after: company });
    return { company, ownerUserId };
  });
}

export async function getCompany(db: Db, tenantId: string): Promise<Company> {
  const c = await findCompany(db, tenantId);
  if (!c) throw notFound();
  return c;
}

export async function changeCompany(db: Db, clock: Clock, ctx: RequestContext & { tenantId: string }, changes: CompanyChanges): Promise<Company> {
  // Checked before the transaction: a 400 names each wrong bucket field (agingBuckets.<i>.fromDays…).
  const checked: CompanyChanges = changes.agingBuckets === undefined ? changes : { ...changes, agingBuckets: checkAgingBuckets(changes.agingBuckets) };
  return db.transaction().execute(async (trx) => {
    const before = await getCompany(trx, ctx.tenantId);
    await updateCompany(trx, ctx.tenantId, checked, clock.now().toISOString());
    const after = await getCompany(trx, ctx.tenantId);
    await audit(trx, clock, ctx, ctx.tenantId, { action: 'company.updated', entityType: 'company', entityId: ctx.tenantId, before, after });
    return after;
  });
}

/** The API shape of CONTRACTS.md (`GET /api/v1/company`), with the settings fields added. */
export function presentCompany(c: Company) {
  return {
    id: c.id,
    name: c.name,
    timeZone: c.timeZone,
    defaultLanguage: c.defaultLanguage,
    baseCurrency: c.baseCurrency,
    slug: c.slug,
    legalId: c.legalId,
    vatId: c.vatId,
    addressLine1: c.addressLine1,
    addressLine2: c.addressLine2,
    postalCode: c.postalCode,
    city: c.city,
    country: c.country,
    paymentTermsDays: c.paymentTermsDays,
    /** The buckets the reports use (the defaults when the company has none of its own). */
    agingBuckets: effectiveAgingBuckets(c),
    agingBucketsAreDefault: c.agingBuckets === null,
  };
}

/** "Today" is the company's local date in its IANA time zone (ARCHITECTURE.md rule 4). */
export async function companyToday(db: Db, clock: Clock, tenantId: string, knownTimeZone?: string): Promise<string> {
  if (knownTimeZone) return todayInTimeZone(clock.now(), knownTimeZone);
  const c = await getCompany(db, tenantId);
  return todayInTimeZone(clock.now(), c.timeZone);
}
