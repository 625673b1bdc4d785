// §5.3 Log replication: ordering, forwarding, conflict resolution, catch-up, rejection hints, batching and
// pipelining (etcd's flow control).
import t from 'tap';
import { ProposalDroppedError, type Message } from '../../src/raft/index.js';
import { becomeLeader, drain, drainMessages, entriesWithTerms, msg, newNode } from './helpers.js';
import { Cluster } from './sim-network.js';

t.test('proposals are replicated and applied in the same order everywhere', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'] });
  const lead = c.waitForLeader();
  const values = Array.from({ length: 20 }, (_, i) => `cmd-${i}`);
  for (const v of values) c.propose(lead, v);
  c.stabilize();
  for (const id of c.ids) t.same(c.appliedData(id), values, `node ${id} applied every command in order`);
});

t.test('a follower forwards proposals to its leader', async (t) => {
  const c = new Cluster();
  const lead = c.waitForLeader();
  const follower = c.ids.find((id) => id !== lead)!;
  const forwarded: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'prop') forwarded.push(m);
  };
  c.propose(follower, 'via-follower');
  c.stabilize();
  t.equal(forwarded.length, 1);
  t.equal(forwarded[0]?.to, lead, 'sent to the leader');
  t.equal(forwarded[0]?.from, follower);
  for (const id of c.ids) t.same(c.appliedData(id), ['via-follower']);
});

t.test('proposals without a leader are refused with ProposalDroppedError', async (t) => {
  const c = new Cluster();
  t.throws(() => c.propose('1', 'x'), ProposalDroppedError, 'a follower that knows no leader');
  c.isolate('1');
  c.campaign('1');
  t.equal(c.status('1').role, 'candidate');
  t.throws(() => c.propose('1', 'x'), ProposalDroppedError, 'a candidate');
  const pre = new Cluster({ preVote: true });
  pre.isolate('1');
  pre.campaign('1');
  t.equal(pre.status('1').role, 'preCandidate');
  t.throws(() => pre.propose('1', 'x'), ProposalDroppedError, 'a pre-candidate');
});

t.test('a new leader overwrites conflicting uncommitted suffixes', async (t) => {
  const c = new Cluster({ seed: 4 });
  c.elect('1');
  c.propose('1', 'committed');
  c.stabilize();
  c.isolate('1');
  for (const v of ['lost-1', 'lost-2', 'lost-3']) c.propose('1', v);
  c.stabilize();
  t.equal(c.raw('1').logView().entries.filter((e) => e.data.startsWith('lost')).length, 3, 'the old leader appended locally');
  c.elect('2');
  for (const v of ['new-1', 'new-2']) c.propose('2', v);
  c.stabilize();
  c.heal();
  c.runTicks(5);
  const reference = c.raw('2').logView().entries.map((e) => `${e.index}/${e.term}/${e.data}`);
  for (const id of c.ids) {
    t.same(c.raw(id).logView().entries.map((e) => `${e.index}/${e.term}/${e.data}`), reference, `node ${id} holds the leader's log`);
    t.same(c.appliedData(id), ['committed', 'new-1', 'new-2'], `node ${id} never applied the lost entries`);
  }
});

t.test('a follower that was down catches up', async (t) => {
  const c = new Cluster({ seed: 8 });
  const lead = c.waitForLeader();
  const lagging = c.ids.find((id) => id !== lead)!;
  c.crash(lagging);
  for (let i = 0; i < 30; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  c.restart(lagging);
  c.runTicks(3);
  t.same(c.appliedData(lagging), c.appliedData(lead));
  t.equal(c.appliedData(lagging).length, 30);
  t.equal(c.status(lead).progress?.[lagging]?.state, 'replicate', 'back in the replicate state');
});

t.test('rejection hints let the leader skip a whole divergent term at once', async (t) => {
  const c = new Cluster({ seed: 2 });
  c.elect('1');
  c.isolate('1');
  for (let i = 0; i < 40; i++) c.propose('1', `stale-${i}`);
  c.stabilize();
  c.elect('2');
  for (let i = 0; i < 40; i++) c.propose('2', `fresh-${i}`);
  c.stabilize();
  // A third leader starts probing node 1 from the end of its own (long) log: far beyond where they diverge.
  c.elect('3');
  let rejections = 0;
  c.onSend = (m) => {
    if (m.type === 'appResp' && m.reject && m.from === '1') rejections++;
  };
  c.heal();
  c.runTicks(3);
  t.same(c.appliedData('1'), c.appliedData('3'));
  t.equal(c.appliedData('1').length, 40);
  t.ok(rejections >= 1 && rejections <= 2, `40 divergent entries cost ${rejections} rejection(s), not one per entry`);
});

t.test('appends are batched up to maxSizePerMsg, with at least one entry per message', async (t) => {
  const c = new Cluster({ maxSizePerMsg: 10, seed: 6 });
  const lead = c.waitForLeader();
  const lagging = c.ids.find((id) => id !== lead)!;
  c.crash(lagging);
  for (let i = 0; i < 12; i++) c.propose(lead, 'abcd'); // 4 bytes each: 2 per message
  c.propose(lead, 'x'.repeat(25)); // larger than the limit on its own
  c.stabilize();
  const appends: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'app' && m.to === lagging && m.entries.length > 0) appends.push(m);
  };
  c.restart(lagging);
  c.runTicks(3);
  t.equal(c.appliedData(lagging).length, 13);
  t.ok(appends.length > 0);
  for (const m of appends) {
    const size = m.entries.reduce((n, e) => n + e.data.length, 0);
    t.ok(m.entries.length === 1 || size <= 10, `append of ${m.entries.length} entries, ${size} bytes`);
  }
  t.ok(appends.some((m) => m.entries.length >= 2), 'small entries share a message');
  t.ok(appends.some((m) => m.entries.length === 1 && m.entries[0]!.data.length === 25), 'an oversized entry travels alone');
});

t.test('pipelining: a replicating follower gets at most maxInflightMsgs unacknowledged appends', async (t) => {
  const c = new Cluster({ maxInflightMsgs: 3, seed: 3 });
  const lead = c.waitForLeader();
  const slow = c.ids.find((id) => id !== lead)!;
  t.equal(c.status(lead).progress?.[slow]?.state, 'replicate');
  c.holdIf = (m) => m.to === slow;
  for (let i = 0; i < 10; i++) {
    c.propose(lead, `v${i}`);
    c.stabilize();
  }
  const held = c.inFlight.filter((f) => f.message.to === slow && f.message.type === 'app' && f.message.entries.length > 0);
  t.equal(held.length, 3, 'three appends in flight, the rest wait');
  t.equal(c.status(lead).progress?.[slow]?.inflight, 3);
  t.equal(c.appliedData(lead).length, 10, 'the other follower keeps the cluster committing');
  c.holdIf = undefined;
  c.runTicks(3);
  t.same(c.appliedData(slow), c.appliedData(lead));
  t.equal(c.status(lead).progress?.[slow]?.inflight, 0);
});

t.test('probe state: one append at a time until the follower answers', async (t) => {
  const node = newNode({ id: '1' });
  becomeLeader(node);
  drainMessages(node);
  t.equal(node.status().progress?.['3']?.state, 'probe', 'a follower not heard from is probed');
  for (let i = 0; i < 5; i++) node.propose(`v${i}`);
  const toThree = drainMessages(node).filter((m) => m.type === 'app' && m.to === '3' && m.entries.length > 0);
  t.equal(toThree.length, 0, 'the first probe (with the no-op) is still unanswered');
  // 2 answered and was moved to replicate: it streams.
  node.step(msg({ type: 'appResp', from: '2', to: '1', term: 1, index: 1 }));
  const toTwo = drainMessages(node).filter((m) => m.type === 'app' && m.to === '2');
  t.ok(toTwo.length >= 1, 'the replicating follower gets the new entries');
  t.equal(node.status().progress?.['2']?.state, 'replicate');
  // A heartbeat response un-pauses the probe.
  node.step(msg({ type: 'heartbeatResp', from: '3', to: '1', term: 1 }));
  const retry = drainMessages(node).filter((m) => m.type === 'app' && m.to === '3');
  t.equal(retry.length, 1, 'one probe per answer');
});

t.test('heartbeats never carry a commit index beyond what the follower holds', async (t) => {
  const c = new Cluster({ seed: 12 });
  const lead = c.waitForLeader();
  const slow = c.ids.find((id) => id !== lead)!;
  c.holdIf = (m) => m.to === slow && m.type === 'app';
  for (let i = 0; i < 5; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  const heartbeats: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'heartbeat' && m.to === slow) heartbeats.push(m);
  };
  c.runTicks(3);
  const match = c.status(lead).progress![slow]!.match;
  t.ok(c.status(lead).commit > match, 'the leader committed beyond the slow follower');
  t.ok(heartbeats.length > 0);
  t.ok(heartbeats.every((m) => m.commit <= match), 'heartbeat commit = min(match, commit)');
});

t.test('a follower commits no further than the last entry the leader sent it', async (t) => {
  // Stale suffix from an old term at 3..4; the new leader (term 3) sends only entry 2 but has committed 4.
  const node = newNode({ id: '2', entries: entriesWithTerms(1, 1, 1, 1), hardState: { term: 2, vote: '0', commit: 1 } });
  node.step(msg({ type: 'app', from: '1', to: '2', term: 3, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, type: 'normal', data: 'e2' }], commit: 4 }));
  const rd = drain(node);
  t.equal(node.status().commit, 2, 'commit = min(leader commit, last new index)');
  t.match(rd.messages.find((m) => m.type === 'appResp'), { index: 2, reject: false }, 'acks the last new index');
});

t.test('a follower rejects an append that does not match and hints where to resume', async (t) => {
  const node = newNode({ id: '2', entries: entriesWithTerms(1, 1, 2, 2, 2), hardState: { term: 4, vote: '0', commit: 1 } });
  // The leader believes we hold index 7 of term 4.
  node.step(msg({ type: 'app', from: '1', to: '2', term: 4, index: 7, logTerm: 4, entries: [], commit: 1 }));
  const resp = drain(node).messages.find((m) => m.type === 'appResp');
  t.equal(resp?.reject, true);
  t.equal(resp?.index, 7, 'names the rejected index');
  t.equal(resp?.rejectHint, 5, 'our last index with term <= 4');
  t.equal(resp?.logTerm, 2, 'and its term');
});

t.test('an append conflicting with our log truncates it from the conflict on', async (t) => {
  const node = newNode({ id: '2', entries: entriesWithTerms(1, 1, 2, 2), hardState: { term: 3, vote: '0', commit: 2 } });
  node.step(
    msg({
      type: 'app',
      from: '1',
      to: '2',
      term: 3,
      index: 2,
      logTerm: 1,
      entries: [{ term: 3, index: 3, type: 'normal', data: 'new3' }],
      commit: 2,
    }),
  );
  const rd = drain(node);
  t.same(rd.entries.map((e) => `${e.index}/${e.term}`), ['3/3'], 'only the new entry is to be persisted');
  t.same(node.logView().entries.map((e) => `${e.index}/${e.term}`), ['1/1', '2/1', '3/3'], 'the conflicting 3..4 are gone');
});

t.test('replication survives a lossy, duplicating, delaying and reordering network', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], seed: 13, maxInflightMsgs: 4, maxSizePerMsg: 16 });
  Object.assign(c.faults, { dropRate: 0.2, duplicateRate: 0.2, maxDelayTicks: 2, reorder: true });
  const accepted: string[] = [];
  for (let round = 0; round < 60; round++) {
    const lead = c.leader();
    if (lead !== undefined) {
      try {
        c.propose(lead, `v${round}`);
        accepted.push(`v${round}`);
      } catch (err) {
        if (!(err instanceof ProposalDroppedError)) throw err; // e.g. a transfer in progress: try later
      }
    }
    c.runTicks(1);
  }
  Object.assign(c.faults, { dropRate: 0, duplicateRate: 0, maxDelayTicks: 0, reorder: false });
  c.runTicks(30);
  const reference = c.appliedData(c.waitForLeader());
  t.ok(reference.length >= accepted.length / 2, `most proposals committed (${reference.length} of ${accepted.length})`);
  t.ok(reference.every((v) => accepted.includes(v)), 'only proposed values');
  t.equal(new Set(reference).size, reference.length, 'each at most once, despite duplicated messages');
  for (const id of c.ids) t.same(c.appliedData(id), reference, `node ${id} applied the same sequence`);
});
