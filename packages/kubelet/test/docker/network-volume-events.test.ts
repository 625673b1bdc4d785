// Networks (fixed IPv4 on a user bridge, a second container sharing the namespace), tmpfs volumes shared by two
// containers, and the event stream, against the real engine.
import t from 'tap';
import { eventually } from '@k8ts/testing';
import { DockerClient, DockerError, type DockerEvent } from '../../src/docker/index.js';
import { DOCKER_SOCKET, TEST_IMAGE, cleanupLabelled, dockerErrorOf, requireDocker, testLabels, within } from '../helpers/docker.js';

const labels = testLabels('docker-client', 'netvol');
const prefix = `k8ts-test-netvol-${process.pid}`;
let seq = 0;

if (await requireDocker(t)) {
  const docker = await DockerClient.connect(DOCKER_SOCKET);
  t.teardown(async () => {
    await cleanupLabelled({ 'k8ts.test.run': labels['k8ts.test.run'] ?? '' }, docker);
    await docker.close();
  });

  /** A /24 in 10.213.0.0/16 that no other network on this engine holds (other tests may create theirs meanwhile). */
  async function createTestNetwork(name: string): Promise<{ subnet: string; base: string }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const base = `10.213.${Math.floor(Math.random() * 250) + 1}`;
      const subnet = `${base}.0/24`;
      try {
        await docker.networkCreate({ Name: name, Driver: 'bridge', IPAM: { Config: [{ Subnet: subnet, Gateway: `${base}.1` }] }, Labels: labels });
        return { subnet, base };
      } catch (error) {
        if (!(error instanceof DockerError && /overlap/i.test(error.message))) throw error;
      }
    }
    throw new Error('no free test subnet in 10.213.0.0/16 after 10 tries');
  }

  t.test('user bridge with a fixed IPv4; a container: member shares the address', async (t) => {
    const network = `${prefix}-net`;
    const { subnet, base } = await createTestNetwork(network);
    const fixedIp = `${base}.10`;

    const inspected = await docker.networkInspect(network);
    t.equal(inspected?.Driver, 'bridge');
    t.equal(inspected?.IPAM.Config?.[0]?.Subnet, subnet);
    t.equal(inspected?.Labels?.['k8ts.test.run'], labels['k8ts.test.run']);
    t.equal(await docker.networkInspect(`${prefix}-absent`), null);
    t.ok(await dockerErrorOf(docker.networkCreate({ Name: network, Labels: labels })).then((e) => e.conflict === true), 'a taken name is a conflict');

    const sandbox = await docker.containerCreate(`${prefix}-${++seq}-sandbox`, {
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Hostname: 'pod-a',
      Labels: labels,
      HostConfig: { NetworkMode: network, Init: true },
      NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: fixedIp }, Aliases: ['pod-a'] } } },
    });
    await docker.containerStart(sandbox);
    const sandboxInspect = await docker.containerInspect(sandbox);
    t.equal(sandboxInspect?.NetworkSettings.Networks?.[network]?.IPAddress, fixedIp);

    const member = await docker.containerCreate(`${prefix}-${++seq}-app`, {
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: labels,
      HostConfig: { NetworkMode: `container:${sandbox}`, Init: true },
    });
    await docker.containerStart(member);
    t.equal((await docker.containerInspect(member))?.HostConfig.NetworkMode, `container:${sandbox}`);
    const addr = await docker.runExec(member, ['ip', '-4', 'addr', 'show', 'eth0']);
    t.equal(addr.exitCode, 0, addr.stderr);
    t.match(addr.stdout, `inet ${fixedIp}/24`, 'the member sees the sandbox address');
    const hostname = await docker.runExec(member, ['hostname']);
    t.equal(hostname.stdout.trim(), 'pod-a', 'and its UTS name');

    // Shared localhost: a listener in the sandbox answers the member on 127.0.0.1.
    const listener = await docker.execCreate(sandbox, { Cmd: ['sh', '-c', 'echo from-sandbox | nc -l -p 7070'] });
    const listening = await docker.execStart(listener, { Tty: false, stdin: false });
    listening.stdout.resume();
    listening.stderr.resume();
    const reply = await eventually(
      'the sandbox listener',
      () => docker.runExec(member, ['sh', '-c', 'nc 127.0.0.1 7070 </dev/null'], { timeoutMs: 3000 }),
      (r) => r.stdout.includes('from-sandbox'),
      10_000,
      100,
    );
    t.match(reply.stdout, 'from-sandbox');
    listening.close();

    const onNetwork = await docker.networkInspect(network);
    t.ok(onNetwork?.Containers?.[sandbox], 'the sandbox is attached');
    const inUse = await docker.networkRemove(network).catch((e: unknown) => e);
    t.ok(inUse instanceof DockerError, 'a network with endpoints cannot be removed');

    await docker.containerRemove(member, { force: true });
    await docker.containerRemove(sandbox, { force: true });
    await docker.networkRemove(network);
    t.equal(await docker.networkInspect(network), null);
    await docker.networkRemove(network); // 404 is success
  });

  t.test('a tmpfs-backed local volume is shared by two containers', async (t) => {
    const volume = `${prefix}-mem`;
    await docker.volumeCreate({ Name: volume, Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m' }, Labels: labels });
    const listed = await docker.volumeList({ labels: { 'k8ts.test.run': labels['k8ts.test.run'] ?? '' } });
    t.same(listed.map((v) => v.Name), [volume]);
    t.equal(listed[0]?.Labels?.['k8ts.test'], 'docker-client');
    t.type(listed[0]?.Mountpoint, 'string');

    const mounts = [{ Type: 'volume' as const, Source: volume, Target: '/shared' }];
    const writer = await docker.containerCreate(`${prefix}-${++seq}-w`, { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { Init: true, Mounts: mounts } });
    const reader = await docker.containerCreate(`${prefix}-${++seq}-r`, {
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: labels,
      HostConfig: { Init: true, Mounts: [{ ...mounts[0], Target: '/data', ReadOnly: true }] },
    });
    await docker.containerStart(writer);
    await docker.containerStart(reader);
    t.equal((await docker.runExec(writer, ['sh', '-c', 'echo shared-bytes > /shared/file'])).exitCode, 0);
    t.equal((await docker.runExec(reader, ['cat', '/data/file'])).stdout, 'shared-bytes\n');
    const mountLine = await docker.runExec(writer, ['sh', '-c', 'grep " /shared " /proc/mounts']);
    t.match(mountLine.stdout, /^tmpfs \/shared tmpfs /, 'backed by tmpfs');
    t.match(mountLine.stdout, /size=16384k/, 'with the size limit');
    t.not((await docker.runExec(reader, ['sh', '-c', 'echo x > /data/other'])).exitCode, 0, 'the read-only mount refuses writes');

    const busy = await docker.volumeRemove(volume).catch((e: unknown) => e);
    t.ok(busy instanceof DockerError && busy.conflict, 'a volume in use is a conflict');
    await docker.containerRemove(writer, { force: true });
    await docker.containerRemove(reader, { force: true });
    await docker.volumeRemove(volume);
    t.same(await docker.volumeList({ labels: { 'k8ts.test.run': labels['k8ts.test.run'] ?? '' } }), []);
    await docker.volumeRemove(volume); // 404 is success
  });

  t.test('events: start and die of our container, then the stream ends on abort', async (t) => {
    const controller = new AbortController();
    const events = docker.events(
      { filters: { type: ['container'], event: ['start', 'die'], label: [`k8ts.test.run=${labels['k8ts.test.run'] ?? ''}`] }, since: Date.now() / 1000 },
      controller.signal,
    );
    const seen: DockerEvent[] = [];
    const reading = (async () => {
      for await (const event of events) seen.push(event);
      return 'ended';
    })();
    const id = await docker.containerCreate(`${prefix}-${++seq}-ev`, { Image: TEST_IMAGE, Cmd: ['sh', '-c', 'exit 2'], Labels: labels });
    await docker.containerStart(id);
    await eventually('start and die', () => seen.filter((e) => e.Actor.ID === id).map((e) => e.Action), (a) => a.includes('die'), 10_000, 50);
    const ours = seen.filter((e) => e.Actor.ID === id);
    t.same(ours.map((e) => e.Action), ['start', 'die']);
    t.equal(ours[1]?.Actor.Attributes.exitCode, '2');
    t.equal(ours[0]?.Type, 'container');
    t.ok((ours[0]?.timeNano ?? 0) > 0 && (ours[0]?.time ?? 0) > 0);
    controller.abort();
    t.equal(await within(reading, 3000, 'still open'), 'ended');
  });
}
