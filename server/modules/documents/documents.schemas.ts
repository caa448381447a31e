import { z } from 'zod';
import { amountMinorField, currencyField, isoDateField, listQuery } from '../../http/fields';

export const DOCUMENT_TYPES = ['invoice', 'credit_note', 'payment', 'adjustment'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'cancelled', 'written_off'] as const;
export const CREDIT_STATUSES = ['unallocated', 'partially_allocated', 'allocated'] as const;

/**
 * `amountMinor` is the document's amount as written (positive); the sign comes from the type: an invoice increases
 * what is owed, a credit note or payment reduces it. Adjustments carry their own sign.
 */
export const createDocumentBody = z
  .strictObject({
    customerId: z.string().min(1).max(100),
    type: z.enum(DOCUMENT_TYPES),
    source: z.string().trim().min(1).max(50).optional(),
    number: z.string().trim().min(1).max(100).nullable().optional(),
    issuedOn: isoDateField,
    dueOn: isoDateField.nullable().optional(),
    currency: currencyField,
    amountMinor: amountMinorField,
    reference: z.string().trim().max(200).nullable().optional(),
    pdfUrl: z.url({ protocol: /^https?$/ }).max(1000).nullable().optional(),
    appliesToDocumentId: z.string().max(100).optional(),
    /** An invoice payable in several instalments: each its own due date and amount, summing to `amountMinor`. */
    instalments: z
      .array(z.strictObject({ dueOn: isoDateField, amountMinor: amountMinorField.min(1) }))
      .min(2)
      .max(120)
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.instalments) {
      const issue = (path: (string | number)[], key: string) => ctx.addIssue({ code: 'custom', path, params: { key }, message: key });
      if (b.type !== 'invoice') issue(['instalments'], 'instalmentsOnlyForInvoices');
      if (b.dueOn) issue(['dueOn'], 'notWithInstalments');
      if (b.instalments.reduce((sum, i) => sum + i.amountMinor, 0) !== Math.abs(b.amountMinor)) issue(['instalments'], 'instalmentsSum');
      const seen = new Set<string>();
      b.instalments.forEach((i, index) => {
        if (i.dueOn < b.issuedOn) issue(['instalments', index, 'dueOn'], 'beforeIssue');
        if (seen.has(i.dueOn)) issue(['instalments', index, 'dueOn'], 'duplicate');
        seen.add(i.dueOn);
      });
    }
    if ((b.type === 'invoice' || b.type === 'credit_note') && !b.number) ctx.addIssue({ code: 'custom', path: ['number'], params: { key: 'required' }, message: 'required' });
    if (b.type !== 'adjustment' && b.amountMinor <= 0) ctx.addIssue({ code: 'custom', path: ['amountMinor'], params: { key: 'tooSmall' }, message: 'positive' });
  });
export type CreateDocumentBody = z.infer<typeof createDocumentBody>;

export const updateDocumentBody = z.strictObject({
  dueOn: isoDateField.nullable().optional(),
  reference: z.string().trim().max(200).nullable().optional(),
  pdfUrl: z.url({ protocol: /^https?$/ }).max(1000).nullable().optional(),
  /** Cancelling or writing off closes the open rest with a dated adjustment; the invoice itself is never altered. */
  status: z.enum(['cancelled', 'written_off']).optional(),
});

export const DOCUMENT_SORTS = ['dueOn', 'issuedOn', 'number', 'amountMinor', 'openMinor', 'customerName'] as const;
export const documentListQuery = listQuery
  .extend({
    customerId: z.string().max(100).optional(),
    type: z.enum(DOCUMENT_TYPES).optional(),
    status: z.string().max(30).optional(),
    currency: currencyField.optional(),
    collectorId: z.string().max(100).optional(),
    segment: z.string().max(100).optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    isOpen: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    minAmountMinor: z.coerce.number().int().optional(),
    maxAmountMinor: z.coerce.number().int().optional(),
    dueFrom: isoDateField.optional(),
    dueTo: isoDateField.optional(),
    q: z.string().trim().max(100).optional(),
    sort: z.enum(DOCUMENT_SORTS).default('dueOn'),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();
export type DocumentListQuery = z.infer<typeof documentListQuery>;
