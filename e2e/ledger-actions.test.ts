import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailability, createCustomerThroughForm, screenshotPath, signedInPage, useServerAndBrowser } from './browser';

const mode = browserAvailability();

/** A calendar date `days` before today in the company's time zone (Europe/Paris, the sign-up default). */
function daysAgo(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() - days * 86_400_000));
}

/** Small page model of a customer page: its forms, its open items and the document drawer. */
function customerPage(page: Page) {
  const openItem = (text: string) => page.getByTestId('open-items').getByTestId('document-row').filter({ hasText: text });
  const drawer = page.getByTestId('document-detail');
  return {
    drawer,
    openItem,
    async choose(input: ReturnType<Page['getByTestId']>, typed: string, option: string | RegExp) {
      await input.click();
      if (typed) await input.fill(typed);
      await page.getByRole('option', { name: option }).click();
    },
    async addDocument(d: { type?: 'Invoice' | 'Payment'; number: string; issuedOn: string; dueOn?: string; amount: string }) {
      await page.getByTestId('add-document').click();
      const form = page.getByTestId('document-form');
      if (d.type === 'Payment') await form.getByText('Payment', { exact: true }).click();
      await form.getByLabel('Number').fill(d.number);
      await form.getByLabel('Issue date').fill(d.issuedOn);
      if (d.dueOn) await form.getByLabel('Due date').fill(d.dueOn);
      await form.getByLabel('Amount').fill(d.amount);
      await form.getByRole('button', { name: 'Save' }).click();
      await form.waitFor({ state: 'detached' });
      await openItem(d.number).waitFor();
    },
    async openDocument(number: string) {
      await openItem(number).click();
      await drawer.waitFor();
      await expect.poll(() => page.getByRole('dialog').filter({ has: drawer }).innerText()).toContain(number);
    },
    async closeDrawer() {
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
    },
  };
}

describe.skipIf(mode === 'skip')('ledger actions in Chromium [sqlite]', () => {
  const e2e = useServerAndBrowser({ DEMO_SEED: 'false' });

  it('creates a customer in a group with custom fields, allocates, reverses, writes off, deletes and auto-allocates, in English and French', async () => {
    const email = `actions.${Date.now()}@example.test`;
    const password = 'A long actions passphrase';
    const { context, page } = await signedInPage(e2e, { companyName: 'Alpha Holding SAS', email, password, firstName: 'Léa', lastName: 'Comptable' });
    const c = customerPage(page);

    // The group's head office first, then a subsidiary attached to it through the form.
    await createCustomerThroughForm(page, e2e.server.url, 'ALPHA', 'Groupe Alpha');

    await page.goto(`${e2e.server.url}/customers`);
    await page.getByTestId('new-customer').click();
    const form = page.getByTestId('customer-form');
    await form.locator('input[name=code]').fill('ALPHA'); // taken: the server's message lands under the code
    await form.locator('input[name=name]').fill('Alpha Paris');
    await form.getByLabel('Payment terms (days)').fill('30');
    await form.getByLabel('Due at the end of the month').check();
    await form.getByLabel('Credit limit (EUR)').fill('25000');
    await c.choose(form.getByLabel('Collector'), '', 'Léa Comptable');
    await form.getByTestId('tags-input').fill('key account');
    await form.getByTestId('tags-input').press('Enter');
    await c.choose(page.getByTestId('parent-select'), 'alpha', 'Groupe Alpha (ALPHA)');
    for (const [i, [key, value]] of [['Region', 'Île-de-France'], ['Sales rep', 'Marc']].entries()) {
      await form.getByTestId('add-custom-field').click();
      const row = form.getByTestId('custom-field-row').nth(i);
      await row.getByLabel('Field name').fill(key);
      await row.getByLabel('Value').fill(value);
    }
    expect(await form.getByTestId('custom-fields-count').innerText()).toBe('2 of 12 used');
    await page.getByTestId('save-customer').click();
    await expect.poll(() => form.locator('input[name=code]').getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    expect(await form.innerText()).toContain('This value is already used.');
    await form.locator('input[name=code]').fill('ALP-PARIS');
    await page.setViewportSize({ width: 1400, height: 1500 }); // the whole form in one picture
    await page.screenshot({ path: screenshotPath('customer-form-en') });
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByTestId('save-customer').click();

    // The customer page shows the group and the custom fields; the parent lists its child account.
    await expect.poll(() => page.getByTestId('customer-name').innerText(), { timeout: 10_000 }).toBe('Alpha Paris');
    expect(await page.getByTestId('customer-parent').innerText()).toBe('Groupe Alpha (ALPHA)');
    expect(await page.getByTestId('customer-custom-fields').innerText()).toMatch(/Region\s+Île-de-France[\s\S]*Sales rep\s+Marc/);
    const customerUrl = page.url();
    // Editing shows the saved group and fields again.
    await page.getByTestId('edit-customer').click();
    await expect.poll(() => page.getByTestId('parent-select').inputValue(), { timeout: 10_000 }).toBe('Groupe Alpha (ALPHA)');
    expect(await page.getByTestId('custom-field-row').count()).toBe(2);
    await page.getByTestId('customer-form').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('customer-form').waitFor({ state: 'detached' });
    await page.getByTestId('customer-parent').getByRole('link').click();
    await expect.poll(() => page.getByTestId('customer-name').innerText(), { timeout: 10_000 }).toBe('Groupe Alpha');
    expect(await page.getByTestId('customer-children').innerText()).toContain('Alpha Paris (ALP-PARIS)');
    await page.goto(customerUrl);

    // Two overdue invoices and a payment, allocated by hand to the first invoice.
    await c.addDocument({ number: 'INV-1', issuedOn: daysAgo(60), dueOn: daysAgo(30), amount: '1000' });
    await c.addDocument({ number: 'INV-2', issuedOn: daysAgo(50), dueOn: daysAgo(20), amount: '500' });
    await c.addDocument({ type: 'Payment', number: 'PAY-1', issuedOn: daysAgo(5), amount: '400' });
    await c.openItem('PAY-1').getByTestId('allocate').click();
    const allocate = page.getByTestId('allocate-form');
    await c.choose(allocate.getByLabel('Open invoice'), '', /INV-1/);
    await allocate.getByRole('button', { name: 'Allocate' }).click();
    await allocate.waitFor({ state: 'detached' });
    await expect.poll(() => c.openItem('INV-1').innerText()).toMatch(/€600\.00[\s\S]*Partially paid/i);
    expect(await page.getByTestId('customer-balances').innerText()).toContain('€1,100.00');

    // The invoice's drawer: amounts and the allocation; reversing it (dated today by default) opens the invoice again.
    await c.openDocument('INV-1');
    expect(await page.getByTestId('document-open').innerText()).toBe('€600.00');
    await expect.poll(() => c.drawer.getByTestId('allocation-row').innerText()).toMatch(/Payment PAY-1[\s\S]*€400\.00[\s\S]*Active/i);
    await c.drawer.getByTestId('reverse-allocation').click();
    const reverse = page.getByTestId('reverse-form');
    expect(await reverse.getByTestId('reverse-date').inputValue()).toBe(daysAgo(0));
    expect(await reverse.innerText()).toContain('€400.00');
    await page.getByTestId('confirm-reverse').click();
    await reverse.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('document-open').innerText()).toBe('€1,000.00');
    expect(await c.drawer.innerText()).toMatch(/Status\s+Open/i);
    expect(await c.drawer.getByTestId('allocation-row').count()).toBe(2);
    expect(await c.drawer.getByTestId('allocations-table').innerText()).toMatch(/Reversed on[\s\S]*Reversal/i);
    await page.waitForTimeout(400); // the drawer's opening transition
    await page.screenshot({ path: screenshotPath('document-reversed-en') });
    await c.closeDrawer();
    await expect.poll(() => c.openItem('INV-1').innerText()).toMatch(/€1,000\.00[\s\S]*Open/i);
    await expect.poll(() => c.openItem('PAY-1').innerText()).toMatch(/Unallocated/i);

    // Writing off INV-2 closes its open amount (the confirmation says how much); it leaves the open items.
    await c.openDocument('INV-2');
    await c.drawer.getByTestId('write-off').click();
    const close = page.getByTestId('close-invoice-form');
    expect(await close.innerText()).toMatch(/€500\.00 will be closed by an adjustment dated today/);
    await page.screenshot({ path: screenshotPath('document-write-off-en') });
    await page.getByTestId('confirm-close-invoice').click();
    await close.waitFor({ state: 'detached' });
    await expect.poll(() => c.drawer.innerText()).toMatch(/Status\s+Written off/i);
    expect(await page.getByTestId('document-open').innerText()).toBe('€0.00');
    await c.drawer.getByTestId('closed-notice').waitFor();
    await expect.poll(() => c.drawer.getByTestId('allocation-row').innerText()).toMatch(/Adjustment[\s\S]*€500\.00/);
    expect(await c.drawer.getByTestId('reverse-allocation').count()).toBe(0); // it would reopen a written-off invoice
    await c.closeDrawer();
    await expect.poll(() => c.openItem('INV-2').count()).toBe(0);
    await expect.poll(() => page.getByTestId('customer-balances').innerText()).toContain('€1,000.00');

    // A payment entered by mistake is deleted (confirmed first).
    await c.addDocument({ type: 'Payment', number: 'PAY-ERR', issuedOn: daysAgo(1), amount: '10' });
    await c.openDocument('PAY-ERR');
    await c.drawer.getByTestId('delete-document').click();
    await page.getByRole('dialog').filter({ hasText: 'Delete this document' }).getByRole('button', { name: 'Delete' }).click();
    await c.drawer.waitFor({ state: 'detached' });
    await expect.poll(() => c.openItem('PAY-ERR').count()).toBe(0);

    // Auto-allocation applies the unallocated payment to the overdue invoice and says what it did.
    await page.getByTestId('auto-allocate').click();
    const result = page.getByTestId('auto-allocate-result');
    await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain('Payment PAY-1 applied to Invoice INV-1: €400.00');
    await expect.poll(() => page.getByTestId('customer-balances').innerText()).toContain('€600.00');
    await expect.poll(() => c.openItem('PAY-1').count()).toBe(0);
    await expect.poll(() => page.getByTestId('auto-allocate').getAttribute('data-loading')).toBeNull();
    await page.waitForTimeout(400); // the button's loader fades out
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('customer-actions-en'), fullPage: true });

    // The invoice list opens the same drawer, with the way back to the customer.
    await page.goto(`${e2e.server.url}/invoices?status=written_off`);
    await expect.poll(() => page.getByTestId('document-row').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('document-row').click();
    await expect.poll(() => c.drawer.innerText()).toContain('Alpha Paris (ALP-PARIS)');
    expect(await c.drawer.innerText()).toMatch(/Status\s+Written off/i);
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath('invoice-drawer-en') });
    await c.closeDrawer();

    // In French: the customer page and the invoice's allocations.
    await page.getByTestId('language-switcher').click();
    await page.getByRole('option', { name: 'Français' }).click();
    await page.goto(customerUrl);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toContain('Champs personnalisés');
    await expect.poll(() => page.locator('main').innerText()).toMatch(/Groupe parent[\s\S]*Pièces ouvertes \(1\)/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('customer-actions-fr'), fullPage: true });
    await page.getByRole('tab', { name: 'Toutes les pièces' }).click();
    await page.getByTestId('all-documents').getByTestId('document-row').filter({ hasText: 'INV-1' }).click();
    await expect.poll(() => c.drawer.innerText(), { timeout: 10_000 }).toMatch(/Affectations[\s\S]*Contre-passée le/i);
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath('document-allocations-fr') });
    await context.close();
  }, 240_000);
});
