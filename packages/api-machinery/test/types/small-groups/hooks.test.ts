// Lease and EndpointSlice validation, events.k8s.io validation and the Event conversions.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coordinationModule } from '../../../src/types/coordination-v1/index.js';
import { discoveryModule, endpointSliceServiceName } from '../../../src/types/discovery-v1/index.js';
import { coreEventToEventsV1, eventsModule, eventsV1ToCoreEvent } from '../../../src/types/events-v1/index.js';

const create: ValidationContext = { operation: 'create' };

t.test('lease spec', async (t) => {
  const run = (spec: JsonObject): string[] => coordinationModule.validators!['io.k8s.api.coordination.v1.LeaseSpec']!(spec, 'spec', create).map(fieldErrorMessage);
  t.same(run({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0, renewTime: '2024-01-01T00:00:00.000000Z' }), []);
  t.same(run({ leaseDurationSeconds: 0, leaseTransitions: -1 }), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  t.same(run({ strategy: 'Newest' }), ['spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"']);
  t.same(run({ strategy: 'example.com/mine', preferredHolder: 'b' }), []);
  t.same(run({ preferredHolder: 'b' }), ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined']);
  t.same(coordinationModule.schemas['io.k8s.api.coordination.v1.Lease']?.properties?.spec?.default, {});
});

t.test('endpoint slices', async (t) => {
  const run = (slice: JsonObject): string[] => discoveryModule.validators!['io.k8s.api.discovery.v1.EndpointSlice']!(slice, '', create).map(fieldErrorMessage);
  const slice = (addressType: string, addresses: string[], extra: JsonObject = {}): JsonObject => ({
    metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType,
    endpoints: [{ addresses, conditions: { ready: true }, ...extra }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });
  t.same(run(slice('IPv4', ['10.0.0.1'], { nodeName: 'n1', hostname: 'web-0', zone: 'z', hints: { forZones: [{ name: 'z' }] } })), []);
  t.same(run(slice('IPv4', [])), ['endpoints[0].addresses: Required value: must contain at least 1 address']);
  t.same(run(slice('IPv4', ['fd00::1'])), ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']);
  t.same(run(slice('IPv6', ['::1'])), ['endpoints[0].addresses[0]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  t.same(run(slice('FQDN', ['db.example.com'])), []);
  t.same(run(slice('FQDN', ['db'])), ['endpoints[0].addresses[0]: Invalid value: "db": should be a domain with at least two segments separated by dots']);
  t.same(run(slice('IPv4', ['10.0.0.1'], { hints: { forZones: [{ name: 'a' }, { name: 'a' }] } })), ['endpoints[0].hints.forZones[1].name: Duplicate value: "a"']);
  t.same(
    run({ addressType: 'IPv4', endpoints: [], ports: [{ name: '', port: 80 }, { name: '', port: 81 }] }),
    ['ports[1].name: Duplicate value: ""'],
    'unnamed ports collide too',
  );
  t.equal(endpointSliceServiceName(slice('IPv4', [])), 'web');
  const port = discoveryModule.schemas['io.k8s.api.discovery.v1.EndpointPort'];
  t.equal(port?.properties?.protocol?.default, 'TCP');
  t.equal(port?.properties?.name?.default, '');
  t.equal(discoveryModule.schemas['io.k8s.api.discovery.v1.EndpointSlice']?.properties?.addressType?.['x-k8ts-immutable'], true);
});

const v1Event: JsonObject = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'p.1', namespace: 'team' },
  eventTime: '2024-05-01T10:00:00.000000Z',
  reportingController: 'example.com/ctl',
  reportingInstance: 'ctl-1',
  action: 'Scale',
  reason: 'Scaled',
  regarding: { kind: 'Deployment', namespace: 'team', name: 'web' },
  note: 'scaled to 3',
  type: 'Normal',
  deprecatedSource: {},
};

t.test('events.k8s.io to core and back', async (t) => {
  const core = eventsV1ToCoreEvent(v1Event);
  t.same(core, {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: 'p.1', namespace: 'team' },
    involvedObject: { kind: 'Deployment', namespace: 'team', name: 'web' },
    reason: 'Scaled',
    message: 'scaled to 3',
    source: {},
    type: 'Normal',
    eventTime: '2024-05-01T10:00:00.000000Z',
    action: 'Scale',
    reportingComponent: 'example.com/ctl',
    reportingInstance: 'ctl-1',
  });
  t.same(coreEventToEventsV1(core), v1Event, 'round trip');
  core.metadata = { name: 'changed' };
  t.same((v1Event.metadata as JsonObject).name, 'p.1', 'the input is not shared');
});

t.test('core events seen through events.k8s.io', async (t) => {
  const legacy: JsonObject = {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: 'x', namespace: 'default' },
    involvedObject: { kind: 'Node', name: 'n1' },
    reason: 'NodeReady',
    message: 'Node n1 is ready',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2024-05-01T10:00:00Z',
    lastTimestamp: '2024-05-01T10:05:00Z',
    count: 4,
    type: 'Normal',
    reportingComponent: '',
    reportingInstance: '',
  };
  t.same(coreEventToEventsV1(legacy), {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'x', namespace: 'default' },
    reason: 'NodeReady',
    regarding: { kind: 'Node', name: 'n1' },
    note: 'Node n1 is ready',
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'n1' },
    deprecatedFirstTimestamp: '2024-05-01T10:00:00Z',
    deprecatedLastTimestamp: '2024-05-01T10:05:00Z',
    deprecatedCount: 4,
  });
  t.same(eventsV1ToCoreEvent({ metadata: {} }), {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: {},
    involvedObject: {},
    source: {},
    reportingComponent: '',
    reportingInstance: '',
  });
});

t.test('events.k8s.io validation runs on the core form with Kubernetes field names', async (t) => {
  const run = (ev: JsonObject, ctx: ValidationContext = create): string[] =>
    eventsModule.validators!['io.k8s.api.events.v1.Event']!(ev, '', ctx).map(fieldErrorMessage);
  t.same(run(v1Event), []);
  const { reportingController: _dropped, ...withoutController } = v1Event;
  t.same(run({ ...withoutController, deprecatedCount: 2 }).filter((m) => !m.includes('name part')), [
    'reportingController: Required value',
    'count: Invalid value: "": needs to be unset',
  ]);
  t.same(run({ ...v1Event, note: 'changed' }, { operation: 'update', old: v1Event }), ['message: Invalid value: "changed": field is immutable']);
  t.same(run({ ...v1Event, note: 'changed' }, { operation: 'update', old: eventsV1ToCoreEvent(v1Event) }), [
    'message: Invalid value: "changed": field is immutable',
  ], 'the stored core form is accepted as the old object');
  t.same(eventsModule.schemas['io.k8s.api.events.v1.Event']?.required, ['eventTime']);
});
