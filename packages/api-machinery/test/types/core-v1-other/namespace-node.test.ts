// Namespace and Node hooks.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';

const C = 'io.k8s.api.core.v1';
const run = (component: string, obj: JsonObject, ctx: ValidationContext = { operation: 'create' }, path = ''): string[] =>
  coreModule.validators![`${C}.${component}`]!(obj, path, ctx).map(fieldErrorMessage);

t.test('namespace defaults', async (t) => {
  const ns: JsonObject = { metadata: { name: 'team-a', labels: { tier: 'x' } }, spec: {} };
  coreModule.defaulters![`${C}.Namespace`]!(ns);
  t.same(ns.metadata, { name: 'team-a', labels: { tier: 'x', 'kubernetes.io/metadata.name': 'team-a' } });
  const unnamed: JsonObject = { metadata: { generateName: 'tmp-' } };
  coreModule.defaulters![`${C}.Namespace`]!(unnamed);
  t.same(unnamed.metadata, { generateName: 'tmp-' }, 'no label without a name');
  const schema = coreModule.schemas[`${C}.NamespaceSpec`];
  t.same(schema?.properties?.finalizers?.default, ['kubernetes']);
  t.same(coreModule.schemas[`${C}.Namespace`]?.properties?.spec?.default, {});
});

t.test('namespace finalizers', async (t) => {
  t.same(run('NamespaceSpec', { finalizers: ['kubernetes', 'example.com/cleanup'] }, undefined, 'spec'), []);
  t.same(run('NamespaceSpec', { finalizers: ['custom'] }, undefined, 'spec'), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  t.same(run('NamespaceSpec', { finalizers: ['custom'] }, { operation: 'update' }, 'spec'), [], 'updates keep the stored finalizers');
});

t.test('node taints (reported under metadata.taints, as Kubernetes does)', async (t) => {
  const node = (taints: JsonObject[]): JsonObject => ({ metadata: { name: 'n1' }, spec: { taints } });
  t.same(run('Node', node([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }])), []);
  t.same(run('Node', node([{ key: 'a', effect: 'Sometimes' }])), [
    'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
  ]);
  t.same(run('Node', node([{ key: 'a' }])), ['metadata.taints[0].effect: Required value']);
  const dup = run('Node', node([{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoSchedule' }]));
  t.same(dup, ['metadata.taints[1]: Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}']);
  t.same(run('Node', node([{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoExecute' }])), [], 'same key, other effect');
  t.match(run('Node', node([{ key: 'bad key', effect: 'NoSchedule' }]))[0], /^metadata\.taints\[0\]\.key: Invalid value: "bad key": name part must consist of/);
});

t.test('node resources and pod CIDRs', async (t) => {
  t.same(run('Node', { status: { capacity: { cpu: '-1', pods: '1.5' } } }), [
    'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
    'status.capacity.pods: Invalid value: "1500m": must be an integer',
  ]);
  t.same(run('Node', { spec: { podCIDRs: ['10.0.0.0/24', 'fd00::/64'] } }), []);
  t.same(run('Node', { spec: { podCIDRs: ['10.0.0.0/24', '10.1.0.0/24'] } }), [
    'spec.podCIDRs: Invalid value: ["10.0.0.0/24","10.1.0.0/24"]: may specify no more than one CIDR for each IP family',
  ]);
  t.same(run('Node', { spec: { podCIDRs: ['10.0.0.0/33'] } }), [
    'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
});

t.test('node updates', async (t) => {
  const old: JsonObject = { spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'kind://n1' }, status: {} };
  const ctx: ValidationContext = { operation: 'update', old };
  t.same(run('Node', { spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'kind://n1', unschedulable: true } }, ctx), []);
  t.same(run('Node', { spec: { podCIDRs: ['10.9.0.0/24'], providerID: 'kind://n2' } }, ctx), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  t.same(run('Node', { spec: { podCIDRs: ['10.0.0.0/24'] } }, { operation: 'update', old: { spec: {} } }), [], 'a CIDR may be assigned once');
  const addr = { type: 'InternalIP', address: '10.0.0.2' };
  t.same(run('Node', { spec: {}, status: { addresses: [addr, addr] } }, { operation: 'update', old: { spec: {} } }), [
    'status.addresses[1]: Duplicate value: {"type":"InternalIP","address":"10.0.0.2"}',
  ]);
  t.same(run('Node', { spec: { configSource: {} } }, { operation: 'update', old: { spec: {} } }), [
    'spec.configSource: Invalid value: {}: exactly one reference subfield must be non-nil',
  ]);
  t.same(run('Node', { spec: { configSource: { configMap: { namespace: 'kube-system', name: 'cfg', kubeletConfigKey: 'kubelet', uid: 'u' } } } }, { operation: 'update', old: { spec: {} } }), [
    'spec.configSource.configMap.uid: Forbidden: uid must not be set in spec',
  ]);
});
