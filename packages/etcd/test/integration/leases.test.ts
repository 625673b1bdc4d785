// Leases on a 3-member k8ts-etcd: expiry deletes keys on every member (through Raft, from the leader), keepalive
// through a follower keeps a lease alive, time-to-live answers on followers, and leases outlive a leader change.
import t from 'tap';
import { EtcdClient } from '@k8ts/etcd-client';
import { ProcessCluster, sleep } from './harness.js';

t.test('lease expiry, keepalive and failover', async (t) => {
  const cluster = await ProcessCluster.start({ kind: 'k8ts' });
  t.teardown(() => cluster.stop());
  const leader = await cluster.waitForLeader(10_000);
  const followers = cluster.members.filter((m) => m !== leader);
  const viaFollower = new EtcdClient({ endpoints: [followers[0]!.clientURL] });
  const viaOther = new EtcdClient({ endpoints: [followers[1]!.clientURL] });
  t.teardown(async () => {
    await viaFollower.close();
    await viaOther.close();
  });

  // A short lease, granted through a follower, expires and takes its key with it on every member.
  const short = await viaFollower.leaseGrant(2);
  t.equal(short.ttl, 2, 'granted with the requested TTL (the minimum is 2 s at default timings)');
  await viaFollower.put('lease/short', 'x', { lease: short.id });
  const watch = viaOther.watch('lease/short');
  await watch.created;
  const ttl = await viaOther.leaseTimeToLive(short.id, true);
  t.ok(ttl.ttl > 0 && ttl.ttl <= 2, `time-to-live answered on another follower (${ttl.ttl} s left)`);
  t.same(ttl.keys.map((k) => k.toString()), ['lease/short'], 'with its attached key');

  let deleted = false;
  const deadline = Date.now() + 6000;
  for await (const frame of watch) {
    if (frame.events.some((e) => e.type === 'DELETE')) {
      deleted = true;
      break;
    }
    if (Date.now() > deadline) break;
  }
  watch.cancel();
  t.ok(deleted, 'the expiry shows up as a DELETE event');
  for (const m of cluster.members) {
    const c = new EtcdClient({ endpoints: [m.clientURL] });
    const r = await c.range('lease/short', { serializable: true });
    t.equal(r.count, 0, `${m.name}: the leased key is gone`);
    await c.close();
  }
  const gone = await viaFollower.leaseTimeToLive(short.id);
  t.equal(gone.ttl, -1, 'the expired lease is unknown (TTL -1)');

  // A kept-alive lease survives past its TTL and across a leader change.
  const kept = await viaFollower.leaseGrant(3);
  await viaFollower.put('lease/kept', 'y', { lease: kept.id });
  const keeper = viaFollower.leaseKeepAlive(kept.id, 1000);
  t.teardown(() => keeper.stop());
  await sleep(4500);
  t.equal((await viaOther.range('lease/kept')).count, 1, 'kept alive through a follower past its 3 s TTL');

  await cluster.kill(leader, 'SIGKILL');
  await cluster.waitForLeader(5000, [leader]);
  await sleep(4000);
  t.equal((await viaOther.range('lease/kept')).count, 1, 'still alive after the leader was killed (the new leader extends it)');
  keeper.stop();
  await sleep(5500);
  t.equal((await viaOther.range('lease/kept')).count, 0, 'and expires once keepalives stop');
});
