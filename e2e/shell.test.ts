import { describe, expect, it } from 'vitest';
import { browserAvailability, emailedToken, screenshotPath, useServerAndBrowser } from './browser';

const mode = browserAvailability();

describe.skipIf(mode === 'skip')('web shell in Chromium [sqlite]', () => {
  const e2e = useServerAndBrowser();

  it('signs up, logs in, switches the navigation to French and Chinese, and logs out', async () => {
    const context = await e2e.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const email = `e2e.${Date.now()}@example.test`;
    const password = 'A long browser passphrase';

    await page.goto(`${e2e.server.url}/signup`);
    await page.locator('input[name=companyName]').fill('Browser Test SARL');
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    // Nothing is created until the emailed link comes back (no pre-account takeover): follow it.
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toMatch(/email/i);
    let token = '';
    await expect.poll(() => { try { token = emailedToken(e2e.server.url, email); return true; } catch { return false; } }, { timeout: 15_000 }).toBe(true);
    await page.goto(`${e2e.server.url}/verify-email?token=${encodeURIComponent(token)}`);
    await page.getByRole('button', { name: 'Create my company account' }).click();
    const nav = page.getByTestId('main-nav');
    await expect.poll(() => nav.innerText(), { timeout: 15_000 }).toContain('Dashboard');
    expect(await nav.innerText()).toMatch(/Customers[\s\S]*Invoices[\s\S]*Actions[\s\S]*Reports[\s\S]*Settings/);
    await page.screenshot({ path: screenshotPath('dashboard-en') });

    // Log out and back in through the login form.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => nav.innerText(), { timeout: 15_000 }).toContain('Dashboard');

    await page.getByTestId('language-switcher').click();
    await page.getByRole('option', { name: 'Français' }).click();
    await expect.poll(() => nav.innerText()).toContain('Tableau de bord');
    expect(await nav.innerText()).toContain('Paramètres');
    await page.goto(`${e2e.server.url}/settings`);
    await expect.poll(() => page.locator('main').innerText()).toContain('Utilisateurs');
    await page.screenshot({ path: screenshotPath('settings-fr') });

    await page.getByTestId('language-switcher').click();
    await page.getByRole('option', { name: '简体中文' }).click();
    await expect.poll(() => nav.innerText()).toContain('仪表');
    await page.screenshot({ path: screenshotPath('dashboard-zh') });

    // The language is the user's setting: it survives a reload.
    await page.reload();
    await expect.poll(() => nav.innerText(), { timeout: 15_000 }).toContain('仪表');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    await page.screenshot({ path: screenshotPath('login-zh') });
    await context.close();
  }, 120_000);
});
