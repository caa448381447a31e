import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCompany, type Agent, type TestApp } from '../test/test-app';

/**
 * SQLite's reader connection (server/db/sqlite-driver.ts): while one transaction writes — a long import, say — the
 * requests that only read are answered from the last commit instead of waiting for it; writes wait their turn.
 */
describe('SQLite (sqlite): reads are not blocked by an open write transaction', () => {
  let t: TestApp;
  let owner: Agent;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    ({ agent: owner, tenantId } = await signUpCompany(t.app, 'Reader Co'));
  });
  afterAll(async () => t.close());

  /** Opens a transaction that adds a customer and stays open until `commit()` is called. */
  async function openWriteTransaction(code: string) {
    let commit!: () => void;
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let inserted!: () => void;
    const ready = new Promise<void>((resolve) => (inserted = resolve));
    const done = t.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('customers')
        .values({
          id: crypto.randomUUID(), tenant_id: tenantId, code, name: `Customer ${code}`, legal_id: null, vat_id: null, debtor_type: 'business', address_line1: null, address_line2: null,
          postal_code: null, city: null, country: null, language: null, currency: null, payment_terms_days: null, payment_terms_end_of_month: 0, credit_limit_minor: null,
          collector_user_id: null, segment: null, tags_json: '[]', parent_customer_id: null, custom_fields_json: '{}', status: 'active', created_at: '2026-11-26T00:00:00Z', updated_at: '2026-11-26T00:00:00Z',
        })
        .execute();
      inserted();
      await gate;
    });
    await ready;
    return { commit, done };
  }

  /** The promise's value, or a failure naming what stayed blocked (instead of a test that hangs). */
  function withinSeconds<T>(p: Promise<T>, what: string): Promise<T> {
    return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} waited for the open transaction`)), 5000))]);
  }

  it('answers list requests from the last commit while a transaction is open, then shows its rows once committed', async () => {
    const tx = await openWriteTransaction('PENDING-1');
    try {
      const during = await withinSeconds(owner.get('/api/v1/customers?limit=50'), 'GET /customers');
      expect(during.statusCode).toBe(200);
      expect(during.json().items.map((c: { code: string }) => c.code)).not.toContain('PENDING-1');
      const dashboard = await withinSeconds(owner.get('/api/v1/reports/dashboard'), 'GET /reports/dashboard');
      expect(dashboard.statusCode).toBe(200);
    } finally {
      tx.commit();
      await tx.done;
    }
    const after = await owner.get('/api/v1/customers?limit=50');
    expect(after.json().items.map((c: { code: string }) => c.code)).toContain('PENDING-1');
  });

  it('queues a write behind the open transaction and runs it after the commit, in order', async () => {
    const tx = await openWriteTransaction('PENDING-2');
    const order: string[] = [];
    const write = owner.post('/api/v1/customers', { code: 'AFTER-2', name: 'Written after' }).then((res) => {
      order.push('write');
      return res;
    });
    // The read is answered while the write still waits.
    const read = await withinSeconds(owner.get('/api/v1/customers?limit=50'), 'GET /customers');
    order.push('read');
    expect(read.statusCode).toBe(200);
    tx.commit();
    await tx.done;
    order.push('commit');
    const res = await write;
    expect(res.statusCode).toBe(201);
    expect(order).toEqual(['read', 'commit', 'write']);
    const codes = (await owner.get('/api/v1/customers?limit=50')).json().items.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['PENDING-2', 'AFTER-2']));
  });

  it('a streamed query and the reads made while it streams all complete', async () => {
    const codes: string[] = [];
    for await (const c of t.deps.db.selectFrom('customers').select('code').where('tenant_id', '=', tenantId).orderBy('code').stream()) {
      // Another read while the stream is open (better-sqlite3 refuses a second statement on a connection that iterates).
      const again = await withinSeconds(t.deps.db.selectFrom('customers').select('name').where('tenant_id', '=', tenantId).where('code', '=', c.code).executeTakeFirstOrThrow(), 'a read during a stream');
      codes.push(`${c.code}:${again.name.length > 0}`);
    }
    expect(codes).toEqual(['AFTER-2:true', 'PENDING-1:true', 'PENDING-2:true']);
  });

  it('a read inside a transaction sees that transaction’s own uncommitted rows', async () => {
    const seen = await t.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ name: 'Renamed inside' }).where('tenant_id', '=', tenantId).where('code', '=', 'AFTER-2').execute();
      const inside = await trx.selectFrom('customers').select('name').where('tenant_id', '=', tenantId).where('code', '=', 'AFTER-2').executeTakeFirstOrThrow();
      const outside = await withinSeconds(t.deps.db.selectFrom('customers').select('name').where('tenant_id', '=', tenantId).where('code', '=', 'AFTER-2').executeTakeFirstOrThrow(), 'a read outside');
      return { inside: inside.name, outside: outside.name };
    });
    expect(seen).toEqual({ inside: 'Renamed inside', outside: 'Written after' });
  });
});
