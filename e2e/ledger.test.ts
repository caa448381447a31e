import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, logIn, screenshotPath, signUp, useServerAndBrowser } from './browser';

const mode = browserAvailability();

/**
 * A French ERP export: a banner line above the header, semicolons, decimal commas, day-first dates, one bad row, and
 * the order reference in a "Commentaire" column that nothing maps automatically (the user maps it by hand).
 */
const FRENCH_CSV = [
  'Export des factures clients - Société Test SARL - édité le 20/11/2026',
  'Code client;Raison sociale;Type pièce;N° facture;Date facture;Date échéance;Devise;Montant TTC;Commentaire',
  'CLI-001;Boulangerie Dupain;Facture;FA-2026-0001;15/09/2026;15/10/2026;EUR;1 250,50;Commande 451',
  'CLI-001;Boulangerie Dupain;Facture;FA-2026-0002;01/11/2026;01/12/2026;EUR;980,00;',
  'CLI-002;Garage des Alpes;Facture;FA-2026-0003;31/02/2026;31/03/2026;EUR;abc;',
  'CLI-003;Café de la Gare;Facture;FA-2026-0004;10/08/2026;09/09/2026;EUR;3 400,00;',
  'CLI-003;Café de la Gare;Avoir;AV-2026-0001;20/09/2026;;EUR;400,00;FA-2026-0004',
].join('\r\n');
const VALID_DOCUMENTS = 4;

/** Small page model of the import page. */
function importPage(page: Page, baseUrl: string) {
  return {
    async upload(file: string) {
      await page.goto(`${baseUrl}/imports`);
      await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(file);
      await page.getByTestId('analyse').click();
      await page.getByTestId('import-preview').waitFor({ timeout: 20_000 });
      // The id of the import is in the URL: a reload resumes on it.
      expect(new URL(page.url()).searchParams.get('id')).toBeTruthy();
    },
    count: async (name: string) => Number((await page.getByTestId(name).innerText()).split('\n').pop()!.replace(/\D/g, '')),
    mappedHeader: (field: string) => page.getByTestId(`mapping-${field}`).getByRole('combobox').inputValue(),
    async map(field: string, header: string) {
      await page.getByTestId(`mapping-${field}`).getByRole('combobox').click();
      await page.getByRole('option', { name: header, exact: true }).click();
      await page.getByTestId('reanalyse').click();
      await expect.poll(() => page.getByTestId('reanalyse').getAttribute('data-loading')).toBeNull();
    },
  };
}

describe.skipIf(mode === 'skip')('ledger and imports in Chromium [sqlite]', () => {
  const e2e = useServerAndBrowser({ DEMO_SEED: 'false' });
  let csvPath: string;
  let companySlug = '';
  beforeAll(() => {
    csvPath = join(mkdtempSync(join(tmpdir(), 'dso-ledger-')), 'factures-clients.csv');
    writeFileSync(csvPath, FRENCH_CSV, 'utf8');
  });

  it('imports a French CSV with a bad row, shows customers and invoices, exports, and re-imports without duplicates', async () => {
    const email = `ledger.${Date.now()}@example.test`;
    const password = 'A long ledger passphrase';
    companySlug = await signUp(e2e.server.url, { companyName: 'Ledger Test SAS', email, password, firstName: 'Léa', lastName: 'Comptable' });

    const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const imports = importPage(page, e2e.server.url);
    await logIn(page, e2e.server.url, email, password);
    const nav = page.getByTestId('main-nav');
    await expect.poll(() => nav.innerText(), { timeout: 15_000 }).toContain('Import');

    // Step 1 → 2: the preview shows the detected mapping and the row errors; nothing is written yet.
    await imports.upload(csvPath);
    const preview = page.getByTestId('import-preview');
    expect(await imports.mappedHeader('customerCode')).toBe('Code client');
    expect(await imports.mappedHeader('amount')).toBe('Montant TTC');
    expect(await imports.mappedHeader('issuedOn')).toBe('Date facture');
    expect(await imports.mappedHeader('reference')).toBe('Not imported');
    // Step 2: the user maps the unrecognised column; the preview is computed again with it.
    await imports.map('reference', 'Commentaire');
    expect(await imports.mappedHeader('reference')).toBe('Commentaire');
    expect(await page.getByTestId('import-formats').innerText()).toMatch(/“,”[\s\S]*day\/month\/year/);
    const errors = page.getByTestId('import-errors');
    expect(await errors.innerText()).toContain('31/02/2026');
    expect(await errors.innerText()).toContain('abc');
    expect(await errors.innerText()).toMatch(/Issue date[\s\S]*This date does not exist/);
    expect(await page.getByTestId('error-count').innerText()).toContain('2');
    expect(await imports.count('count-created')).toBe(VALID_DOCUMENTS);
    expect(await imports.count('count-rejected')).toBe(1);
    expect(await page.getByTestId('confirm-import').isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('import-preview-en'), fullPage: true });
    expect((await (await fetch(`${e2e.server.url}/api/v1/customers`, { headers: { cookie: await cookieHeader(page) } })).json()).items).toHaveLength(0);

    // A reload resumes on the same preview.
    await page.reload();
    await preview.waitFor({ timeout: 15_000 });

    // Import only the valid rows, follow the progress to the result.
    await page.getByTestId('skip-invalid').check();
    await page.getByTestId('confirm-import').click();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-result').innerText()).toContain('Import finished');
    expect(await imports.count('result-created')).toBe(VALID_DOCUMENTS);
    expect(await imports.count('result-customers')).toBe(2);
    expect(await page.getByTestId('import-history').innerText()).toContain('factures-clients.csv');

    // The imported customers are in the list, with their open balance in euros.
    await page.getByTestId('view-customers').click();
    await page.waitForURL(/\/customers/);
    const customers = page.getByTestId('customer-table');
    await expect.poll(() => customers.innerText(), { timeout: 10_000 }).toContain('Boulangerie Dupain');
    expect(await customers.innerText()).toContain('Café de la Gare');
    expect(await customers.innerText()).toContain('€2,230.50');
    expect(await customers.innerText()).not.toContain('Garage des Alpes');
    await page.getByTestId('customer-search').fill('dupain');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    expect(page.url()).toContain('q=dupain');
    await page.getByTestId('customer-search').fill('');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('customers-en'), fullPage: true });

    // The customer page: totals, aging chart, open items with the unallocated credit note.
    await page.getByTestId('customer-row').filter({ hasText: 'Café de la Gare' }).click();
    await page.waitForURL(/\/customers\/[\w-]+$/);
    await expect.poll(() => page.getByTestId('customer-name').innerText(), { timeout: 10_000 }).toBe('Café de la Gare');
    expect(await page.getByTestId('customer-balances').innerText()).toContain('€3,400.00');
    await page.getByTestId('aging-chart').waitFor();
    const openItems = page.getByTestId('open-items');
    expect(await openItems.innerText()).toMatch(/FA-2026-0004[\s\S]*open/i);
    expect(await openItems.innerText()).toMatch(/Credit note[\s\S]*AV-2026-0001[\s\S]*FA-2026-0004[\s\S]*unallocated/i);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('customer-en'), fullPage: true });

    // The invoices page lists the imported invoices; Export CSV downloads them with the current filters.
    await page.goto(`${e2e.server.url}/invoices`);
    const documents = page.getByTestId('document-table');
    await expect.poll(() => page.getByTestId('document-row').count(), { timeout: 10_000 }).toBe(3);
    expect(await documents.innerText()).toMatch(/FA-2026-0001\s+Commande 451/);
    expect(await documents.innerText()).not.toContain('AV-2026-0001');
    await page.screenshot({ path: screenshotPath('invoices-en'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('documents.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('FA-2026-0004');
    expect(csv).not.toContain('AV-2026-0001');

    // In French: the same file again changes nothing: 0 new, every valid row unchanged, with the mapping saved for
    // the source (the reference column is mapped again without asking).
    await page.getByTestId('language-switcher').click();
    await page.getByRole('option', { name: 'Français' }).click();
    await expect.poll(() => nav.innerText()).toContain('Clients');
    await imports.upload(csvPath);
    expect(await imports.mappedHeader('reference')).toBe('Commentaire');
    expect(await imports.count('count-created')).toBe(0);
    expect(await imports.count('count-unchanged')).toBe(VALID_DOCUMENTS);
    expect(await page.getByTestId('import-errors').innerText()).toMatch(/Cette date n.existe pas/);
    expect(await preview.innerText()).toContain('Correspondance des colonnes');
    await page.screenshot({ path: screenshotPath('import-preview-fr'), fullPage: true });

    await page.goto(`${e2e.server.url}/customers`);
    await expect.poll(() => customers.innerText(), { timeout: 10_000 }).toContain('Boulangerie Dupain');
    expect(await customers.innerText()).toMatch(/2\s?230,50\s€/);
    expect(await page.locator('main').innerText()).toContain('Nouveau client');
    await page.screenshot({ path: screenshotPath('customers-fr'), fullPage: true });
    await page.getByTestId('customer-row').filter({ hasText: 'Café de la Gare' }).click();
    await expect.poll(() => page.getByTestId('open-items').innerText(), { timeout: 10_000 }).toContain('Avoir');
    expect(await page.getByTestId('open-items').innerText()).toMatch(/non affecté/i);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('customer-fr'), fullPage: true });
    await page.goto(`${e2e.server.url}/invoices`);
    await expect.poll(() => page.getByTestId('document-row').count(), { timeout: 10_000 }).toBe(3);
    expect(await documents.innerText()).toContain('Facture');
    await page.screenshot({ path: screenshotPath('invoices-fr'), fullPage: true });
    await context.close();
  }, 180_000);

  it('a collector reads the ledger but sees no write, import or export buttons', async () => {
    expect(companySlug).not.toBe('');
    const email = `collector.${Date.now()}@example.test`;
    const password = 'A long collector passphrase';
    execFileSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'user:create', '--tenant', companySlug, '--email', email, '--password', password, '--role', 'collector'], {
      env: { ...process.env, DATA_DIR: e2e.server.dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await logIn(page, e2e.server.url, email, password);
    const nav = page.getByTestId('main-nav');
    await expect.poll(() => nav.innerText(), { timeout: 15_000 }).toContain('Customers');
    expect(await nav.innerText()).not.toContain('Import');
    await page.goto(`${e2e.server.url}/customers`);
    await expect.poll(() => page.getByTestId('customer-row').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('new-customer').count()).toBe(0);
    expect(await page.getByTestId('export-csv').count()).toBe(0);
    await page.getByTestId('customer-row').first().click();
    await page.getByTestId('customer-name').waitFor();
    expect(await page.getByTestId('edit-customer').count()).toBe(0);
    expect(await page.getByTestId('add-document').count()).toBe(0);
    await context.close();
  }, 60_000);
});

async function cookieHeader(page: Page) {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
