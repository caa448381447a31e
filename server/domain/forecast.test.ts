import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar';
import { expectedPaymentOn, forecastCashIn, forecastWeekIndex, type ForecastItem } from './forecast';

const today = '2025-12-17'; // a Wednesday: week 0 starts Monday 2025-12-15
const item = (overrides: Partial<ForecastItem>): ForecastItem => ({
  documentId: 'INV-1',
  currency: 'EUR',
  openMinor: 10_000,
  dueOn: today,
  customerAverageDelayDays: null,
  ...overrides,
});

describe('expected payment date', () => {
  it('is the promised date when the customer promised one, whatever else is known', () => {
    expect(expectedPaymentOn(item({ dueOn: '2025-11-01', promisedOn: '2026-01-09', customerAverageDelayDays: 40, disputeTypeResolutionDays: 20 }))).toBe('2026-01-09');
  });

  it('is the due date plus the dispute type’s average resolution time for a disputed item', () => {
    expect(expectedPaymentOn(item({ dueOn: '2025-12-01', disputeTypeResolutionDays: 21, customerAverageDelayDays: 5 }))).toBe('2025-12-22');
  });

  it('is the due date plus the customer’s average delay, rounded half away from zero to whole days', () => {
    expect(expectedPaymentOn(item({ dueOn: '2025-12-01', customerAverageDelayDays: 12.5 }))).toBe('2025-12-14');
    expect(expectedPaymentOn(item({ dueOn: '2025-12-01', customerAverageDelayDays: 12.49 }))).toBe('2025-12-13');
    expect(expectedPaymentOn(item({ dueOn: '2025-12-10', customerAverageDelayDays: -2.5 }))).toBe('2025-12-07'); // early payers
  });

  it('is the due date when the customer has no payment history', () => {
    expect(expectedPaymentOn(item({ dueOn: '2026-01-20', customerAverageDelayDays: null }))).toBe('2026-01-20');
  });

  it('refuses impossible dates and non-finite delays', () => {
    expect(() => expectedPaymentOn(item({ dueOn: '2025-02-30' }))).toThrow(RangeError);
    expect(() => expectedPaymentOn(item({ customerAverageDelayDays: Number.NaN }))).toThrow(RangeError);
  });
});

describe('forecast weeks', () => {
  it('start on Monday, week 0 being the week that contains today', () => {
    const [eur] = forecastCashIn([item({})], today).currencies;
    expect(eur.weeks).toHaveLength(13);
    expect(eur.weeks[0].weekStartOn).toBe('2025-12-15');
    expect(eur.weeks[1].weekStartOn).toBe('2025-12-22');
    expect(eur.weeks[12].weekStartOn).toBe('2026-03-09');
  });

  it('put an item whose expected date has passed in the current week', () => {
    expect(forecastWeekIndex('2025-06-01', today)).toBe(0);
    expect(forecastWeekIndex('2025-12-16', today)).toBe(0); // earlier this week
    const [eur] = forecastCashIn([item({ documentId: 'OLD', dueOn: '2025-09-30', customerAverageDelayDays: 10 })], today).currencies;
    expect(eur.weeks[0]).toEqual({ weekStartOn: '2025-12-15', amountMinor: 10_000, documentIds: ['OLD'] });
  });

  it('put a broken promise (promised date passed) in the current week too', () => {
    const [eur] = forecastCashIn([item({ promisedOn: '2025-12-01' })], today).currencies;
    expect(eur.weeks[0].amountMinor).toBe(10_000);
  });

  it('cut weeks on Sunday night', () => {
    expect(forecastWeekIndex('2025-12-21', today)).toBe(0); // Sunday
    expect(forecastWeekIndex('2025-12-22', today)).toBe(1); // Monday
    expect(forecastWeekIndex('2026-03-15', today)).toBe(12); // last Sunday of week 12
    expect(forecastWeekIndex('2026-03-16', today)).toBe('later');
  });

  it('total what is expected beyond week 12 as "later"', () => {
    const [eur] = forecastCashIn([item({ documentId: 'FAR', dueOn: '2026-06-30', openMinor: 5_000 }), item({ documentId: 'NEAR', dueOn: '2026-03-15', openMinor: 7 })], today).currencies;
    expect(eur.laterMinor).toBe(5_000);
    expect(eur.laterDocumentIds).toEqual(['FAR']);
    expect(eur.weeks[12]).toMatchObject({ amountMinor: 7, documentIds: ['NEAR'] });
  });

  it('keep currencies apart and set excluded items aside', () => {
    const forecast = forecastCashIn(
      [
        item({ documentId: 'U1', currency: 'USD', openMinor: 300, dueOn: '2025-12-23' }),
        item({ documentId: 'E1', openMinor: 100, dueOn: '2025-12-23' }),
        item({ documentId: 'E2', openMinor: 50, dueOn: '2025-12-24', isExcluded: true }),
        item({ documentId: 'E0', openMinor: 0 }),
      ],
      today,
    );
    expect(forecast.today).toBe(today);
    expect(forecast.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const [eur, usd] = forecast.currencies;
    expect(eur.weeks[1]).toMatchObject({ amountMinor: 100, documentIds: ['E1'] });
    expect(eur.excludedMinor).toBe(50);
    expect(usd.weeks[1]).toMatchObject({ amountMinor: 300, documentIds: ['U1'] });
    expect(usd.excludedMinor).toBe(0);
  });

  it('is empty when nothing is open', () => {
    expect(forecastCashIn([], today)).toEqual({ today, currencies: [] });
  });

  it('property: the 13 weeks plus later hold exactly the non-excluded open amounts of each currency', () => {
    const arbitraryItem = fc.record({
      documentId: fc.uuid(),
      currency: fc.constantFrom('EUR', 'USD', 'JPY'),
      openMinor: fc.integer({ min: -1_000_000, max: 100_000_000 }),
      dueOn: fc.integer({ min: -400, max: 400 }).map((offset) => addDays(today, offset)),
      customerAverageDelayDays: fc.option(fc.double({ min: -30, max: 200, noNaN: true })),
      promisedOn: fc.option(fc.integer({ min: -60, max: 200 }).map((offset) => addDays(today, offset))),
      disputeTypeResolutionDays: fc.option(fc.double({ min: 0, max: 120, noNaN: true })),
      isExcluded: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 40 }), (items) => {
        const forecast = forecastCashIn(items, today);
        for (const code of ['EUR', 'USD', 'JPY']) {
          const mine = items.filter((i) => i.currency === code);
          const row = forecast.currencies.find((c) => c.currency === code);
          const expected = mine.filter((i) => !i.isExcluded).reduce((s, i) => s + i.openMinor, 0);
          const excluded = mine.filter((i) => i.isExcluded).reduce((s, i) => s + i.openMinor, 0);
          if (!row) {
            expect(mine.every((i) => i.openMinor === 0)).toBe(true);
            continue;
          }
          expect(row.weeks.reduce((s, w) => s + w.amountMinor, 0) + row.laterMinor).toBe(expected);
          expect(row.excludedMinor).toBe(excluded);
          const listed = [...row.weeks.flatMap((w) => w.documentIds), ...row.laterDocumentIds];
          expect(listed.sort()).toEqual(mine.filter((i) => !i.isExcluded && i.openMinor !== 0).map((i) => i.documentId).sort());
        }
      }),
    );
  });
});
