import type { Db } from '../../db/database';
import type { TenantsTable } from '../../db/schema';
import type { AgingBucket } from '../../domain/aging';

export type Company = {
  id: string;
  slug: string;
  name: string;
  legalId: string | null;
  vatId: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  timeZone: string;
  defaultLanguage: string;
  baseCurrency: string;
  paymentTermsDays: number;
  /** The company's own aging buckets; null = the defaults (DEFAULT_AGING_BUCKETS). Validated before it is stored. */
  agingBuckets: AgingBucket[] | null;
  createdAt: string;
  updatedAt: string;
};

export type CompanyChanges = Partial<Omit<Company, 'id' | 'slug' | 'createdAt' | 'updatedAt'>>;

/** A new company follows the default aging buckets unless it brings its own (a company import). */
export async function insertCompany(db: Db, c: Omit<Company, 'agingBuckets'> & { agingBuckets?: AgingBucket[] | null }): Promise<void> {
  await db.insertInto('tenants').values(companyToRow({ ...c, agingBuckets: c.agingBuckets ?? null })).execute();
}

export async function findCompany(db: Db, id: string): Promise<Company | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToCompany(row) : undefined;
}

export async function findCompanyByIdOrSlug(db: Db, idOrSlug: string): Promise<Company | undefined> {
  const row = await db
    .selectFrom('tenants')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
    .executeTakeFirst();
  return row ? rowToCompany(row) : undefined;
}

export async function isSlugTaken(db: Db, slug: string): Promise<boolean> {
  return !!(await db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst());
}

export async function updateCompany(db: Db, id: string, changes: CompanyChanges, updatedAt: string): Promise<void> {
  const row = companyToRow({ ...(changes as Company) });
  const set = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  delete (set as any).id;
  await db.updateTable('tenants').set({ ...set, updated_at: updatedAt }).where('id', '=', id).execute();
}

function companyToRow(c: Company): TenantsTable {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    legal_id: c.legalId,
    vat_id: c.vatId,
    address_line1: c.addressLine1,
    address_line2: c.addressLine2,
    postal_code: c.postalCode,
    city: c.city,
    country: c.country,
    time_zone: c.timeZone,
    default_language: c.defaultLanguage,
    base_currency: c.baseCurrency,
    payment_terms_days: c.paymentTermsDays,
    // undefined stays undefined: a PATCH without the field leaves the setting alone (updateCompany drops undefined).
    aging_buckets_json: c.agingBuckets === undefined ? (undefined as unknown as null) : c.agingBuckets === null ? null : JSON.stringify(c.agingBuckets.map(({ key, fromDays, toDays }) => ({ key, fromDays, toDays }))),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function rowToCompany(r: TenantsTable): Company {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    legalId: r.legal_id,
    vatId: r.vat_id,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country,
    timeZone: r.time_zone,
    defaultLanguage: r.default_language,
    baseCurrency: r.base_currency,
    paymentTermsDays: r.payment_terms_days,
    agingBuckets: r.aging_buckets_json ? (JSON.parse(r.aging_buckets_json) as AgingBucket[]) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
