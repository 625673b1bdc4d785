// What keeps Events useful and cheap (client-go's EventCorrelator), decided locally before anything is sent:
//  - de-duplication: an event identical to an earlier one (same involved object, type, reason, message, source)
//    becomes a PATCH of that event's count and lastTimestamp instead of a new Event object;
//  - aggregation: similar events (same but for the message) count per 10-minute window; from the 10th distinct
//    message on, they go to one "(combined from similar events): <latest message>" event whose count grows;
//  - spam filter: a token bucket per source and involved object (burst 25, then one every 5 minutes) drops the rest.
import type { CoreEvent } from '../types.js';
import { realClock, type Clock } from '../util/clock.js';

export interface CorrelatorOptions {
  clock?: Clock | undefined;
  /** Entries kept per cache (least recently used dropped first; default 4096). */
  cacheSize?: number | undefined;
  /** Distinct messages of similar events before they are combined (default 10). */
  maxSimilarEvents?: number | undefined;
  /** Window of the similar-event count, since the last similar event (default 600 s). */
  similarWindowMs?: number | undefined;
  /** Spam filter: events per source+object allowed at once (default 25) ... */
  spamBurst?: number | undefined;
  /** ... and refilled at this rate (default 1/300 per second). */
  spamQps?: number | undefined;
}

/** Fields of the Event a patch updates (strategic merge patch body). */
export interface EventPatch {
  count: number;
  lastTimestamp: string;
  message: string;
}

export type CorrelationResult = { skip: true } | { skip: false; event: CoreEvent; patch: EventPatch | undefined };

export const COMBINED_PREFIX = '(combined from similar events): ';

/** A Map used as an LRU: reads move an entry to the back, inserts past the limit drop from the front. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
}

const join = (parts: (string | undefined)[]): string => parts.map((p) => p ?? '').join('\u0000');

/** Identical events: everything but timestamps and count. */
export function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message]);
}

/** Similar events: identical except the message. */
export function aggregateKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance]);
}

/** One bucket per source and object. */
export function spamKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion]);
}

interface AggregateRecord {
  messages: Set<string>;
  lastAt: number;
}

interface Observation {
  count: number;
  firstTimestamp: string | undefined;
  name: string;
  resourceVersion: string | undefined;
}

interface Bucket {
  tokens: number;
  last: number;
}

/** metav1.Time: RFC 3339, whole seconds. */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly aggregates: Lru<AggregateRecord>;
  private readonly observations: Lru<Observation>;
  private readonly buckets: Lru<Bucket>;
  private readonly maxSimilar: number;
  private readonly similarWindowMs: number;
  private readonly spamBurst: number;
  private readonly spamQps: number;
  private lastNanos = 0n;

  constructor(opts: CorrelatorOptions = {}) {
    this.clock = opts.clock ?? realClock;
    const size = opts.cacheSize ?? 4096;
    this.aggregates = new Lru(size);
    this.observations = new Lru(size);
    this.buckets = new Lru(size);
    this.maxSimilar = opts.maxSimilarEvents ?? 10;
    this.similarWindowMs = opts.similarWindowMs ?? 600_000;
    this.spamBurst = opts.spamBurst ?? 25;
    this.spamQps = opts.spamQps ?? 1 / 300;
  }

  /** Decides what to send for `event`: skip it, create it, or patch an earlier one (name and count filled in). */
  correlate(event: CoreEvent): CorrelationResult {
    const { event: aggregated, key } = this.aggregate(event);
    const { event: observed, patch } = this.observe(aggregated, key);
    if (this.isSpam(observed)) return { skip: true };
    return { skip: false, event: observed, patch };
  }

  /** After a successful write: remember the name and resourceVersion the server has for this event. */
  updateState(written: CoreEvent): void {
    this.observations.set(eventKey(written), {
      count: written.count ?? 1,
      firstTimestamp: written.firstTimestamp,
      name: written.metadata?.name ?? '',
      resourceVersion: written.metadata?.resourceVersion,
    });
  }

  /** A unique event name for `involvedName`: "<name>.<hex nanoseconds>", as Kubernetes names them. */
  eventName(involvedName: string): string {
    let nanos = BigInt(this.clock.now()) * 1_000_000n;
    // Millisecond clocks repeat within a burst; names must not collide, so keep them strictly increasing.
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    return `${involvedName}.${nanos.toString(16)}`;
  }

  private aggregate(event: CoreEvent): { event: CoreEvent; key: string } {
    const now = this.clock.now();
    const aggKey = aggregateKey(event);
    let record = this.aggregates.get(aggKey);
    if (!record || now - record.lastAt > this.similarWindowMs) record = { messages: new Set(), lastAt: now };
    record.messages.add(event.message ?? '');
    record.lastAt = now;
    this.aggregates.set(aggKey, record);
    if (record.messages.size < this.maxSimilar) return { event, key: eventKey(event) };
    // Keep the set from growing past the threshold (client-go drops an arbitrary member).
    const first = record.messages.values().next().value;
    if (first !== undefined) record.messages.delete(first);
    const stamp = metaTime(now);
    const combined: CoreEvent = {
      ...event,
      metadata: { name: this.eventName(event.involvedObject.name ?? ''), namespace: event.metadata?.namespace },
      count: 1,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      message: COMBINED_PREFIX + (event.message ?? ''),
    };
    return { event: combined, key: aggKey };
  }

  private observe(event: CoreEvent, key: string): { event: CoreEvent; patch: EventPatch | undefined } {
    const last = this.observations.get(key);
    let result = event;
    let patch: EventPatch | undefined;
    if (last && last.count > 0) {
      result = {
        ...event,
        metadata: { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      patch = { count: result.count!, lastTimestamp: result.lastTimestamp ?? metaTime(this.clock.now()), message: result.message ?? '' };
    }
    this.observations.set(key, {
      count: result.count ?? 1,
      firstTimestamp: result.firstTimestamp,
      name: result.metadata?.name ?? '',
      resourceVersion: result.metadata?.resourceVersion,
    });
    return { event: result, patch };
  }

  private isSpam(event: CoreEvent): boolean {
    const now = this.clock.now();
    const key = spamKey(event);
    const bucket = this.buckets.get(key) ?? { tokens: this.spamBurst, last: now };
    bucket.tokens = Math.min(this.spamBurst, bucket.tokens + (Math.max(0, now - bucket.last) / 1000) * this.spamQps);
    bucket.last = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return !allowed;
  }
}
