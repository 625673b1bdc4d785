import { appendFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startHarness, until } from './fixtures/harness.js';
import { CONTAINER_NANOCORES, logLine, NODE_NANOCORES } from './fixtures/local-runtime.js';

const JS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const h = await startHarness();
t.teardown(() => h.close());
writeFileSync(h.pod.logs['app']!, logLine('one', 120) + logLine('two', 60) + logLine('three', 1));

t.test('authentication: only clients with a cluster-CA certificate', async (t) => {
  t.equal((await h.get('/healthz', null)).body, 'ok', '/healthz is open');
  t.equal((await h.get('/stats/summary', null)).status, 401, 'no client certificate');
  t.equal((await h.get('/stats/summary', h.pki.stranger)).status, 401, 'certificate from another CA');
  t.equal((await h.get('/containerLogs/default/web/app', null)).status, 401);
  const ws = h.ws('/exec/default/web/app?command=true&stdout=true', JS_PROTOCOLS, h.pki.stranger);
  await t.rejects(ws.opened, /HTTP 401/, 'upgrade refused too');
  t.equal((await h.get('/stats/summary')).status, 200, 'with the client certificate');
});

t.test('metrics and stats', async (t) => {
  const m = await h.get('/metrics');
  t.equal(m.status, 200);
  t.match(m.body, /kubelet_http_requests_total\{handler="stats",code="401"\} 2/);
  const s = JSON.parse((await h.get('/stats/summary')).body) as { node: { nodeName: string; cpu: { usageNanoCores: number } }; pods: Array<{ containers: Array<{ cpu: { usageNanoCores: number } }> }> };
  t.equal(s.node.nodeName, 'node-1');
  t.equal(s.node.cpu.usageNanoCores, NODE_NANOCORES);
  t.equal(s.pods[0]!.containers[0]!.cpu.usageNanoCores, CONTAINER_NANOCORES / 2);
  t.equal((await h.get('/nothing/here')).status, 404);
});

t.test('logs and their options', async (t) => {
  const all = await h.get('/containerLogs/default/web/app');
  t.equal(all.status, 200);
  t.match(all.headers['content-type'], /^text\/plain/);
  t.equal(all.body, 'one\ntwo\nthree\n');
  t.equal((await h.get('/containerLogs/default/web/app?tailLines=2')).body, 'two\nthree\n');
  t.equal((await h.get('/containerLogs/default/web/app?tailLines=0')).body, '');
  t.equal((await h.get('/containerLogs/default/web/app?sinceSeconds=90')).body, 'two\nthree\n');
  const since = new Date(Date.now() - 30_000).toISOString();
  t.equal((await h.get(`/containerLogs/default/web/app?sinceTime=${encodeURIComponent(since)}`)).body, 'three\n');
  t.equal((await h.get('/containerLogs/default/web/app?limitBytes=6')).body, 'one\ntw');
  const ts = (await h.get('/containerLogs/default/web/app?timestamps=true&tailLines=1')).body;
  t.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/);
  const bad = await h.get('/containerLogs/default/web/app?tailLines=-1');
  t.equal(bad.status, 400);
  t.match(JSON.parse(bad.body), { kind: 'Status', reason: 'BadRequest', code: 400 });
  t.equal((await h.get(`/containerLogs/default/web/app?sinceSeconds=5&sinceTime=${encodeURIComponent(since)}`)).status, 400);
  const prev = await h.get('/containerLogs/default/web/app?previous=true');
  t.equal(prev.status, 400, 'no previous instance');
  t.match(JSON.parse(prev.body), { message: /previous terminated container "app"/ });
  const missing = await h.get('/containerLogs/default/nope/app');
  t.equal(missing.status, 404);
  t.match(JSON.parse(missing.body), { reason: 'NotFound', message: /pod "nope"/ });
});

t.test('logs follow: lines arrive as they are written, and a client leaving stops the read', async (t) => {
  const chunks: string[] = [];
  const req = request(`https://127.0.0.1:${h.server.port}/containerLogs/default/web/app?follow=true&tailLines=1`, {
    rejectUnauthorized: false,
    cert: h.pki.client.cert,
    key: h.pki.client.key,
  });
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['transfer-encoding'], 'chunked');
  res.on('data', (c: Buffer) => chunks.push(c.toString()));
  res.on('error', () => {});
  await until('the tail line', () => chunks.join('') === 'three\n');
  appendFileSync(h.pod.logs['app']!, logLine('four'));
  await until('the appended line', () => chunks.join('') === 'three\nfour\n');
  t.equal(h.runtime.activeLogReads(), 1);
  req.destroy();
  await until('the read to stop', () => h.runtime.activeLogReads() === 0);
  t.pass('the runtime read was aborted');
});

interface StatusBody {
  status: string;
  reason?: string;
  details?: { causes?: Array<{ reason: string; message: string }> };
}

t.test('exec over v5: output channels, exit code status, then close', async (t) => {
  const ok = h.ws('/exec/default/web/app?command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262&stdout=true&stderr=true', JS_PROTOCOLS);
  t.equal(await ok.opened, 'v5.channel.k8s.io');
  await ok.closed;
  t.equal(ok.channel(1).toString(), 'out\n');
  t.equal(ok.channel(2).toString(), 'err\n');
  t.same(JSON.parse(ok.channel(3).toString()), { metadata: {}, status: 'Success' });
  t.equal(ok.messages[ok.messages.length - 1]![0], 3, 'the status is the last message');

  const fail = h.ws(`/exec/default/web/app?command=sh&command=-c&command=${encodeURIComponent('exit 3')}&stdout=true&stderr=true`, JS_PROTOCOLS);
  await fail.opened;
  await fail.closed;
  const status = JSON.parse(fail.channel(3).toString()) as StatusBody;
  t.equal(status.status, 'Failure');
  t.equal(status.reason, 'NonZeroExitCode');
  t.same(status.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  t.same(h.runtime.execs.at(-1)?.command, ['sh', '-c', 'exit 3']);
});

t.test('exec over v4 reports the exit code the same way', async (t) => {
  const ws = h.ws(`/exec/default/web/uid-web/app?command=sh&command=-c&command=${encodeURIComponent('echo four; exit 7')}&stdout=true`, ['v4.channel.k8s.io']);
  t.equal(await ws.opened, 'v4.channel.k8s.io');
  await ws.closed;
  t.equal(ws.channel(1).toString(), 'four\n');
  t.same((JSON.parse(ws.channel(3).toString()) as StatusBody).details?.causes, [{ reason: 'ExitCode', message: '7' }]);
});

t.test('exec with stdin: data in, v5 close ends stdin', async (t) => {
  const ws = h.ws('/exec/default/web/app?command=cat&stdin=true&stdout=true&stderr=true', JS_PROTOCOLS);
  await ws.opened;
  ws.socket.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello ')]));
  ws.socket.send(Buffer.concat([Buffer.from([0]), Buffer.from('world\n')]));
  await until('the echo', () => ws.channel(1).toString() === 'hello world\n');
  ws.socket.send(Buffer.from([255, 0]));
  t.equal(await ws.closed, 1000, 'cat saw EOF, exited, and the server closed normally');
  t.same(JSON.parse(ws.channel(3).toString()), { metadata: {}, status: 'Success' });
});

t.test('exec with a tty: resize messages reach the runtime, stderr is not asked for', async (t) => {
  const ws = h.ws('/exec/default/web/app?command=cat&stdin=true&stdout=true&stderr=true&tty=true', JS_PROTOCOLS);
  await ws.opened;
  ws.socket.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}\n')]));
  await until('the resize', () => h.runtime.resizes.length > 0);
  t.same(h.runtime.resizes.at(-1), { width: 120, height: 40 });
  t.same(h.runtime.execs.at(-1)?.options, { stdin: true, stdout: true, stderr: false, tty: true });
  ws.socket.send(Buffer.from([255, 0]));
  await ws.closed;
});

t.test('attach, and refusals before the upgrade', async (t) => {
  const ws = h.ws('/attach/default/web/app?stdin=true&stdout=true', ['v5.channel.k8s.io']);
  await ws.opened;
  ws.socket.send(Buffer.concat([Buffer.from([0]), Buffer.from('shout\n')]));
  // tr writes when its input ends (its stdout is a pipe, so it buffers).
  ws.socket.send(Buffer.from([255, 0]));
  await ws.closed;
  t.equal(ws.channel(1).toString(), 'SHOUT\n');

  await t.rejects(h.ws('/exec/default/nope/app?command=true&stdout=true', JS_PROTOCOLS).opened, /HTTP 404/, 'no such pod');
  await t.rejects(h.ws('/exec/default/web/app?stdout=true', JS_PROTOCOLS).opened, /HTTP 400/, 'no command');
  await t.rejects(h.ws('/exec/default/web/app?command=true', JS_PROTOCOLS).opened, /HTTP 400/, 'no stream');
  await t.rejects(h.ws('/exec/default/web/app?command=true&stdout=true', ['portforward.k8s.io']).opened, /HTTP 400/, 'unknown protocol');
  t.equal((await h.get('/exec/default/web/app?command=true&stdout=true')).status, 400, 'no upgrade');
});

t.test('client leaving mid-exec kills the process', async (t) => {
  const ws = h.ws('/exec/default/web/app?command=sleep&command=30&stdout=true', JS_PROTOCOLS);
  await ws.opened;
  await until('the process to start', () => h.runtime.running() === 1, 2000);
  ws.socket.terminate();
  await until('the process to die', () => h.runtime.running() === 0, 2000);
  t.pass('killed');
});

t.test('port-forward: preamble, bytes both ways, errors on the error channel', async (t) => {
  const echo: Server = createServer((sock) => sock.pipe(sock));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  t.teardown(() => echo.close());
  const port = (echo.address() as AddressInfo).port;
  const ws = h.ws(`/portForward/default/web?ports=${port}`, JS_PROTOCOLS);
  t.equal(await ws.opened, 'v4.channel.k8s.io', 'v4, though the client offered v5 first');
  await until('the preambles', () => ws.messages.length >= 2);
  const lo = port & 0xff;
  const hi = port >> 8;
  t.same([...ws.messages[0]!], [0, lo, hi]);
  t.same([...ws.messages[1]!], [1, lo, hi]);
  ws.socket.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]));
  await until('the echo', () => ws.channel(0).subarray(2).toString() === 'ping');
  const big = Buffer.alloc(256 * 1024, 7);
  ws.socket.send(Buffer.concat([Buffer.from([0]), big]));
  await until('the big echo', () => ws.channel(0).length === 2 + 4 + big.length, 10_000);
  ws.socket.close();
  await ws.closed;

  // Nothing listens on the port: the error channel says so and the tunnel ends.
  const dead = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const bad = h.ws(`/portForward/default/web?ports=${dead}`, ['v4.channel.k8s.io']);
  await bad.opened;
  await bad.closed;
  t.match(bad.channel(1).subarray(2).toString(), /error forwarding port \d+ to pod default\/web/);
  await t.rejects(h.ws('/portForward/default/web', ['v4.channel.k8s.io']).opened, /HTTP 400/, 'no ports');
});
