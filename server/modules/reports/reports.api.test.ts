import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../i18n/i18n';
import { addMember, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';
import { getForecast, type ForecastOverrideSource } from './reports.collections.service';
import { LedgerFactory } from './reports.factory';
import { neutraliseText } from './reports.xlsx';

const k = (major: number) => major * 100;
const TODAY = new Date('2026-01-15T10:00:00Z'); // a Thursday; week 0 starts on Monday 2026-01-12

async function readSheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

describeEachEngine('reports API: payment habits, forecast, collectors, conversion, exports, bad input', (engine) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCompany>>;
  let f: LedgerFactory;
  let ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(engine, { clock: { now: () => TODAY } });
    owner = await signUpCompany(t.app, 'Habits SARL');
    const collector = await addMember(t.app, t.deps, owner.agent, 'collector');
    f = new LedgerFactory(t.deps.db, owner.tenantId);
    const p = await f.customer({ code: 'P', name: '=HYPERLINK("http://evil.example")', collectorUserId: collector.userId, segment: 'SMB' });
    const q = await f.customer({ code: 'Q', name: 'Quiet Payer', segment: 'SMB' });
    // Paid 30 days late in the previous 6 months; in the last 6 months 10, 10, −5 (early) and 5 days.
    const i0 = await f.invoice(p, { issuedOn: '2025-04-01', dueOn: '2025-05-01', amountMinor: k(1000) });
    await f.pay(p, i0, k(1000), '2025-05-31');
    const i1 = await f.invoice(p, { issuedOn: '2025-10-01', dueOn: '2025-11-01', amountMinor: k(1000) });
    await f.pay(p, i1, k(1000), '2025-11-11');
    const i2 = await f.invoice(p, { issuedOn: '2025-11-01', dueOn: '2025-12-01', amountMinor: k(3000) });
    await f.pay(p, i2, k(3000), '2025-12-11');
    const i3 = await f.invoice(p, { issuedOn: '2025-09-01', dueOn: '2025-10-01', amountMinor: k(1000) });
    await f.pay(p, i3, k(1000), '2025-09-26');
    const w = await f.invoice(p, { issuedOn: '2025-12-05', dueOn: '2026-01-05', amountMinor: k(1000) });
    await f.pay(p, w, k(1000), '2026-01-10');
    // A bounced payment: allocated, then reversed — no trace in the habit, the invoice is open again.
    const z = await f.invoice(p, { issuedOn: '2025-11-15', dueOn: '2025-12-15', amountMinor: k(500) });
    const bounced = await f.payment(p, { issuedOn: '2025-12-20', amountMinor: k(500) });
    const allocation = await f.allocate(bounced, z, k(500), '2025-12-20');
    await f.allocate(bounced, z, -k(500), '2025-12-22', allocation);
    // Open: X due in 5 days, Y overdue since 20 Dec; Q has one invoice due in June and no history.
    ids.x = await f.invoice(p, { issuedOn: '2025-12-20', dueOn: '2026-01-20', amountMinor: k(5000), number: 'X' });
    ids.y = await f.invoice(p, { issuedOn: '2025-11-20', dueOn: '2025-12-20', amountMinor: k(2000), number: 'Y' });
    await f.invoice(q, { issuedOn: '2025-12-31', dueOn: '2026-06-30', amountMinor: k(800) });
    ids.p = p;
    ids.q = q;
    ids.collector = collector.userId;
  });
  afterAll(async () => t.close());

  it('payer profile: amount-weighted days late 7.5, delay 6.67, 16.7 % paid on time; 30 days late before → improving; reversals ignored', async () => {
    const res = await owner.agent.get(`/api/v1/reports/payer-profiles?customerId=${ids.p}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ asOf: '2026-01-15', currentPeriod: { fromOn: '2025-07-15', toOn: '2026-01-15' }, previousPeriod: { fromOn: '2025-01-15', toOn: '2025-07-15' } });
    expect(body.items).toEqual([
      expect.objectContaining({
        customerId: ids.p,
        currency: 'EUR',
        current: { paidMinor: k(6000), invoiceCount: 4, averageDelayDays: 6.67, averageDaysLate: 7.5, onTimeSharePercent: 16.7 },
        previous: { paidMinor: k(1000), invoiceCount: 1, averageDelayDays: 30, averageDaysLate: 30, onTimeSharePercent: 0 },
        changeDays: -22.5,
        trend: 'improving',
      }),
    ]);
    const all = (await owner.agent.get('/api/v1/reports/payer-profiles')).json();
    expect(all.items.map((i: any) => i.customerCode)).toEqual(['P']);
  });

  it('forecast: overdue items in this week, others at due date + the customer’s average delay (7 days), no history → due date', async () => {
    const res = await owner.agent.get('/api/v1/reports/forecast');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ asOf: '2026-01-15', delayHistory: { fromOn: '2025-07-15', toOn: '2026-01-15', weighting: 'amount', customersWithHistory: 1 }, tracked: { promises: false, disputes: false } });
    const eur = body.currencies[0];
    expect(eur).toMatchObject({ currency: 'EUR', openMinor: k(8300), laterMinor: k(800), laterItemCount: 1, excludedMinor: 0 });
    expect(eur.weeks).toHaveLength(13);
    expect(eur.weeks[0]).toEqual({ weekStartOn: '2026-01-12', amountMinor: k(2500), itemCount: 2 });
    expect(eur.weeks[2]).toEqual({ weekStartOn: '2026-01-26', amountMinor: k(5000), itemCount: 1 });
    expect(eur.weeks.reduce((s: number, w: any) => s + w.amountMinor, 0) + eur.laterMinor).toBe(k(8300));
  });

  it('forecast: a promise or a dispute from a future module moves its invoice, the rest stays on the average delay', async () => {
    const promises: ForecastOverrideSource = async () => [
      { documentId: ids.x, customerId: ids.p, currency: 'EUR', dueOn: '2026-01-20', openMinor: k(5000), promisedOn: '2026-02-20' },
      { documentId: ids.y, customerId: ids.p, currency: 'EUR', dueOn: '2025-12-20', openMinor: k(2000), disputeTypeResolutionDays: 45 },
    ];
    const body = await getForecast(t.deps, owner.tenantId, {}, promises);
    const eur = body.currencies[0];
    expect(eur.weeks[0]).toMatchObject({ amountMinor: k(500), itemCount: 1 });
    expect(eur.weeks[2]).toMatchObject({ amountMinor: 0, itemCount: 0 });
    expect(eur.weeks[1]).toMatchObject({ weekStartOn: '2026-01-19', amountMinor: 0 });
    expect(eur.weeks.find((w) => w.weekStartOn === '2026-02-02')).toMatchObject({ amountMinor: k(2000), itemCount: 1 }); // 20 Dec + 45 days = 3 Feb
    expect(eur.weeks.find((w) => w.weekStartOn === '2026-02-16')).toMatchObject({ amountMinor: k(5000), itemCount: 1 });
    expect(eur.openMinor).toBe(k(8300));
  });

  it('collectors: open, overdue and collected this month per currency; actions and promises not tracked yet (null)', async () => {
    const res = await owner.agent.get('/api/v1/reports/collectors');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ asOf: '2026-01-15', fromOn: '2026-01-01', toOn: '2026-01-15' });
    expect(body.items).toEqual([
      expect.objectContaining({ collectorId: ids.collector, actionsDone: null, promisesKept: null, tracked: false, currencies: [{ currency: 'EUR', openMinor: k(7500), overdueMinor: k(2500), collectedMinor: k(1000), customersWithOpenItems: 1 }] }),
      expect.objectContaining({ collectorId: null, name: null, currencies: [{ currency: 'EUR', openMinor: k(800), overdueMinor: 0, collectedMinor: 0, customersWithOpenItems: 1 }] }),
    ]);
    const december = (await owner.agent.get('/api/v1/reports/collectors?from=2025-12-01&to=2025-12-31')).json();
    // 3,000 paid on 11 Dec; the bounced 500 was allocated and reversed within December.
    expect(december.items[0].currencies[0].collectedMinor).toBe(k(3000));
  });

  it('converted aging: the company’s own rate overrides the reference one, inverse and bridged rates are used and named, a currency without a rate is listed as missing', async () => {
    const other = await signUpCompany(t.app, 'Rates GmbH');
    const g = new LedgerFactory(t.deps.db, other.tenantId);
    const c = await g.customer();
    await g.invoice(c, { issuedOn: '2025-12-01', dueOn: '2025-12-31', amountMinor: k(100), currency: 'EUR' });
    await g.invoice(c, { issuedOn: '2025-12-01', dueOn: '2025-12-31', amountMinor: k(120), currency: 'USD' });
    await g.invoice(c, { issuedOn: '2025-12-01', dueOn: '2025-12-31', amountMinor: 16_000, currency: 'JPY' });
    await g.invoice(c, { issuedOn: '2025-12-01', dueOn: '2025-12-31', amountMinor: k(50), currency: 'GBP' });
    await t.deps.db.insertInto('exchange_rates').values([
      { tenant_id: '*', rate_on: '2025-12-01', base_currency: 'EUR', quote_currency: 'USD', rate: '1.10' },
      { tenant_id: '*', rate_on: '2026-01-02', base_currency: 'EUR', quote_currency: 'USD', rate: '1.05' },
      { tenant_id: other.tenantId, rate_on: '2025-11-01', base_currency: 'EUR', quote_currency: 'USD', rate: '1.20' },
      { tenant_id: '*', rate_on: '2025-12-30', base_currency: 'EUR', quote_currency: 'JPY', rate: '160' },
    ]).execute();
    const eur = (await other.agent.get('/api/v1/reports/aging?asOf=2025-12-31&convertTo=EUR')).json();
    expect(eur.rows.map((r: any) => r.currency)).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
    expect(eur.converted).toMatchObject({ currency: 'EUR', totalMinor: k(300), amountsMinor: { notDue: k(300) }, unallocatedMinor: 0, missingCurrencies: ['GBP'] });
    expect(eur.converted.rates).toEqual([
      { currency: 'JPY', legs: [{ baseCurrency: 'EUR', quoteCurrency: 'JPY', rate: '160', rateOn: '2025-12-30', source: 'reference', isInverted: true }] },
      { currency: 'USD', legs: [{ baseCurrency: 'EUR', quoteCurrency: 'USD', rate: '1.20', rateOn: '2025-11-01', source: 'company', isInverted: true }] },
    ]);
    const usd = (await other.agent.get('/api/v1/reports/aging?asOf=2025-12-31&convertTo=USD')).json();
    // JPY → EUR → USD: 16,000 / 160 × 1.20 = 120.00 USD; EUR 100 × 1.20 = 120.00; USD as is.
    expect(usd.converted).toMatchObject({ currency: 'USD', totalMinor: k(360), missingCurrencies: ['GBP'] });
    expect(usd.converted.rates.find((r: any) => r.currency === 'JPY').legs).toHaveLength(2);
    expect((await other.agent.get('/api/v1/reports/aging?asOf=2025-12-31')).json().converted).toBeUndefined();
  });

  describe('Excel exports', () => {
    it('aging.xlsx: a workbook with headers in the caller’s language (French) and amounts as numbers', async () => {
      await owner.agent.patch('/api/v1/me', { language: 'fr' });
      const res = await owner.agent.get('/api/v1/reports/aging.xlsx');
      await owner.agent.patch('/api/v1/me', { language: 'en' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toBe('attachment; filename="aging-2026-01-15.xlsx"');
      const { name, rows } = await readSheet(res.rawPayload);
      expect(name).toBe(translate('fr', 'reports:xlsx.sheet.aging').slice(0, 31));
      const header = rows.find((r) => r[0] === translate('fr', 'reports:fields.currency'))!;
      expect(header).toContain(translate('fr', 'reports:buckets.over90'));
      expect(translate('fr', 'reports:fields.currency')).not.toBe(translate('en', 'reports:fields.currency'));
      const eur = rows.find((r) => r[0] === 'EUR')!;
      expect(eur[6]).toBe(8300); // total in euros, a number
    });

    it('text cells that a spreadsheet would run as a formula are neutralised with a quote', async () => {
      expect(neutraliseText('=1+1')).toBe("'=1+1");
      expect(['+1', '-1', '@SUM(A1)', '\tx'].map(neutraliseText).every((s) => s.startsWith("'"))).toBe(true);
      expect(neutraliseText('Acme = best')).toBe('Acme = best');
      const res = await owner.agent.get('/api/v1/reports/top-late-customers.xlsx');
      const { rows } = await readSheet(res.rawPayload);
      expect(rows.flat()).toContain(`'=HYPERLINK("http://evil.example")`);
      expect(rows.flat()).not.toContain(`=HYPERLINK("http://evil.example")`);
    });

    it('every report exports', async () => {
      for (const name of ['aging', 'dso', 'dso-trend', 'forecast', 'payer-profiles', 'collectors', 'top-late-customers']) {
        const res = await owner.agent.get(`/api/v1/reports/${name}.xlsx`);
        expect(res.statusCode, name).toBe(200);
        expect((await readSheet(res.rawPayload)).rows.length, name).toBeGreaterThan(1);
      }
      const items = await owner.agent.get('/api/v1/reports/aging/items.xlsx?bucket=1-30');
      expect(items.statusCode).toBe(200);
      expect((await readSheet(items.rawPayload)).rows.some((r) => r[0] === 'Y')).toBe(true);
    });
  });

  it('bad query parameters → 400 naming each field', async () => {
    const cases: [string, string][] = [
      ['/api/v1/reports/aging?asOf=2025-02-30', 'query.asOf'],
      ['/api/v1/reports/aging?asOf=yesterday', 'query.asOf'],
      ['/api/v1/reports/aging?convertTo=XYZ', 'query.convertTo'],
      ['/api/v1/reports/aging?color=blue', 'query.color'],
      ['/api/v1/reports/dso?months=0', 'query.months'],
      ['/api/v1/reports/dso?months=25', 'query.months'],
      ['/api/v1/reports/dso?method=magic', 'query.method'],
      ['/api/v1/reports/dso?currency=euro', 'query.currency'],
      ['/api/v1/reports/dso-trend?months=x', 'query.months'],
      ['/api/v1/reports/top-late-customers?limit=1000', 'query.limit'],
      ['/api/v1/reports/aging/items?bucket=7-12', 'query.bucket'],
      ['/api/v1/reports/aging/items', 'query.bucket'],
      ['/api/v1/reports/aging/items?bucket=notDue&cursor=garbage', 'query.cursor'],
      ['/api/v1/reports/collectors?from=2026-02-01&to=2026-01-01', 'query.from'],
      ['/api/v1/reports/dso.xlsx?months=99', 'query.months'],
    ];
    for (const [url, path] of cases) {
      const res = await owner.agent.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields.map((x: any) => x.path), url).toContain(path);
    }
  });
});
