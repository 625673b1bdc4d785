// The PersistentVolume binder and the hostPath provisioner in a real k8ts-controller-manager: the default
// `standard` StorageClass, static binding with Retain, and dynamic provisioning with Delete (the directory is made
// and removed under the provisioner directory).
import t from 'tap';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComponentProcess, type ControlPlane, eventually, sleep, startComponent, startControlPlane } from '@k8ts/testing';


interface Obj {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { volumeName?: string; storageClassName?: string; hostPath?: { path: string }; claimRef?: { uid?: string; name?: string } };
  status?: { phase?: string; capacity?: Record<string, string> };
  provisioner?: string;
  volumeBindingMode?: string;
}


t.test('persistentvolume binder and hostpath provisioner', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-volumes-'));
  let manager: ComponentProcess | undefined;
  t.teardown(async () => {
    await manager?.kill();
    await cp.stop();
  });
  const api = async (path: string, method = 'GET', body?: unknown): Promise<Obj | undefined> => {
    const res = await fetch(`${cp.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (method === 'GET' && res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Obj;
  };
  const pvc = (name: string): Promise<Obj | undefined> => api(`/api/v1/namespaces/default/persistentvolumeclaims/${name}`);
  const pv = (name: string): Promise<Obj | undefined> => api(`/api/v1/persistentvolumes/${name}`);
  const claim = (name: string, size: string, cls?: string): unknown => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(cls === undefined ? {} : { storageClassName: cls }) },
  });
  manager = await startComponent('controller-manager', {
    kubeconfig: cp.kubeconfig,
    args: ['--controllers', 'persistentvolume-binder,hostpath-provisioner', '--host-path-provisioner-dir', dir],
  });

  t.test('the default StorageClass standard', async (t) => {
    const sc = await eventually('standard', () => api('/apis/storage.k8s.io/v1/storageclasses/standard'), (x) => x !== undefined);
    t.equal(sc?.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    t.equal(sc?.provisioner, 'k8ts.io/hostpath');
    t.equal(sc?.volumeBindingMode, 'Immediate');
  });

  t.test('static binding, Retain', async (t) => {
    for (const [name, size] of [['pv-big', '10Gi'], ['pv-small', '1Gi']] as const) {
      await api('/api/v1/persistentvolumes', 'POST', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name },
        spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/${name}` } },
      });
    }
    await eventually('pv-small Available', () => pv('pv-small'), (v) => v?.status?.phase === 'Available');
    await api('/api/v1/namespaces/default/persistentvolumeclaims', 'POST', claim('static', '500Mi', 'manual'));
    const c = await eventually('claim Bound', () => pvc('static'), (x) => x?.status?.phase === 'Bound');
    t.equal(c?.spec.volumeName, 'pv-small', 'the smallest volume that fits');
    t.equal(c?.status?.capacity?.['storage'], '1Gi');
    t.equal(c?.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    const v = await eventually('pv Bound', () => pv('pv-small'), (x) => x?.status?.phase === 'Bound');
    t.equal(v?.spec.claimRef?.uid, c?.metadata.uid);
    t.equal((await pv('pv-big'))?.status?.phase, 'Available', 'the other stays Available');
    await api('/api/v1/namespaces/default/persistentvolumeclaims/static', 'DELETE');
    await eventually('pv Released', () => pv('pv-small'), (x) => x?.status?.phase === 'Released');
    await sleep(1000);
    t.equal((await pv('pv-small'))?.status?.phase, 'Released', 'Retain: kept Released');
  });

  t.test('dynamic provisioning with the default class, Delete', async (t) => {
    await api('/api/v1/namespaces/default/persistentvolumeclaims', 'POST', claim('dyn', '2Gi'));
    const c = await eventually('claim Bound', () => pvc('dyn'), (x) => x?.status?.phase === 'Bound');
    t.equal(c?.spec.storageClassName, 'standard', 'the default class was assigned');
    t.equal(c?.spec.volumeName, `pvc-${c?.metadata.uid}`);
    const v = await pv(`pvc-${c?.metadata.uid}`);
    t.equal(v?.spec.hostPath?.path, join(dir, c?.metadata.uid ?? ''));
    t.equal(v?.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'k8ts.io/hostpath');
    t.equal(v?.status?.phase, 'Bound');
    t.ok((await stat(join(dir, c?.metadata.uid ?? ''))).isDirectory(), 'directory created');
    await api('/api/v1/namespaces/default/persistentvolumeclaims/dyn', 'DELETE');
    await eventually('pv deleted', () => pv(`pvc-${c?.metadata.uid}`), (x) => x === undefined);
    await t.rejects(stat(join(dir, c?.metadata.uid ?? '')), 'directory removed');
  });
});
