// core/v1 Events from controllers, as `kubectl describe` shows them. recorder.event() never blocks nor throws: the
// event goes on a bounded queue (dropped, with a log line, when full) that one background writer drains through the
// correlator (dedupe → PATCH count, aggregate similar, spam filter), retrying while the apiserver is unreachable.
import type { Logger } from 'pino';
import type { KubeClient } from '../client.js';
import { isAlreadyExists, isApiError, isNetworkError, isNotFound } from '../errors.js';
import type { ResourceClient } from '../rest/resource-client.js';
import { refs } from '../rest/resources.js';
import type { CoreEvent, KubeObject, ObjectReference } from '../types.js';
import { realClock, sleepUnlessAborted, type Clock } from '../util/clock.js';
import { EventCorrelator, metaTime, type CorrelationResult, type CorrelatorOptions } from './correlator.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** The reporting component, e.g. "deployment-controller" or "default-scheduler". */
  component: string;
  /** The node or host it runs on (default: none, as controllers in the control plane report). */
  host?: string | undefined;
}

export interface EventRecorder {
  /** Records that `reason` happened to `object` (an object with kind/apiVersion/metadata, or an ObjectReference). */
  event(object: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void;
}

export interface EventBroadcasterOptions {
  client: KubeClient;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  correlator?: Omit<CorrelatorOptions, 'clock'> | undefined;
  /** Events waiting to be written at most; more are dropped (default 1000). */
  queueSize?: number | undefined;
  /** Tries per event while the apiserver does not answer (default 12) ... */
  maxAttempts?: number | undefined;
  /** ... with this pause between them (default 10 s; the first pause is random in [0, it)). */
  retryDelayMs?: number | undefined;
}

interface QueuedEvent {
  event: CoreEvent;
}

/** The writer shared by every recorder of a process (client-go's EventBroadcaster + StartRecordingToSink). */
export class EventBroadcaster {
  private readonly events: ResourceClient<CoreEvent>;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly correlator: EventCorrelator;
  private readonly queueSize: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly queue: QueuedEvent[] = [];
  private readonly stopping = new AbortController();
  private pumping: Promise<void> | undefined;
  private closed = false;
  /** Events dropped because the queue was full or the broadcaster shut down. */
  dropped = 0;

  constructor(opts: EventBroadcasterOptions) {
    this.events = opts.client.resource<CoreEvent>(refs.events);
    this.log = opts.logger?.child({ component: 'event-broadcaster' });
    this.clock = opts.clock ?? realClock;
    this.correlator = new EventCorrelator({ ...opts.correlator, clock: this.clock });
    this.queueSize = opts.queueSize ?? 1000;
    this.maxAttempts = opts.maxAttempts ?? 12;
    this.retryDelayMs = opts.retryDelayMs ?? 10_000;
  }

  newRecorder(source: EventSource): EventRecorder {
    if (!source.component) throw new Error('an event source needs a component name');
    return { event: (object, type, reason, message) => this.record(source, object, type, reason, message) };
  }

  /** Resolves once every event queued so far was written (or given up on). */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Stops accepting events and waits up to `timeoutMs` for the queue to drain; the rest is dropped. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.stopping.abort();
    this.dropped += this.queue.splice(0).length;
    await this.pumping;
  }

  private record(source: EventSource, object: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    try {
      if (this.closed) {
        this.dropped++;
        return;
      }
      if (type !== 'Normal' && type !== 'Warning') throw new Error(`unsupported event type ${JSON.stringify(type)}`);
      const ref = referenceOf(object);
      if (this.queue.length >= this.queueSize) {
        this.dropped++;
        this.log?.warn({ reason, object: `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`, queueSize: this.queueSize }, 'event queue full; dropping event');
        return;
      }
      const now = metaTime(this.clock.now());
      this.queue.push({
        event: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: this.correlator.eventName(ref.name ?? ''), namespace: ref.namespace || 'default' },
          involvedObject: ref,
          reason,
          message,
          source: source.host ? { component: source.component, host: source.host } : { component: source.component },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          reportingComponent: source.component,
          reportingInstance: source.host ?? '',
        },
      });
      this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
    } catch (err) {
      this.log?.error({ err, reason }, 'cannot record event');
    }
  }

  private async pump(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      const result = this.correlator.correlate(next.event);
      if (result.skip) {
        this.log?.debug({ reason: next.event.reason }, 'event dropped by the spam filter');
        continue;
      }
      for (let attempt = 1; attempt <= this.maxAttempts && !this.stopping.signal.aborted; attempt++) {
        if (await this.write(result)) break;
        if (attempt === this.maxAttempts) {
          this.log?.error({ reason: result.event.reason, attempts: attempt }, 'unable to write event; giving up');
          break;
        }
        // The first pause is random so that clients do not all come back at once after an outage.
        const pause = attempt === 1 ? this.retryDelayMs * Math.random() : this.retryDelayMs;
        if (!(await sleepUnlessAborted(pause, this.stopping.signal, this.clock))) break;
      }
    }
  }

  /** One attempt; true when done (written, or rejected for good), false to retry later. */
  private async write(result: Extract<CorrelationResult, { skip: false }>): Promise<boolean> {
    const { event, patch } = result;
    const ns = event.metadata?.namespace ?? 'default';
    const name = event.metadata?.name ?? '';
    const events = this.events.namespace(ns);
    try {
      let written: CoreEvent | undefined;
      if (patch) {
        try {
          written = await events.patch(name, 'strategic', { ...patch }, { signal: this.stopping.signal });
        } catch (err) {
          // The event expired (event TTL) or was deleted: create it afresh below.
          if (!isNotFound(err)) throw err;
        }
      }
      if (!written) {
        const fresh: CoreEvent = { ...event, metadata: { name, namespace: ns } };
        written = await events.create(fresh, { signal: this.stopping.signal });
      }
      this.correlator.updateState(written);
      return true;
    } catch (err) {
      if (isNetworkError(err) || (isApiError(err) && (err.code === 429 || err.code >= 500))) {
        this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'unable to write event (will retry)');
        return false;
      }
      if (isAlreadyExists(err)) this.log?.debug({ name }, 'event already exists');
      else if (isApiError(err)) this.log?.error({ err: err.message, reason: event.reason }, 'server rejected event (will not retry)');
      else if (!this.stopping.signal.aborted) this.log?.error({ err }, 'unable to write event');
      return true;
    }
  }
}

/** The ObjectReference an event is about. */
export function referenceOf(object: KubeObject | ObjectReference): ObjectReference {
  if ('metadata' in object && object.metadata) {
    const o = object as KubeObject;
    if (!o.kind || !o.apiVersion) throw new Error(`object ${o.metadata?.name ?? ''} has no kind/apiVersion; pass an ObjectReference`);
    return {
      kind: o.kind,
      apiVersion: o.apiVersion,
      name: o.metadata?.name,
      namespace: o.metadata?.namespace,
      uid: o.metadata?.uid,
      resourceVersion: o.metadata?.resourceVersion,
    };
  }
  const ref = object as ObjectReference;
  if (!ref.kind || !ref.name) throw new Error('an ObjectReference needs kind and name');
  return { ...ref };
}
