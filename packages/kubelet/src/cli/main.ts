#!/usr/bin/env node
// k8ts-kubelet: registers this machine as a Node and runs the pods bound to it as Docker containers.
import { FlagError } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import { startKubelet } from '../kubelet.js';
import { startHollowKubelet } from '../hollow/hollow-kubelet.js';
import { parseFlags } from './flags.js';

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(e instanceof FlagError && e.help ? 0 : 2);
  }
  const logger = createLogger({ component: 'kubelet', level: flags.logLevel });
  const kubelet = flags.runtime === 'hollow' ? await startHollowKubelet(flags, logger) : await startKubelet(flags, logger);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Pods keep running: a kubelet restart adopts them.
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    kubelet.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`k8ts-kubelet: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
