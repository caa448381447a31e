import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/test-app';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/**
 * The real `npm start` process (issue 10): the requests that used to end it for every company are answered, and the
 * process still serves /healthz afterwards. And the net under everything: a rejection nobody handles is logged, not
 * an exit.
 */
it('an unhandled rejection and an uncaught exception are logged as bugs and the process keeps running', () => {
  const script = `
    import { installProcessGuards } from './server/http/process-guards.ts';
    const lines = [];
    installProcessGuards({ fatal: (o, m) => lines.push(m) });
    Promise.reject(new Error('nobody listens'));
    setTimeout(() => { throw new Error('thrown from a timer'); }, 5);
    setTimeout(() => { console.log(JSON.stringify({ alive: true, lines })); }, 50);`;
  const r = spawnSync(TSX, ['--eval', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  expect(out.alive).toBe(true);
  expect(out.lines).toHaveLength(2);
}, 60_000);

describeEachEngine('the server process survives the requests that used to end it', (engine) => {
  let server: ChildProcess;
  let dataDir: string;
  let base: string;
  let cookie = '';
  let csrf = '';
  // A database of its own: the real process migrates it exactly as production does (default schema).
  const database = `dso_proc_${randomBytes(6).toString('hex')}`;
  const pgAdmin = async (statement: string) => {
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const env = () => ({
    ...process.env,
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    DEMO_SEED: 'false',
    LOG_LEVEL: 'silent',
    SCHEDULER: 'false',
    LOGIN_SLOWDOWN_MS: '0',
    ...(engine === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL!.replace(/\/[^/]*$/, `/${database}`) } : { DATABASE_URL: '' }),
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { cookie, ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dso-proc-'));
    if (engine === 'postgres') await pgAdmin(`create database ${database}`);
    const e = env();
    const email = `owner.${randomBytes(4).toString('hex')}@example.test`;
    const created = spawnSync(TSX, ['server/cli.ts', 'tenant:create', '--name', 'Survivor Co', '--email', email, '--password', 'Plenty of length 2026!'], { cwd: ROOT, env: e, encoding: 'utf8', timeout: 60_000 });
    expect(created.status, created.stderr + created.stdout).toBe(0);
    const port = 20000 + Math.floor(Math.random() * 20000);
    base = `http://127.0.0.1:${port}`;
    server = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env: { ...e, PORT: String(port), HOST: '127.0.0.1', WEB: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Plenty of length 2026!' }) });
    expect(login.status).toBe(200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    csrf = (await login.json()).csrfToken;
  }, 120_000);
  afterAll(async () => {
    server?.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres') await pgAdmin(`drop database if exists ${database} with (force)`);
  });

  it('calendar edges, huge amounts, NUL filters and broken forms get a 4xx, and the process still answers', async () => {
    const customer = JSON.parse((await call('POST', '/api/v1/customers', { code: 'BIG', name: 'Big amounts' })).text);
    const answers: [string, number][] = [];
    const record = async (what: string, p: Promise<{ status: number }>) => answers.push([what, (await p).status]);
    await record('dashboard 0001-01-01', call('GET', '/api/v1/reports/dashboard?asOf=0001-01-01'));
    await record('dso 9999-12-31 months=24', call('GET', '/api/v1/reports/dso?asOf=9999-12-31&months=24'));
    await record('dso-trend 0001-06-30', call('GET', '/api/v1/reports/dso-trend?asOf=0001-06-30&months=24'));
    for (const n of [1, 2]) {
      await record(`invoice ${n} of MAX_SAFE_INTEGER`, call('POST', '/api/v1/documents', { customerId: customer.id, type: 'invoice', number: `MAX-${n}`, issuedOn: '2026-01-01', currency: 'EUR', amountMinor: Number.MAX_SAFE_INTEGER }));
    }
    await record('customers.csv', call('GET', '/api/v1/exports/customers.csv'));
    await record('documents.csv?q=NUL', call('GET', '/api/v1/exports/documents.csv?q=%00'));
    const broken = await fetch(`${base}/api/v1/imports`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'multipart/form-data' }, body: 'garbage' });
    answers.push(['multipart without boundary', broken.status]);
    for (const [what, status] of answers) expect(status, what).toBeLessThan(500);
    expect(answers.find(([w]) => w === 'dashboard 0001-01-01')![1]).toBe(400);
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect(server.exitCode).toBeNull();
  }, 120_000);

  it('API answers are never cached by the browser', async () => {
    const res = await call('GET', '/api/v1/company');
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
  });
});
