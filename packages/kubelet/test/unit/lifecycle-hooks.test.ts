// Lifecycle handlers with real parts: sh -c children for exec, a real HTTP server on 127.0.0.1 for httpGet; the
// sleep handler on a fake clock.
import t from 'tap';
import http from 'node:http';
import net from 'node:net';
import type { corev1 } from '@k8ts/api-machinery';
import { FakeClock } from '@k8ts/client';
import { runHandler } from '../../src/pods/lifecycle-hooks.js';
import { localExec } from '../probes/local-exec.js';

const HOST = '127.0.0.1';
const requests: http.IncomingHttpHeaders[] = [];
const server = http.createServer((req, res) => {
  requests.push(req.headers);
  res.writeHead(req.url === '/error' ? 500 : 200).end();
});
const port = await new Promise<number>((r) => server.listen(0, HOST, () => r((server.address() as net.AddressInfo).port)));
t.teardown(() => server.close());

const pod: corev1.Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] } };
const container: corev1.Container = { name: 'app', image: 'busybox:1.36', ports: [{ name: 'http', containerPort: port }] };
const target = { pod, container, containerId: 'c1', podIP: HOST };
const deps = { exec: localExec };

t.test('exec', async (t) => {
  t.same(await runHandler({ exec: { command: ['sh', '-c', 'true'] } }, target, deps), { ok: true, message: '' });
  const r = await runHandler({ exec: { command: ['sh', '-c', 'echo out; echo bad >&2; exit 2'] } }, target, deps);
  t.equal(r.ok, false);
  t.equal(r.reason, 'FailedPostStartHook');
  t.equal(
    r.message,
    'Exec lifecycle hook ([sh -c echo out; echo bad >&2; exit 2]) for Container "app" in Pod "web_default(u1)" failed - error: ' +
      "command 'sh -c echo out; echo bad >&2; exit 2' exited with 2: bad\n, message: \"out\\nbad\\n\"",
  );
});

t.test('preStop: the deadline is the grace period, the event message hides the details', async (t) => {
  const begun = Date.now();
  const r = await runHandler({ exec: { command: ['sh', '-c', 'sleep 5'] } }, { ...target, hook: 'PreStop', timeoutMs: 500 }, deps);
  t.ok(Date.now() - begun < 3000);
  t.same(r, {
    ok: false,
    message: 'PreStopHook failed',
    reason: 'FailedPreStopHook',
    detail: 'Exec lifecycle hook ([sh -c sleep 5]) for Container "app" in Pod "web_default(u1)" failed - error: command "sh -c sleep 5" timed out, message: ""',
  });
  const inferred = { ...container, lifecycle: { preStop: { exec: { command: ['false'] } } } };
  t.equal((await runHandler(inferred.lifecycle.preStop, { ...target, container: inferred }, deps)).reason, 'FailedPreStopHook', 'hook inferred from the container');
});

t.test('httpGet: every response is success, a failed request is not', async (t) => {
  requests.length = 0;
  t.equal((await runHandler({ httpGet: { port: 'http', path: '/error' } }, target, deps)).ok, true, 'the kubelet ignores the status code of hooks');
  t.equal(requests[0]?.['user-agent'], 'kube-lifecycle/1.32');
  const closed = net.createServer();
  const closedPort = await new Promise<number>((r) => closed.listen(0, HOST, () => r((closed.address() as net.AddressInfo).port)));
  await new Promise<void>((r) => closed.close(() => r()));
  const r = await runHandler({ httpGet: { port: closedPort, path: '/start' } }, target, deps);
  t.equal(r.ok, false);
  t.equal(
    r.message,
    `HTTP lifecycle hook (/start) for Container "app" in Pod "web_default(u1)" failed - error: Get "http://${HOST}:${closedPort}/start": dial tcp ${HOST}:${closedPort}: connect: connection refused`,
  );
});

t.test('httpGet: an HTTPS hook answered in plain HTTP is retried over HTTP', async (t) => {
  requests.length = 0;
  const r = await runHandler({ httpGet: { port, path: '/x', scheme: 'HTTPS', httpHeaders: [{ name: 'Authorization', value: 'Bearer s' }] } }, target, deps);
  t.equal(r.ok, true);
  t.equal(requests.length, 1, 'the plain-HTTP retry reached the server');
  t.notOk(requests[0]?.authorization, 'without credentials');
});

t.test('sleep', async (t) => {
  const clock = new FakeClock(0);
  let done: unknown;
  const p = runHandler({ sleep: { seconds: 5 } }, target, { ...deps, clock }).then((r) => (done = r));
  await clock.advance(4_999);
  t.equal(done, undefined, 'still sleeping');
  await clock.advance(1);
  await p;
  t.same(done, { ok: true, message: '' });

  const cut = runHandler({ sleep: { seconds: 30 } }, { ...target, hook: 'PreStop', timeoutMs: 2_000 }, { ...deps, clock });
  await clock.advance(2_000);
  t.match(await cut, { ok: false, detail: /Sleep lifecycle hook \(30\) .* failed - error: container terminated before sleep hook finished/ });
  t.equal(clock.pendingTimers(), 0);
});

t.test('tcpSocket is refused, as the kubelet refuses it', async (t) => {
  const r = await runHandler({ tcpSocket: { port } }, target, deps);
  t.equal(r.ok, false);
  t.match(r.message, /^Cannot run handler: invalid handler/);
});
