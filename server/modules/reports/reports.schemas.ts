import { z } from 'zod';
import { MAX_DSO_MONTHS } from '../../domain/dso';
import { currencyField, isoDateField } from '../../http/fields';

/** Query strings and response shapes of the reports (CONTRACTS.md `reports/aging`, `reports/dso`). */

export const dateField = isoDateField;
const idField = z.string().min(1).max(100);

const filterFields = {
  customerId: idField.optional(),
  collectorId: idField.optional(),
  segment: z.string().min(1).max(100).optional(),
};

export const agingQuery = z.strictObject({ asOf: dateField.optional(), ...filterFields, convertTo: currencyField.optional() });
export type AgingQuery = z.infer<typeof agingQuery>;

export const dsoMethodField = z.enum(['countback', 'standard']);
const monthsField = z.coerce.number().int().min(1).max(MAX_DSO_MONTHS);

export const dsoQuery = z.strictObject({
  asOf: dateField.optional(),
  months: monthsField.default(3),
  method: dsoMethodField.default('countback'),
  currency: currencyField.optional(),
  ...filterFields,
});
export type DsoQuery = z.infer<typeof dsoQuery>;

export const dashboardQuery = z.strictObject({
  asOf: dateField.optional(),
  months: monthsField.default(3),
  method: dsoMethodField.default('countback'),
  currency: currencyField.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  ...filterFields,
});
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export const dsoTrendQuery = z.strictObject({
  asOf: dateField.optional(),
  /** Number of month ends in the trend. */
  months: z.coerce.number().int().min(1).max(36).default(12),
  /** N of each point's DSO (the months of its period). */
  periodMonths: monthsField.default(3),
  method: dsoMethodField.default('countback'),
  currency: currencyField.optional(),
  ...filterFields,
});
export type DsoTrendQuery = z.infer<typeof dsoTrendQuery>;

export const topLateQuery = z.strictObject({
  asOf: dateField.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  currency: currencyField.optional(),
  ...filterFields,
});
export type TopLateQuery = z.infer<typeof topLateQuery>;

export const agingItemsQuery = z.strictObject({
  asOf: dateField.optional(),
  /** A bucket key of the aging, or `unallocated` for the payments and credit notes not yet allocated. */
  bucket: z.string().min(1).max(40),
  currency: currencyField.optional(),
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type AgingItemsQuery = z.infer<typeof agingItemsQuery>;

export const forecastQuery = z.strictObject({ asOf: dateField.optional(), currency: currencyField.optional(), ...filterFields });
export type ForecastQuery = z.infer<typeof forecastQuery>;

export const payerProfilesQuery = z.strictObject({
  asOf: dateField.optional(),
  customerId: idField.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type PayerProfilesQuery = z.infer<typeof payerProfilesQuery>;

export const collectorsQuery = z.strictObject({
  asOf: dateField.optional(),
  from: dateField.optional(),
  to: dateField.optional(),
  segment: filterFields.segment,
});
export type CollectorsQuery = z.infer<typeof collectorsQuery>;

const amounts = z.record(z.string(), z.number().int());
const bucket = z.object({ key: z.string(), fromDays: z.number().int().nullable(), toDays: z.number().int().nullable() });
const agingRow = z.object({ currency: z.string(), amountsMinor: amounts, totalMinor: z.number().int(), unallocatedMinor: z.number().int() });
const rateLeg = z.object({ baseCurrency: z.string(), quoteCurrency: z.string(), rate: z.string(), rateOn: z.string(), source: z.enum(['company', 'reference']), isInverted: z.boolean() });

export const agingResponse = z.object({
  asOf: z.string(),
  buckets: z.array(bucket),
  rows: z.array(agingRow),
  converted: z
    .object({
      currency: z.string(),
      amountsMinor: amounts,
      totalMinor: z.number().int(),
      unallocatedMinor: z.number().int(),
      rates: z.array(z.object({ currency: z.string(), legs: z.array(rateLeg) })),
      missingCurrencies: z.array(z.string()),
    })
    .optional(),
});

const countbackStep = z.object({
  monthKey: z.string(), fromOn: z.string(), toOn: z.string(), days: z.number(), salesMinor: z.number().int(),
  kind: z.enum(['full', 'partial', 'noSales', 'skipped']), daysAdded: z.number(), remainderAfterMinor: z.number().int(),
});
const countbackWalk = z.object({
  startingAmountMinor: z.number().int(), steps: z.array(countbackStep), remainderMinor: z.number().int(), isCapped: z.boolean(), days: z.number().nullable(),
});

export const dsoResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  method: dsoMethodField,
  months: z.number().int(),
  dso: z.number().nullable(),
  bestPossibleDso: z.number().nullable(),
  averageDaysDelinquent: z.number().nullable(),
  cei: z.number().nullable(),
  explanation: z.object({
    periodMonths: z.array(z.object({ monthKey: z.string(), fromOn: z.string(), toOn: z.string(), days: z.number().int(), salesMinor: z.number().int() })),
    periodDays: z.number().int(),
    periodSalesMinor: z.number().int(),
    receivablesMinor: z.number().int(),
    openInvoicesMinor: z.number().int(),
    unallocatedMinor: z.number().int(),
    notYetDueMinor: z.number().int(),
    openingReceivablesOn: z.string(),
    openingReceivablesMinor: z.number().int(),
    countback: z.object({ dso: countbackWalk, bestPossibleDso: countbackWalk }).optional(),
  }),
});

export const dsoTrendResponse = z.object({
  currency: z.string(),
  method: dsoMethodField,
  periodMonths: z.number().int(),
  points: z.array(z.object({ asOf: z.string(), dso: z.number().nullable(), receivablesMinor: z.number().int(), periodSalesMinor: z.number().int() })),
});

export const topLateResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  items: z.array(z.object({
    customerId: z.string(), customerCode: z.string(), customerName: z.string(), collectorId: z.string().nullable(),
    overdueMinor: z.number().int(), invoiceCount: z.number().int(), oldestDueOn: z.string(), maxDaysPastDue: z.number().int(),
  })),
});

export const agingItemsResponse = z.object({
  asOf: z.string(),
  bucket: z.string(),
  currency: z.string(),
  items: z.array(z.object({
    documentId: z.string(), number: z.string().nullable(), type: z.string(), customerId: z.string(), customerCode: z.string(), customerName: z.string(),
    issuedOn: z.string(), dueOn: z.string().nullable(), daysPastDue: z.number().int().nullable(), currency: z.string(), amountMinor: z.number().int(), openMinor: z.number().int(),
  })),
  nextCursor: z.string().nullable(),
});

export const dashboardResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  aging: agingResponse,
  dso: dsoResponse,
  topLateCustomers: topLateResponse,
});
