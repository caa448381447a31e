import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { addDays, endOfMonth } from '../../domain/calendar';
import type { TenantContext } from '../../http/context';
import { AppError, invalidField, notFound, unknownReference } from '../../http/errors';
import { cursorOffset, page } from '../../http/pagination';
import { allocateInTransaction, listDocumentAllocations } from '../allocations/allocations.service';
import { audit } from '../audit-log/audit';
import { companyToday, getCompany } from '../companies/companies.service';
import type { Customer } from '../customers/customers.repository';
import { findCustomer } from '../customers/customers.repository';
import { assertCompanyTotalsBounded } from './amount-bounds';
import { recomputeOpenAmounts, refreshCustomerBalances } from './balances.repository';
import {
  deleteDocument,
  findDocument,
  findDocumentByIdentity,
  findInvoiceLines,
  insertDocument,
  listDocuments,
  updateDocumentFields,
  type LedgerDocument,
} from './documents.repository';
import type { CreateDocumentBody, DocumentListQuery, DocumentType } from './documents.schemas';

/** The sign comes from the type: a credit note or a payment reduces what is owed however it was written. */
export function signedAmount(type: DocumentType | string, amountMinor: number): number {
  if (type === 'invoice') return Math.abs(amountMinor);
  if (type === 'credit_note' || type === 'payment') return -Math.abs(amountMinor);
  return amountMinor;
}

/** DOMAIN.md: without a due date, issue date + the customer's terms (else the company's); "end of month" terms too. */
export function deriveDueOn(issuedOn: string, customer: Pick<Customer, 'paymentTermsDays' | 'paymentTermsEndOfMonth'>, companyTermsDays: number): string {
  const due = addDays(issuedOn, customer.paymentTermsDays ?? companyTermsDays);
  return customer.paymentTermsEndOfMonth ? endOfMonth(due) : due;
}

/** Identity (company, source, type, number) — CONTRACTS.md. Unnumbered payments get a derived key from the importer. */
export function identityKey(source: string, type: string, number: string): string {
  return `${source}|${type}|${number}`;
}

export async function createDocument(deps: Deps, ctx: TenantContext, body: CreateDocumentBody): Promise<LedgerDocument & { instalments?: LedgerDocument[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const customer = await findCustomer(trx, ctx.tenantId, body.customerId);
    if (!customer) throw unknownReference('customerId');
    const company = await getCompany(trx, ctx.tenantId);
    const source = body.source ?? 'manual';
    const number = body.number ?? null;
    const key = number ? identityKey(source, body.type, number) : `${source}|${body.type}|${randomUUID()}`;
    if (await findDocumentByIdentity(trx, ctx.tenantId, key)) throw new AppError('CONFLICT', {}, [{ path: 'number', key: 'duplicate' }]);
    const isInvoice = body.type === 'invoice';
    const dueOn = isInvoice ? (body.dueOn ?? deriveDueOn(body.issuedOn, customer, company.paymentTermsDays)) : null;
    if (dueOn && dueOn < body.issuedOn && !body.instalments) throw invalidField('dueOn', 'beforeIssue');
    const amount = signedAmount(body.type, body.amountMinor);
    const at = deps.clock.now().toISOString();
    const base: LedgerDocument = {
      id: randomUUID(), customerId: customer.id, source, type: body.type, number, identityKey: key, issuedOn: body.issuedOn, dueOn,
      isDueOnDerived: isInvoice && !body.dueOn, currency: body.currency, amountMinor: amount, openMinor: amount,
      status: isInvoice ? 'open' : 'unallocated', reference: body.reference ?? null, pdfUrl: body.pdfUrl ?? null, hasPdfFile: false, importId: null,
      instalmentNo: null, instalmentCount: null, createdAt: at, updatedAt: at,
    };
    // An instalment schedule is written as one invoice line per due date, in due-date order (see migration 022).
    const schedule = body.instalments ? [...body.instalments].sort((a, b) => a.dueOn.localeCompare(b.dueOn)) : undefined;
    const lines: LedgerDocument[] = schedule
      ? schedule.map((i, index) => ({
          ...base, id: index === 0 ? base.id : randomUUID(), identityKey: instalmentKey(key, index + 1), dueOn: i.dueOn, isDueOnDerived: false,
          amountMinor: i.amountMinor, openMinor: i.amountMinor, instalmentNo: index + 1, instalmentCount: schedule.length,
        }))
      : [base];
    for (const line of lines) await insertDocument(trx, ctx.tenantId, line);
    // Before anything sums the new amount: the company's totals must stay exact (amount-bounds.ts).
    await assertCompanyTotalsBounded(trx, ctx.tenantId, 'amountMinor');
    const doc = lines[0];
    if (body.appliesToDocumentId) {
      const target = await findDocument(trx, ctx.tenantId, body.appliesToDocumentId);
      if (!target) throw unknownReference('appliesToDocumentId');
      await settleInvoice(trx, deps, ctx, doc, target);
    }
    await recomputeOpenAmounts(trx, ctx.tenantId, lines.map((l) => l.id));
    await refreshCustomerBalances(trx, ctx.tenantId, [customer.id]);
    const saved = (await findDocument(trx, ctx.tenantId, doc.id))!;
    const result = schedule ? { ...saved, instalments: await findInvoiceLines(trx, ctx.tenantId, saved) } : saved;
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.created', entityType: 'document', entityId: doc.id, after: result });
    return result;
  });
}

/** Identity of instalment k: the invoice's own key for the first, so that adding a schedule later keeps line 1. */
export function instalmentKey(invoiceKey: string, k: number): string {
  return k <= 1 ? invoiceKey : `${invoiceKey}#${k}`;
}

/**
 * A payment or credit note that names an invoice settles it, dated on its own issue date (DOMAIN.md). For an invoice
 * with instalments the named line is settled first, then the others by due date (the oldest debt first, art. 1342-10).
 */
async function settleInvoice(trx: Db, deps: Deps, ctx: TenantContext, credit: LedgerDocument, target: LedgerDocument) {
  if (target.type !== 'invoice') throw invalidField('appliesToDocumentId', 'notAnOpenInvoice');
  const lines = [target, ...(await findInvoiceLines(trx, ctx.tenantId, target)).filter((l) => l.id !== target.id)];
  let left = -credit.openMinor;
  for (const line of lines) {
    const amount = Math.min(left, line.openMinor);
    if (amount <= 0) continue;
    await allocateInTransaction(trx, deps, ctx, { ...credit, openMinor: -left }, line, amount, credit.issuedOn);
    left -= amount;
  }
  if (left === -credit.openMinor && target.openMinor <= 0) throw invalidField('appliesToDocumentId', 'notAnOpenInvoice');
}

async function closeWithAdjustment(trx: Db, deps: Deps, ctx: TenantContext, invoice: LedgerDocument, on: string, reason: string) {
  if (invoice.openMinor <= 0) return;
  const at = deps.clock.now().toISOString();
  const adj: LedgerDocument = {
    id: randomUUID(), customerId: invoice.customerId, source: invoice.source, type: 'adjustment', number: null,
    identityKey: `${invoice.source}|adjustment|${reason}|${invoice.id}|${at}`, issuedOn: on, dueOn: null, isDueOnDerived: false,
    currency: invoice.currency, amountMinor: -invoice.openMinor, openMinor: -invoice.openMinor, status: 'unallocated',
    reference: invoice.number, pdfUrl: null, hasPdfFile: false, importId: null, instalmentNo: null, instalmentCount: null, createdAt: at, updatedAt: at,
  };
  await insertDocument(trx, ctx.tenantId, adj);
  await allocateInTransaction(trx, deps, ctx, adj, invoice, invoice.openMinor, on);
}

export async function updateDocument(deps: Deps, ctx: TenantContext, id: string, body: { dueOn?: string | null; reference?: string | null; pdfUrl?: string | null; status?: 'cancelled' | 'written_off' }) {
  return deps.db.transaction().execute(async (trx) => {
    const before = await findDocument(trx, ctx.tenantId, id);
    if (!before) throw notFound();
    const set: Record<string, unknown> = { updated_at: deps.clock.now().toISOString() };
    if (body.dueOn !== undefined) {
      if (before.type !== 'invoice' || !body.dueOn) throw invalidField('dueOn', 'invalidValue');
      if (body.dueOn < before.issuedOn) throw invalidField('dueOn', 'beforeIssue');
      set.due_on = body.dueOn;
      set.is_due_on_derived = 0;
    }
    if (body.reference !== undefined) set.reference = body.reference;
    if (body.pdfUrl !== undefined) set.pdf_url = body.pdfUrl;
    if (body.status) set.status = body.status;
    // A due date belongs to its instalment; cancelling or writing off concerns the whole invoice, every instalment.
    const lines = body.status ? await findInvoiceLines(trx, ctx.tenantId, before) : [before];
    if (body.status) {
      if (before.type !== 'invoice') throw invalidField('status', 'invalidValue');
      const today = await companyToday(trx, deps.clock, ctx.tenantId);
      for (const line of lines) await closeWithAdjustment(trx, deps, ctx, line, today, body.status);
      // The closing adjustments are amounts too: they count in the company's totals.
      await assertCompanyTotalsBounded(trx, ctx.tenantId, 'status');
    }
    for (const line of lines) {
      await updateDocumentFields(trx, ctx.tenantId, line.id, line.id === id ? set : { updated_at: set.updated_at as string, status: body.status });
    }
    await recomputeOpenAmounts(trx, ctx.tenantId, lines.map((l) => l.id));
    await refreshCustomerBalances(trx, ctx.tenantId, [before.customerId]);
    const after = (await findDocument(trx, ctx.tenantId, id))!;
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.updated', entityType: 'document', entityId: id, before, after });
    return after;
  });
}

/** Deleting an invoice deletes all of its instalments; the other side of each allocation gets its open amount back. */
export async function removeDocument(deps: Deps, ctx: TenantContext, id: string) {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findDocument(trx, ctx.tenantId, id);
    if (!before) throw notFound();
    const lines = await findInvoiceLines(trx, ctx.tenantId, before);
    const ids = new Set(lines.map((l) => l.id));
    const linked = (await Promise.all(lines.map((l) => listDocumentAllocations(trx, ctx.tenantId, l.id)))).flat();
    // The adjustments that closed this invoice (cancel, write-off, an import's open amount or snapshot closing) exist
    // only for it: they go with it rather than linger as unexplained credits. Their identity names the line.
    const closers = await trx
      .selectFrom('documents')
      .select(['id', 'identity_key'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('type', '=', 'adjustment')
      .where('id', 'in', linked.length ? linked.map((a) => a.fromDocumentId) : [''])
      .execute();
    for (const c of closers) if (lines.some((l) => c.identity_key.includes(l.id))) ids.add(c.id);
    for (const docId of ids) await deleteDocument(trx, ctx.tenantId, docId);
    const others = [...new Set(linked.map((a) => (ids.has(a.fromDocumentId) ? a.toDocumentId : a.fromDocumentId)))].filter((o) => !ids.has(o));
    await recomputeOpenAmounts(trx, ctx.tenantId, others);
    await refreshCustomerBalances(trx, ctx.tenantId, [before.customerId]);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.deleted', entityType: 'document', entityId: id, before: { ...before, allocations: linked, ...(lines.length > 1 ? { instalments: lines } : {}) } });
  });
}

export async function getDocumentDetail(deps: Deps, tenantId: string, id: string) {
  const doc = await findDocument(deps.db, tenantId, id);
  if (!doc) throw notFound();
  const allocations = await listDocumentAllocations(deps.db, tenantId, id);
  return { ...doc, allocations, ...(doc.instalmentCount ? { instalments: await findInvoiceLines(deps.db, tenantId, doc) } : {}) };
}

export async function listDocumentPage(deps: Deps, tenantId: string, q: DocumentListQuery, timeZone?: string) {
  const offset = cursorOffset(q.cursor);
  const today = await companyToday(deps.db, deps.clock, tenantId, timeZone);
  return page(await listDocuments(deps.db, tenantId, { ...q, today, offset }), q.limit, offset);
}
