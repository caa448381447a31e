import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { allocateAutomatically } from '../../domain/allocation';
import type { TenantContext } from '../../http/context';
import { AppError, invalidField, notFound, unknownReference } from '../../http/errors';
import { amountMinorField, isoDateField } from '../../http/fields';
import { audit } from '../audit-log/audit';
import { companyToday } from '../companies/companies.service';
import { recomputeOpenAmounts, refreshCustomerBalances } from '../documents/balances.repository';
import { findDocument, listCustomerDocuments, type LedgerDocument } from '../documents/documents.repository';

export const createAllocationBody = z.strictObject({
  fromDocumentId: z.string().min(1).max(100),
  toDocumentId: z.string().min(1).max(100),
  amountMinor: amountMinorField.min(1),
  allocatedOn: isoDateField.optional(),
});
export type CreateAllocationBody = z.infer<typeof createAllocationBody>;

export type Allocation = { id: string; fromDocumentId: string; toDocumentId: string; amountMinor: number; allocatedOn: string; reversalOfId: string | null; createdAt: string };

const CREDIT_TYPES = new Set(['payment', 'credit_note', 'adjustment']);

/**
 * Links a payment, credit note or (negative) adjustment to an invoice of the same customer and currency, for at most
 * what both still have open. Dated on the later of the two documents' dates unless said otherwise.
 */
export async function allocateInTransaction(db: Db, deps: Deps, ctx: TenantContext, from: LedgerDocument, to: LedgerDocument, amountMinor: number, allocatedOn?: string): Promise<Allocation> {
  if (!CREDIT_TYPES.has(from.type) || from.openMinor >= 0) throw invalidField('fromDocumentId', 'notACredit');
  if (to.type !== 'invoice' || to.openMinor <= 0) throw invalidField('toDocumentId', 'notAnOpenInvoice');
  if (from.customerId !== to.customerId) throw invalidField('toDocumentId', 'differentCustomer');
  if (from.currency !== to.currency) throw invalidField('toDocumentId', 'currencyMismatch');
  if (amountMinor > to.openMinor || amountMinor > -from.openMinor) throw invalidField('amountMinor', 'amountTooLarge');
  const allocation: Allocation = {
    id: randomUUID(),
    fromDocumentId: from.id,
    toDocumentId: to.id,
    amountMinor,
    allocatedOn: allocatedOn ?? (from.issuedOn > to.issuedOn ? from.issuedOn : to.issuedOn),
    reversalOfId: null,
    createdAt: deps.clock.now().toISOString(),
  };
  await insertAllocation(db, ctx.tenantId, allocation, ctx.actor.type === 'user' ? ctx.actor.userId : null);
  await recomputeOpenAmounts(db, ctx.tenantId, [from.id, to.id]);
  await refreshCustomerBalances(db, ctx.tenantId, [to.customerId]);
  return allocation;
}

async function insertAllocation(db: Db, tenantId: string, a: Allocation, createdBy: string | null) {
  await db
    .insertInto('allocations')
    .values({ id: a.id, tenant_id: tenantId, from_document_id: a.fromDocumentId, to_document_id: a.toDocumentId, amount_minor: a.amountMinor, allocated_on: a.allocatedOn, reversal_of_id: a.reversalOfId, created_by: createdBy, created_at: a.createdAt })
    .execute();
}

export async function createAllocation(deps: Deps, ctx: TenantContext, body: CreateAllocationBody): Promise<Allocation> {
  return deps.db.transaction().execute(async (trx) => {
    const from = await findDocument(trx, ctx.tenantId, body.fromDocumentId);
    if (!from) throw unknownReference('fromDocumentId');
    const to = await findDocument(trx, ctx.tenantId, body.toDocumentId);
    if (!to) throw unknownReference('toDocumentId');
    const a = await allocateInTransaction(trx, deps, ctx, from, to, body.amountMinor, body.allocatedOn);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'allocation.created', entityType: 'allocation', entityId: a.id, after: a });
    return a;
  });
}

/** A reversal is a new, dated, negative allocation: history is never rewritten (a bounced payment, a mistake). */
export async function reverseAllocation(deps: Deps, ctx: TenantContext, id: string, reversedOn?: string): Promise<Allocation> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('allocations').selectAll().where('tenant_id', '=', ctx.tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    if (row.reversal_of_id || row.amount_minor < 0) throw invalidField('id', 'alreadyReversed');
    const already = await trx.selectFrom('allocations').select('id').where('tenant_id', '=', ctx.tenantId).where('reversal_of_id', '=', id).executeTakeFirst();
    if (already) throw new AppError('CONFLICT', {}, [{ path: 'id', key: 'alreadyReversed' }]);
    // A cancelled or written-off invoice stays closed: reopening part of it would contradict its status.
    const target = await findDocument(trx, ctx.tenantId, row.to_document_id);
    if (target && (target.status === 'cancelled' || target.status === 'written_off')) throw invalidField('id', 'invoiceClosed');
    const on = reversedOn ?? (await companyToday(trx, deps.clock, ctx.tenantId));
    if (on < row.allocated_on) throw invalidField('reversedOn', 'beforeAllocation');
    const reversal: Allocation = { id: randomUUID(), fromDocumentId: row.from_document_id, toDocumentId: row.to_document_id, amountMinor: -row.amount_minor, allocatedOn: on, reversalOfId: id, createdAt: deps.clock.now().toISOString() };
    await insertAllocation(trx, ctx.tenantId, reversal, ctx.actor.type === 'user' ? ctx.actor.userId : null);
    await recomputeOpenAmounts(trx, ctx.tenantId, [row.from_document_id, row.to_document_id]);
    const inv = await findDocument(trx, ctx.tenantId, row.to_document_id);
    await refreshCustomerBalances(trx, ctx.tenantId, [inv!.customerId]);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'allocation.reversed', entityType: 'allocation', entityId: id, after: reversal });
    return reversal;
  });
}

/**
 * The automatic rule of DOMAIN.md for every unallocated credit of a customer, oldest first: a reference naming an
 * invoice, then invoices already due, oldest due date first (Code civil art. 1342-10).
 */
export async function autoAllocateCustomer(db: Db, deps: Deps, ctx: TenantContext, customerId: string): Promise<Allocation[]> {
  const today = await companyToday(db, deps.clock, ctx.tenantId);
  const docs = await listCustomerDocuments(db, ctx.tenantId, customerId, { onlyOpen: true });
  const credits = docs.filter((d) => CREDIT_TYPES.has(d.type) && d.openMinor < 0).sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.id.localeCompare(b.id));
  const invoices = docs.filter((d) => d.type === 'invoice' && d.openMinor > 0 && d.dueOn);
  const made: Allocation[] = [];
  for (const credit of credits) {
    const plan = allocateAutomatically(
      { amountMinor: -credit.openMinor, currency: credit.currency, reference: credit.reference ?? undefined },
      invoices.map((i) => ({ id: i.id, number: i.number ?? '', currency: i.currency, dueOn: i.dueOn!, openMinor: i.openMinor })),
      today,
    );
    for (const p of plan.allocations) {
      const inv = invoices.find((i) => i.id === p.invoiceId)!;
      const a: Allocation = { id: randomUUID(), fromDocumentId: credit.id, toDocumentId: inv.id, amountMinor: p.amountMinor, allocatedOn: credit.issuedOn > inv.issuedOn ? credit.issuedOn : inv.issuedOn, reversalOfId: null, createdAt: deps.clock.now().toISOString() };
      await insertAllocation(db, ctx.tenantId, a, null);
      inv.openMinor -= p.amountMinor;
      made.push(a);
    }
    credit.openMinor += plan.allocations.reduce((s, p) => s + p.amountMinor, 0);
  }
  if (made.length) {
    await recomputeOpenAmounts(db, ctx.tenantId, [...new Set(made.flatMap((a) => [a.fromDocumentId, a.toDocumentId]))]);
    await refreshCustomerBalances(db, ctx.tenantId, [customerId]);
  }
  return made;
}

export async function listDocumentAllocations(db: Db, tenantId: string, documentId: string): Promise<Allocation[]> {
  const rows = await db
    .selectFrom('allocations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('from_document_id', '=', documentId), eb('to_document_id', '=', documentId)]))
    .orderBy('allocated_on')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, fromDocumentId: r.from_document_id, toDocumentId: r.to_document_id, amountMinor: r.amount_minor, allocatedOn: r.allocated_on, reversalOfId: r.reversal_of_id, createdAt: r.created_at }));
}
