#!/usr/bin/env node
// k8ts-controller-manager: the controllers of kube-controller-manager as one leader-elected process.
import { KubeClient } from '@k8ts/client';
import { exitOnSignals, flagsOrExit, leaderElectionFrom, logLevelOf, runComponent } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import type { ControllerSettings } from '../controller-context.js';
import { runControllers } from '../controller-manager.js';
import { selectControllers } from '../controllers/index.js';
import { parseControllerManagerFlags, type ControllerManagerFlags } from './flags.js';

function settingsFrom(f: ControllerManagerFlags): ControllerSettings {
  return {
    concurrentSyncs: Math.max(1, f['concurrent-syncs']),
    nodeMonitorGracePeriodMs: f['node-monitor-grace-period'],
    nodeMonitorPeriodMs: f['node-monitor-period'],
    defaultNotReadyTolerationSeconds: f['default-not-ready-toleration-seconds'],
    clusterCidr: f['cluster-cidr'],
    nodeCidrMaskSize: f['node-cidr-mask-size'],
    allocateNodeCidrs: f['allocate-node-cidrs'],
    terminatedPodGcThreshold: f['terminated-pod-gc-threshold'],
    podGcPeriodMs: f['pod-gc-period'],
    podGcOrphanQuarantineMs: f['pod-gc-orphan-quarantine'],
    maxEndpointsPerSlice: Math.max(1, f['max-endpoints-per-slice']),
    hostPathProvisionerDir: f['host-path-provisioner-dir'],
    jobBackoffBaseMs: f['job-backoff-base'],
    jobBackoffMaxMs: f['job-backoff-max'],
  };
}

async function main(): Promise<void> {
  const flags = flagsOrExit(() => parseControllerManagerFlags(process.argv.slice(2)));
  const logger = createLogger({ component: 'kube-controller-manager', level: logLevelOf(flags) });
  const controllers = selectControllers(flags.controllers);
  const settings = settingsFrom(flags);
  const client = KubeClient.fromKubeconfig(flags.kubeconfig || undefined);
  const component = await runComponent({
    name: 'kube-controller-manager',
    client,
    logger,
    bindAddress: flags['bind-address'],
    port: flags['secure-port'],
    leaderElection: leaderElectionFrom(flags),
    work: ({ registry, signal }) => runControllers({ client, logger, registry, controllers, settings, signal }),
  });
  logger.info({ port: component.port, identity: component.identity, controllers: controllers.map((c) => c.name) }, 'controller-manager started');
  const shutdown = exitOnSignals(logger, () => component.stop().then(() => client.close()));
  const outcome = await component.done;
  // A replica that lost its lease exits and lets its supervisor restart it as a candidate (a signal got here first
  // when the stop was ours: shutdown then does nothing).
  if (outcome === 'lost') shutdown('leader election lost', 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`k8ts-controller-manager: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
