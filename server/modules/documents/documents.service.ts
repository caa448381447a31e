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
import { recomputeOpenAmounts, refreshCustomerBalances } from './balances.repository';
import {
  deleteDocument,
  findDocument,
  findDocumentByIdentity,
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

export async function createDocument(deps: Deps, ctx: TenantContext, body: CreateDocumentBody): Promise<LedgerDocument> {
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
    if (dueOn && dueOn < body.issuedOn) throw invalidField('dueOn', 'beforeIssue');
    const amount = signedAmount(body.type, body.amountMinor);
    const at = deps.clock.now().toISOString();
    const doc: LedgerDocument = {
      id: randomUUID(), customerId: customer.id, source, type: body.type, number, identityKey: key, issuedOn: body.issuedOn, dueOn,
      isDueOnDerived: isInvoice && !body.dueOn, currency: body.currency, amountMinor: amount, openMinor: amount,
      status: isInvoice ? 'open' : 'unallocated', reference: body.reference ?? null, pdfUrl: body.pdfUrl ?? null, hasPdfFile: false, importId: null, createdAt: at, updatedAt: at,
    };
    await insertDocument(trx, ctx.tenantId, doc);
    if (body.appliesToDocumentId) {
      const target = await findDocument(trx, ctx.tenantId, body.appliesToDocumentId);
      if (!target) throw unknownReference('appliesToDocumentId');
      // Dated on the payment's or credit note's own issue date (DOMAIN.md).
      await allocateInTransaction(trx, deps, ctx, doc, target, Math.min(-doc.openMinor, target.openMinor), doc.issuedOn);
    }
    await recomputeOpenAmounts(trx, ctx.tenantId, [doc.id]);
    await refreshCustomerBalances(trx, ctx.tenantId, [customer.id]);
    const saved = (await findDocument(trx, ctx.tenantId, doc.id))!;
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.created', entityType: 'document', entityId: doc.id, after: saved });
    return saved;
  });
}

async function closeWithAdjustment(trx: Db, deps: Deps, ctx: TenantContext, invoice: LedgerDocument, on: string, reason: string) {
  if (invoice.openMinor <= 0) return;
  const at = deps.clock.now().toISOString();
  const adj: LedgerDocument = {
    id: randomUUID(), customerId: invoice.customerId, source: invoice.source, type: 'adjustment', number: null,
    identityKey: `${invoice.source}|adjustment|${reason}|${invoice.id}|${at}`, issuedOn: on, dueOn: null, isDueOnDerived: false,
    currency: invoice.currency, amountMinor: -invoice.openMinor, openMinor: -invoice.openMinor, status: 'unallocated',
    reference: invoice.number, pdfUrl: null, hasPdfFile: false, importId: null, createdAt: at, updatedAt: at,
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
    if (body.status) {
      if (before.type !== 'invoice') throw invalidField('status', 'invalidValue');
      await closeWithAdjustment(trx, deps, ctx, before, await companyToday(trx, deps.clock, ctx.tenantId), body.status);
      set.status = body.status;
    }
    await updateDocumentFields(trx, ctx.tenantId, id, set);
    await recomputeOpenAmounts(trx, ctx.tenantId, [id]);
    await refreshCustomerBalances(trx, ctx.tenantId, [before.customerId]);
    const after = (await findDocument(trx, ctx.tenantId, id))!;
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.updated', entityType: 'document', entityId: id, before, after });
    return after;
  });
}

export async function removeDocument(deps: Deps, ctx: TenantContext, id: string) {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findDocument(trx, ctx.tenantId, id);
    if (!before) throw notFound();
    const linked = await listDocumentAllocations(trx, ctx.tenantId, id);
    await deleteDocument(trx, ctx.tenantId, id);
    // The other side of each allocation gets its open amount back.
    const others = [...new Set(linked.map((a) => (a.fromDocumentId === id ? a.toDocumentId : a.fromDocumentId)))];
    await recomputeOpenAmounts(trx, ctx.tenantId, others);
    await refreshCustomerBalances(trx, ctx.tenantId, [before.customerId]);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'document.deleted', entityType: 'document', entityId: id, before: { ...before, allocations: linked } });
  });
}

export async function getDocumentDetail(deps: Deps, tenantId: string, id: string) {
  const doc = await findDocument(deps.db, tenantId, id);
  if (!doc) throw notFound();
  return { ...doc, allocations: await listDocumentAllocations(deps.db, tenantId, id) };
}

export async function listDocumentPage(deps: Deps, tenantId: string, q: DocumentListQuery, timeZone?: string) {
  const offset = cursorOffset(q.cursor);
  const today = await companyToday(deps.db, deps.clock, tenantId, timeZone);
  return page(await listDocuments(deps.db, tenantId, { ...q, today, offset }), q.limit, offset);
}
