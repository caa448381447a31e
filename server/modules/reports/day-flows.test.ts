import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, importFile, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * The day totals behind the DSO (migration 023) are kept by database triggers: whatever writes documents — the API,
 * imports, deletions, write-offs, changed amounts — they must equal the sums over the documents themselves.
 */
describeEachEngine('totals kept by the ledger: sales and movements per day, open amounts per due date', (engine) => {
  let t: TestApp;
  let owner: Agent;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
    ({ agent: owner, tenantId } = await signUpCompany(t.app, 'Flows Co'));
  });
  afterAll(async () => t.close());

  async function expectConsistent() {
    const kept = await t.deps.db
      .selectFrom('document_day_flows')
      .select(['currency', 'issued_on', 'sales_minor', 'net_minor'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('sales_minor', '<>', 0), eb('net_minor', '<>', 0)]))
      .orderBy('currency')
      .orderBy('issued_on')
      .execute();
    const truth = await t.deps.db
      .selectFrom('documents as d')
      .select([
        'd.currency',
        'd.issued_on',
        sql<number>`sum(case when d.type = 'invoice' then d.amount_minor when d.type = 'credit_note' then -abs(d.amount_minor) else 0 end)`.as('sales_minor'),
        sql<number>`sum(d.amount_minor)`.as('net_minor'),
      ])
      .where('d.tenant_id', '=', tenantId)
      .groupBy(['d.currency', 'd.issued_on'])
      .orderBy('d.currency')
      .orderBy('d.issued_on')
      .execute();
    const norm = (rows: { currency: string; issued_on: string; sales_minor: number | string; net_minor: number | string }[]) =>
      rows.map((r) => ({ currency: r.currency, on: r.issued_on, sales: Number(r.sales_minor), net: Number(r.net_minor) })).filter((r) => r.sales !== 0 || r.net !== 0);
    expect(norm(kept)).toEqual(norm(truth));

    // The open amounts per due date of migration 026, against the documents' cached open amounts.
    const open = await t.deps.db
      .selectFrom('document_open_sums')
      .select(['currency', 'due_on', 'items_minor', 'credits_minor'])
      .where('tenant_id', '=', tenantId)
      .orderBy('currency')
      .orderBy('due_on')
      .execute();
    const openTruth = await t.deps.db
      .selectFrom('documents as d')
      .select([
        'd.currency',
        sql<string>`coalesce(d.due_on, d.issued_on)`.as('due_on'),
        sql<number>`sum(case when d.type = 'invoice' or d.open_minor > 0 then d.open_minor else 0 end)`.as('items_minor'),
        sql<number>`sum(case when d.type <> 'invoice' and d.open_minor < 0 then d.open_minor else 0 end)`.as('credits_minor'),
      ])
      .where('d.tenant_id', '=', tenantId)
      .where('d.open_minor', '<>', 0)
      .groupBy(['d.currency', sql`coalesce(d.due_on, d.issued_on)`])
      .orderBy('d.currency')
      .orderBy('due_on')
      .execute();
    const normOpen = (rows: { currency: string; due_on: string; items_minor: number | string; credits_minor: number | string }[]) =>
      rows.map((r) => ({ currency: r.currency, on: r.due_on, items: Number(r.items_minor), credits: Number(r.credits_minor) })).filter((r) => r.items !== 0 || r.credits !== 0);
    expect(normOpen(open)).toEqual(normOpen(openTruth));
  }

  it('equal the sums over the documents after random creations, settlements, write-offs and deletions', async () => {
    const customer = (await owner.post('/api/v1/customers', { code: 'F1', name: 'Flows customer' })).json();
    let n = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('invoice' as const), day: fc.integer({ min: 1, max: 28 }), amount: fc.integer({ min: 1, max: 1_000_000 }), usd: fc.boolean(), instalments: fc.boolean() }),
      fc.record({ kind: fc.constant('credit' as const), day: fc.integer({ min: 1, max: 28 }), amount: fc.integer({ min: 1, max: 500_000 }), type: fc.constantFrom('payment', 'credit_note', 'adjustment') }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('writeOff' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const invoices: string[] = [];
        for (const o of ops) {
          if (o.kind === 'invoice') {
            const issuedOn = `2026-10-${String(o.day).padStart(2, '0')}`;
            const half = Math.floor(o.amount / 2);
            const body = {
              customerId: customer.id, type: 'invoice', number: `FL-${++n}`, issuedOn, currency: o.usd ? 'USD' : 'EUR', amountMinor: o.amount,
              ...(o.instalments && half > 0 ? { instalments: [{ dueOn: '2026-11-01', amountMinor: half }, { dueOn: '2026-12-01', amountMinor: o.amount - half }] } : {}),
            };
            const res = await owner.post('/api/v1/documents', body);
            expect(res.statusCode, res.body).toBe(201);
            invoices.push(res.json().id);
          } else if (o.kind === 'credit') {
            const res = await owner.post('/api/v1/documents', {
              customerId: customer.id, type: o.type, number: o.type === 'credit_note' ? `CN-${++n}` : undefined, issuedOn: `2026-11-${String(o.day).padStart(2, '0')}`,
              currency: 'EUR', amountMinor: o.type === 'adjustment' ? -o.amount : o.amount, ...(invoices.length ? { appliesToDocumentId: invoices[0] } : {}),
            });
            expect([201, 400], res.body).toContain(res.statusCode);
          } else if (invoices.length) {
            const id = invoices.splice(o.pick % invoices.length, 1)[0];
            const res = o.kind === 'delete' ? await owner.delete(`/api/v1/documents/${id}`) : await owner.patch(`/api/v1/documents/${id}`, { status: 'written_off' });
            expect([200, 204, 404], res.body).toContain(res.statusCode);
          }
        }
        await expectConsistent();
      }),
      { numRuns: 15 },
    );
  });

  it('equal them after an import, a re-import with changed amounts and a snapshot closing', async () => {
    const head = 'customerCode;documentType;number;issuedOn;dueOn;currency;amount;appliesTo';
    const rows = ['I1;invoice;IM-1;2026-09-01;2026-10-01;EUR;100,00;', 'I1;invoice;IM-2;2026-09-02;2026-10-02;EUR;250,00;', 'I1;payment;;2026-09-20;;EUR;100,00;IM-1', 'I1;credit_note;AV-1;2026-09-21;;EUR;20,00;IM-2'];
    expect((await importFile(t, owner, { name: 'a.csv', content: [head, ...rows].join('\n') }, { source: 'flows' })).status).toBe('succeeded');
    await expectConsistent();
    const changed = [...rows.slice(0, 1), 'I1;invoice;IM-2;2026-09-05;2026-10-02;EUR;260,00;'];
    expect((await importFile(t, owner, { name: 'b.csv', content: [head, ...changed].join('\n') }, { source: 'flows', mode: 'snapshot' })).status).toBe('succeeded');
    await expectConsistent();
  });
});
