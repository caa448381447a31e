import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { describe } from 'vitest';
import { buildApp } from '../app';
import { loadConfig, type Config } from '../config';
import { openDatabase, type Engine } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { Clock, Deps } from '../deps';
import { createMailer } from '../mail/mailer';

export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** Runs a suite once per engine; the engine is in the test names ("[sqlite]" / "[postgres]"). */
export function describeEachEngine(name: string, fn: (engine: Engine) => void) {
  for (const engine of ENGINES) describe(`${name} [${engine}]`, () => fn(engine));
}

export type TestApp = { app: FastifyInstance; deps: Deps; close: () => Promise<void> };

/** The deps of each test app, so that helpers given only the app can read the emails it sent. */
const depsOfApp = new WeakMap<FastifyInstance, Deps>();

const SCHEMA_LOCK = 20261126;

/** Runs `fn` holding the test schemas' advisory lock (PostgreSQL only), in its own session. */
async function withSchemaLock<T>(engine: Engine, mode: 'shared', fn: () => Promise<T>): Promise<T> {
  if (engine !== 'postgres') return fn();
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`select pg_advisory_lock_${mode}($1)`, [SCHEMA_LOCK]);
    return await fn();
  } finally {
    await c.end();
  }
}

/**
 * A real app on a real, empty database of its own: a SQLite file in a temporary directory, or a fresh PostgreSQL
 * schema in TEST_DATABASE_URL (dropped at the end), migrated exactly as production is.
 */
export async function createTestApp(engine: Engine, opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dso-test-'));
  const config: Config = loadConfig({ DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString('hex'), LOGIN_SLOWDOWN_MS: '0', ...opts.env });
  let schema: string | undefined;
  if (engine === 'postgres') {
    schema = `t_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const handle = openDatabase({ dataDir, databaseUrl: engine === 'postgres' ? process.env.TEST_DATABASE_URL : undefined, pgSchema: schema, poolMax: 4 });
  // Kysely's migrator lists the tables of every schema; a schema dropped meanwhile by another test file made that
  // listing fail ("schema … does not exist"). Migrations hold a shared lock, drops an exclusive one.
  await withSchemaLock(engine, 'shared', () => migrateToLatest(handle.db, schema));
  const mailer = createMailer(handle.db, config.smtpUrl);
  const deps: Deps = { config, db: handle.db, engine: handle.engine, clock: opts.clock ?? { now: () => new Date() }, mailer };
  const app = await buildApp(deps, { serveWeb: false, pollJobs: false });
  depsOfApp.set(app, deps);
  return {
    app,
    deps,
    close: async () => {
      await app.close();
      mailer.close();
      await handle.close();
      if (schema) {
        const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await c.connect();
        try {
          await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
          await c.query(`drop schema ${schema} cascade`);
        } finally {
          await c.end(); // ends the session, and its lock
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes, as the web app does. */
export class Agent {
  cookie = '';
  csrf = '';
  constructor(readonly app: FastifyInstance, readonly headers: Record<string, string> = {}) {}

  async request(method: Method, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...this.headers, ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await this.app.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      const [name, value] = pair.split('=');
      if (name === 'dso_session') this.cookie = value ? `dso_session=${value}` : '';
    }
    const json = safeJson(res.body);
    if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    return res;
  }
  get = (url: string, h?: Record<string, string>) => this.request('GET', url, undefined, h);
  post = (url: string, body?: unknown, h?: Record<string, string>) => this.request('POST', url, body ?? {}, h);
  patch = (url: string, body?: unknown, h?: Record<string, string>) => this.request('PATCH', url, body ?? {}, h);
  delete = (url: string, h?: Record<string, string>) => this.request('DELETE', url, undefined, h);
}

/** An API-key client: Bearer header, no cookie, no CSRF. */
export function apiKeyClient(app: FastifyInstance, secret: string) {
  const call = (method: Method, url: string, body?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(body !== undefined ? { payload: body as object } : {}) });
  return { get: (u: string) => call('GET', u), post: (u: string, b?: unknown) => call('POST', u, b ?? {}), patch: (u: string, b?: unknown) => call('PATCH', u, b ?? {}), delete: (u: string) => call('DELETE', u) };
}

export function safeJson(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export const STRONG_PASSWORD = 'Plenty of length 2026!';
let counter = 0;
export function uniqueEmail(prefix = 'user') {
  return `${prefix}.${Date.now().toString(36)}.${++counter}@example.test`;
}

/** Signs up a new company with its owner; returns the logged-in agent and the company id. */
export async function signUpCompany(app: FastifyInstance, name = 'Company A', headers: Record<string, string> = {}) {
  const agent = new Agent(app, headers);
  const email = uniqueEmail('owner');
  const asked = await agent.post('/api/v1/auth/signup', { companyName: name, email, password: STRONG_PASSWORD });
  if (asked.statusCode !== 202) throw new Error(`signup failed: ${asked.statusCode} ${asked.body}`);
  // The company and its owner exist once the emailed verification link comes back.
  const deps = depsOfApp.get(app);
  if (!deps) throw new Error('signUpCompany needs an app made by createTestApp');
  const res = await agent.post('/api/v1/auth/verify-email', { token: await lastEmailedToken(deps, email) });
  if (res.statusCode !== 201) throw new Error(`signup verification failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { agent, email, tenantId: body.company.id as string, userId: body.user.id as string };
}

/** Invites a user with a role and accepts through the emailed link (read from the outbox); returns their agent. */
export async function addMember(app: FastifyInstance, deps: Deps, owner: Agent, role: string) {
  const email = uniqueEmail(role);
  const inv = await owner.post('/api/v1/users/invitations', { email, role });
  if (inv.statusCode !== 201) throw new Error(`invite failed: ${inv.statusCode} ${inv.body}`);
  const token = await lastEmailedToken(deps, email);
  const agent = new Agent(app);
  const res = await agent.post('/api/v1/auth/invitations/accept', { token, password: STRONG_PASSWORD });
  if (res.statusCode !== 200) throw new Error(`accept failed: ${res.statusCode} ${res.body}`);
  return { agent, email, userId: res.json().user.id as string };
}

export async function lastEmailedToken(deps: Deps, to: string): Promise<string> {
  const mail = await deps.db.selectFrom('outbox').select(['body_text']).where('to_address', '=', to).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const m = /token=([A-Za-z0-9_%-]+)/.exec(mail.body_text);
  if (!m) throw new Error('no token in email');
  return decodeURIComponent(m[1]);
}

/** A multipart/form-data body as a browser sends it: `options` first, then the file. */
export function multipart(fields: Record<string, string>, file: { name: string; content: Buffer | string; type?: string }) {
  const boundary = `----dso${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
  chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a file for import as the agent and waits for the background job to finish; returns the job. */
export async function importFile(t: TestApp, agent: Agent, file: { name: string; content: Buffer | string }, options: object = {}) {
  const body = multipart({ options: JSON.stringify(options) }, file);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body.payload, headers: { ...body.headers, cookie: agent.cookie, 'x-csrf-token': agent.csrf } });
  if (res.statusCode !== 202) throw new Error(`import upload failed: ${res.statusCode} ${res.body}`);
  await t.app.importWorker.idle();
  return (await agent.get(`/api/v1/imports/${res.json().id}`)).json();
}
