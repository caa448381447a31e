import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/config';
import { openDatabase, type Engine } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import type { Deps } from '../server/deps';
import { createMailer } from '../server/mail/mailer';

/** A fresh, migrated database for one engine: a SQLite file in a temp dir, or a new schema in BENCH_DATABASE_URL. */
export async function benchDeps(engine: Engine): Promise<Deps & { dataDir: string; schema?: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dso-bench-'));
  const url = process.env.BENCH_DATABASE_URL;
  let schema: string | undefined;
  if (engine === 'postgres') {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const config = loadConfig({ DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' });
  const handle = openDatabase({ dataDir, databaseUrl: engine === 'postgres' ? url : undefined, pgSchema: schema, poolMax: 12 });
  await migrateToLatest(handle.db, schema);
  const mailer = createMailer(handle.db, undefined);
  return {
    config, db: handle.db, engine, clock: { now: () => new Date('2026-11-20T10:00:00Z') }, mailer, dataDir, schema,
    close: async () => {
      await handle.close();
      if (schema) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Samples the resident set size while `fn` runs; returns its result, the wall time and the peak RSS. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t0, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export type Result = { scenario: string; engine: Engine; metric: string; value: number; unit: string; baseline: number | null; ratio: number | null; goal: string; note?: string };
