// End to end: the real kubectl -> k8ts-apiserver -> the kubelet API server (local runtime). logs, logs -f, exec
// with exit codes and stdin, and top, all through the apiserver's proxies.
import { appendFileSync } from 'node:fs';
import t from 'tap';
import { until } from './fixtures/harness.js';
import { startTestCluster } from './fixtures/cluster.js';

const c = await startTestCluster();
t.teardown(() => c.stop());

t.test('kubectl logs, with options', async (t) => {
  const all = await c.kubectl(['logs', 'web']);
  t.equal(all.code, 0, all.stderr);
  t.equal(all.stdout, 'first line\nsecond line\nthird line\n');
  const tail = await c.kubectl(['logs', 'web', '-c', 'app', '--tail=1', '--timestamps']);
  t.equal(tail.code, 0, tail.stderr);
  t.match(tail.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z third line\n$/);
  t.equal((await c.kubectl(['logs', 'web', '--since=15s'])).stdout, 'third line\n');
  const prev = await c.kubectl(['logs', 'web', '--previous']);
  t.not(prev.code, 0);
  t.match(prev.stderr, /previous terminated container "app" in pod "web" not found/, 'the kubelet\'s Status reaches kubectl');
});

t.test('kubectl logs -f streams new lines and stops when kubectl goes away', async (t) => {
  const follow = c.cp.kubectlAsync(['logs', '-f', 'web', '--tail=1']);
  await until('the tail line', () => follow.output().includes('third line\n'), 15_000);
  appendFileSync(c.logFile, '2030-01-01T00:00:00.000000000Z fourth line\n');
  await until('the followed line', () => follow.output().includes('fourth line\n'), 10_000);
  t.equal(c.runtime.activeLogReads(), 1);
  follow.proc.kill('SIGTERM');
  await follow.done;
  await until('the kubelet read to be aborted', () => c.runtime.activeLogReads() === 0, 10_000);
  t.equal(follow.output(), 'third line\nfourth line\n');
});

t.test('kubectl exec: output, exit codes, stdin', async (t) => {
  const echo = await c.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2']);
  t.equal(echo.code, 0, echo.stderr);
  t.equal(echo.stdout, 'out\n');
  t.equal(echo.stderr, 'err\n');
  t.same(c.runtime.execs.at(-1), { container: 'app', command: ['sh', '-c', 'echo out; echo err >&2'], options: { stdin: false, stdout: true, stderr: true, tty: false } });
  const three = await c.kubectl(['exec', 'web', '--', 'sh', '-c', 'exit 3']);
  t.equal(three.code, 3, 'the exit code comes through');
  t.match(three.stderr, /command terminated with exit code 3/);
  const stdin = await c.kubectl(['exec', '-i', 'web', '-c', 'app', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], { input: 'hello stdin\n' });
  t.equal(stdin.code, 0, stdin.stderr);
  t.equal(stdin.stdout, 'HELLO STDIN\ndone\n');
  const missing = await c.kubectl(['exec', 'web', '-c', 'nope', '--', 'true']);
  t.not(missing.code, 0);
  t.match(missing.stderr, /container nope is not valid for pod web/);
});

t.test('kubectl top nodes and pods show the kubelet\'s numbers', async (t) => {
  const nodes = await c.kubectl(['top', 'nodes']);
  t.equal(nodes.code, 0, nodes.stderr);
  // 250m of 2 cores = 12%, 64Mi of 4Gi = 1%.
  t.match(nodes.stdout, /node-e2e\s+250m\s+12%\s+64Mi\s+1%/);
  const pods = await c.kubectl(['top', 'pods']);
  t.equal(pods.code, 0, pods.stderr);
  t.match(pods.stdout, /web\s+125m\s+32Mi/);
  const containers = await c.kubectl(['top', 'pod', 'web', '--containers']);
  t.equal(containers.code, 0, containers.stderr);
  t.match(containers.stdout, /web\s+app\s+125m\s+32Mi/);
  const selected = await c.kubectl(['top', 'pods', '-l', 'app=other']);
  t.match(selected.stdout + selected.stderr, /No resources found/);
});
