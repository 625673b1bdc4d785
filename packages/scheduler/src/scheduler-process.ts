// The k8ts-scheduler process: informers feed the cache and the queue; the leader (or the only replica) runs the
// scheduling loop; timers flush the backoff queue, retry long-unschedulable pods and expire assumed pods; a small
// HTTP listener serves /healthz, /readyz and /metrics. This is the I/O edge around the pure core.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { appsv1, Namespace, Node, Pod, ReplicationController, Service } from '@k8ts/api-machinery';
import {
  bindPod,
  EventBroadcaster,
  KubeClient,
  LeaderElector,
  LeaseLock,
  objectOf,
  refs,
  SharedInformerFactory,
  type KubeObject,
  type SharedIndexInformer,
} from '@k8ts/client';
import { Registry, registerProcessMetrics, startComponentServer, type ComponentServer, type Logger } from '@k8ts/observability';
import { SchedulerCache } from './cache/scheduler-cache.js';
import type { SchedulerFlags } from './cli/flags.js';
import { conditionPatch } from './events-and-status.js';
import { EventHandlers } from './event-handlers.js';
import { podRef } from './framework/pod-info.js';
import { registerSchedulerMetrics } from './metrics.js';
import { defaultProfile } from './plugins/default-profile.js';
import { defaultSpreadSelector } from './plugins/default-spread-selector.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { Scheduler, type SchedulerApi } from './scheduler.js';

export interface SchedulerProcess {
  /** Port of the health/metrics listener (undefined when disabled). */
  readonly port: number | undefined;
  isLeader(): boolean;
  /** Stops scheduling, releases the lease if held, flushes events. */
  stop(): Promise<void>;
  /** Resolves when leadership was lost (the process should exit, as kube-scheduler does). */
  readonly lostLeadership: Promise<void>;
}

/** Pods in a terminal phase hold no resources; the scheduler does not watch them (as kube-scheduler). */
const NON_TERMINAL_PODS = 'status.phase!=Succeeded,status.phase!=Failed';

/** Informer callbacks with deletion tombstones unwrapped. */
function handle<T extends KubeObject>(informer: SharedIndexInformer<T>, on: { add(o: T): void; update(a: T, b: T): void; remove(o: T): void }): void {
  informer.addEventHandler({
    onAdd: (o) => on.add(o),
    onUpdate: (a, b) => on.update(a, b),
    onDelete: (o) => on.remove(objectOf(o)),
  });
}

export async function startSchedulerProcess(flags: SchedulerFlags, logger: Logger): Promise<SchedulerProcess> {
  const client = KubeClient.fromKubeconfig(flags.kubeconfig, { logger, userAgent: 'k8ts-scheduler' });
  const factory = new SharedInformerFactory(client, { logger });
  const nodes = factory.informerFor<Node>(refs.nodes);
  const pods = factory.informerFor<Pod>(refs.pods, { fieldSelector: NON_TERMINAL_PODS });
  const namespaces = factory.informerFor<Namespace>(refs.namespaces);
  const services = factory.informerFor<Service>(refs.services);
  const replicaSets = factory.informerFor<appsv1.ReplicaSet>(refs.replicaSets);
  const statefulSets = factory.informerFor<appsv1.StatefulSet>(refs.statefulSets);
  const replicationControllers = factory.informerFor<ReplicationController>(refs.replicationControllers);

  const profile = defaultProfile({
    schedulerName: flags.schedulerName,
    namespaceLabels: (ns) => namespaces.lister().get(ns)?.metadata?.labels,
    defaultSpreadSelector: defaultSpreadSelector({
      services: (ns) => services.lister().namespace(ns).list(),
      replicaSet: (ns, name) => replicaSets.lister().namespace(ns).get(name),
      statefulSet: (ns, name) => statefulSets.lister().namespace(ns).get(name),
      replicationController: (ns, name) => replicationControllers.lister().namespace(ns).get(name),
    }),
  });
  const registry = new Registry();
  registerProcessMetrics(registry);
  const cache = new SchedulerCache({ assumedPodTtlMs: flags.assumedPodTtlMs });
  const queue = new SchedulingQueue({
    podInitialBackoffMs: flags.podInitialBackoffMs,
    podMaxBackoffMs: flags.podMaxBackoffMs,
    podMaxInUnschedulablePodsDurationMs: flags.podMaxInUnschedulablePodsDurationMs,
    registeredEvents: profile.registeredEvents,
    onIncoming: (q, event) => metrics.queueIncomingPods.inc({ queue: q, event }),
  });
  const metrics = registerSchedulerMetrics(registry, { pending: () => queue.pendingCounts(), cache: () => cache.counts() });
  const broadcaster = new EventBroadcaster({ client, logger });
  const recorder = broadcaster.newRecorder({ component: flags.schedulerName });
  const podsApi = client.resource<Pod>(refs.pods);
  const api: SchedulerApi = {
    bind: (pod, nodeName) => bindPod(podsApi.namespace(pod.metadata?.namespace ?? ''), pod.metadata?.name ?? '', nodeName, { uid: pod.metadata?.uid }),
    setPodCondition: async (pod, condition) => {
      await podsApi.namespace(pod.metadata?.namespace ?? '').patchStatus(pod.metadata?.name ?? '', 'strategic', conditionPatch(condition));
    },
    recordEvent: (pod, type, reason, _action, note) => recorder.event(pod, type, reason, note),
    currentPod: (ns, name) => pods.lister().namespace(ns).get(name),
  };
  const scheduler = new Scheduler({ cache, queue, profiles: [profile], api, logger, metrics });
  const handlers = new EventHandlers(cache, queue, (pod) => scheduler.responsibleFor(pod));
  handle(nodes, { add: (n) => handlers.onNodeAdd(n), update: (a, b) => handlers.onNodeUpdate(a, b), remove: (n) => handlers.onNodeDelete(n) });
  handle(pods, { add: (p) => handlers.onPodAdd(p), update: (a, b) => handlers.onPodUpdate(a, b), remove: (p) => handlers.onPodDelete(p) });

  const identity = `${hostname()}_${randomUUID()}`;
  let elector: LeaderElector | undefined;
  registry.gauge('leader_election_master_status', 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.', ['name'], (g) =>
    g.set({ name: flags.leaseName }, !flags.leaderElect || elector?.isLeader() ? 1 : 0),
  );

  let server: ComponentServer | undefined;
  if (flags.securePort !== 0) {
    server = await startComponentServer({
      host: flags.bindAddress,
      port: flags.securePort,
      registry,
      liveness: { ping: () => true },
      readiness: { 'informer-sync': () => pods.hasSynced() && nodes.hasSynced() },
    });
    logger.info({ address: flags.bindAddress, port: server.port }, 'serving healthz and metrics');
  }

  factory.start();
  if (!(await factory.waitForCacheSync())) throw new Error('informer caches did not sync');
  logger.info({ nodes: cache.counts().nodes, pending: queue.pendingCounts() }, 'caches synced');

  const timers = [
    // Kubernetes flushes backoffQ every second; with shorter backoffs (tests) flush as often as the initial backoff.
    setInterval(() => queue.flushBackoffQCompleted(), Math.min(1000, flags.podInitialBackoffMs)),
    setInterval(() => queue.flushUnschedulablePodsLeftover(), Math.min(30_000, Math.max(100, flags.podMaxInUnschedulablePodsDurationMs / 2))),
    setInterval(() => {
      for (const pod of cache.cleanupExpiredAssumedPods()) logger.warn({ pod: podRef(pod) }, 'assumed pod expired: the binding was never observed');
    }, 1000),
  ];

  const stopping = new AbortController();
  let resolveLost: () => void = () => {};
  const lostLeadership = new Promise<void>((resolve) => (resolveLost = resolve));
  let electing: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  if (flags.leaderElect) {
    elector = new LeaderElector({
      lock: new LeaseLock(client, flags.leaseNamespace, flags.leaseName),
      identity,
      leaseDurationMs: flags.leaseDurationMs,
      renewDeadlineMs: flags.renewDeadlineMs,
      retryPeriodMs: flags.retryPeriodMs,
      releaseOnCancel: true,
      logger,
      callbacks: {
        onStartedLeading: (signal) => {
          logger.info({ identity }, 'leading: starting to schedule');
          running = scheduler.run();
          signal.addEventListener('abort', () => void scheduler.stop(), { once: true });
        },
        onStoppedLeading: () => {
          if (!stopping.signal.aborted) {
            logger.error({ identity }, 'leaderelection lost');
            resolveLost();
          }
        },
        onNewLeader: (leader) => {
          if (leader !== identity) logger.info({ leader }, 'new leader elected');
        },
      },
    });
    electing = elector.run(stopping.signal);
  } else {
    running = scheduler.run();
  }

  return {
    port: server?.port,
    isLeader: () => !flags.leaderElect || (elector?.isLeader() ?? false),
    lostLeadership,
    async stop() {
      stopping.abort();
      for (const t of timers) clearInterval(t);
      await scheduler.stop();
      await electing; // releases the lease when we held it
      await running;
      await broadcaster.shutdown(2000);
      await factory.stop();
      await server?.close();
      await client.close();
    },
  };
}
