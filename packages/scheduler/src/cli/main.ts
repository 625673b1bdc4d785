#!/usr/bin/env node
// k8ts-scheduler: binds pending pods to nodes, as kube-scheduler does.
import { exitOnSignals, flagsOrExit } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import { startSchedulerProcess } from '../scheduler-process.js';
import { parseFlags } from './flags.js';

async function main(): Promise<void> {
  const flags = flagsOrExit(() => parseFlags(process.argv.slice(2)));
  const logger = createLogger({ component: 'scheduler', level: flags.logLevel });
  const proc = await startSchedulerProcess(flags, logger);
  const shutdown = exitOnSignals(logger, () => proc.stop(), { forceExitMs: 10_000 });
  // Like kube-scheduler: a replica that lost its lease exits and lets its supervisor restart it as a candidate.
  void proc.lostLeadership.then(() => shutdown('leadership lost', 1));
}

main().catch((e: unknown) => {
  process.stderr.write(`k8ts-scheduler: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
