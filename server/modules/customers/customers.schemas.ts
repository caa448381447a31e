import { z } from 'zod';
import { amountMinorField, currencyField, languageField, listQuery } from '../../http/fields';

export const DEBTOR_TYPES = ['business', 'public', 'consumer'] as const;
export const CUSTOMER_STATUSES = ['active', 'paused', 'excluded', 'legal', 'closed'] as const;

const text = (max: number) => z.string().trim().max(max).nullable().optional();
const customFields = z
  .record(z.string().trim().min(1).max(50), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 12, { params: { key: 'tooBig', maximum: 12 }, message: 'at most 12 custom fields' });

/** Debtor account fields; `code` is unique per company (the ERP's customer number). */
export const customerFields = {
  name: z.string().trim().min(1).max(200),
  legalId: text(50),
  vatId: text(50),
  debtorType: z.enum(DEBTOR_TYPES).optional(),
  addressLine1: text(200),
  addressLine2: text(200),
  postalCode: text(20),
  city: text(100),
  country: z.string().trim().length(2).toUpperCase().nullable().optional(),
  language: languageField.nullable().optional(),
  currency: currencyField.nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  paymentTermsEndOfMonth: z.boolean().optional(),
  creditLimitMinor: amountMinorField.min(0).nullable().optional(),
  collectorUserId: z.string().max(100).nullable().optional(),
  segment: text(100),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  parentCustomerId: z.string().max(100).nullable().optional(),
  customFields: customFields.optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
};

export const createCustomerBody = z.strictObject({ code: z.string().trim().min(1).max(50), ...customerFields });
export type CreateCustomerBody = z.infer<typeof createCustomerBody>;
export const updateCustomerBody = z.strictObject({ code: z.string().trim().min(1).max(50).optional(), ...customerFields, name: customerFields.name.optional() });
export type UpdateCustomerBody = z.infer<typeof updateCustomerBody>;

export const CUSTOMER_SORTS = ['name', 'code', 'openMinor', 'oldestDueOn', 'createdAt'] as const;
export const customerListQuery = listQuery
  .extend({
    q: z.string().trim().max(100).optional(),
    collectorId: z.string().max(100).optional(),
    segment: z.string().max(100).optional(),
    /** The child accounts of a group (customers whose parent it is). */
    parentCustomerId: z.string().max(100).optional(),
    status: z.enum(CUSTOMER_STATUSES).optional(),
    currency: currencyField.optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    minOpenMinor: z.coerce.number().int().optional(),
    sort: z.enum(CUSTOMER_SORTS).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();
export type CustomerListQuery = z.infer<typeof customerListQuery>;
