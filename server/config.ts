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
  demoSeed: boolean | undefined;
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
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    backupDir: resolve(e.BACKUP_DIR),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    secretKey: e.SECRET_KEY ?? readOrCreateSecretKey(dataDir),
    scheduler: e.SCHEDULER,
    web: e.WEB,
    demoSeed: e.DEMO_SEED,
    tls: e.TLS_CERT && e.TLS_KEY ? { cert: readFileSync(e.TLS_CERT, 'utf8'), key: readFileSync(e.TLS_KEY, 'utf8') } : undefined,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    loginSlowdownMs: e.LOGIN_SLOWDOWN_MS,
  };
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
