import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';

describeEachEngine('ledger tenant isolation', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it("company B gets 404 for every ledger route called with company A's ids, and A's ledger is unchanged", async () => {
    const a = await signUpCompany(t.app, 'Ledger A');
    const b = await signUpCompany(t.app, 'Ledger B');
    const cust = (await a.agent.post('/api/v1/customers', { code: 'A1', name: 'Secret customer' })).json();
    const contact = (await a.agent.post(`/api/v1/customers/${cust.id}/contacts`, { firstName: 'Ann', email: 'ann@a.test' })).json();
    const inv = (await a.agent.post('/api/v1/documents', { customerId: cust.id, type: 'invoice', number: 'A-1', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 1000 })).json();
    const pay = (await a.agent.post('/api/v1/documents', { customerId: cust.id, type: 'payment', issuedOn: '2026-01-02', currency: 'EUR', amountMinor: 400, appliesToDocumentId: inv.id })).json();
    const alloc = (await a.agent.get(`/api/v1/documents/${inv.id}`)).json().allocations[0];
    const bCust = (await b.agent.post('/api/v1/customers', { code: 'B1', name: 'B customer' })).json();
    const bPay = (await b.agent.post('/api/v1/documents', { customerId: bCust.id, type: 'payment', issuedOn: '2026-01-02', currency: 'EUR', amountMinor: 400 })).json();
    const snapshot = async () => ({
      customers: await t.deps.db.selectFrom('customers').selectAll().where('tenant_id', '=', a.tenantId).execute(),
      contacts: await t.deps.db.selectFrom('contacts').selectAll().where('tenant_id', '=', a.tenantId).execute(),
      documents: await t.deps.db.selectFrom('documents').selectAll().where('tenant_id', '=', a.tenantId).orderBy('id').execute(),
      allocations: await t.deps.db.selectFrom('allocations').selectAll().where('tenant_id', '=', a.tenantId).orderBy('id').execute(),
    });
    const before = await snapshot();

    const attempts = [
      b.agent.get(`/api/v1/customers/${cust.id}`),
      b.agent.patch(`/api/v1/customers/${cust.id}`, { name: 'Stolen' }),
      b.agent.delete(`/api/v1/customers/${cust.id}`),
      b.agent.get(`/api/v1/customers/${cust.id}/contacts`),
      b.agent.post(`/api/v1/customers/${cust.id}/contacts`, { firstName: 'Eve' }),
      b.agent.patch(`/api/v1/customers/${cust.id}/contacts/${contact.id}`, { firstName: 'Eve' }),
      b.agent.delete(`/api/v1/customers/${cust.id}/contacts/${contact.id}`),
      b.agent.patch(`/api/v1/customers/${bCust.id}/contacts/${contact.id}`, { firstName: 'Eve' }),
      b.agent.post(`/api/v1/customers/${cust.id}/auto-allocate`, {}),
      b.agent.get(`/api/v1/documents/${inv.id}`),
      b.agent.patch(`/api/v1/documents/${inv.id}`, { status: 'written_off' }),
      b.agent.delete(`/api/v1/documents/${pay.id}`),
      b.agent.post('/api/v1/documents', { customerId: cust.id, type: 'invoice', number: 'X', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 1 }),
      b.agent.post('/api/v1/documents', { customerId: bCust.id, type: 'payment', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 1, appliesToDocumentId: inv.id }),
      b.agent.post('/api/v1/allocations', { fromDocumentId: bPay.id, toDocumentId: inv.id, amountMinor: 1 }),
      b.agent.post(`/api/v1/allocations/${alloc.id}/reverse`, {}),
      b.agent.patch(`/api/v1/customers/${bCust.id}`, { parentCustomerId: cust.id }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode, `${res.body}`).toBe(404);
    expect((await b.agent.get('/api/v1/customers')).json().items.map((c: any) => c.code)).toEqual(['B1']);
    expect((await b.agent.get(`/api/v1/documents?customerId=${cust.id}`)).json().items).toEqual([]);
    expect((await b.agent.get('/api/v1/documents?q=A-1')).json().items).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
