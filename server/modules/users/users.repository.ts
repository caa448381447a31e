import type { Db } from '../../db/database';

export type User = {
  id: string;
  email: string;
  passwordHash: string | null;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  isActive: boolean;
  createdAt: string;
  /** Null until a link sent to the address came back (sign-up, invitation, password reset). */
  emailVerifiedAt: string | null;
};

export type Member = {
  userId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  isActive: boolean;
  joinedAt: string;
};

export async function insertUser(db: Db, u: User): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      email: u.email,
      password_hash: u.passwordHash,
      first_name: u.firstName,
      last_name: u.lastName,
      language: u.language,
      is_active: u.isActive ? 1 : 0,
      created_at: u.createdAt,
      updated_at: u.createdAt,
      email_verified_at: u.emailVerifiedAt,
    })
    .execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return r ? rowToUser(r) : undefined;
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? rowToUser(r) : undefined;
}

export async function updateUser(
  db: Db,
  id: string,
  changes: { firstName?: string | null; lastName?: string | null; language?: string | null; passwordHash?: string; emailVerifiedAt?: string },
  at: string,
): Promise<void> {
  const set: Record<string, unknown> = { updated_at: at };
  if (changes.firstName !== undefined) set.first_name = changes.firstName;
  if (changes.lastName !== undefined) set.last_name = changes.lastName;
  if (changes.language !== undefined) set.language = changes.language;
  if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
  if (changes.emailVerifiedAt !== undefined) set.email_verified_at = changes.emailVerifiedAt;
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function insertMembership(db: Db, m: { tenantId: string; userId: string; role: string; at: string }): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ tenant_id: m.tenantId, user_id: m.userId, role: m.role, is_active: 1, created_at: m.at, updated_at: m.at })
    .execute();
}

export async function findMember(db: Db, tenantId: string, userId: string): Promise<Member | undefined> {
  const r = await memberQuery(db, tenantId).where('memberships.user_id', '=', userId).executeTakeFirst();
  return r ? rowToMember(r) : undefined;
}

export async function listMembers(db: Db, tenantId: string): Promise<Member[]> {
  const rows = await memberQuery(db, tenantId).orderBy('users.email').execute();
  return rows.map(rowToMember);
}

export async function updateMembership(db: Db, tenantId: string, userId: string, changes: { role?: string; isActive?: boolean }, at: string) {
  const set: Record<string, unknown> = { updated_at: at };
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.isActive !== undefined) set.is_active = changes.isActive ? 1 : 0;
  await db.updateTable('memberships').set(set).where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

export async function countActiveOwners(db: Db, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .where('is_active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The companies a user can switch to (active memberships only). */
export async function listUserCompanies(db: Db, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .select(['tenants.id', 'tenants.name', 'tenants.slug', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.is_active', '=', 1)
    .orderBy('tenants.name')
    .execute();
}

function memberQuery(db: Db, tenantId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as userId',
      'users.email',
      'users.first_name',
      'users.last_name',
      'memberships.role',
      'memberships.is_active',
      'memberships.created_at',
    ])
    .where('memberships.tenant_id', '=', tenantId);
}

function rowToMember(r: { userId: string; email: string; first_name: string | null; last_name: string | null; role: string; is_active: number; created_at: string }): Member {
  return {
    userId: r.userId,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    isActive: !!r.is_active,
    joinedAt: r.created_at,
  };
}

function rowToUser(r: { id: string; email: string; password_hash: string | null; first_name: string | null; last_name: string | null; language: string | null; is_active: number; created_at: string; email_verified_at: string | null }): User {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    firstName: r.first_name,
    lastName: r.last_name,
    language: r.language,
    isActive: !!r.is_active,
    createdAt: r.created_at,
    emailVerifiedAt: r.email_verified_at,
  };
}
