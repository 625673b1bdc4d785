// The core/v1 module as a whole: references resolve, kinds are well-formed and match Kubernetes' discovery facts.
import t from 'tap';
import { refName, type Schema } from '../../../src/schema/schema.js';
import { metaSchemas, OBJECT_META } from '../../../src/types/meta-v1/schemas.js';
import { coreKinds, coreModule } from '../../../src/types/core-v1/core.js';

/** Components the pod engineer's module provides (referenced by name only). */
const FROM_POD_MODULE = [
  'ObjectReference',
  'LocalObjectReference',
  'TypedLocalObjectReference',
  'PodTemplateSpec',
  'NodeSelector',
  'HostPathVolumeSource',
  'NFSVolumeSource',
].map((n) => `io.k8s.api.core.v1.${n}`);

function refsOf(schema: Schema, out: Set<string>): Set<string> {
  const name = refName(schema);
  if (name) out.add(name);
  for (const sub of [...Object.values(schema.properties ?? {}), ...(schema.allOf ?? [])]) refsOf(sub, out);
  if (schema.items) refsOf(schema.items, out);
  if (typeof schema.additionalProperties === 'object') refsOf(schema.additionalProperties, out);
  return out;
}

t.test('every $ref names a known component', async (t) => {
  const known = new Set([...Object.keys(coreModule.schemas), ...Object.keys(metaSchemas), ...FROM_POD_MODULE]);
  const dangling: string[] = [];
  for (const [name, schema] of Object.entries(coreModule.schemas))
    for (const ref of refsOf(schema, new Set())) if (!known.has(ref)) dangling.push(`${name} -> ${ref}`);
  t.same(dangling, []);
});

t.test('hooks are attached to components of this module', async (t) => {
  for (const name of [...Object.keys(coreModule.defaulters ?? {}), ...Object.keys(coreModule.validators ?? {})])
    t.ok(coreModule.schemas[name], name);
});

t.test('each kind has a top-level object schema with GVK, apiVersion, kind and metadata', async (t) => {
  t.equal(coreKinds.length, 13);
  for (const k of coreKinds) {
    const schema = coreModule.schemas[k.schema];
    t.ok(schema, k.schema);
    t.same(schema?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: k.kind }], k.kind);
    t.equal(schema?.properties?.apiVersion?.type, 'string');
    t.equal(schema?.properties?.kind?.type, 'string');
    t.equal(schema?.properties?.metadata ? refName(schema.properties.metadata) : undefined, OBJECT_META);
    t.equal(k.group, '');
    t.equal(k.version, 'v1');
  }
  t.notOk(coreKinds.some((k) => k.plural === 'pods' || k.plural === 'podtemplates'), 'pods belong to the pod module');
});

t.test('discovery facts of the kinds', async (t) => {
  const byPlural = Object.fromEntries(coreKinds.map((k) => [k.plural, k]));
  const short = Object.fromEntries(coreKinds.map((k) => [k.plural, k.shortNames ?? []]));
  t.same(short, {
    namespaces: ['ns'],
    nodes: ['no'],
    services: ['svc'],
    endpoints: ['ep'],
    configmaps: ['cm'],
    secrets: [],
    serviceaccounts: ['sa'],
    events: ['ev'],
    persistentvolumes: ['pv'],
    persistentvolumeclaims: ['pvc'],
    replicationcontrollers: ['rc'],
    resourcequotas: ['quota'],
    limitranges: ['limits'],
  });
  const clusterScoped = coreKinds.filter((k) => !k.namespaced).map((k) => k.plural);
  t.same(clusterScoped.sort(), ['namespaces', 'nodes', 'persistentvolumes']);
  const inAll = coreKinds.filter((k) => k.categories?.includes('all')).map((k) => k.plural);
  t.same(inAll.sort(), ['replicationcontrollers', 'services']);
  const withStatus = coreKinds.filter((k) => k.statusSubresource).map((k) => k.plural);
  t.same(withStatus.sort(), ['namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'resourcequotas', 'services']);
  t.equal(byPlural.namespaces?.nameRule, 'dns1123-label');
  t.equal(byPlural.services?.nameRule, 'dns1035-label');
  t.notOk(byPlural.services?.verbs?.includes('deletecollection'));
  t.notOk(byPlural.namespaces?.verbs?.includes('deletecollection'));
  t.same(byPlural.replicationcontrollers?.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' });
  t.equal(byPlural.replicationcontrollers?.generation, true);
  t.equal(byPlural.endpoints?.singular, 'endpoints');
});

t.test('field selectors read the values Kubernetes indexes', async (t) => {
  const sel = (plural: string, field: string, obj: object): string | undefined =>
    coreKinds.find((k) => k.plural === plural)?.fieldSelectors?.[field]?.(JSON.parse(JSON.stringify(obj)));
  t.equal(sel('namespaces', 'status.phase', { status: { phase: 'Active' } }), 'Active');
  t.equal(sel('nodes', 'spec.unschedulable', { spec: {} }), 'false');
  t.equal(sel('nodes', 'spec.unschedulable', { spec: { unschedulable: true } }), 'true');
  t.equal(sel('secrets', 'type', { type: 'kubernetes.io/tls' }), 'kubernetes.io/tls');
  t.equal(sel('replicationcontrollers', 'status.replicas', { status: { replicas: 3 } }), '3');
  t.equal(sel('replicationcontrollers', 'status.replicas', {}), '0');
  t.equal(sel('services', 'spec.type', { spec: { type: 'NodePort' } }), 'NodePort');
  t.equal(sel('services', 'spec.clusterIP', { spec: { clusterIP: 'None' } }), 'None');
  const ev = { involvedObject: { kind: 'Pod', name: 'p', uid: 'u1' }, reason: 'Started', source: { component: 'kubelet' }, type: 'Normal' };
  t.equal(sel('events', 'involvedObject.kind', ev), 'Pod');
  t.equal(sel('events', 'involvedObject.uid', ev), 'u1');
  t.equal(sel('events', 'involvedObject.fieldPath', ev), '');
  t.equal(sel('events', 'reason', ev), 'Started');
  t.equal(sel('events', 'source', ev), 'kubelet');
  t.equal(sel('events', 'source', { source: {}, reportingComponent: 'sched' }), 'sched', 'source falls back to the reporting controller');
  t.equal(sel('events', 'type', ev), 'Normal');
});

t.test('patch metadata from the Go struct tags', async (t) => {
  const prop = (component: string, field: string): Schema | undefined => coreModule.schemas[`io.k8s.api.core.v1.${component}`]?.properties?.[field];
  const ports = prop('ServiceSpec', 'ports');
  t.equal(ports?.['x-kubernetes-patch-merge-key'], 'port');
  t.same(ports?.['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  t.equal(prop('NodeSpec', 'podCIDRs')?.['x-kubernetes-patch-strategy'], 'merge');
  t.equal(prop('NodeSpec', 'podCIDRs')?.['x-kubernetes-list-type'], 'set');
  t.equal(prop('NodeStatus', 'addresses')?.['x-kubernetes-patch-merge-key'], 'type');
  t.equal(prop('NodeStatus', 'conditions')?.['x-kubernetes-patch-merge-key'], 'type');
  t.equal(prop('ServiceAccount', 'secrets')?.['x-kubernetes-patch-merge-key'], 'name');
  t.equal(prop('Secret', 'data')?.additionalProperties && (prop('Secret', 'data')?.additionalProperties as Schema).format, 'byte');
  t.equal((prop('NodeStatus', 'capacity')?.additionalProperties as Schema)['x-k8ts-quantity'], true);
  t.equal(prop('ServicePort', 'targetPort')?.['x-kubernetes-int-or-string'], true);
  t.equal(prop('Event', 'eventTime')?.format, 'date-time');
  t.equal(prop('Secret', 'type')?.['x-k8ts-immutable'], true);
});
