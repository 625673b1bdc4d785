// client-go's workqueue metrics (same names, label `name`), registered once per Registry and shared by every queue
// that reports into it.
import { Counter, Gauge, Histogram, type Registry } from '@k8ts/observability';

/** 1 µs .. 1000 s by decades: queue waits range from nothing to the rate limiter's cap. */
const DURATION_BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

/** What a queue reports about its in-flight work when metrics are scraped. */
export interface InFlightReporter {
  readonly name: string;
  /** Seconds each item being processed has been running. */
  inFlightSeconds(): number[];
}

export class WorkQueueMetrics {
  private static readonly byRegistry = new WeakMap<Registry, WorkQueueMetrics>();
  private readonly reporters = new Set<InFlightReporter>();

  readonly depth: Gauge;
  readonly adds: Counter;
  readonly queueDuration: Histogram;
  readonly workDuration: Histogram;
  readonly retries: Counter;
  private readonly unfinished: Gauge;
  private readonly longestRunning: Gauge;

  /** The metrics of `registry`, created on first use. */
  static for(registry: Registry): WorkQueueMetrics {
    let m = WorkQueueMetrics.byRegistry.get(registry);
    if (!m) {
      m = new WorkQueueMetrics(registry);
      WorkQueueMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(registry: Registry) {
    this.depth = registry.gauge('workqueue_depth', 'Current depth of workqueue', ['name']);
    this.adds = registry.counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
    this.queueDuration = registry.histogram(
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested.',
      ['name'],
      DURATION_BUCKETS,
    );
    this.workDuration = registry.histogram('workqueue_work_duration_seconds', 'How long in seconds processing an item from workqueue takes.', ['name'], DURATION_BUCKETS);
    this.retries = registry.counter('workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']);
    this.unfinished = registry.gauge(
      'workqueue_unfinished_work_seconds',
      'How many seconds of work has done that is in progress and hasn\'t been observed by work_duration.',
      ['name'],
      (g) => {
        for (const r of this.reporters) g.set({ name: r.name }, r.inFlightSeconds().reduce((a, b) => a + b, 0));
      },
    );
    this.longestRunning = registry.gauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      ['name'],
      (g) => {
        for (const r of this.reporters) g.set({ name: r.name }, Math.max(0, ...r.inFlightSeconds()));
      },
    );
  }

  attach(reporter: InFlightReporter): void {
    this.reporters.add(reporter);
  }

  detach(reporter: InFlightReporter): void {
    this.reporters.delete(reporter);
    this.unfinished.set({ name: reporter.name }, 0);
    this.longestRunning.set({ name: reporter.name }, 0);
  }
}
