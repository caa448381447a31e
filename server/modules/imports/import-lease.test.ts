import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startImportWorker } from '../../jobs/import-worker';
import { createTestApp, describeEachEngine, type TestApp } from '../../test/test-app';
import { LEASE_MS, MAX_ATTEMPTS } from './imports.repository';

const CSV = 'customerCode,documentType,number,issuedOn,currency,amount\nL1,invoice,L-1,2026-01-01,EUR,10\n';

/** The real worker against jobs a process left behind: a dead one (lease expired) or a live one (lease fresh). */
describeEachEngine('import job leases', (engine) => {
  let t: TestApp;
  let tenantId: string;
  let file: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    tenantId = randomUUID();
    const now = new Date().toISOString();
    await t.deps.db.insertInto('tenants').values({
      id: tenantId, slug: `lease-${tenantId.slice(0, 8)}`, name: 'Lease Co', legal_id: null, vat_id: null, address_line1: null, address_line2: null, postal_code: null,
      city: null, country: null, time_zone: 'UTC', default_language: 'en', base_currency: 'EUR', payment_terms_days: 30, aging_buckets_json: null, created_at: now, updated_at: now,
    }).execute();
    mkdirSync(join(t.deps.config.dataDir, 'imports'), { recursive: true });
    file = join(t.deps.config.dataDir, 'imports', 'lease.csv');
    writeFileSync(file, CSV);
  });
  afterAll(async () => t.close());

  const job = async (status: string, leaseAgoMs: number | null, attempts: number) => {
    const id = randomUUID();
    const now = Date.now();
    await t.deps.db.insertInto('imports').values({
      id, tenant_id: tenantId, source: 'lease', mode: 'delta', file_name: 'lease.csv', file_path: file, file_sha256: null, file_bytes: CSV.length,
      options_json: JSON.stringify({ source: 'lease', mode: 'delta', dryRun: true, skipInvalid: false, language: 'fr' }), is_dry_run: 1, status, rows_total: 0, rows_done: 0,
      summary_json: null, error: null, created_by: null, created_by_label: 'test', created_at: new Date(now - 1000).toISOString(), started_at: null, finished_at: null,
      lease_until: leaseAgoMs === null ? null : new Date(now - leaseAgoMs).toISOString(), attempts,
    }).execute();
    return id;
  };
  const row = (id: string) => t.deps.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const runWorker = async () => {
    const worker = startImportWorker(t.deps, { poll: false });
    worker.kick();
    await worker.idle();
    await worker.stop();
  };

  it('takes over a job whose process died (lease expired), counting the attempt', async () => {
    const id = await job('running', 1000, 1);
    await runWorker();
    expect(await row(id)).toMatchObject({ status: 'succeeded', attempts: 2, lease_until: null });
  });

  it('never takes a job a live process holds (fresh lease)', async () => {
    const id = await job('running', -LEASE_MS / 2, 1);
    await runWorker();
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 1 });
    await t.deps.db.deleteFrom('imports').where('id', '=', id).execute();
  });

  it(`fails a job that died ${MAX_ATTEMPTS} times with its reason, in the user language, instead of retrying it`, async () => {
    const id = await job('running', 1000, MAX_ATTEMPTS);
    await runWorker();
    const r = await row(id);
    expect(r).toMatchObject({ status: 'failed', error: 'interrupted', attempts: MAX_ATTEMPTS });
    expect(JSON.parse(r.summary_json!).fileError.message).toMatch(/^L'import s'est arrêté 3 fois/);
  });

  it('a queued job is claimed once: of two workers racing, one runs it', async () => {
    const id = await job('queued', null, 0);
    const a = startImportWorker(t.deps, { poll: false });
    const b = startImportWorker(t.deps, { poll: false });
    a.kick();
    b.kick();
    await Promise.all([a.idle(), b.idle()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(await row(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
