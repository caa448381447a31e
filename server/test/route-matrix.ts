import type { Deps } from '../deps';
import type { TestApp } from './test-app';
import { addMember, Agent, importFile, lastEmailedToken, multipart, signUpCompany, STRONG_PASSWORD, uniqueEmail } from './test-app';

/**
 * Every HTTP route of the API, with the real ids and a valid body it is called with by the route-table suites
 * (route-matrix.test.ts: other company, no credentials, roles; fuzz.test.ts). A route missing here fails the suite,
 * so a new route cannot ship without its refusals being checked.
 */

/** A text that appears in company A's data only: no response to company B may contain it. */
export const A_MARKER = 'Zorglub-7Q';

export type Fixture = Awaited<ReturnType<typeof buildFixture>>;
type Ids = Fixture['ids'];

export type RouteCase = {
  /** The concrete URL, with company A's ids. */
  url: (ids: Ids) => string;
  /** A body that would succeed for A's owner (JSON), or a multipart form. */
  body?: (ids: Ids) => unknown;
  multipart?: (ids: Ids) => { payload: Buffer; headers: Record<string, string> };
  /**
   * What company B gets calling it with A's ids: 'id' → 404 (the path or a body field names one of A's rows);
   * 'own' → the route only ever acts on the caller's own data (asserted: A unchanged, no A data in the answer).
   */
  cross: 'id' | 'own';
};

const csv = () => ({ name: 'ledger.csv', content: `customerCode;customerName;documentType;number;issuedOn;dueOn;currency;amount\nM1;${A_MARKER} imported;invoice;M-1;2026-01-05;2026-02-04;EUR;100.00\n` });
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export const ROUTE_MATRIX: Record<string, RouteCase> = {
  'POST /api/v1/auth/signup': { url: () => '/api/v1/auth/signup', body: () => ({ companyName: 'New Co', email: uniqueEmail('signup'), password: STRONG_PASSWORD }), cross: 'own' },
  'POST /api/v1/auth/verify-email': { url: () => '/api/v1/auth/verify-email', body: () => ({ token: 'not-a-token' }), cross: 'own' },
  'POST /api/v1/auth/login': { url: () => '/api/v1/auth/login', body: (i) => ({ email: i.ownerEmail, password: 'wrong password 2026!' }), cross: 'own' },
  'POST /api/v1/auth/logout': { url: () => '/api/v1/auth/logout', body: () => ({}), cross: 'own' },
  'GET /api/v1/auth/session': { url: () => '/api/v1/auth/session', cross: 'own' },
  'POST /api/v1/auth/switch-company': { url: () => '/api/v1/auth/switch-company', body: (i) => ({ tenantId: i.tenantId }), cross: 'id' },
  'POST /api/v1/auth/password-reset/request': { url: () => '/api/v1/auth/password-reset/request', body: () => ({ email: uniqueEmail('nobody') }), cross: 'own' },
  'POST /api/v1/auth/password-reset/confirm': { url: () => '/api/v1/auth/password-reset/confirm', body: () => ({ token: 'not-a-token', password: STRONG_PASSWORD }), cross: 'own' },
  'GET /api/v1/auth/invitations/:token': { url: () => '/api/v1/auth/invitations/not-a-token', cross: 'own' },
  'POST /api/v1/auth/invitations/accept': { url: () => '/api/v1/auth/invitations/accept', body: () => ({ token: 'not-a-token', password: STRONG_PASSWORD }), cross: 'own' },
  'PATCH /api/v1/me': { url: () => '/api/v1/me', body: () => ({ firstName: 'Me' }), cross: 'own' },
  'POST /api/v1/me/password': { url: () => '/api/v1/me/password', body: () => ({ currentPassword: 'not my password 2026', newPassword: 'Another long phrase 2027?' }), cross: 'own' },
  'GET /api/v1/me/sessions': { url: () => '/api/v1/me/sessions', cross: 'own' },
  'DELETE /api/v1/me/sessions/:id': { url: (i) => `/api/v1/me/sessions/${i.sessionId}`, cross: 'id' },
  'GET /api/v1/me/login-history': { url: () => '/api/v1/me/login-history', cross: 'own' },
  'GET /api/v1/company': { url: () => '/api/v1/company', cross: 'own' },
  'PATCH /api/v1/company': { url: () => '/api/v1/company', body: () => ({ city: 'Lyon' }), cross: 'own' },
  'GET /api/v1/users': { url: () => '/api/v1/users', cross: 'own' },
  'PATCH /api/v1/users/:id': { url: (i) => `/api/v1/users/${i.memberId}`, body: () => ({ role: 'viewer' }), cross: 'id' },
  'GET /api/v1/users/invitations': { url: () => '/api/v1/users/invitations', cross: 'own' },
  'POST /api/v1/users/invitations': { url: () => '/api/v1/users/invitations', body: () => ({ email: uniqueEmail('invitee'), role: 'viewer' }), cross: 'own' },
  'POST /api/v1/users/invitations/:id/resend': { url: (i) => `/api/v1/users/invitations/${i.invitationId}/resend`, body: () => ({}), cross: 'id' },
  'DELETE /api/v1/users/invitations/:id': { url: (i) => `/api/v1/users/invitations/${i.invitationId}`, cross: 'id' },
  'GET /api/v1/api-keys': { url: () => '/api/v1/api-keys', cross: 'own' },
  'POST /api/v1/api-keys': { url: () => '/api/v1/api-keys', body: () => ({ name: 'key', role: 'viewer' }), cross: 'own' },
  'DELETE /api/v1/api-keys/:id': { url: (i) => `/api/v1/api-keys/${i.apiKeyId}`, cross: 'id' },
  'GET /api/v1/audit-log': { url: (i) => `/api/v1/audit-log?entityId=${i.customerId}`, cross: 'own' },
  'GET /api/v1/outbox': { url: () => '/api/v1/outbox', cross: 'own' },
  'GET /api/v1/customers': { url: () => `/api/v1/customers?q=${A_MARKER}`, cross: 'own' },
  'POST /api/v1/customers': { url: () => '/api/v1/customers', body: () => ({ code: `N${Math.random().toString(36).slice(2, 8)}`, name: 'New customer' }), cross: 'own' },
  'GET /api/v1/customers/:id': { url: (i) => `/api/v1/customers/${i.customerId}`, cross: 'id' },
  'GET /api/v1/customers/:id/aging': { url: (i) => `/api/v1/customers/${i.customerId}/aging`, cross: 'id' },
  'PATCH /api/v1/customers/:id': { url: (i) => `/api/v1/customers/${i.customerId}`, body: () => ({ name: 'Renamed' }), cross: 'id' },
  'DELETE /api/v1/customers/:id': { url: (i) => `/api/v1/customers/${i.spareCustomerId}`, cross: 'id' },
  'GET /api/v1/customers/:id/contacts': { url: (i) => `/api/v1/customers/${i.customerId}/contacts`, cross: 'id' },
  'POST /api/v1/customers/:id/contacts': { url: (i) => `/api/v1/customers/${i.customerId}/contacts`, body: () => ({ firstName: 'Eve' }), cross: 'id' },
  'PATCH /api/v1/customers/:id/contacts/:contactId': { url: (i) => `/api/v1/customers/${i.customerId}/contacts/${i.contactId}`, body: () => ({ firstName: 'Eve' }), cross: 'id' },
  'DELETE /api/v1/customers/:id/contacts/:contactId': { url: (i) => `/api/v1/customers/${i.customerId}/contacts/${i.contactId}`, cross: 'id' },
  'GET /api/v1/documents': { url: (i) => `/api/v1/documents?customerId=${i.customerId}`, cross: 'own' },
  'POST /api/v1/documents': { url: () => '/api/v1/documents', body: (i) => ({ customerId: i.customerId, type: 'invoice', number: `X-${Math.random().toString(36).slice(2, 8)}`, issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 100 }), cross: 'id' },
  'GET /api/v1/documents/:id': { url: (i) => `/api/v1/documents/${i.invoiceId}`, cross: 'id' },
  'PATCH /api/v1/documents/:id': { url: (i) => `/api/v1/documents/${i.invoiceId}`, body: () => ({ dueOn: '2026-03-01' }), cross: 'id' },
  'DELETE /api/v1/documents/:id': { url: (i) => `/api/v1/documents/${i.spareDocumentId}`, cross: 'id' },
  'POST /api/v1/allocations': { url: () => '/api/v1/allocations', body: (i) => ({ fromDocumentId: i.creditId, toDocumentId: i.invoiceId, amountMinor: 1 }), cross: 'id' },
  'POST /api/v1/allocations/:id/reverse': { url: (i) => `/api/v1/allocations/${i.allocationId}/reverse`, body: () => ({}), cross: 'id' },
  'POST /api/v1/customers/:id/auto-allocate': { url: (i) => `/api/v1/customers/${i.customerId}/auto-allocate`, body: () => ({}), cross: 'id' },
  'POST /api/v1/imports': { url: () => '/api/v1/imports', multipart: () => multipart({ options: JSON.stringify({ dryRun: true }) }, csv()), cross: 'own' },
  'GET /api/v1/imports': { url: () => '/api/v1/imports', cross: 'own' },
  'GET /api/v1/imports/:id': { url: (i) => `/api/v1/imports/${i.importId}`, cross: 'id' },
  'POST /api/v1/imports/:id/run': { url: (i) => `/api/v1/imports/${i.importId}/run`, body: () => ({ dryRun: true }), cross: 'id' },
  'GET /api/v1/imports/mappings/:source': { url: () => '/api/v1/imports/mappings/erp', cross: 'own' },
  'GET /api/v1/exports/customers.:format': { url: () => '/api/v1/exports/customers.csv', cross: 'own' },
  'GET /api/v1/exports/documents.:format': { url: () => '/api/v1/exports/documents.csv', cross: 'own' },
  'GET /api/v1/exports/company.:kind': { url: () => '/api/v1/exports/company.xlsx', cross: 'own' },
  'POST /api/v1/exports/company-import': { url: () => '/api/v1/exports/company-import', multipart: () => multipart({ name: 'Restored' }, { name: 'company.zip', content: Buffer.from('PK\u0003\u0004 not really a zip') }), cross: 'own' },
  'PUT /api/v1/documents/:id/pdf': { url: (i) => `/api/v1/documents/${i.invoiceId}/pdf`, multipart: () => multipart({}, { name: 'x.pdf', content: pdf, type: 'application/pdf' }), cross: 'id' },
  'GET /api/v1/documents/:id/pdf': { url: (i) => `/api/v1/documents/${i.invoiceId}/pdf`, cross: 'id' },
  'DELETE /api/v1/documents/:id/pdf': { url: (i) => `/api/v1/documents/${i.invoiceId}/pdf`, cross: 'id' },
  'GET /api/v1/exchange-rates': { url: () => '/api/v1/exchange-rates', cross: 'own' },
  'PUT /api/v1/exchange-rates': { url: () => '/api/v1/exchange-rates', body: () => ({ rateOn: '2026-01-02', baseCurrency: 'USD', quoteCurrency: 'EUR', rate: '0.9' }), cross: 'own' },
  'DELETE /api/v1/exchange-rates': { url: () => '/api/v1/exchange-rates?rateOn=2026-01-01&baseCurrency=USD&quoteCurrency=EUR', cross: 'own' },
};

/** Report routes share one shape: a GET with filters, and its Excel twin. */
for (const name of ['aging', 'dso', 'dso-trend', 'forecast', 'payer-profiles', 'collectors', 'aging/items', 'top-late-customers']) {
  for (const ext of ['', '.xlsx']) ROUTE_MATRIX[`GET /api/v1/reports/${name}${ext}`] = { url: (i) => `/api/v1/reports/${name}${ext}?customerId=${i.customerId}`, cross: 'own' };
}
ROUTE_MATRIX['GET /api/v1/reports/dashboard'] = { url: () => '/api/v1/reports/dashboard', cross: 'own' };
ROUTE_MATRIX['GET /api/v1/reports/filters'] = { url: () => '/api/v1/reports/filters', cross: 'own' };

/** Company A with one of every kind of row the routes act on, and its members of every role. */
export async function buildFixture(t: TestApp) {
  const a = await signUpCompany(t.app, `${A_MARKER} Company`);
  const post = async (url: string, body: unknown) => {
    const res = await a.agent.post(url, body);
    if (res.statusCode >= 300) throw new Error(`fixture ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const customer = await post('/api/v1/customers', { code: 'A1', name: `${A_MARKER} customer` });
  const spare = await post('/api/v1/customers', { code: 'A2', name: `${A_MARKER} spare` });
  const contact = await post(`/api/v1/customers/${customer.id}/contacts`, { firstName: A_MARKER, email: 'ann@a.test' });
  const invoice = await post('/api/v1/documents', { customerId: customer.id, type: 'invoice', number: `${A_MARKER}-1`, issuedOn: '2026-01-01', dueOn: '2026-01-31', currency: 'EUR', amountMinor: 100_000 });
  const spareDoc = await post('/api/v1/documents', { customerId: customer.id, type: 'invoice', number: `${A_MARKER}-2`, issuedOn: '2026-01-01', currency: 'EUR', amountMinor: 5_000 });
  await post('/api/v1/documents', { customerId: customer.id, type: 'payment', issuedOn: '2026-01-10', currency: 'EUR', amountMinor: 30_000, appliesToDocumentId: invoice.id });
  const credit = await post('/api/v1/documents', { customerId: customer.id, type: 'credit_note', number: `${A_MARKER}-CN`, issuedOn: '2026-01-11', currency: 'EUR', amountMinor: 2_000 });
  const allocation = (await a.agent.get(`/api/v1/documents/${invoice.id}`)).json().allocations[0];
  const pdfRes = await t.app.inject({ method: 'PUT', url: `/api/v1/documents/${invoice.id}/pdf`, ...withAgent(a.agent, multipart({}, { name: 'i.pdf', content: pdf, type: 'application/pdf' })) });
  if (pdfRes.statusCode >= 300) throw new Error(`fixture pdf: ${pdfRes.body}`);
  const job = await importFile(t, a.agent, csv(), { dryRun: true });
  const apiKey = await post('/api/v1/api-keys', { name: `${A_MARKER} key`, role: 'viewer' });
  const invitation = await post('/api/v1/users/invitations', { email: uniqueEmail('pending'), role: 'viewer' });
  await a.agent.request('PUT', '/api/v1/exchange-rates', { rateOn: '2026-01-01', baseCurrency: 'USD', quoteCurrency: 'EUR', rate: '0.9' });
  const members = {} as Record<string, Awaited<ReturnType<typeof addMember>>>;
  for (const role of ['admin', 'credit_manager', 'collector', 'dispute_resolver', 'sales', 'viewer']) members[role] = await addMember(t.app, t.deps, a.agent, role);
  const sessionId = (await a.agent.get('/api/v1/me/sessions')).json().items[0].id as string;
  return {
    a,
    members,
    ids: {
      tenantId: a.tenantId, ownerEmail: a.email, customerId: customer.id as string, spareCustomerId: spare.id as string,
      contactId: contact.id as string, invoiceId: invoice.id as string, spareDocumentId: spareDoc.id as string,
      creditId: credit.id as string, allocationId: allocation.id as string, importId: job.id as string,
      apiKeyId: apiKey.id as string, invitationId: invitation.id as string, memberId: members.viewer.userId, sessionId,
    },
  };
}

export function withAgent(agent: Agent, body: { payload: Buffer; headers: Record<string, string> }) {
  return { payload: body.payload, headers: { ...body.headers, ...(agent.cookie ? { cookie: agent.cookie, 'x-csrf-token': agent.csrf } : {}) } };
}

/** Calls one matrix route as `agent` (or anonymously), with A's ids. */
export async function callRoute(t: TestApp, key: string, ids: Ids, agent?: Agent) {
  const [method] = key.split(' ');
  const c = ROUTE_MATRIX[key];
  const url = c.url(ids);
  if (c.multipart) return t.app.inject({ method: method as 'POST', url, ...withAgent(agent ?? new Agent(t.app), c.multipart(ids)) });
  const caller = agent ?? new Agent(t.app);
  return caller.request(method as 'GET', url, c.body ? c.body(ids) : method === 'GET' || method === 'DELETE' ? undefined : {});
}

/** Every row company A owns, in every table with a tenant_id (bookkeeping columns of sessions and keys left out). */
export async function snapshotTenant(deps: Deps, tenantId: string) {
  const tables = (await deps.db.introspection.getTables()).filter((tb) => tb.columns.some((c) => c.name === 'tenant_id') && !/^(sessions|login_attempts|audit_log|kysely_)/.test(tb.name));
  const out: Record<string, unknown[]> = {};
  for (const tb of tables) {
    const rows = await deps.db.selectFrom(tb.name as 'customers').selectAll().where('tenant_id', '=', tenantId).execute();
    out[tb.name] = rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/^last_(used|seen)/.test(k))))
      .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : v)))
      .sort();
  }
  return out;
}

export { lastEmailedToken };
