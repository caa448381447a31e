import type { Config } from './config';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { systemClock, type Deps } from './deps';
import { createMailer } from './mail/mailer';

/** Opens the configured database, applies pending migrations and wires the mailer: shared by the server and CLI. */
export async function openDeps(config: Config, opts: { migrate?: boolean } = {}): Promise<Deps & { close: () => Promise<void>; applied: string[] }> {
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = opts.migrate === false ? [] : await migrateToLatest(handle.db);
  const mailer = createMailer(handle.db, config.smtpUrl);
  return {
    config,
    db: handle.db,
    engine: handle.engine,
    clock: systemClock,
    mailer,
    applied,
    close: async () => {
      mailer.close();
      await handle.close();
    },
  };
}
