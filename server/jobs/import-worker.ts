import type { Deps } from '../deps';
import { nextQueuedJob, requeueInterrupted } from '../modules/imports/imports.repository';
import { runImportJob } from '../modules/imports/imports.service';

export type ImportWorker = { kick(): void; stop(): Promise<void>; idle(): Promise<void> };

/**
 * Runs queued imports one at a time in this process. An accepted import is started at once (`kick`); with the
 * scheduler on, the worker also polls for jobs queued by other processes and resumes jobs a crash interrupted.
 * Claims are atomic (status queued → running), so two processes never run the same import.
 */
export function startImportWorker(deps: Deps, opts: { poll: boolean; intervalMs?: number }): ImportWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const drain = async () => {
    while (!stopped) {
      const next = await nextQueuedJob(deps.db);
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
    void requeueInterrupted(deps.db).then(kick);
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
