// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition format
// (version 0.0.4). Small enough to read, and it keeps every component free of a heavier metrics dependency.

export type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  render(): string;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelKey(names: readonly string[], labels: Labels): string {
  for (const key of Object.keys(labels)) {
    if (!names.includes(key)) throw new Error(`unknown label "${key}"`);
  }
  return names.map((n) => labels[n] ?? '').join('\u0000');
}

function renderLabels(names: readonly string[], key: string, extra?: [string, string]): string {
  const values = key === '' && names.length === 0 ? [] : key.split('\u0000');
  const parts = names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

abstract class LabelledMetric<T> implements Metric {
  protected readonly series = new Map<string, T>();
  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
    private readonly type: string,
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name "${name}"`);
  }
  protected header(): string {
    return `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
  }
  abstract render(): string;
}

export class Counter extends LabelledMetric<number> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    const key = labelKey(this.labelNames, labels);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels)) ?? 0;
  }
  render(): string {
    let out = this.header();
    if (this.series.size === 0 && this.labelNames.length === 0) out += `${this.name} 0\n`;
    for (const [key, v] of this.series) out += `${this.name}${renderLabels(this.labelNames, key)} ${formatNumber(v)}\n`;
    return out;
  }
}

export class Gauge extends LabelledMetric<number> {
  private collector: (() => void) | undefined;
  constructor(name: string, help: string, labelNames: readonly string[] = [], collect?: (g: Gauge) => void) {
    super(name, help, labelNames, 'gauge');
    this.collector = collect ? () => collect(this) : undefined;
  }
  set(labels: Labels, value: number): void;
  set(value: number): void;
  set(a: Labels | number, b?: number): void {
    if (typeof a === 'number') this.series.set(labelKey(this.labelNames, {}), a);
    else this.series.set(labelKey(this.labelNames, a), b ?? 0);
  }
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(this.labelNames, labels);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }
  dec(labels: Labels = {}, by = 1): void {
    this.inc(labels, -by);
  }
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels)) ?? 0;
  }
  render(): string {
    this.collector?.();
    let out = this.header();
    for (const [key, v] of this.series) out += `${this.name}${renderLabels(this.labelNames, key)} ${formatNumber(v)}\n`;
    return out;
  }
}

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

/** Default buckets in seconds, from 0.5 ms to 10 s: request latencies on loopback live at the low end. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends LabelledMetric<HistogramSeries> {
  private readonly buckets: readonly number[];
  constructor(name: string, help: string, labelNames: readonly string[] = [], buckets: readonly number[] = LATENCY_BUCKETS) {
    super(name, help, labelNames, 'histogram');
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(labels: Labels, value: number): void;
  observe(value: number): void;
  observe(a: Labels | number, b?: number): void {
    const labels = typeof a === 'number' ? {} : a;
    const value = typeof a === 'number' ? a : (b ?? 0);
    const key = labelKey(this.labelNames, labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += value;
    s.count += 1;
  }
  /** Starts a timer; the returned function observes the elapsed seconds. */
  startTimer(labels: Labels = {}): () => number {
    const start = process.hrtime.bigint();
    return () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observe(labels, seconds);
      return seconds;
    };
  }
  snapshot(labels: Labels = {}): { count: number; sum: number } {
    const s = this.series.get(labelKey(this.labelNames, labels));
    return { count: s?.count ?? 0, sum: s?.sum ?? 0 };
  }
  render(): string {
    let out = this.header();
    for (const [key, s] of this.series) {
      this.buckets.forEach((le, i) => {
        out += `${this.name}_bucket${renderLabels(this.labelNames, key, ['le', formatNumber(le)])} ${s.counts[i] ?? 0}\n`;
      });
      out += `${this.name}_bucket${renderLabels(this.labelNames, key, ['le', '+Inf'])} ${s.count}\n`;
      out += `${this.name}_sum${renderLabels(this.labelNames, key)} ${formatNumber(s.sum)}\n`;
      out += `${this.name}_count${renderLabels(this.labelNames, key)} ${s.count}\n`;
    }
    return out;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Registry {
  private readonly metrics = new Map<string, Metric>();

  register<M extends Metric>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric "${metric.name}" registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: (g: Gauge) => void): Gauge {
    return this.register(new Gauge(name, help, labelNames, collect));
  }
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }
  render(): string {
    let out = '';
    for (const m of this.metrics.values()) out += m.render();
    return out;
  }
}

/** Process metrics every component exports (names as Prometheus' client libraries use them). */
export function registerProcessMetrics(registry: Registry): void {
  const started = Date.now() / 1000;
  registry.gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [], (g) => g.set(started));
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], (g) => g.set(process.memoryUsage().rss));
  registry.gauge('nodejs_heap_used_bytes', 'V8 heap used in bytes.', [], (g) => g.set(process.memoryUsage().heapUsed));
  registry.gauge('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', [], (g) => {
    const u = process.cpuUsage();
    g.set((u.user + u.system) / 1e6);
  });
}
