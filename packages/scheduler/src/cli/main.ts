#!/usr/bin/env node
// k8ts-scheduler: binds pending pods to nodes, as kube-scheduler does.
import { FlagError } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import { startSchedulerProcess } from '../scheduler-process.js';
import { parseFlags } from './flags.js';

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(e instanceof FlagError && e.help ? 0 : 2);
  }
  const logger = createLogger({ component: 'scheduler', level: flags.logLevel });
  const proc = await startSchedulerProcess(flags, logger);
  let closing = false;
  const shutdown = (signal: string, code: number): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(code), 10_000);
    force.unref();
    proc.stop().then(
      () => process.exit(code),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  // Like kube-scheduler: a replica that lost its lease exits and lets its supervisor restart it as a candidate.
  void proc.lostLeadership.then(() => shutdown('leadership lost', 1));
}

main().catch((e: unknown) => {
  process.stderr.write(`k8ts-scheduler: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
