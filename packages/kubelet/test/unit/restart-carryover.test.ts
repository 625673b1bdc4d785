// RestartCarryover: containers adopted after a kubelet restart keep the API's ready/started until their probes speak.
import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import { RestartCarryover } from '../../src/pods/restart-carryover.js';
import type { ContainerInstance } from '../../src/runtime/types.js';

const START = 1_000_000;
const spec: corev1.Container = { name: 'app', image: 'x', readinessProbe: { exec: { command: ['true'] }, failureThreshold: 2 } };
const instance = (startedAt: number, id = 'c1'): ContainerInstance => ({
  id, name: 'app', attempt: 0, isInit: false, hash: '', state: 'running', createdAt: startedAt, startedAt, oomKilled: false, image: 'x', imageID: '',
});
const pod = (ready: boolean, id = 'c1'): corev1.Pod => ({
  status: { containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready, restartCount: 0, containerID: `docker://${id}` }] },
});

t.test('an adopted ready container stays ready until its readiness probe publishes', async (t) => {
  const co = new RestartCarryover(START);
  t.equal(co.ready(pod(true), spec, instance(START - 5000)), true, 'adopted and ready in the API');
  co.probeReported(spec, 'readiness', 'c1', 'failure', false);
  t.equal(co.ready(pod(true), spec, instance(START - 5000)), true, 'one failure below the threshold changes nothing');
  co.probeReported(spec, 'readiness', 'c1', 'failure', false);
  t.equal(co.ready(pod(true), spec, instance(START - 5000)), undefined, 'failureThreshold failures: the probes decide');
});

t.test('a changed result hands over at once', async (t) => {
  const co = new RestartCarryover(START);
  co.probeReported(spec, 'readiness', 'c1', 'success', true);
  t.equal(co.ready(pod(true), spec, instance(START - 5000)), undefined);
});

t.test('nothing is carried over for new containers, other IDs, unready ones or containers without probes', async (t) => {
  const co = new RestartCarryover(START);
  t.equal(co.ready(pod(true), spec, instance(START + 1)), undefined, 'started after the kubelet');
  t.equal(co.ready(pod(true, 'other'), spec, instance(START - 5000)), undefined, 'the API status is of another instance');
  t.equal(co.ready(pod(false), spec, instance(START - 5000)), undefined, 'was not ready');
  t.equal(co.ready(pod(true), { name: 'app', image: 'x' }, instance(START - 5000)), undefined, 'no probes');
  t.equal(co.started(pod(true), spec, instance(START - 5000)), undefined, 'no startup probe: nothing to carry');
});
