// The real kubectl against real containers: logs (tail, previous), exec with exit codes and stdin, top — through
// the apiserver's proxies to a real kubelet on the Docker engine.
import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import { KubeClient, refs } from '@k8ts/client';
import { eventually, startControlPlane, startKubeletProcess } from '@k8ts/testing';
import { requireDocker } from '../helpers/docker.js';

const NODE = 'kubectl-docker-e2e';

t.test('kubectl logs, exec and top on a real container', async (t) => {
  if (!(await requireDocker(t))) return;
  const cp = await startControlPlane('k8ts', { members: 1 });
  t.teardown(() => cp.stop());
  const kubelet = await startKubeletProcess({
    kubeconfig: cp.kubeconfig,
    nodeName: NODE,
    podCIDR: '10.244.215.0/24',
    args: ['--crashloop-backoff-initial', '1s', '--crashloop-backoff-max', '2s'],
  });
  t.teardown(() => kubelet.stop());
  const pods = KubeClient.fromKubeconfig(cp.kubeconfig).resource<corev1.Pod>(refs.pods).namespace('default');
  // The app exits after a few seconds (a crash loop), so there is a previous instance to read.
  await pods.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'logger', namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'app', image: 'k8ts/test-app:0.1', imagePullPolicy: 'IfNotPresent', env: [{ name: 'EXIT_AFTER_SECONDS', value: '4' }, { name: 'EXIT_CODE', value: '5' }] },
        { name: 'shell', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo one; echo two; echo three; exec sleep 3600'] },
      ],
    },
  });
  t.teardown(async () => {
    await pods.delete('logger', { gracePeriodSeconds: 0 }).catch(() => undefined);
  });
  await eventually('both containers running', () => pods.get('logger'), (p) => (p.status?.containerStatuses ?? []).filter((c) => c.state?.running).length === 2, 60_000);

  // kubectl picks the first container itself; the API without a container name refuses, as Kubernetes does.
  const defaulted = cp.kubectl(['logs', 'logger']);
  t.equal(defaulted.code, 0, defaulted.stderr);
  t.match(defaulted.stderr, /Defaulted container "app" out of: app, shell/);
  const raw = cp.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/logger/log']);
  t.not(raw.code, 0);
  t.match(raw.stderr, /a container name must be specified for pod logger, choose one of: \[app shell\]/);

  await eventually('shell logs', async () => cp.kubectl(['logs', 'logger', '-c', 'shell']).stdout, (s) => s === 'one\ntwo\nthree\n', 10_000);
  t.equal(cp.kubectl(['logs', 'logger', '-c', 'shell', '--tail=1']).stdout, 'three\n', '--tail');
  t.match(cp.kubectl(['logs', 'logger', '-c', 'shell', '--timestamps']).stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z one\n/, '--timestamps');

  const exit3 = cp.kubectl(['exec', 'logger', '-c', 'shell', '--', 'sh', '-c', 'echo to-stdout; exit 3']);
  t.equal(exit3.code, 3, 'the exit code comes back');
  t.equal(exit3.stdout, 'to-stdout\n');
  const stdin = cp.kubectl(['exec', '-i', 'logger', '-c', 'shell', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'shout\n' });
  t.equal(stdin.code, 0, stdin.stderr);
  t.equal(stdin.stdout, 'SHOUT\n', 'stdin reaches the process');
  const env = cp.kubectl(['exec', 'logger', '-c', 'app', '--', 'sh', '-c', 'printenv HOSTNAME']);
  t.equal(env.stdout.trim(), 'logger');

  // The app container exits with 5 and is restarted: --previous shows the first instance's log.
  await eventually('app restarted', () => pods.get('logger'), (p) => (p.status?.containerStatuses?.find((c) => c.name === 'app')?.restartCount ?? 0) >= 1, 60_000);
  const previous = cp.kubectl(['logs', 'logger', '-c', 'app', '--previous']);
  t.equal(previous.code, 0, previous.stderr);
  t.match(previous.stdout, /listening/, 'the previous instance logged its start');

  const top = await eventually('kubectl top pods', async () => cp.kubectl(['top', 'pods']), (r) => r.code === 0 && /\nlogger\s+\d+m\s+\d+Mi/.test(r.stdout), 30_000);
  t.match(top.stdout, /logger/);
  const topNodes = cp.kubectl(['top', 'nodes']);
  t.equal(topNodes.code, 0, topNodes.stderr);
  t.match(topNodes.stdout, new RegExp(`${NODE}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi`));
});
