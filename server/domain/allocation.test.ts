import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar';
import { allocateAutomatically, normaliseReference, openAmountAt, type OpenInvoice } from './allocation';

const today = '2025-12-17';
const invoice = (id: string, dueOn: string, openMinor: number, overrides: Partial<OpenInvoice> = {}): OpenInvoice => ({ id, number: id, currency: 'EUR', dueOn, openMinor, ...overrides });

describe('automatic allocation of an unallocated credit', () => {
  it('first settles the invoice whose number the payer wrote as reference, even if not yet due', () => {
    const invoices = [invoice('FA-2025-001', '2025-10-01', 5_000), invoice('FA-2025-009', '2026-01-31', 3_000)];
    expect(allocateAutomatically({ amountMinor: 3_000, currency: 'EUR', reference: 'FA-2025-009' }, invoices, today)).toEqual({
      allocations: [{ invoiceId: 'FA-2025-009', amountMinor: 3_000, reason: 'reference' }],
      remainingMinor: 0,
    });
  });

  it('matches the reference ignoring case, surrounding and inner spaces', () => {
    expect(normaliseReference('  fa 2025-009 ')).toBe(normaliseReference('FA2025-009'));
    const invoices = [invoice('a', '2026-01-31', 3_000, { number: 'FA2025-009' })];
    expect(allocateAutomatically({ amountMinor: 1_000, currency: 'EUR', reference: ' fa 2025-009\t' }, invoices, today).allocations).toEqual([{ invoiceId: 'a', amountMinor: 1_000, reason: 'reference' }]);
  });

  it('does not treat dashes as spaces: FA-1 is not FA1', () => {
    const plan = allocateAutomatically({ amountMinor: 100, currency: 'EUR', reference: 'FA1' }, [invoice('x', '2026-02-01', 100, { number: 'FA-1' })], today);
    expect(plan).toEqual({ allocations: [], remainingMinor: 100 });
  });

  it('then, as Code civil art. 1342-10 provides, settles invoices already due, oldest due date first', () => {
    const invoices = [invoice('recent', '2025-12-10', 1_000), invoice('oldest', '2025-09-30', 2_000), invoice('middle', '2025-11-15', 4_000), invoice('future', '2026-01-15', 9_000)];
    expect(allocateAutomatically({ amountMinor: 4_500, currency: 'EUR' }, invoices, today)).toEqual({
      allocations: [
        { invoiceId: 'oldest', amountMinor: 2_000, reason: 'oldestDue' },
        { invoiceId: 'middle', amountMinor: 2_500, reason: 'oldestDue' },
      ],
      remainingMinor: 0,
    });
  });

  it('treats an invoice due today as already due', () => {
    expect(allocateAutomatically({ amountMinor: 100, currency: 'EUR' }, [invoice('today', today, 500)], today).allocations).toEqual([{ invoiceId: 'today', amountMinor: 100, reason: 'oldestDue' }]);
  });

  it('breaks a tie on the due date by invoice number, numerically', () => {
    const invoices = [invoice('b', '2025-11-01', 100, { number: 'INV-10' }), invoice('a', '2025-11-01', 100, { number: 'INV-9' })];
    expect(allocateAutomatically({ amountMinor: 150, currency: 'EUR' }, invoices, today).allocations.map((a) => [a.invoiceId, a.amountMinor])).toEqual([['a', 100], ['b', 50]]);
  });

  it('puts what is left of a referenced payment on the oldest due invoices', () => {
    const invoices = [invoice('old', '2025-10-01', 700), invoice('named', '2026-01-31', 1_000)];
    expect(allocateAutomatically({ amountMinor: 1_500, currency: 'EUR', reference: 'named' }, invoices, today)).toEqual({
      allocations: [{ invoiceId: 'named', amountMinor: 1_000, reason: 'reference' }, { invoiceId: 'old', amountMinor: 500, reason: 'oldestDue' }],
      remainingMinor: 0,
    });
  });

  it('leaves an overpayment unallocated, and never touches not-yet-due invoices without a reference', () => {
    const invoices = [invoice('due', '2025-12-01', 1_000), invoice('notYet', '2025-12-18', 5_000)];
    expect(allocateAutomatically({ amountMinor: 2_500, currency: 'EUR', reference: 'no such invoice' }, invoices, today)).toEqual({
      allocations: [{ invoiceId: 'due', amountMinor: 1_000, reason: 'oldestDue' }],
      remainingMinor: 1_500,
    });
  });

  it('never allocates across currencies, even when the reference matches', () => {
    const invoices = [invoice('usd', '2025-10-01', 1_000, { currency: 'USD' })];
    expect(allocateAutomatically({ amountMinor: 500, currency: 'EUR', reference: 'usd' }, invoices, today)).toEqual({ allocations: [], remainingMinor: 500 });
  });

  it('skips invoices with nothing open and allocates nothing from an empty credit', () => {
    expect(allocateAutomatically({ amountMinor: 500, currency: 'EUR' }, [invoice('paid', '2025-10-01', 0), invoice('credit', '2025-10-01', -50)], today).allocations).toEqual([]);
    expect(allocateAutomatically({ amountMinor: 0, currency: 'EUR' }, [invoice('due', '2025-10-01', 100)], today)).toEqual({ allocations: [], remainingMinor: 0 });
  });

  it('refuses a negative credit, fractional amounts, impossible dates and duplicated invoices', () => {
    expect(() => allocateAutomatically({ amountMinor: -1, currency: 'EUR' }, [], today)).toThrow(/positive/);
    expect(() => allocateAutomatically({ amountMinor: 1.5, currency: 'EUR' }, [], today)).toThrow(RangeError);
    expect(() => allocateAutomatically({ amountMinor: 1, currency: 'EUR' }, [invoice('a', '2025-02-30', 1)], today)).toThrow(RangeError);
    expect(() => allocateAutomatically({ amountMinor: 1, currency: 'EUR' }, [invoice('a', '2025-01-01', 1), invoice('a', '2025-01-02', 1)], today)).toThrow(/twice/);
  });

  const arbitraryInvoice = fc.record({
    id: fc.string({ minLength: 1, maxLength: 6 }),
    number: fc.constantFrom('FA-1', 'FA-2', 'fa 3', 'INV-10', 'INV-9', 'X'),
    currency: fc.constantFrom('EUR', 'USD'),
    dueOn: fc.integer({ min: -200, max: 200 }).map((offset) => addDays(today, offset)),
    openMinor: fc.integer({ min: -1_000, max: 1_000_000 }),
  });
  const invoices = fc.uniqueArray(arbitraryInvoice, { selector: (i) => i.id, maxLength: 15 });
  const credit = fc.record({
    amountMinor: fc.integer({ min: 0, max: 3_000_000 }),
    currency: fc.constantFrom('EUR', 'USD'),
    reference: fc.option(fc.constantFrom('FA-1', ' fa-2 ', 'FA3', 'inv-10', 'nothing')),
  });

  it('property: conserves money, respects open amounts, currencies and due dates', () => {
    fc.assert(
      fc.property(credit, invoices, (c, list) => {
        const plan = allocateAutomatically(c, list, today);
        const allocated = plan.allocations.reduce((s, a) => s + a.amountMinor, 0);
        expect(allocated + plan.remainingMinor).toBe(c.amountMinor);
        expect(plan.remainingMinor).toBeGreaterThanOrEqual(0);
        expect(new Set(plan.allocations.map((a) => a.invoiceId)).size).toBe(plan.allocations.length);
        for (const allocation of plan.allocations) {
          const target = list.find((i) => i.id === allocation.invoiceId)!;
          expect(allocation.amountMinor).toBeGreaterThan(0);
          expect(allocation.amountMinor).toBeLessThanOrEqual(target.openMinor);
          expect(target.currency).toBe(c.currency);
          const namedByReference = c.reference != null && normaliseReference(c.reference) === normaliseReference(target.number);
          if (target.dueOn > today) expect(namedByReference).toBe(true);
        }
        // Something left over means every due invoice in that currency is fully settled.
        if (plan.remainingMinor > 0) {
          for (const due of list.filter((i) => i.currency === c.currency && i.openMinor > 0 && i.dueOn <= today)) {
            expect(plan.allocations.find((a) => a.invoiceId === due.id)?.amountMinor).toBe(due.openMinor);
          }
        }
      }),
    );
  });
});

describe('open amount of an invoice at a date', () => {
  const allocations = [
    { allocatedOn: '2025-11-10', amountMinor: 3_000 },
    { allocatedOn: '2025-12-01', amountMinor: 2_000 },
    { allocatedOn: '2025-12-05', amountMinor: -2_000 }, // the 1 December payment was reversed
  ];

  it('is the amount minus the allocations dated on or before that date', () => {
    expect(openAmountAt(10_000, allocations, '2025-11-09')).toBe(10_000);
    expect(openAmountAt(10_000, allocations, '2025-11-10')).toBe(7_000);
    expect(openAmountAt(10_000, allocations, '2025-12-01')).toBe(5_000);
    expect(openAmountAt(10_000, allocations, '2025-12-31')).toBe(7_000);
  });

  it('refuses impossible dates and fractional amounts', () => {
    expect(() => openAmountAt(10_000, [], '2025-13-01')).toThrow(RangeError);
    expect(() => openAmountAt(10_000, [{ allocatedOn: '2025-01-01', amountMinor: 0.5 }], '2025-12-31')).toThrow(RangeError);
    expect(() => openAmountAt(10_000, [{ allocatedOn: '2025-02-30', amountMinor: 1 }], '2025-12-31')).toThrow(RangeError);
  });

  it('property: open = amount − allocations up to the date, at any date', () => {
    const dated = fc.record({ allocatedOn: fc.integer({ min: -100, max: 100 }).map((d) => addDays(today, d)), amountMinor: fc.integer({ min: -100_000, max: 100_000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(dated, { maxLength: 20 }), fc.integer({ min: -120, max: 120 }), (amount, list, offset) => {
        const date = addDays(today, offset);
        const allocatedUpToDate = list.filter((a) => a.allocatedOn <= date).reduce((s, a) => s + a.amountMinor, 0);
        expect(openAmountAt(amount, list, date)).toBe(amount - allocatedUpToDate);
        // Before the first allocation nothing is settled; after the last, everything is.
        expect(openAmountAt(amount, list, addDays(today, -101))).toBe(amount);
        expect(openAmountAt(amount, list, addDays(today, 101))).toBe(amount - list.reduce((s, a) => s + a.amountMinor, 0));
      }),
    );
  });
});
