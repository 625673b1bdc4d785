// PersistentVolume, PersistentVolumeClaim and claim-template hooks.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';

const C = 'io.k8s.api.core.v1';
const run = (component: string, obj: JsonObject, ctx: ValidationContext = { operation: 'create' }, path = ''): string[] =>
  coreModule.validators![`${C}.${component}`]!(obj, path, ctx).map(fieldErrorMessage);

/** A valid hostPath volume spec; `null` in `extra` removes a field. */
const pvSpec = (extra: JsonObject = {}): JsonObject => {
  const spec: JsonObject = {
    capacity: { storage: '10Gi' },
    accessModes: ['ReadWriteOnce'],
    hostPath: { path: '/data' },
    persistentVolumeReclaimPolicy: 'Retain',
    volumeMode: 'Filesystem',
    ...extra,
  };
  for (const [k, v] of Object.entries(spec)) if (v === null) delete spec[k];
  return spec;
};

t.test('schema defaults of volumes and claims', async (t) => {
  const prop = (c: string, f: string): unknown => coreModule.schemas[`${C}.${c}`]?.properties?.[f]?.default;
  t.equal(prop('PersistentVolumeSpec', 'persistentVolumeReclaimPolicy'), 'Retain');
  t.equal(prop('PersistentVolumeSpec', 'volumeMode'), 'Filesystem');
  t.equal(prop('PersistentVolumeClaimSpec', 'volumeMode'), 'Filesystem');
  t.equal(prop('RBDPersistentVolumeSource', 'pool'), 'rbd');
  t.same(coreModule.schemas[`${C}.LocalVolumeSource`]?.required, ['path']);
});

t.test('persistent volume spec', async (t) => {
  t.same(run('PersistentVolume', { spec: pvSpec() }), []);
  t.same(run('PersistentVolume', { spec: {} }), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec.capacity: Unsupported value: {}: supported values: "storage"',
    'spec: Required value: must specify a volume type',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ capacity: { storage: '1Gi', cpu: '1' } }) }), [
    'spec.capacity: Unsupported value: {"storage":"1Gi","cpu":"1"}: supported values: "storage"',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ capacity: { storage: '0' } }) }), ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']);
  t.same(run('PersistentVolume', { spec: pvSpec({ accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'] }) }), [
    'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ accessModes: ['Sometimes'] }) }), [
    'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ nfs: { server: 'nfs', path: '/x' }, csi: { driver: 'd', volumeHandle: 'h' } }) }), [
    'spec.nfs: Forbidden: may not specify more than 1 volume type',
    'spec.csi: Forbidden: may not specify more than 1 volume type',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ hostPath: null, local: { path: '/mnt/disk' } }) }), [
    'spec.nodeAffinity: Required value: Local volume requires node affinity',
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ nodeAffinity: {} }) }), ['spec.nodeAffinity.required: Required value: must specify required node constraints']);
  t.same(run('PersistentVolume', { spec: pvSpec({ hostPath: { path: '//' }, persistentVolumeReclaimPolicy: 'Recycle' }) }), [
    "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'",
  ]);
  t.same(run('PersistentVolume', { spec: pvSpec({ volumeAttributesClassName: 'gold' }) }), ['spec.csi: Required value: has to be specified when using volumeAttributesClassName']);
  t.match(run('PersistentVolume', { spec: pvSpec({ storageClassName: 'Fast' }) })[0], /^spec\.storageClassName: Invalid value: "Fast": a lowercase RFC 1123 subdomain/);
  t.same(run('ISCSIPersistentVolumeSource', { targetPortal: 'p', iqn: 'iqn.2001-04.com.example:storage', lun: 256 }, undefined, 'spec.iscsi'), [
    'spec.iscsi.lun: Invalid value: 256: must be between 0 and 255, inclusive',
  ]);
  t.same(run('CSIPersistentVolumeSource', { driver: 'Ebs.CSI.example.com', volumeHandle: 'h', nodeStageSecretRef: { name: 's' } }, undefined, 'spec.csi'), [
    'spec.csi.nodeStageSecretRef.namespace: Required value',
  ]);
  t.same(run('LocalVolumeSource', { path: '/mnt/../etc' }, undefined, 'spec.local'), ['spec.local.path: Invalid value: "/mnt/../etc": must not contain \'..\'']);
});

t.test('persistent volume updates', async (t) => {
  const old: JsonObject = { spec: pvSpec({ hostPath: null, csi: { driver: 'd', volumeHandle: 'h' } }) };
  const ctx: ValidationContext = { operation: 'update', old };
  const next = (extra: JsonObject): JsonObject => ({ spec: pvSpec({ hostPath: null, csi: { driver: 'd', volumeHandle: 'h' }, ...extra }) });
  t.same(run('PersistentVolume', next({ claimRef: { name: 'c', namespace: 'ns' }, persistentVolumeReclaimPolicy: 'Delete' }), ctx), []);
  t.same(run('PersistentVolume', next({ csi: { driver: 'd', volumeHandle: 'h', controllerExpandSecretRef: { name: 's', namespace: 'n' } } }), ctx), [], 'an expand secret may be added');
  t.same(run('PersistentVolume', next({ csi: { driver: 'd', volumeHandle: 'other' } }), ctx), [
    'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
  ]);
  t.same(run('PersistentVolume', next({ volumeMode: 'Block' }), ctx), ['volumeMode: Invalid value: "Block": field is immutable']);
  const zoneTerm = (key: string): JsonObject => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: ['z1'] }] }] } });
  const beta = { operation: 'update' as const, old: next({ nodeAffinity: zoneTerm('failure-domain.beta.kubernetes.io/zone') }) };
  t.same(run('PersistentVolume', next({ nodeAffinity: zoneTerm('topology.kubernetes.io/zone') }), beta), [], 'beta → GA key is allowed');
  t.same(run('PersistentVolume', next({ nodeAffinity: zoneTerm('example.com/zone') }), beta), [
    'nodeAffinity: Invalid value: {"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"example.com/zone","operator":"In","values":["z1"]}]}]}}: field is immutable, except for updating from beta label to GA',
  ]);
});

t.test('claim spec', async (t) => {
  const spec = (extra: JsonObject = {}): JsonObject => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', ...extra });
  t.same(run('PersistentVolumeClaimSpec', spec(), undefined, 'spec'), []);
  t.same(run('PersistentVolumeClaimSpec', {}, undefined, 'spec'), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  t.same(run('PersistentVolumeClaimSpec', spec({ resources: { requests: { storage: '0' } } }), undefined, 'spec'), [
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
  ]);
  t.same(run('PersistentVolumeClaimSpec', spec({ dataSource: { kind: 'Secret', name: 'x' } }), undefined, 'spec'), [
    "spec.dataSource: Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
  ]);
  t.same(
    run('PersistentVolumeClaimSpec', spec({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' } }), undefined, 'spec'),
    ['spec: Invalid value: "spec.dataSource": must match dataSourceRef'],
  );
});

t.test('claim updates', async (t) => {
  const claim = (spec: JsonObject, phase = 'Bound', capacity = '1Gi'): JsonObject => ({
    metadata: { name: 'c' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', ...spec },
    status: { phase, capacity: { storage: capacity } },
  });
  const old = claim({ volumeName: 'pv-1' });
  const ctx: ValidationContext = { operation: 'update', old };
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-1', resources: { requests: { storage: '2Gi' } } }), ctx), [], 'bound claims may grow');
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-1', accessModes: ['ReadWriteMany'] }), ctx), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-1', resources: { requests: { storage: '512Mi' } } }), ctx), [
    'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
  ]);
  const pending = claim({}, 'Pending', '0');
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-9' }, 'Pending', '0'), { operation: 'update', old: pending }), [], 'the binder sets volumeName once');
  t.same(run('PersistentVolumeClaim', claim({ resources: { requests: { storage: '2Gi' } } }, 'Pending', '0'), { operation: 'update', old: pending }), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-1', storageClassName: 'fast' }), ctx), [], 'a nil class may be set once');
  t.same(run('PersistentVolumeClaim', claim({ volumeName: 'pv-1', volumeMode: 'Block' }), ctx), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    'volumeMode: Invalid value: "Block": field is immutable',
  ]);
});

t.test('claim templates only take labels and annotations', async (t) => {
  t.same(run('PersistentVolumeClaimTemplate', { metadata: { labels: { a: 'b' } }, spec: {} }, undefined, 'ephemeral.volumeClaimTemplate'), []);
  t.same(run('PersistentVolumeClaimTemplate', { metadata: { name: 'x', uid: 'u' }, spec: {} }, undefined, 'ephemeral.volumeClaimTemplate'), [
    'ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set',
    'ephemeral.volumeClaimTemplate.metadata.uID: Forbidden: cannot be set',
  ]);
});
