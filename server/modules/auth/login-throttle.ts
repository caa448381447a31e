import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { AppError } from '../../http/errors';

/**
 * Failed-login counters, kept in the database so that every process and every parallel request sees one count.
 * An attempt takes its place in the counters *before* the password is checked (one upsert … RETURNING, atomic on
 * SQLite and PostgreSQL), so that 29 parallel guesses cannot all be checked against a limit of 10; a success gives
 * the place back. Two keys: the (account, address) pair — a guesser elsewhere cannot lock the real user out — and
 * the address alone with a much higher limit, so that one office behind a NAT is not blocked by one person.
 */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_PAIR = 10;
export const MAX_FAILURES_PER_IP = 100;

const pairKey = (email: string, ip: string) => `pair:${email.toLowerCase().slice(0, 254)} ${ip}`;
const ipKey = (ip: string) => `ip:${ip}`;

async function bump(db: Db, key: string, now: Date): Promise<{ failures: number; windowStart: string }> {
  const at = now.toISOString();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  // A window that has passed starts again at this attempt.
  const r = await db
    .insertInto('login_throttles')
    .values({ key, failures: 1, window_start: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttles.window_start < ${since} then 1 else login_throttles.failures + 1 end`,
        window_start: sql<string>`case when login_throttles.window_start < ${since} then ${at} else login_throttles.window_start end`,
      }),
    )
    .returning(['failures', 'window_start'])
    .executeTakeFirstOrThrow();
  return { failures: Number(r.failures), windowStart: r.window_start };
}

async function giveBack(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttles')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('key', '=', key)
    .execute();
}

export type ThrottleTicket = { succeeded(): Promise<void>; pairFailures: number };

/**
 * Takes a place for one password check by `email` from `ip`, or throws RATE_LIMITED (with the seconds until the
 * window ends) when the pair or the address is over its limit — then the password is never checked.
 */
export async function takeAttempt(db: Db, email: string, ip: string, now: Date): Promise<ThrottleTicket> {
  const pk = pairKey(email, ip);
  const ik = ipKey(ip);
  const pair = await bump(db, pk, now);
  const addr = await bump(db, ik, now);
  const over = pair.failures > MAX_FAILURES_PER_PAIR ? pair : addr.failures > MAX_FAILURES_PER_IP ? addr : null;
  if (over) {
    // A refused attempt is not a guess: it does not extend the count.
    await Promise.all([giveBack(db, pk), giveBack(db, ik)]);
    const seconds = Math.max(1, Math.ceil((Date.parse(over.windowStart) + THROTTLE_WINDOW_MS - now.getTime()) / 1000));
    throw new AppError('RATE_LIMITED', { seconds });
  }
  return {
    pairFailures: pair.failures - 1,
    async succeeded() {
      // The right password clears the pair; the address keeps only its failures.
      await db.deleteFrom('login_throttles').where('key', '=', pk).execute();
      await giveBack(db, ik);
    },
  };
}
