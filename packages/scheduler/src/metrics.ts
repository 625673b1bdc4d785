// kube-scheduler's core metrics, under their Kubernetes names.
import { LATENCY_BUCKETS, type Counter, type Gauge, type Histogram, type Registry } from '@k8ts/observability';

export interface SchedulerMetrics {
  /** result: scheduled | unschedulable | error. */
  scheduleAttempts: Counter;
  attemptDuration: Histogram;
  /** Attempts a pod needed until it was scheduled. */
  podSchedulingAttempts: Histogram;
  /** From first entering the queue to bound. */
  podSchedulingDuration: Histogram;
  queueIncomingPods: Counter;
  pendingPods: Gauge;
  cacheSize: Gauge;
}

export function registerSchedulerMetrics(
  registry: Registry,
  sources: { pending: () => Record<string, number>; cache: () => { nodes: number; pods: number; assumedPods: number } },
): SchedulerMetrics {
  return {
    scheduleAttempts: registry.counter(
      'scheduler_schedule_attempts_total',
      'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.',
      ['result', 'profile'],
    ),
    attemptDuration: registry.histogram('scheduler_scheduling_attempt_duration_seconds', 'Scheduling attempt latency in seconds (scheduling algorithm + binding)', ['result', 'profile'], LATENCY_BUCKETS),
    podSchedulingAttempts: registry.histogram('scheduler_pod_scheduling_attempts', 'Number of attempts to successfully schedule a pod.', [], [1, 2, 4, 8, 16]),
    podSchedulingDuration: registry.histogram(
      'scheduler_pod_scheduling_duration_seconds',
      'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
      ['attempts'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    ),
    queueIncomingPods: registry.counter('scheduler_queue_incoming_pods_total', 'Number of pods added to scheduling queues by event and queue type.', ['queue', 'event']),
    pendingPods: registry.gauge('scheduler_pending_pods', "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.", ['queue'], (g) => {
      for (const [queue, n] of Object.entries(sources.pending())) g.set({ queue }, n);
    }),
    cacheSize: registry.gauge('scheduler_cache_size', 'Number of nodes, pods, and assumed (bound) pods in the scheduler cache.', ['type'], (g) => {
      const c = sources.cache();
      g.set({ type: 'nodes' }, c.nodes);
      g.set({ type: 'pods' }, c.pods);
      g.set({ type: 'assumed_pods' }, c.assumedPods);
    }),
  };
}
