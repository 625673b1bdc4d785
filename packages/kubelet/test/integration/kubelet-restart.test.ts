// A k8ts-kubelet killed with SIGKILL and started again (same node name, root dir and ports) adopts its running
// containers: no duplicates, the same container IDs, restart counts kept, the pod stays Ready; a pod force-deleted
// while it was down has its containers removed; dead containers beyond --maximum-dead-containers-per-container are
// garbage-collected.
import t from 'tap';
import { eventually, sleep, startKubeletProcess } from '@k8ts/testing';
import { assertNoContainersLeft, BUSYBOX, conditionOf, containerStatus, FAST_KUBELET_ARGS, podObject, startCluster, TEST_APP } from './harness.js';

const NODE = 'kl-restart';
const POD_CIDR = '10.244.213.0/24';
const ARGS = [...FAST_KUBELET_ARGS, '--maximum-dead-containers-per-container', '1'];
const cluster = await startCluster(t, { node: NODE, podCIDR: POD_CIDR, args: ARGS });

if (cluster) {
  const c = cluster;

  t.test('a restarted kubelet adopts its pods and cleans up what was deleted meanwhile', async (t) => {
    c.apply(
      podObject('steady', NODE, { containers: [{ name: 'app', image: TEST_APP, readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 } }] }),
      podObject('doomed', NODE, { containers: [{ name: 'box', image: BUSYBOX, command: ['sleep', '3600'] }] }),
      podObject('crashy', NODE, { containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'sleep 1; exit 1'] }] }),
    );
    const steady = await c.waitPod('steady', 'Ready', (p) => conditionOf(p, 'Ready') === 'True');
    await c.waitPod('doomed', 'Running', (p) => p.status?.phase === 'Running');
    const crashy = await c.waitPod('crashy', 'restarted twice', (p) => (containerStatus(p, 'main')?.restartCount ?? 0) >= 2, 40_000);
    const crashyRestarts = containerStatus(crashy, 'main')?.restartCount ?? 0;
    const before = c.containers({ pod: 'steady' }).map((x) => x.id).sort();
    t.equal(before.length, 2, 'steady: sandbox and app');
    const doomedIds = c.containers({ pod: 'doomed' }).map((x) => x.id);

    await c.kubelet.kill();
    t.pass('kubelet killed (SIGKILL)');
    c.kubectl(['delete', 'pod', 'doomed', '--grace-period=0', '--force']);
    t.equal(c.pod('doomed'), undefined, 'doomed force-deleted while the kubelet is down');
    t.equal(c.containers({ pod: 'doomed' }).filter((x) => x.state === 'running').length, 2, 'its containers still run');

    const old = c.kubelet;
    const next = await startKubeletProcess({
      kubeconfig: c.cp.kubeconfig,
      nodeName: NODE,
      podCIDR: POD_CIDR,
      args: ARGS,
      rootDir: old.rootDir,
      port: old.port,
      healthzPort: old.healthzPort,
    });
    c.setKubelet(next);
    t.pass('a new kubelet runs with the same node name, root dir and ports');

    await eventually('doomed containers removed', () => c.containers({ pod: 'doomed' }), (l) => l.length === 0, 20_000, 250);
    t.pass(`the force-deleted pod's containers are removed (${doomedIds.length} of them)`);

    // Give the new kubelet a few syncs to do something wrong; the pod must stay Ready all along.
    const readiness: string[] = [];
    for (const until = Date.now() + 5000; Date.now() < until; await sleep(200)) readiness.push(conditionOf(c.pod('steady')!, 'Ready') ?? '?');
    t.same([...new Set(readiness)], ['True'], `steady stayed Ready across the restart (${readiness.length} samples)`);
    const after = c.containers({ pod: 'steady' }).map((x) => x.id).sort();
    t.same(after, before, 'steady: the same containers, no duplicates');
    const p = c.pod('steady')!;
    t.equal(conditionOf(p, 'Ready'), 'True', 'steady still Ready');
    t.equal(containerStatus(p, 'app')?.restartCount, 0, 'restartCount kept');
    t.equal(containerStatus(p, 'app')?.containerID, containerStatus(steady, 'app')?.containerID, 'same container ID in the status');
    t.equal(p.status?.podIP, steady.status?.podIP, 'same pod IP');
    const crashyNow = containerStatus(c.pod('crashy')!, 'main')?.restartCount ?? 0;
    t.ok(crashyNow >= crashyRestarts, `crashy's restartCount carried on (${crashyRestarts} → ${crashyNow})`);

    // A new pod must not get an IP the adopted pod already has.
    c.apply(podObject('newcomer', NODE, { containers: [{ name: 'box', image: BUSYBOX, command: ['sleep', '3600'] }] }));
    const newcomer = await c.waitPod('newcomer', 'Running', (p) => p.status?.phase === 'Running');
    t.not(newcomer.status?.podIP, steady.status?.podIP, 'a new pod gets another IP');
    t.match(newcomer.status?.podIP, /^10\.244\.213\./);
  });

  t.test('dead containers beyond --maximum-dead-containers-per-container are collected', async (t) => {
    const p = await c.waitPod('crashy', 'restarted 4 times', (p) => (containerStatus(p, 'main')?.restartCount ?? 0) >= 4, 40_000);
    t.ok((containerStatus(p, 'main')?.restartCount ?? 0) >= 4);
    const kept = await eventually('at most 2 instances of crashy/main', () => c.containers({ pod: 'crashy', container: 'main' }), (l) => l.length <= 2, 10_000, 250);
    const attempts = kept.map((x) => Number(x.labels['io.kubernetes.container.restartCount'])).sort((a, b) => a - b);
    t.ok(attempts.length >= 1 && attempts.length <= 2, `newest instance plus at most one dead one (attempts ${attempts.join(', ')})`);
    t.ok(attempts[attempts.length - 1]! >= 3, 'the newest instances are the ones kept');
    t.equal(c.containers({ pod: 'crashy', container: 'POD' }).length, 1, 'one sandbox');
  });

  t.test('nothing of the node is left after the pods are deleted', async (t) => {
    await Promise.all(['steady', 'crashy', 'newcomer'].map((n) => c.deletePod(n)));
    await assertNoContainersLeft(t, NODE);
  });
}
