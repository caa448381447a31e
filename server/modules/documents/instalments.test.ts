import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, createTestApp, describeEachEngine, importFile, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

/**
 * Invoices with several due dates (DOMAIN.md: "each instalment is dunned on its own"): every instalment is its own
 * invoice line, aged, listed and settled on its own; the invoice stays one thing for writing off or deleting.
 */
describeEachEngine('invoice instalments', (engine) => {
  let t: TestApp;
  let owner: Agent;
  let other: Agent;
  beforeAll(async () => {
    // "Today" is 2026-11-20 in Europe/Paris.
    t = await createTestApp(engine, { clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
    owner = (await signUpCompany(t.app, 'Instalment Co')).agent;
    other = (await signUpCompany(t.app, 'Other Co')).agent;
  });
  afterAll(async () => t.close());

  let n = 0;
  async function customer() {
    const res = await owner.post('/api/v1/customers', { code: `I${++n}`, name: `Instalment customer ${n}` });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const schedule = (customerId: string, number: string) => ({
    customerId, type: 'invoice', number, issuedOn: '2026-09-01', currency: 'EUR', amountMinor: 90000,
    // Given out of order on purpose: lines are numbered by due date.
    instalments: [{ dueOn: '2026-12-01', amountMinor: 30000 }, { dueOn: '2026-10-01', amountMinor: 30000 }, { dueOn: '2026-11-01', amountMinor: 30000 }],
  });

  it('an invoice with three due dates becomes three lines, each aged and listed on its own due date', async () => {
    const c = await customer();
    const res = await owner.post('/api/v1/documents', schedule(c.id, 'ECH-1'));
    expect(res.statusCode, res.body).toBe(201);
    const inv = res.json();
    expect(inv.instalments.map((l: any) => [l.instalmentNo, l.instalmentCount, l.dueOn, l.amountMinor, l.number])).toEqual([
      [1, 3, '2026-10-01', 30000, 'ECH-1'],
      [2, 3, '2026-11-01', 30000, 'ECH-1'],
      [3, 3, '2026-12-01', 30000, 'ECH-1'],
    ]);
    const detail = (await owner.get(`/api/v1/documents/${inv.instalments[2].id}`)).json();
    expect(detail.instalments.map((l: any) => l.id)).toEqual(inv.instalments.map((l: any) => l.id));

    const aging = (await owner.get(`/api/v1/reports/aging?asOf=2026-11-20&customerId=${c.id}`)).json();
    expect(aging.rows).toEqual([{ currency: 'EUR', amountsMinor: { notDue: 30000, '1-30': 30000, '31-60': 30000, '61-90': 0, over90: 0 }, totalMinor: 90000, unallocatedMinor: 0 }]);
    const overdue = (await owner.get(`/api/v1/documents?customerId=${c.id}&overdue=true`)).json().items;
    expect(overdue.map((d: any) => d.instalmentNo)).toEqual([1, 2]);
    const balances = (await owner.get(`/api/v1/customers/${c.id}`)).json().balances;
    expect(balances[0]).toMatchObject({ openMinor: 90000, overdueMinor: 60000, oldestOpenDueOn: '2026-10-01' });
  });

  it("the customer page's aging: each instalment in its bucket, the company's buckets, for a sales role without reports, never another company's", async () => {
    const c = await customer();
    await owner.post('/api/v1/documents', schedule(c.id, 'ECH-AG'));
    const { agent: sales } = await addMember(t.app, t.deps, owner, 'sales');
    expect((await sales.get('/api/v1/reports/aging')).statusCode).toBe(403);
    const res = await sales.get(`/api/v1/customers/${c.id}/aging`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ asOf: '2026-11-20', rows: [{ currency: 'EUR', amountsMinor: { notDue: 30000, '1-30': 30000, '31-60': 30000 }, totalMinor: 90000 }] });
    const buckets = [{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '1-45', fromDays: 1, toDays: 45 }, { key: 'over45', fromDays: 46, toDays: null }];
    expect((await owner.patch('/api/v1/company', { agingBuckets: buckets })).statusCode).toBe(200);
    const custom = (await owner.get(`/api/v1/customers/${c.id}/aging`)).json();
    expect(custom.buckets.map((b: any) => b.key)).toEqual(['notDue', '1-45', 'over45']);
    expect(custom.rows[0].amountsMinor).toEqual({ notDue: 30000, '1-45': 30000, over45: 30000 });
    expect((await owner.patch('/api/v1/company', { agingBuckets: null })).statusCode).toBe(200);
    expect((await other.get(`/api/v1/customers/${c.id}/aging`)).statusCode).toBe(404);
  });

  it('a payment naming the invoice settles its instalments from the earliest due date', async () => {
    const c = await customer();
    const inv = (await owner.post('/api/v1/documents', schedule(c.id, 'ECH-2'))).json();
    const pay = await owner.post('/api/v1/documents', { customerId: c.id, type: 'payment', issuedOn: '2026-11-10', currency: 'EUR', amountMinor: 45000, appliesToDocumentId: inv.id });
    expect(pay.statusCode, pay.body).toBe(201);
    expect(pay.json()).toMatchObject({ openMinor: 0, status: 'allocated' });
    const lines = (await owner.get(`/api/v1/documents/${inv.id}`)).json().instalments;
    expect(lines.map((l: any) => [l.openMinor, l.status])).toEqual([[0, 'paid'], [15000, 'partially_paid'], [30000, 'open']]);
    const aging = (await owner.get(`/api/v1/reports/aging?asOf=2026-11-20&customerId=${c.id}`)).json();
    expect(aging.rows[0].amountsMinor).toMatchObject({ notDue: 30000, '1-30': 15000, '31-60': 0 });
    // As it stood before the payment, every instalment was still open.
    const before = (await owner.get(`/api/v1/reports/aging?asOf=2026-11-09&customerId=${c.id}`)).json();
    expect(before.rows[0]).toMatchObject({ totalMinor: 90000, amountsMinor: { notDue: 30000, '1-30': 30000, '31-60': 30000 } });
  });

  it('refuses a schedule that does not add up, on another document type or with a repeated date, naming the field', async () => {
    const c = await customer();
    const base = schedule(c.id, 'ECH-BAD');
    const cases: [object, string][] = [
      [{ ...base, amountMinor: 90001 }, 'instalments'],
      [{ ...base, type: 'credit_note' }, 'instalments'],
      [{ ...base, dueOn: '2026-10-01' }, 'dueOn'],
      [{ ...base, instalments: [{ dueOn: '2026-10-01', amountMinor: 45000 }, { dueOn: '2026-10-01', amountMinor: 45000 }] }, 'instalments.1.dueOn'],
      [{ ...base, instalments: [{ dueOn: '2026-08-01', amountMinor: 45000 }, { dueOn: '2026-10-01', amountMinor: 45000 }] }, 'instalments.0.dueOn'],
      [{ ...base, instalments: [{ dueOn: '2026-10-01', amountMinor: 90000 }] }, 'instalments'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.post('/api/v1/documents', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields.map((f: any) => f.path), res.body).toContain(field);
    }
    expect((await owner.get(`/api/v1/documents?customerId=${c.id}`)).json().items).toEqual([]);
  });

  it('writing off the invoice closes every instalment; deleting it deletes them all; another company sees none', async () => {
    const c = await customer();
    const inv = (await owner.post('/api/v1/documents', schedule(c.id, 'ECH-3'))).json();
    const lineId = inv.instalments[1].id;
    expect((await other.get(`/api/v1/documents/${lineId}`)).statusCode).toBe(404);
    expect((await other.patch(`/api/v1/documents/${lineId}`, { status: 'written_off' })).statusCode).toBe(404);
    const off = await owner.patch(`/api/v1/documents/${lineId}`, { status: 'written_off' });
    expect(off.statusCode, off.body).toBe(200);
    const lines = (await owner.get(`/api/v1/documents/${inv.id}`)).json().instalments;
    expect(lines.map((l: any) => [l.openMinor, l.status])).toEqual([[0, 'written_off'], [0, 'written_off'], [0, 'written_off']]);

    const again = (await owner.post('/api/v1/documents', schedule(c.id, 'ECH-4'))).json();
    expect((await owner.delete(`/api/v1/documents/${again.instalments[2].id}`)).statusCode).toBe(204);
    for (const l of again.instalments) expect((await owner.get(`/api/v1/documents/${l.id}`)).statusCode).toBe(404);
  });

  const CSV = (rows: string[]) => ['customerCode;customerName;documentType;number;issuedOn;dueOn;currency;amount;appliesTo', ...rows].join('\n');
  const SCHEDULE_ROWS = [
    'S1;Schedule customer;invoice;F-100;2026-09-01;2026-10-01;EUR;300,00;',
    'S1;Schedule customer;invoice;F-101;2026-09-15;2026-10-15;EUR;50,00;',
    'S1;Schedule customer;invoice;F-100;2026-09-01;2026-11-01;EUR;300,00;',
    'S1;Schedule customer;invoice;F-100;2026-09-01;2026-12-01;EUR;300,00;',
  ];

  it('a file repeating an invoice number with other due dates imports its instalments; a re-import changes nothing', async () => {
    const first = await importFile(t, owner, { name: 'schedule.csv', content: CSV(SCHEDULE_ROWS) }, { source: 'erp' });
    expect(first.status, JSON.stringify(first.summary)).toBe('succeeded');
    expect(first.summary).toMatchObject({ created: 4, rejected: 0 });
    const lines = (await owner.get('/api/v1/documents?q=F-100&sort=dueOn')).json().items;
    expect(lines.map((l: any) => [l.instalmentNo, l.instalmentCount, l.dueOn, l.amountMinor])).toEqual([
      [1, 3, '2026-10-01', 30000],
      [2, 3, '2026-11-01', 30000],
      [3, 3, '2026-12-01', 30000],
    ]);
    const again = await importFile(t, owner, { name: 'schedule.csv', content: CSV(SCHEDULE_ROWS) }, { source: 'erp' });
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect((await owner.get('/api/v1/documents?q=F-100')).json().items).toHaveLength(3);

    // A payment naming the invoice pays the earliest instalment first.
    const pay = await importFile(t, owner, { name: 'pay.csv', content: CSV(['S1;Schedule customer;payment;P-9;2026-11-05;;EUR;400,00;F-100']) }, { source: 'erp' });
    expect(pay.status, JSON.stringify(pay.summary)).toBe('succeeded');
    const after = (await owner.get('/api/v1/documents?q=F-100&sort=dueOn')).json().items;
    expect(after.map((l: any) => l.openMinor)).toEqual([0, 20000, 30000]);

    // Snapshot: the source now lists two instalments; the third, missing, is closed.
    const snap = await importFile(t, owner, { name: 'snap.csv', content: CSV([SCHEDULE_ROWS[0], SCHEDULE_ROWS[1], SCHEDULE_ROWS[2]]) }, { source: 'erp', mode: 'snapshot' });
    expect(snap.status, JSON.stringify(snap.summary)).toBe('succeeded');
    expect(snap.summary.closed).toBe(1);
    const closed = (await owner.get('/api/v1/documents?q=F-100&sort=dueOn')).json().items;
    expect(closed.map((l: any) => [l.instalmentCount, l.openMinor])).toEqual([[2, 0], [2, 20000], [3, 0]]);
  });

  it('rows repeating an invoice with the same or no due date are errors naming the row, never a doubled amount', async () => {
    const job = await importFile(t, owner, {
      name: 'dupes.csv',
      content: CSV([
        'S2;Dupe customer;invoice;D-1;2026-09-01;2026-10-01;EUR;100,00;',
        'S2;Dupe customer;invoice;D-1;2026-09-01;2026-10-01;EUR;100,00;',
        'S2;Dupe customer;invoice;D-1;2026-09-01;;EUR;100,00;',
      ]),
    }, { source: 'dupes', dryRun: true });
    expect(job.summary.errors).toEqual([
      { row: 2, column: 'number', header: 'number', value: 'D-1', message: 'This document already appears on an earlier row of the file.' },
      { row: 3, column: 'dueOn', header: 'dueOn', value: 'D-1', message: expect.stringContaining('each needs a due date of its own') },
    ]);
    expect(job.summary).toMatchObject({ created: 1, rejected: 2 });
  });
});
