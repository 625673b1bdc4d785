// DockerClient against the real engine: negotiation, images, container lifecycle, error mapping, listing by label,
// wait, OOM, stats, pull failure.
import t from 'tap';
import { setMaxListeners } from 'node:events';
import { DockerClient, DockerError } from '../../src/docker/index.js';
import { DOCKER_SOCKET, TEST_IMAGE, cleanupLabelled, dockerErrorOf, requireDocker, testLabels } from '../helpers/docker.js';

const labels = testLabels('docker-client', 'client');
const prefix = `k8ts-test-dc-${process.pid}`;
let seq = 0;
const uniqueName = (what: string): string => `${prefix}-${what}-${++seq}`;

if (await requireDocker(t)) {
  const docker = await DockerClient.connect(DOCKER_SOCKET);
  t.teardown(async () => {
    await cleanupLabelled({ 'k8ts.test.run': labels['k8ts.test.run'] ?? '' }, docker);
    await docker.close();
  });

  t.test('negotiates API 1.41 and reports the engine', async (t) => {
    t.equal(docker.apiVersion, '1.41');
    await docker.ping();
    const version = await docker.version();
    t.equal(version.ApiVersion, '1.41');
    t.equal(version.Os, 'linux');
    t.type(version.KernelVersion, 'string');
    t.type(version.MinAPIVersion, 'string');
    const info = await docker.info();
    t.ok(info.NCPU >= 1);
    t.ok(info.MemTotal > 0);
    t.equal(info.OSType, 'linux');
    t.type(info.DockerRootDir, 'string');
    t.type(info.Driver, 'string');
    t.type(info.ServerVersion, 'string');
  });

  t.test('images: inspect, list, inspect of a missing image is null', async (t) => {
    const image = await docker.imageInspect(TEST_IMAGE);
    t.ok(image, 'busybox:1.36 is present');
    t.match(image?.Id ?? '', /^sha256:/);
    t.ok(image?.RepoTags?.includes(TEST_IMAGE));
    t.ok((image?.Size ?? 0) > 0);
    t.equal(await docker.imageInspect('k8ts-absent/image:none'), null);
    const list = await docker.imageList();
    t.ok(list.some((i) => i.RepoTags?.includes(TEST_IMAGE)));
  });

  t.test('imagePull with no registry fails with DockerError naming the lookup', async (t) => {
    const error = await docker.imagePull('k8ts-absent/never-published:v1').catch((e: unknown) => e);
    t.ok(error instanceof DockerError, `got ${String(error)}`);
    if (error instanceof DockerError) t.match(error.message, /lookup|dial|no such host|not found|denied|registry/i);
    t.ok(await dockerErrorOf(docker.imageRemove('k8ts-absent/never-published:v1')).then((e) => e.statusCode === 404), 'removing an absent image → 404');
  });

  t.test('container lifecycle, labels, 304/404/409 mapping', async (t) => {
    const name = uniqueName('life');
    const containerId = await docker.containerCreate(name, {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo "greeting=$GREETING"; exec sleep 300'],
      Env: ['GREETING=hello'],
      Labels: { ...labels, 'k8ts.test.role': 'life' },
      HostConfig: { Memory: 64 * 1024 * 1024, Init: true },
    });
    t.match(containerId, /^[0-9a-f]{64}$/);

    const created = await docker.containerInspect(containerId);
    t.equal(created?.Name, `/${name}`);
    t.equal(created?.State.Status, 'created');
    t.equal(created?.Config.Labels?.['k8ts.test.role'], 'life');
    t.ok(created?.Config.Env?.includes('GREETING=hello'));
    t.equal(created?.HostConfig.Memory, 64 * 1024 * 1024);

    const duplicate = await docker.containerCreate(name, { Image: TEST_IMAGE, Labels: labels }).catch((e: unknown) => e);
    t.ok(duplicate instanceof DockerError && duplicate.conflict, 'same name → 409 conflict');
    const noImage = await docker.containerCreate(uniqueName('noimage'), { Image: 'k8ts-absent/image:none', Labels: labels }).catch((e: unknown) => e);
    t.ok(noImage instanceof DockerError && noImage.notFound, 'missing image → 404');

    await docker.containerStart(containerId);
    await docker.containerStart(containerId); // 304: already started
    const running = await docker.containerInspect(containerId);
    t.equal(running?.State.Running, true);
    t.ok((running?.State.Pid ?? 0) > 0);
    t.notOk(running?.State.OOMKilled);
    t.match(running?.State.StartedAt ?? '', /^\d{4}-/);
    t.type(running?.LogPath, 'string');
    t.ok(running?.NetworkSettings.Networks?.bridge?.IPAddress, 'has a bridge IP');

    const byLabel = await docker.containerList({ labels: { 'k8ts.test.role': 'life', 'k8ts.test.run': labels['k8ts.test.run'] ?? '' } });
    t.same(byLabel.map((c) => c.Id), [containerId]);
    t.equal(byLabel[0]?.State, 'running');
    t.ok(byLabel[0]?.Names.includes(`/${name}`));
    const byKey = await docker.containerList({ labels: { 'k8ts.test.role': true } });
    t.ok(byKey.some((c) => c.Id === containerId), 'label key alone matches');
    t.same(await docker.containerList({ labels: { 'k8ts.test.role': 'other' } }), []);
    const byName = await docker.containerList({ filters: { name: [name], status: ['running'] }, labels: { 'k8ts.test.role': 'life' } });
    t.same(byName.map((c) => c.Id), [containerId], 'other filters combine with labels');

    const started = Date.now();
    await docker.containerStop(containerId, 5);
    t.ok(Date.now() - started < 4000, 'Init forwards SIGTERM so the stop does not wait out the timeout');
    await docker.containerStop(containerId, 1); // 304: already stopped
    await docker.containerKill(containerId); // 409 "is not running" is success
    const stopped = await docker.containerInspect(containerId);
    t.equal(stopped?.State.Status, 'exited');
    t.equal(stopped?.State.Running, false);
    t.equal(await docker.containerList({ labels: { 'k8ts.test.role': 'life' } }).then((l) => l.length), 0, 'not listed without all');
    t.equal(await docker.containerList({ all: true, labels: { 'k8ts.test.role': 'life' } }).then((l) => l.length), 1, 'listed with all');

    await docker.containerRemove(containerId);
    t.equal(await docker.containerInspect(containerId), null);
    await docker.containerRemove(containerId); // 404 is success
    t.ok(await dockerErrorOf(docker.containerStart(containerId)).then((e) => e.statusCode === 404 && e.notFound === true), 'start of a removed container → 404 notFound');
    t.ok(await dockerErrorOf(docker.containerStop(containerId, 1)).then((e) => e.notFound === true), 'stop → notFound');
    t.ok(await dockerErrorOf(docker.containerKill(containerId)).then((e) => e.notFound === true), 'kill → notFound');
  });

  t.test('stop outlasts the client request timeout: its HTTP timeout is the stop timeout + 10 s', async (t) => {
    const impatient = await DockerClient.connect(DOCKER_SOCKET, { requestTimeoutMs: 1000 });
    t.teardown(() => impatient.close());
    // No Init: sleep as PID 1 ignores SIGTERM, so the engine waits the whole timeout before SIGKILL.
    const stubborn = await impatient.containerCreate(uniqueName('stubborn'), { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels });
    await impatient.containerStart(stubborn);
    const started = Date.now();
    await impatient.containerStop(stubborn, 2);
    const elapsed = Date.now() - started;
    t.ok(elapsed >= 1900 && elapsed < 8000, `stop took ${elapsed} ms`);
    const state = (await impatient.containerInspect(stubborn))?.State;
    t.equal(state?.Running, false);
    t.equal(state?.ExitCode, 137, 'killed after the timeout');
  });

  t.test('kill with a signal, wait returns the exit code', async (t) => {
    const exits = await docker.containerCreate(uniqueName('exit'), { Image: TEST_IMAGE, Cmd: ['sh', '-c', 'sleep 1; exit 3'], Labels: labels });
    // next-exit: a created container is already "not running"; the sleep leaves the wait time to register first.
    const waiting = docker.containerWait(exits, undefined, { condition: 'next-exit' });
    await docker.containerStart(exits);
    t.same(await waiting, { StatusCode: 3 });
    t.same(await docker.containerWait(exits), { StatusCode: 3 }, 'wait on an exited container answers at once');

    const sleeper = await docker.containerCreate(uniqueName('kill'), { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels });
    await docker.containerStart(sleeper);
    const controller = new AbortController();
    const aborted = docker.containerWait(sleeper, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const abortStarted = Date.now();
    await t.rejects(aborted, 'an aborted wait rejects');
    t.ok(Date.now() - abortStarted < 2000, 'promptly');
    await docker.containerKill(sleeper, 'SIGKILL');
    t.same(await docker.containerWait(sleeper), { StatusCode: 137 });
    t.equal((await docker.containerInspect(sleeper))?.State.ExitCode, 137);
  });

  t.test('a container over its memory limit is OOMKilled', async (t) => {
    const hog = await docker.containerCreate(uniqueName('oom'), {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'x=0123456789abcdef; while true; do x="$x$x"; done'],
      Labels: labels,
      HostConfig: { Memory: 8 * 1024 * 1024, MemorySwap: 8 * 1024 * 1024 },
    });
    await docker.containerStart(hog);
    const result = await docker.containerWait(hog, AbortSignal.timeout(20_000));
    t.equal(result.StatusCode, 137);
    const state = (await docker.containerInspect(hog))?.State;
    t.equal(state?.OOMKilled, true);
    t.equal(state?.Status, 'exited');
  });

  t.test('stats: one sample with cpu and memory figures', async (t) => {
    const busy = await docker.containerCreate(uniqueName('stats'), { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { Memory: 32 * 1024 * 1024 } });
    await docker.containerStart(busy);
    const sample = await docker.containerStats(busy);
    t.match(sample.read, /^\d{4}-/);
    t.ok(sample.cpu_stats.cpu_usage.total_usage > 0);
    t.type(sample.precpu_stats.cpu_usage.total_usage, 'number', 'stream=false fills precpu');
    t.ok((sample.memory_stats.usage ?? 0) > 0);
    t.equal(sample.memory_stats.limit, 32 * 1024 * 1024);
    t.type(sample.memory_stats.stats, 'object');
    const quick = await docker.containerStats(busy, { oneShot: true });
    t.ok(quick.cpu_stats.cpu_usage.total_usage >= sample.cpu_stats.cpu_usage.total_usage);
    await docker.containerRemove(busy, { force: true });
    t.ok(await dockerErrorOf(docker.containerStats(busy)).then((e) => e.notFound === true), 'stats of a removed container → notFound');
  });

  t.test('the pool is not starved by waits and follows', async (t) => {
    const sleeper = await docker.containerCreate(uniqueName('starve'), { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { Init: true } });
    await docker.containerStart(sleeper);
    const controller = new AbortController();
    setMaxListeners(50, controller.signal);
    // More long-lived requests than the pool has connections.
    const waits = Array.from({ length: 20 }, () => docker.containerWait(sleeper, controller.signal).catch(() => 'aborted'));
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => docker.ping()));
    t.ok(Date.now() - started < 5000, 'short calls still answered');
    controller.abort();
    t.same(new Set(await Promise.all(waits)), new Set(['aborted']));
  });
}
