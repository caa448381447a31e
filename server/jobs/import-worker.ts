import type { Deps } from '../deps';
import { nextQueuedJob } from '../modules/imports/imports.repository';
import { failExhaustedJobs, runImportJob } from '../modules/imports/imports.service';

export type ImportWorker = { kick(): void; stop(): Promise<void>; idle(): Promise<void> };

/**
 * Runs queued imports one at a time in this process. An accepted import is started at once (`kick`); with the
 * scheduler on, the worker also polls for jobs queued by other processes. Claims are atomic and leased: a job is
 * taken when queued or when its lease expired (its process died), never while another live process renews it;
 * a job that died MAX_ATTEMPTS times is failed with its reason instead of killing every next start.
 */
export function startImportWorker(deps: Deps, opts: { poll: boolean; intervalMs?: number }): ImportWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const drain = async () => {
    await failExhaustedJobs(deps).catch((err) => console.warn('failing exhausted imports failed', err));
    while (!stopped) {
      const next = await nextQueuedJob(deps.db, deps.clock.now().toISOString()).catch(() => undefined); // SQLITE_BUSY: next poll
      if (!next) return;
      try {
        await runImportJob(deps, next.tenant_id, next.id);
      } catch {
        // Claimed by another process between our read and our claim: look for the next one.
      }
    }
  };
  const kick = () => {
    if (stopped || running) return;
    running = drain().finally(() => {
      running = null;
    });
  };
  if (opts.poll) {
    kick();
    timer = setInterval(kick, opts.intervalMs ?? 2000);
    timer.unref();
  }
  return {
    kick,
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running;
    },
  };
}
