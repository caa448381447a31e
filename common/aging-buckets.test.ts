import { describe, expect, it } from 'vitest';
import { bucketLabel, bucketsFromUpperBounds, canonicalBucketKey, keyMatchesBounds, upperBoundsOf } from './aging-buckets';
import { RESOURCES } from './locales/catalogue';

const t = (lang: 'en' | 'fr') => (key: string, o?: Record<string, unknown>) => {
  const text = key.split('.').reduce<any>((node, k) => node?.[k], RESOURCES[lang].reports) as string;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => String(o?.[name]));
};

describe('aging bucket keys and labels', () => {
  it('generate readable keys from the last day of each overdue bucket, the way the settings editor does', () => {
    const buckets = bucketsFromUpperBounds([60, 15, 30, 90, 30, 0]);
    expect(buckets.map((b) => b.key)).toEqual(['notDue', '1-15', '16-30', '31-60', '61-90', 'over90']);
    expect(buckets[2]).toEqual({ key: '16-30', fromDays: 16, toDays: 30 });
    expect(upperBoundsOf(buckets)).toEqual([15, 30, 60, 90]);
    expect(bucketsFromUpperBounds([]).map((b) => b.key)).toEqual(['notDue', 'over0']);
  });

  it('read bounds back only from buckets of the editor’s shape', () => {
    expect(upperBoundsOf([{ key: 'current', fromDays: null, toDays: 0 }, { key: 'late', fromDays: 1, toDays: null }])).toBeUndefined();
    expect(canonicalBucketKey({ fromDays: 91, toDays: null })).toBe('over90');
  });

  it('a key that reads as days must cover those days; the company’s own names say nothing about days', () => {
    expect(keyMatchesBounds('1-15', { fromDays: 1, toDays: 15 })).toBe(true);
    expect(keyMatchesBounds('1-15', { fromDays: 1, toDays: 30 })).toBe(false);
    expect(keyMatchesBounds('over60', { fromDays: 61, toDays: null })).toBe(true);
    expect(keyMatchesBounds('over60', { fromDays: 31, toDays: null })).toBe(false);
    expect(keyMatchesBounds('notDue', { fromDays: 1, toDays: 30 })).toBe(false);
    expect(keyMatchesBounds('Relance 2', { fromDays: 1, toDays: 30 })).toBe(true);
  });

  it('label shipped keys with their translation, generated ones with placeholders, own names as typed', () => {
    expect(['notDue', '1-15', '16-30', 'over60', 'Relance 2'].map((k) => bucketLabel(t('en'), k))).toEqual(['Not due', '1–15 days', '16–30 days', 'Over 60 days', 'Relance 2']);
    expect(bucketLabel(t('fr'), '16-30')).toBe('16 à 30 jours');
    expect(bucketLabel(t('fr'), 'over60')).toBe('Plus de 60 jours');
  });
});
