// containerLogs against the real engine: demuxed streams, tail, since, timestamps, TTY logs, follow.
import t from 'tap';
import { eventually } from '@k8ts/testing';
import { DockerClient, DockerError, type LogChunk } from '../../src/docker/index.js';
import { DOCKER_SOCKET, TEST_IMAGE, cleanupLabelled, requireDocker, testLabels, within } from '../helpers/docker.js';

const labels = testLabels('docker-client', 'logs');
const prefix = `k8ts-test-logs-${process.pid}`;
let seq = 0;

async function collect(chunks: AsyncIterable<LogChunk>): Promise<{ stdout: string; stderr: string; all: LogChunk[] }> {
  const all: LogChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  const text = (stream: string): string => Buffer.concat(all.filter((c) => c.stream === stream).map((c) => c.data)).toString();
  return { stdout: text('stdout'), stderr: text('stderr'), all };
}

if (await requireDocker(t)) {
  const docker = await DockerClient.connect(DOCKER_SOCKET);
  t.teardown(async () => {
    await cleanupLabelled({ 'k8ts.test.run': labels['k8ts.test.run'] ?? '' }, docker);
    await docker.close();
  });

  const run = async (cmd: string, extra: { Tty?: boolean } = {}): Promise<string> => {
    const id = await docker.containerCreate(`${prefix}-${++seq}`, { Image: TEST_IMAGE, Cmd: ['sh', '-c', cmd], Labels: labels, HostConfig: { Init: true }, ...extra });
    await docker.containerStart(id);
    return id;
  };

  t.test('demuxed stdout/stderr, stream selection, tail, timestamps, since', async (t) => {
    const id = await run('for i in 1 2 3; do echo out$i; echo err$i >&2; done; sleep 1; echo after; exec sleep 300');
    await eventually('the late line', async () => (await collect(await docker.containerLogs(id, {}))).stdout, (s) => s.includes('after'), 10_000, 100);

    const both = await collect(await docker.containerLogs(id, { stdout: true, stderr: true }));
    t.equal(both.stdout, 'out1\nout2\nout3\nafter\n');
    t.equal(both.stderr, 'err1\nerr2\nerr3\n');

    const onlyErr = await collect(await docker.containerLogs(id, { stdout: false, stderr: true }));
    t.equal(onlyErr.stdout, '');
    t.equal(onlyErr.stderr, 'err1\nerr2\nerr3\n');

    const tail = await collect(await docker.containerLogs(id, { tail: 1 }));
    t.equal(tail.stdout + tail.stderr, 'after\n');
    const tailAll = await collect(await docker.containerLogs(id, { tail: 'all' }));
    t.equal(tailAll.stdout, both.stdout);

    const stamped = await collect(await docker.containerLogs(id, { stdout: true, stderr: false, timestamps: true }));
    const lines = stamped.stdout.trim().split('\n');
    t.equal(lines.length, 4);
    for (const line of lines) t.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (out\d|after)$/);
    const secondsOf = (line: string | undefined): number => Date.parse(line?.split(' ')[0] ?? '') / 1000;
    const between = (secondsOf(lines[2]) + secondsOf(lines[3])) / 2; // out3 and after are ~1 s apart
    const since = await collect(await docker.containerLogs(id, { since: between }));
    t.equal(since.stdout + since.stderr, 'after\n', `since ${between}`);
  });

  t.test('a TTY container logs everything as stdout', async (t) => {
    const id = await run('echo tty-out; echo tty-err >&2; exec sleep 300', { Tty: true });
    const logs = await eventually(
      'both lines',
      async () => collect(await docker.containerLogs(id, {})),
      (l) => l.stdout.includes('tty-err'),
      10_000,
      100,
    );
    t.equal(logs.stderr, '');
    t.match(logs.stdout, /tty-out\r?\ntty-err/);
  });

  t.test('follow delivers lines written later and ends when aborted', async (t) => {
    const id = await run('echo first; exec sleep 300');
    const controller = new AbortController();
    const chunks = await docker.containerLogs(id, { follow: true }, controller.signal);
    let seen = '';
    const reader = (async () => {
      for await (const chunk of chunks) seen += chunk.data.toString();
      return 'ended';
    })();
    await eventually('first line', () => seen, (s) => s.includes('first'), 10_000, 50);
    // Write to PID 1's stdout from outside: a line that appears only after the follow began.
    const exec = await docker.runExec(id, ['sh', '-c', 'echo later > /proc/1/fd/1']);
    t.equal(exec.exitCode, 0);
    await eventually('the later line', () => seen, (s) => s.includes('later'), 10_000, 50);
    t.equal(seen, 'first\nlater\n');
    controller.abort();
    t.equal(await within(reader, 3000, 'still running'), 'ended');
  });

  t.test('follow ends by itself when the container exits', async (t) => {
    const id = await run('echo a; sleep 0.5; echo b >&2; sleep 0.3; exit 0');
    const chunks = await docker.containerLogs(id, { follow: true });
    const result = await within(collect(chunks), 10_000, null);
    t.ok(result, 'the iteration ended');
    t.equal(result?.stdout, 'a\n');
    t.equal(result?.stderr, 'b\n');
  });

  t.test('logs of a missing container is a 404 DockerError', async (t) => {
    const error = await docker.containerLogs('k8ts-absent-container', {}).catch((e: unknown) => e);
    t.ok(error instanceof DockerError && error.notFound);
  });
}
