// Exec and attach on hijacked connections, against the real engine: runExec exit codes, caps and timeouts,
// interactive stdin with half-close, TTY with resize, attach to a container reading stdin.
import t from 'tap';
import type { Readable } from 'node:stream';
import { eventually } from '@k8ts/testing';
import { DockerClient, DockerError } from '../../src/docker/index.js';
import { DOCKER_SOCKET, TEST_IMAGE, cleanupLabelled, dockerErrorOf, requireDocker, testLabels, within } from '../helpers/docker.js';

const labels = testLabels('docker-client', 'exec');
const prefix = `k8ts-test-exec-${process.pid}`;
let seq = 0;

/** Accumulates a stream's text as it arrives. */
function recorder(stream: Readable): { text: () => string; ended: Promise<void> } {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
  return { text: () => text, ended };
}

if (await requireDocker(t)) {
  const docker = await DockerClient.connect(DOCKER_SOCKET);
  t.teardown(async () => {
    await cleanupLabelled({ 'k8ts.test.run': labels['k8ts.test.run'] ?? '' }, docker);
    await docker.close();
  });
  const sleeper = await docker.containerCreate(`${prefix}-${++seq}`, { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { Init: true } });
  await docker.containerStart(sleeper);

  t.test('runExec: exit codes and separated output', async (t) => {
    const result = await docker.runExec(sleeper, ['sh', '-c', 'echo out; echo err >&2; exit 7']);
    t.same(result, { exitCode: 7, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    t.same(await docker.runExec(sleeper, ['true']), { exitCode: 0, stdout: '', stderr: '', timedOut: false });
    const missing = await docker.runExec(sleeper, ['/no/such/binary']);
    t.ok(missing.exitCode !== null && missing.exitCode !== 0, `a missing binary fails (exit ${String(missing.exitCode)})`);
    const env = await docker.runExec(sleeper, ['sh', '-c', 'echo $A:$(pwd):$(id -u)'], { Env: ['A=b'], WorkingDir: '/tmp', User: '1234' });
    t.equal(env.stdout, 'b:/tmp:1234\n');
  });

  t.test('runExec: output is capped, the command still completes', async (t) => {
    const result = await docker.runExec(sleeper, ['sh', '-c', 'yes | head -c 200000; echo done >&2'], { maxOutputBytes: 1000 });
    t.equal(result.exitCode, 0);
    t.equal(result.stdout.length, 1000);
    t.equal(result.stderr, 'done\n');
  });

  t.test('runExec: abandoned and reported timedOut after timeoutMs', async (t) => {
    const started = Date.now();
    const result = await docker.runExec(sleeper, ['sh', '-c', 'echo begun; sleep 30'], { timeoutMs: 500 });
    const elapsed = Date.now() - started;
    t.equal(result.timedOut, true);
    t.equal(result.exitCode, null);
    t.equal(result.stdout, 'begun\n', 'output up to the timeout is kept');
    t.ok(elapsed >= 450 && elapsed < 3000, `took ${elapsed} ms`);
  });

  t.test('runExec on a missing or stopped container is a DockerError', async (t) => {
    t.ok(await dockerErrorOf(docker.runExec('k8ts-absent-container', ['true'])).then((e) => e.notFound === true), 'exec in an absent container → notFound');
    const stopped = await docker.containerCreate(`${prefix}-${++seq}`, { Image: TEST_IMAGE, Cmd: ['true'], Labels: labels });
    const error = await docker.runExec(stopped, ['true']).catch((e: unknown) => e);
    t.ok(error instanceof DockerError && error.conflict, `not running → 409 (${String(error)})`);
  });

  t.test('interactive exec: cat echoes stdin; ending stdin ends the process with 0', async (t) => {
    const execId = await docker.execCreate(sleeper, { Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = await docker.execStart(execId, { Tty: false, stdin: true });
    t.equal(stream.tty, false);
    const out = recorder(stream.stdout);
    const err = recorder(stream.stderr);
    stream.stdin.write('hello\n');
    await eventually('the echo', out.text, (s) => s === 'hello\n', 5000, 20);
    stream.stdin.write('second line\n');
    await eventually('the second echo', out.text, (s) => s.endsWith('second line\n'), 5000, 20);
    t.equal(await docker.execInspect(execId).then((i) => i.Running), true, 'cat still runs while stdin is open');
    stream.stdin.end();
    t.equal(await within(Promise.all([out.ended, err.ended]).then(() => 'ended'), 5000, 'still open'), 'ended', 'EOF ends cat, which ends the output');
    await within(stream.closed, 5000, undefined);
    const inspect = await eventually('exit recorded', () => docker.execInspect(execId), (i) => !i.Running, 5000, 20);
    t.equal(inspect.ExitCode, 0);
    t.equal(err.text(), '');
  });

  t.test('TTY exec: resize is seen by the process; output arrives on stdout', async (t) => {
    const execId = await docker.execCreate(sleeper, { Cmd: ['sh'], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: ['PS1=$ '] });
    const stream = await docker.execStart(execId, { Tty: true, stdin: true });
    t.equal(stream.tty, true);
    const out = recorder(stream.stdout);
    const err = recorder(stream.stderr);
    await docker.execResize(execId, { width: 123, height: 45 });
    stream.stdin.write('stty size; echo to-stderr >&2; exit 3\n');
    await within(out.ended, 5000, undefined);
    t.match(out.text(), /45 123/);
    t.match(out.text(), /to-stderr/, 'stderr comes through the TTY on stdout');
    t.equal(err.text(), '');
    const inspect = await eventually('exit recorded', () => docker.execInspect(execId), (i) => !i.Running, 5000, 20);
    t.equal(inspect.ExitCode, 3);
    stream.close();
  });

  t.test('closing a hijacked stream ends its outputs at once', async (t) => {
    const execId = await docker.execCreate(sleeper, { Cmd: ['sleep', '30'], AttachStdout: true, AttachStderr: true });
    const stream = await docker.execStart(execId, { Tty: false, stdin: false });
    const out = recorder(stream.stdout);
    stream.close();
    t.equal(await within(out.ended.then(() => 'ended'), 2000, 'open'), 'ended');
    await within(stream.closed, 2000, undefined);
    t.pass('closed');
  });

  t.test('attach to a container reading stdin; ending stdin lets it exit 0', async (t) => {
    const cat = await docker.containerCreate(`${prefix}-${++seq}`, {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'cat; echo bye >&2'],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Labels: labels,
    });
    await docker.containerStart(cat);
    const stream = await docker.containerAttach(cat, { stdin: true, stdout: true, stderr: true });
    const out = recorder(stream.stdout);
    const err = recorder(stream.stderr);
    stream.stdin.write('ping\n');
    await eventually('the echo', out.text, (s) => s === 'ping\n', 5000, 20);
    stream.stdin.end();
    const exit = await docker.containerWait(cat, AbortSignal.timeout(10_000));
    t.equal(exit.StatusCode, 0);
    await within(Promise.all([out.ended, err.ended]), 5000, undefined);
    t.equal(err.text(), 'bye\n');
    t.ok(await dockerErrorOf(docker.containerAttach('k8ts-absent-container', { stdin: false, stdout: true, stderr: true })).then((e) => e.notFound === true), 'attach to an absent container → notFound');
  });

  t.test('container resize on a TTY container', async (t) => {
    const tty = await docker.containerCreate(`${prefix}-${++seq}`, { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Tty: true, Labels: labels, HostConfig: { Init: true } });
    await docker.containerStart(tty);
    await docker.containerResize(tty, { width: 100, height: 30 });
    const size = await docker.runExec(tty, ['stty', '-F', '/dev/console', 'size']);
    t.equal(size.stdout.trim(), '30 100', JSON.stringify(size));
  });
}
