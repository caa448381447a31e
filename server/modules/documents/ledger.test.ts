import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, createTestApp, describeEachEngine, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

describeEachEngine('receivables ledger', (engine) => {
  let t: TestApp;
  let owner: Agent;
  beforeAll(async () => {
    // A fixed clock: "today" is 2026-11-20 in Europe/Paris.
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Ledger Co')).agent;
  });
  afterAll(async () => t.close());

  let n = 0;
  async function customer(extra: object = {}) {
    const res = await owner.post('/api/v1/customers', { code: `C${++n}`, name: `Customer ${n}`, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function doc(body: object) {
    const res = await owner.post('/api/v1/documents', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('a payment that names its invoice settles it, dated on the payment; the customer balance follows', async () => {
    const c = await customer();
    const inv = await doc({ customerId: c.id, type: 'invoice', number: 'F-1', issuedOn: '2026-10-01', dueOn: '2026-10-31', currency: 'EUR', amountMinor: 120000 });
    expect(inv).toMatchObject({ amountMinor: 120000, openMinor: 120000, status: 'open' });
    const pay = await doc({ customerId: c.id, type: 'payment', issuedOn: '2026-11-05', currency: 'EUR', amountMinor: 50000, appliesToDocumentId: inv.id });
    expect(pay).toMatchObject({ amountMinor: -50000, openMinor: 0, status: 'allocated' });
    const after = (await owner.get(`/api/v1/documents/${inv.id}`)).json();
    expect(after).toMatchObject({ openMinor: 70000, status: 'partially_paid' });
    expect(after.allocations).toEqual([expect.objectContaining({ amountMinor: 50000, allocatedOn: '2026-11-05', fromDocumentId: pay.id })]);
    const detail = (await owner.get(`/api/v1/customers/${c.id}`)).json();
    expect(detail.balances).toEqual([{ currency: 'EUR', openMinor: 70000, overdueMinor: 70000, unallocatedMinor: 0, netMinor: 70000, oldestOpenDueOn: '2026-10-31' }]);
  });

  it('a credit note written positive still reduces what is owed; unallocated until allocated, never summed across currencies', async () => {
    const c = await customer();
    await doc({ customerId: c.id, type: 'invoice', number: 'F-2', issuedOn: '2026-11-01', dueOn: '2026-12-01', currency: 'EUR', amountMinor: 10000 });
    await doc({ customerId: c.id, type: 'invoice', number: 'US-1', issuedOn: '2026-11-01', dueOn: '2026-12-01', currency: 'USD', amountMinor: 30000 });
    const cn = await doc({ customerId: c.id, type: 'credit_note', number: 'AV-1', issuedOn: '2026-11-10', currency: 'EUR', amountMinor: 2500 });
    expect(cn).toMatchObject({ amountMinor: -2500, openMinor: -2500, status: 'unallocated' });
    const balances = (await owner.get(`/api/v1/customers/${c.id}`)).json().balances;
    expect(balances).toEqual([
      { currency: 'EUR', openMinor: 10000, overdueMinor: 0, unallocatedMinor: -2500, netMinor: 7500, oldestOpenDueOn: '2026-12-01' },
      { currency: 'USD', openMinor: 30000, overdueMinor: 0, unallocatedMinor: 0, netMinor: 30000, oldestOpenDueOn: '2026-12-01' },
    ]);
  });

  it('allocation checks currency, customer and amounts, naming the field; nothing is written on refusal', async () => {
    const a = await customer();
    const b = await customer();
    const inv = await doc({ customerId: a.id, type: 'invoice', number: 'F-3', issuedOn: '2026-11-01', dueOn: '2026-11-15', currency: 'EUR', amountMinor: 10000 });
    const usd = await doc({ customerId: a.id, type: 'payment', issuedOn: '2026-11-02', currency: 'USD', amountMinor: 5000 });
    const other = await doc({ customerId: b.id, type: 'payment', issuedOn: '2026-11-02', currency: 'EUR', amountMinor: 5000 });
    const pay = await doc({ customerId: a.id, type: 'payment', issuedOn: '2026-11-02', currency: 'EUR', amountMinor: 20000 });
    const cases: [string, object][] = [
      ['toDocumentId', { fromDocumentId: usd.id, toDocumentId: inv.id, amountMinor: 100 }],
      ['toDocumentId', { fromDocumentId: other.id, toDocumentId: inv.id, amountMinor: 100 }],
      ['amountMinor', { fromDocumentId: pay.id, toDocumentId: inv.id, amountMinor: 10001 }],
      ['fromDocumentId', { fromDocumentId: inv.id, toDocumentId: inv.id, amountMinor: 1 }],
    ];
    for (const [field, body] of cases) {
      const res = await owner.post('/api/v1/allocations', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0].path).toBe(field);
    }
    expect((await owner.get(`/api/v1/documents/${inv.id}`)).json().openMinor).toBe(10000);
    const ok = await owner.post('/api/v1/allocations', { fromDocumentId: pay.id, toDocumentId: inv.id, amountMinor: 10000 });
    expect(ok.statusCode).toBe(201);
    expect((await owner.get(`/api/v1/documents/${pay.id}`)).json()).toMatchObject({ openMinor: -10000, status: 'partially_allocated' });
    // A bounced payment: the reversal is a dated negative allocation; the invoice is open again.
    const rev = await owner.post(`/api/v1/allocations/${ok.json().id}/reverse`, { reversedOn: '2026-11-18' });
    expect(rev.json()).toMatchObject({ amountMinor: -10000, allocatedOn: '2026-11-18' });
    expect((await owner.get(`/api/v1/documents/${inv.id}`)).json()).toMatchObject({ openMinor: 10000, status: 'open' });
    expect((await owner.post(`/api/v1/allocations/${ok.json().id}/reverse`, {})).statusCode).toBe(409);
  });

  it('automatic allocation: a matching reference first, then the oldest invoices already due (art. 1342-10)', async () => {
    const c = await customer();
    const old = await doc({ customerId: c.id, type: 'invoice', number: 'OLD-1', issuedOn: '2026-08-01', dueOn: '2026-09-01', currency: 'EUR', amountMinor: 3000 });
    const named = await doc({ customerId: c.id, type: 'invoice', number: 'NAMED-7', issuedOn: '2026-10-01', dueOn: '2026-11-01', currency: 'EUR', amountMinor: 4000 });
    const notDue = await doc({ customerId: c.id, type: 'invoice', number: 'NEW-1', issuedOn: '2026-11-15', dueOn: '2026-12-15', currency: 'EUR', amountMinor: 9000 });
    await doc({ customerId: c.id, type: 'payment', issuedOn: '2026-11-19', currency: 'EUR', amountMinor: 5000, reference: 'named-7' });
    const res = await owner.post(`/api/v1/customers/${c.id}/auto-allocate`, {});
    expect(res.json().items).toHaveLength(2);
    const open = async (id: string) => (await owner.get(`/api/v1/documents/${id}`)).json().openMinor;
    expect([await open(named.id), await open(old.id), await open(notDue.id)]).toEqual([0, 2000, 9000]);
  });

  it('an invoice without a due date gets issue date + the customer terms (end of month too), and says it was derived', async () => {
    const c = await customer({ paymentTermsDays: 45, paymentTermsEndOfMonth: true });
    const inv = await doc({ customerId: c.id, type: 'invoice', number: 'D-1', issuedOn: '2026-01-20', currency: 'EUR', amountMinor: 100 });
    expect(inv).toMatchObject({ dueOn: '2026-03-31', isDueOnDerived: true });
    const c2 = await customer();
    const inv2 = await doc({ customerId: c2.id, type: 'invoice', number: 'D-2', issuedOn: '2026-01-20', currency: 'EUR', amountMinor: 100 });
    expect(inv2.dueOn).toBe('2026-02-19');
  });

  it('writing off closes the open rest with a dated adjustment; the invoice amount is never altered', async () => {
    const c = await customer();
    const inv = await doc({ customerId: c.id, type: 'invoice', number: 'W-1', issuedOn: '2026-01-01', dueOn: '2026-02-01', currency: 'EUR', amountMinor: 777 });
    const res = await owner.patch(`/api/v1/documents/${inv.id}`, { status: 'written_off' });
    expect(res.json()).toMatchObject({ amountMinor: 777, openMinor: 0, status: 'written_off' });
    const adj = (await owner.get(`/api/v1/documents?customerId=${c.id}&type=adjustment`)).json().items;
    expect(adj).toEqual([expect.objectContaining({ amountMinor: -777, issuedOn: '2026-11-20', reference: 'W-1' })]);
  });

  it('duplicate customer codes and invoice numbers are refused with 409 naming the field', async () => {
    await customer({ code: 'DUP' }).catch(() => undefined);
    const again = await owner.post('/api/v1/customers', { code: 'DUP', name: 'x' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].path).toBe('code');
    const c = await customer();
    await doc({ customerId: c.id, type: 'invoice', number: 'SAME', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 1 });
    const dup = await owner.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'SAME', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 1 });
    expect(dup.statusCode).toBe(409);
  });

  it('lists customers with search, overdue filter and sort by open amount; documents with filters and pages', async () => {
    const rich = await customer({ name: 'Zeta Rich', segment: 'Key' });
    await doc({ customerId: rich.id, type: 'invoice', number: 'R-1', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor: 9_000_000 });
    const page = (await owner.get('/api/v1/customers?sort=openMinor&order=desc&limit=2')).json();
    expect(page.items[0].id).toBe(rich.id);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = (await owner.get(`/api/v1/customers?sort=openMinor&order=desc&limit=2&cursor=${page.nextCursor}`)).json();
    expect(next.items.map((i: any) => i.id)).not.toContain(rich.id);
    expect((await owner.get('/api/v1/customers?q=zeta')).json().items.map((i: any) => i.name)).toEqual(['Zeta Rich']);
    expect((await owner.get('/api/v1/customers?q=50%25')).json().items).toEqual([]);
    const overdue = (await owner.get('/api/v1/customers?overdue=true&segment=Key')).json().items;
    expect(overdue.map((i: any) => i.id)).toEqual([rich.id]);
    const docs = (await owner.get('/api/v1/documents?type=invoice&overdue=true&sort=amountMinor&order=desc&limit=1')).json();
    expect(docs.items[0]).toMatchObject({ number: 'R-1', customerName: 'Zeta Rich' });
  });

  it('roles: a sales user reads the ledger but cannot write it; a viewer cannot read it', async () => {
    const { agent: sales } = await addMember(t.app, t.deps, owner, 'sales');
    const { agent: viewer } = await addMember(t.app, t.deps, owner, 'viewer');
    expect((await sales.get('/api/v1/customers')).statusCode).toBe(200);
    expect((await sales.post('/api/v1/customers', { code: 'S1', name: 'x' })).statusCode).toBe(403);
    expect((await viewer.get('/api/v1/documents')).statusCode).toBe(403);
  });

  it('property: money is conserved — open amounts equal amount − allocations, whatever the payments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 150_000 }), { minLength: 1, maxLength: 4 }), async (invoices, payments) => {
        const c = await customer();
        for (const [i, amt] of invoices.entries()) await doc({ customerId: c.id, type: 'invoice', number: `P${n}-${i}`, issuedOn: '2026-01-01', dueOn: '2026-02-0' + (i + 1), currency: 'EUR', amountMinor: amt });
        for (const amt of payments) await doc({ customerId: c.id, type: 'payment', issuedOn: '2026-03-01', currency: 'EUR', amountMinor: amt });
        await owner.post(`/api/v1/customers/${c.id}/auto-allocate`, {});
        const docs = (await owner.get(`/api/v1/documents?customerId=${c.id}&limit=50`)).json().items;
        const sumInv = invoices.reduce((a, b) => a + b, 0);
        const sumPay = payments.reduce((a, b) => a + b, 0);
        const openInv = docs.filter((d: any) => d.type === 'invoice').reduce((a: number, d: any) => a + d.openMinor, 0);
        const openPay = docs.filter((d: any) => d.type === 'payment').reduce((a: number, d: any) => a + d.openMinor, 0);
        expect(openInv + openPay).toBe(sumInv - sumPay);
        expect(openInv === 0 || openPay === 0).toBe(true);
        for (const d of docs) expect(d.type === 'invoice' ? d.openMinor >= 0 && d.openMinor <= d.amountMinor : d.openMinor <= 0).toBe(true);
        const bal = (await owner.get(`/api/v1/customers/${c.id}`)).json().balances[0];
        expect(bal?.netMinor ?? 0).toBe(sumInv - sumPay);
      }),
      { numRuns: 8 },
    );
  });

  it('a written-off invoice stays closed: its payment cannot be reversed, and deleting it removes the write-off too', async () => {
    const c = await customer();
    const inv = await doc({ customerId: c.id, type: 'invoice', number: 'WO-1', issuedOn: '2026-09-01', dueOn: '2026-10-01', currency: 'EUR', amountMinor: 10000 });
    await doc({ customerId: c.id, type: 'payment', issuedOn: '2026-10-05', currency: 'EUR', amountMinor: 4000, appliesToDocumentId: inv.id });
    expect((await owner.patch(`/api/v1/documents/${inv.id}`, { status: 'written_off' })).statusCode).toBe(200);
    const detail = (await owner.get(`/api/v1/documents/${inv.id}`)).json();
    const payment = detail.allocations.find((a: any) => a.amountMinor === 4000);
    const refused = await owner.post(`/api/v1/allocations/${payment.id}/reverse`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ path: 'id', message: expect.stringContaining('written off') });
    expect((await owner.delete(`/api/v1/documents/${inv.id}`)).statusCode).toBe(204);
    const left = (await owner.get(`/api/v1/documents?customerId=${c.id}`)).json().items;
    // The payment stays, unallocated again; the adjustment that wrote the invoice off went with it.
    expect(left.map((d: any) => [d.type, d.openMinor])).toEqual([['payment', -4000]]);
  });

  it('a customer group stays a tree: a subsidiary cannot become its parent\'s parent, at any depth', async () => {
    const top = await customer();
    const mid = await customer({ parentCustomerId: top.id });
    const leaf = await customer({ parentCustomerId: mid.id });
    // The customer page lists a group's direct subsidiaries.
    expect((await owner.get(`/api/v1/customers?parentCustomerId=${mid.id}`)).json().items.map((c: any) => c.id)).toEqual([leaf.id]);
    const res = await owner.patch(`/api/v1/customers/${top.id}`, { parentCustomerId: leaf.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({ path: 'parentCustomerId', message: expect.stringContaining('subsidiaries') });
    const many = await owner.post('/api/v1/customers', { code: 'CF-13', name: 'Thirteen fields', customFields: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`f${i}`, 'x'])) });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.fields[0]).toMatchObject({ path: 'customFields', message: 'Must be at most 12.' });
  });
});
