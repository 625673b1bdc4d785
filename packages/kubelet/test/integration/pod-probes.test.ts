// Probes on a real k8ts-kubelet with Docker: readiness follows the test app's /readyz toggle without restarts; a
// failing liveness probe restarts the container (Unhealthy and Killing events); tcpSocket and exec probes pass and
// fail; a startup probe holds liveness back until it passes, and restarts the container when it never does.
import t from 'tap';
import { sleep } from '@k8ts/testing';
import type { corev1 } from '@k8ts/api-machinery';
import { assertNoContainersLeft, BUSYBOX, conditionOf, containerStatus, podHttp, podObject, startCluster, TEST_APP, type Cluster } from './harness.js';

const NODE = 'kl-probes';
const cluster = await startCluster(t, { node: NODE, podCIDR: '10.244.212.0/24' });

const fast = (probe: corev1.Probe): corev1.Probe => ({ periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 1, ...probe });
const ready = (p: corev1.Pod): boolean => conditionOf(p, 'Ready') === 'True';
const restarts = (p: corev1.Pod, name: string): number => containerStatus(p, name)?.restartCount ?? 0;
const runningId = (c: Cluster, pod: string, container: string): string => c.containers({ pod, container }).find((x) => x.state === 'running')?.id ?? '';

if (cluster) {
  const c = cluster;

  t.test('readiness follows /readyz; the container is not restarted', async (t) => {
    c.apply(podObject('ready-toggle', NODE, { containers: [{ name: 'app', image: TEST_APP, readinessProbe: fast({ httpGet: { path: '/readyz', port: 8080 } }) }] }));
    const p = await c.waitPod('ready-toggle', 'Ready', ready);
    const ip = p.status?.podIP ?? '';
    t.equal((await podHttp(ip, '/readyz/fail'))?.status, 200, 'readiness switched off');
    const notReady = await c.waitPod('ready-toggle', 'Ready False', (p) => conditionOf(p, 'Ready') === 'False', 15_000);
    t.equal(containerStatus(notReady, 'app')?.ready, false, 'container not ready');
    t.ok(containerStatus(notReady, 'app')?.state?.running, 'still running');
    t.equal(restarts(notReady, 'app'), 0, 'not restarted');
    t.equal(notReady.status?.phase, 'Running');
    t.equal((await podHttp(ip, '/readyz/pass'))?.status, 200, 'readiness switched on');
    const again = await c.waitPod('ready-toggle', 'Ready again', ready, 15_000);
    t.equal(restarts(again, 'app'), 0, 'still not restarted');
    t.ok(
      c.events('ready-toggle').some((e) => e.reason === 'Unhealthy' && /Readiness probe failed: HTTP probe failed with statuscode: 500/.test(e.message)),
      'Unhealthy event for readiness',
    );
    await c.deletePod('ready-toggle');
  });

  t.test('a failing liveness probe restarts the container', async (t) => {
    c.apply(
      podObject('live-toggle', NODE, {
        containers: [{ name: 'app', image: TEST_APP, livenessProbe: fast({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 2 }), readinessProbe: fast({ httpGet: { path: '/readyz', port: 8080 } }) }],
      }),
    );
    const p = await c.waitPod('live-toggle', 'Ready', ready);
    const firstId = runningId(c, 'live-toggle', 'app');
    t.equal((await podHttp(p.status?.podIP ?? '', '/healthz/fail'))?.status, 200, 'health switched off');
    const restarted = await c.waitPod('live-toggle', 'restarted and Ready', (p) => restarts(p, 'app') === 1 && ready(p), 30_000);
    const s = containerStatus(restarted, 'app');
    t.ok(s?.lastState?.terminated, 'lastState terminated');
    t.equal(s?.lastState?.terminated?.containerID, `docker://${firstId}`, 'lastState is the first instance');
    t.not(runningId(c, 'live-toggle', 'app'), firstId, 'a new container runs');
    const events = c.events('live-toggle');
    t.ok(events.some((e) => e.reason === 'Unhealthy' && /Liveness probe failed: HTTP probe failed with statuscode: 500/.test(e.message)), 'Unhealthy event');
    t.ok(events.some((e) => e.reason === 'Killing' && /Container app failed liveness probe, will be restarted/.test(e.message)), 'Killing event');
    await sleep(3000);
    t.equal(restarts(c.pod('live-toggle')!, 'app'), 1, 'the new (healthy) instance is left alone');
    await c.deletePod('live-toggle');
  });

  t.test('tcpSocket probes pass on an open port and fail on a closed one', async (t) => {
    c.apply(
      podObject('tcp-probes', NODE, {
        containers: [
          { name: 'open', image: TEST_APP, readinessProbe: fast({ tcpSocket: { port: 9000 } }), livenessProbe: fast({ tcpSocket: { port: 8080 } }) },
          { name: 'closed', image: BUSYBOX, command: ['sleep', '3600'], readinessProbe: fast({ tcpSocket: { port: 9999 } }) },
        ],
      }),
    );
    const p = await c.waitPod('tcp-probes', 'open ready, Unhealthy for closed', (p) => containerStatus(p, 'open')?.ready === true && c.events('tcp-probes').some((e) => e.reason === 'Unhealthy'), 20_000);
    t.equal(containerStatus(p, 'closed')?.ready, false, 'closed port: not ready');
    t.equal(conditionOf(p, 'Ready'), 'False', 'so the pod is not Ready');
    t.ok(c.events('tcp-probes').some((e) => e.reason === 'Unhealthy' && /Readiness probe failed: dial tcp [\d.]+:9999: connect: connection refused/.test(e.message)), 'Unhealthy names the refused port');
    await sleep(2000);
    t.equal(restarts(c.pod('tcp-probes')!, 'open'), 0, 'passing tcp liveness: no restart');
    await c.deletePod('tcp-probes');
  });

  t.test('exec probes: readiness and liveness follow files in the container', async (t) => {
    c.apply(
      podObject('exec-probes', NODE, {
        containers: [
          {
            name: 'box',
            image: BUSYBOX,
            command: ['sh', '-c', 'touch /tmp/ready /tmp/alive; exec sleep 3600'],
            readinessProbe: fast({ exec: { command: ['cat', '/tmp/ready'] } }),
            livenessProbe: fast({ exec: { command: ['cat', '/tmp/alive'] }, failureThreshold: 2 }),
          },
        ],
      }),
    );
    await c.waitPod('exec-probes', 'Ready', ready);
    t.equal(c.dockerExec(runningId(c, 'exec-probes', 'box'), ['rm', '/tmp/ready']).code, 0);
    const notReady = await c.waitPod('exec-probes', 'Ready False', (p) => conditionOf(p, 'Ready') === 'False', 15_000);
    t.equal(restarts(notReady, 'box'), 0, 'readiness failure: no restart');
    t.equal(c.dockerExec(runningId(c, 'exec-probes', 'box'), ['touch', '/tmp/ready']).code, 0);
    await c.waitPod('exec-probes', 'Ready again', ready, 15_000);
    t.equal(c.dockerExec(runningId(c, 'exec-probes', 'box'), ['rm', '/tmp/alive']).code, 0);
    const restarted = await c.waitPod('exec-probes', 'restarted and Ready', (p) => restarts(p, 'box') === 1 && ready(p), 30_000);
    t.ok(containerStatus(restarted, 'box')?.lastState?.terminated, 'lastState terminated');
    t.ok(c.events('exec-probes').some((e) => e.reason === 'Unhealthy' && /Liveness probe failed/.test(e.message)), 'Unhealthy for liveness');
    await c.deletePod('exec-probes');
  });

  t.test('a startup probe holds liveness back until it passes', async (t) => {
    const until = (file: string): corev1.Probe => fast({ exec: { command: ['test', '-e', file] } });
    c.apply(
      podObject('slow-start', NODE, {
        containers: [
          {
            name: 'box',
            image: BUSYBOX,
            command: ['sh', '-c', 'sleep 4; touch /tmp/started; exec sleep 3600'],
            startupProbe: { ...until('/tmp/started'), failureThreshold: 15 },
            // Would kill the container within ~1 s if it ran before the startup probe passed.
            livenessProbe: until('/tmp/started'),
          },
        ],
      }),
      podObject('never-starts', NODE, {
        containers: [{ name: 'box', image: BUSYBOX, command: ['sleep', '3600'], startupProbe: { ...until('/nope'), failureThreshold: 2 } }],
      }),
    );
    const early = await c.waitPod('slow-start', 'running', (p) => containerStatus(p, 'box')?.state?.running !== undefined);
    t.equal(containerStatus(early, 'box')?.started, false, 'not started while the startup probe fails');
    t.equal(containerStatus(early, 'box')?.ready, false, 'and not ready');
    const started = await c.waitPod('slow-start', 'started and Ready', (p) => containerStatus(p, 'box')?.started === true && ready(p), 20_000);
    t.equal(restarts(started, 'box'), 0, 'liveness did not kill it while starting');
    await sleep(2000);
    t.equal(restarts(c.pod('slow-start')!, 'box'), 0, 'and passes afterwards');

    const failed = await c.waitPod('never-starts', 'restarted by the startup probe', (p) => restarts(p, 'box') >= 1, 30_000);
    t.equal(containerStatus(failed, 'box')?.started, false);
    t.ok(c.events('never-starts').some((e) => e.reason === 'Killing' && /failed startup probe, will be restarted/.test(e.message)), 'Killing: failed startup probe');
    t.ok(c.events('never-starts').some((e) => e.reason === 'Unhealthy' && /Startup probe failed/.test(e.message)), 'Unhealthy: startup probe');
    await Promise.all([c.deletePod('slow-start'), c.deletePod('never-starts')]);
  });

  t.test('nothing of the node is left', async (t) => {
    await assertNoContainersLeft(t, NODE);
  });
}
