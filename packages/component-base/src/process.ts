// The process edge every component binary shares: flags that cannot be parsed end the process with a message, and
// SIGTERM/SIGINT stop the component once before it exits.
import type { Logger } from 'pino';
import { FlagError } from './flags.js';

/** `parse()`'s flags; when it throws, prints the message and exits (0 for a FlagError asking for help, else 2). */
export function flagsOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return process.exit(e instanceof FlagError && e.help ? 0 : 2);
  }
}

export interface ShutdownOptions {
  /** Exit anyway this long after shutdown began, if `stop` has not finished (default: wait for it). */
  forceExitMs?: number;
}

/**
 * Stops the component on SIGTERM or SIGINT, and returns the same shutdown for other reasons (a lost lease). Only the
 * first call acts: it logs the reason, awaits `stop` and exits with `code`, or with 1 when stopping failed.
 */
export function exitOnSignals(logger: Logger, stop: () => Promise<unknown>, opts: ShutdownOptions = {}): (reason: string, code?: number) => void {
  let closing = false;
  const shutdown = (reason: string, code = 0): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal: reason }, 'shutting down');
    if (opts.forceExitMs !== undefined) setTimeout(() => process.exit(code), opts.forceExitMs).unref();
    stop().then(
      () => process.exit(code),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return shutdown;
}
