// events.k8s.io/v1 Event: the structured event API. Stored as core/v1 Events (storageResource 'events'); validation
// runs on the core form so that both APIs report the same rules with the same (internal) field names.
import { isJsonObject, type JsonObject } from '../../json.js';
import type { KindDefinition, SchemaModule } from '../../schema/module.js';
import { s } from '../../schema/schema.js';
import { strictValidateEventCreate, strictValidateEventUpdate } from '../core-v1/event.js';
import { objAt, strAt } from '../core-v1/json-access.js';
import { core, kindSchema } from '../core-v1/kind-schema.js';
import { eventsV1ToCoreEvent, isCoreEventShape } from './convert.js';

export { coreEventToEventsV1, eventsV1ToCoreEvent } from './convert.js';

const EVENT = 'io.k8s.api.events.v1.Event';

const asCore = (ev: JsonObject): JsonObject => (isCoreEventShape(ev) ? ev : eventsV1ToCoreEvent(ev));

export const eventsModule: SchemaModule = {
  schemas: {
    [EVENT]: kindSchema(
      { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
      'A report of an occurrence in the cluster, by the controller that observed it, about an object.',
      {
        eventTime: s.time('When the event was first observed (MicroTime).'),
        series: s.ref('io.k8s.api.events.v1.EventSeries', 'Data about repeated occurrences, when the event is part of a series.'),
        reportingController: s.string('Controller that emitted the event, e.g. kubernetes.io/kubelet; required for new events.'),
        reportingInstance: s.string('Identifier of the emitting controller instance, e.g. kubelet-xyzf; required for new events.'),
        action: s.string('What action was taken or failed regarding the object; required for new events.'),
        reason: s.string('Short machine-readable reason for the action; required for new events.'),
        // Go always serializes these two structs.
        regarding: s.ref(core('ObjectReference'), 'The object this event is about.', { default: {} }),
        related: s.ref(core('ObjectReference'), 'A second object involved, for more complex actions.'),
        note: s.string('Human-readable description of the status of this operation, at most 1 kB.'),
        type: s.string('Normal or Warning (new types may be added); required for new events.'),
        deprecatedSource: s.ref(core('EventSource'), 'Deprecated source, kept for core/v1 compatibility.', { default: {} }),
        deprecatedFirstTimestamp: s.time('Deprecated first occurrence time, kept for core/v1 compatibility.'),
        deprecatedLastTimestamp: s.time('Deprecated last occurrence time, kept for core/v1 compatibility.'),
        deprecatedCount: s.int32('Deprecated occurrence count, kept for core/v1 compatibility.'),
      },
      ['eventTime'],
    ),
    'io.k8s.api.events.v1.EventSeries': s.object(
      {
        count: s.int32('Occurrences in the series up to lastObservedTime (at least 2).'),
        lastObservedTime: s.time('When the last occurrence was observed (MicroTime).'),
      },
      'A series of occurrences of one event.',
    ),
  },
  validators: {
    [EVENT]: (ev, _path, ctx) => {
      const coreEv = asCore(ev);
      if (ctx.operation === 'update' && isJsonObject(ctx.old)) return strictValidateEventUpdate(coreEv, asCore(ctx.old));
      // eventTime is schema-required; the rest of the strict rules follow.
      return strictValidateEventCreate(coreEv);
    },
  },
};

/** Field selectors accepted by events.k8s.io/v1, read from either stored shape. */
const regardingOf = (o: JsonObject): JsonObject | undefined => objAt(o, 'regarding') ?? objAt(o, 'involvedObject');
const fieldSelectors: Record<string, (o: JsonObject) => string | undefined> = {
  ...Object.fromEntries(
    ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [
      `regarding.${f}`,
      (o: JsonObject) => strAt(regardingOf(o), f) ?? '',
    ]),
  ),
  reason: (o) => strAt(o, 'reason') ?? '',
  reportingController: (o) => strAt(o, 'reportingController') ?? strAt(o, 'reportingComponent') ?? '',
  source: (o) =>
    strAt(objAt(o, 'deprecatedSource') ?? objAt(o, 'source'), 'component') || (strAt(o, 'reportingController') ?? strAt(o, 'reportingComponent') ?? ''),
  type: (o) => strAt(o, 'type') ?? '',
};

export const eventsKinds: KindDefinition[] = [
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    namespaced: true,
    schema: EVENT,
    storageResource: 'events',
    fieldSelectors,
  },
];
