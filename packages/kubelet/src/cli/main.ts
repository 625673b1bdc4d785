#!/usr/bin/env node
// k8ts-kubelet: registers this machine as a Node and runs the pods bound to it as Docker containers.
import { exitOnSignals, flagsOrExit } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import { startKubelet } from '../kubelet.js';
import { startHollowKubelet } from '../hollow/hollow-kubelet.js';
import { parseFlags } from './flags.js';

async function main(): Promise<void> {
  const flags = flagsOrExit(() => parseFlags(process.argv.slice(2)));
  const logger = createLogger({ component: 'kubelet', level: flags.logLevel });
  const kubelet = flags.runtime === 'hollow' ? await startHollowKubelet(flags, logger) : await startKubelet(flags, logger);
  // Pods keep running: a kubelet restart adopts them.
  exitOnSignals(logger, () => kubelet.stop(), { forceExitMs: 10_000 });
}

main().catch((e: unknown) => {
  process.stderr.write(`k8ts-kubelet: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
