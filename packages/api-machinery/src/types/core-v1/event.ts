// core/v1 Event: a report of something that happened to an object. events.k8s.io/v1 Events are the same stored
// objects (see ../events-v1), so the validation here is written against the core shape and shared by both.
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../../json.js';
import type { KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { fieldErrors, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isDNS1123Subdomain, isQualifiedName } from './checks.js';
import { numAt, objAt, strAt } from './json-access.js';
import { core, kindSchema } from './kind-schema.js';

const EVENT = core('Event');

export const eventSchemas: Record<string, Schema> = {
  [EVENT]: kindSchema({ group: '', version: 'v1', kind: 'Event' }, 'A report of an occurrence concerning an object, kept for a limited time.', {
    // Go always serializes these two structs and the two reporting strings, so defaults mirror what clients see.
    involvedObject: s.ref(core('ObjectReference'), 'The object the event is about.', { default: {} }),
    reason: s.string('Short machine-readable CamelCase reason for the event.'),
    message: s.string('Human-readable description of the event.'),
    source: s.ref(core('EventSource'), 'Component (and host) reporting the event.', { default: {} }),
    firstTimestamp: s.time('When the event was first recorded.'),
    lastTimestamp: s.time('When the most recent occurrence was recorded.'),
    count: s.int32('How many times the event occurred.'),
    type: s.string('Event type: Normal or Warning (new types may be added).'),
    eventTime: s.time('When the event was first observed, with microsecond precision (MicroTime).'),
    series: s.ref(core('EventSeries'), 'Data about a series of repeated occurrences, if the event is part of one.'),
    action: s.string('What action was taken or failed regarding the object.'),
    related: s.ref(core('ObjectReference'), 'A second object involved, for more complex actions.'),
    reportingComponent: s.string('Controller that emitted the event, e.g. kubernetes.io/kubelet.', { default: '' }),
    reportingInstance: s.string('Identifier of the emitting controller instance, e.g. kubelet-xyzf.', { default: '' }),
  }),
  [core('EventSource')]: s.object(
    {
      component: s.string('Component that generated the event.'),
      host: s.string('Node the event was generated on.'),
    },
    'Where an event comes from.',
  ),
  [core('EventSeries')]: s.object(
    {
      count: s.int32('Number of occurrences in the series up to lastObservedTime.'),
      lastObservedTime: s.time('When the last occurrence was observed (MicroTime).'),
    },
    'A series of occurrences of one event.',
  ),
};

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/**
 * Checks every Event passes whatever API it was written through (legacyValidateEvent). Field paths use Kubernetes'
 * internal names (reportingController), as the real server reports them.
 */
export function legacyValidateEvent(ev: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = strAt(objAt(ev, 'metadata'), 'namespace') ?? '';
  const involvedNs = strAt(objAt(ev, 'involvedObject'), 'namespace') ?? '';
  const mismatch = (): FieldError => fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!strAt(ev, 'eventTime')) {
    // Old-style events: the namespaces must agree (default stands in for cluster-scoped objects).
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const controller = strAt(ev, 'reportingComponent') ?? '';
    if (!controller) errs.push(fieldErrors.required('reportingController'));
    errs.push(...invalidEach('reportingController', controller, isQualifiedName(controller)));
    const instance = strAt(ev, 'reportingInstance') ?? '';
    if (!instance) errs.push(fieldErrors.required('reportingInstance'));
    if (instance.length > REPORTING_INSTANCE_LIMIT)
      errs.push(fieldErrors.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = strAt(ev, 'action') ?? '';
    if (!action) errs.push(fieldErrors.required('action'));
    if (action.length > ACTION_LIMIT) errs.push(fieldErrors.invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = strAt(ev, 'reason') ?? '';
    if (!reason) errs.push(fieldErrors.required('reason'));
    if (reason.length > REASON_LIMIT) errs.push(fieldErrors.invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if ((strAt(ev, 'message') ?? '').length > NOTE_LIMIT) errs.push(fieldErrors.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

function validateSeries(ev: JsonObject): FieldError[] {
  const series = objAt(ev, 'series');
  if (!series) return [];
  const errs: FieldError[] = [];
  if ((numAt(series, 'count') ?? 0) < 2) errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (!strAt(series, 'lastObservedTime')) errs.push(fieldErrors.required('series.lastObservedTime'));
  return errs;
}

/** Extra rules for events written through events.k8s.io/v1, on the core form of the event (eventTime is schema-required there). */
export function strictValidateEventCreate(ev: JsonObject): FieldError[] {
  const errs = [...legacyValidateEvent(ev), ...validateSeries(ev)];
  const type = strAt(ev, 'type') ?? '';
  if (type !== 'Normal' && type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${type}`));
  for (const f of ['firstTimestamp', 'lastTimestamp']) if (strAt(ev, f)) errs.push(fieldErrors.invalid(f, '', 'needs to be unset'));
  if ((numAt(ev, 'count') ?? 0) !== 0) errs.push(fieldErrors.invalid('count', '', 'needs to be unset'));
  const source = objAt(ev, 'source');
  if (strAt(source, 'component') || strAt(source, 'host')) errs.push(fieldErrors.invalid('source', '', 'needs to be unset'));
  return errs;
}

/** Update rules for events.k8s.io/v1 writes: everything but the series is fixed. Paths use internal field names. */
export function strictValidateEventUpdate(ev: JsonObject, old: JsonObject): FieldError[] {
  const errs = legacyValidateEvent(ev);
  if (!jsonEqual(ev.series, old.series)) errs.push(...validateSeries(ev));
  const emptyObj = (v: JsonValue | undefined): JsonValue => (isJsonObject(v) ? v : {});
  const fixed: [string, string, (v: JsonValue | undefined) => JsonValue][] = [
    ['involvedObject', 'involvedObject', emptyObj],
    ['reason', 'reason', (v) => v ?? ''],
    ['message', 'message', (v) => v ?? ''],
    ['source', 'source', emptyObj],
    ['firstTimestamp', 'firstTimestamp', (v) => v ?? null],
    ['lastTimestamp', 'lastTimestamp', (v) => v ?? null],
    ['count', 'count', (v) => v ?? 0],
    ['type', 'type', (v) => v ?? ''],
    ['eventTime', 'eventTime', (v) => v ?? null],
    ['action', 'action', (v) => v ?? ''],
    ['related', 'related', (v) => v ?? null],
    ['reportingComponent', 'reportingController', (v) => v ?? ''],
    ['reportingInstance', 'reportingInstance', (v) => v ?? ''],
  ];
  for (const [jsonName, pathName, norm] of fixed) {
    const now = norm(ev[jsonName]);
    if (!jsonEqual(now, norm(old[jsonName]))) errs.push(fieldErrors.invalid(pathName, now, 'field is immutable'));
  }
  return errs;
}

export const eventValidators: Record<string, Validator> = {
  // Writes through core/v1 only get the legacy checks, on create and update alike (backwards compatibility).
  [EVENT]: (ev) => legacyValidateEvent(ev),
};

/** Field selectors of core Events; `source` falls back to the reporting controller for new-style events. */
export const eventFieldSelectors: Record<string, (o: JsonObject) => string | undefined> = {
  ...Object.fromEntries(
    ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [
      `involvedObject.${f}`,
      (o: JsonObject) => strAt(objAt(o, 'involvedObject'), f) ?? '',
    ]),
  ),
  reason: (o) => strAt(o, 'reason') ?? '',
  reportingComponent: (o) => strAt(o, 'reportingComponent') ?? '',
  source: (o) => strAt(objAt(o, 'source'), 'component') || (strAt(o, 'reportingComponent') ?? ''),
  type: (o) => strAt(o, 'type') ?? '',
};

export const eventKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  schema: EVENT,
  fieldSelectors: eventFieldSelectors,
};
