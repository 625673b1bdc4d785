// ProbeManager on a fake clock: the probe attempts are scripted per container and kind, everything else
// (workers, scheduling, thresholds, gating, replacement) is the real code.
import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import { FakeClock } from '@k8ts/client';
import { ProbeManager, type ProbeKind, type RunningContainer } from '../../src/probes/probe-manager.js';
import type { ProbeOutcome, ProbeTarget } from '../../src/probes/probe-runner.js';

interface Change {
  at: number;
  container: string;
  kind: ProbeKind;
  result: string;
  message: string | undefined;
  changed: boolean;
  containerId: string;
}

/** Which probe an attempt is for: the probe objects are tagged by their exec command. */
const probe = (kind: ProbeKind, extra: Partial<corev1.Probe> = {}): corev1.Probe => ({ exec: { command: [kind] }, ...extra });

function setup() {
  const clock = new FakeClock(0);
  const outcomes = new Map<string, ProbeOutcome>(); // `${containerId}/${kind}` → what the next attempts return
  const attempts: Array<{ at: number; containerId: string; kind: string }> = [];
  const changes: Change[] = [];
  const manager = new ProbeManager({
    clock,
    runProbe: async (p: corev1.Probe, target: ProbeTarget) => {
      const kind = p.exec?.command?.[0] ?? '?';
      attempts.push({ at: clock.now(), containerId: target.containerId, kind });
      return outcomes.get(`${target.containerId}/${kind}`) ?? { result: 'success', output: '' };
    },
    onChange: (_uid, container, kind, result, message, d) => changes.push({ at: clock.now(), container, kind, result, message, changed: d.changed, containerId: d.containerId }),
  });
  const set = (id: string, kind: ProbeKind, o: ProbeOutcome) => outcomes.set(`${id}/${kind}`, o);
  const count = (id: string, kind: string) => attempts.filter((a) => a.containerId === id && a.kind === kind).length;
  return { clock, manager, set, attempts, changes, count };
}

const podWith = (container: Partial<corev1.Container>, extra: Partial<corev1.Pod['metadata']> = {}): corev1.Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...extra },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36', ...container }] },
});
const running = (containerId: string, startedAt = 0): RunningContainer => ({ containerName: 'app', containerId, startedAt, podIP: '10.244.1.5' });

t.test('readiness: false until the first success, true without a probe', async (t) => {
  const { manager } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({}), [running('plain')]);
  t.equal(manager.readiness('uid-1', 'app', 'plain'), true, 'no readiness probe: ready once running');
  t.equal(manager.readiness('uid-1', 'app', 'unknown-id'), undefined);

  const m2 = setup();
  t.teardown(() => m2.manager.stop());
  m2.manager.syncPod(podWith({ readinessProbe: probe('readiness', { initialDelaySeconds: 5, periodSeconds: 10 }) }), [running('c1')]);
  t.equal(m2.manager.readiness('uid-1', 'app', 'c1'), false, 'initially not ready');
  await m2.clock.advance(4_999);
  t.equal(m2.count('c1', 'readiness'), 0, 'nothing before initialDelaySeconds');
  await m2.clock.advance(1);
  t.equal(m2.count('c1', 'readiness'), 1);
  t.equal(m2.manager.readiness('uid-1', 'app', 'c1'), true);
  t.match(m2.changes, [{ kind: 'readiness', result: 'success', changed: true, message: undefined }]);
  await m2.clock.advance(10_000);
  t.equal(m2.count('c1', 'readiness'), 2, 'then every periodSeconds');
});

t.test('liveness: restart verdict only after failureThreshold consecutive failures, one Unhealthy per failure', async (t) => {
  const { clock, manager, set, changes, count } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({ livenessProbe: probe('liveness', { periodSeconds: 10, failureThreshold: 3 }) }), [running('c1')]);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'success', 'liveness starts out passing');
  await clock.advance(0);
  t.equal(count('c1', 'liveness'), 1);
  set('c1', 'liveness', { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  await clock.advance(10_000);
  await clock.advance(10_000);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'success', 'two failures are below the threshold');
  set('c1', 'liveness', { result: 'success', output: '' });
  await clock.advance(10_000);
  set('c1', 'liveness', { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  await clock.advance(30_000);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'failure', 'a success in between restarted the count; three in a row fail');
  t.equal(manager.restartReason('uid-1', 'app', 'c1'), 'Container app failed liveness probe, will be restarted');
  const unhealthy = changes.filter((c) => c.message === 'Liveness probe failed: HTTP probe failed with statuscode: 500');
  t.equal(unhealthy.length, 5, 'every failed attempt is an event');
  t.equal(changes.filter((c) => c.changed).length, 1, 'one change: success → failure');
  const before = count('c1', 'liveness');
  await clock.advance(60_000);
  t.equal(count('c1', 'liveness'), before, 'on hold after the failure verdict: the container is about to be killed');
});

t.test('readiness: successThreshold and recovery', async (t) => {
  const { clock, manager, set } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({ readinessProbe: probe('readiness', { periodSeconds: 1, successThreshold: 2, failureThreshold: 1 }) }), [running('c1')]);
  await clock.advance(0);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), false, 'one success of two');
  await clock.advance(1_000);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), true);
  set('c1', 'readiness', { result: 'failure', output: 'dial tcp 10.244.1.5:8080: connect: connection refused' });
  await clock.advance(1_000);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), false, 'failureThreshold 1');
  set('c1', 'readiness', { result: 'success', output: '' });
  await clock.advance(2_000);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), true, 'readiness keeps probing and recovers');
});

t.test('startup gates liveness and readiness; then readiness runs at once', async (t) => {
  const { clock, manager, set, count } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(
    podWith({
      startupProbe: probe('startup', { periodSeconds: 1, failureThreshold: 30 }),
      livenessProbe: probe('liveness', { periodSeconds: 10 }),
      readinessProbe: probe('readiness', { periodSeconds: 10 }),
    }),
    [running('c1')],
  );
  set('c1', 'startup', { result: 'failure', output: 'not yet' });
  await clock.advance(5_000);
  t.equal(count('c1', 'startup'), 6);
  t.equal(count('c1', 'liveness') + count('c1', 'readiness'), 0, 'gated while starting');
  t.equal(manager.started('uid-1', 'app', 'c1'), false);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), false);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'success', 'a startup probe below its threshold does not restart');
  set('c1', 'startup', { result: 'success', output: '' });
  await clock.advance(1_000);
  t.equal(manager.started('uid-1', 'app', 'c1'), true);
  t.equal(count('c1', 'readiness'), 1, 'readiness probed right after startup passed');
  t.equal(manager.readiness('uid-1', 'app', 'c1'), true);
  const startupAttempts = count('c1', 'startup');
  await clock.advance(20_000);
  t.equal(count('c1', 'startup'), startupAttempts, 'the startup probe stops once passed');
  t.ok(count('c1', 'liveness') >= 2, 'liveness runs now');
});

t.test('startup failure after its threshold asks for a restart', async (t) => {
  const { clock, manager, set, changes } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({ startupProbe: probe('startup', { periodSeconds: 1, failureThreshold: 3 }) }), [running('c1')]);
  set('c1', 'startup', { result: 'failure', output: 'command "check" timed out' });
  await clock.advance(2_000);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'failure');
  t.equal(manager.startup('uid-1', 'app', 'c1'), 'failure');
  t.equal(manager.restartReason('uid-1', 'app', 'c1'), 'Container app failed startup probe, will be restarted');
  t.match(changes.at(-1), { kind: 'startup', result: 'failure', changed: true, message: 'Startup probe failed: command "check" timed out' });
});

t.test('a restarted container gets fresh workers; the old ones stop', async (t) => {
  const { clock, manager, set, count } = setup();
  t.teardown(() => manager.stop());
  const pod = podWith({ livenessProbe: probe('liveness', { periodSeconds: 1, failureThreshold: 1, initialDelaySeconds: 3 }) });
  manager.syncPod(pod, [running('c1')]);
  set('c1', 'liveness', { result: 'failure', output: 'boom' });
  await clock.advance(3_000);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'failure');
  // The kubelet restarts it: a new container id, started now.
  manager.syncPod(pod, [running('c2', clock.now())]);
  t.equal(manager.liveness('uid-1', 'app', 'c1'), undefined, 'the old instance is forgotten');
  t.equal(manager.liveness('uid-1', 'app', 'c2'), 'success', 'fresh initial value');
  t.equal(manager.workerCount(), 1);
  await clock.advance(2_999);
  t.equal(count('c2', 'liveness'), 0, 'initial delay counts from the new start');
  await clock.advance(1);
  t.equal(count('c2', 'liveness'), 1);
  const c1 = count('c1', 'liveness');
  await clock.advance(5_000);
  t.equal(count('c1', 'liveness'), c1, 'the old worker does not probe again');
});

t.test('prober errors are retried and do not count', async (t) => {
  const { clock, manager, set, count, changes } = setup();
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({ livenessProbe: probe('liveness', { periodSeconds: 1, failureThreshold: 1 }) }), [running('c1')]);
  set('c1', 'liveness', { result: 'unknown', output: 'no such container' });
  await clock.advance(0);
  t.equal(count('c1', 'liveness'), 3, 'three tries per round');
  t.equal(manager.liveness('uid-1', 'app', 'c1'), 'success', 'errors never fail the probe');
  t.match(changes, [{ message: 'Liveness probe errored: no such container', changed: false }]);
});

t.test('removal and pod deletion', async (t) => {
  const { clock, manager, count } = setup();
  t.teardown(() => manager.stop());
  const pod = podWith({ livenessProbe: probe('liveness', { periodSeconds: 1 }), readinessProbe: probe('readiness', { periodSeconds: 1 }) });
  manager.syncPod(pod, [running('c1')]);
  await clock.advance(0);
  manager.syncPod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }, [running('c1')]);
  const l = count('c1', 'liveness');
  await clock.advance(3_000);
  t.equal(count('c1', 'liveness'), l, 'liveness stops while the pod terminates');
  t.ok(count('c1', 'readiness') >= 3, 'readiness goes on');
  manager.removePod('uid-1');
  t.equal(manager.workerCount(), 0);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), undefined);
  const r = count('c1', 'readiness');
  await clock.advance(3_000);
  t.equal(count('c1', 'readiness'), r, 'removed workers are stopped');
  t.equal(clock.pendingTimers(), 0, 'no timers left behind');
});

t.test('a container that stops running loses its workers', async (t) => {
  const { clock, manager } = setup();
  t.teardown(() => manager.stop());
  const pod = podWith({ readinessProbe: probe('readiness') });
  manager.syncPod(pod, [running('c1')]);
  await clock.advance(0);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), true);
  manager.syncPod(pod, []);
  t.equal(manager.readiness('uid-1', 'app', 'c1'), undefined);
  t.equal(manager.workerCount(), 0);
  t.equal(clock.pendingTimers(), 0);
});

t.test('an attempt in flight when the container goes away is dropped', async (t) => {
  const clock = new FakeClock(0);
  let release: (o: ProbeOutcome) => void = () => {};
  const changes: string[] = [];
  const manager = new ProbeManager({
    clock,
    runProbe: () => new Promise<ProbeOutcome>((resolve) => (release = resolve)),
    onChange: (_u, _c, kind, result) => changes.push(`${kind}=${result}`),
  });
  t.teardown(() => manager.stop());
  manager.syncPod(podWith({ livenessProbe: probe('liveness', { failureThreshold: 1 }) }), [running('c1')]);
  await clock.advance(0);
  manager.syncPod(podWith({ livenessProbe: probe('liveness', { failureThreshold: 1 }) }), []);
  release({ result: 'failure', output: 'late' });
  await clock.advance(30_000);
  t.same(changes, [], 'no verdict about a container that is gone');
  t.equal(clock.pendingTimers(), 0);
});
