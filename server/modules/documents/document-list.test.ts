import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKeyClient, createTestApp, describeEachEngine, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * The document list pages in `documents` alone and joins the page's customers afterwards, unless a filter or the
 * sort needs the customer (then it joins first). Both ways must give the same rows, order and pages.
 */
describeEachEngine('document list pages', (engine) => {
  let t: TestApp;
  let owner: Agent;
  type Doc = { id: string; number: string; dueOn: string; customerId: string; customerName: string; customerCode: string };
  const all: Doc[] = [];
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
    const s = await signUpCompany(t.app, 'List Co');
    owner = s.agent;
    const customers = [];
    for (const [code, name, segment] of [['B1', 'Bravo', 'retail'], ['A1', 'Alpha', 'retail'], ['C1', 'Charlie', 'wholesale']]) {
      const res = await owner.post('/api/v1/customers', { code, name, segment });
      expect(res.statusCode, res.body).toBe(201);
      customers.push(res.json());
    }
    // Due dates repeat, so that the tie on the id decides the order inside a date.
    for (let i = 0; i < 14; i++) {
      const c = customers[i % 3];
      const dueOn = `2026-10-${String(10 + (i % 4)).padStart(2, '0')}`;
      const res = await owner.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: `L-${i}`, issuedOn: '2026-09-01', dueOn, currency: 'EUR', amountMinor: 1000 + i });
      expect(res.statusCode, res.body).toBe(201);
      all.push({ id: res.json().id, number: `L-${i}`, dueOn, customerId: c.id, customerName: c.name, customerCode: c.code });
    }
  });
  afterAll(async () => t.close());

  async function pages(query: string, limit: number) {
    const seen: Doc[] = [];
    let cursor: string | null = null;
    do {
      const res = await owner.get(`/api/v1/documents?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return seen;
  }
  const pick = (d: Doc) => ({ id: d.id, number: d.number, customerName: d.customerName, customerCode: d.customerCode });
  const byDue = (a: Doc, b: Doc) => a.dueOn.localeCompare(b.dueOn) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('paged in documents alone: every invoice once, in (due date, id) order, with its customer', async () => {
    const expected = [...all].sort(byDue).map(pick);
    expect((await pages('type=invoice&overdue=true&sort=dueOn&order=asc', 4)).map(pick)).toEqual(expected);
    expect((await pages('type=invoice&sort=dueOn&order=desc', 5)).map(pick)).toEqual([...all].sort((a, b) => b.dueOn.localeCompare(a.dueOn) || (a.id < b.id ? -1 : 1)).map(pick));
  });

  it('joined first for a customer filter or sort: the same rows as filtering the full list', async () => {
    const retail = [...all].filter((d) => d.customerCode !== 'C1').sort(byDue).map(pick);
    expect((await pages('type=invoice&segment=retail&sort=dueOn', 3)).map(pick)).toEqual(retail);
    const byName = [...all].sort((a, b) => a.customerName.localeCompare(b.customerName) || (a.id < b.id ? -1 : 1)).map(pick);
    expect((await pages('type=invoice&sort=customerName&order=asc', 4)).map(pick)).toEqual(byName);
    expect((await pages('q=charlie', 50)).map(pick)).toEqual([...all].filter((d) => d.customerName === 'Charlie').sort(byDue).map(pick));
  });

  it('the same page through an API key as through the session', async () => {
    const key = (await owner.post('/api/v1/api-keys', { name: 'list', role: 'credit_manager' })).json();
    const url = '/api/v1/documents?type=invoice&overdue=true&sort=dueOn&limit=5';
    const viaKey = await apiKeyClient(t.app, key.secret).get(url);
    expect(viaKey.statusCode, viaKey.body).toBe(200);
    expect(viaKey.json()).toEqual((await owner.get(url)).json());
  });
});
