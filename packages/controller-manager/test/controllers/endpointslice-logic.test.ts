import t from 'tap';
import type { discoveryv1, Node, Pod, Service } from '@k8ts/api-machinery';
import {
  CONTROLLER_NAME,
  endpointPortsFor,
  MANAGED_BY_LABEL,
  podToEndpoint,
  reconcileSlices,
  SERVICE_NAME_LABEL,
  type SliceReconcileInput,
} from '../../src/controllers/endpointslice/slice-logic.js';
import { EndpointSliceTracker } from '../../src/controllers/endpointslice/slice-tracker.js';
import { HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME } from '../../src/controllers/endpoints/pod-endpoints.js';

type EndpointSlice = discoveryv1.EndpointSlice;

function pod(i: number, o: { ready?: boolean; deleting?: boolean; node?: string; port?: number } = {}): Pod {
  return {
    metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-11-23T12:00:00Z' } : {}) },
    spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'c', image: 'i', ...(o.port ? { ports: [{ name: 'web', containerPort: o.port }] } : {}) }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

const svc = (spec: Partial<NonNullable<Service['spec']>> = {}): Service => ({
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
});

const nodes: Record<string, Node> = { n1: { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } }, n2: { metadata: { name: 'n2' } } };

const input = (over: Partial<SliceReconcileInput>): SliceReconcileInput => ({
  service: svc(),
  pods: [],
  nodeOf: (n) => nodes[n],
  existing: [],
  maxEndpointsPerSlice: 100,
  triggerTimeMs: undefined,
  ...over,
});

/** What the server would return for a created slice. */
let serial = 0;
const persisted = (s: EndpointSlice): EndpointSlice => ({
  ...s,
  metadata: { ...s.metadata, name: s.metadata?.name ?? `web-${++serial}`, uid: s.metadata?.uid ?? `slice-${serial}`, resourceVersion: '10' },
});

t.test('endpoints from pods: conditions, zone, ports', async (t) => {
  const s = svc();
  t.same(podToEndpoint(pod(1), nodes['n1'], s), {
    addresses: ['10.244.0.2'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-1' },
    nodeName: 'n1',
    zone: 'z1',
  });
  t.same(podToEndpoint(pod(1, { ready: false }), undefined, s).conditions, { ready: false, serving: false, terminating: false }, 'not ready');
  t.same(podToEndpoint(pod(1, { deleting: true }), undefined, s).conditions, { ready: false, serving: true, terminating: true }, 'terminating but still serving');
  t.same(podToEndpoint(pod(1, { ready: false }), undefined, svc({ publishNotReadyAddresses: true })).conditions?.ready, true, 'publishNotReadyAddresses');
  t.same(endpointPortsFor(svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] }), pod(1, { port: 9000 })), [{ name: 'http', port: 9000, protocol: 'TCP' }]);
  t.same(endpointPortsFor(svc({ ports: [{ port: 80, targetPort: 'web' }] }), pod(1)), [], 'an unresolvable named port is left out');
});

t.test('a new Service: slices of at most max endpoints, labels, owner, trigger time', async (t) => {
  const pods = Array.from({ length: 250 }, (_, i) => pod(i));
  const plan = reconcileSlices(input({ pods, triggerTimeMs: Date.parse('2026-11-23T12:00:00Z') }));
  t.same(plan.create.map((s) => s.endpoints?.length), [100, 100, 50]);
  t.same([plan.update.length, plan.delete.length], [0, 0]);
  const slice = plan.create[0]!;
  t.same(slice.metadata?.labels, { team: 'a', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME });
  t.equal(slice.metadata?.generateName, 'web-');
  t.same(slice.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  t.equal(slice.addressType, 'IPv4');
  t.same(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.equal(slice.metadata?.annotations?.[LAST_CHANGE_TRIGGER_TIME], '2026-11-23T12:00:00Z');
  const headless = reconcileSlices(input({ service: svc({ clusterIP: 'None', ports: [] }), pods: [pod(1)] }));
  t.equal(headless.create[0]!.metadata?.labels?.[HEADLESS_LABEL], '', 'the headless label');
  t.same(headless.create[0]!.ports, [], 'no ports');
});

t.test('steady state, updates in place, emptied slices, placeholder', async (t) => {
  const pods = [pod(1), pod(2), pod(3)];
  const first = reconcileSlices(input({ pods })).create.map(persisted);
  const again = reconcileSlices(input({ pods, existing: first }));
  t.same([again.create.length, again.update.length, again.delete.length], [0, 0, 0], 'nothing changed: nothing to write');

  const notReady = reconcileSlices(input({ pods: [pod(1, { ready: false }), pod(2), pod(3)], existing: first }));
  t.equal(notReady.update.length, 1, 'a readiness change updates the slice');
  t.equal(notReady.update[0]!.metadata?.name, first[0]!.metadata?.name);
  t.equal(notReady.update[0]!.metadata?.resourceVersion, '10', 'an update carries the resourceVersion read');
  t.same(notReady.update[0]!.endpoints?.find((e) => e.targetRef?.name === 'p1')?.conditions, { ready: false, serving: false, terminating: false });

  const fewer = reconcileSlices(input({ pods: [pod(1)], existing: first }));
  t.same(fewer.update[0]!.endpoints?.map((e) => e.targetRef?.name), ['p1'], 'a deleted pod leaves the slice');

  const none = reconcileSlices(input({ pods: [], existing: first }));
  t.same([none.create.length, none.delete.length, none.update.length], [0, 0, 1], 'no endpoints: the emptied slice becomes the placeholder (same name)');
  t.same(none.update[0]!.endpoints, []);
  t.same(none.update[0]!.ports, []);
  const placeholder = persisted(none.update[0]!);
  const still = reconcileSlices(input({ pods: [], existing: [placeholder] }));
  t.same([still.create.length, still.update.length, still.delete.length], [0, 0, 0], 'the placeholder stays without churn');
  const back = reconcileSlices(input({ pods: [pod(1)], existing: [placeholder] }));
  t.same([back.create.length, back.update.length, back.delete.length], [0, 1, 0], 'pods again: the placeholder is reused');
  t.same(back.update[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(reconcileSlices(input({})).create.map((s) => s.endpoints), [[]], 'a Service without pods gets a placeholder');
});

t.test('leftovers fill existing slices before new ones', async (t) => {
  const first = reconcileSlices(input({ pods: Array.from({ length: 150 }, (_, i) => pod(i)) })).create.map(persisted);
  t.same(first.map((s) => s.endpoints?.length), [100, 50]);
  const more = reconcileSlices(input({ pods: Array.from({ length: 180 }, (_, i) => pod(i)), existing: first }));
  t.same([more.create.length, more.update.length], [0, 1], '30 more fit in the half-empty slice');
  t.equal(more.update[0]!.endpoints?.length, 80);
});

t.test('port sets, missing nodes, address types', async (t) => {
  const named = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
  const plan = reconcileSlices(input({ service: named, pods: [pod(1, { port: 8080 }), pod(2, { port: 9090 }), pod(3, { port: 8080 })] }));
  t.same(plan.create.map((s) => [s.ports?.[0]?.port, s.endpoints?.length]).sort(), [[8080, 2], [9090, 1]], 'one slice per resolved port set');

  const missing = reconcileSlices(input({ pods: [pod(1), pod(2, { node: 'gone' })] }));
  t.same(missing.podsOnMissingNodes, ['p2'], 'a pod on an unknown Node is skipped');
  t.equal(missing.create[0]!.endpoints?.length, 1);
  const published = reconcileSlices(input({ service: svc({ publishNotReadyAddresses: true }), pods: [pod(2, { node: 'gone' })] }));
  t.equal(published.create[0]!.endpoints?.length, 1, 'unless not-ready addresses are published');

  const v6: EndpointSlice = persisted({ addressType: 'IPv6', endpoints: [], metadata: { namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid' }] } });
  const swap = reconcileSlices(input({ pods: [pod(1)], existing: [v6] }));
  t.same([swap.create.length, swap.delete.length, swap.update.length], [1, 1, 0], 'an address type change cannot reuse a slice');
  const foreign: EndpointSlice = { ...v6, addressType: 'IPv4', endpoints: [podToEndpoint(pod(9), undefined, svc())], metadata: { ...v6.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'old-uid' }] } };
  const old = reconcileSlices(input({ pods: [pod(1)], existing: [foreign] }));
  t.same([old.create.length, old.delete.length], [1, 1], "a slice of an older Service of the same name is not reused");
});

t.test('the tracker: stale caches and our own writes', async (t) => {
  const tracker = new EndpointSliceTracker();
  const slice = (uid: string, rv: string, deleting = false): EndpointSlice => ({
    addressType: 'IPv4',
    metadata: { name: uid, uid, resourceVersion: rv, ...(deleting ? { deletionTimestamp: 'x' } : {}) },
  });
  t.notOk(tracker.stale('ns/web', []), 'nothing written: never stale');
  tracker.update('ns/web', slice('a', '10'));
  t.ok(tracker.stale('ns/web', []), 'our created slice is not cached yet');
  t.ok(tracker.stale('ns/web', [slice('a', '9')]), 'an older version is cached');
  t.notOk(tracker.stale('ns/web', [slice('a', '10')]));
  t.notOk(tracker.shouldSync('ns/web', slice('a', '10')), 'our own write coming back');
  t.ok(tracker.shouldSync('ns/web', slice('a', '11')), 'someone else changed it');
  tracker.expectDeletion('ns/web', slice('a', '11'));
  t.ok(tracker.stale('ns/web', [slice('a', '11')]), 'deleted by us but still cached');
  t.notOk(tracker.stale('ns/web', [slice('a', '12', true)]), 'pending deletion counts as gone');
  t.notOk(tracker.handleDeletion('ns/web', slice('a', '11')), 'our own deletion does not resync');
  t.ok(tracker.handleDeletion('ns/web', slice('b', '3')), 'someone else deleted a slice: resync');
});
