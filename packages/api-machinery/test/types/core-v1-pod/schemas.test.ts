import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { refName, type Schema } from '../../../src/schema/schema.js';
import { metaSchemas } from '../../../src/types/meta-v1/schemas.js';
import { podKinds, podModule } from '../../../src/types/core-v1/pod.js';
import { podFieldSelectors } from '../../../src/types/core-v1/pod-kinds.js';
import { podSharedVolumeSourceNames } from '../../../src/types/core-v1/pod-volume-schemas.js';
import { V1 } from './helpers/pod-test-kit.js';

/** Components other modules provide: the PVC template (core storage) and the sources shared with PersistentVolumes. */
const PROVIDED_ELSEWHERE = new Set([`${V1}.PersistentVolumeClaimTemplate`, ...podSharedVolumeSourceNames]);

function refsOf(schema: Schema | boolean | undefined, out: Set<string>): Set<string> {
  if (!schema || typeof schema === 'boolean') return out;
  const n = refName(schema);
  if (n !== undefined) out.add(n);
  for (const p of Object.values(schema.properties ?? {})) refsOf(p, out);
  refsOf(schema.items, out);
  refsOf(schema.additionalProperties, out);
  for (const a of schema.allOf ?? []) refsOf(a, out);
  return out;
}

const schemas = podModule.schemas;
const component = (name: string): Schema => {
  const s = schemas[`${V1}.${name}`];
  if (!s) throw new Error(`missing ${name}`);
  return s;
};
const prop = (name: string, p: string): Schema => {
  const s = component(name).properties?.[p];
  if (!s) throw new Error(`missing ${name}.${p}`);
  return s;
};

t.test('every $ref names a component of this module, meta/v1, or one provided elsewhere', async (t) => {
  const refs = new Set<string>();
  for (const s of Object.values(schemas)) refsOf(s, refs);
  const missing = [...refs].filter((r) => !(r in schemas) && !(r in metaSchemas) && !PROVIDED_ELSEWHERE.has(r));
  t.same(missing, []);
  t.ok(refs.has(`${V1}.PersistentVolumeClaimTemplate`), 'the ephemeral volume refers to the PVC template');
});

t.test('all requested components exist', async (t) => {
  const names = [
    'Pod', 'PodSpec', 'PodStatus', 'PodTemplateSpec', 'PodTemplate', 'Binding', 'ObjectReference', 'LocalObjectReference',
    'TypedLocalObjectReference', 'Container', 'EphemeralContainer', 'ContainerPort', 'EnvVar', 'EnvVarSource',
    'ObjectFieldSelector', 'ResourceFieldSelector', 'ConfigMapKeySelector', 'SecretKeySelector', 'EnvFromSource',
    'ConfigMapEnvSource', 'SecretEnvSource', 'VolumeMount', 'VolumeDevice', 'ResourceRequirements', 'ResourceClaim',
    'Probe', 'ExecAction', 'HTTPGetAction', 'HTTPHeader', 'TCPSocketAction', 'GRPCAction', 'Lifecycle',
    'LifecycleHandler', 'SleepAction', 'SecurityContext', 'PodSecurityContext', 'Capabilities', 'SELinuxOptions',
    'SeccompProfile', 'AppArmorProfile', 'WindowsSecurityContextOptions', 'Sysctl', 'Volume', 'EmptyDirVolumeSource',
    'HostPathVolumeSource', 'ConfigMapVolumeSource', 'SecretVolumeSource', 'KeyToPath', 'DownwardAPIVolumeSource',
    'DownwardAPIVolumeFile', 'ProjectedVolumeSource', 'VolumeProjection', 'ConfigMapProjection', 'SecretProjection',
    'DownwardAPIProjection', 'ServiceAccountTokenProjection', 'ClusterTrustBundleProjection',
    'PersistentVolumeClaimVolumeSource', 'NFSVolumeSource', 'EphemeralVolumeSource', 'ImageVolumeSource', 'Affinity',
    'NodeAffinity', 'NodeSelector', 'NodeSelectorTerm', 'NodeSelectorRequirement', 'PreferredSchedulingTerm',
    'PodAffinity', 'PodAntiAffinity', 'PodAffinityTerm', 'WeightedPodAffinityTerm', 'Toleration',
    'TopologySpreadConstraint', 'HostAlias', 'PodDNSConfig', 'PodDNSConfigOption', 'PodReadinessGate',
    'PodSchedulingGate', 'PodOS', 'PodResourceClaim', 'PodCondition', 'PodIP', 'HostIP', 'ContainerStatus',
    'ContainerState', 'ContainerStateWaiting', 'ContainerStateRunning', 'ContainerStateTerminated',
    'ContainerResizePolicy', 'GitRepoVolumeSource', 'ISCSIVolumeSource', 'CSIVolumeSource',
  ];
  t.same(names.filter((n) => !(`${V1}.${n}` in schemas)), []);
  for (const [name, s] of Object.entries(schemas)) t.ok(s.description, `${name} is described`);
});

t.test('kind schemas carry apiVersion, kind, metadata and their group-version-kind', async (t) => {
  for (const kind of ['Pod', 'PodTemplate', 'Binding']) {
    const s = component(kind);
    t.equal(s.properties?.apiVersion?.type, 'string');
    t.equal(s.properties?.kind?.type, 'string');
    t.equal(refName(s.properties?.metadata ?? {}), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    t.same(s['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind }]);
  }
});

t.test('patch metadata follows the Go struct tags', async (t) => {
  const check = (c: string, p: string, mergeKey: string | undefined, strategy: string | undefined, listType: string, mapKeys?: string[]): void => {
    const s = prop(c, p);
    t.equal(s['x-kubernetes-patch-merge-key'], mergeKey, `${c}.${p} merge key`);
    t.equal(s['x-kubernetes-patch-strategy'], strategy, `${c}.${p} strategy`);
    t.equal(s['x-kubernetes-list-type'], listType, `${c}.${p} list type`);
    if (mapKeys) t.same(s['x-kubernetes-list-map-keys'], mapKeys, `${c}.${p} map keys`);
  };
  check('PodSpec', 'containers', 'name', 'merge', 'map', ['name']);
  check('PodSpec', 'initContainers', 'name', 'merge', 'map', ['name']);
  check('PodSpec', 'volumes', 'name', 'merge,retainKeys', 'map', ['name']);
  check('PodSpec', 'tolerations', undefined, undefined, 'atomic');
  check('PodSpec', 'hostAliases', 'ip', 'merge', 'map', ['ip']);
  check('PodSpec', 'topologySpreadConstraints', 'topologyKey', 'merge', 'map', ['topologyKey', 'whenUnsatisfiable']);
  check('PodSpec', 'resourceClaims', 'name', 'merge,retainKeys', 'map', ['name']);
  check('Container', 'ports', 'containerPort', 'merge', 'map', ['containerPort', 'protocol']);
  check('Container', 'env', 'name', 'merge', 'map', ['name']);
  check('Container', 'volumeMounts', 'mountPath', 'merge', 'map', ['mountPath']);
  check('Container', 'volumeDevices', 'devicePath', 'merge', 'map', ['devicePath']);
  check('Container', 'envFrom', undefined, undefined, 'atomic');
  check('PodStatus', 'conditions', 'type', 'merge', 'map', ['type']);
  check('PodStatus', 'podIPs', 'ip', 'merge', 'map', ['ip']);
  check('PodStatus', 'hostIPs', 'ip', 'merge', 'atomic');
  check('PodStatus', 'containerStatuses', undefined, undefined, 'atomic');
  t.equal(component('LocalObjectReference')['x-kubernetes-map-type'], 'atomic');
  t.equal(component('NodeSelectorTerm')['x-kubernetes-map-type'], 'atomic');
  t.equal(prop('PodSpec', 'nodeSelector')['x-kubernetes-map-type'], 'atomic');
});

t.test('types: int64, quantities, int-or-string, times', async (t) => {
  t.equal(prop('PodSpec', 'terminationGracePeriodSeconds').format, 'int64');
  t.equal(prop('PodSpec', 'priority').format, 'int32');
  t.equal(prop('PodSecurityContext', 'runAsUser').format, 'int64');
  t.equal(prop('ContainerPort', 'containerPort').format, 'int32');
  t.ok(prop('HTTPGetAction', 'port')['x-kubernetes-int-or-string']);
  t.ok(prop('TCPSocketAction', 'port')['x-kubernetes-int-or-string']);
  t.ok(prop('EmptyDirVolumeSource', 'sizeLimit')['x-k8ts-quantity']);
  t.ok(prop('ResourceRequirements', 'limits').additionalProperties);
  t.equal(prop('PodStatus', 'startTime').format, 'date-time');
});

t.test('unconditional defaults are schema defaults', async (t) => {
  t.equal(prop('PodSpec', 'restartPolicy').default, 'Always');
  t.equal(prop('PodSpec', 'dnsPolicy').default, 'ClusterFirst');
  t.equal(prop('PodSpec', 'schedulerName').default, 'default-scheduler');
  t.equal(prop('PodSpec', 'terminationGracePeriodSeconds').default, 30);
  t.same(prop('PodSpec', 'securityContext').default, {});
  t.equal(prop('PodSpec', 'enableServiceLinks').default, undefined, 'only pods get enableServiceLinks (hook)');
  t.equal(prop('Container', 'terminationMessagePath').default, '/dev/termination-log');
  t.equal(prop('Container', 'terminationMessagePolicy').default, 'File');
  t.same(prop('Container', 'resources').default, {});
  t.equal(prop('ContainerPort', 'protocol').default, 'TCP');
  t.equal(prop('Probe', 'timeoutSeconds').default, 1);
  t.equal(prop('Probe', 'periodSeconds').default, 10);
  t.equal(prop('Probe', 'successThreshold').default, 1);
  t.equal(prop('Probe', 'failureThreshold').default, 3);
  t.equal(prop('HTTPGetAction', 'path').default, '/');
  t.equal(prop('HTTPGetAction', 'scheme').default, 'HTTP');
  t.equal(prop('GRPCAction', 'service').default, '');
  for (const c of ['SecretVolumeSource', 'ConfigMapVolumeSource', 'DownwardAPIVolumeSource', 'ProjectedVolumeSource']) t.equal(prop(c, 'defaultMode').default, 420, c);
  t.equal(prop('HostPathVolumeSource', 'type').default, '');
  t.equal(prop('ServiceAccountTokenProjection', 'expirationSeconds').default, 3600);
  t.equal(prop('ObjectFieldSelector', 'apiVersion').default, 'v1');
  t.equal(prop('RBDVolumeSource', 'pool').default, 'rbd');
  t.equal(prop('ISCSIVolumeSource', 'iscsiInterface').default, 'default');
});

t.test('enums list values in the order Kubernetes reports them', async (t) => {
  t.same(prop('PodSpec', 'restartPolicy').enum, ['Always', 'OnFailure', 'Never']);
  t.same(prop('PodSpec', 'dnsPolicy').enum, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']);
  t.same(prop('ContainerPort', 'protocol').enum, ['SCTP', 'TCP', 'UDP']);
  t.same(prop('Container', 'imagePullPolicy').enum, ['Always', 'IfNotPresent', 'Never']);
  t.same(prop('TopologySpreadConstraint', 'whenUnsatisfiable').enum, ['DoNotSchedule', 'ScheduleAnyway']);
});

t.test('required keywords where validation requires the field', async (t) => {
  t.same(component('PodSpec').required, ['containers']);
  t.same(component('Container').required, ['name', 'image']);
  t.same(component('VolumeMount').required, ['name', 'mountPath']);
  t.same(component('SecretVolumeSource').required, ['secretName']);
  t.same(component('NFSVolumeSource').required, ['server', 'path']);
  t.equal(component('Toleration').required, undefined);
});

t.test('kinds', async (t) => {
  const [pods, templates] = podKinds;
  t.match(pods, {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    namespaced: true,
    schema: `${V1}.Pod`,
    statusSubresource: true,
    generation: false,
    nameRule: 'dns1123-subdomain',
  });
  t.match(templates, { kind: 'PodTemplate', plural: 'podtemplates', singular: 'podtemplate', namespaced: true, schema: `${V1}.PodTemplate` });
  t.notOk(templates?.statusSubresource);
  t.same(Object.keys(pods?.fieldSelectors ?? {}).sort(), [
    'spec.hostNetwork',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.nominatedNodeName',
    'status.phase',
    'status.podIP',
  ]);
});

t.test('field selectors read absent fields as empty and hostNetwork as a boolean string', async (t) => {
  const pod: JsonObject = { spec: { nodeName: 'n1', hostNetwork: true }, status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.2' }] } };
  t.equal(podFieldSelectors['spec.nodeName']!(pod), 'n1');
  t.equal(podFieldSelectors['spec.hostNetwork']!(pod), 'true');
  t.equal(podFieldSelectors['status.podIP']!(pod), '10.0.0.2', 'podIPs[0] wins');
  t.equal(podFieldSelectors['status.phase']!(pod), 'Running');
  const empty: JsonObject = {};
  t.equal(podFieldSelectors['spec.nodeName']!(empty), '');
  t.equal(podFieldSelectors['spec.hostNetwork']!(empty), 'false');
  t.equal(podFieldSelectors['status.podIP']!({ status: { podIP: '10.0.0.9' } }), '10.0.0.9');
});
