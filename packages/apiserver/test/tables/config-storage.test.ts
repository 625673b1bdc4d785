import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { ago, cellsByName, columnNames, m, meta, s } from './helpers/fixtures.js';

t.test('configmaps, secrets, serviceaccounts', async (t) => {
  t.same(columnNames('', 'configmaps'), ['Name', 'Data', 'Age']);
  t.same(Object.values(cellsByName('', 'configmaps', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })), ['cfg', 3, '5m']);
  t.equal(cellsByName('', 'configmaps', { metadata: meta('empty') })['Data'], 0);

  t.same(columnNames('', 'secrets'), ['Name', 'Type', 'Data', 'Age']);
  t.same(Object.values(cellsByName('', 'secrets', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } })), [
    'tls', 'kubernetes.io/tls', 2, '5m',
  ]);
  t.same(Object.values(cellsByName('', 'secrets', { metadata: meta('plain') })), ['plain', 'Opaque', 0, '5m']);

  t.same(columnNames('', 'serviceaccounts'), ['Name', 'Secrets', 'Age']);
  t.same(Object.values(cellsByName('', 'serviceaccounts', { metadata: meta('default') })), ['default', 0, '5m']);
  t.equal(cellsByName('', 'serviceaccounts', { metadata: meta('legacy'), secrets: [{ name: 'legacy-token' }] })['Secrets'], 1);
});

t.test('persistentvolumes', async (t) => {
  t.same(columnNames('', 'persistentvolumes'), [
    'Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode',
  ]);
  const pv: JsonObject = {
    metadata: { name: 'pv-1', creationTimestamp: ago(m(5)) },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      claimRef: { namespace: 'default', name: 'data-db-0' },
      volumeMode: 'Filesystem',
      hostPath: { path: '/data' },
    },
    status: { phase: 'Bound' },
  };
  t.same(Object.values(cellsByName('', 'persistentvolumes', pv)), [
    'pv-1', '10Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data-db-0', 'standard', '<unset>', '', '5m', 'Filesystem',
  ]);
  const annotated = cellsByName('', 'persistentvolumes', {
    metadata: meta('pv-2', { annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' }, deletionTimestamp: ago(s(2)) }),
    spec: { capacity: { storage: '1536Mi' }, storageClassName: 'new', accessModes: ['ReadWriteOncePod'] },
    status: { phase: 'Released', reason: 'Reclaiming' },
  });
  t.same(
    [annotated['Capacity'], annotated['Access Modes'], annotated['Status'], annotated['StorageClass'], annotated['Reason'], annotated['Claim']],
    ['1536Mi', 'RWOP', 'Terminating', 'old', 'Reclaiming', ''],
  );
});

t.test('persistentvolumeclaims', async (t) => {
  t.same(columnNames('', 'persistentvolumeclaims'), [
    'Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode',
  ]);
  const bound: JsonObject = {
    metadata: meta('data-db-0'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeName: 'pvc-123', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
  };
  t.same(Object.values(cellsByName('', 'persistentvolumeclaims', bound)), [
    'data-db-0', 'Bound', 'pvc-123', '1Gi', 'RWO', 'standard', '<unset>', '5m', 'Filesystem',
  ]);
  const pending = cellsByName('', 'persistentvolumeclaims', {
    metadata: meta('new'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, volumeAttributesClassName: 'gold' },
    status: { phase: 'Pending' },
  });
  t.same(
    [pending['Status'], pending['Volume'], pending['Capacity'], pending['Access Modes'], pending['StorageClass'], pending['VolumeAttributesClass']],
    ['Pending', '', '', '', '', 'gold'],
  );
});

t.test('storageclasses', async (t) => {
  t.same(columnNames('storage.k8s.io', 'storageclasses'), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  const sc: JsonObject = {
    metadata: { name: 'standard', creationTimestamp: ago(s(40)), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  t.same(Object.values(cellsByName('storage.k8s.io', 'storageclasses', sc)), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '40s']);
  const beta = cellsByName('storage.k8s.io', 'storageclasses', {
    metadata: { name: 'fast', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'x',
    allowVolumeExpansion: true,
  });
  t.same([beta['Name'], beta['ReclaimPolicy'], beta['VolumeBindingMode'], beta['AllowVolumeExpansion']], ['fast (default)', 'Delete', 'Immediate', true]);
  const notDefault = cellsByName('storage.k8s.io', 'storageclasses', {
    metadata: { name: 'slow', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
    provisioner: 'x',
  });
  t.equal(notDefault['Name'], 'slow');
});

t.test('csi objects and volume attachments', async (t) => {
  t.same(Object.values(cellsByName('storage.k8s.io', 'csidrivers', { metadata: meta('ebs.csi.aws.com'), spec: {} })), [
    'ebs.csi.aws.com', true, false, false, '<unset>', false, 'Persistent', '5m',
  ]);
  t.same(Object.values(cellsByName('storage.k8s.io', 'csinodes', { metadata: meta('node-1'), spec: { drivers: [{ name: 'a' }, { name: 'b' }] } })), ['node-1', 2, '5m']);
  t.same(
    Object.values(
      cellsByName('storage.k8s.io', 'volumeattachments', {
        metadata: meta('csi-abc'),
        spec: { attacher: 'ebs.csi.aws.com', source: { persistentVolumeName: 'pv-1' }, nodeName: 'node-1' },
        status: { attached: true },
      }),
    ),
    ['csi-abc', 'ebs.csi.aws.com', 'pv-1', 'node-1', true, '5m'],
  );
});
