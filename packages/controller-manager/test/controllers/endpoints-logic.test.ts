import t from 'tap';
import type { Endpoints, Pod, Service } from '@k8ts/api-machinery';
import {
  desiredEndpoints,
  desiredSubsets,
  endpointsLabels,
  OVER_CAPACITY_ANNOTATION,
  subsetsEqual,
  truncateSubsets,
} from '../../src/controllers/endpoints/endpoints-logic.js';
import {
  findPort,
  formatTriggerTime,
  HEADLESS_LABEL,
  LAST_CHANGE_TRIGGER_TIME,
  managesEndpointsOf,
  servicesToUpdateOnPodChange,
  shouldPodBeInEndpoints,
  TriggerTimeTracker,
} from '../../src/controllers/endpoints/pod-endpoints.js';

const T0 = '2026-11-23T12:00:00Z';

interface PodOpts {
  ip?: string;
  ready?: boolean;
  readySince?: string;
  node?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
  phase?: string;
  ports?: Array<{ name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }>;
  hostname?: string;
  subdomain?: string;
  rv?: string;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: o.rv ?? '1',
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: T0 } : {}),
    },
    spec: {
      nodeName: o.node ?? 'n1',
      containers: [{ name: 'c', image: 'i', ...(o.ports ? { ports: o.ports } : {}) }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      ...(o.ip === '' ? {} : { podIP: o.ip ?? `10.244.1.${name.length}`, podIPs: [{ ip: o.ip ?? `10.244.1.${name.length}` }] }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? T0 }],
    },
  };
}

function service(spec: Partial<NonNullable<Service['spec']>> = {}, labels?: Record<string, string>): Service {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', creationTimestamp: '2026-11-23T11:00:00Z', ...(labels ? { labels } : {}) },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
  };
}

t.test('which pods are endpoints, and on which port', async (t) => {
  t.ok(shouldPodBeInEndpoints(pod('a'), false));
  t.notOk(shouldPodBeInEndpoints(pod('a', { ip: '' }), true), 'no IP yet');
  t.notOk(shouldPodBeInEndpoints(pod('a', { phase: 'Succeeded' }), true), 'finished');
  t.notOk(shouldPodBeInEndpoints(pod('a', { deleting: true }), false), 'terminating, not tolerated');
  t.ok(shouldPodBeInEndpoints(pod('a', { deleting: true }), true), 'terminating, tolerated');

  const named = pod('a', { ports: [{ name: 'web', containerPort: 9000 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  t.equal(findPort(named, { port: 80, targetPort: 'web' }), 9000, 'a named port');
  t.equal(findPort(named, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined, 'the name with another protocol does not match');
  t.equal(findPort(named, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
  t.equal(findPort(named, { port: 80 }), 80, 'no targetPort: the port');
  t.equal(findPort(named, { port: 80, targetPort: 8081 }), 8081);
  const sidecar: Pod = { ...named, spec: { ...named.spec!, initContainers: [{ name: 's', image: 'i', restartPolicy: 'Always', ports: [{ name: 'side', containerPort: 7000 }] }] } };
  t.equal(findPort(sidecar, { port: 1, targetPort: 'side' }), 7000, 'a sidecar init container port');

  t.ok(managesEndpointsOf(service()));
  t.notOk(managesEndpointsOf(service({ selector: undefined })), 'no selector: managed by someone else');
  t.notOk(managesEndpointsOf(service({ type: 'ExternalName', externalName: 'x.example' })), 'ExternalName');
});

t.test('subsets: ready and not-ready addresses grouped by the ports they serve', async (t) => {
  const svc = service({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
  const withPort = (name: string, port: number, ready = true): Pod => pod(name, { ports: [{ name: 'web', containerPort: port }], ready });
  const subsets = desiredSubsets(svc, [withPort('a', 8080), withPort('bb', 8080, false), withPort('ccc', 9090), pod('dddd')]);
  t.equal(subsets.length, 2, 'two port sets, the pod without the named port left out');
  const s8080 = subsets.find((s) => s.ports?.[0]?.port === 8080)!;
  t.same(s8080.addresses?.map((a) => a.targetRef?.name), ['a']);
  t.same(s8080.notReadyAddresses?.map((a) => a.targetRef?.name), ['bb']);
  t.same(s8080.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(s8080.addresses?.[0], { ip: '10.244.1.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } });
  const s9090 = subsets.find((s) => s.ports?.[0]?.port === 9090)!;
  t.same(s9090.addresses?.map((a) => a.targetRef?.name), ['ccc']);

  const twoPorts = service({
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
    ],
  });
  const merged = desiredSubsets(twoPorts, [pod('a'), pod('bb')]);
  t.equal(merged.length, 1, 'same addresses on both ports: one subset');
  t.same(merged[0]!.ports?.map((p) => p.name), ['http', 'metrics']);
  t.equal(merged[0]!.addresses?.length, 2);

  t.same(desiredSubsets(svc, [pod('a', { deleting: true })]), [], 'a terminating pod is gone from Endpoints');
  const publish = service({ publishNotReadyAddresses: true });
  const pub = desiredSubsets(publish, [pod('a', { ready: false }), pod('bb', { deleting: true })]);
  t.same(pub[0]!.addresses?.map((a) => a.targetRef?.name), ['a', 'bb'], 'publishNotReadyAddresses: not ready and terminating pods are ready addresses');
  t.notOk(pub[0]!.notReadyAddresses);

  const headless = service({ clusterIP: 'None', ports: [] });
  const hs = desiredSubsets(headless, [pod('a', { hostname: 'a-host', subdomain: 'web' }), pod('bb', { hostname: 'b', subdomain: 'other' })]);
  t.equal(hs.length, 1);
  t.notOk(hs[0]!.ports, 'a headless Service without ports lists addresses without ports');
  t.equal(hs[0]!.addresses?.[0]?.hostname, 'a-host', 'hostname when the pod names the Service as subdomain');
  t.equal(hs[0]!.addresses?.[1]?.hostname, undefined);
  t.same(desiredSubsets(service({ ports: [] }), [pod('a')]), [], 'a Service with a cluster IP and no ports has no addresses');
});

t.test('the Endpoints object: labels, headless label, trigger time, no-op when equal', async (t) => {
  const svc = service({}, { team: 'a', [HEADLESS_LABEL]: 'x' });
  t.same(endpointsLabels(svc), { team: 'a' });
  t.same(endpointsLabels(service({ clusterIP: 'None' }, { team: 'a' })), { team: 'a', [HEADLESS_LABEL]: '' });

  const first = desiredEndpoints(svc, [pod('a')], undefined, Date.parse(T0));
  t.ok(first?.create, 'created when missing');
  t.equal(first!.endpoints.metadata?.annotations?.[LAST_CHANGE_TRIGGER_TIME], '2026-11-23T12:00:00Z');
  t.same(first!.endpoints.metadata?.labels, { team: 'a' });
  const current: Endpoints = { ...first!.endpoints, metadata: { ...first!.endpoints.metadata, resourceVersion: '5' } };
  t.equal(desiredEndpoints(svc, [pod('a')], current, undefined), undefined, 'nothing changed: no write');
  const reordered: Endpoints = { ...current, subsets: [{ ...current.subsets![0]!, addresses: [{ ...current.subsets![0]!.addresses![0]!, targetRef: { ...current.subsets![0]!.addresses![0]!.targetRef, resourceVersion: '99' } }] }] };
  t.equal(desiredEndpoints(svc, [pod('a')], reordered, undefined), undefined, "a pod's resourceVersion in targetRef does not matter");
  const next = desiredEndpoints(svc, [pod('a'), pod('bb')], current, undefined);
  t.equal(next?.create, false, 'updated');
  t.equal(next!.endpoints.metadata?.resourceVersion, '5', 'an update carries the resourceVersion read');
  t.equal(next!.endpoints.metadata?.annotations, undefined, 'no new trigger: the annotation goes');
  const relabeled = desiredEndpoints(service({}, { team: 'b' }), [pod('a')], current, undefined);
  t.same(relabeled?.endpoints.metadata?.labels, { team: 'b' }, 'label changes are written');
  t.ok(subsetsEqual(current.subsets, desiredSubsets(svc, [pod('a')])));
});

t.test('truncation to the capacity', async (t) => {
  const pods = Array.from({ length: 12 }, (_, i) => pod(`p${i}`, { ip: `10.244.2.${i + 1}`, ready: i < 8 }));
  const over = desiredEndpoints(service(), pods, undefined, undefined, 10);
  const subsets = over!.endpoints.subsets!;
  const count = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  t.equal(count, 10, 'cut to the capacity');
  t.equal(subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0), 8, 'ready addresses kept, not-ready ones cut');
  t.equal(over!.endpoints.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION], 'truncated');
  const readyOnly = truncateSubsets([{ addresses: pods.slice(0, 6).map((p) => ({ ip: p.status!.podIP })), notReadyAddresses: [{ ip: 'x' }] }], 4);
  t.equal(readyOnly.subsets[0]!.addresses?.length, 4, 'too many ready: ready ones cut');
  t.notOk(readyOnly.subsets[0]!.notReadyAddresses, 'and every not-ready one');
});

t.test('pod changes map to Services; trigger times', async (t) => {
  const web = service();
  const api: Service = { ...service({ selector: { app: 'api' } }), metadata: { name: 'api', namespace: 'default' } };
  const a = pod('a', { rv: '1' });
  t.same(servicesToUpdateOnPodChange(a, { ...a }, [web, api]), [], 'a resync changes nothing');
  t.same(servicesToUpdateOnPodChange(a, { ...a, metadata: { ...a.metadata, resourceVersion: '2', annotations: { x: 'y' } } }, [web, api]), [], 'an unrelated change');
  const notReady = pod('a', { rv: '2', ready: false });
  t.same(servicesToUpdateOnPodChange(a, notReady, [web, api]).map((s) => s.metadata?.name), ['web'], 'readiness');
  const moved = pod('a', { rv: '2', labels: { app: 'api' } });
  t.same(servicesToUpdateOnPodChange(a, moved, [web, api]).map((s) => s.metadata?.name).sort(), ['api', 'web'], 'labels: the Service left and the one joined');

  const tracker = new TriggerTimeTracker();
  const created = Date.parse('2026-11-23T11:00:00Z');
  t.equal(tracker.compute('default/web', web, [pod('a', { readySince: T0 })]), created, 'first sync: the Service creation is the earliest change');
  t.equal(tracker.compute('default/web', web, [pod('a', { readySince: T0 })]), undefined, 'nothing new');
  const later = '2026-11-23T12:05:00Z';
  t.equal(tracker.compute('default/web', web, [pod('a', { readySince: T0 }), pod('bb', { readySince: later })]), Date.parse(later), 'a new pod');
  t.equal(tracker.compute('default/web', web, [pod('bb', { readySince: later })]), undefined, 'a deletion has no trigger time');
  t.equal(formatTriggerTime(Date.parse('2026-11-23T12:00:00.120Z')), '2026-11-23T12:00:00.12Z', 'RFC 3339 nano, zeros trimmed');
});
