// events.k8s.io/v1 Events and core/v1 Events are two views of the same stored objects. These conversions follow
// Kubernetes' (pkg/apis/events/v1/conversion.go) and reproduce what Go's JSON encoding shows for empty fields:
// structs are always present, omitempty strings and counts vanish, core's reporting fields are always written.
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../../json.js';

/** Copies `from[src]` to `to[dst]` (deep), dropping absent values and, when `omitEmpty`, "" and 0 as Go's omitempty does. */
function copy(to: JsonObject, dst: string, from: JsonObject, src: string, omitEmpty = true): void {
  const v = from[src];
  if (v === undefined || v === null) return;
  if (omitEmpty && (v === '' || v === 0)) return;
  to[dst] = cloneJson(v);
}

const objOrEmpty = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? cloneJson(v) : {});

/** A core/v1 Event as events.k8s.io/v1 presents it. */
export function coreEventToEventsV1(core: JsonObject): JsonObject {
  const ev: JsonObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: objOrEmpty(core.metadata) };
  copy(ev, 'eventTime', core, 'eventTime');
  copy(ev, 'series', core, 'series');
  copy(ev, 'reportingController', core, 'reportingComponent');
  copy(ev, 'reportingInstance', core, 'reportingInstance');
  copy(ev, 'action', core, 'action');
  copy(ev, 'reason', core, 'reason');
  ev.regarding = objOrEmpty(core.involvedObject);
  copy(ev, 'related', core, 'related');
  copy(ev, 'note', core, 'message');
  copy(ev, 'type', core, 'type');
  ev.deprecatedSource = objOrEmpty(core.source);
  copy(ev, 'deprecatedFirstTimestamp', core, 'firstTimestamp');
  copy(ev, 'deprecatedLastTimestamp', core, 'lastTimestamp');
  copy(ev, 'deprecatedCount', core, 'count');
  return ev;
}

/** An events.k8s.io/v1 Event in its stored core/v1 form. */
export function eventsV1ToCoreEvent(ev: JsonObject): JsonObject {
  const core: JsonObject = { kind: 'Event', apiVersion: 'v1', metadata: objOrEmpty(ev.metadata) };
  core.involvedObject = objOrEmpty(ev.regarding);
  copy(core, 'reason', ev, 'reason');
  copy(core, 'message', ev, 'note');
  core.source = objOrEmpty(ev.deprecatedSource);
  copy(core, 'firstTimestamp', ev, 'deprecatedFirstTimestamp');
  copy(core, 'lastTimestamp', ev, 'deprecatedLastTimestamp');
  copy(core, 'count', ev, 'deprecatedCount');
  copy(core, 'type', ev, 'type');
  copy(core, 'eventTime', ev, 'eventTime');
  copy(core, 'series', ev, 'series');
  copy(core, 'action', ev, 'action');
  copy(core, 'related', ev, 'related');
  // Not omitempty in core/v1: always written, empty or not.
  core.reportingComponent = typeof ev.reportingController === 'string' ? ev.reportingController : '';
  core.reportingInstance = typeof ev.reportingInstance === 'string' ? ev.reportingInstance : '';
  return core;
}

/** Whether an Event object is in the core/v1 shape (rather than events.k8s.io/v1). */
export function isCoreEventShape(ev: JsonObject): boolean {
  if (typeof ev.apiVersion === 'string') return ev.apiVersion === 'v1';
  return !('regarding' in ev || 'note' in ev || 'deprecatedSource' in ev || 'reportingController' in ev);
}
