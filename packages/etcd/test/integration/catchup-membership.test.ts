// A member far behind catches up by snapshot; members are added and removed at runtime.
import t from 'tap';
import { ProcessCluster, b64, post, sleep, type MemberProcess } from './harness.js';

interface RangeJson {
  count?: string;
  header?: { revision?: string };
}
interface HashJson {
  hash?: string;
  header?: { revision?: string };
}
interface MembersJson {
  members?: Array<{ ID: string; name?: string; peerURLs?: string[]; clientURLs?: string[] }>;
}

async function countKeys(m: MemberProcess, prefix: string): Promise<number> {
  const res = await post(m.clientURL, '/v3/kv/range', {
    key: b64(prefix),
    range_end: b64(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)),
    count_only: true,
    serializable: true,
  });
  return Number((res.json as RangeJson).count ?? 0);
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function putMany(endpoint: string, prefix: string, n: number): Promise<void> {
  const workers = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) {
        const i = next++;
        const res = await post(endpoint, '/v3/kv/put', { key: b64(`${prefix}${String(i).padStart(5, '0')}`), value: b64(`value-${i}`) });
        if (res.status !== 200) throw new Error(`put failed: ${res.status} ${res.text}`);
      }
    }),
  );
}

async function hashes(members: MemberProcess[], revision: number): Promise<string[]> {
  return Promise.all(
    members.map(async (m) => {
      const res = await post(m.clientURL, '/v3/maintenance/hashkv', { revision });
      return (res.json as HashJson).hash ?? `error ${res.status} ${res.text}`;
    }),
  );
}

t.test('a member far behind catches up from a snapshot, and ends identical', async (t) => {
  const cluster = await ProcessCluster.start({
    kind: 'k8ts',
    extraArgs: ['--snapshot-count', '300', '--experimental-snapshot-catchup-entries', '50'],
  });
  t.teardown(() => cluster.stop());
  const leader = await cluster.waitForLeader(10_000);
  const lagging = cluster.members.find((m) => m !== leader) as MemberProcess;
  await cluster.kill(lagging);

  await putMany(leader.clientURL, 'snap/', 1200);
  cluster.restart(lagging);
  await waitFor('the restarted member to hold all 1200 keys', 30_000, async () => (await countKeys(lagging, 'snap/')) === 1200);
  const logs = lagging.output.join('');
  t.match(logs, /applied a snapshot from the leader/, 'the lagging member was sent a snapshot (its log was compacted away)');

  const rev = Number(((await post(leader.clientURL, '/v3/kv/range', { key: b64('x') })).json as RangeJson).header?.revision);
  await waitFor('every member to reach the revision', 10_000, async () => {
    const revs = await Promise.all(cluster.members.map(async (m) => Number(((await post(m.clientURL, '/v3/kv/range', { key: b64('x'), serializable: true })).json as RangeJson).header?.revision)));
    return revs.every((r) => r >= rev);
  });
  const h = await hashes(cluster.members, rev);
  t.equal(new Set(h).size, 1, `hashkv at revision ${rev} identical on all members: ${h.join(',')}`);
});

t.test('add a member, it catches up and serves; remove it again', async (t) => {
  const cluster = await ProcessCluster.start({ kind: 'k8ts' });
  t.teardown(() => cluster.stop());
  const leader = await cluster.waitForLeader(10_000);
  await putMany(leader.clientURL, 'm/', 100);

  const added = await cluster.addMember(leader);
  await waitFor('the new member to catch up', 20_000, async () => (await countKeys(added, 'm/')) === 100);
  await waitFor('the new member to publish its name', 10_000, async () => {
    const list = (await post(leader.clientURL, '/v3/cluster/member/list', {})).json as MembersJson;
    return (list.members ?? []).length === 4 && (list.members ?? []).every((m) => m.name && (m.clientURLs ?? []).length > 0);
  });
  // The new member takes writes (forwarded to the leader) and linearizable reads.
  const put = await post(added.clientURL, '/v3/kv/put', { key: b64('from-new'), value: b64('ok') });
  t.equal(put.status, 200, 'a write through the new member succeeds');
  const read = await post(leader.clientURL, '/v3/kv/range', { key: b64('from-new') });
  t.equal(Number((read.json as RangeJson).count), 1, 'the leader sees it');

  const status = await cluster.status(added);
  const addedId = status?.memberId as string;
  const rm = await post(leader.clientURL, '/v3/cluster/member/remove', { ID: addedId });
  t.equal(rm.status, 200, `member remove answers 200: ${rm.text}`);
  const list = (await post(leader.clientURL, '/v3/cluster/member/list', {})).json as MembersJson;
  t.equal(list.members?.length, 3, 'three members remain');
  t.notOk(list.members?.some((m) => m.ID === addedId), 'the removed member is gone from the list');
  await Promise.race([added.exited, sleep(10_000)]);
  t.notOk(cluster.isRunning(added), 'the removed member stops itself');

  const again = await post(leader.clientURL, '/v3/cluster/member/remove', { ID: addedId });
  t.equal(again.status, 404, 'removing it again is member not found');
  const after = await post(leader.clientURL, '/v3/kv/put', { key: b64('after-remove'), value: b64('ok') });
  t.equal(after.status, 200, 'the cluster keeps its quorum and serves writes');
});
