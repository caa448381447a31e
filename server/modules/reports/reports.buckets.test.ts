import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AGING_BUCKETS } from '../../domain/aging';
import { translate } from '../../i18n/i18n';
import { addMember, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';
import { LedgerFactory } from './reports.factory';

const k = (major: number) => major * 100;
const TODAY = new Date('2026-01-15T10:00:00Z');
/** What a credit manager who chases at 15 days asks for: notDue, 1-15, 16-30, 31-60, over60. */
const FORTNIGHT = [
  { key: 'notDue', fromDays: null, toDays: 0 },
  { key: '1-15', fromDays: 1, toDays: 15 },
  { key: '16-30', fromDays: 16, toDays: 30 },
  { key: '31-60', fromDays: 31, toDays: 60 },
  { key: 'over60', fromDays: 61, toDays: null },
];
const KEYS = FORTNIGHT.map((b) => b.key);

async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  return wb.worksheets[0];
}

describeEachEngine('company aging buckets: settings, reports, exports', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  let other: Awaited<ReturnType<typeof signUpCompany>>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => TODAY } });
    owner = await signUpCompany(t.app, 'Fortnight SAS');
    other = await signUpCompany(t.app, 'Defaults GmbH');
    const f = new LedgerFactory(t.deps.db, owner.tenantId);
    const c = await f.customer({ code: 'C', name: 'Client' });
    await f.invoice(c, { issuedOn: '2025-12-20', dueOn: '2026-01-20', amountMinor: k(1000), number: 'A' }); // not due
    await f.invoice(c, { issuedOn: '2025-12-05', dueOn: '2026-01-05', amountMinor: k(200), number: 'B' }); // 10 days
    ids.c = await f.invoice(c, { issuedOn: '2025-11-26', dueOn: '2025-12-26', amountMinor: k(300), number: 'C' }); // 20 days
    await f.invoice(c, { issuedOn: '2025-10-26', dueOn: '2025-11-26', amountMinor: 123_456, number: 'D' }); // 50 days
    await f.invoice(c, { issuedOn: '2025-09-01', dueOn: '2025-10-01', amountMinor: k(500), number: 'E' }); // 106 days
    await f.invoice(c, { issuedOn: '2025-12-10', dueOn: '2026-01-10', amountMinor: k(70), number: 'U', currency: 'USD' }); // 5 days
    await f.invoice(c, { issuedOn: '2025-12-10', dueOn: '2026-01-10', amountMinor: 16_000, number: 'J', currency: 'JPY' }); // 5 days
    await t.deps.db.insertInto('exchange_rates').values({ tenant_id: owner.tenantId, rate_on: '2026-01-01', base_currency: 'EUR', quote_currency: 'USD', rate: '1.25' }).execute();
    const g = new LedgerFactory(t.deps.db, other.tenantId);
    await g.invoice(await g.customer(), { issuedOn: '2025-11-01', dueOn: '2025-12-01', amountMinor: k(10) }); // 45 days
  });
  afterAll(async () => t.close());

  it('GET /company shows the defaults until the company sets its own; PATCH stores them and audits the change', async () => {
    const before = (await owner.agent.get('/api/v1/company')).json();
    expect(before).toMatchObject({ id: owner.tenantId, name: 'Fortnight SAS', timeZone: expect.any(String), defaultLanguage: 'en', baseCurrency: 'EUR' });
    expect(before.agingBuckets).toEqual(DEFAULT_AGING_BUCKETS);
    expect(before.agingBucketsAreDefault).toBe(true);

    const res = await owner.agent.patch('/api/v1/company', { agingBuckets: FORTNIGHT });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ agingBuckets: FORTNIGHT, agingBucketsAreDefault: false });
    expect((await owner.agent.get('/api/v1/company')).json().agingBuckets).toEqual(FORTNIGHT);

    const audit = (await owner.agent.get('/api/v1/audit-log?action=company.updated')).json();
    expect(JSON.stringify(audit.items[0])).toContain('"16-30"');
  });

  it('aging, dashboard and the base-currency view use the company’s buckets', async () => {
    const aging = (await owner.agent.get('/api/v1/reports/aging?convertTo=EUR')).json();
    expect(aging.buckets).toEqual(FORTNIGHT);
    const eur = aging.rows.find((r: any) => r.currency === 'EUR');
    expect(eur.amountsMinor).toEqual({ notDue: k(1000), '1-15': k(200), '16-30': k(300), '31-60': 123_456, over60: k(500) });
    expect(eur.totalMinor).toBe(k(2000) + 123_456);
    expect(Object.keys(aging.rows.find((r: any) => r.currency === 'USD').amountsMinor)).toEqual(KEYS);
    // 70 USD at 1 EUR = 1.25 USD → 56 EUR in 1-15; JPY has no rate and is named, never dropped.
    expect(aging.converted).toMatchObject({ currency: 'EUR', amountsMinor: { notDue: k(1000), '1-15': k(256), '16-30': k(300), '31-60': 123_456, over60: k(500) }, missingCurrencies: ['JPY'] });

    const board = (await owner.agent.get('/api/v1/reports/dashboard')).json();
    expect(board.aging.buckets.map((b: any) => b.key)).toEqual(KEYS);
    expect(board.aging.rows.find((r: any) => r.currency === 'EUR').amountsMinor['16-30']).toBe(k(300));
    expect(board.dso.explanation.notYetDueMinor).toBe(k(1000)); // the DSO does not depend on the buckets
  });

  it('a bucket opens to its invoices; a key the company no longer uses is refused', async () => {
    const res = await owner.agent.get('/api/v1/reports/aging/items?bucket=16-30&currency=EUR');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: any) => [i.number, i.daysPastDue])).toEqual([['C', 20]]);
    const over = (await owner.agent.get('/api/v1/reports/aging/items?bucket=over60')).json();
    expect(over.items.map((i: any) => i.number)).toEqual(['E']);
    const old = await owner.agent.get('/api/v1/reports/aging/items?bucket=1-30');
    expect(old.statusCode).toBe(400);
    expect(old.json().error.fields[0].path).toBe('query.bucket');
  });

  it('the Excel aging is headed by the buckets’ labels, with real dates and numbers in each currency’s decimals', async () => {
    const ws = await workbook((await owner.agent.get('/api/v1/reports/aging.xlsx?convertTo=EUR')).rawPayload);
    expect(ws.getCell('B1').value).toEqual(new Date(Date.UTC(2026, 0, 15)));
    expect(ws.getCell('B1').numFmt).toBe('yyyy-mm-dd');
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((r) => rows.push(r));
    const header = rows.find((r) => r.getCell(1).value === translate('en', 'reports:fields.currency'))!;
    expect([2, 3, 4, 5, 6].map((i) => header.getCell(i).value)).toEqual(['Not due', '1–15 days', '16–30 days', '31–60 days', 'Over 60 days']);
    const eur = rows.find((r) => r.getCell(1).value === 'EUR')!;
    expect(eur.getCell(5).value).toBe(1234.56);
    expect(eur.getCell(5).numFmt).toBe('#,##0.00');
    const jpy = rows.find((r) => r.getCell(1).value === 'JPY')!;
    expect(jpy.getCell(3).value).toBe(16_000);
    expect(jpy.getCell(3).numFmt).toBe('#,##0');
    const rate = rows.find((r) => String(r.getCell(2).value).startsWith('1 EUR = 1.25 USD'))!;
    expect(rate.getCell(3).value).toEqual(new Date(Date.UTC(2026, 0, 1)));

    const items = await workbook((await owner.agent.get('/api/v1/reports/aging/items.xlsx?bucket=16-30&currency=EUR')).rawPayload);
    expect(items.getCell('C1').value).toBe('16–30 days');
    const c = items.getRow(4);
    expect(c.getCell(1).value).toBe('C');
    expect([c.getCell(4).value, c.getCell(5).value]).toEqual([new Date(Date.UTC(2025, 10, 26)), new Date(Date.UTC(2025, 11, 26))]);
    expect([c.getCell(6).value, c.getCell(8).value]).toEqual([20, 300]);
  });

  it('invalid buckets → 400 naming the field and index, in the caller’s language; nothing is stored', async () => {
    const cases: [unknown, string][] = [
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '1-15', fromDays: 1, toDays: 15 }, { key: 'late', fromDays: 20, toDays: null }], 'agingBuckets.2.fromDays'],
      [[{ key: 'a', fromDays: -5, toDays: 0 }, { key: 'b', fromDays: 1, toDays: null }], 'agingBuckets.0.fromDays'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 1, toDays: 30 }], 'agingBuckets.1.toDays'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '1-15', fromDays: 1, toDays: 30 }, { key: 'over30', fromDays: 31, toDays: null }], 'agingBuckets.1.key'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'unallocated', fromDays: 1, toDays: null }], 'agingBuckets.1.key'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'x', fromDays: 1, toDays: null }, { key: 'x', fromDays: 2, toDays: null }], 'agingBuckets.2.key'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: '=SUM(A1)', fromDays: 1, toDays: null }], 'agingBuckets.1.key'],
      [[{ key: 'notDue', fromDays: null, toDays: 0 }, { key: 'b', fromDays: 1.5, toDays: null }], 'agingBuckets.1.fromDays'],
      [[{ key: 'early', fromDays: null, toDays: 5 }, { key: 'late', fromDays: 6, toDays: null }], 'agingBuckets'],
      [[], 'agingBuckets'],
    ];
    for (const [agingBuckets, path] of cases) {
      const res = await owner.agent.patch('/api/v1/company', { agingBuckets });
      expect(res.statusCode, JSON.stringify(agingBuckets)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields.map((f: any) => f.path), JSON.stringify(agingBuckets)).toContain(path);
    }
    await owner.agent.patch('/api/v1/me', { language: 'fr' });
    const fr = await owner.agent.patch('/api/v1/company', { agingBuckets: cases[0][0] });
    await owner.agent.patch('/api/v1/me', { language: 'en' });
    expect(fr.json().error.fields).toEqual([{ path: 'agingBuckets.2.fromDays', message: translate('fr', 'errors:field.bucketGap', { expected: 16 }) }]);
    expect(fr.json().error.fields[0].message).toContain('16');
    expect((await owner.agent.get('/api/v1/company')).json().agingBuckets).toEqual(FORTNIGHT);
  });

  it('only administrators change the buckets; another company keeps its own (here the defaults)', async () => {
    const manager = await addMember(t.app, t.deps, owner.agent, 'credit_manager');
    expect((await manager.agent.patch('/api/v1/company', { agingBuckets: null })).statusCode).toBe(403);
    expect((await manager.agent.get('/api/v1/reports/aging')).json().buckets).toEqual(FORTNIGHT);

    const theirs = (await other.agent.get('/api/v1/reports/aging')).json();
    expect(theirs.buckets).toEqual(DEFAULT_AGING_BUCKETS);
    expect(theirs.rows[0].amountsMinor).toEqual({ notDue: 0, '1-30': 0, '31-60': k(10), '61-90': 0, over90: 0 });
    expect((await other.agent.get('/api/v1/company')).json().agingBucketsAreDefault).toBe(true);
    expect((await other.agent.get('/api/v1/reports/aging/items?bucket=16-30')).statusCode).toBe(400);
  });

  it('null restores the defaults; sending the defaults stores nothing of the company’s own', async () => {
    const res = await owner.agent.patch('/api/v1/company', { agingBuckets: null });
    expect(res.json()).toMatchObject({ agingBuckets: DEFAULT_AGING_BUCKETS, agingBucketsAreDefault: true });
    expect((await owner.agent.get('/api/v1/reports/aging')).json().rows.find((r: any) => r.currency === 'EUR').amountsMinor).toEqual({ notDue: k(1000), '1-30': k(500), '31-60': 123_456, '61-90': 0, over90: k(500) });
    await owner.agent.patch('/api/v1/company', { agingBuckets: FORTNIGHT });
    const again = await owner.agent.patch('/api/v1/company', { agingBuckets: DEFAULT_AGING_BUCKETS });
    expect(again.json().agingBucketsAreDefault).toBe(true);
    const row = await t.deps.db.selectFrom('tenants').select('aging_buckets_json').where('id', '=', owner.tenantId).executeTakeFirstOrThrow();
    expect(row.aging_buckets_json).toBeNull();
  });
});
