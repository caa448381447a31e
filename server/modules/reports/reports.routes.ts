import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { requestLanguage } from '../../http/error-handler';
import { AppError } from '../../http/errors';
import { translator } from '../../i18n/i18n';
import { getCollectors, getForecast, getPayerProfiles } from './reports.collections.service';
import {
  agingItemsQuery, agingItemsResponse, agingQuery, agingResponse, collectorsQuery, dashboardQuery, dashboardResponse, dsoQuery, dsoResponse, dsoTrendQuery, dsoTrendResponse,
  forecastQuery, payerProfilesQuery, topLateQuery, topLateResponse,
} from './reports.schemas';
import { getAging, getAgingItems, getDashboard, getDso, getDsoTrend, getFilterOptions, getTopLateCustomers } from './reports.service';
import { ReportAborted, ReportWork } from './reports.work';
import { agingItemsSheet, agingSheet, collectorsSheet, dsoSheet, dsoTrendSheet, forecastSheet, payerProfilesSheet, topLateSheet } from './reports.xlsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An export lists every invoice of a bucket, page after page, up to this many rows. */
const MAX_EXPORT_ROWS = 100_000;

type Report<Q extends z.ZodType, R> = {
  path: string;
  summary: string;
  query: Q;
  response?: z.ZodType;
  run: (deps: Deps, tenantId: string, q: z.infer<Q>) => Promise<R>;
  sheet: (t: TFunction, result: R) => ExcelJS.Workbook;
};
const report = <Q extends z.ZodType, R>(r: Report<Q, R>) => r;

declare module 'fastify' {
  interface FastifyInstance {
    /** The reports' cache, single flight and per-company bound (reports.work.ts); tests read its stats. */
    reportWork: ReportWork;
  }
}

/**
 * Aborted when the client goes away before its answer is sent: the response closes unfinished. (The request's own
 * 'close' fires once its body is read, so it says nothing about the client.)
 */
function clientGone(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  if (req.raw.socket?.destroyed) controller.abort();
  return controller.signal;
}

/**
 * Runs a report through the company's ReportWork; a refusal carries Retry-After, and a report nobody waits for any
 * more sends nothing (the connection is gone).
 */
async function served<T>(work: ReportWork, req: FastifyRequest, reply: FastifyReply, tenantId: string, key: string, compute: (deps: Deps) => Promise<T>): Promise<T | undefined> {
  try {
    return await work.run(tenantId, key, clientGone(req, reply), compute);
  } catch (err) {
    if (err instanceof ReportAborted) {
      req.log.info({ report: key.split('\u0000')[0] }, 'report abandoned: the client went away');
      reply.hijack();
      reply.raw.destroy();
      return undefined;
    }
    if (err instanceof AppError && err.code === 'REPORTS_BUSY') reply.header('retry-after', String(err.params.seconds));
    throw err;
  }
}

/**
 * A cached result's JSON, made once: under load on cached reports the response serializer (the zod schema's parse,
 * then JSON.stringify) was most of each request's CPU. The same object is the same answer, so its text is too.
 */
const jsonOf = new WeakMap<object, string>();
async function sentAsJson(reply: FastifyReply, schema: z.ZodType | undefined, result: unknown): Promise<never> {
  // `never`: the route's typed answer is this text, which the type provider cannot see.
  if (result === undefined || result === null || typeof result !== 'object') return result as never;
  let body = jsonOf.get(result);
  if (body === undefined) jsonOf.set(result, (body = JSON.stringify(schema ? schema.parse(result) : result)));
  return reply.type('application/json; charset=utf-8').send(body) as never;
}

/** The cache key of a report: its path and its validated query (defaults filled, so equal questions match). */
const keyOf = (path: string, query: unknown) => `${path}\u0000${JSON.stringify(query)}`;

async function allAgingItems(deps: Deps, tenantId: string, q: z.infer<typeof agingItemsQuery>) {
  const first = await getAgingItems(deps, tenantId, { ...q, limit: 500 });
  let next = first.nextCursor;
  while (next && first.items.length < MAX_EXPORT_ROWS) {
    const page = await getAgingItems(deps, tenantId, { ...q, limit: 500, cursor: next });
    first.items.push(...page.items);
    next = page.nextCursor;
  }
  return { ...first, nextCursor: null };
}

const REPORTS = [
  report({ path: 'aging', summary: 'Aging of open invoices by days past due at any date, per currency (CONTRACTS.md)', query: agingQuery, response: agingResponse, run: getAging, sheet: agingSheet }),
  report({ path: 'dso', summary: 'DSO, best possible DSO, average days delinquent and CEI, with how each was computed', query: dsoQuery, response: dsoResponse, run: getDso, sheet: dsoSheet }),
  report({ path: 'dso-trend', summary: 'DSO at each of the last month ends (`months` points, each over `periodMonths` months)', query: dsoTrendQuery, response: dsoTrendResponse, run: getDsoTrend, sheet: dsoTrendSheet }),
  report({ path: 'forecast', summary: '13-week cash-in forecast per currency', query: forecastQuery, run: (d, t, q) => getForecast(d, t, q), sheet: forecastSheet }),
  report({ path: 'payer-profiles', summary: 'How customers pay: average days late, share paid on time, trend vs the 6 months before', query: payerProfilesQuery, run: getPayerProfiles, sheet: payerProfilesSheet }),
  report({ path: 'collectors', summary: "Each collector's portfolio: open, overdue, collected in the period", query: collectorsQuery, run: getCollectors, sheet: collectorsSheet }),
  report({ path: 'aging/items', summary: 'The documents behind an aging bucket (or `unallocated`), paginated', query: agingItemsQuery, response: agingItemsResponse, run: getAgingItems, sheet: agingItemsSheet }),
  report({ path: 'top-late-customers', summary: 'Customers with the largest overdue amount in one currency', query: topLateQuery, response: topLateResponse, run: getTopLateCustomers, sheet: topLateSheet }),
];

async function sendWorkbook(reply: FastifyReply, name: string, wb: ExcelJS.Workbook) {
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(buffer);
}

export function registerReportRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  const config = { permission: 'reports:read' as const };
  const work = new ReportWork(deps);
  root.decorate('reportWork', work);
  for (const r of REPORTS as Report<z.ZodType, unknown>[]) {
    app.get(`/api/v1/reports/${r.path}`, { config, schema: { tags, summary: r.summary, querystring: r.query, ...(r.response ? { response: { 200: r.response } } : {}) } }, async (req, reply) => {
      const tenantId = tenantCtx(req).tenantId;
      return sentAsJson(reply, r.response, await served(work, req, reply, tenantId, keyOf(r.path, req.query), (d) => r.run(d, tenantId, req.query)));
    });
    app.get(`/api/v1/reports/${r.path}.xlsx`, { config, schema: { tags, summary: `${r.summary} — Excel workbook`, querystring: r.query } }, async (req, reply) => {
      const tenantId = tenantCtx(req).tenantId;
      // The workbook's data is the JSON report's (same key, same cache), except a bucket's export, which is every page.
      const result = r.path === 'aging/items'
        ? await served(work, req, reply, tenantId, keyOf('aging/items.xlsx', req.query), (d) => allAgingItems(d, tenantId, req.query as z.infer<typeof agingItemsQuery>))
        : await served(work, req, reply, tenantId, keyOf(r.path, req.query), (d) => r.run(d, tenantId, req.query));
      if (result === undefined) return reply;
      const fileName = `${r.path.replace('/', '-')}-${(result as { asOf?: string }).asOf ?? 'report'}`;
      return sendWorkbook(reply, fileName, r.sheet(translator(requestLanguage(req)), result));
    });
  }
  app.get('/api/v1/reports/dashboard', { config, schema: { tags, summary: 'Aging, DSO and top late customers in one request (the dashboard), each in the shape of its own report', querystring: dashboardQuery, response: { 200: dashboardResponse } } }, async (req, reply) => {
    const tenantId = tenantCtx(req).tenantId;
    return sentAsJson(reply, dashboardResponse, await served(work, req, reply, tenantId, keyOf('dashboard', req.query), (d) => getDashboard(d, tenantId, req.query)));
  });
  app.get('/api/v1/reports/filters', { config, schema: { tags, summary: 'Segments and collectors to filter the reports by, today and the base currency' } }, async (req, reply) => {
    const tenantId = tenantCtx(req).tenantId;
    return sentAsJson(reply, undefined, await served(work, req, reply, tenantId, keyOf('filters', {}), (d) => getFilterOptions(d, tenantId)));
  });
}
