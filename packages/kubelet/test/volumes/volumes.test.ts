// Real files in a temporary kubelet root: atomic updates, hostPath checks, every volume kind, mounts, teardown.
import t, { type Test } from 'tap';
import { lstat, mkdir, mkdtemp, open, readdir, readFile, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { corev1 } from '@k8ts/api-machinery';
import {
  checkHostPathType,
  containerMounts,
  setUpPodVolumes,
  tearDownPodVolumes,
  writeAtomically,
  type VolumeSources,
} from '../../src/volumes/index.js';

async function tempRoot(t: Test): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'k8ts-volumes-')));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

t.test('atomic writer: ..data swap, per-key symlinks, updates visible through an open directory handle', async (t) => {
  const root = await tempRoot(t);
  const target = join(root, 'vol');
  t.same(await writeAtomically(target, new Map([['a', file('1')], ['dir/b', file('2', 0o600)]])), { written: true });
  t.equal(await readlink(join(target, 'a')), '..data/a');
  t.equal(await readlink(join(target, 'dir')), '..data/dir');
  t.match(await readlink(join(target, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
  t.equal(await readFile(join(target, 'dir/b'), 'utf8'), '2');
  t.equal((await stat(join(target, 'dir/b'))).mode & 0o777, 0o600);
  const firstTs = await readlink(join(target, '..data'));

  t.same(await writeAtomically(target, new Map([['a', file('1')], ['dir/b', file('2', 0o600)]])), { written: false }, 'unchanged: not rewritten');
  t.equal(await readlink(join(target, '..data')), firstTs);

  // A process holding the volume directory open (like a bind mount) sees the new content through the same handle.
  const handle = await open(target, 'r');
  t.teardown(() => handle.close().catch(() => undefined));
  t.same(await writeAtomically(target, new Map([['a', file('changed')], ['c', file('3')]])), { written: true });
  t.equal(await readFile(`/proc/self/fd/${handle.fd}/a`, 'utf8'), 'changed', 'read through the directory handle');
  t.equal(await readFile(join(target, 'a'), 'utf8'), 'changed');
  t.equal(await readFile(join(target, 'c'), 'utf8'), '3');
  await t.rejects(lstat(join(target, 'dir')), 'removed key is gone');
  await t.rejects(lstat(join(target, firstTs)), 'old timestamped dir removed');
  const entries = (await readdir(target)).sort();
  t.same(entries.filter((e) => !e.startsWith('..2')), ['..data', 'a', 'c']);
  await t.rejects(writeAtomically(target, new Map([['../x', file('no')]])), { message: /must not contain '..'/ });
  await t.rejects(writeAtomically(target, new Map([['/abs', file('no')]])), { message: /must be relative path/ });
});

t.test('hostPath type checks', async (t) => {
  const root = await tempRoot(t);
  await writeFile(join(root, 'f'), 'x');
  await checkHostPathType(join(root, 'new/dir'), 'DirectoryOrCreate');
  t.equal((await stat(join(root, 'new/dir'))).mode & 0o777, 0o755);
  await checkHostPathType(join(root, 'new/file'), 'FileOrCreate');
  t.equal((await stat(join(root, 'new/file'))).size, 0);
  await checkHostPathType(join(root, 'f'), 'File');
  await checkHostPathType(root, 'Directory');
  await checkHostPathType(join(root, 'nothing'), '');
  await t.rejects(checkHostPathType(join(root, 'f'), 'Directory'), { message: `hostPath type check failed: ${join(root, 'f')} is not a directory` });
  await t.rejects(checkHostPathType(join(root, 'f'), 'DirectoryOrCreate'), { message: /is not a directory/ });
  await t.rejects(checkHostPathType(root, 'File'), { message: `hostPath type check failed: ${root} is not a file` });
  await t.rejects(checkHostPathType(join(root, 'missing'), 'Socket'), { message: /is not a socket file/ });
  await t.rejects(checkHostPathType(root, 'BlockDevice'), { message: /is not a block device/ });
  await checkHostPathType('/dev/null', 'CharDevice');
  await t.rejects(checkHostPathType(join(root, 'f'), 'CharDevice'), { message: /is not a character device/ });
});

class FakeSources implements VolumeSources {
  configMaps = new Map<string, corev1.ConfigMap>();
  secrets = new Map<string, corev1.Secret>();
  claims = new Map<string, corev1.PersistentVolumeClaim>();
  volumes = new Map<string, corev1.PersistentVolume>();
  tokenRequests: unknown[] = [];
  async getConfigMap(ns: string, name: string) { return this.configMaps.get(`${ns}/${name}`); }
  async getSecret(ns: string, name: string) { return this.secrets.get(`${ns}/${name}`); }
  async getPersistentVolumeClaim(ns: string, name: string) { return this.claims.get(`${ns}/${name}`); }
  async getPersistentVolume(name: string) { return this.volumes.get(name); }
  async requestServiceAccountToken(ns: string, sa: string, request: unknown) {
    this.tokenRequests.push({ ns, sa, request });
    return { token: `token-${this.tokenRequests.length}`, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() };
  }
}

t.test('every volume kind set up into <root>/pods/<uid>/volumes, errors per volume, refresh, teardown', async (t) => {
  const root = await tempRoot(t);
  const hostDir = join(root, 'host-data');
  const pvDir = join(root, 'pv-data');
  await mkdir(pvDir);
  const sources = new FakeSources();
  sources.configMaps.set('ns/cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v1', other: 'o' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } });
  sources.configMaps.set('ns/kube-root-ca.crt', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CERT' } });
  sources.secrets.set('ns/creds', { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  sources.claims.set('ns/claim', { metadata: { name: 'claim', uid: 'claim-uid' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } });
  sources.claims.set('ns/pending', { metadata: { name: 'pending' }, spec: {}, status: { phase: 'Pending' } });
  sources.volumes.set('pv1', { metadata: { name: 'pv1' }, spec: { hostPath: { path: pvDir }, claimRef: { uid: 'claim-uid' } } });
  const app: corev1.Container = {
    name: 'app', image: 'busybox:1.36', resources: { limits: { memory: '64Mi' } },
    volumeMounts: [
      { name: 'scratch', mountPath: '/scratch' },
      { name: 'scratch', mountPath: '/logs', subPathExpr: 'logs/$(POD_NAME)' },
      { name: 'config', mountPath: '/etc/app', readOnly: false },
      { name: 'config', mountPath: '/etc/app.conf', subPath: 'app.conf' },
      { name: 'host', mountPath: '/host', readOnly: true },
      { name: 'data', mountPath: '/data' },
    ],
  };
  const pod: corev1.Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', labels: { a: '1' } },
    spec: {
      serviceAccountName: 'robot',
      containers: [app],
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
        { name: 'config', configMap: { name: 'cfg' } },
        { name: 'picked', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'nested/renamed', mode: 0o400 }] } },
        { name: 'secret', secret: { secretName: 'creds', defaultMode: 0o440 } },
        { name: 'downward', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } }] } },
        { name: 'kube-api-access', projected: { sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ] } },
        { name: 'data', persistentVolumeClaim: { claimName: 'claim' } },
        { name: 'optional', configMap: { name: 'absent', optional: true } },
        { name: 'missing', configMap: { name: 'absent' } },
        { name: 'missing-secret', secret: { secretName: 'absent' } },
        { name: 'badkey', configMap: { name: 'cfg', items: [{ key: 'nokey', path: 'x' }] } },
        { name: 'unbound', persistentVolumeClaim: { claimName: 'pending' } },
        { name: 'noclaim', persistentVolumeClaim: { claimName: 'ghost' } },
        { name: 'badhost', hostPath: { path: join(root, 'nope'), type: 'Directory' } },
        { name: 'nfs', nfs: { server: 's', path: '/' } },
      ],
    },
  };
  const prepared = await setUpPodVolumes(pod, { rootDir: root, sources });
  const podDir = join(root, 'pods', 'uid-1');
  t.equal(prepared.podDir, podDir);
  t.same(prepared.errors, [
    { volumeName: 'badhost', message: `hostPath type check failed: ${join(root, 'nope')} is not a directory` },
    { volumeName: 'badkey', message: 'configmap references non-existent config key: nokey' },
    { volumeName: 'missing', message: 'configmap "absent" not found' },
    { volumeName: 'missing-secret', message: 'secret "absent" not found' },
    { volumeName: 'nfs', message: 'volume type nfs is not supported by this kubelet' },
    { volumeName: 'noclaim', message: 'failed to fetch PVC from API server: persistentvolumeclaims "ghost" not found' },
    { volumeName: 'unbound', message: 'PVC is not bound' },
  ]);
  const vol = (plugin: string, name: string) => join(podDir, 'volumes', `kubernetes.io~${plugin}`, name);
  t.same(prepared.volumes.get('scratch'), { kind: 'bind', hostPath: vol('empty-dir', 'scratch'), readOnly: false, plugin: 'kubernetes.io~empty-dir' });
  t.equal((await stat(vol('empty-dir', 'scratch'))).mode & 0o777, 0o777);
  t.ok((await stat(hostDir)).isDirectory(), 'DirectoryOrCreate made the host dir');
  t.equal(await readFile(join(vol('configmap', 'config'), 'app.conf'), 'utf8'), 'v1');
  t.same([...(await readFile(join(vol('configmap', 'config'), 'bin')))], [0, 1, 2]);
  t.equal(await readFile(join(vol('configmap', 'picked'), 'nested/renamed'), 'utf8'), 'v1');
  t.equal((await stat(join(vol('configmap', 'picked'), 'nested/renamed'))).mode & 0o777, 0o400);
  t.equal(await readFile(join(vol('secret', 'secret'), 'password'), 'utf8'), 's3cret');
  t.equal((await stat(join(vol('secret', 'secret'), 'password'))).mode & 0o777, 0o440);
  t.equal(await readFile(join(vol('downward-api', 'downward'), 'labels'), 'utf8'), 'a="1"');
  t.equal(await readFile(join(vol('downward-api', 'downward'), 'mem'), 'utf8'), '64');
  t.equal(await readFile(join(vol('projected', 'kube-api-access'), 'token'), 'utf8'), 'token-1');
  t.equal(await readFile(join(vol('projected', 'kube-api-access'), 'ca.crt'), 'utf8'), 'CERT');
  t.equal(await readFile(join(vol('projected', 'kube-api-access'), 'namespace'), 'utf8'), 'ns');
  t.same(sources.tokenRequests, [{ ns: 'ns', sa: 'robot', request: { audiences: [], expirationSeconds: 3607, podName: 'p', podUid: 'uid-1' } }]);
  t.same(prepared.volumes.get('data'), { kind: 'bind', hostPath: pvDir, readOnly: false, plugin: 'kubernetes.io~host-path' });
  const optional = await readdir(vol('configmap', 'optional'));
  t.equal(optional.length, 2, 'a missing optional ConfigMap is an empty volume');
  t.ok(optional.includes('..data'));
  t.equal(prepared.volumes.get('config')?.readOnly, true, 'API data volumes are read-only');

  // Mounts, with subPath/subPathExpr created under the volume and the termination log.
  const { mounts, terminationLogPath } = containerMounts(pod, app, prepared, { env: [{ name: 'POD_NAME', value: 'p' }], attempt: 0 });
  t.same(mounts.map((m) => [m.Target, m.Source, m.ReadOnly]), [
    ['/scratch', vol('empty-dir', 'scratch'), false],
    ['/logs', join(vol('empty-dir', 'scratch'), 'logs/p'), false],
    ['/etc/app', vol('configmap', 'config'), true],
    ['/etc/app.conf', join(vol('configmap', 'config'), await readlink(join(vol('configmap', 'config'), '..data')), 'app.conf'), true],
    ['/host', hostDir, true],
    ['/data', pvDir, false],
    ['/dev/termination-log', join(podDir, 'containers/app/termination-log-0'), false],
  ]);
  t.ok((await stat(join(vol('empty-dir', 'scratch'), 'logs/p'))).isDirectory());
  t.equal((await stat(terminationLogPath!)).mode & 0o777, 0o666);

  // Refresh: a changed ConfigMap updates the files in place; the token is reused while fresh.
  sources.configMaps.set('ns/cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v2', other: 'o' } });
  const again = await setUpPodVolumes(pod, { rootDir: root, sources });
  t.equal(again.errors.length, 7);
  t.equal(await readFile(join(vol('configmap', 'config'), 'app.conf'), 'utf8'), 'v2');
  await t.rejects(lstat(join(vol('configmap', 'config'), 'bin')), 'a removed key disappears');
  t.equal(sources.tokenRequests.length, 1, 'fresh token not requested again');
  const later = await setUpPodVolumes(pod, { rootDir: root, sources, now: () => Date.now() + 3000_000 });
  t.equal(later.errors.length, 7);
  t.equal(await readFile(join(vol('projected', 'kube-api-access'), 'token'), 'utf8'), 'token-2', 'token refreshed after 80% of its life');

  // Teardown removes the pod tree and nothing it links to.
  await writeFile(join(hostDir, 'keep'), 'k');
  await symlink(hostDir, join(vol('empty-dir', 'scratch'), 'escape'));
  await tearDownPodVolumes('uid-1', { rootDir: root });
  await t.rejects(lstat(podDir));
  t.equal(await readFile(join(hostDir, 'keep'), 'utf8'), 'k', 'symlinked host files survive');
  t.equal(await readFile(join(pvDir, '..', 'host-data', 'keep'), 'utf8'), 'k');
  await tearDownPodVolumes('uid-1', { rootDir: root }); // idempotent
  await t.rejects(tearDownPodVolumes('../escape', { rootDir: root }), { message: /invalid pod UID/ });
});

t.test('subPath escapes are rejected', async (t) => {
  const root = await tempRoot(t);
  const outside = join(root, 'outside');
  await mkdir(outside);
  const pod: corev1.Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-2' }, spec: { containers: [], volumes: [{ name: 'v', emptyDir: {} }] } };
  const prepared = await setUpPodVolumes(pod, { rootDir: root, sources: new FakeSources() });
  await symlink(outside, join(root, 'pods/uid-2/volumes/kubernetes.io~empty-dir/v/link'));
  const mount = (m: Partial<corev1.VolumeMount>): corev1.Container => ({ name: 'c', image: 'x', terminationMessagePath: '', volumeMounts: [{ name: 'v', mountPath: '/m', ...m }] });
  const env = [{ name: 'UP', value: '..' }];
  t.throws(() => containerMounts(pod, mount({ subPath: '../x' }), prepared, { env }), { message: "unable to provision SubPath `../x`: must not contain '..'" });
  t.throws(() => containerMounts(pod, mount({ subPath: 'a/../../x' }), prepared, { env }), { message: /must not contain '..'/ });
  t.throws(() => containerMounts(pod, mount({ subPath: '/etc' }), prepared, { env }), { message: 'error SubPath `/etc` must not be an absolute path' });
  t.throws(() => containerMounts(pod, mount({ subPathExpr: '$(UP)/x' }), prepared, { env }), { message: /must not contain '..'/ });
  t.throws(() => containerMounts(pod, mount({ subPath: 'link' }), prepared, { env }), { message: /resolves outside the volume/ });
  t.throws(() => containerMounts(pod, mount({ subPath: 'link/new' }), prepared, { env }), { message: /resolves outside the volume/ });
  t.same(await readdir(outside), [], 'nothing was created outside');
  t.throws(() => containerMounts(pod, mount({ name: 'nope' }), prepared, { env }), { message: 'cannot find volume "nope" to mount into container "c"' });
  const ok = containerMounts(pod, mount({ subPath: 'a/b' }), prepared, { env });
  t.equal(ok.mounts.length, 1, 'no termination log when terminationMessagePath is empty');
  t.equal(ok.terminationLogPath, undefined);
});

t.test('memory emptyDir without Docker is a volume error', async (t) => {
  const root = await tempRoot(t);
  const pod: corev1.Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-3' }, spec: { containers: [], volumes: [{ name: 'm', emptyDir: { medium: 'Memory' } }] } };
  const prepared = await setUpPodVolumes(pod, { rootDir: root, sources: new FakeSources() });
  t.same(prepared.errors, [{ volumeName: 'm', message: 'emptyDir medium Memory needs the Docker engine' }]);
});
