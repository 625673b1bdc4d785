// End to end through the schema engine: defaults then validation, as the apiserver runs them on a create or update.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import { SchemaRegistry } from '../../../src/schema/registry.js';
import { validateObject } from '../../../src/schema/validation.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { metaSchemas } from '../../../src/types/meta-v1/schemas.js';
import { podModule } from '../../../src/types/core-v1/pod.js';
import { coreModule } from '../../../src/types/core-v1/core.js';

const reg = new SchemaRegistry([{ schemas: metaSchemas }, podModule, coreModule]);
const C = 'io.k8s.api.core.v1';

/** Defaults then validates a body, returning the defaulted object and the messages. */
function write(kind: string, body: JsonObject, old?: JsonObject): { obj: JsonObject; errors: string[] } {
  const obj = structuredClone(body);
  applyDefaults(reg, `${C}.${kind}`, obj);
  return { obj, errors: validateObject(reg, `${C}.${kind}`, obj, old).map(fieldErrorMessage) };
}

t.test('no dangling references with the pod module', async (t) => {
  t.same(reg.danglingReferences(), []);
});

t.test('namespace', async (t) => {
  const { obj, errors } = write('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  t.same(errors, []);
  t.same(obj.spec, { finalizers: ['kubernetes'] });
  t.same((obj.metadata as JsonObject).labels, { 'kubernetes.io/metadata.name': 'team-a' });
});

t.test('service', async (t) => {
  const { obj, errors } = write('Service', { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  t.same(errors, []);
  t.same(obj.spec, {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
  });
  t.same(write('Service', { metadata: { name: 'x' }, spec: { type: 'Bogus', ports: [{ port: 0 }] } }).errors, [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    // targetPort was defaulted from the bad port, so Kubernetes reports it too.
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  const stored = write('Service', { metadata: { name: 'db' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 5432 }] } }).obj;
  t.same(write('Service', { metadata: { name: 'db' }, spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports: [{ port: 5432 }] } }, stored).errors, [
    'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set',
  ]);
});

t.test('secret', async (t) => {
  const { obj, errors } = write('Secret', { metadata: { name: 's' }, stringData: { password: 'hunter2' } });
  t.same(errors, []);
  t.same(obj, { metadata: { name: 's' }, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
  t.same(write('Secret', { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} }, obj).errors, [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
});

t.test('persistent volume claim', async (t) => {
  const { obj, errors } = write('PersistentVolumeClaim', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  t.same(errors, []);
  t.equal((obj.spec as JsonObject).volumeMode, 'Filesystem');
  t.same(write('PersistentVolumeClaim', { metadata: { name: 'data' } }).errors, [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
});

t.test('replication controller with a pod template', async (t) => {
  const body: JsonObject = {
    metadata: { name: 'web' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
  const { obj, errors } = write('ReplicationController', body);
  t.same(errors, []);
  t.equal((obj.spec as JsonObject).replicas, 1);
  t.same((obj.spec as JsonObject).selector, { app: 'web' });
  t.same((obj.metadata as JsonObject).labels, { app: 'web' });
});

t.test('persistent volume with shared and own sources', async (t) => {
  const { obj, errors } = write('PersistentVolume', {
    metadata: { name: 'pv1' },
    spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], gcePersistentDisk: { pdName: 'disk-1' } },
  });
  t.same(errors, []);
  t.equal((obj.spec as JsonObject).persistentVolumeReclaimPolicy, 'Retain');
  t.same(write('PersistentVolume', { metadata: { name: 'pv2' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'd' } } }).errors, [
    'spec.csi.volumeHandle: Required value',
  ]);
});
