/**
 * Allocations: dated links from a payment, credit note or adjustment to an invoice, the single source of truth for
 * open amounts (DOMAIN.md "Documents, allocations, open amounts").
 *
 * The automatic rule for a credit that names no invoice: an invoice whose number matches the credit's reference
 * first; then — the legal default when the debtor did not choose (Code civil art. 1342-10: "à défaut d'indication
 * par le débiteur, l'imputation a lieu d'abord sur les dettes échues … sur la plus ancienne") — the invoices already
 * due, oldest due date first. Whatever is left stays unallocated (DOMAIN.md: an overpayment leaves an unallocated
 * credit). Never across currencies, never beyond an invoice's open amount or the credit's available amount.
 */
import { assertIsoDate, compareDates, type IsoDate } from './calendar';
import { assertMinor } from './money';

export interface UnallocatedCredit {
  /** Amount still available to allocate, positive, in minor units. */
  amountMinor: number;
  currency: string;
  /** Free text the payer wrote (bank transfer reference, remittance line). */
  reference?: string | null;
}

export interface OpenInvoice {
  id: string;
  number: string;
  currency: string;
  dueOn: IsoDate;
  openMinor: number;
}

export interface ProposedAllocation {
  invoiceId: string;
  amountMinor: number;
  /** Why this invoice: named by the reference, or the art. 1342-10 default. */
  reason: 'reference' | 'oldestDue';
}

export interface AllocationPlan {
  allocations: ProposedAllocation[];
  /** What stays unallocated: credit − Σ allocations. */
  remainingMinor: number;
}

/**
 * Reference/number comparison form: trimmed, case-insensitive, spaces ignored, so "inv 2025-0042 " matches
 * "INV2025-0042". Only whitespace is dropped: dashes and slashes distinguish real invoice numbers.
 */
export function normaliseReference(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '').toLocaleUpperCase('en-US');
}

const numberCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Same due date: by number, numerically where digits are ("INV-9" before "INV-10"), then by id so the result never depends on input order. */
function byDueDateThenNumber(a: OpenInvoice, b: OpenInvoice): number {
  return compareDates(a.dueOn, b.dueOn) || numberCollator.compare(a.number, b.number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The automatic allocation of one unallocated credit against the customer's open invoices, as of `today`.
 * "Already due" = due date on or before today: a debt is échue (payable) on its due date, even though it is only
 * overdue from the day after.
 */
export function allocateAutomatically(credit: UnallocatedCredit, invoices: readonly OpenInvoice[], today: IsoDate): AllocationPlan {
  assertMinor(credit.amountMinor, 'credit amountMinor');
  if (credit.amountMinor < 0) throw new RangeError('The credit amount must be the positive amount available to allocate');
  assertIsoDate(today, 'today');

  const candidates = invoices
    .filter((invoice) => {
      assertMinor(invoice.openMinor, `open amount of ${invoice.number}`);
      assertIsoDate(invoice.dueOn, `due date of ${invoice.number}`);
      return invoice.currency === credit.currency && invoice.openMinor > 0;
    })
    .sort(byDueDateThenNumber);
  const openLeft = new Map<string, number>();
  for (const invoice of candidates) {
    if (openLeft.has(invoice.id)) throw new RangeError(`Invoice id ${invoice.id} is listed twice`);
    openLeft.set(invoice.id, invoice.openMinor);
  }

  const allocations: ProposedAllocation[] = [];
  let remaining = credit.amountMinor;
  const allocate = (invoice: OpenInvoice, reason: ProposedAllocation['reason']): void => {
    const amount = Math.min(remaining, openLeft.get(invoice.id)!);
    if (amount <= 0) return;
    openLeft.set(invoice.id, openLeft.get(invoice.id)! - amount);
    remaining -= amount;
    const previous = allocations.find((a) => a.invoiceId === invoice.id);
    if (previous) previous.amountMinor += amount;
    else allocations.push({ invoiceId: invoice.id, amountMinor: amount, reason });
  };

  const reference = credit.reference == null ? '' : normaliseReference(credit.reference);
  if (reference !== '') {
    // The payer named it: honoured even when the invoice is not yet due (the debtor chose, art. 1342-10 al. 1).
    for (const invoice of candidates) if (normaliseReference(invoice.number) === reference) allocate(invoice, 'reference');
  }
  for (const invoice of candidates) {
    if (remaining === 0) break;
    if (compareDates(invoice.dueOn, today) <= 0) allocate(invoice, 'oldestDue');
  }
  return { allocations, remainingMinor: remaining };
}

export interface DatedAllocation {
  allocatedOn: IsoDate;
  /** Positive settles the invoice; a reversal is a negative allocation with its own date (DOMAIN.md). */
  amountMinor: number;
}

/** DOMAIN.md: open amount of an invoice at a date = its amount − the allocations dated on or before that date. */
export function openAmountAt(invoiceAmountMinor: number, allocations: readonly DatedAllocation[], date: IsoDate): number {
  assertMinor(invoiceAmountMinor, 'invoiceAmountMinor');
  assertIsoDate(date, 'date');
  let open = invoiceAmountMinor;
  for (const allocation of allocations) {
    assertMinor(allocation.amountMinor, 'allocation amountMinor');
    if (compareDates(allocation.allocatedOn, date) <= 0) open -= allocation.amountMinor;
  }
  assertMinor(open, 'open amount');
  return open;
}
