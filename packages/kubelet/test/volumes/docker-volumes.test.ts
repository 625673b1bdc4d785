// With the real Docker engine (through the docker CLI, independent of our client): a memory emptyDir is one tmpfs
// shared by two containers, and a ConfigMap update reaches a running container through its bind-mounted volume.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { corev1 } from '@k8ts/api-machinery';
import { eventually } from '@k8ts/testing';
import type { VolumeCreateConfig } from '../../src/docker/types.js';
import { containerMounts, setUpPodVolumes, tearDownPodVolumes, type VolumeDocker, type VolumeSources } from '../../src/volumes/index.js';
import { requireDocker, TEST_IMAGE } from '../helpers/docker.js';

const run = promisify(execFile);
const LABEL = `k8ts.test=kubelet-volumes-${process.pid}`;

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { timeout: 30_000 });
  return stdout.trim();
}

/** The two volume calls, over the CLI. */
const cliDocker: Required<VolumeDocker> = {
  async volumeCreate(config: VolumeCreateConfig) {
    const args = ['volume', 'create', '--driver', config.Driver ?? 'local'];
    for (const [k, v] of Object.entries(config.DriverOpts ?? {})) args.push('--opt', `${k}=${v}`);
    for (const [k, v] of Object.entries(config.Labels ?? {})) args.push('--label', `${k}=${v}`);
    await docker(...args, config.Name);
  },
  async volumeRemove(name: string) {
    await docker('volume', 'rm', '-f', name);
  },
};

async function cleanup(): Promise<void> {
  const ids = (await docker('ps', '-aq', '--filter', `label=${LABEL}`)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  const volumes = (await docker('volume', 'ls', '-q', '--filter', `label=${LABEL}`)).split('\n').filter(Boolean);
  if (volumes.length) await docker('volume', 'rm', '-f', ...volumes);
}

function mountArgs(mounts: Array<{ Type: string; Source?: string; Target: string; ReadOnly?: boolean }>): string[] {
  return mounts.flatMap((m) => ['--mount', `type=${m.Type},source=${m.Source ?? ''},target=${m.Target}${m.ReadOnly ? ',readonly' : ''}`]);
}

t.test('memory emptyDir shared by two containers; configMap update seen inside a running container', async (t) => {
  if (!(await requireDocker(t))) return;
  const root = await realpath(await mkdtemp(join(tmpdir(), 'k8ts-docker-volumes-')));
  t.teardown(async () => {
    await cleanup();
    await rm(root, { recursive: true, force: true });
  });
  const configMaps = new Map<string, corev1.ConfigMap>([['ns/cfg', { metadata: { name: 'cfg' }, data: { greeting: 'hello' } }]]);
  const sources: VolumeSources = {
    getConfigMap: async (ns, name) => configMaps.get(`${ns}/${name}`),
    getSecret: async () => undefined,
    getPersistentVolumeClaim: async () => undefined,
    getPersistentVolume: async () => undefined,
    requestServiceAccountToken: async () => ({ token: 't', expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() }),
  };
  const uid = `uid-${process.pid}`;
  const container = (name: string): corev1.Container => ({
    name, image: TEST_IMAGE,
    volumeMounts: [{ name: 'shm', mountPath: '/shared' }, { name: 'cfg', mountPath: '/etc/cfg' }],
  });
  const pod: corev1.Pod = {
    metadata: { name: 'p', namespace: 'ns', uid },
    spec: {
      containers: [container('a'), container('b')],
      volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }, { name: 'cfg', configMap: { name: 'cfg' } }],
    },
  };
  const options = { rootDir: root, sources, docker: cliDocker, volumeLabels: { 'k8ts.test': LABEL.split('=')[1]! } };
  const prepared = await setUpPodVolumes(pod, options);
  t.same(prepared.errors, []);
  t.same(prepared.volumes.get('shm'), { kind: 'volume', volumeName: `k8s_${uid}_shm`, readOnly: false, plugin: 'kubernetes.io~empty-dir' });

  const ids: string[] = [];
  for (const c of pod.spec!.containers) {
    const { mounts } = containerMounts(pod, c, prepared, { env: [], attempt: 0 });
    ids.push(await docker('run', '-d', '--label', LABEL, '--init', ...mountArgs(mounts), TEST_IMAGE, 'sleep', '300'));
  }
  await docker('exec', ids[0]!, 'sh', '-c', 'echo from-a > /shared/x');
  t.equal(await docker('exec', ids[1]!, 'cat', '/shared/x'), 'from-a', 'the second container sees the first one\'s file');
  t.match(await docker('exec', ids[1]!, 'sh', '-c', "grep ' /shared ' /proc/mounts"), /tmpfs .*size=8192k/, 'a tmpfs of the sizeLimit');
  t.equal(await docker('exec', ids[0]!, 'cat', '/etc/cfg/greeting'), 'hello');
  await t.rejects(docker('exec', ids[0]!, 'sh', '-c', 'echo x > /etc/cfg/new'), 'configMap volume is read-only');

  configMaps.set('ns/cfg', { metadata: { name: 'cfg' }, data: { greeting: 'updated' } });
  await setUpPodVolumes(pod, options);
  const seen = await eventually('the update inside the container', () => docker('exec', ids[0]!, 'cat', '/etc/cfg/greeting'), (v) => v === 'updated', 5000);
  t.equal(seen, 'updated', 'the running container sees the update (docker exec cat)');

  await docker('rm', '-f', ...ids);
  await tearDownPodVolumes(uid, { rootDir: root, docker: cliDocker });
  t.equal(await docker('volume', 'ls', '-q', '--filter', `name=k8s_${uid}_shm`), '', 'the memory volume is removed');
});
