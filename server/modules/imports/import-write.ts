import { randomUUID } from 'node:crypto';
import type { Db, Engine } from '../../db/database';
import { refreshStatistics } from '../../db/dialect';
import { collectGarbage, GC_EVERY_ROWS } from '../../imports/collect-garbage';
import type { AllocationsTable, DocumentsTable } from '../../db/schema';
import type { Table } from '../../imports/read-table';
import { insertMany, updateOpenAmounts } from '../../db/bulk';
import { currencyOverTotalBound } from '../documents/amount-bounds';
import { documentStatus, recomputeOpenAmounts, refreshCustomerBalances } from '../documents/balances.repository';
import { deriveDueOn, instalmentKey } from '../documents/documents.service';
import { columnIndex, parseRow, type Mapping, type ParsedRow, type RowFormats } from './import-rows';
import { ImportFileError, openInvoicesMissingFrom, withFormats, type FormatOptions, type Identities, type Schedules } from './import-validate';

const BATCH = 500;
/** Past this many touched documents, one set-based pass over the company is cheaper than per-id updates. */
const WHOLE_TENANT_THRESHOLD = 20_000;

type Ctx = { engine: Engine; tenantId: string; importId: string; source: string; today: string; now: string; companyTermsDays: number; actorId: string | null };
/** What a row asks beyond its document, kept small: a million-row file holds hundreds of thousands of these. */
type Intent = { docId: string; appliesTo?: string; paidOn?: string; openAmountMinor?: number };

/**
 * Pass 2, inside the caller's transaction: customers, contacts and documents upserted by identity in batches, then
 * allocations (appliesTo, paidOn), open-amount adjustments and snapshot closings, then the caches recomputed once.
 * Re-importing the same file finds everything in place and writes nothing.
 */
export async function writePass(db: Db, ctx: Ctx, input: { table: Table; mapping: Mapping; formats: FormatOptions; mode: 'delta' | 'snapshot'; rejected: Set<number>; identities: Identities; isNew: (rowNumber: number) => boolean; schedules: Schedules }, onRow: (n: number) => void) {
  const { columns, formats, rows } = await withFormats(input.table, input.mapping, input.formats);
  const customerIds = new Map<string, { id: string; termsDays: number | null; endOfMonth: boolean }>();
  const customersUpdated = new Set<string>();
  const contactsSeen = new Set<string>();
  const touchedDocs = new Set<string>();
  const touchedCustomers = new Set<string>();
  const applies: Intent[] = [];
  // Invoice numbers that a credit waiting for the pass after the rows names: later credits naming them wait too (file order).
  const pendingNumbers = new Set<string>();
  const paid: Intent[] = [];
  const opens: Intent[] = [];
  const ranks = new Map<string, number>();
  const rankOf = (k: string) => {
    const r = (ranks.get(k) ?? 0) + 1;
    ranks.set(k, r);
    return r;
  };
  let batch: ParsedRow[] = [];
  let done = 0;
  let settledInBatches = 0;

  const flush = async () => {
    if (!batch.length) return;
    await upsertCustomers(db, ctx, batch, customerIds, customersUpdated);
    await addContacts(db, ctx, batch, customerIds, contactsSeen);
    // Only existing documents whose amount changed need their open amount re-summed; new ones start at their amount.
    const { ids, settled } = await upsertDocuments(db, ctx, batch, input.isNew, customerIds, touchedDocs, (fresh) => settleWithinBatch(ctx, batch, fresh, input.schedules, pendingNumbers));
    settledInBatches += settled.size;
    for (const r of batch) {
      const docId = ids.get(r.identityKey)!;
      touchedCustomers.add(customerIds.get(r.customerCode)!.id);
      if (r.appliesTo && !settled.has(r.identityKey)) {
        applies.push({ docId, appliesTo: r.appliesTo });
        pendingNumbers.add(r.appliesTo);
      }
      if (r.paidOn) paid.push({ docId, paidOn: r.paidOn });
      if (r.openAmountMinor !== null) opens.push({ docId, openAmountMinor: r.openAmountMinor });
    }
    batch = [];
  };

  for await (const r of rows) {
    done++;
    if (!input.rejected.has(r.rowNumber)) {
      const { row } = parseRow(r.rowNumber, r.cells, columns, input.mapping, formats as RowFormats, ctx.source, rankOf);
      // Pass 1 rejected the later copies of a repeated document, so every row here is its identity's first; it numbered
      // the rows of an invoice repeated with other due dates as its instalments.
      if (row) {
        const count = row.type === 'invoice' ? input.schedules.counts.get(row.identityKey) : undefined;
        if (count) {
          row.instalmentNo = input.schedules.rows.get(row.rowNumber) ?? 1;
          row.instalmentCount = count;
          row.identityKey = instalmentKey(row.identityKey, row.instalmentNo);
        }
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
    }
    if (done % 1000 === 0) onRow(done);
    if (done % GC_EVERY_ROWS === 0) collectGarbage();
  }
  await flush();
  onRow(done);
  collectGarbage();

  // The planner must know how big the company now is before the per-id statements below (design.md, "statistics").
  // Rows written per table, about (an allocation per settled, applied or paid row): ANALYZE only where they count.
  const written = { documents: done, allocations: settledInBatches + applies.length + paid.length, customers: customerIds.size };
  if (done > 1000) await refreshStatistics(db, ctx.engine, written);
  // New documents were written with their open amount (nothing allocated yet); changed ones need re-summing.
  // Pass 1 checked the totals from what it could see; this is the exact check, inside the import's transaction.
  const over = await currencyOverTotalBound(db, ctx.tenantId);
  if (over) throw new ImportFileError('companyTotalTooLarge', { currency: over });
  await recompute(db, ctx, touchedDocs, written);
  touchedDocs.clear();
  await allocateApplies(db, ctx, applies);
  await payInFull(db, ctx, paid);
  await adjustOpenAmounts(db, ctx, opens, touchedDocs);
  let closed = 0;
  if (input.mode === 'snapshot') {
    const missing = await openInvoicesMissingFrom(db, ctx.tenantId, ctx.source, input.identities);
    for (const m of missing) {
      await insertAdjustment(db, ctx, { id: m.id, customerId: m.customer_id, currency: m.currency }, -m.open_minor, `close:${m.id}`, touchedDocs);
      touchedCustomers.add(m.customer_id);
    }
    closed = missing.length;
  }
  await recompute(db, ctx, touchedDocs, written);
  await refreshCustomerBalances(db, ctx.tenantId, touchedCustomers.size > WHOLE_TENANT_THRESHOLD / 10 ? undefined : [...touchedCustomers]);
  // The customer list reads customer_balances in index order: without statistics PostgreSQL read every balance of
  // the company and sorted them (49 ms instead of 0.5 ms a page at 20,000 customers; docs/performance.md, "Lists").
  if (touchedCustomers.size > 1000) await refreshStatistics(db, ctx.engine, { customer_balances: touchedCustomers.size });
  return { closed, customersUpdated: customersUpdated.size, written: { ...written, customer_balances: touchedCustomers.size } };
}

async function recompute(db: Db, ctx: Ctx, ids: Set<string>, written: Record<string, number>) {
  // After bulk inserts the planner's statistics are stale (an empty allocations table, a small company): refresh them
  // so that the per-id updates below look documents up by primary key instead of walking the company.
  if (ids.size > 1000) await refreshStatistics(db, ctx.engine, written);
  await recomputeOpenAmounts(db, ctx.tenantId, ids.size > WHOLE_TENANT_THRESHOLD ? undefined : [...ids]);
}

async function upsertCustomers(db: Db, ctx: Ctx, rows: ParsedRow[], ids: Map<string, { id: string; termsDays: number | null; endOfMonth: boolean }>, updated: Set<string>) {
  const first = new Map<string, ParsedRow>();
  for (const r of rows) if (!first.has(r.customerCode)) first.set(r.customerCode, r);
  const unknown = [...first.keys()].filter((c) => !ids.has(c));
  if (!unknown.length) return;
  const existing = await db.selectFrom('customers').select(['id', 'code', 'name', 'language', 'currency', 'payment_terms_days', 'payment_terms_end_of_month']).where('tenant_id', '=', ctx.tenantId).where('code', 'in', unknown).execute();
  for (const e of existing) {
    ids.set(e.code, { id: e.id, termsDays: e.payment_terms_days, endOfMonth: !!e.payment_terms_end_of_month });
    const r = first.get(e.code)!;
    const set: Record<string, string> = {};
    if (r.customerName && r.customerName !== e.name) set.name = r.customerName;
    if (r.customerLanguage && r.customerLanguage !== e.language) set.language = r.customerLanguage;
    if (r.customerCurrency && r.customerCurrency !== e.currency) set.currency = r.customerCurrency;
    if (Object.keys(set).length) {
      await db.updateTable('customers').set({ ...set, updated_at: ctx.now }).where('tenant_id', '=', ctx.tenantId).where('id', '=', e.id).execute();
      updated.add(e.code);
    }
  }
  const fresh = unknown.filter((c) => !ids.has(c)).map((code) => {
    const r = first.get(code)!;
    const id = randomUUID();
    ids.set(code, { id, termsDays: null, endOfMonth: false });
    return {
      id, tenant_id: ctx.tenantId, code, name: r.customerName ?? code, legal_id: null, vat_id: null, debtor_type: 'business', address_line1: null,
      address_line2: null, postal_code: null, city: null, country: null, language: r.customerLanguage, currency: r.customerCurrency ?? r.currency,
      payment_terms_days: null, payment_terms_end_of_month: 0, credit_limit_minor: null, collector_user_id: null, segment: null, tags_json: '[]',
      parent_customer_id: null, custom_fields_json: '{}', status: 'active', created_at: ctx.now, updated_at: ctx.now,
    };
  });
  for (let i = 0; i < fresh.length; i += 100) await db.insertInto('customers').values(fresh.slice(i, i + 100)).execute();
}

async function addContacts(db: Db, ctx: Ctx, rows: ParsedRow[], ids: Map<string, { id: string }>, seen: Set<string>) {
  const wanted = new Map<string, { customerId: string; c: NonNullable<ParsedRow['contact']> }>();
  for (const r of rows) {
    if (!r.contact) continue;
    const customerId = ids.get(r.customerCode)!.id;
    const key = `${customerId}|${r.contact.email ?? ''}|${r.contact.lastName ?? ''}|${r.contact.firstName ?? ''}`;
    if (!seen.has(key)) wanted.set(key, { customerId, c: r.contact });
  }
  if (!wanted.size) return;
  const customerIds = [...new Set([...wanted.values()].map((w) => w.customerId))];
  const existing = await db.selectFrom('contacts').select(['customer_id', 'email', 'first_name', 'last_name', 'is_dunning_contact']).where('tenant_id', '=', ctx.tenantId).where('customer_id', 'in', customerIds).execute();
  const hasDunning = new Set(existing.filter((e) => e.is_dunning_contact).map((e) => e.customer_id));
  for (const e of existing) seen.add(`${e.customer_id}|${e.email ?? ''}|${e.last_name ?? ''}|${e.first_name ?? ''}`);
  for (const [key, w] of wanted) {
    if (seen.has(key)) continue;
    seen.add(key);
    // The first contact with an email becomes the dunning contact of a customer that has none.
    const isDunning = !!w.c.email && !hasDunning.has(w.customerId);
    if (isDunning) hasDunning.add(w.customerId);
    await db.insertInto('contacts').values({
      id: randomUUID(), tenant_id: ctx.tenantId, customer_id: w.customerId, title: null, first_name: w.c.firstName, last_name: w.c.lastName, email: w.c.email,
      phone: w.c.phone, fax: null, position: null, roles_json: JSON.stringify(['billing', 'dunning']), language: null, is_dunning_contact: isDunning ? 1 : 0,
      created_at: ctx.now, updated_at: ctx.now,
    }).execute();
  }
}

async function upsertDocuments(
  db: Db,
  ctx: Ctx,
  rows: ParsedRow[],
  isNew: (rowNumber: number) => boolean,
  customers: Map<string, { id: string; termsDays: number | null; endOfMonth: boolean }>,
  touched: Set<string>,
  settle: (fresh: DocumentsTable[]) => { allocations: AllocationsTable[]; settled: Set<string> },
) {
  // Pass 1 found these rows' identities absent from the ledger: no lookup (the first import of a company makes none).
  // Should another writer have added one since, the unique identity index refuses the insert and nothing is written.
  const known = rows.filter((r) => !isNew(r.rowNumber)).map((r) => r.identityKey);
  const existing = known.length
    ? await db.selectFrom('documents').select(['id', 'identity_key', 'amount_minor', 'issued_on', 'due_on', 'reference', 'customer_id', 'instalment_count']).where('tenant_id', '=', ctx.tenantId).where('identity_key', 'in', known).execute()
    : [];
  const byKey = new Map(existing.map((e) => [e.identity_key, e]));
  const ids = new Map<string, string>();
  const fresh: DocumentsTable[] = [];
  for (const r of rows) {
    const cust = customers.get(r.customerCode)!;
    const e = byKey.get(r.identityKey);
    const derived = r.type === 'invoice' && !r.dueOn;
    const dueOn = r.type === 'invoice' ? (r.dueOn ?? deriveDueOn(r.issuedOn, { paymentTermsDays: cust.termsDays, paymentTermsEndOfMonth: cust.endOfMonth }, ctx.companyTermsDays)) : null;
    if (e) {
      ids.set(r.identityKey, e.id);
      const set: Partial<DocumentsTable> = {};
      if (e.amount_minor !== r.amountMinor) set.amount_minor = r.amountMinor;
      if (e.issued_on !== r.issuedOn) set.issued_on = r.issuedOn;
      if (r.dueOn && e.due_on !== r.dueOn) Object.assign(set, { due_on: r.dueOn, is_due_on_derived: 0 });
      if (r.reference !== null && e.reference !== r.reference) set.reference = r.reference;
      if (r.type === 'invoice' && (e.instalment_count ?? null) !== r.instalmentCount) Object.assign(set, { instalment_no: r.instalmentNo, instalment_count: r.instalmentCount });
      if (Object.keys(set).length) {
        await db.updateTable('documents').set({ ...set, updated_at: ctx.now }).where('tenant_id', '=', ctx.tenantId).where('id', '=', e.id).execute();
        touched.add(e.id);
      }
      continue;
    }
    const id = randomUUID();
    ids.set(r.identityKey, id);
    fresh.push({
      id, tenant_id: ctx.tenantId, customer_id: cust.id, source: ctx.source, type: r.type, number: r.number, identity_key: r.identityKey, issued_on: r.issuedOn,
      due_on: dueOn, is_due_on_derived: derived ? 1 : 0, currency: r.currency, amount_minor: r.amountMinor, open_minor: r.amountMinor,
      status: r.type === 'invoice' ? 'open' : 'unallocated', reference: r.reference, pdf_url: null, pdf_file: null, import_id: ctx.importId,
      instalment_no: r.instalmentNo, instalment_count: r.instalmentCount, created_at: ctx.now, updated_at: ctx.now,
    });
  }
  const { allocations, settled } = settle(fresh);
  await insertMany(db, ctx.engine, 'documents', fresh);
  await insertAllocations(db, ctx, allocations);
  return { ids, settled };
}

/**
 * A payment or credit note naming an invoice written in the same batch of 500 rows (an ERP export lists them side by
 * side) is settled before either is written: both rows go in with their final open amounts and the allocation with
 * them, instead of being updated afterwards. Only when the outcome is the one the later pass would reach: a new
 * invoice of this import, the credit's own customer and currency, without instalments, and no earlier credit of the
 * file still waiting for that number (file order decides who pays first).
 */
function settleWithinBatch(ctx: Ctx, batch: ParsedRow[], fresh: DocumentsTable[], schedules: Schedules, pending: Set<string>) {
  const allocations: AllocationsTable[] = [];
  const settled = new Set<string>();
  const invoices = new Map<string, DocumentsTable>();
  for (const d of fresh) if (d.type === 'invoice' && d.number && !d.instalment_count && !schedules.counts.has(d.identity_key)) invoices.set(d.number, d);
  if (!invoices.size) return { allocations, settled };
  const byKey = new Map(fresh.map((d) => [d.identity_key, d]));
  for (const r of batch) {
    if (!r.appliesTo || pending.has(r.appliesTo)) continue;
    const credit = byKey.get(r.identityKey);
    const inv = invoices.get(r.appliesTo);
    if (!credit || !inv || credit.type === 'invoice' || inv.customer_id !== credit.customer_id || inv.currency !== credit.currency) continue;
    const amount = Math.min(-credit.open_minor, inv.open_minor);
    settled.add(r.identityKey);
    if (amount <= 0) continue;
    inv.open_minor -= amount;
    credit.open_minor += amount;
    inv.status = documentStatus(inv.type, inv.amount_minor, inv.open_minor, inv.status);
    credit.status = documentStatus(credit.type, credit.amount_minor, credit.open_minor, credit.status);
    allocations.push({ id: randomUUID(), tenant_id: ctx.tenantId, from_document_id: credit.id, to_document_id: inv.id, amount_minor: amount, allocated_on: credit.issued_on, reversal_of_id: null, created_by: ctx.actorId, created_at: ctx.now });
  }
  return { allocations, settled };
}

type OpenDoc = { id: string; customer_id: string; currency: string; open_minor: number; amount_minor: number; type: string; status: string; number: string | null; source: string; issued_on: string };

async function loadOpen(db: Db, tenantId: string, ids: string[]): Promise<Map<string, OpenDoc>> {
  const out = new Map<string, OpenDoc>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db.selectFrom('documents').select(['id', 'customer_id', 'currency', 'open_minor', 'amount_minor', 'type', 'status', 'number', 'source', 'issued_on']).where('tenant_id', '=', tenantId).where('id', 'in', ids.slice(i, i + BATCH)).execute();
    rows.forEach((r) => out.set(r.id, r));
  }
  return out;
}

async function insertAllocations(db: Db, ctx: Ctx, rows: AllocationsTable[]) {
  await insertMany(db, ctx.engine, 'allocations', rows);
}

/** Open amounts changed in memory by this batch's allocations, written once per batch. */
function track(changes: Map<string, { openMinor: number; status: string }>, d: OpenDoc) {
  changes.set(d.id, { openMinor: d.open_minor, status: documentStatus(d.type, d.amount_minor, d.open_minor, d.status) });
}

/**
 * appliesTo: allocated to the named invoice (same source first), dated on the payment's or credit note's date. An
 * invoice with instalments is settled line by line, the earliest due date first.
 */
async function allocateApplies(db: Db, ctx: Ctx, intents: Intent[]) {
  for (let i = 0; i < intents.length; i += BATCH) {
    const slice = intents.slice(i, i + BATCH);
    const numbers = [...new Set(slice.map((s) => s.appliesTo!))];
    const invoices: (OpenDoc & { due_on: string | null; instalment_no?: number | null })[] = await db
      .selectFrom('documents')
      .select(['id', 'number', 'source', 'customer_id', 'currency', 'open_minor', 'amount_minor', 'type', 'status', 'issued_on', 'due_on', 'instalment_no'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('type', '=', 'invoice')
      .where('number', 'in', numbers)
      .execute();
    invoices.sort((a, b) => (a.due_on ?? '').localeCompare(b.due_on ?? '') || (a.instalment_no ?? 0) - (b.instalment_no ?? 0));
    const credits = await loadOpen(db, ctx.tenantId, slice.map((s) => s.docId));
    const already = await db.selectFrom('allocations').select(['from_document_id', 'to_document_id']).where('tenant_id', '=', ctx.tenantId).where('from_document_id', 'in', slice.map((s) => s.docId)).execute();
    const pairs = new Set(already.map((a) => `${a.from_document_id}|${a.to_document_id}`));
    const byNumber = new Map<string, OpenDoc[]>();
    for (const inv of invoices) byNumber.set(inv.number!, [...(byNumber.get(inv.number!) ?? []), inv]);
    const out: AllocationsTable[] = [];
    const changes = new Map<string, { openMinor: number; status: string }>();
    for (const s of slice) {
      const credit = credits.get(s.docId)!;
      const candidates = (byNumber.get(s.appliesTo!) ?? []).filter((inv) => inv.currency === credit.currency);
      // The credit's own customer only: a payment posted to one account never settles another's invoice (the ledger's
      // allocations refuse it too); it stays unallocated for a user to look at.
      const first = candidates.find((c) => c.source === ctx.source && c.customer_id === credit.customer_id) ?? candidates.find((c) => c.customer_id === credit.customer_id);
      if (!first) continue;
      const lines = candidates.filter((c) => c.source === first.source && c.customer_id === first.customer_id);
      if (lines.some((inv) => pairs.has(`${credit.id}|${inv.id}`))) continue;
      for (const inv of lines) {
        const amount = Math.min(-credit.open_minor, inv.open_minor);
        if (amount <= 0) continue;
        inv.open_minor -= amount;
        credit.open_minor += amount;
        track(changes, inv);
        track(changes, credit);
        out.push({ id: randomUUID(), tenant_id: ctx.tenantId, from_document_id: credit.id, to_document_id: inv.id, amount_minor: amount, allocated_on: credit.issued_on, reversal_of_id: null, created_by: ctx.actorId, created_at: ctx.now });
      }
    }
    await insertAllocations(db, ctx, out);
    await updateOpenAmounts(db, ctx.engine, ctx.tenantId, changes);
  }
}

/** paidOn on an invoice row: paid in full that day — a payment of the open rest, allocated on that date. */
async function payInFull(db: Db, ctx: Ctx, intents: Intent[]) {
  for (let i = 0; i < intents.length; i += BATCH) {
    const slice = intents.slice(i, i + BATCH);
    const invoices = await loadOpen(db, ctx.tenantId, slice.map((s) => s.docId));
    const docs: DocumentsTable[] = [];
    const allocs: AllocationsTable[] = [];
    const changes = new Map<string, { openMinor: number; status: string }>();
    for (const s of slice) {
      const inv = invoices.get(s.docId)!;
      if (inv.open_minor <= 0) continue;
      const id = randomUUID();
      docs.push({
        id, tenant_id: ctx.tenantId, customer_id: inv.customer_id, source: ctx.source, type: 'payment', number: null, identity_key: `${ctx.source}|payment|paid:${inv.id}:${s.paidOn}:${ctx.importId}`,
        issued_on: s.paidOn!, due_on: null, is_due_on_derived: 0, currency: inv.currency, amount_minor: -inv.open_minor, open_minor: 0, status: 'allocated',
        reference: inv.number, pdf_url: null, pdf_file: null, import_id: ctx.importId, created_at: ctx.now, updated_at: ctx.now,
      });
      allocs.push({ id: randomUUID(), tenant_id: ctx.tenantId, from_document_id: id, to_document_id: inv.id, amount_minor: inv.open_minor, allocated_on: s.paidOn!, reversal_of_id: null, created_by: ctx.actorId, created_at: ctx.now });
      inv.open_minor = 0;
      track(changes, inv);
    }
    await insertMany(db, ctx.engine, 'documents', docs);
    await insertAllocations(db, ctx, allocs);
    await updateOpenAmounts(db, ctx.engine, ctx.tenantId, changes);
  }
}

/** openAmount on an invoice row: the difference with what the ledger has open becomes an adjustment dated today. */
async function adjustOpenAmounts(db: Db, ctx: Ctx, intents: Intent[], touched: Set<string>) {
  for (let i = 0; i < intents.length; i += BATCH) {
    const slice = intents.slice(i, i + BATCH);
    await recomputeOpenAmounts(db, ctx.tenantId, slice.map((s) => s.docId));
    const invoices = await loadOpen(db, ctx.tenantId, slice.map((s) => s.docId));
    for (const s of slice) {
      const inv = invoices.get(s.docId)!;
      const delta = s.openAmountMinor! - inv.open_minor;
      if (delta !== 0) await insertAdjustment(db, ctx, { id: inv.id, customerId: inv.customer_id, currency: inv.currency }, delta, `open:${inv.id}`, touched);
    }
  }
}

/**
 * A dated adjustment allocated to the invoice: negative to lower its open amount (closing, partial settlement in the
 * source), positive with a negative allocation to raise it again. The invoice itself is never rewritten.
 */
async function insertAdjustment(db: Db, ctx: Ctx, inv: { id: string; customerId: string; currency: string }, deltaOpen: number, tag: string, touched: Set<string>) {
  const id = randomUUID();
  await db.insertInto('documents').values({
    id, tenant_id: ctx.tenantId, customer_id: inv.customerId, source: ctx.source, type: 'adjustment', number: null, identity_key: `${ctx.source}|adjustment|${tag}:${ctx.importId}`,
    issued_on: ctx.today, due_on: null, is_due_on_derived: 0, currency: inv.currency, amount_minor: deltaOpen, open_minor: 0, status: 'allocated',
    reference: null, pdf_url: null, pdf_file: null, import_id: ctx.importId, created_at: ctx.now, updated_at: ctx.now,
  }).execute();
  await insertAllocations(db, ctx, [{ id: randomUUID(), tenant_id: ctx.tenantId, from_document_id: id, to_document_id: inv.id, amount_minor: -deltaOpen, allocated_on: ctx.today, reversal_of_id: null, created_by: ctx.actorId, created_at: ctx.now }]);
  touched.add(id).add(inv.id);
}
