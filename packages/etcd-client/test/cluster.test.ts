import t from 'tap';
import { EtcdClient, EtcdRequestError, GrpcCode } from '../src/index.js';
import { freePorts, haveEtcd, startEtcd, until } from './helpers/etcd-server.js';

if (haveEtcd(t)) {
  const etcd = await startEtcd(t, 3);
  const urls = etcd.clientUrls;
  const c = new EtcdClient({ endpoints: urls, requestTimeoutMs: 5000 });
  t.teardown(() => c.close());

  const leaderId = async (): Promise<string> => (await c.status(urls[0])).leader;

  t.test('status of every member agrees on the leader', async (t) => {
    const st = await Promise.all(urls.map((u) => c.status(u)));
    t.same(st.map((s) => s.endpoint), urls);
    const leader = st[0]!.leader;
    t.match(leader, /^\d+$/);
    t.ok(st.every((s) => s.leader === leader));
    t.equal(st.filter((s) => s.header.memberId === leader).length, 1, 'exactly one member is the leader');
    for (const s of st) {
      t.match(s.version, /^3\.\d+\.\d+$/);
      t.ok(s.dbSize > 0 && s.raftIndex > 0 && s.raftTerm > 0 && s.raftAppliedIndex > 0);
      t.same(s.errors, []);
      t.equal(s.isLearner, false);
    }
    t.equal((await c.status()).endpoint, urls[0], 'unpinned status goes to the current endpoint');
    t.ok((await Promise.all(urls.map((u) => c.health(u)))).every(Boolean));
  });

  t.test('memberList, memberAdd (learner), memberPromote error, memberRemove', async (t) => {
    const list = await c.memberList();
    t.equal(list.members.length, 3);
    t.same(list.members.map((m) => m.name).sort(), ['m1', 'm2', 'm3']);
    t.same(list.members.flatMap((m) => m.clientURLs).sort(), [...urls].sort());
    t.ok(list.members.every((m) => /^\d+$/.test(m.id) && m.peerURLs.length === 1 && !m.isLearner));

    // A learner does not count towards quorum, so adding one that never starts is harmless.
    const [port] = await freePorts(1);
    // etcd refuses membership changes (503 code 14 "unhealthy cluster") until every member has been connected for
    // a few seconds (--strict-reconfig-check); retry within a bound.
    let added: Awaited<ReturnType<typeof c.memberAdd>> | undefined;
    await until(async () => {
      try {
        added = await c.memberAdd([`http://127.0.0.1:${port}`], true);
        return true;
      } catch (err) {
        if (err instanceof EtcdRequestError && err.code === GrpcCode.UNAVAILABLE) return false;
        throw err;
      }
    }, 10_000, 500);
    if (!added) return t.fail('memberAdd kept failing');
    t.equal(added.member.isLearner, true);
    t.same(added.member.peerURLs, [`http://127.0.0.1:${port}`]);
    t.equal(added.member.name, '', 'not started yet');
    t.equal(added.members.length, 4);
    await t.rejects(c.memberPromote(added.member.id), { httpStatus: 412, code: GrpcCode.FAILED_PRECONDITION });
    const removed = await c.memberRemove(added.member.id);
    t.equal(removed.members.length, 3);
    await t.rejects(c.memberRemove(added.member.id), { httpStatus: 404, code: GrpcCode.NOT_FOUND, message: 'etcdserver: member not found' });
  });

  t.test('hashKV agrees across members', async (t) => {
    for (let i = 0; i < 20; i++) await c.put(`hash/${i}`, `${i}`);
    const rev = (await c.put('hash/last', 'x')).header.revision;
    // Followers apply asynchronously: poll (bounded) until all report the same hash at the same revision.
    let hashes: number[] = [];
    let scopes = new Set<string>();
    const same = await until(async () => {
      const hs = await Promise.all(urls.map((u) => c.hashKV(rev, u)));
      scopes = new Set(hs.map((h) => h.scope));
      hashes = hs.map((h) => h.hash);
      return hs.every((h) => h.header.revision >= rev) && new Set(hashes).size === 1;
    }, 5000, 200);
    t.ok(same, `hashes agree: ${hashes.join(',')}`);
    t.ok(hashes[0]! > 0);
    t.equal(scopes.size, 1, `one scope: ${[...scopes].join(',')}`);
  });

  t.test('moveLeader hands leadership to the target', async (t) => {
    const before = await leaderId();
    const follower = (await c.memberList()).members.find((m) => m.id !== before)!;
    const res = await c.moveLeader(follower.id);
    t.ok(urls.includes(res.sentTo));
    t.ok(await until(async () => (await leaderId()) === follower.id, 10_000, 200), 'leader is now the target');
    // The old leader, now a follower, refuses a transfer sent to it.
    const oldLeaderUrl = res.sentTo;
    await t.rejects(c.request('/v3/maintenance/transfer-leadership', `{"targetID":"${before}"}`, { endpoint: oldLeaderUrl }), {
      httpStatus: 412,
      code: GrpcCode.FAILED_PRECONDITION,
      message: 'etcdserver: not leader',
    });
  });

  t.test('a killed member: requests fail over to the live ones', async (t) => {
    // Kill a follower: this tests the client's failover, not etcd's election.
    const leader = await leaderId();
    const st = await Promise.all(urls.map((u) => c.status(u)));
    const victim = st.findIndex((s) => s.header.memberId !== leader);
    await etcd.kill(victim);
    const c2 = new EtcdClient({ endpoints: [urls[victim]!, ...urls.filter((_, i) => i !== victim)], requestTimeoutMs: 5000 });
    t.teardown(() => c2.close());
    const p = await c2.put('fail/k', 'v');
    t.not(p.header.memberId, '0');
    t.equal((await c2.get('fail/k'))?.value.toString(), 'v');
    t.not((await c2.status()).endpoint, urls[victim], 'pinned away from the dead member');
    const w = c2.watch('fail/', { prefix: true });
    await w.created;
    t.not(w.endpoint, urls[victim]);
    w.cancel();
  });
}
