import { describe, expect, it } from 'vitest';
import { browserAvailability, createCustomerThroughForm, screenshotPath, signedInPage, useServerAndBrowser } from './browser';

const mode = browserAvailability();

/** A calendar date `days` from today in Europe/Paris (the sign-up default time zone); negative for the past. */
function inDays(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + days * 86_400_000));
}

describe.skipIf(mode === 'skip')('invoice instalments in Chromium [sqlite]', () => {
  const e2e = useServerAndBrowser({ DEMO_SEED: 'false' });

  it('adds an invoice payable in three instalments, one already overdue, and shows each with its own due date', async () => {
    const email = `instalments.${Date.now()}@example.test`;
    const password = 'A long instalments passphrase';
    const { context, page } = await signedInPage(e2e, { companyName: 'Échéancier SA', email, password, firstName: 'Inès', lastName: 'Credit' }, { viewport: { width: 1400, height: 950 } });

    await createCustomerThroughForm(page, e2e.server.url, 'SCHED', 'Schedule Industries');
    // The dunning contact, through the contacts tab's form; a bad email is named on its field first.
    await page.getByRole('tab', { name: /Contacts/ }).click();
    await page.getByTestId('add-contact').click();
    const contactForm = page.getByTestId('contact-form');
    await contactForm.locator('input[name=firstName]').fill('Ada');
    await contactForm.locator('input[name=email]').fill('not-an-email');
    await contactForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => contactForm.locator('input[name=email]').getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    await contactForm.locator('input[name=email]').fill('ada@schedule.example');
    await contactForm.getByRole('button', { name: 'Save' }).click();
    await contactForm.waitFor({ state: 'detached' });
    expect(await page.getByTestId('contacts-table').innerText()).toContain('ada@schedule.example');
    await page.getByRole('tab', { name: /Open items/ }).click();

    await page.getByTestId('add-document').click();
    const form = page.getByTestId('document-form');
    await form.getByLabel('Number').fill('ECH-2026-1');
    await form.getByLabel('Issue date').fill(inDays(-60));
    await form.getByLabel('Amount').fill('3000');
    await form.getByTestId('schedule-switch').check();
    await form.getByLabel('Due date of instalment 1').fill(inDays(-30));
    await form.getByLabel('Amount of instalment 1').fill('1000');
    await form.getByLabel('Due date of instalment 2').fill(inDays(15));
    await form.getByLabel('Amount of instalment 2').fill('1000');
    // The total is checked before saving: two instalments make 2,000 of 3,000.
    expect(await form.getByTestId('schedule-total').innerText()).toContain('2,000.00');
    await form.getByRole('button', { name: 'Add an instalment' }).click();
    await form.getByLabel('Due date of instalment 3').fill(inDays(45));
    await form.getByLabel('Amount of instalment 3').fill('1000');
    await page.screenshot({ path: screenshotPath('invoice-instalments-form-en') });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });

    const rows = page.getByTestId('open-items').getByTestId('document-row').filter({ hasText: 'ECH-2026-1' });
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    const badges = await page.getByTestId('open-items').getByTestId('instalment-badge').allInnerTexts();
    expect(badges.sort()).toEqual(['1/3', '2/3', '3/3']);
    await page.screenshot({ path: screenshotPath('invoice-instalments-customer-en') });
    // Only the first instalment is late.
    expect(await rows.filter({ hasText: '1/3' }).innerText()).toMatch(/30 d late/i);
    expect(await rows.filter({ hasText: '2/3' }).innerText()).not.toMatch(/late/i);

    await rows.filter({ hasText: '2/3' }).click();
    const drawer = page.getByTestId('document-detail');
    await drawer.getByTestId('instalments').waitFor();
    expect(await drawer.getByTestId('instalment-row').count()).toBe(3);
    expect(await drawer.innerText()).toContain('Cancelling, writing off or deleting applies to the whole invoice.');
    await page.waitForTimeout(500); // the drawer's slide-in, for the picture only
    await page.screenshot({ path: screenshotPath('invoice-instalments-drawer-en') });
    await context.close();
  }, 120_000);
});
