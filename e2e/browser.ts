import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/**
 * Browser tests run only where Debian's chromium is installed. Locally they skip with a loud notice; under CI=true a
 * missing browser is a failure, never a silent skip.
 */
export function browserAvailability(): 'run' | 'skip' {
  if (HAS_CHROMIUM) return 'run';
  if (process.env.CI === 'true') throw new Error(`CI=true but Chromium is missing at ${CHROMIUM}: install it with apt-get install -y chromium`);
  process.stderr.write(`\n*** BROWSER TESTS SKIPPED: Chromium not found at ${CHROMIUM} (apt-get install -y chromium) ***\n\n`);
  return 'skip';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const dataDirOf = new Map<string, string>();

export type RunningServer = { url: string; dataDir: string; stop: () => Promise<void> };

/** Starts the real server (npm start's entry point) on a free port with a fresh SQLite data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  execSync('node scripts/build-web-if-needed.mjs', { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'dso-e2e-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_SEED: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  dataDirOf.set(url, dataDir);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string) {
  mkdirSync('screenshots', { recursive: true });
  return join('screenshots', `${name}.png`);
}

/** The token of the last link emailed to `email`, read from the server's outbox (no SMTP in these runs). */
export function emailedToken(baseUrl: string, email: string): string {
  const dataDir = dataDirOf.get(baseUrl);
  if (!dataDir) throw new Error('emailedToken needs a server started by startServer');
  const db = new Database(join(dataDir, 'dso.sqlite'), { readonly: true });
  try {
    const row = db.prepare('select body_text from outbox where to_address = ? order by created_at desc limit 1').get(email.toLowerCase()) as { body_text: string } | undefined;
    const m = row && /token=([A-Za-z0-9_%-]+)/.exec(row.body_text);
    if (!m) throw new Error(`no emailed link for ${email}`);
    return decodeURIComponent(m[1]);
  } finally {
    db.close();
  }
}

/** A new company with its owner, through the public sign-up API and its emailed link; returns the company's slug. */
export async function signUp(baseUrl: string, user: { companyName: string; email: string; password: string; firstName: string; lastName: string; language?: string }): Promise<string> {
  const asked = await fetch(`${baseUrl}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: 'en', ...user }) });
  if (asked.status !== 202) throw new Error(`sign-up failed: ${asked.status} ${await asked.text()}`);
  const token = emailedToken(baseUrl, user.email);
  const res = await fetch(`${baseUrl}/api/v1/auth/verify-email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (res.status !== 201) throw new Error(`sign-up verification failed: ${res.status} ${await res.text()}`);
  return (await res.json()).company.slug;
}

/** Logs in through the login page (English labels) and waits for the app's navigation. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('main-nav').waitFor({ timeout: 15_000 });
}

/** The real server and a Chromium for the tests of one describe block: started before them, stopped after. */
export function useServerAndBrowser(env: Record<string, string> = { DEMO_SEED: 'false' }, startTimeoutMs = 180_000) {
  const e2e = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    e2e.server = await startServer(env);
    e2e.browser = await launchBrowser();
  }, startTimeoutMs);
  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.server?.stop();
  });
  return e2e;
}

/** A new company signed up through the API and its owner logged in on a fresh page (English unless said otherwise). */
export async function signedInPage(
  e2e: { server: RunningServer; browser: Browser },
  user: { companyName: string; email: string; password: string; firstName: string; lastName: string },
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; slug: string }> {
  const slug = await signUp(e2e.server.url, user);
  const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 }, ...options });
  const page = await context.newPage();
  await logIn(page, e2e.server.url, user.email, user.password);
  return { context, page, slug };
}

/** Creates a customer through the customers page's form and waits for its page to open. */
export async function createCustomerThroughForm(page: Page, baseUrl: string, code: string, name: string) {
  await page.goto(`${baseUrl}/customers`);
  await page.getByTestId('new-customer').click();
  const form = page.getByTestId('customer-form');
  await form.locator('input[name=code]').fill(code);
  await form.locator('input[name=name]').fill(name);
  await page.getByTestId('save-customer').click();
  await page.getByTestId('customer-name').filter({ hasText: name }).waitFor({ timeout: 10_000 });
}
