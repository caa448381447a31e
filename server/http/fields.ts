import { z } from 'zod';
import { LANGUAGES } from '../../common/languages';
import { ROLES } from '../../common/roles';
import { isActiveCurrency } from '../domain/currencies';
import { MAX_AMOUNT_MINOR } from '../domain/money';
import { isSupportedDate, MAX_SUPPORTED_DATE, MIN_SUPPORTED_DATE } from '../domain/calendar';
import { invalidField } from './errors';

/** Field schemas shared by every module; custom issues carry the errors:field.* key the handler translates. */
export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordField = z.string().min(1).max(256);
export const languageField = z.enum(LANGUAGES, { error: () => ({ message: 'invalidLanguage' }) });
export const roleField = z.enum(ROLES);

const knownTimeZones = new Set(Intl.supportedValuesOf('timeZone'));
knownTimeZones.add('UTC');
export const timeZoneField = z.string().refine((v) => knownTimeZones.has(v), { params: { key: 'invalidTimeZone' } });
export const currencyField = z
  .string()
  .length(3)
  .refine((v) => isActiveCurrency(v), { params: { key: 'invalidCurrency' } });
/**
 * The one validator of calendar dates (CONTRACTS.md: fields ending in `On`, and `asOf`): an existing day written
 * YYYY-MM-DD inside the supported range. A pattern alone let 2026-02-31 in, and 0001-01-01 crashed the reports.
 */
export const isoDateField = z
  .string()
  .refine((v) => isSupportedDate(v), { params: { key: 'invalidDate', min: MIN_SUPPORTED_DATE, max: MAX_SUPPORTED_DATE } });
/**
 * An amount in minor units, signed, at most MAX_AMOUNT_MINOR either way (domain/money.ts): with the company totals
 * check (documents/amount-bounds.ts) it keeps every balance and report sum a safe integer.
 */
export const amountMinorField = z.number().int().min(-MAX_AMOUNT_MINOR).max(MAX_AMOUNT_MINOR);
export const idParam = z.strictObject({ id: z.string().min(1).max(100) });

/** Opaque list cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    /* fall through */
  }
  throw invalidField('query.cursor', 'invalidValue');
}
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
