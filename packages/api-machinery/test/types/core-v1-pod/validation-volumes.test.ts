import t from 'tap';
import { isDNS1123Label } from '../../../src/validation/names.js';
import { run } from './helpers/pod-test-kit.js';

const V = 'spec.volumes[0]';
const MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

t.test('Volume: exactly one source, in the order Kubernetes checks them', async (t) => {
  t.same(run('Volume', { name: 'data', emptyDir: {} }, V), []);
  t.same(run('Volume', { name: 'data', secret: { secretName: 's' }, emptyDir: {}, configMap: { name: 'c' } }, V), [
    `${V}.secret: Forbidden: may not specify more than 1 volume type`,
    `${V}.configMap: Forbidden: may not specify more than 1 volume type`,
  ]);
  t.same(run('Volume', { name: 'data', secret: { secretName: 's' }, downwardAPI: {} }, V), [`${V}.downwarAPI: Forbidden: may not specify more than 1 volume type`], 'Kubernetes misspells this path');
  t.same(run('Volume', { name: 'data' }, V), [`${V}: Required value: must specify a volume type`]);
  t.same(run('Volume', { name: 'a-rather-long-volume-name-for-an-iscsi-disk-on-the-storage-lan', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0, initiatorName: 'iqn.2001-04.com.example:node' } }, V), [
    `${V}.name: Invalid value: "a-rather-long-volume-name-for-an-iscsi-disk-on-the-storage-lan": Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.`,
  ]);
});

t.test('hostPath, emptyDir, nfs', async (t) => {
  t.same(run('HostPathVolumeSource', { path: '/var/../etc' }, `${V}.hostPath`), [`${V}.hostPath.path: Invalid value: "/var/../etc": must not contain '..'`]);
  t.same(run('HostPathVolumeSource', { path: '/var/log', type: 'Directory' }, `${V}.hostPath`), []);
  t.same(run('EmptyDirVolumeSource', { sizeLimit: '-1Gi' }, `${V}.emptyDir`), [`${V}.emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity`]);
  t.same(run('EmptyDirVolumeSource', { medium: 'Memory', sizeLimit: '64Mi' }, `${V}.emptyDir`), []);
  t.same(run('NFSVolumeSource', { server: 'nfs', path: 'exports' }, `${V}.nfs`), [`${V}.nfs.path: Invalid value: "exports": must be an absolute path`]);
  t.same(run('NFSVolumeSource', { server: 'nfs', path: '/exports' }, `${V}.nfs`), []);
});

t.test('secret and configMap sources, key-to-path items', async (t) => {
  t.same(run('SecretVolumeSource', { secretName: 's', defaultMode: 511 }, `${V}.secret`), []);
  t.same(run('SecretVolumeSource', { secretName: 's', defaultMode: 512 }, `${V}.secret`), [`${V}.secret.defaultMode: Invalid value: 512: ${MODE_MSG}`]);
  t.same(run('ConfigMapVolumeSource', { name: 'c', defaultMode: -1 }, `${V}.configMap`), [`${V}.configMap.defaultMode: Invalid value: -1: ${MODE_MSG}`]);
  const K = `${V}.configMap.items[0]`;
  t.same(run('KeyToPath', { key: 'k', path: 'conf/app.yaml', mode: 0o644 }, K), []);
  t.same(run('KeyToPath', { key: 'k', path: '/etc/x' }, K), [`${K}.path: Invalid value: "/etc/x": must be a relative path`]);
  t.same(run('KeyToPath', { key: 'k', path: '../x' }, K), [`${K}.path: Invalid value: "../x": must not contain '..'`]);
  t.same(run('KeyToPath', { key: 'k', path: '..data', mode: 1000 }, K), [`${K}.path: Invalid value: "..data": must not start with '..'`, `${K}.mode: Invalid value: 1000: ${MODE_MSG}`]);
});

t.test('downwardAPI volume files are reported under the volume source path', async (t) => {
  const D = `${V}.downwardAPI`;
  t.same(run('DownwardAPIVolumeSource', { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] }, D), []);
  t.same(run('DownwardAPIVolumeSource', { items: [{ path: 'x', fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } }] }, D), [
    `${D}.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"`,
  ]);
  t.same(run('DownwardAPIVolumeSource', { items: [{}] }, D), [`${D}.path: Required value`, `${D}: Required value: one of fieldRef and resourceFieldRef is required`]);
  t.same(run('DownwardAPIVolumeSource', { items: [{ path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } }] }, D), [`${D}.resourceFieldRef.containerName: Required value`]);
  t.same(
    run('DownwardAPIVolumeSource', { items: [{ path: 'x', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' }, resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } }] }, D),
    [`${D}: Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously`],
  );
});

t.test('projected volumes', async (t) => {
  const P = `${V}.projected`;
  t.same(
    run(
      'ProjectedVolumeSource',
      {
        sources: [
          { secret: { name: 's', items: [{ key: 'a', path: 'a' }] } },
          { configMap: { name: 'c', items: [{ key: 'b', path: 'b' }] } },
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { downwardAPI: { items: [{ path: 'name', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } }] } },
        ],
        defaultMode: 420,
      },
      P,
    ),
    [],
  );
  t.same(run('ProjectedVolumeSource', { sources: [{ secret: { name: 's', items: [{ key: 'a', path: 'x' }] } }, { configMap: { name: 'c', items: [{ key: 'b', path: 'x' }] } }] }, P), [
    `${P}: Invalid value: "c": conflicting duplicate paths`,
  ]);
  t.same(run('ProjectedVolumeSource', { sources: [{ secret: { name: 's' }, configMap: { name: 'c' } }] }, P), [`${P}.sources[0]: Forbidden: may not specify more than 1 volume type per source`]);
  t.same(run('ProjectedVolumeSource', { sources: [{ serviceAccountToken: { expirationSeconds: 60 } }] }, P), [
    `${P}.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes`,
    `${P}.path: Required value`,
  ]);
  t.same(run('ProjectedVolumeSource', { sources: [{ serviceAccountToken: { path: '/abs', expirationSeconds: 2 ** 33 } }] }, P), [
    `${P}.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 8589934592: may not specify a duration larger than 2^32 seconds`,
    `${P}.path: Invalid value: "/abs": must be a relative path`,
  ]);
  t.same(run('ProjectedVolumeSource', { sources: [{ clusterTrustBundle: { path: 'ca.pem' } }] }, P), [`${P}.sources[0].clusterTrustBundle: Required value: either name or signerName must be specified`]);
  t.same(run('ProjectedVolumeSource', { sources: [{ clusterTrustBundle: { name: 'a', signerName: 'b', path: 'ca.pem' } }] }, P).length, 1);
  t.same(run('ProjectedVolumeSource', { sources: [], defaultMode: 4096 }, P), [`${P}.defaultMode: Invalid value: 4096: ${MODE_MSG}`]);
});

t.test('older in-tree sources', async (t) => {
  t.same(run('GitRepoVolumeSource', { repository: 'https://x', directory: '/abs' }, `${V}.gitRepo`), [`${V}.gitRepo.directory: Invalid value: "/abs": must be a relative path`]);
  const I = `${V}.iscsi`;
  t.same(run('ISCSIVolumeSource', { targetPortal: '1.2.3.4', iqn: 'iqn.2001-04.com.example:storage', lun: 0 }, I), []);
  t.same(run('ISCSIVolumeSource', { targetPortal: '1.2.3.4', iqn: 'foo', lun: 256, chapAuthSession: true, initiatorName: 'iqn.bad' }, I), [
    `${I}.iqn: Invalid value: "foo": must be valid format starting with iqn, eui, or naa`,
    `${I}.lun: Invalid value: 256: must be between 0 and 255, inclusive`,
    `${I}.secretRef: Required value`,
    `${I}.initiatorname: Invalid value: "iqn.bad": must be valid format`,
  ]);
  t.same(run('FlexVolumeSource', { driver: 'd', options: { 'kubernetes.io/x': 'y', 'example.com/ok': 'z' } }, `${V}.flexVolume`), [
    `${V}.flexVolume.options[kubernetes.io/x]: Invalid value: "kubernetes.io/x": kubernetes.io and k8s.io namespaces are reserved`,
  ]);
  t.same(run('CinderVolumeSource', { volumeID: 'v', secretRef: {} }, `${V}.cinder`), [`${V}.cinder.secretRef.name: Required value`]);
  t.same(run('StorageOSVolumeSource', { volumeName: 'Vol' }, `${V}.storageos`), [`${V}.storageos.volumeName: Invalid value: "Vol": ${isDNS1123Label('Vol')[0]}`]);
  const C = `${V}.csi`;
  t.same(run('CSIVolumeSource', { driver: 'csi.example.com' }, C), []);
  t.same(run('CSIVolumeSource', {}, C).slice(0, 1), [`${C}.driver: Required value`]);
  t.same(run('CSIVolumeSource', { driver: 'csi.example.com', nodePublishSecretRef: {} }, C), [`${C}.nodePublishSecretRef.name: Required value`]);
});
