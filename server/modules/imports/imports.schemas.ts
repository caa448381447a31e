import { z } from 'zod';
import { IMPORT_FIELDS } from '../../imports/mapping';

/** `options` of POST /api/v1/imports (CONTRACTS.md), sent as a JSON string in the multipart form. */
export const importOptions = z.strictObject({
  mode: z.enum(['delta', 'snapshot']).default('delta'),
  source: z.string().trim().min(1).max(50).default('default'),
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.string().max(200)).optional(),
  sheet: z.string().max(100).optional(),
  dryRun: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  /** Overrides of the per-file detection. */
  numberFormat: z.enum(['comma', 'dot']).optional(),
  dateFormat: z.enum(['DMY', 'MDY', 'YMD']).optional(),
});
export type ImportOptions = z.infer<typeof importOptions>;
