import t from 'tap';
import { mkdtemp, mkdir, writeFile, symlink, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from '@k8ts/api-machinery';
import { defaultStorageClass, findVolumeForClaim, volumeDir, volumePhase } from '../../src/controllers/persistentvolume/pv-binder-logic.js';
import { provisionedVolume, removeVolumeDir, standardStorageClass } from '../../src/controllers/persistentvolume/hostpath-provisioner.js';

const pv = (name: string, size: string, extra: Partial<NonNullable<PersistentVolume['spec']>> = {}, labels?: Record<string, string>): PersistentVolume => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', ...extra },
  status: { phase: 'Available' },
});
const pvc = (size: string, extra: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'manual', ...extra },
});

t.test('matching: smallest volume that fits class, modes, mode, selector and size', async (t) => {
  const vols = [pv('big', '10Gi'), pv('small', '1Gi'), pv('tiny', '100Mi'), pv('other', '1Gi', { storageClassName: 'fast' }), pv('rwx', '2Gi', { accessModes: ['ReadWriteMany'] })];
  t.equal(findVolumeForClaim(pvc('500Mi'), vols)?.metadata?.name, 'small');
  t.equal(findVolumeForClaim(pvc('5Gi'), vols)?.metadata?.name, 'big');
  t.equal(findVolumeForClaim(pvc('20Gi'), vols), undefined, 'too big');
  t.equal(findVolumeForClaim(pvc('1Gi', { accessModes: ['ReadWriteMany'] }), vols)?.metadata?.name, 'rwx');
  t.equal(findVolumeForClaim(pvc('1Gi', { volumeMode: 'Block' }), vols), undefined, 'volume mode');
  t.equal(findVolumeForClaim(pvc('1Gi', { storageClassName: 'fast' }), vols)?.metadata?.name, 'other');
  const labelled = [...vols, pv('ssd', '5Gi', {}, { disk: 'ssd' })];
  t.equal(findVolumeForClaim(pvc('1Gi', { selector: { matchLabels: { disk: 'ssd' } } }), labelled)?.metadata?.name, 'ssd');
  t.equal(findVolumeForClaim(pvc('1Gi', { volumeName: 'big' }), vols)?.metadata?.name, 'big', 'spec.volumeName takes only that one');
  const claimed = [pv('small', '1Gi', { claimRef: { name: 'someone', namespace: 'default', uid: 'u9' } }), pv('mine', '5Gi', { claimRef: { name: 'data', namespace: 'default' } })];
  t.equal(findVolumeForClaim(pvc('1Gi'), claimed)?.metadata?.name, 'mine', 'pre-bound volume first, claimed ones never');
  const released = [{ ...pv('old', '1Gi'), status: { phase: 'Released' as const } }];
  t.equal(findVolumeForClaim(pvc('1Gi'), released), undefined, 'Released volumes are not reused');
});

t.test('volume phases', async (t) => {
  const claim = { ...pvc('1Gi', { volumeName: 'v' }) };
  const none = (): undefined => undefined;
  t.equal(volumePhase(pv('v', '1Gi'), none), 'Available');
  const bound = pv('v', '1Gi', { claimRef: { name: 'data', namespace: 'default', uid: 'u1' } });
  t.equal(volumePhase(bound, () => claim), 'Bound');
  t.equal(volumePhase(bound, none), 'Released', 'claim gone');
  t.equal(volumePhase(bound, () => ({ ...claim, metadata: { ...claim.metadata, uid: 'u2' } })), 'Released', 'a new claim of the same name is another claim');
  t.equal(volumePhase(bound, () => pvc('1Gi')), 'Available', 'pre-bound, claim not bound yet');
  t.equal(volumePhase({ ...bound, status: { phase: 'Failed' } }, () => claim), 'Failed');
});

t.test('default class and the standard class', async (t) => {
  const std = standardStorageClass();
  t.equal(std.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
  t.equal(std.volumeBindingMode, 'Immediate');
  t.equal(defaultStorageClass([{ metadata: { name: 'x' }, provisioner: 'p' }, std])?.metadata?.name, 'standard');
  t.equal(defaultStorageClass([{ metadata: { name: 'x' }, provisioner: 'p' }]), undefined);
});

t.test('provisioned volumes and safe removal', async (t) => {
  t.equal(volumeDir('/var/lib/v/', 'abc'), '/var/lib/v/abc');
  t.equal(volumeDir('/var/lib/v', '..'), undefined);
  t.equal(volumeDir('/var/lib/v', 'a/../../etc'), undefined);
  const base = await mkdtemp(join(tmpdir(), 'k8ts-hostpath-'));
  const claim = pvc('1Gi', { storageClassName: 'standard' });
  claim.metadata = { ...claim.metadata, uid: 'uid-1', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } };
  const vol = provisionedVolume(claim, standardStorageClass(), base);
  t.equal(vol?.metadata?.name, 'pvc-uid-1');
  t.same(vol?.spec?.hostPath, { path: join(base, 'uid-1'), type: 'DirectoryOrCreate' });
  t.same(vol?.spec?.claimRef, { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: 'data', uid: 'uid-1' });
  t.equal(vol?.spec?.persistentVolumeReclaimPolicy, 'Delete');
  t.match(vol?.spec?.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', values: ['n1'] }] }] } });
  await mkdir(join(base, 'uid-1'));
  await writeFile(join(base, 'uid-1', 'data'), 'x');
  t.ok(await removeVolumeDir(vol!, base), 'removed');
  await t.rejects(stat(join(base, 'uid-1')));
  // Never anything else: a path not made by this provisioner, or a symlink out of the directory.
  const outside = await mkdtemp(join(tmpdir(), 'k8ts-outside-'));
  t.notOk(await removeVolumeDir({ spec: { hostPath: { path: outside }, claimRef: { uid: 'uid-1' } } }, base), 'foreign path');
  await symlink(outside, join(base, 'uid-2'));
  t.notOk(await removeVolumeDir({ spec: { hostPath: { path: join(base, 'uid-2') }, claimRef: { uid: 'uid-2' } } }, base), 'symlink escaping the base');
  t.ok((await stat(outside)).isDirectory(), 'outside directory intact');
  t.notOk(await removeVolumeDir({ spec: { hostPath: { path: join(base, 'gone') }, claimRef: { uid: 'gone' } } }, base), 'missing: nothing to do');
});
