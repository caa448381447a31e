import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachEngine, multipart, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

const PDF = readFileSync(new URL('../../../../shared/corpus/einvoice/facturx-pdf/Facture_FR_BASICWL.pdf', import.meta.url));

describeEachEngine('invoice PDFs', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  const upload = (agent: Agent, id: string, file: { name: string; content: Buffer }) => {
    const body = multipart({}, file);
    return t.app.inject({ method: 'PUT', url: `/api/v1/documents/${id}/pdf`, payload: body.payload, headers: { ...body.headers, cookie: agent.cookie, 'x-csrf-token': agent.csrf } });
  };

  it('stores an uploaded PDF with its invoice, serves it back byte for byte, refuses what is not a PDF, and hides it from other companies', async () => {
    const a = await signUpCompany(t.app, 'Pdf Co');
    const c = (await a.agent.post('/api/v1/customers', { code: 'P1', name: 'P' })).json();
    const inv = (await a.agent.post('/api/v1/documents', { customerId: c.id, type: 'invoice', number: 'FX-1', issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 100 })).json();
    expect(inv.hasPdfFile).toBe(false);
    expect((await upload(a.agent, inv.id, { name: 'facture.pdf', content: PDF })).statusCode).toBe(200);
    expect((await a.agent.get(`/api/v1/documents/${inv.id}`)).json().hasPdfFile).toBe(true);
    const down = await t.app.inject({ url: `/api/v1/documents/${inv.id}/pdf`, headers: { cookie: a.agent.cookie } });
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(down.rawPayload, PDF)).toBe(0);

    const fake = await upload(a.agent, inv.id, { name: 'virus.pdf', content: Buffer.from('MZ this is not a pdf') });
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.fields[0]).toEqual({ path: 'file', message: 'This file is not a PDF.' });

    const b = await signUpCompany(t.app, 'Other');
    expect((await t.app.inject({ url: `/api/v1/documents/${inv.id}/pdf`, headers: { cookie: b.agent.cookie } })).statusCode).toBe(404);
    expect((await upload(b.agent, inv.id, { name: 'x.pdf', content: PDF })).statusCode).toBe(404);
    expect((await b.agent.delete(`/api/v1/documents/${inv.id}/pdf`)).statusCode).toBe(404);

    // The company export carries the PDF, and the re-imported company serves it.
    const zip = await t.app.inject({ url: '/api/v1/exports/company.zip', headers: { cookie: a.agent.cookie } });
    const body = multipart({ name: 'Pdf Co copy' }, { name: 'e.zip', content: zip.rawPayload });
    const copy = (await t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', payload: body.payload, headers: { ...body.headers, cookie: a.agent.cookie, 'x-csrf-token': a.agent.csrf } })).json();
    await a.agent.post('/api/v1/auth/switch-company', { tenantId: copy.id });
    const copied = (await a.agent.get('/api/v1/documents?q=FX-1')).json().items[0];
    const again = await t.app.inject({ url: `/api/v1/documents/${copied.id}/pdf`, headers: { cookie: a.agent.cookie } });
    expect(Buffer.compare(again.rawPayload, PDF)).toBe(0);
    expect((await a.agent.delete(`/api/v1/documents/${copied.id}/pdf`)).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/documents/${copied.id}/pdf`, headers: { cookie: a.agent.cookie } })).statusCode).toBe(404);
  });
});
