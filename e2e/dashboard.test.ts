import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailability, screenshotPath, useServerAndBrowser } from './browser';

const mode = browserAvailability();

/** Small page model of the dashboard. */
const dashboard = (page: Page) => ({
  chartMarks: (testId: string) => page.getByTestId(testId).locator('svg .recharts-bar-rectangle, svg path.recharts-curve'),
  kpiNumber: async (testId: string) => Number((await page.getByTestId(`${testId}-value`).innerText()).replace(/[^\d,.-]/g, '').replace(',', '.')),
});

describe.skipIf(mode === 'skip')('dashboard in Chromium [sqlite]', () => {
  // The demo company is seeded at start: a longer start.
  const e2e = useServerAndBrowser({ DEMO_SEED: 'true' }, 240_000);

  it('shows the demo company’s charts and figures, opens a bucket’s invoices and the DSO computation, in English and French', async () => {
    const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const d = dashboard(page);
    await page.goto(`${e2e.server.url}/login`);
    await page.locator('input[name=email]').fill('demo@example.com');
    await page.locator('input[name=password]').fill('paid-on-time-2026');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('dashboard').isVisible(), { timeout: 20_000 }).toBe(true);

    // Charts render with data: bars in the aging (EUR and USD) and forecast charts, a line in the DSO trend.
    await expect.poll(() => d.chartMarks('aging-EUR').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => d.chartMarks('aging-USD').count()).toBeGreaterThan(0);
    await expect.poll(() => d.chartMarks('chart-dso-trend').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => d.chartMarks('chart-forecast').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => d.kpiNumber('kpi-dso'), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await d.kpiNumber('kpi-cei')).toBeGreaterThan(0);
    expect(await page.getByTestId('kpi-overdue').innerText()).toMatch(/€[\s\S]*\$/);
    expect(await page.getByTestId('top-late').locator('tbody tr').count()).toBeGreaterThan(3);
    await page.mouse.move(0, 0); // no chart tooltip in the screenshot
    await page.screenshot({ path: screenshotPath('dashboard-demo-en'), fullPage: true });

    // An aging figure opens the invoices behind it.
    await page.getByTestId('bucket-EUR-1-30').click();
    const items = page.getByTestId('aging-items');
    await expect.poll(() => items.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500); // the drawer's opening transition
    await page.screenshot({ path: screenshotPath('dashboard-aging-items-en') });
    await page.keyboard.press('Escape');
    await expect.poll(() => items.isVisible()).toBe(false);

    // The DSO opens to its countback walk.
    await page.getByTestId('explain-dso').click();
    await expect.poll(() => page.getByTestId('countback-dso').locator('li').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: screenshotPath('dashboard-dso-explained-en') });
    await page.keyboard.press('Escape');

    // French: the dashboard, its charts and the reports page are translated.
    await page.getByTestId('language-switcher').click();
    await page.getByRole('option', { name: 'Français' }).click();
    await expect.poll(() => page.getByTestId('dashboard').innerText()).toContain('Tableau de bord');
    expect(await page.getByTestId('dashboard').innerText()).toContain('Clients les plus en retard');
    await expect.poll(() => d.chartMarks('aging-EUR').count()).toBeGreaterThan(0);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('dashboard-demo-fr'), fullPage: true });

    await page.getByTestId('main-nav').getByText('Rapports').click();
    await expect.poll(() => page.getByTestId('reports-page').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => d.chartMarks('aging-EUR').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'DSO' }).click();
    await expect.poll(() => page.getByTestId('dso-explanation').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: screenshotPath('reports-dso-fr'), fullPage: true });
    await page.getByRole('tab', { name: 'Chargés de recouvrement' }).click();
    await expect.poll(() => page.getByTestId('collectors-table').locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('reports-collectors-fr'), fullPage: true });

    // The Excel export answers with a workbook.
    const href = await page.getByTestId('export-collectors').getAttribute('href');
    const res = await page.request.get(`${e2e.server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    await context.close();
  }, 180_000);

  it('a company sets its own aging buckets in the settings; the dashboard and the drill-down follow them', async () => {
    const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/login`);
    await page.locator('input[name=email]').fill('demo@example.com');
    await page.locator('input[name=password]').fill('paid-on-time-2026');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('dashboard').isVisible(), { timeout: 20_000 }).toBe(true);

    await page.goto(`${e2e.server.url}/settings?tab=company`);
    const editor = page.getByTestId('aging-buckets-editor');
    await expect.poll(() => editor.isVisible(), { timeout: 15_000 }).toBe(true);
    // The first test left the user in French (applied when the page loads the session).
    if ((await page.getByTestId('language-switcher').inputValue()) !== 'English') {
      await page.getByTestId('language-switcher').click();
      await page.getByRole('option', { name: 'English' }).click();
      await expect.poll(() => editor.innerText()).toContain('Aging buckets');
    }
    expect(await page.getByTestId('aging-buckets-kind').textContent()).toBe('Defaults');
    // Chase at 15, 30, 60 and 90 days: change the three default bounds and add a fourth.
    await page.getByTestId('aging-bound-0').fill('15');
    await page.getByTestId('aging-bound-1').fill('10');
    await expect.poll(() => editor.innerText()).toContain('Must be after day 15.');
    expect(await page.getByTestId('company-save').isDisabled()).toBe(true);
    await editor.screenshot({ path: screenshotPath('settings-aging-buckets-invalid-en') });
    await page.getByTestId('aging-bound-1').fill('30');
    await page.getByTestId('aging-bound-2').fill('60');
    await page.getByTestId('aging-add').click();
    expect(await page.getByTestId('aging-bound-3').inputValue()).toBe('90');
    const preview = page.getByTestId('aging-buckets-preview');
    expect((await preview.innerText()).replace(/\s+/g, ' ')).toContain('Not due 1–15 days 16–30 days 31–60 days 61–90 days Over 90 days');
    await page.getByTestId('company-save').click();
    await expect.poll(() => page.getByText('Saved').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('aging-buckets-kind').textContent()).toBe('Company’s own');
    await page.evaluate(() => window.scrollTo(0, 0)); // the fixed header would otherwise sit in the middle of the full page
    await page.screenshot({ path: screenshotPath('settings-aging-buckets-en'), fullPage: true });

    await page.getByTestId('main-nav').getByText('Dashboard').click();
    const d = dashboard(page);
    await expect.poll(() => d.chartMarks('aging-EUR').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('aging-EUR').locator('[data-testid^="bucket-EUR-"]').count()).toBe(6);
    expect(await page.getByTestId('bucket-EUR-1-15').innerText()).toContain('1–15 days');
    expect(await page.getByTestId('bucket-EUR-over90').innerText()).toContain('Over 90 days');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('dashboard-custom-buckets-en'), fullPage: true });
    await page.getByTestId('bucket-EUR-16-30').click();
    const items = page.getByTestId('aging-items');
    await expect.poll(() => page.getByRole('dialog').innerText(), { timeout: 15_000 }).toContain('16–30 days');
    const days = (await items.locator('tbody tr td:nth-child(4)').allInnerTexts()).map(Number);
    expect(days.every((n) => n >= 16 && n <= 30)).toBe(true);
    await page.keyboard.press('Escape');

    // Back to the defaults, as the first test found them.
    await page.goto(`${e2e.server.url}/settings?tab=company`);
    await expect.poll(() => page.getByTestId('aging-buckets-editor').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('aging-reset').click();
    await page.getByTestId('company-save').click();
    await expect.poll(() => page.getByTestId('aging-buckets-kind').textContent(), { timeout: 10_000 }).toBe('Defaults');
    await context.close();
  }, 180_000);
});
