import type { Db } from '../../db/database';
import type { ImportsTable } from '../../db/schema';

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export type ImportJob = {
  id: string;
  source: string;
  mode: 'delta' | 'snapshot';
  fileName: string;
  filePath: string | null;
  fileSha256: string | null;
  fileBytes: number | null;
  options: Record<string, unknown>;
  isDryRun: boolean;
  status: ImportStatus;
  rowsTotal: number;
  rowsDone: number;
  summary: unknown;
  error: string | null;
  createdBy: string | null;
  createdByLabel: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function rowToJob(r: ImportsTable): ImportJob {
  return {
    id: r.id,
    source: r.source,
    mode: r.mode as ImportJob['mode'],
    fileName: r.file_name,
    filePath: r.file_path,
    fileSha256: r.file_sha256,
    fileBytes: r.file_bytes,
    options: JSON.parse(r.options_json),
    isDryRun: !!r.is_dry_run,
    status: r.status as ImportStatus,
    rowsTotal: r.rows_total,
    rowsDone: r.rows_done,
    summary: r.summary_json ? JSON.parse(r.summary_json) : null,
    error: r.error,
    createdBy: r.created_by,
    createdByLabel: r.created_by_label,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function insertJob(db: Db, tenantId: string, j: ImportJob): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      id: j.id, tenant_id: tenantId, source: j.source, mode: j.mode, file_name: j.fileName, file_path: j.filePath, file_sha256: j.fileSha256,
      file_bytes: j.fileBytes, options_json: JSON.stringify(j.options), is_dry_run: j.isDryRun ? 1 : 0, status: j.status, rows_total: 0, rows_done: 0,
      summary_json: null, error: null, created_by: j.createdBy, created_by_label: j.createdByLabel, created_at: j.createdAt, started_at: null, finished_at: null,
      lease_until: null, attempts: 0,
    })
    .execute();
}

export async function findJob(db: Db, tenantId: string, id: string): Promise<ImportJob | undefined> {
  const r = await db.selectFrom('imports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return r ? rowToJob(r) : undefined;
}

export async function listJobs(db: Db, tenantId: string, limit: number, offset: number): Promise<ImportJob[]> {
  const rows = await db.selectFrom('imports').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map(rowToJob);
}

/** How long a claim holds without renewal, and how often the running process renews it. */
export const LEASE_MS = 60_000;
export const HEARTBEAT_MS = 15_000;
/** Claims per job: a job whose process died this many times is failed, never requeued forever. */
export const MAX_ATTEMPTS = 3;

const leaseEnd = (at: string) => new Date(Date.parse(at) + LEASE_MS).toISOString();

/**
 * Claims a job atomically: queued, or running under an expired lease (its process died: its writes, one
 * transaction, were rolled back). Of two workers racing, one update matches. Each claim counts an attempt.
 */
export async function claimJob(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set((eb) => ({ status: 'running', started_at: at, lease_until: leaseEnd(at), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', MAX_ATTEMPTS)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)])])]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Renews this process's lease on a running job; false if it is no longer ours to run. */
export async function renewLease(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('imports').set({ lease_until: leaseEnd(at) }).where('id', '=', id).where('status', '=', 'running').execute();
}

/** The next job to claim: queued, or abandoned by a dead process with attempts left. */
export async function nextQueuedJob(db: Db, at: string = new Date().toISOString()): Promise<{ id: string; tenant_id: string } | undefined> {
  return db
    .selectFrom('imports')
    .select(['id', 'tenant_id'])
    .where('attempts', '<', MAX_ATTEMPTS)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)])])]))
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Running jobs whose process died on their last attempt: to be failed with their reason. */
export async function exhaustedJobs(db: Db, at: string) {
  return db
    .selectFrom('imports')
    .select(['id', 'options_json', 'attempts'])
    .where('status', '=', 'running')
    .where('attempts', '>=', MAX_ATTEMPTS)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .execute();
}

/** Fails an exhausted job, only if its lease is still expired (no process took it meanwhile). */
export async function failExhausted(db: Db, id: string, summary: unknown, at: string): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set({ status: 'failed', summary_json: JSON.stringify(summary), error: 'interrupted', finished_at: at, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setProgress(db: Db, id: string, rowsDone: number, rowsTotal: number): Promise<void> {
  await db.updateTable('imports').set({ rows_done: rowsDone, rows_total: rowsTotal }).where('id', '=', id).execute();
}

export async function finishJob(db: Db, id: string, status: 'succeeded' | 'failed', summary: unknown, error: string | null, at: string): Promise<void> {
  await db.updateTable('imports').set({ status, summary_json: summary ? JSON.stringify(summary) : null, error, finished_at: at, lease_until: null }).where('id', '=', id).execute();
}

export async function findSavedMapping(db: Db, tenantId: string, source: string): Promise<Record<string, string> | undefined> {
  const r = await db.selectFrom('import_mappings').select('mapping_json').where('tenant_id', '=', tenantId).where('source', '=', source).executeTakeFirst();
  return r ? JSON.parse(r.mapping_json) : undefined;
}

export async function saveMapping(db: Db, tenantId: string, source: string, mapping: Record<string, string>, at: string): Promise<void> {
  await db.deleteFrom('import_mappings').where('tenant_id', '=', tenantId).where('source', '=', source).execute();
  await db.insertInto('import_mappings').values({ tenant_id: tenantId, source, mapping_json: JSON.stringify(mapping), updated_at: at }).execute();
}
