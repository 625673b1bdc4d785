// runProbe against a real container: busybox httpd on the default Docker bridge, probed by its bridge IP with
// httpGet and tcpSocket, and an exec probe through `docker exec`.
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { corev1 } from '@k8ts/api-machinery';
import { eventually } from '@k8ts/testing';
import { runProbe, type ExecResult } from '../../src/probes/probe-runner.js';
import { requireDocker } from '../helpers/docker.js';

const run = promisify(execFile);
const LABEL = 'k8ts.test=kubelet-probe-runner';

if (await requireDocker(t)) {
  const { stdout } = await run('docker', [
    'run', '-d', '--label', LABEL, 'busybox:1.36',
    'sh', '-c', 'mkdir -p /www && echo ok > /www/healthz && exec busybox httpd -f -p 8080 -h /www',
  ]);
  const id = stdout.trim();
  t.teardown(async () => {
    await run('docker', ['rm', '-f', id]).catch(() => undefined);
  });
  const ip = (await run('docker', ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', id])).stdout.trim();

  const dockerExec = async (containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult> => {
    try {
      const r = await run('docker', ['exec', containerId, ...cmd], { timeout: timeoutMs || undefined, killSignal: 'SIGKILL' });
      return { exitCode: 0, stdout: r.stdout, stderr: r.stderr, timedOut: false };
    } catch (err) {
      const e = err as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
      if (e.killed) return { exitCode: null, stdout: e.stdout ?? '', stderr: e.stderr ?? '', timedOut: true };
      if (typeof e.code === 'number') return { exitCode: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '', timedOut: false };
      throw err;
    }
  };
  const container: corev1.Container = { name: 'web', image: 'busybox:1.36', ports: [{ name: 'http', containerPort: 8080 }] };
  const target = { podIP: ip, containerId: id, container };
  const deps = { exec: dockerExec };

  t.test('tcpSocket and httpGet on the container IP', async (t) => {
    await eventually('httpd listening', () => runProbe({ tcpSocket: { port: 'http' }, timeoutSeconds: 1 }, target, deps), (r) => r.result === 'success', 10_000, 100);
    t.same(await runProbe({ httpGet: { port: 'http', path: '/healthz' }, timeoutSeconds: 2 }, target, deps), { result: 'success', output: 'ok\n' });
    t.same(await runProbe({ httpGet: { port: 8080, path: '/missing' }, timeoutSeconds: 2 }, target, deps), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
    const refused = await runProbe({ tcpSocket: { port: 8081 }, timeoutSeconds: 1 }, target, deps);
    t.same(refused, { result: 'failure', output: `dial tcp ${ip}:8081: connect: connection refused` });
  });

  t.test('exec through docker exec', async (t) => {
    t.same(await runProbe({ exec: { command: ['cat', '/www/healthz'] }, timeoutSeconds: 5 }, target, deps), { result: 'success', output: 'ok\n' });
    const r = await runProbe({ exec: { command: ['cat', '/www/nope'] }, timeoutSeconds: 5 }, target, deps);
    t.equal(r.result, 'failure');
    t.match(r.output, /No such file or directory/);
  });
}
