import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database';
import type { AllocationsTable, ContactsTable, CustomersTable, DocumentsTable } from '../../db/schema';
import type { Deps } from '../../deps';
import { addDays, diffDays, todayInTimeZone } from '../../domain/calendar';
import { createCompanyWithOwner } from '../companies/companies.service';
import { createMemberUser } from '../users/users.service';
import { mulberry32 } from './prng';
import { recomputeOpenAmounts, refreshCustomerBalances } from '../documents/balances.repository';

export const DEMO_LOGIN = { email: 'demo@example.com', password: 'paid-on-time-2026' } as const;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return !(await db.selectFrom('tenants').select('id').limit(1).executeTakeFirst());
}

function prng(seed: number) {
  const next = mulberry32(seed);
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const COMPANIES = [
  ['Atelier Dubois', 'FR', 'fr', 'EUR'], ['Bäckerei Hoffmann', 'DE', 'de', 'EUR'], ['Café Lisboa', 'PT', 'pt-BR', 'EUR'],
  ['Nordic Timber Oy', 'FI', 'fi', 'EUR'], ['Praha Stroje s.r.o.', 'CZ', 'cs', 'EUR'], ['Hellas Marine', 'GR', 'el', 'EUR'],
  ['Construcciones Vega', 'ES', 'es', 'EUR'], ['Acme Corporation', 'US', 'en', 'USD'], ['Shanghai Trading Co.', 'CN', 'zh-CN', 'USD'],
  ['Mumbai Textiles', 'IN', 'hi', 'USD'], ['Transports Lefèvre', 'FR', 'fr', 'EUR'], ['Maison Girard', 'FR', 'fr', 'EUR'],
  ['Schneider Logistik', 'DE', 'de', 'EUR'], ['Globex Inc.', 'US', 'en', 'USD'], ['Initech LLC', 'US', 'en', 'USD'],
  ['Boulangerie Martin', 'FR', 'fr', 'EUR'], ['Garage Petit', 'FR', 'fr', 'EUR'], ['Lyon Métal', 'FR', 'fr', 'EUR'],
  ['Ville de Rennes', 'FR', 'fr', 'EUR'], ['Hôpital Saint-Louis', 'FR', 'fr', 'EUR'], ['Bordeaux Vins', 'FR', 'fr', 'EUR'],
  ['Alpes Énergie', 'FR', 'fr', 'EUR'], ['Umbrella Corp', 'GB', 'en', 'USD'], ['Stark Industries', 'US', 'en', 'USD'],
  ['Wayne Enterprises', 'US', 'en', 'USD'], ['Madrid Diseño', 'ES', 'es', 'EUR'], ['Helsinki Design', 'FI', 'fi', 'EUR'],
  ['Brno Tech', 'CZ', 'cs', 'EUR'], ['Athens Foods', 'GR', 'el', 'EUR'], ['São Paulo Café', 'BR', 'pt-BR', 'USD'],
  ['Pharma Lille', 'FR', 'fr', 'EUR'], ['Nantes Imprimerie', 'FR', 'fr', 'EUR'], ['Toulouse Aéro', 'FR', 'fr', 'EUR'],
  ['Berlin Software', 'DE', 'de', 'EUR'], ['Wien Holz', 'AT', 'de', 'EUR'], ['Delhi Exports', 'IN', 'hi', 'USD'],
] as const;
const FIRST = ['Marie', 'Jean', 'Anna', 'Lukas', 'Sofia', 'Pedro', 'Li', 'Priya', 'Eleni', 'Mika', 'Tomáš', 'Laura'];
const LAST = ['Martin', 'Bernard', 'Müller', 'Silva', 'Wang', 'Sharma', 'Papadopoulos', 'Virtanen', 'Novák', 'García'];
const SEGMENTS = ['Key accounts', 'SMB', 'Public sector', 'Export'];

/**
 * Demo Industries: 36 customers with contacts, about 400 invoices over 14 months in EUR and USD, credit notes and
 * payments, most older invoices paid, some partly, some payments not yet allocated. Open amounts follow from the
 * allocations, as everywhere in the ledger.
 */
export async function seedDemoCompany(deps: Deps) {
  const { company, ownerUserId } = await createCompanyWithOwner(deps.db, deps.clock, {
    name: 'Demo Industries',
    timeZone: 'Europe/Paris',
    defaultLanguage: 'en',
    baseCurrency: 'EUR',
    owner: { email: DEMO_LOGIN.email, password: DEMO_LOGIN.password, firstName: 'Dana', lastName: 'Demo' },
  }, { allowExistingUser: true });
  const ctx = { actor: { type: 'system' as const, label: 'demo:seed' }, tenantId: company.id, role: 'owner' as const, ip: '' };
  const collector = await createMemberUser(deps, ctx, { email: 'collector@example.com', password: DEMO_LOGIN.password, role: 'collector', firstName: 'Colin', lastName: 'Collector' });

  const r = prng(20261126);
  const now = deps.clock.now().toISOString();
  const today = todayInTimeZone(deps.clock.now(), company.timeZone);
  const customers: CustomersTable[] = [];
  const contacts: ContactsTable[] = [];
  const documents: DocumentsTable[] = [];
  const instalmentLines: DocumentsTable[] = [];
  const allocations: AllocationsTable[] = [];

  COMPANIES.forEach(([name, country, language, currency], i) => {
    const id = randomUUID();
    const terms = r.pick([30, 30, 45, 60]);
    customers.push({
      id, tenant_id: company.id, code: `C${String(1001 + i)}`, name, legal_id: null, vat_id: null,
      debtor_type: name.startsWith('Ville') || name.startsWith('Hôpital') ? 'public' : 'business',
      address_line1: `${r.int(1, 200)} Main Street`, address_line2: null, postal_code: String(r.int(10000, 99999)), city: null, country,
      language, currency, payment_terms_days: terms, payment_terms_end_of_month: 0, credit_limit_minor: r.int(2, 20) * 1_000_000,
      collector_user_id: i % 2 === 0 ? collector.id : ownerUserId, segment: r.pick(SEGMENTS), tags_json: '[]', parent_customer_id: null,
      custom_fields_json: '{}', status: 'active', created_at: now, updated_at: now,
    });
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    contacts.push({
      id: randomUUID(), tenant_id: company.id, customer_id: id, title: null, first_name: first, last_name: last,
      email: i === 5 ? null : `${first}.${last}@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`.toLowerCase(),
      phone: `+33 1 ${r.int(10, 99)} ${r.int(10, 99)} ${r.int(10, 99)} ${r.int(10, 99)}`, fax: null, position: 'Accounts payable',
      roles_json: JSON.stringify(['billing', 'dunning']), language, is_dunning_contact: 1, created_at: now, updated_at: now,
    });

    const invoiceCount = r.int(6, 16);
    for (let n = 0; n < invoiceCount; n++) {
      const issuedOn = addDays(today, -r.int(1, 420));
      const dueOn = addDays(issuedOn, terms);
      const amount = r.int(200, 25_000) * 100 + r.int(0, 99);
      const invId = randomUUID();
      const number = `INV-${issuedOn.slice(0, 4)}-${String(documents.length + 1).padStart(5, '0')}`;
      const inv: DocumentsTable = {
        id: invId, tenant_id: company.id, customer_id: id, source: 'demo', type: 'invoice', number, identity_key: `demo|invoice|${number}`,
        issued_on: issuedOn, due_on: dueOn, is_due_on_derived: 0, currency, amount_minor: amount, open_minor: amount, status: 'open',
        reference: null, pdf_url: null, pdf_file: null, import_id: null, created_at: now, updated_at: now,
      };
      documents.push(inv);
      // Older invoices are mostly paid, late by a customer-specific habit; recent ones mostly open.
      const age = diffDays(today, dueOn);
      const roll = r.next();
      const paidShare = age > 90 ? 0.9 : age > 30 ? 0.6 : age > 0 ? 0.3 : 0.05;
      if (roll < paidShare) {
        const partial = r.next() < 0.12;
        const paid = partial ? Math.round(amount * 0.4) : amount;
        const paidOn = minDate(addDays(dueOn, r.int(-5, 10 + (i % 5) * 8)), today);
        const payId = randomUUID();
        documents.push({
          id: payId, tenant_id: company.id, customer_id: id, source: 'demo', type: 'payment', number: `PAY-${String(documents.length + 1).padStart(5, '0')}`,
          identity_key: `demo|payment|PAY-${documents.length + 1}`, issued_on: paidOn, due_on: null, is_due_on_derived: 0, currency,
          amount_minor: -paid, open_minor: 0, status: 'paid', reference: number, pdf_url: null, pdf_file: null, import_id: null, created_at: now, updated_at: now,
        });
        allocations.push({ id: randomUUID(), tenant_id: company.id, from_document_id: payId, to_document_id: invId, amount_minor: paid, allocated_on: paidOn, reversal_of_id: null, created_by: null, created_at: now });
        inv.open_minor = amount - paid;
        inv.status = inv.open_minor === 0 ? 'paid' : 'partially_paid';
      } else if (r.next() < 0.06) {
        const credit = Math.round(amount * 0.1);
        const cnId = randomUUID();
        const cnOn = minDate(addDays(issuedOn, 10), today);
        documents.push({
          id: cnId, tenant_id: company.id, customer_id: id, source: 'demo', type: 'credit_note', number: `CN-${String(documents.length + 1).padStart(5, '0')}`,
          identity_key: `demo|credit_note|CN-${documents.length + 1}`, issued_on: cnOn, due_on: null, is_due_on_derived: 0, currency,
          amount_minor: -credit, open_minor: 0, status: 'paid', reference: number, pdf_url: null, pdf_file: null, import_id: null, created_at: now, updated_at: now,
        });
        allocations.push({ id: randomUUID(), tenant_id: company.id, from_document_id: cnId, to_document_id: invId, amount_minor: credit, allocated_on: cnOn, reversal_of_id: null, created_by: null, created_at: now });
        inv.open_minor = amount - credit;
        inv.status = 'partially_paid';
      }
    }
    // A few customers pay a large order in three monthly instalments, each chased on its own due date.
    if (i % 7 === 2) {
      const issuedOn = addDays(today, -r.int(40, 70));
      const total = r.int(9_000, 30_000) * 100;
      const number = `INV-${issuedOn.slice(0, 4)}-9${String(instalmentLines.length + 1).padStart(4, '0')}`;
      const part = Math.floor(total / 3);
      [part, part, total - 2 * part].forEach((amount, k) => {
        const identity = k === 0 ? `demo|invoice|${number}` : `demo|invoice|${number}#${k + 1}`;
        instalmentLines.push({
          id: randomUUID(), tenant_id: company.id, customer_id: id, source: 'demo', type: 'invoice', number, identity_key: identity, issued_on: issuedOn,
          due_on: addDays(issuedOn, 30 * (k + 1)), is_due_on_derived: 0, currency, amount_minor: amount, open_minor: amount, status: 'open', reference: null,
          pdf_url: null, pdf_file: null, import_id: null, instalment_no: k + 1, instalment_count: 3, created_at: now, updated_at: now,
        });
      });
    }
    // A few customers paid on account without naming the invoice: unallocated credits.
    if (i % 9 === 4) {
      const amount = r.int(100, 2000) * 100;
      documents.push({
        id: randomUUID(), tenant_id: company.id, customer_id: id, source: 'demo', type: 'payment', number: `PAY-${String(documents.length + 1).padStart(5, '0')}`,
        identity_key: `demo|payment|PAY-${documents.length + 1}`, issued_on: addDays(today, -r.int(1, 20)), due_on: null, is_due_on_derived: 0, currency,
        amount_minor: -amount, open_minor: -amount, status: 'open', reference: null, pdf_url: null, pdf_file: null, import_id: null, created_at: now, updated_at: now,
      });
    }
  });

  await deps.db.transaction().execute(async (trx) => {
    for (const chunk of chunks(customers, 100)) await trx.insertInto('customers').values(chunk).execute();
    for (const chunk of chunks(contacts, 100)) await trx.insertInto('contacts').values(chunk).execute();
    for (const chunk of chunks(documents, 100)) await trx.insertInto('documents').values(chunk).execute();
    // Apart: rows of one multi-row INSERT must name the same columns.
    for (const chunk of chunks(instalmentLines, 100)) await trx.insertInto('documents').values(chunk).execute();
    for (const chunk of chunks(allocations, 100)) await trx.insertInto('allocations').values(chunk).execute();
    await recomputeOpenAmounts(trx, company.id);
    await refreshCustomerBalances(trx, company.id);
  });
  return { tenantId: company.id, email: DEMO_LOGIN.email, password: DEMO_LOGIN.password, customers: customers.length, documents: documents.length + instalmentLines.length };
}

function minDate(a: string, b: string) {
  return a < b ? a : b;
}
function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
