// scripts/images.sh and the images it makes: the script is idempotent and fast when everything exists, can build an
// image that is missing (into throwaway tags, never touching the real ones), every image runs, and the test app
// answers every endpoint over real HTTP/TCP from the host (which reaches default-bridge IPs).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { eventually } from '@k8ts/testing';
import { requireDocker } from '../helpers/docker.js';

const run = promisify(execFile);
const LABEL = 'k8ts.test=images';
const TEST_APP = 'k8ts/test-app:0.1';

/** The repository root: the nearest parent holding scripts/images.sh (works from src and from dist). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'scripts', 'images.sh'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('scripts/images.sh not found above the test file');
}
const ROOT = repoRoot();

async function docker(args: string[], timeoutMs = 30_000): Promise<{ stdout: string; stderr: string }> {
  return run('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
}

async function imagesScript(env: Record<string, string> = {}): Promise<{ out: string; ms: number }> {
  const start = performance.now();
  const { stdout } = await run('bash', ['scripts/images.sh'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { out: stdout, ms: performance.now() - start };
}

if (await requireDocker(t)) {
  await imageTests();
}

async function imageTests(): Promise<void> {
  const containers: string[] = [];
  const tags: string[] = [];
  t.teardown(async () => {
    if (containers.length > 0) await docker(['rm', '-f', ...containers]).catch(() => undefined);
    for (const tag of tags) await docker(['rmi', '-f', tag]).catch(() => undefined);
  });

  t.test('the script creates what is missing, then finds everything present', async (t) => {
    await imagesScript();
    const { out, ms } = await imagesScript();
    const lines = out.trim().split('\n');
    t.same(
      lines,
      ['busybox:1.36', 'debian:bookworm-slim', 'node:20-bookworm-slim', TEST_APP].map((tag) => `images: ${tag} exists`),
    );
    t.ok(ms < 2000, `second run took ${Math.round(ms)} ms`);
  });

  t.test('the busybox builder works when the image is missing (throwaway tag)', async (t) => {
    const tag = `k8ts-test/busybox:tmp-${process.pid}`;
    tags.push(tag);
    const realBefore = (await docker(['image', 'inspect', '-f', '{{.Id}}', 'busybox:1.36'])).stdout;
    const { out } = await imagesScript({ BUSYBOX_TAG: tag, IMAGES_ONLY: 'busybox' });
    t.match(out, new RegExp(`^images: ${tag} built in \\d+ s$`, 'm'));
    const { stdout } = await docker(['run', '--rm', '--label', LABEL, tag, 'sh', '-c', 'echo ok; ls /bin | wc -l; id -un; stat -c %a /tmp']);
    const [ok, count, user, tmpMode] = stdout.trim().split('\n');
    t.equal(ok, 'ok');
    t.ok(Number(count) > 50, `${count} applets in /bin`);
    t.equal(user, 'root');
    t.equal(tmpMode, '1777');
    t.equal((await docker(['image', 'inspect', '-f', '{{.Id}}', 'busybox:1.36'])).stdout, realBefore, 'real image untouched');
  });

  t.test('the test app is rebuilt only when its label hash is missing or different (throwaway tag)', async (t) => {
    const tag = `k8ts-test/test-app:tmp-${process.pid}`;
    const latest = `${tag}-latest`;
    tags.push(tag, latest);
    const env = { TEST_APP_TAG: tag, TEST_APP_LATEST_TAG: latest, IMAGES_ONLY: 'test-app' };
    t.match((await imagesScript(env)).out, `images: ${tag} built in`);
    t.equal((await imagesScript(env)).out.trim(), `images: ${tag} exists`);
    const label = async (image: string): Promise<string> =>
      (await docker(['image', 'inspect', '-f', '{{index .Config.Labels "io.k8ts.source-hash"}}', image])).stdout.trim();
    t.match(await label(tag), /^[0-9a-f]{16}$/);
    t.equal(await label(tag), await label(TEST_APP), 'same sources, same hash as the real image');
    t.equal(await label(latest), await label(tag));
  });

  t.test('base images run', async (t) => {
    const rm = ['run', '--rm', '--label', LABEL];
    const busybox = (await docker([...rm, 'busybox:1.36', 'sh', '-c', 'echo ok; ls /bin | wc -l'])).stdout.trim().split('\n');
    t.equal(busybox[0], 'ok');
    t.ok(Number(busybox[1]) > 50);
    t.match((await docker([...rm, 'debian:bookworm-slim', 'cat', '/etc/debian_version'])).stdout, /^12\.\d+/);
    const version = (await docker([...rm, 'node:20-bookworm-slim', 'node', '-e', 'console.log(process.version)'])).stdout.trim();
    t.match(version, /^v\d+\.\d+\.\d+$/);
    t.match((await docker([...rm, 'node:20-bookworm-slim', 'id', 'node'])).stdout, 'uid=1000(node) gid=1000(node)');
    // The upstream entrypoint contract: a leading flag means "node <flags>".
    t.equal((await docker([...rm, 'node:20-bookworm-slim', '-p', '6*7'])).stdout.trim(), '42');
  });

  t.test('the test app', async (t) => testApp(t, containers));
}


async function startApp(containers: string[], args: string[], cmd: string[] = []): Promise<{ id: string; ip: string }> {
  const id = (await docker(['run', '-d', '--label', LABEL, ...args, TEST_APP, ...cmd])).stdout.trim();
  containers.push(id);
  const ip = (await docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', id])).stdout.trim();
  return { id, ip };
}

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; ms: number }> {
  const start = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text(), ms: performance.now() - start };
}
async function getJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const { status, text } = await get(url, init);
  if (status !== 200) throw new Error(`${url}: HTTP ${status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}
const statusOf = async (url: string): Promise<number> => (await get(url)).status;

async function waitAnswering(base: string): Promise<void> {
  await eventually(`${base} answering`, () => get(`${base}/hostname`).then((r) => r.status, () => 0), (s) => s === 200, 15_000, 100);
}

async function exitCodeOf(id: string): Promise<number> {
  return Number((await docker(['wait', id], 20_000)).stdout.trim());
}

function tcpEcho(ip: string, port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    let got = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('tcp echo timed out')));
    socket.on('connect', () => socket.write(message));
    socket.on('data', (d) => {
      got += d.toString();
      if (got.length >= message.length) socket.end();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

async function testApp(t: Test, containers: string[]): Promise<void> {
  // Started together so their timed behaviours overlap instead of adding up.
  const [main, peer, crash, crashEnv] = await Promise.all([
    startApp(containers, ['-e', 'FOO=bar', '-e', 'SHUTDOWN_DELAY_SECONDS=2', '--dns', '127.0.0.1', '--add-host', 'k8ts-peer.test:10.1.2.3']),
    startApp(containers, ['-e', 'HEALTHY=false', '-e', 'READY=false', '-e', 'READY_AFTER_SECONDS=1']),
    startApp(containers, ['-e', 'FAIL_HEALTH_AFTER_SECONDS=1'], ['--exit-after-seconds', '5', '--exit-code', '7']),
    startApp(containers, ['-e', 'EXIT_AFTER_SECONDS=1', '-e', 'EXIT_CODE=5']),
  ]);
  const base = `http://${main.ip}:8080`;
  const peerBase = `http://${peer.ip}:8080`;
  await Promise.all([waitAnswering(base), waitAnswering(peerBase)]);
  const hostname = (await docker(['inspect', '-f', '{{.Config.Hostname}}', main.id])).stdout.trim();

  t.test('hostname, env, info', async (t) => {
    t.equal((await get(`${base}/`)).text, `${hostname}\n`);
    t.equal((await get(`${base}/hostname`)).text, `${hostname}\n`);
    const env = await getJson(`${base}/env`);
    t.equal(env.FOO, 'bar');
    t.equal(env.PORT, '8080');
    const info = await getJson(`${base}/info`);
    t.equal(info.hostname, hostname);
    t.equal(info.pid, 1);
    t.same(info.addresses, [main.ip]);
    t.equal(info.version, '0.1.0');
    t.type(info.uptimeSeconds, 'number');
    t.ok(Date.parse(String(info.startedAt)) > Date.now() - 120_000, 'startedAt is recent');
    t.equal((await get(`${base}/no-such-path`)).status, 404);
  });

  t.test('health and readiness toggles', async (t) => {
    t.equal(await statusOf(`${base}/healthz`), 200);
    t.equal((await get(`${base}/healthz`)).text, 'ok\n');
    t.same(await getJson(`${base}/healthz/fail`, { method: 'POST' }), { healthy: false });
    t.equal(await statusOf(`${base}/healthz`), 500);
    await getJson(`${base}/healthz/pass`);
    t.equal(await statusOf(`${base}/healthz`), 200);
    t.equal(await statusOf(`${base}/readyz`), 200);
    t.same(await getJson(`${base}/readyz/fail`), { ready: false });
    t.equal(await statusOf(`${base}/readyz`), 500);
    await getJson(`${base}/readyz/pass`, { method: 'POST' });
    t.equal(await statusOf(`${base}/readyz`), 200);
  });

  t.test('start states and timed changes from env', async (t) => {
    t.equal(await statusOf(`${peerBase}/healthz`), 500, 'HEALTHY=false');
    await eventually('READY_AFTER_SECONDS to make it ready', () => statusOf(`${peerBase}/readyz`), (s) => s === 200, 10_000, 100);
    const crashBase = `http://${crash.ip}:8080`;
    await eventually('FAIL_HEALTH_AFTER_SECONDS to fail health', () => statusOf(`${crashBase}/healthz`), (s) => s === 500, 10_000, 100);
    const logs = (await docker(['logs', peer.id])).stdout;
    t.match(logs, 'ready now');
  });

  t.test('sleep and echo', async (t) => {
    const slept = await get(`${base}/sleep?ms=300`);
    t.ok(slept.ms >= 290, `answered after ${Math.round(slept.ms)} ms`);
    t.same(JSON.parse(slept.text), { sleptMs: 300 });
    t.same(await getJson(`${base}/sleep?seconds=0.1`), { sleptMs: 100 });
    t.equal((await get(`${base}/echo?msg=hello`)).text, 'hello');
    t.equal((await get(`${base}/echo`, { method: 'POST', body: 'posted body' })).text, 'posted body');
    const withHeaders = await getJson(`${base}/echo?headers=1`, { method: 'POST', body: 'b', headers: { 'x-k8ts-test': 'yes' } });
    t.equal(withHeaders.body, 'b');
    t.match(withHeaders.headers, { 'x-k8ts-test': 'yes' });
  });

  t.test('dns', async (t) => {
    // /etc/hosts via getaddrinfo; a real DNS query goes to --dns 127.0.0.1 where nothing listens (no outside traffic).
    t.same(await getJson(`${base}/dns?name=k8ts-peer.test`), {
      ok: true, name: 'k8ts-peer.test', type: 'lookup', records: [{ address: '10.1.2.3', family: 4 }],
    });
    const failed = await getJson(`${base}/dns?name=k8ts-peer.test&type=A`);
    t.equal(failed.ok, false);
    t.equal(failed.type, 'A');
    t.match(failed.error, /^E[A-Z]+$/);
    t.equal(await statusOf(`${base}/dns`), 400);
  });

  t.test('connect and http', async (t) => {
    t.match(await getJson(`${base}/connect?host=127.0.0.1&port=9000`), { ok: true, ms: Number });
    t.match(await getJson(`${base}/connect?host=${peer.ip}&port=9000`), { ok: true });
    t.match(await getJson(`${base}/connect?host=127.0.0.1&port=1&timeoutMs=2000`), { ok: false, error: 'ECONNREFUSED' });
    const peerHostname = (await get(`${peerBase}/hostname`)).text;
    t.match(await getJson(`${base}/http?url=${encodeURIComponent(`${peerBase}/hostname`)}`), {
      ok: true, status: 200, body: peerHostname,
    });
    t.match(await getJson(`${base}/http?url=${encodeURIComponent('http://127.0.0.1:1/')}`), { ok: false });
  });

  t.test('memory and cpu', async (t) => {
    // The cgroup's own counter (v1 or v2): the held memory must really be resident.
    const usage = async (): Promise<number> => Number((await docker(['exec', main.id, 'sh', '-c',
      'cat /sys/fs/cgroup/memory/memory.usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.current'])).stdout.trim());
    t.same(await getJson(`${base}/memory?mb=64`), { allocatedMb: 64, heldMb: 64 });
    const usedMb = (await usage()) / 2 ** 20; // an idle app uses ~10 MiB: only resident held memory gets past 64
    t.ok(usedMb >= 64, `container uses ${usedMb.toFixed(1)} MiB`);
    t.same(await getJson(`${base}/memory/release`), { heldMb: 0 });
    const cpu = await getJson(`${base}/cpu?seconds=0.3`);
    t.ok(Number(cpu.burnedMs) >= 250, `burned ${String(cpu.burnedMs)} ms`);
  });

  t.test('tcp echo', async (t) => {
    t.equal(await tcpEcho(main.ip, 9000, 'ping over tcp'), 'ping over tcp');
  });

  t.test('exit codes: /exit, --exit-after-seconds, EXIT_AFTER_SECONDS', async (t) => {
    t.same(await getJson(`${peerBase}/exit?code=3`), { exiting: true, code: 3 });
    t.equal(await exitCodeOf(peer.id), 3);
    t.equal(await exitCodeOf(crash.id), 7);
    t.match((await docker(['logs', crash.id])).stdout, 'exiting with code 7 after 5 s');
    t.equal(await exitCodeOf(crashEnv.id), 5);
  });

  t.test('logs go to stdout and stderr', async (t) => {
    const { stdout, stderr } = await docker(['logs', main.id]);
    t.match(stdout, /test-app 0\.1\.0 listening http=:8080 tcp=:9000/);
    t.match(stdout, /GET \/hostname 200 /);
    t.match(stderr, 'test-app started (stderr)');
  });

  t.test('SIGTERM waits SHUTDOWN_DELAY_SECONDS, then exits 0', async (t) => {
    const start = performance.now();
    await docker(['stop', '-t', '5', main.id]);
    const seconds = (performance.now() - start) / 1000;
    t.ok(seconds >= 1.5, `stop took ${seconds.toFixed(1)} s (delay 2 s)`);
    t.equal((await docker(['inspect', '-f', '{{.State.ExitCode}}', main.id])).stdout.trim(), '0', 'exited by itself');
    t.match((await docker(['logs', main.id])).stdout, 'SIGTERM received');
  });
}
