import type { FastifyBaseLogger } from 'fastify';

/**
 * One process serves every company (issue 10): an error that escapes a request, a stream or a job must not end it.
 * An unhandled rejection or an uncaught exception is a bug to report (logged at `fatal` with its stack, counted),
 * not a reason to take every other company's requests down with it. Requests, streams and jobs each handle their
 * own errors; this is the net under them.
 */
export const escapedErrors = { unhandledRejections: 0, uncaughtExceptions: 0 };

export function installProcessGuards(log: FastifyBaseLogger) {
  process.on('unhandledRejection', (reason) => {
    escapedErrors.unhandledRejections += 1;
    log.fatal({ err: reason, kind: 'unhandledRejection' }, 'BUG: a promise rejected with no handler; the process keeps serving');
  });
  process.on('uncaughtException', (err, origin) => {
    escapedErrors.uncaughtExceptions += 1;
    log.fatal({ err, origin, kind: 'uncaughtException' }, 'BUG: an exception escaped every handler; the process keeps serving');
  });
}
