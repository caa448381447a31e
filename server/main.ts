import { buildApp, LOG_REDACT } from './app';
import { openDeps } from './bootstrap';
import { ConfigError, describeConfig, loadConfig } from './config';
import { installProcessGuards } from './http/process-guards';
import { DEMO_LOGIN, isDatabaseEmpty, seedDemoCompany } from './modules/demo/demo.seed';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(2);
    }
    throw err;
  }
  const deps = await openDeps(config);
  const app = await buildApp(deps, { logger: { level: config.logLevel, redact: LOG_REDACT } });
  installProcessGuards(app.log);
  app.log.info({ config: describeConfig(config), migrationsApplied: deps.applied }, 'starting');

  // Only a trial start (or DEMO_SEED=true) seeds the demo owner, whose password is published (config.ts).
  if (config.demoSeed && (await isDatabaseEmpty(deps.db))) {
    const demo = await seedDemoCompany(deps);
    app.log.info({ tenantId: demo.tenantId, email: demo.email }, 'seeded the demo company');
    process.stderr.write(
      `\n  Demo company "Demo Industries" is ready.\n  Log in at ${config.publicUrl} with ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}\n\n`,
    );
  }

  if (config.web) {
    await app.listen({ port: config.port, host: config.host });
  }

  // Graceful shutdown: stop accepting, finish in-flight requests, close the database, exit.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
