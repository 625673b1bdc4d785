// Failure drills on a real 3-member k8ts-etcd cluster under concurrent clients:
// kill -9 the leader, SIGSTOP the leader past the election timeout. After each: a new leader in time, no
// acknowledged write lost on any member, identical revision and hash everywhere, and a linearizable client history.
import t, { type Test } from 'tap';
import { EtcdClient, type KeyValue } from '@k8ts/etcd-client';
import { HistoryRecorder, checkLinearizable, type KvObservation } from '../../src/check/index.js';
import { ProcessCluster, b64, post, sleep, type MemberProcess } from './harness.js';

const KEYS = ['lin/a', 'lin/b', 'lin/c', 'lin/d'];

function observe(kv: KeyValue | undefined): KvObservation | null {
  return kv ? { value: kv.value, modRevision: kv.modRevision, version: kv.version } : null;
}

interface Workload {
  recorder: HistoryRecorder;
  acked: Map<string, string>; // durability keys written and acknowledged → value
  errors: number;
  ops: number;
  stop(): Promise<void>;
}

/** Concurrent clients doing put/get/cas on a few keys (recorded) and unique-key puts (for durability). */
function startWorkload(endpoints: string[], workers: number, deadlineMs: number): Workload {
  const recorder = new HistoryRecorder();
  const acked = new Map<string, string>();
  let running = true;
  const state = { errors: 0, ops: 0 };
  const loops = Array.from({ length: workers }, async (_, w) => {
    // Each worker prefers a different member, like spread-out clients.
    const rotated = [...endpoints.slice(w % endpoints.length), ...endpoints.slice(0, w % endpoints.length)];
    const client = new EtcdClient({ endpoints: rotated, requestTimeoutMs: 4000 });
    let n = 0;
    const stopAt = Date.now() + deadlineMs;
    try {
      while (running && Date.now() < stopAt) {
        n++;
        state.ops++;
        const key = KEYS[(w + n) % KEYS.length] as string;
        const r = (n * 7 + w) % 10;
        try {
          if (r < 4) {
            const value = `w${w}-${n}`;
            await recorder.run(w, key, { type: 'put', value }, async () => {
              const res = await client.put(key, value);
              return { revision: res.header.revision };
            });
          } else if (r < 7) {
            await recorder.run(w, key, { type: 'get' }, async () => {
              const res = await client.range(key);
              return { kv: observe(res.kvs[0]), revision: res.header.revision };
            });
          } else if (r < 9) {
            const cur = await client.range(key);
            const mod = cur.kvs[0]?.modRevision ?? 0;
            const value = `cas${w}-${n}`;
            await recorder.run(w, key, { type: 'cas', expect: { modRevision: mod }, value }, async () => {
              const res = await client.txn({
                compare: [{ key, target: 'MOD', modRevision: mod }],
                success: [{ put: { key, value } }],
                failure: [{ range: { key } }],
              });
              const failed = res.responses[0];
              const kv = failed && 'range' in failed ? observe(failed.range.kvs[0]) : null;
              return res.succeeded ? { succeeded: true, revision: res.header.revision } : { succeeded: false, revision: res.header.revision, kv };
            });
          } else {
            const dkey = `durable/w${w}/${n}`;
            await client.put(dkey, `v${n}`);
            acked.set(dkey, `v${n}`);
          }
        } catch {
          state.errors++;
          await sleep(20);
        }
      }
    } finally {
      await client.close();
    }
  });
  return {
    recorder,
    acked,
    get errors() {
      return state.errors;
    },
    get ops() {
      return state.ops;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

interface RangeJson {
  header?: { revision?: string };
  kvs?: Array<{ key: string; value?: string }>;
}

async function revisionOf(m: MemberProcess): Promise<number> {
  const res = await post(m.clientURL, '/v3/kv/range', { key: b64('x'), serializable: true }, 2000);
  return Number((res.json as RangeJson).header?.revision ?? -1);
}

/** Waits until every running member serves the same revision, then compares their key-space hashes. */
async function assertConverged(t: Test, cluster: ProcessCluster): Promise<void> {
  const members = cluster.members.filter((m) => cluster.isRunning(m));
  const deadline = Date.now() + 20_000;
  let revs: number[] = [];
  for (;;) {
    revs = await Promise.all(members.map((m) => revisionOf(m).catch(() => -1)));
    if (revs.every((r) => r === revs[0] && r > 0)) break;
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  t.ok(revs.every((r) => r === revs[0]), `all members reach the same revision (${revs.join(', ')})`);
  const hashes = await Promise.all(
    members.map(async (m) => ((await post(m.clientURL, '/v3/maintenance/hashkv', { revision: revs[0] })).json as { hash?: number }).hash),
  );
  t.ok(hashes.every((h) => h === hashes[0] && h !== undefined), `identical key-space hash at revision ${revs[0]}: ${hashes.join(', ')}`);
}

async function assertDurable(t: Test, cluster: ProcessCluster, acked: Map<string, string>): Promise<void> {
  for (const m of cluster.members.filter((x) => cluster.isRunning(x))) {
    const res = await post(m.clientURL, '/v3/kv/range', { key: b64('durable/'), range_end: b64('durable0'), serializable: true });
    const have = new Map(((res.json as RangeJson).kvs ?? []).map((kv) => [Buffer.from(kv.key, 'base64').toString(), Buffer.from(kv.value ?? '', 'base64').toString()]));
    const missing = [...acked].filter(([k, v]) => have.get(k) !== v);
    t.equal(missing.length, 0, `${m.name} holds all ${acked.size} acknowledged writes${missing.length ? ` (missing ${missing.slice(0, 5).map(([k]) => k).join(',')})` : ''}`);
  }
}

function assertLinearizable(t: Test, recorder: HistoryRecorder): void {
  const history = recorder.history();
  const result = checkLinearizable(history, { timeoutMs: 30_000 });
  if (result.ok === false) t.fail(`history is not linearizable on ${result.key}:\n${result.explanation}`);
  else t.equal(result.ok, true, `the client history of ${history.length} ops is linearizable`);
}

t.test('kill -9 the leader under concurrent writes', async (t) => {
  const cluster = await ProcessCluster.start({ kind: 'k8ts' });
  t.teardown(() => cluster.stop());
  const oldLeader = await cluster.waitForLeader(10_000);
  const load = startWorkload(cluster.endpoints(), 8, 9000);
  await sleep(2000);

  const killedAt = Date.now();
  await cluster.kill(oldLeader, 'SIGKILL');
  const newLeader = await cluster.waitForLeader(5000, [oldLeader]);
  const electedMs = Date.now() - killedAt;
  t.ok(electedMs <= 2000, `a new leader (${newLeader.name}) within 2 s of kill -9 at default timings (took ${electedMs} ms)`);

  await sleep(2500);
  cluster.restart(oldLeader);
  await load.stop();
  t.ok(load.ops > 200, `the workload made progress (${load.ops} ops, ${load.errors} errors)`);

  await cluster.waitForLeader(10_000);
  // Converged first: a member just resumed or restarted may still be catching up.
  await assertConverged(t, cluster);
  await assertDurable(t, cluster, load.acked);
  assertLinearizable(t, load.recorder);
});

t.test('SIGSTOP the leader for longer than the election timeout, then resume it', async (t) => {
  const cluster = await ProcessCluster.start({ kind: 'k8ts' });
  t.teardown(() => cluster.stop());
  const paused = await cluster.waitForLeader(10_000);
  const load = startWorkload(cluster.endpoints(), 6, 8000);
  await sleep(1500);

  cluster.pause(paused);
  const others = cluster.members.filter((m) => m !== paused);
  const deadline = Date.now() + 5000;
  let elected = false;
  while (Date.now() < deadline && !elected) {
    const statuses = await Promise.all(others.map((m) => cluster.status(m)));
    const leaderId = statuses[0]?.leader;
    elected = statuses.every((s) => s !== undefined && s.leader === leaderId) && statuses.some((s) => s?.memberId === leaderId);
    if (!elected) await sleep(50);
  }
  t.ok(elected, 'the two running members elect a leader among themselves');
  await sleep(2500);
  cluster.resume(paused);
  await load.stop();
  t.ok(load.ops > 200, `the workload made progress (${load.ops} ops, ${load.errors} errors)`);

  await cluster.waitForLeader(10_000);
  // Converged first: a member just resumed or restarted may still be catching up.
  await assertConverged(t, cluster);
  await assertDurable(t, cluster, load.acked);
  assertLinearizable(t, load.recorder);
  const resumedLogs = paused.output.join('');
  t.notMatch(resumedLogs, /"level":60/, 'the resumed member logged no fatal error');
});

t.test('without a quorum: writes and linearizable reads time out like etcd, serializable reads still answer', async (t) => {
  const cluster = await ProcessCluster.start({ kind: 'k8ts' });
  t.teardown(() => cluster.stop());
  const leader = await cluster.waitForLeader(10_000);
  const [survivor, other] = cluster.members.filter((m) => m !== leader) as [MemberProcess, MemberProcess];
  await post(survivor.clientURL, '/v3/kv/put', { key: b64('q'), value: b64('1') });

  // Twice: the second loss of the leader must behave like the first.
  for (const round of [1, 2]) {
    await cluster.kill(leader, 'SIGKILL');
    await cluster.kill(other, 'SIGKILL');
    const started = Date.now();
    const [read, write, serial] = await Promise.all([
      post(survivor.clientURL, '/v3/kv/range', { key: b64('q') }, 15_000),
      post(survivor.clientURL, '/v3/kv/put', { key: b64('q'), value: b64('2') }, 15_000),
      post(survivor.clientURL, '/v3/kv/range', { key: b64('q'), serializable: true }, 15_000),
    ]);
    const took = Date.now() - started;
    t.equal(serial.status, 200, `round ${round}: a serializable read is served locally`);
    // A read already waiting on the old leader gets "leader changed", one that waits for a new one "request timed
    // out": both 503 / code 14, as etcd answers.
    const readError = (read.json as { error?: string }).error ?? '';
    t.equal(read.status, 503, `round ${round}: the linearizable read fails with 503 (${readError})`);
    t.ok(['etcdserver: request timed out', 'etcdserver: leader changed'].includes(readError), `round ${round}: with etcd's words`);
    const late = await post(survivor.clientURL, '/v3/kv/range', { key: b64('q') }, 15_000);
    t.same([late.status, (late.json as { error?: string }).error], [503, 'etcdserver: request timed out'], `round ${round}: a read sent with no leader times out`);
    t.same([write.status, (write.json as { error?: string }).error], [500, 'context deadline exceeded'], `round ${round}: the write fails with no quorum`);
    t.ok(took >= 5000 && took < 12_000, `round ${round}: after about etcd's request timeout (${took} ms)`);
    // Bring the quorum back: the cluster serves again.
    cluster.restart(leader);
    cluster.restart(other);
    await cluster.waitForLeader(15_000);
    const ok = await post(survivor.clientURL, '/v3/kv/range', { key: b64('q') }, 10_000);
    t.equal(ok.status, 200, `round ${round}: linearizable reads work again once a quorum is back`);
  }
});
