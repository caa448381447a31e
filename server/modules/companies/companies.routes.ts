import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { MAX_AGING_BUCKETS, MAX_BUCKET_DAYS } from '../../../common/aging-buckets';
import { currencyField, languageField, timeZoneField } from '../../http/fields';
import { changeCompany, getCompany, presentCompany } from './companies.service';

const companyResponse = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  defaultLanguage: z.string(),
  baseCurrency: z.string(),
  slug: z.string(),
  legalId: z.string().nullable(),
  vatId: z.string().nullable(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  paymentTermsDays: z.number().int(),
  agingBuckets: z.array(z.object({ key: z.string(), fromDays: z.number().int().nullable(), toDays: z.number().int().nullable() })),
  agingBucketsAreDefault: z.boolean(),
});

const bucketDays = z.number().int().min(-MAX_BUCKET_DAYS).max(MAX_BUCKET_DAYS).nullable();
/** Shapes only; the rules between buckets (no gap, open ends, keys matching their days) are in validateCompanyBuckets. */
const agingBucketsField = z.array(z.strictObject({ key: z.string().trim().min(1).max(32), fromDays: bucketDays, toDays: bucketDays })).min(1).max(MAX_AGING_BUCKETS).nullable();

const text = (max: number) => z.string().trim().max(max).nullable().optional();
export const updateCompanyBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  legalId: text(50),
  vatId: text(50),
  addressLine1: text(200),
  addressLine2: text(200),
  postalCode: text(20),
  city: text(100),
  country: z.string().length(2).toUpperCase().nullable().optional(),
  timeZone: timeZoneField.optional(),
  defaultLanguage: languageField.optional(),
  baseCurrency: currencyField.optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  /** null restores the default buckets. */
  agingBuckets: agingBucketsField.optional(),
});

export function registerCompanyRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['company'];
  app.get('/api/v1/company', { config: { permission: 'company:read' }, schema: { tags, summary: "The caller's company", response: { 200: companyResponse } } }, async (req) =>
    presentCompany(await getCompany(deps.db, tenantCtx(req).tenantId)),
  );
  app.patch('/api/v1/company', { config: { permission: 'company:update' }, schema: { tags, summary: "Change the company's settings", body: updateCompanyBody, response: { 200: companyResponse } } }, async (req) =>
    presentCompany(await changeCompany(deps.db, deps.clock, tenantCtx(req), req.body)),
  );
}
