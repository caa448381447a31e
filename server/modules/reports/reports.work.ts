import { sql, type KyselyPlugin } from 'kysely';
import type { Db } from '../../db/database';
import type { Deps } from '../../deps';
import { todayInTimeZone } from '../../domain/calendar';
import { AppError } from '../../http/errors';

/**
 * How report work is run (issue 10: 50 connections on the dashboard left the server computing abandoned requests
 * and a one-row list waiting 47 s behind them):
 *
 * 1. **Cache** — a report depends only on what the company wrote, its settings and its "today". Results are kept
 *    per company under the company's ledger version (`ledger_versions`, moved by triggers on every table the reports
 *    read, migration 2026-12-07-029) and today's date. Every request reads the version (one primary-key lookup), so
 *    a write made by another process (the CLI, a second server) is seen at once: no in-process invalidation.
 * 2. **Single flight** — identical requests arriving while one computes wait for that computation.
 * 3. **Per-company bound** — at most `concurrency` computations per company, `queue` more waiting; beyond that
 *    503 REPORTS_BUSY with Retry-After, so one company cannot take every connection and the CPU from the others.
 * 4. **Cancellation** — a computation whose every waiting client went away is aborted: its database handle refuses
 *    to start another statement, and a queued one never starts.
 */

export class ReportAborted extends Error {
  constructor() {
    super('report abandoned: every client waiting for it went away');
    this.name = 'ReportAborted';
  }
}

/**
 * A Kysely plugin that refuses to start a statement once `signal` fired. Reports run their statements one after
 * another (or a few side by side), so the work stops at the next statement; a single statement is short (≤ 50 ms
 * on the benchmark ledger) and is left to finish.
 */
function abortPlugin(signal: AbortSignal): KyselyPlugin {
  return {
    transformQuery(args) {
      if (signal.aborted) throw new ReportAborted();
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

/** A database handle whose statements stop starting once `signal` fired. */
export const abortableDb = (db: Db, signal: AbortSignal): Db => db.withPlugin(abortPlugin(signal));

/**
 * Promise.all over functions rather than promises: each starts inside an async function, so a synchronous throw —
 * in a function or while computing its arguments — becomes that function's rejection, and Promise.all handles every
 * sibling's. With `Promise.all([a(), b(x(y))])`, a throw in `x` left `a()`'s promise to reject unhandled, which ends
 * the process (`GET /reports/dashboard?asOf=0001-01-01`).
 */
export function allOf<T extends readonly (() => unknown)[]>(...fns: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  return Promise.all(fns.map(async (fn) => fn())) as Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
}

type Flight = { promise: Promise<unknown>; waiters: number; abandon: () => void };
type Waiter = { start: () => void; reject: (err: unknown) => void; signal: AbortSignal };
type TenantState = { version: number; today: string; results: Map<string, unknown>; flights: Map<string, Flight>; running: number; waiting: Waiter[] };

export type ReportWorkLimits = { concurrency: number; queue: number; retryAfterSeconds: number; maxTenants: number; maxResultsPerTenant: number };
/**
 * Two computations per company: the machine this is measured on has two cores, and on SQLite a statement holds the
 * event loop anyway. Sixteen waiting: identical requests share one computation, so the queue holds distinct
 * questions; more than that at once is a burst the company can retry.
 */
export const DEFAULT_LIMITS: ReportWorkLimits = { concurrency: 2, queue: 16, retryAfterSeconds: 2, maxTenants: 200, maxResultsPerTenant: 64 };

export class ReportWork {
  readonly stats = { computed: 0, cacheHits: 0, joined: 0, aborted: 0, refused: 0, queued: 0 };
  private readonly tenants = new Map<string, TenantState>();

  constructor(
    private readonly deps: Deps,
    readonly limits: ReportWorkLimits = { ...DEFAULT_LIMITS },
  ) {}

  /** Waiting computations of a company (tests, diagnostics). */
  queueLength = (tenantId: string) => this.tenants.get(tenantId)?.waiting.length ?? 0;

  /**
   * The result of `compute` for (company, key): from the cache when nothing the reports read changed since it was
   * computed, else shared with an identical computation in flight, else computed within the company's bound.
   * `signal` is this caller's: when it fires the caller stops waiting (ReportAborted), and the computation is
   * aborted once no caller waits for it.
   */
  async run<T>(tenantId: string, key: string, signal: AbortSignal, compute: (deps: Deps) => Promise<T>, opts: { cache?: boolean } = {}): Promise<T> {
    if (signal.aborted) throw new ReportAborted();
    const { version, today } = await this.readVersion(tenantId);
    const state = this.stateOf(tenantId, version, today);
    const cache = opts.cache !== false;
    if (cache && state.results.has(key)) {
      this.stats.cacheHits++;
      const value = state.results.get(key) as T;
      // Least recently used last: eviction takes the first.
      state.results.delete(key);
      state.results.set(key, value);
      return value;
    }
    const flightKey = `${version}\u0000${key}`;
    let flight = state.flights.get(flightKey);
    if (flight) this.stats.joined++;
    else {
      const controller = new AbortController();
      const deps = { ...this.deps, db: abortableDb(this.deps.db, controller.signal) };
      const promise = this.bounded(state, controller.signal, () => compute(deps)).then((value) => {
        this.stats.computed++;
        // Stored under the version read before computing: a write meanwhile moved it, and the next request misses.
        if (cache && state.version === version) this.store(state, key, value);
        return value;
      });
      const forget = () => state.flights.get(flightKey) === flight && state.flights.delete(flightKey);
      // Abandoned: a request arriving now must start afresh, not join work that is being stopped.
      flight = { promise, waiters: 0, abandon: () => (forget(), controller.abort()) };
      promise.then(forget, forget);
      state.flights.set(flightKey, flight);
    }
    return this.wait(flight, signal) as Promise<T>;
  }

  /** Waits for a flight on behalf of one caller; the last caller to leave aborts it. */
  private wait(flight: Flight, signal: AbortSignal): Promise<unknown> {
    flight.waiters++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        flight.waiters--;
        if (flight.waiters === 0) {
          this.stats.aborted++;
          flight.abandon();
        }
        reject(new ReportAborted());
      };
      signal.addEventListener('abort', leave, { once: true });
      flight.promise.then(
        (value) => (signal.removeEventListener('abort', leave), resolve(value)),
        (err) => (signal.removeEventListener('abort', leave), reject(err)),
      );
    });
  }

  /** Runs `fn` within the company's concurrency, after the computations queued before it; refuses beyond the queue. */
  private async bounded<T>(state: TenantState, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (state.running >= this.limits.concurrency) {
      if (state.waiting.length >= this.limits.queue) {
        this.stats.refused++;
        throw new AppError('REPORTS_BUSY', { seconds: this.limits.retryAfterSeconds });
      }
      this.stats.queued++;
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          start: () => (signal.removeEventListener('abort', drop), resolve()),
          reject,
          signal,
        };
        // Abandoned while queued: leave the queue, never start.
        const drop = () => {
          state.waiting = state.waiting.filter((w) => w !== waiter);
          reject(new ReportAborted());
        };
        signal.addEventListener('abort', drop, { once: true });
        state.waiting.push(waiter);
      });
    }
    state.running++;
    try {
      if (signal.aborted) throw new ReportAborted();
      return await fn();
    } finally {
      state.running--;
      state.waiting.shift()?.start();
    }
  }

  /**
   * The company's ledger version and today's date in its time zone, in one statement. A company without a version
   * row has never written to its ledger (0); an unknown company gets -1 and its report answers 404 as before.
   */
  private async readVersion(tenantId: string): Promise<{ version: number; today: string }> {
    const row = await sql<{ time_zone: string; version: number | string | null }>`
      select t.time_zone, v.version from tenants t left join ledger_versions v on v.tenant_id = t.id where t.id = ${tenantId}`.execute(this.deps.db);
    const r = row.rows[0];
    if (!r) return { version: -1, today: '' };
    return { version: Number(r.version ?? 0), today: todayInTimeZone(this.deps.clock.now(), r.time_zone) };
  }

  private stateOf(tenantId: string, version: number, today: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (state) this.tenants.delete(tenantId);
    else {
      state = { version, today, results: new Map(), flights: new Map(), running: 0, waiting: [] };
      // Companies not asked for longest go first; their running work keeps its own state object.
      if (this.tenants.size >= this.limits.maxTenants) this.tenants.delete(this.tenants.keys().next().value!);
    }
    this.tenants.set(tenantId, state);
    if (state.version !== version || state.today !== today) {
      // Something the reports read changed (or the day did): nothing cached for this company holds any more.
      state.results.clear();
      state.version = version;
      state.today = today;
    }
    return state;
  }

  private store(state: TenantState, key: string, value: unknown) {
    state.results.delete(key);
    if (state.results.size >= this.limits.maxResultsPerTenant) state.results.delete(state.results.keys().next().value!);
    state.results.set(key, value);
  }
}
