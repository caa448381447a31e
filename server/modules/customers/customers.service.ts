import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps';
import type { TenantContext } from '../../http/context';
import { AppError, invalidField, notFound, unknownReference } from '../../http/errors';
import { cursorOffset, page } from '../../http/pagination';
import { audit } from '../audit-log/audit';
import { companyToday, getCompany } from '../companies/companies.service';
import { findMember } from '../users/users.repository';
import {
  deleteCustomer,
  findCustomer,
  findCustomerByCode,
  insertCustomer,
  listBalances,
  listCustomers,
  overdueByCustomer,
  replaceCustomer,
  type Customer,
} from './customers.repository';
import type { CreateCustomerBody, CustomerListQuery, UpdateCustomerBody } from './customers.schemas';

export async function getCustomer(deps: Deps, tenantId: string, id: string): Promise<Customer> {
  const c = await findCustomer(deps.db, tenantId, id);
  if (!c) throw notFound();
  return c;
}

/** References to other rows must stay inside the company: a foreign id is refused like an unknown one. */
async function checkReferences(deps: Deps, tenantId: string, body: UpdateCustomerBody, selfId?: string) {
  if (body.collectorUserId && !(await findMember(deps.db, tenantId, body.collectorUserId))) throw unknownReference('collectorUserId');
  if (body.parentCustomerId) {
    if (body.parentCustomerId === selfId || !(await findCustomer(deps.db, tenantId, body.parentCustomerId))) throw unknownReference('parentCustomerId');
    // A group is a tree: the new parent may not be the customer itself or one of its own subsidiaries, at any depth.
    if (selfId) {
      for (let id: string | null = body.parentCustomerId, depth = 0; id && depth < 100; depth++) {
        if (id === selfId) throw invalidField('parentCustomerId', 'parentLoop');
        id = (await findCustomer(deps.db, tenantId, id))?.parentCustomerId ?? null;
      }
    }
  }
}

export async function createCustomer(deps: Deps, ctx: TenantContext, body: CreateCustomerBody): Promise<Customer> {
  await checkReferences(deps, ctx.tenantId, body);
  const at = deps.clock.now().toISOString();
  const customer: Customer = {
    id: randomUUID(),
    code: body.code,
    name: body.name,
    legalId: body.legalId ?? null,
    vatId: body.vatId ?? null,
    debtorType: body.debtorType ?? 'business',
    addressLine1: body.addressLine1 ?? null,
    addressLine2: body.addressLine2 ?? null,
    postalCode: body.postalCode ?? null,
    city: body.city ?? null,
    country: body.country ?? null,
    language: body.language ?? null,
    currency: body.currency ?? null,
    paymentTermsDays: body.paymentTermsDays ?? null,
    paymentTermsEndOfMonth: body.paymentTermsEndOfMonth ?? false,
    creditLimitMinor: body.creditLimitMinor ?? null,
    collectorUserId: body.collectorUserId ?? null,
    segment: body.segment ?? null,
    tags: body.tags ?? [],
    parentCustomerId: body.parentCustomerId ?? null,
    customFields: body.customFields ?? {},
    status: body.status ?? 'active',
    createdAt: at,
    updatedAt: at,
  };
  return deps.db.transaction().execute(async (trx) => {
    if (await findCustomerByCode(trx, ctx.tenantId, body.code)) throw new AppError('CONFLICT', {}, [{ path: 'code', key: 'duplicate' }]);
    await insertCustomer(trx, ctx.tenantId, customer);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'customer.created', entityType: 'customer', entityId: customer.id, after: customer });
    return customer;
  });
}

export async function updateCustomer(deps: Deps, ctx: TenantContext, id: string, body: UpdateCustomerBody): Promise<Customer> {
  await checkReferences(deps, ctx.tenantId, body, id);
  return deps.db.transaction().execute(async (trx) => {
    const before = await findCustomer(trx, ctx.tenantId, id);
    if (!before) throw notFound();
    if (body.code && body.code !== before.code && (await findCustomerByCode(trx, ctx.tenantId, body.code))) {
      throw new AppError('CONFLICT', {}, [{ path: 'code', key: 'duplicate' }]);
    }
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const after: Customer = { ...before, ...changes, updatedAt: deps.clock.now().toISOString() } as Customer;
    await replaceCustomer(trx, ctx.tenantId, after);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'customer.updated', entityType: 'customer', entityId: id, before, after });
    return after;
  });
}

export async function removeCustomer(deps: Deps, ctx: TenantContext, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findCustomer(trx, ctx.tenantId, id);
    if (!before) throw notFound();
    // Its contacts, documents, allocations and balances go with it (GDPR erasure of a debtor account).
    await deleteCustomer(trx, ctx.tenantId, id);
    await audit(trx, deps.clock, ctx, ctx.tenantId, { action: 'customer.deleted', entityType: 'customer', entityId: id, before });
  });
}

export async function listCustomerPage(deps: Deps, tenantId: string, q: CustomerListQuery) {
  const offset = cursorOffset(q.cursor);
  const company = await getCompany(deps.db, tenantId);
  const today = await companyToday(deps.db, deps.clock, tenantId, company.timeZone);
  const rows = await listCustomers(deps.db, tenantId, { ...q, today, offset, balanceCurrency: q.currency ?? company.baseCurrency });
  const result = page(rows, q.limit, offset);
  const ids = result.items.map((c) => c.id);
  const [balances, overdue] = await Promise.all([listBalances(deps.db, tenantId, ids), overdueByCustomer(deps.db, tenantId, ids, today)]);
  return { ...result, items: result.items.map((c) => presentCustomer(c, balances.get(c.id) ?? [], overdue.get(c.id) ?? {})) };
}

export async function getCustomerDetail(deps: Deps, tenantId: string, id: string) {
  const c = await getCustomer(deps, tenantId, id);
  const today = await companyToday(deps.db, deps.clock, tenantId);
  const [balances, overdue] = await Promise.all([listBalances(deps.db, tenantId, [id]), overdueByCustomer(deps.db, tenantId, [id], today)]);
  return presentCustomer(c, balances.get(id) ?? [], overdue.get(id) ?? {});
}

/**
 * Per currency, never summed across currencies: open invoices, overdue part, unallocated credits, net. Adds the
 * balances to `c` itself (a customer just read): copying its 24 fields into a new object cost ~1 µs a customer.
 */
export function presentCustomer(c: Customer, balances: { currency: string; openInvoicesMinor: number; unallocatedMinor: number; oldestOpenDueOn: string | null }[], overdue: Record<string, number>) {
  return Object.assign(c, {
    balances: balances.map((b) => ({
      currency: b.currency,
      openMinor: b.openInvoicesMinor,
      overdueMinor: overdue[b.currency] ?? 0,
      unallocatedMinor: b.unallocatedMinor,
      netMinor: b.openInvoicesMinor + b.unallocatedMinor,
      oldestOpenDueOn: b.oldestOpenDueOn,
    })),
  });
}
