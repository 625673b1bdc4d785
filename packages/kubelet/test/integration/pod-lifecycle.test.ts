// Pod lifecycle on a real k8ts-kubelet with Docker: containers of one pod share localhost and an emptyDir; restart
// policies and exit codes give the phases and the STATUS strings kubectl shows; a crash loop backs off more and more;
// a memory limit ends in OOMKilled; deletion runs preStop and waits out the app's own shutdown, then every
// container is gone.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { eventually, sleep } from '@k8ts/testing';
import { assertNoContainersLeft, BUSYBOX, conditionOf, containerStatus, docker, FAST_KUBELET_ARGS, podObject, startCluster, TEST_APP } from './harness.js';

const NODE = 'kl-lifecycle';
// Keep dead instances around, so the crash loop's timing can be read from Docker.
const cluster = await startCluster(t, { node: NODE, podCIDR: '10.244.210.0/24', args: [...FAST_KUBELET_ARGS, '--maximum-dead-containers-per-container', '10'] });

if (cluster) {
  const c = cluster;

  t.test('containers of a pod share localhost and an emptyDir', async (t) => {
    c.apply(
      podObject('shared', NODE, {
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [
          { name: 'app', image: TEST_APP, volumeMounts: [{ name: 'scratch', mountPath: '/data' }] },
          { name: 'sidecar', image: BUSYBOX, command: ['sh', '-c', 'sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/data' }] },
        ],
      }),
    );
    const pod = await c.waitPod('shared', 'Ready', (p) => conditionOf(p, 'Ready') === 'True');
    t.equal(pod.status?.phase, 'Running');
    t.match(pod.status?.podIP, /^10\.244\.210\./, 'pod IP from the node CIDR');
    const app = c.containers({ pod: 'shared', container: 'app' }).find((x) => x.state === 'running');
    const sidecar = c.containers({ pod: 'shared', container: 'sidecar' }).find((x) => x.state === 'running');
    t.ok(app && sidecar, 'both containers run');
    const hostname = c.dockerExec(sidecar!.id, ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/hostname']);
    t.equal(hostname.code, 0, `wget from the sidecar: ${hostname.stderr}`);
    t.equal(hostname.stdout.trim(), 'shared', 'the app answers on the shared localhost with the pod name as hostname');
    t.equal(c.dockerExec(app!.id, ['sh', '-c', 'echo written-by-app > /data/note']).code, 0);
    t.equal(c.dockerExec(sidecar!.id, ['cat', '/data/note']).stdout.trim(), 'written-by-app', 'the sidecar reads what the app wrote');
    await c.deletePod('shared');
  });

  t.test('restart policies and exit codes give phases and STATUS strings', async (t) => {
    const cases = [
      { name: 'never-ok', policy: 'Never' as const, code: 0, phase: 'Succeeded', column: 'Completed' },
      { name: 'never-fail', policy: 'Never' as const, code: 3, phase: 'Failed', column: 'Error' },
      { name: 'onfailure-ok', policy: 'OnFailure' as const, code: 0, phase: 'Succeeded', column: 'Completed' },
    ];
    c.apply(
      ...cases.map((k) => podObject(k.name, NODE, { restartPolicy: k.policy, containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', `sleep 1; exit ${k.code}`] }] })),
      // OnFailure with a failing container and Always with a succeeding one keep restarting: Running.
      podObject('onfailure-fail', NODE, { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'sleep 1; exit 4'] }] }),
      podObject('always-ok', NODE, { restartPolicy: 'Always', containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'sleep 1; exit 0'] }] }),
    );
    for (const k of cases) {
      const p = await c.waitPod(k.name, `phase ${k.phase}`, (p) => p.status?.phase === k.phase);
      const s = containerStatus(p, 'main');
      t.equal(s?.state?.terminated?.exitCode, k.code, `${k.name}: exit code`);
      t.equal(s?.state?.terminated?.reason, k.code === 0 ? 'Completed' : 'Error', `${k.name}: terminated reason`);
      t.equal(s?.restartCount, 0, `${k.name}: not restarted`);
      t.equal(conditionOf(p, 'Ready'), 'False', `${k.name}: not Ready`);
      t.equal(c.podStatusColumn(k.name), k.column, `${k.name}: kubectl STATUS`);
      t.notOk(c.containers({ pod: k.name }).some((x) => x.state === 'running'), `${k.name}: nothing of it runs (sandbox stopped)`);
    }
    for (const name of ['onfailure-fail', 'always-ok']) {
      const p = await c.waitPod(name, 'restarted twice', (p) => (containerStatus(p, 'main')?.restartCount ?? 0) >= 2, 40_000);
      t.equal(p.status?.phase, 'Running', `${name}: phase Running while it restarts`);
      const last = containerStatus(p, 'main')?.lastState?.terminated;
      t.equal(last?.exitCode, name === 'onfailure-fail' ? 4 : 0, `${name}: lastState exit code`);
    }
    await Promise.all([...cases.map((k) => k.name), 'onfailure-fail', 'always-ok'].map((n) => c.deletePod(n)));
  });

  t.test('CrashLoopBackOff: restarts with growing gaps', async (t) => {
    c.apply(podObject('crasher', NODE, { containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'sleep 1; exit 2'] }] }));
    let sawWaiting: { reason?: string; message?: string } | undefined;
    let sawColumn = false;
    const p = await c.waitPod(
      'crasher',
      'restartCount 3',
      (p) => {
        const s = containerStatus(p, 'main');
        if (s?.state?.waiting?.reason === 'CrashLoopBackOff') {
          sawWaiting = s.state.waiting;
          if (!sawColumn) sawColumn = c.podStatusColumn('crasher') === 'CrashLoopBackOff';
        }
        return (s?.restartCount ?? 0) >= 3;
      },
      60_000,
    );
    const s = containerStatus(p, 'main');
    t.equal(s?.lastState?.terminated?.exitCode, 2, 'lastState: exit code 2');
    t.equal(s?.lastState?.terminated?.reason, 'Error', 'lastState: reason Error');
    t.ok(sawWaiting, 'waiting CrashLoopBackOff seen between restarts');
    t.match(sawWaiting?.message, /back-off \d+s restarting failed container=main/);
    t.ok(sawColumn, 'kubectl STATUS CrashLoopBackOff seen');
    t.equal(p.status?.phase, 'Running');
    t.ok(c.events('crasher').some((e) => e.reason === 'BackOff'), 'BackOff event');

    // Gaps between one instance's end and the next one's start, from Docker's own timestamps.
    const instances = c
      .containers({ pod: 'crasher', container: 'main' })
      .map((x) => {
        const info = JSON.parse(docker(['inspect', x.id]).stdout)[0] as { State: { StartedAt: string; FinishedAt: string } };
        return { attempt: Number(x.labels['io.kubernetes.container.restartCount']), started: Date.parse(info.State.StartedAt), finished: Date.parse(info.State.FinishedAt) };
      })
      .sort((a, b) => a.attempt - b.attempt);
    t.ok(instances.length >= 4, `4 instances kept (${instances.length})`);
    const gaps = instances.slice(1).map((x, i) => x.started - instances[i]!.finished);
    t.comment(`restart gaps (ms): ${gaps.join(', ')}`);
    for (let i = 1; i < gaps.length; i++) t.ok(gaps[i]! > gaps[i - 1]!, `gap ${i} (${gaps[i]} ms) longer than gap ${i - 1} (${gaps[i - 1]} ms)`);
    t.ok(gaps[gaps.length - 1]! >= 3000, 'the backoff reached seconds');
    await c.deletePod('crasher');
  });

  t.test('a container over its memory limit is OOMKilled', async (t) => {
    c.apply(
      podObject('oom', NODE, {
        restartPolicy: 'Never',
        containers: [{ name: 'hog', image: BUSYBOX, command: ['sh', '-c', 'sleep 1; tail /dev/zero'], resources: { limits: { memory: '16Mi' } } }],
      }),
    );
    const p = await c.waitPod('oom', 'Failed', (p) => p.status?.phase === 'Failed', 40_000);
    const term = containerStatus(p, 'hog')?.state?.terminated;
    t.equal(term?.reason, 'OOMKilled', 'terminated reason OOMKilled');
    t.equal(term?.exitCode, 137, 'exit code 137');
    t.equal(c.podStatusColumn('oom'), 'OOMKilled', 'kubectl STATUS OOMKilled');
    await c.deletePod('oom');
  });

  t.test('graceful termination: preStop, the grace period, Terminating, then gone', async (t) => {
    const marks = mkdtempSync(join(tmpdir(), 'k8ts-prestop-'));
    t.teardown(() => rmSync(marks, { recursive: true, force: true }));
    c.apply(
      podObject('graceful', NODE, {
        terminationGracePeriodSeconds: 10,
        volumes: [{ name: 'marks', hostPath: { path: marks, type: 'Directory' } }],
        containers: [
          {
            name: 'app',
            image: TEST_APP,
            env: [{ name: 'SHUTDOWN_DELAY_SECONDS', value: '3' }],
            volumeMounts: [{ name: 'marks', mountPath: '/marks' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'date +%s > /marks/prestop'] } } },
          },
          { name: 'idle', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] },
        ],
      }),
    );
    await c.waitPod('graceful', 'Ready', (p) => conditionOf(p, 'Ready') === 'True');
    const started = Date.now();
    c.kubectl(['delete', 'pod', 'graceful', '--wait=false']);
    const terminating = await eventually('STATUS Terminating', () => c.podStatusColumn('graceful'), (s) => s === 'Terminating', 10_000, 100);
    t.equal(terminating, 'Terminating', 'kubectl shows Terminating');
    await eventually('pod gone', () => c.pod('graceful'), (p) => p === undefined, 20_000, 200);
    const took = Date.now() - started;
    t.ok(took >= 2500, `the kubelet waited for the app's 3 s shutdown (${took} ms)`);
    t.ok(took < 10_000 + 5000, `and no more than the grace period (${took} ms)`);
    t.ok(existsSync(join(marks, 'prestop')), 'the preStop hook ran');
    const hookAt = Number(readFileSync(join(marks, 'prestop'), 'utf8').trim()) * 1000;
    t.ok(Math.abs(hookAt - started) < 5000, 'preStop ran right at deletion');
    t.ok(c.events('graceful').some((e) => e.reason === 'Killing'), 'Killing event');
    await eventually('containers removed', () => c.containers({ pod: 'graceful' }), (l) => l.length === 0, 10_000, 200);
    t.pass('all containers of the pod removed');
  });

  t.test('nothing of the node is left', async (t) => {
    await sleep(100);
    await assertNoContainersLeft(t, NODE);
  });
}
