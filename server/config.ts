import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The environment of CONTRACTS.md, parsed once at start. Nothing else reads process.env: a wrong value stops the
 * process with a message naming the variable, before anything listens or migrates.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave unset for SQLite in DATA_DIR)')
    .optional(),
  BACKUP_DIR: z.string().min(1).default('./backups'),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SCHEDULER: booleanString.default(true),
  WEB: booleanString.default(true),
  DEMO_SEED: booleanString.optional(),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
  TRUST_PROXY: booleanString.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Sessions end after this much inactivity, and in any case after SESSION_ABSOLUTE_HOURS. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** Base delay added to a login answer after the third failure for an email (doubles each time, capped at 16×). */
  LOGIN_SLOWDOWN_MS: z.coerce.number().int().min(0).max(10_000).default(250),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  backupDir: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  secretKey: string;
  scheduler: boolean;
  web: boolean;
  /** Seed the demo company (published password) on an empty database: DEMO_SEED, else only for a plain trial. */
  demoSeed: boolean;
  tls: { cert: string; key: string } | undefined;
  trustProxy: boolean;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginSlowdownMs: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (a common docker-compose artefact), not an invalid value.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.TLS_CERT && !e.TLS_KEY) || (!e.TLS_CERT && e.TLS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  TLS_CERT and TLS_KEY must be set together');
  }
  // Cookies are Secure and links must not send their tokens in clear: with TLS on, links in emails are https.
  if (e.TLS_CERT && e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://')) {
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL must start with https:// when TLS_CERT/TLS_KEY are set');
  }
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `${e.TLS_CERT ? 'https' : 'http'}://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    backupDir: resolve(e.BACKUP_DIR),
    publicUrl,
    smtpUrl: e.SMTP_URL,
    secretKey: e.SECRET_KEY ?? readOrCreateSecretKey(dataDir),
    scheduler: e.SCHEDULER,
    web: e.WEB,
    demoSeed: e.DEMO_SEED ?? isTrialStart(e),
    tls: e.TLS_CERT && e.TLS_KEY ? { cert: readFileSync(e.TLS_CERT, 'utf8'), key: readFileSync(e.TLS_KEY, 'utf8') } : undefined,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    loginSlowdownMs: e.LOGIN_SLOWDOWN_MS,
  };
}

/**
 * A start is plainly a trial when nothing says production: SQLite (no DATABASE_URL), no TLS, and links pointing at
 * this machine (PUBLIC_URL unset or localhost). Only then is the demo owner, whose password is in the README, seeded
 * without DEMO_SEED=true.
 */
function isTrialStart(e: { DATABASE_URL?: string; TLS_CERT?: string; PUBLIC_URL?: string }): boolean {
  if (e.DATABASE_URL || e.TLS_CERT) return false;
  if (!e.PUBLIC_URL) return true;
  const host = new URL(e.PUBLIC_URL).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** SECRET_KEY defaults to a random key generated once into DATA_DIR (mode 0600), so a restart keeps it. */
function readOrCreateSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

/** Describes the configuration for logs without any secret (passwords in URLs are masked). */
export function describeConfig(c: Config) {
  return {
    port: c.port,
    host: c.host,
    dataDir: c.dataDir,
    database: c.databaseUrl ? maskUrl(c.databaseUrl) : `sqlite:${join(c.dataDir, 'dso.sqlite')}`,
    smtp: c.smtpUrl ? maskUrl(c.smtpUrl) : 'outbox',
    publicUrl: c.publicUrl,
    scheduler: c.scheduler,
    web: c.web,
  };
}

export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '***';
  }
}
