import type { Config } from './config';
import type { Db, Engine } from './db/database';
import type { Mailer } from './mail/mailer';

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

/** What services need from the outside world, passed as arguments (no service locator). */
export type Deps = {
  config: Config;
  db: Db;
  engine: Engine;
  clock: Clock;
  mailer: Mailer;
};

export const nowIso = (clock: Clock) => clock.now().toISOString();
