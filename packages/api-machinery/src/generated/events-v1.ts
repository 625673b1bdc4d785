// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// events.k8s.io/v1 (io.k8s.api.events.v1): types of the objects as the API serves them.
import type { EventSource, ObjectReference } from './core-v1.js';
import type { ListMeta, ObjectMeta } from './meta-v1.js';

/** A report of an occurrence in the cluster, by the controller that observed it, about an object. */
export interface Event {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** When the event was first observed (MicroTime). */
  eventTime: string;
  /** Data about repeated occurrences, when the event is part of a series. */
  series?: EventSeries;
  /** Controller that emitted the event, e.g. kubernetes.io/kubelet; required for new events. */
  reportingController?: string;
  /** Identifier of the emitting controller instance, e.g. kubelet-xyzf; required for new events. */
  reportingInstance?: string;
  /** What action was taken or failed regarding the object; required for new events. */
  action?: string;
  /** Short machine-readable reason for the action; required for new events. */
  reason?: string;
  /** The object this event is about. */
  regarding?: ObjectReference;
  /** A second object involved, for more complex actions. */
  related?: ObjectReference;
  /** Human-readable description of the status of this operation, at most 1 kB. */
  note?: string;
  /** Normal or Warning (new types may be added); required for new events. */
  type?: string;
  /** Deprecated source, kept for core/v1 compatibility. */
  deprecatedSource?: EventSource;
  /** Deprecated first occurrence time, kept for core/v1 compatibility. */
  deprecatedFirstTimestamp?: string;
  /** Deprecated last occurrence time, kept for core/v1 compatibility. */
  deprecatedLastTimestamp?: string;
  /** Deprecated occurrence count, kept for core/v1 compatibility. */
  deprecatedCount?: number;
}

/** A list of Event objects. */
export interface EventList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Event objects. */
  items: Event[];
}

/** A series of occurrences of one event. */
export interface EventSeries {
  /** Occurrences in the series up to lastObservedTime (at least 2). */
  count?: number;
  /** When the last occurrence was observed (MicroTime). */
  lastObservedTime?: string;
}
