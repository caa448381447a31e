import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFixture, ROUTE_MATRIX, withAgent, type Fixture } from '../test/route-matrix';
import { createTestApp, describeEachEngine, multipart, type TestApp } from '../test/test-app';

/**
 * fast-check fuzzing of every API body and query, and of the importers (issue 10): hostile strings (NUL bytes,
 * lone surrogates, very long text), dates at and beyond the calendar's edges, numbers at and beyond the safe range,
 * wrong types and unknown keys. Never a 5xx, and the process answers /healthz throughout. FUZZ_RUNS scales it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

const hostileString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '', ' ', 'x'.repeat(20_000), '<script>alert(1)</script>', "'; drop table customers; --", '%00', '../../etc/passwd', '\u202e', 'null', '__proto__'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const edgeDate = fc.constantFrom('0001-01-01', '0000-00-00', '1899-12-31', '1900-01-01', '2026-02-29', '2026-02-31', '2024-02-29', '2199-12-31', '2200-01-01', '9999-12-31', '+275760-09-13', '2026-1-1', '20260101');
const edgeNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 2 ** 60, -(2 ** 63), 1e308, -1e308, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const scalar = fc.oneof(hostileString, edgeDate, edgeNumber, fc.boolean(), fc.constant(null), fc.constantFrom('EUR', 'XXX', 'eur', 'JPY', 'owner', 'invoice', 'payment'));
const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.dictionary(hostileString, scalar, { maxKeys: 3 }) });

/** The keys a zod object schema declares (zod 4: `.shape`), or none. */
function schemaKeys(schema: unknown): string[] {
  const s = schema as { shape?: Record<string, unknown>; def?: { in?: unknown; innerType?: unknown } } | undefined;
  if (!s) return [];
  if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape);
  if (s.def?.in) return schemaKeys(s.def.in);
  if (s.def?.innerType) return schemaKeys(s.def.innerType);
  return [];
}

function collectSchemas(app: FastifyInstance) {
  return app.routeCatalogue.map((r) => ({ key: `${r.method} ${r.url}`, method: r.method, ...(routeSchemas.get(`${r.method} ${r.url}`) ?? {}) }));
}
const routeSchemas = new Map<string, { body: string[]; query: string[] }>();

describeEachEngine('fuzzing every body, query and importer', (engine) => {
  let t: TestApp;
  let fx: Fixture;
  let cases = 0;
  beforeAll(async () => {
    t = await createTestApp(engine);
    // The routes' zod schemas, read from the same registration Fastify validates with.
    for (const r of t.app.routeCatalogue) {
      routeSchemas.set(`${r.method} ${r.url}`, { body: schemaKeys(r.body), query: schemaKeys(r.querystring) });
    }
    fx = await buildFixture(t);
    if (process.env.FUZZ_DEBUG) console.log([...routeSchemas].map(([k, v]) => `${k} body=${v.body.join(',')} query=${v.query.join(',')}`).join('\n'));
  }, 120_000);
  afterAll(async () => {
    console.log(`[${engine}] fuzz: ${cases} requests, none answered 5xx`);
    await t.close();
  });

  const alive = async () => expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  const owner = () => fx.a.agent;

  it('every JSON body and query string: hostile values under known and unknown keys never get a 5xx', async () => {
    const problems: string[] = [];
    for (const r of collectSchemas(t.app)) {
      const c = ROUTE_MATRIX[r.key];
      if (!c || c.multipart || /logout|switch-company|sessions\/:id|api-keys\/:id|users\/:id$|me\/password/.test(r.key)) continue;
      const keys = [...(r.body ?? []), 'unknownKey'];
      const qkeys = [...(r.query ?? []), 'zz'];
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }), fc.dictionary(fc.constantFrom(...qkeys), fc.oneof(hostileString, edgeDate, edgeNumber.map(String)), { maxKeys: 3 }), async (body, query) => {
          const base = c.url(fx.ids).split('?')[0];
          const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
          const url = qs ? `${base}?${qs}` : base;
          const send = r.method === 'GET' || r.method === 'DELETE' ? undefined : { ...(c.body ? (c.body(fx.ids) as object) : {}), ...body };
          const res = await owner().request(r.method as 'GET', url, send);
          cases += 1;
          if (res.statusCode >= 500) problems.push(`${r.key} ${url} ${JSON.stringify(send)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }),
        { numRuns: RUNS, seed: 20261207 },
      );
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
    await alive();
  }, 600_000);

  it('mutated CSV and XLSX files and company archives are refused or imported, never a 5xx, never a stuck job', async () => {
    const csv = Buffer.from('customerCode;customerName;documentType;number;issuedOn;dueOn;currency;amount\nF1;Fuzz;invoice;F-1;2026-01-05;2026-02-04;EUR;100.00\nF1;Fuzz;invoice;F-2;05/01/2026;04/02/2026;EUR;1 234,56\n');
    const archive = Buffer.from(zipSync({ 'manifest.json': strToU8(JSON.stringify({ format: 'dso-manager-company', version: 1 })), 'company.json': strToU8(JSON.stringify({ name: 'X', baseCurrency: 'EUR', timeZone: 'Europe/Paris' })) }));
    const mutate = (base: Buffer) =>
      fc.array(fc.record({ at: fc.nat({ max: base.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }).map((edits) => {
        const copy = Buffer.from(base);
        for (const e of edits) copy[e.at] = e.byte;
        return copy;
      });
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(mutate(csv), fc.constantFrom('a.csv', 'a.xlsx'), async (file, name) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', ...withAgent(owner(), multipart({ options: JSON.stringify({ dryRun: true }) }, { name, content: file })) });
        cases += 1;
        if (res.statusCode >= 500) problems.push(`import ${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode === 202) {
          await t.app.importWorker.idle();
          const job = (await owner().get(`/api/v1/imports/${res.json().id}`)).json();
          if (!['succeeded', 'failed'].includes(job.status)) problems.push(`import ${name} left ${job.status}`);
        }
      }),
      { numRuns: RUNS * 2, seed: 7 },
    );
    await fc.assert(
      fc.asyncProperty(mutate(archive), async (file) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/exports/company-import', ...withAgent(owner(), multipart({ name: 'Fuzzed' }, { name: 'c.zip', content: file })) });
        cases += 1;
        if (res.statusCode >= 500) problems.push(`company-import: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }),
      { numRuns: RUNS * 2, seed: 11 },
    );
    expect(problems).toEqual([]);
    await alive();
  }, 600_000);
});
