import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Deps } from './deps';
import { registerAuth } from './http/auth';
import { registerErrorHandler, sendError } from './http/error-handler';
import { registerInputGuards } from './http/input-guard';
import { AppError } from './http/errors';
import { registerApiKeyRoutes } from './modules/api-keys/api-keys.routes';
import { registerAuditLogRoutes } from './modules/audit-log/audit-log.routes';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { registerCompanyRoutes } from './modules/companies/companies.routes';
import { registerReportRoutes } from './modules/reports/reports.routes';
import { registerUserRoutes } from './modules/users/users.routes';
import { registerContactRoutes } from './modules/contacts/contacts';
import { registerCustomerRoutes } from './modules/customers/customers.routes';
import { registerDocumentRoutes } from './modules/documents/documents.routes';
import { registerDocumentFileRoutes } from './modules/documents/document-files.routes';
import { registerImportRoutes } from './modules/imports/imports.routes';
import { registerExportRoutes } from './modules/exports/exports.routes';
import { registerExchangeRateRoutes } from './modules/exchange-rates/exchange-rates.routes';
import { startImportWorker } from './jobs/import-worker';
import multipart from '@fastify/multipart';

export const WEB_DIST = resolve(import.meta.dirname, '../dist/web');

export type RouteInfo = { method: string; url: string; auth: string; permission?: string; body?: unknown; querystring?: unknown };
declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: RouteInfo[];
    importWorker: import('./jobs/import-worker').ImportWorker;
  }
}

export type BuildOptions = { logger?: FastifyServerOptions['logger']; serveWeb?: boolean; pollJobs?: boolean };

/** Secrets never reach the logs: cookies, API keys and passwords are redacted wherever they appear. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
];

/**
 * One log line per request (docs/operations.md: request id, method, URL, status and time) instead of Fastify's two
 * ("incoming request", then "request completed"): each line costs ~5 % of a 50-row list request's CPU time (measured
 * under autocannon with the logs going to /dev/null). Errors are still logged at `error` level.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
    logController: new OneLinePerRequest(),
    trustProxy: deps.config.trustProxy,
    ...(deps.config.tls ? { https: deps.config.tls } : {}),
  } as FastifyServerOptions);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputGuards(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine injects its CSS variables in <style> tags.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: !!deps.config.tls,
    // frame-ancestors 'none' in the CSP says it; an X-Frame-Options beside it could only contradict it.
    xFrameOptions: false,
  });
  // API answers are per user and often secret (sessions, CSRF tokens, ledgers): no cache may keep them, errors included.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', { seconds: Math.ceil(ctx.ttl / 1000) }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'DSO Manager API', version: '1', description: 'REST API of DSO Manager. Authenticate with `Authorization: Bearer <API key>` (no cookie, no CSRF), or with the browser session cookie plus the `x-csrf-token` header on writes.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key secret' },
          session: { type: 'apiKey', in: 'cookie', name: 'dso_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // Every route with its auth level and permission: the security tests walk this list, so a new route is covered.
  const routeCatalogue: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/v1/')) return;
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeCatalogue.push({ method, url: r.url, auth: r.config?.auth ?? 'tenant', permission: r.config?.permission, body: r.schema?.body, querystring: r.schema?.querystring });
    }
  });
  app.decorate('routeCatalogue', routeCatalogue);
  registerAuth(app, deps);

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'The database answers' } }, async (req, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ready' };
    } catch (err) {
      req.log.warn({ err }, 'database not ready');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  registerAuthRoutes(app, deps);
  registerCompanyRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerAuditLogRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerDocumentRoutes(app, deps);
  await app.register(multipart);
  // Imports accepted by this process run here; with the scheduler on, it also picks up other processes' jobs.
  const importWorker = startImportWorker(deps, { poll: opts.pollJobs ?? deps.config.scheduler });
  app.decorate('importWorker', importWorker);
  app.addHook('onClose', async () => importWorker.stop());
  registerImportRoutes(app, deps, importWorker);
  registerExportRoutes(app, deps);
  registerDocumentFileRoutes(app, deps);
  registerExchangeRateRoutes(app, deps);

  const serveWeb = opts.serveWeb !== false && existsSync(join(WEB_DIST, 'index.html'));
  // index.html names the hashed assets of this build: it is revalidated every time, so a deploy reaches every browser.
  if (serveWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false, maxAge: '1h', setHeaders: (res, path) => { if (path.endsWith('.html')) res.header('cache-control', 'no-cache'); } });
  app.setNotFoundHandler((req, reply) => {
    // The SPA owns every non-API GET path: the browser router shows its own "not found".
    const path = req.url.split('?')[0];
    if (serveWeb && req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(req, reply, 'ROUTE_NOT_FOUND', 404);
  });
  return app;
}
