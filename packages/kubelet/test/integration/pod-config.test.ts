// What a real k8ts-kubelet puts into containers: environment variables from every source (read back over HTTP from
// the test app's /env at the pod IP), configMap/secret/downwardAPI/hostPath volumes with items and modes (a
// configMap update reaches the mounted file within the sync period), init containers in order and their
// failures, a missing ConfigMap key (CreateContainerConfigError until it exists) and an image that cannot be pulled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { eventually } from '@k8ts/testing';
import { assertNoContainersLeft, BUSYBOX, conditionOf, containerStatus, FAST_KUBELET_ARGS, podHttp, podObject, startCluster, TEST_APP, type Cluster } from './harness.js';

const NODE = 'kl-config';
const cluster = await startCluster(t, { node: NODE, podCIDR: '10.244.211.0/24', args: [...FAST_KUBELET_ARGS, '--sync-frequency', '2s'] });

const running = (c: Cluster, pod: string, container: string): string => {
  const found = c.containers({ pod, container }).find((x) => x.state === 'running');
  if (!found) throw new Error(`no running container ${container} of pod ${pod}`);
  return found.id;
};

if (cluster) {
  const c = cluster;
  c.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { color: 'blue', size: 'L' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, stringData: { password: 'hunter2' } },
  );

  t.test('environment from values, references, the downward API and envFrom', async (t) => {
    c.apply(
      podObject(
        'envs',
        NODE,
        {
          containers: [
            {
              name: 'app',
              image: TEST_APP,
              resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }, { secretRef: { name: 'sec' } }],
              env: [
                { name: 'PLAIN', value: 'value' },
                { name: 'GREETING', value: 'hello-$(PLAIN)' },
                { name: 'ESCAPED', value: '$$(PLAIN)' },
                { name: 'UNKNOWN_REF', value: '$(NOT_DEFINED)' },
                { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
                { name: 'SECRET_PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
                { name: 'POD_TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
                { name: 'CPU_REQUEST_MILLI', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
              ],
            },
          ],
        },
        { labels: { app: 'envs', tier: 'web' } },
      ),
    );
    const pod = await c.waitPod('envs', 'Ready', (p) => conditionOf(p, 'Ready') === 'True');
    const ip = pod.status?.podIP ?? '';
    const res = await eventually('GET /env', () => podHttp(ip, '/env'), (r) => r?.status === 200, 10_000);
    const env = JSON.parse(res!.body) as Record<string, string>;
    t.match(env, {
      PLAIN: 'value',
      GREETING: 'hello-value',
      ESCAPED: '$(PLAIN)',
      UNKNOWN_REF: '$(NOT_DEFINED)',
      COLOR: 'blue',
      SECRET_PASSWORD: 'hunter2',
      CFG_color: 'blue',
      CFG_size: 'L',
      password: 'hunter2',
      POD_NAME: 'envs',
      POD_NAMESPACE: 'default',
      POD_UID: pod.metadata?.uid,
      POD_TIER: 'web',
      POD_IP: ip,
      NODE_NAME: NODE,
      HOST_IP: '127.0.0.1',
      MEM_LIMIT: String(128 * 1024 * 1024),
      CPU_REQUEST_MILLI: '250',
    });
    await c.deletePod('envs');
  });

  t.test('a missing ConfigMap key: CreateContainerConfigError until the key exists', async (t) => {
    c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' }, data: { other: 'x' } });
    c.apply(
      podObject('late-key', NODE, {
        containers: [{ name: 'app', image: TEST_APP, env: [{ name: 'LATE', valueFrom: { configMapKeyRef: { name: 'late', key: 'wanted' } } }] }],
      }),
    );
    const p = await c.waitPod('late-key', 'CreateContainerConfigError', (p) => containerStatus(p, 'app')?.state?.waiting?.reason === 'CreateContainerConfigError');
    t.match(containerStatus(p, 'app')?.state?.waiting?.message, /couldn't find key wanted in ConfigMap default\/late/);
    t.equal(p.status?.phase, 'Pending');
    t.equal(c.podStatusColumn('late-key'), 'CreateContainerConfigError', 'kubectl STATUS');
    c.kubectl(['patch', 'configmap', 'late', '--type', 'merge', '-p', '{"data":{"wanted":"now"}}']);
    const ready = await c.waitPod('late-key', 'Ready once the key exists', (p) => conditionOf(p, 'Ready') === 'True', 30_000);
    const res = await eventually('GET /env', () => podHttp(ready.status?.podIP ?? '', '/env'), (r) => r?.status === 200, 10_000);
    t.equal((JSON.parse(res!.body) as Record<string, string>)['LATE'], 'now', 'the container got the new key');
    await c.deletePod('late-key');
  });

  t.test('configMap, secret, downwardAPI and hostPath volumes', async (t) => {
    const host = mkdtempSync(join(tmpdir(), 'k8ts-hostpath-'));
    t.teardown(() => rmSync(host, { recursive: true, force: true }));
    writeFileSync(join(host, 'from-host'), 'host-content');
    c.apply(
      podObject(
        'volumes',
        NODE,
        {
          volumes: [
            { name: 'cm', configMap: { name: 'cfg', defaultMode: 0o644, items: [{ key: 'color', path: 'conf/color.txt', mode: 0o600 }] } },
            { name: 'whole-cm', configMap: { name: 'cfg' } },
            { name: 'sec', secret: { secretName: 'sec', defaultMode: 0o400 } },
            {
              name: 'info',
              downwardAPI: {
                items: [
                  { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                  { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
                  { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
                ],
              },
            },
            { name: 'host', hostPath: { path: host, type: 'Directory' } },
          ],
          containers: [
            {
              name: 'app',
              image: TEST_APP,
              resources: { limits: { memory: '96Mi' } },
              volumeMounts: [
                { name: 'cm', mountPath: '/etc/cm' },
                { name: 'whole-cm', mountPath: '/etc/whole' },
                { name: 'sec', mountPath: '/etc/sec' },
                { name: 'info', mountPath: '/etc/info' },
                { name: 'host', mountPath: '/host' },
              ],
            },
          ],
        },
        { labels: { team: 'kubelet', tier: 'db' } },
      ),
    );
    await c.waitPod('volumes', 'Ready', (p) => conditionOf(p, 'Ready') === 'True');
    const id = running(c, 'volumes', 'app');
    const sh = (cmd: string): string => {
      const r = c.dockerExec(id, ['sh', '-c', cmd]);
      return r.code === 0 ? r.stdout.trim() : `exit ${r.code}: ${r.stderr.trim()}`;
    };
    t.equal(sh('cat /etc/cm/conf/color.txt'), 'blue', 'configMap item at its path');
    t.equal(sh('stat -L -c %a /etc/cm/conf/color.txt'), '600', 'item mode');
    t.equal(sh('test -e /etc/cm/size && echo present || echo absent'), 'absent', 'only the listed items');
    t.equal(sh('cat /etc/whole/size'), 'L', 'whole configMap: every key');
    t.equal(sh('stat -L -c %a /etc/whole/size'), '644', 'default mode 0644');
    t.equal(sh('cat /etc/sec/password'), 'hunter2', 'secret content');
    t.equal(sh('stat -L -c %a /etc/sec/password'), '400', 'secret defaultMode');
    t.equal(sh('cat /etc/info/name'), 'volumes', 'downwardAPI metadata.name');
    t.same(sh('cat /etc/info/labels').split('\n').sort(), ['team="kubelet"', 'tier="db"'], 'downwardAPI labels');
    t.equal(sh('cat /etc/info/mem'), '96', 'downwardAPI limits.memory in Mi');
    t.equal(sh('cat /host/from-host'), 'host-content', 'hostPath: the host file is visible');
    t.equal(sh('echo from-pod > /host/from-pod && echo ok'), 'ok');

    c.kubectl(['patch', 'configmap', 'cfg', '--type', 'merge', '-p', '{"data":{"color":"green"}}']);
    const changedAt = Date.now();
    await eventually('configMap update in the file', () => sh('cat /etc/cm/conf/color.txt'), (v) => v === 'green', 15_000, 250);
    t.pass(`the mounted configMap file follows the update (${Date.now() - changedAt} ms)`);
    t.equal(sh('cat /etc/whole/color'), 'green', 'the whole-configMap volume too');
    await c.deletePod('volumes');
    const { readFileSync } = await import('node:fs');
    t.equal(readFileSync(join(host, 'from-pod'), 'utf8').trim(), 'from-pod', 'hostPath: the pod wrote to the host dir');
  });

  t.test('init containers run in order before the app', async (t) => {
    const append = (word: string): string[] => ['sh', '-c', `echo ${word} >> /work/log`];
    c.apply(
      podObject('inits', NODE, {
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'first', image: BUSYBOX, command: append('one'), volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'second', image: BUSYBOX, command: ['sh', '-c', 'sleep 3; echo two >> /work/log'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'echo main >> /work/log; sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      }),
    );
    const column = await eventually('STATUS Init:1/2', () => c.podStatusColumn('inits'), (s) => s === 'Init:1/2', 15_000, 200);
    t.equal(column, 'Init:1/2', 'kubectl shows Init:1/2 while the second init container runs');
    const pending = c.pod('inits')!;
    t.equal(pending.status?.phase, 'Pending');
    t.equal(conditionOf(pending, 'Initialized'), 'False');
    t.equal(containerStatus(pending, 'main')?.state?.waiting?.reason, 'PodInitializing');
    const p = await c.waitPod('inits', 'Ready', (p) => conditionOf(p, 'Ready') === 'True', 30_000);
    t.equal(conditionOf(p, 'Initialized'), 'True');
    for (const name of ['first', 'second']) t.equal(containerStatus(p, name, true)?.state?.terminated?.reason, 'Completed', `${name} completed`);
    const log = c.dockerExec(running(c, 'inits', 'main'), ['cat', '/work/log']).stdout.trim().split('\n');
    t.same(log, ['one', 'two', 'main'], 'init containers ran in order, then the app');
    await c.deletePod('inits');
  });

  t.test('a failing init container with restartPolicy Never fails the pod (Init:Error)', async (t) => {
    c.apply(
      podObject('init-fails', NODE, {
        restartPolicy: 'Never',
        initContainers: [{ name: 'setup', image: BUSYBOX, command: ['sh', '-c', 'exit 7'] }],
        containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }],
      }),
    );
    const p = await c.waitPod('init-fails', 'Failed', (p) => p.status?.phase === 'Failed');
    t.equal(containerStatus(p, 'setup', true)?.state?.terminated?.exitCode, 7);
    t.equal(containerStatus(p, 'setup', true)?.state?.terminated?.reason, 'Error');
    t.notOk(containerStatus(p, 'main')?.state?.running, 'the app container never ran');
    t.equal(c.containers({ pod: 'init-fails', container: 'main' }).length, 0, 'no app container was created');
    t.equal(c.podStatusColumn('init-fails'), 'Init:Error', 'kubectl STATUS Init:Error');
    await c.deletePod('init-fails');
  });

  t.test('an image that cannot be pulled: ErrImagePull, then ImagePullBackOff', async (t) => {
    c.apply(podObject('no-image', NODE, { containers: [{ name: 'app', image: 'k8ts/does-not-exist:1.0' }] }));
    const reasons = new Set<string>();
    const columns = new Set<string>();
    const started = Date.now();
    const timeline: string[] = [];
    await c.waitPod(
      'no-image',
      'ErrImagePull and ImagePullBackOff seen',
      (p) => {
        const r = containerStatus(p, 'app')?.state?.waiting?.reason;
        if (r && timeline[timeline.length - 1]?.endsWith(r) !== true) timeline.push(`${Date.now() - started}ms ${r}`);
        if (r) reasons.add(r);
        columns.add(c.podStatusColumn('no-image'));
        return reasons.has('ErrImagePull') && reasons.has('ImagePullBackOff');
      },
      30_000,
    );
    t.comment(`waiting reasons: ${timeline.join(', ')}`);
    t.ok(columns.has('ErrImagePull') || columns.has('ImagePullBackOff'), `kubectl STATUS shows the pull error (${[...columns].join(', ')})`);
    const events = c.events('no-image');
    t.ok(events.some((e) => e.reason === 'Failed' && /Failed to pull image "k8ts\/does-not-exist:1.0"/.test(e.message)), 'Failed pull event');
    t.ok(events.some((e) => e.reason === 'BackOff' && /Back-off pulling image/.test(e.message)), 'BackOff event');
    t.equal(c.pod('no-image')?.status?.phase, 'Pending');
    await c.deletePod('no-image');
  });

  t.test('nothing of the node is left', async (t) => {
    await assertNoContainersLeft(t, NODE);
  });
}
