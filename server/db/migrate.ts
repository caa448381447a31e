import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database';
import * as m001 from './migrations/2026-11-26-001-foundation';
import * as m002 from './migrations/2026-11-26-002-ledger';
import * as m003 from './migrations/2026-11-26-003-balances-imports';
import * as m010 from './migrations/2026-11-26-010-reports-indexes';
import * as m011 from './migrations/2026-11-26-011-reports-open-indexes';
import * as m012 from './migrations/2026-11-26-012-reports-robust-indexes';
import * as m020 from './migrations/2026-11-26-020-document-numbers';
import * as m021 from './migrations/2026-11-26-021-aging-buckets';
import * as m022 from './migrations/2026-11-26-022-instalments';
import * as m023 from './migrations/2026-11-26-023-day-flows';
import * as m024 from './migrations/2026-11-26-024-balances-by-open';
import * as m025 from './migrations/2026-11-26-025-redundant-allocation-indexes';
import * as m026 from './migrations/2026-11-26-026-open-sums';
import * as m027 from './migrations/2026-12-07-027-amount-bounds';
import * as m028ij from './migrations/2026-12-07-028-import-jobs';
import * as mLedgerVersion from './migrations/2026-12-07-029-ledger-version';
import * as mAuthHardening from './migrations/2026-12-07-030-auth-hardening';

/** Ordered and frozen: names sort by date; a shipped migration is never edited, only followed by a new one. */
const migrations: Record<string, Migration> = {
  '2026-11-26-001-foundation': m001,
  '2026-11-26-002-ledger': m002,
  '2026-11-26-003-balances-imports': m003,
  '2026-11-26-010-reports-indexes': m010,
  '2026-11-26-011-reports-open-indexes': m011,
  '2026-11-26-012-reports-robust-indexes': m012,
  '2026-11-26-020-document-numbers': m020,
  '2026-11-26-021-aging-buckets': m021,
  '2026-11-26-022-instalments': m022,
  '2026-11-26-023-day-flows': m023,
  '2026-11-26-024-balances-by-open': m024,
  '2026-11-26-025-redundant-allocation-indexes': m025,
  '2026-11-26-026-open-sums': m026,
  '2026-12-07-027-amount-bounds': m027,
  '2026-12-07-028-import-jobs': m028ij,
  '2026-12-07-029-ledger-version': mLedgerVersion,
  '2026-12-07-030-auth-hardening': mAuthHardening,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `schema` names the PostgreSQL schema of the migration tables when it is not the default one: Kysely looks for them
 * across all schemas otherwise (tests run side by side in schemas of their own).
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
