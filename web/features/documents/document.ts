export const DOCUMENT_TYPES = ['invoice', 'credit_note', 'payment', 'adjustment'] as const;
export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'cancelled', 'written_off'] as const;
export const CREDIT_STATUSES = ['unallocated', 'partially_allocated', 'allocated'] as const;

export const DOCUMENT_STATUS_COLORS: Record<string, string> = {
  open: 'blue', partially_paid: 'cyan', paid: 'green', cancelled: 'gray', written_off: 'dark',
  unallocated: 'orange', partially_allocated: 'yellow', allocated: 'green',
};

/** `amountMinor` is signed (invoices +, credit notes and payments −); `openMinor` likewise (credits ≤ 0). */
export type LedgerDocument = {
  id: string; customerId: string; source: string; type: string; number: string | null; issuedOn: string; dueOn: string | null;
  isDueOnDerived: boolean; currency: string; amountMinor: number; openMinor: number; status: string; reference: string | null;
  pdfUrl: string | null; customerName?: string; customerCode?: string;
};

export type Allocation = { id: string; fromDocumentId: string; toDocumentId: string; amountMinor: number; allocatedOn: string; reversalOfId: string | null };

export const isCredit = (d: LedgerDocument) => d.type !== 'invoice' && d.openMinor < 0;
export const isOverdue = (d: LedgerDocument, today: string) => d.type === 'invoice' && d.openMinor > 0 && !!d.dueOn && d.dueOn < today;
