import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember, createTestApp, describeEachEngine, signUpCompany, type TestApp } from '../../test/test-app';

describeEachEngine('exchange rates', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('a credit manager records dated rates as exact decimals; another company sees none of them', async () => {
    const a = await signUpCompany(t.app, 'Rates A');
    const cm = await addMember(t.app, t.deps, a.agent, 'credit_manager');
    const put = await cm.agent.request('PUT', '/api/v1/exchange-rates', { rateOn: '2026-11-02', baseCurrency: 'EUR', quoteCurrency: 'USD', rate: '1.0823' });
    expect(put.statusCode).toBe(200);
    await cm.agent.request('PUT', '/api/v1/exchange-rates', { rateOn: '2026-11-02', baseCurrency: 'EUR', quoteCurrency: 'USD', rate: '1.0830' });
    expect((await a.agent.get('/api/v1/exchange-rates')).json().items).toEqual([{ rateOn: '2026-11-02', baseCurrency: 'EUR', quoteCurrency: 'USD', rate: '1.0830' }]);
    const bad = await cm.agent.request('PUT', '/api/v1/exchange-rates', { rateOn: '2026-11-02', baseCurrency: 'EUR', quoteCurrency: 'XYZ', rate: '1,2' });
    expect(bad.json().error.fields.map((f: any) => f.path).sort()).toEqual(['quoteCurrency', 'rate']);
    const b = await signUpCompany(t.app, 'Rates B');
    expect((await b.agent.get('/api/v1/exchange-rates')).json().items).toEqual([]);
    expect((await b.agent.delete('/api/v1/exchange-rates?rateOn=2026-11-02&baseCurrency=EUR&quoteCurrency=USD')).statusCode).toBe(404);
    expect((await a.agent.delete('/api/v1/exchange-rates?rateOn=2026-11-02&baseCurrency=EUR&quoteCurrency=USD')).statusCode).toBe(204);
  });

  it('a rate dated on a day that does not exist (2026-02-31) or outside 1900–2199 is refused on rateOn', async () => {
    const a = await signUpCompany(t.app, 'Rates C');
    for (const rateOn of ['2026-02-31', '0000-00-00', '2200-01-01']) {
      const res = await a.agent.request('PUT', '/api/v1/exchange-rates', { rateOn, baseCurrency: 'EUR', quoteCurrency: 'USD', rate: '1.08' });
      expect(res.statusCode, rateOn).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['rateOn']);
    }
    expect((await a.agent.get('/api/v1/exchange-rates')).json().items).toEqual([]);
  });
});
