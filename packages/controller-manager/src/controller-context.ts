// What every controller gets from the controller-manager: one API client, one shared informer factory (so each
// collection is listed and watched once per process), an event recorder per controller, logging, metrics, a clock,
// and the timings the flags set.
import { Controller, type Clock, type EventRecorder, type KubeClient, type Reconciler, type SharedInformerFactory, type WorkQueueMetrics } from '@k8ts/client';
import type { Logger, Registry } from '@k8ts/observability';

/** Timings and knobs of the controllers (kube-controller-manager's flags; tests shorten them). */
export interface ControllerSettings {
  /** Workers per controller for the workload controllers (--concurrent-*-syncs). */
  concurrentSyncs: number;
  /** --node-monitor-grace-period: a node whose Lease is older than this goes Ready=Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** --node-monitor-period: how often node health is checked. */
  nodeMonitorPeriodMs: number;
  /** Toleration seconds added to pods for the not-ready/unreachable taints when they have none (300). */
  defaultNotReadyTolerationSeconds: number;
  /** --cluster-cidr and --node-cidr-mask-size for node IPAM, when --allocate-node-cidrs. */
  clusterCidr: string;
  nodeCidrMaskSize: number;
  allocateNodeCidrs: boolean;
  /** --terminated-pod-gc-threshold. */
  terminatedPodGcThreshold: number;
  /** k8ts --pod-gc-period: how often the pod GC runs (Kubernetes: 20 s, fixed). */
  podGcPeriodMs: number;
  /** k8ts --pod-gc-orphan-quarantine: how long a pod's Node must stay missing before the pod GC deletes it (40 s). */
  podGcOrphanQuarantineMs: number;
  /** --max-endpoints-per-slice. */
  maxEndpointsPerSlice: number;
  /** Where the hostPath provisioner of the `standard` StorageClass creates volumes. */
  hostPathProvisionerDir: string;
  /** k8ts --job-backoff-base / --job-backoff-max: a Job's pod failure backoff (10 s doubling, capped at 10 min). */
  jobBackoffBaseMs: number;
  jobBackoffMaxMs: number;
}

export const DEFAULT_SETTINGS: ControllerSettings = {
  concurrentSyncs: 5,
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  defaultNotReadyTolerationSeconds: 300,
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  allocateNodeCidrs: true,
  terminatedPodGcThreshold: 12_500,
  podGcPeriodMs: 20_000,
  podGcOrphanQuarantineMs: 40_000,
  maxEndpointsPerSlice: 100,
  hostPathProvisionerDir: '/var/lib/k8ts/volumes',
  jobBackoffBaseMs: 10_000,
  jobBackoffMaxMs: 600_000,
};

export interface ControllerContext {
  client: KubeClient;
  informers: SharedInformerFactory;
  /** A recorder reporting as `component` (e.g. "replicaset-controller"). */
  recorder(component: string): EventRecorder;
  logger: Logger;
  registry: Registry;
  workQueueMetrics: WorkQueueMetrics;
  clock: Clock;
  settings: ControllerSettings;
}

/** One controller of the manager, switchable with --controllers. */
export interface ControllerDescriptor {
  /** As in kube-controller-manager's --controllers list: "replicaset", "deployment", ... */
  name: string;
  enabledByDefault: boolean;
  /** Registers informers and handlers, then runs until `signal` aborts (after the factory was started). */
  start(ctx: ControllerContext, signal: AbortSignal): Promise<void>;
}

/** A work-queue controller wired to the manager's logger, metrics and clock (`workers` default 1). */
export function newController(ctx: ControllerContext, name: string, reconcile: Reconciler, workers = 1): Controller {
  return new Controller({ name, reconcile, workers, logger: ctx.logger, metrics: ctx.workQueueMetrics, clock: ctx.clock });
}
