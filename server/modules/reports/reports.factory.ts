import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { apiKeyClient, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../test/test-app';
import { createApiKey } from '../api-keys/api-keys.service';
import { createCompanyWithOwner } from '../companies/companies.service';
import { refreshCustomerBalances } from '../documents/balances.repository';

/**
 * Test factory: writes ledger rows directly (the ledger write API belongs to another module), keeping the cached
 * open amounts exactly as the ledger does — invoices: amount − allocations; payments, credit notes, adjustments:
 * amount + allocations.
 */
export class LedgerFactory {
  private seq = 0;
  constructor(readonly db: Db, readonly tenantId: string) {}

  private now = () => new Date().toISOString();

  async customer(opts: { code?: string; name?: string; collectorUserId?: string | null; segment?: string | null; currency?: string; status?: string } = {}): Promise<string> {
    const id = randomUUID();
    const n = ++this.seq;
    await this.db
      .insertInto('customers')
      .values({
        id, tenant_id: this.tenantId, code: opts.code ?? `C${n}`, name: opts.name ?? `Customer ${n}`, legal_id: null, vat_id: null, debtor_type: 'business',
        address_line1: null, address_line2: null, postal_code: null, city: null, country: null, language: null, currency: opts.currency ?? 'EUR',
        payment_terms_days: 30, payment_terms_end_of_month: 0, credit_limit_minor: null, collector_user_id: opts.collectorUserId ?? null,
        segment: opts.segment ?? null, tags_json: '[]', parent_customer_id: null, custom_fields_json: '{}', status: opts.status ?? 'active',
        created_at: this.now(), updated_at: this.now(),
      })
      .execute();
    return id;
  }

  private async document(customerId: string, type: string, o: { issuedOn: string; dueOn?: string | null; amountMinor: number; currency?: string; number?: string }): Promise<string> {
    const id = randomUUID();
    const number = o.number ?? `${type.toUpperCase()}-${++this.seq}`;
    await this.db
      .insertInto('documents')
      .values({
        id, tenant_id: this.tenantId, customer_id: customerId, source: 'test', type, number, identity_key: `test|${type}|${number}|${id}`,
        issued_on: o.issuedOn, due_on: o.dueOn ?? null, is_due_on_derived: 0, currency: o.currency ?? 'EUR', amount_minor: o.amountMinor,
        open_minor: o.amountMinor, status: 'open', reference: null, pdf_url: null, pdf_file: null, import_id: null, created_at: this.now(), updated_at: this.now(),
      })
      .execute();
    // Like the ledger, keep the per-customer cache in step (the top late customers read it).
    await refreshCustomerBalances(this.db, this.tenantId, [customerId]);
    return id;
  }

  invoice(customerId: string, o: { issuedOn: string; dueOn: string; amountMinor: number; currency?: string; number?: string }) {
    return this.document(customerId, 'invoice', o);
  }

  /** A payment received: `amountMinor` is what was paid (positive); the ledger stores it negative. */
  payment(customerId: string, o: { issuedOn: string; amountMinor: number; currency?: string }) {
    return this.document(customerId, 'payment', { ...o, amountMinor: -Math.abs(o.amountMinor) });
  }

  creditNote(customerId: string, o: { issuedOn: string; amountMinor: number; currency?: string; number?: string }) {
    return this.document(customerId, 'credit_note', { ...o, amountMinor: -Math.abs(o.amountMinor) });
  }

  adjustment(customerId: string, o: { issuedOn: string; amountMinor: number; currency?: string; dueOn?: string }) {
    return this.document(customerId, 'adjustment', o);
  }

  /** Allocates `amountMinor` (negative for a reversal) from a payment, credit note or adjustment to an invoice. */
  async allocate(fromId: string, toId: string, amountMinor: number, allocatedOn: string, reversalOfId: string | null = null): Promise<string> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('allocations')
        .values({ id, tenant_id: this.tenantId, from_document_id: fromId, to_document_id: toId, amount_minor: amountMinor, allocated_on: allocatedOn, reversal_of_id: reversalOfId, created_by: null, created_at: this.now() })
        .execute();
      await trx.updateTable('documents').set({ open_minor: sql`open_minor - ${amountMinor}` }).where('id', '=', toId).execute();
      await trx.updateTable('documents').set({ open_minor: sql`open_minor + ${amountMinor}` }).where('id', '=', fromId).execute();
      const to = await trx.selectFrom('documents').select('customer_id').where('id', '=', toId).executeTakeFirstOrThrow();
      await refreshCustomerBalances(trx, this.tenantId, [to.customer_id]);
    });
    return id;
  }

  /** A payment issued on `paidOn` and allocated in full to one invoice the same day. */
  async pay(customerId: string, invoiceId: string, amountMinor: number, paidOn: string, currency = 'EUR'): Promise<string> {
    const paymentId = await this.payment(customerId, { issuedOn: paidOn, amountMinor, currency });
    await this.allocate(paymentId, invoiceId, amountMinor, paidOn);
    return paymentId;
  }
}

const k = (major: number) => major * 100;

/**
 * DOMAIN.md "Metrics" worked example as ledger data, one currency (EUR), 2025. Sales Oct 120,000, Nov 100,000
 * (110,000 invoiced − a 10,000 credit note), Dec 150,000. Receivables 210,000 at 30 Sep, 230,000 at 30 Nov,
 * 260,000 at 31 Dec: not yet due 140,000; overdue 70,000 (1–30), 30,000 (31–60), 12,000 (61–90), 8,000 (over 90).
 */
export async function buildWorkedExample(f: LedgerFactory, opts: { collectorUserId?: string; segment?: string } = {}) {
  const a = await f.customer({ code: 'WX-A', name: 'Worked Example A', collectorUserId: opts.collectorUserId, segment: opts.segment ?? 'Key accounts' });
  const b = await f.customer({ code: 'WX-B', name: 'Worked Example B', collectorUserId: opts.collectorUserId, segment: opts.segment ?? 'Key accounts' });
  // Before the period: 210,000 invoiced by 30 Sep, nothing paid yet.
  const a1 = await f.invoice(a, { issuedOn: '2025-08-20', dueOn: '2025-09-19', amountMinor: k(110_000), number: 'A1' });
  const a2 = await f.invoice(b, { issuedOn: '2025-09-15', dueOn: '2025-09-30', amountMinor: k(100_000), number: 'A2' });
  // October 120,000.
  const b1 = await f.invoice(a, { issuedOn: '2025-10-01', dueOn: '2025-10-31', amountMinor: k(80_000), number: 'B1' });
  const b2 = await f.invoice(b, { issuedOn: '2025-10-20', dueOn: '2025-11-19', amountMinor: k(40_000), number: 'B2' });
  // November 110,000 − 10,000 credit note.
  const c1 = await f.invoice(a, { issuedOn: '2025-11-03', dueOn: '2025-12-03', amountMinor: k(60_000), number: 'C1' });
  const c2 = await f.invoice(b, { issuedOn: '2025-11-20', dueOn: '2025-12-20', amountMinor: k(50_000), number: 'C2' });
  const cn = await f.creditNote(b, { issuedOn: '2025-11-25', amountMinor: k(10_000), number: 'CN1' });
  await f.allocate(cn, c2, k(10_000), '2025-11-25');
  // December 150,000.
  const d1 = await f.invoice(a, { issuedOn: '2025-12-01', dueOn: '2025-12-31', amountMinor: k(90_000), number: 'D1' });
  await f.invoice(b, { issuedOn: '2025-12-15', dueOn: '2026-01-14', amountMinor: k(60_000), number: 'D2' });
  // Payments: 200,000 in Oct–Nov, 120,000 in Dec.
  await f.pay(b, a2, k(100_000), '2025-10-15');
  await f.pay(a, a1, k(100_000), '2025-11-10');
  await f.pay(a, a1, k(2_000), '2025-12-05'); // A1: 8,000 left, due 19 Sep → over 90 days at 31 Dec
  await f.pay(a, b1, k(68_000), '2025-12-10'); // B1: 12,000 left, due 31 Oct → 61 days
  await f.pay(b, b2, k(10_000), '2025-12-12'); // B2: 30,000 left, due 19 Nov → 42 days
  await f.pay(a, c1, k(30_000), '2025-12-18'); // C1 30,000 + C2 40,000 = 70,000 due in December, 1–30 days
  await f.pay(a, d1, k(10_000), '2025-12-22'); // D1 80,000 (due 31 Dec, 0 days) + D2 60,000 = 140,000 not yet due
  return { customerA: a, customerB: b };
}

/**
 * A company and an API-key client for it, made through the services (as the CLI does) rather than the sign-up
 * route, so that these tests do not depend on the sign-up flow.
 */
export async function reportsCompany(app: TestApp['app'], deps: Deps, name: string) {
  const { company } = await createCompanyWithOwner(deps.db, deps.clock, { name, timeZone: 'Europe/Paris', defaultLanguage: 'en', baseCurrency: 'EUR', owner: { email: uniqueEmail('owner'), password: STRONG_PASSWORD } }, { allowExistingUser: true });
  const { secret } = await createApiKey(deps, { actor: { type: 'system', label: 'test' }, tenantId: company.id, role: 'owner', ip: '' }, { name: 'reports', role: 'credit_manager' });
  return { tenantId: company.id, secret, agent: apiKeyClient(app, secret) };
}
