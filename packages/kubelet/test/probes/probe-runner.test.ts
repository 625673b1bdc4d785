// runProbe against real sockets and real processes: an HTTP(S) server and a TCP listener on 127.0.0.1, a port
// nobody listens on, and sh -c children for exec probes.
import t from 'tap';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { corev1 } from '@k8ts/api-machinery';
import { runProbe } from '../../src/probes/probe-runner.js';
import { localExec } from './local-exec.js';

const HOST = '127.0.0.1';
const deps = { exec: localExec };

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, HOST, () => resolve((server.address() as net.AddressInfo).port)));
}

/** A port that refuses connections: bound once, then closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const seen: http.IncomingHttpHeaders[] = [];
const openSockets = new Set<net.Socket>();
const handler: http.RequestListener = (req, res) => {
  seen.push(req.headers);
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/ok':
      res.end('healthy');
      return;
    case '/fail':
      res.writeHead(500).end('secret detail');
      return;
    case '/same-host':
      res.writeHead(302, { location: '/ok' }).end();
      return;
    case '/other-host':
      res.writeHead(302, { location: `http://127.0.0.2:9/elsewhere` }).end('moved away');
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' }).end();
      return;
    case '/slow':
      setTimeout(() => res.end('late'), 3000).unref();
      return;
    case '/big':
      res.end('x'.repeat(100 * 1024));
      return;
    case '/redirect-to-fail':
      res.writeHead(301, { location: '/fail' }).end();
      return;
    default:
      res.writeHead(404).end();
  }
};
const server = http.createServer(handler);
server.on('connection', (s) => {
  openSockets.add(s);
  s.on('close', () => openSockets.delete(s));
});
const port = await listen(server);
t.teardown(() => {
  for (const s of openSockets) s.destroy();
  server.close();
});

const container: corev1.Container = { name: 'app', image: 'busybox:1.36', ports: [{ name: 'web', containerPort: port }] };
const target = { podIP: HOST, containerId: 'c1', container };
const httpProbe = (httpGet: corev1.HTTPGetAction, extra: Partial<corev1.Probe> = {}): corev1.Probe => ({ httpGet, timeoutSeconds: 1, ...extra });

t.test('httpGet', async (t) => {
  t.test('200 is success with the body as output, headers as the kubelet sends them', async (t) => {
    seen.length = 0;
    const r = await runProbe(httpProbe({ port, path: '/ok', httpHeaders: [{ name: 'x-custom', value: 'v' }] }), target, deps);
    t.same(r, { result: 'success', output: 'healthy' });
    const h = seen[0]!;
    t.equal(h['user-agent'], 'kube-probe/1.32');
    t.equal(h.accept, '*/*');
    t.equal(h.connection, 'close');
    t.equal(h['x-custom'], 'v');
    t.equal(h.host, `${HOST}:${port}`);
    t.notOk(h['accept-encoding'], 'no compression, like the kubelet transport');
  });

  t.test('Host, User-Agent and an empty Accept from httpHeaders', async (t) => {
    seen.length = 0;
    const r = await runProbe(
      httpProbe({ port, path: '/ok', httpHeaders: [{ name: 'Host', value: 'example.test' }, { name: 'user-agent', value: 'mine' }, { name: 'Accept', value: '' }] }),
      target,
      deps,
    );
    t.equal(r.result, 'success');
    t.equal(seen[0]!.host, 'example.test');
    t.equal(seen[0]!['user-agent'], 'mine');
    t.notOk(seen[0]!.accept, 'an empty Accept removes the header');
  });

  t.test('port by name; unknown name is a failure that says so', async (t) => {
    t.equal((await runProbe(httpProbe({ port: 'web', path: '/ok' }), target, deps)).result, 'success');
    const r = await runProbe(httpProbe({ port: 'nope', path: '/ok' }), target, deps);
    t.equal(r.result, 'failure');
    t.match(r.output, /port nope not found/);
  });

  t.test('500 is failure without the body', async (t) => {
    t.same(await runProbe(httpProbe({ port, path: '/fail' }), target, deps), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  t.test('same-host redirect is followed (to the final status)', async (t) => {
    t.same(await runProbe(httpProbe({ port, path: '/same-host' }), target, deps), { result: 'success', output: 'healthy' });
    t.equal((await runProbe(httpProbe({ port, path: '/redirect-to-fail' }), target, deps)).output, 'HTTP probe failed with statuscode: 500');
  });

  t.test('other-host redirect is not followed: success with a warning', async (t) => {
    const r = await runProbe(httpProbe({ port, path: '/other-host' }), target, deps);
    t.same(r, { result: 'success', output: 'Probe terminated redirects, Response body: moved away', warning: true });
  });

  t.test('a redirect loop stops after 10 redirects', async (t) => {
    seen.length = 0;
    const r = await runProbe(httpProbe({ port, path: '/loop' }), target, deps);
    t.equal(r.result, 'failure');
    t.equal(r.output, `Get "http://${HOST}:${port}/loop": stopped after 10 redirects`);
    t.equal(seen.length, 10, 'ten requests sent, as Go does');
  });

  t.test('a slow server times out after timeoutSeconds', async (t) => {
    const begun = Date.now();
    const r = await runProbe(httpProbe({ port, path: '/slow' }, { timeoutSeconds: 1 }), target, deps);
    t.equal(r.result, 'failure');
    t.equal(r.output, `Get "http://${HOST}:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    t.ok(Date.now() - begun < 2500, 'gave up near the timeout');
  });

  t.test('at most 10 KiB of body is read', async (t) => {
    const r = await runProbe(httpProbe({ port, path: '/big' }), target, deps);
    t.equal(r.result, 'success');
    t.equal(r.output.length, 10 * 1024);
  });

  t.test('connection refused in Go wording', async (t) => {
    const closed = await closedPort();
    const r = await runProbe(httpProbe({ port: closed, path: '/ok' }), target, deps);
    t.same(r, { result: 'failure', output: `Get "http://${HOST}:${closed}/ok": dial tcp ${HOST}:${closed}: connect: connection refused` });
  });

  t.test('host defaults to the pod IP, an explicit host wins', async (t) => {
    const r = await runProbe(httpProbe({ port, path: '/ok', host: HOST }), { ...target, podIP: '192.0.2.1' }, deps);
    t.equal(r.result, 'success');
  });
});

t.test('httpGet over HTTPS without certificate verification', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-probe-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=self-signed', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, handler);
  const tlsPort = await listen(tls);
  t.teardown(() => new Promise<void>((r) => tls.close(() => r())));
  t.same(await runProbe(httpProbe({ port: tlsPort, path: '/ok', scheme: 'HTTPS' }), target, deps), { result: 'success', output: 'healthy' });
  t.equal((await runProbe(httpProbe({ port: tlsPort, path: '/fail', scheme: 'HTTPS' }), target, deps)).output, 'HTTP probe failed with statuscode: 500');
});

t.test('tcpSocket', async (t) => {
  const listener = net.createServer((s) => s.destroy());
  const tcpPort = await listen(listener);
  t.teardown(() => new Promise<void>((r) => listener.close(() => r())));
  t.same(await runProbe({ tcpSocket: { port: tcpPort } }, target, deps), { result: 'success', output: '' });
  const named = { ...target, container: { ...container, ports: [{ name: 'db', containerPort: tcpPort }] } };
  t.equal((await runProbe({ tcpSocket: { port: 'db', host: HOST } }, named, deps)).result, 'success');
  const closed = await closedPort();
  t.same(await runProbe({ tcpSocket: { port: closed } }, target, deps), { result: 'failure', output: `dial tcp ${HOST}:${closed}: connect: connection refused` });
});

t.test('exec through a real child process', async (t) => {
  t.same(await runProbe({ exec: { command: ['sh', '-c', 'echo fine'] } }, target, deps), { result: 'success', output: 'fine\n' });
  t.same(await runProbe({ exec: { command: ['sh', '-c', 'echo broken >&2; exit 3'] } }, target, deps), { result: 'failure', output: 'broken\n' });
  const begun = Date.now();
  const r = await runProbe({ exec: { command: ['sh', '-c', 'sleep 5'] }, timeoutSeconds: 1 }, target, deps);
  t.same(r, { result: 'failure', output: 'command "sh -c sleep 5" timed out' });
  t.ok(Date.now() - begun < 3000, 'killed at the timeout');
  const missing = await runProbe({ exec: { command: ['/nonexistent/binary'] } }, target, deps);
  t.equal(missing.result, 'unknown', 'a command that cannot be run at all is a prober error');
});

t.test('grpc is not supported here and says so', async (t) => {
  const r = await runProbe({ grpc: { port: 50051 } }, target, deps);
  t.equal(r.result, 'failure');
  t.match(r.output, /gRPC probes are not supported/);
});
