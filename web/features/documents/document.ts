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
  pdfUrl: string | null; hasPdfFile?: boolean; customerName?: string; customerCode?: string;
  /** Instalment k of n of an invoice with several due dates (each its own line); null for a single due date. */
  instalmentNo?: number | null; instalmentCount?: number | null;
};

/** `amountMinor` < 0 with `reversalOfId` set: a reversal, itself a dated allocation (history is never rewritten). */
export type Allocation = { id: string; fromDocumentId: string; toDocumentId: string; amountMinor: number; allocatedOn: string; reversalOfId: string | null };
export type DocumentDetail = LedgerDocument & { allocations: Allocation[]; instalments?: LedgerDocument[] };

export const isCredit = (d: LedgerDocument) => d.type !== 'invoice' && d.openMinor < 0;
export const isOverdue = (d: LedgerDocument, today: string) => d.type === 'invoice' && d.openMinor > 0 && !!d.dueOn && d.dueOn < today;

export const isClosed = (d: Pick<LedgerDocument, 'status'>) => d.status === 'cancelled' || d.status === 'written_off';

/** An invoice still owed can be cancelled or written off: both close its open rest with a dated adjustment. */
export const canClose = (d: LedgerDocument) => d.type === 'invoice' && d.openMinor > 0 && (d.status === 'open' || d.status === 'partially_paid');

/** The uploaded PDF first (served by the API), else the ERP's link. */
export const pdfHref = (d: LedgerDocument) => (d.hasPdfFile ? `/api/v1/documents/${d.id}/pdf` : d.pdfUrl);

/** "Invoice FA-1", "Payment" (payments may have no number), "Invoice FA-2 · 2/3" for an instalment. */
export const documentLabel = (d: Pick<LedgerDocument, 'type' | 'number' | 'instalmentNo' | 'instalmentCount'>, t: (key: string) => string) =>
  `${t(`documentType.${d.type}`)} ${d.number ?? ''}${d.instalmentCount ? ` · ${d.instalmentNo}/${d.instalmentCount}` : ''}`.replace(/\s+/g, ' ').trim();
