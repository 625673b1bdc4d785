// §7 Log compaction: snapshots of the applied state, compaction, sending snapshots to followers that fell behind
// the retained log, and restarting from a snapshot.
import t from 'tap';
import { NONE, type Message, type Snapshot } from '../../src/raft/index.js';
import { becomeLeader, drain, drainMessages, entriesWithTerms, msg, newNode } from './helpers.js';
import { Cluster, decodeAppliedState } from './sim-network.js';

t.test('a snapshot records the applied state; compaction drops the entries it covers', async (t) => {
  const c = new Cluster({ seed: 40 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 20; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  const applied = c.status(lead).applied;
  t.equal(applied, 21);
  const snap = c.snapshot(lead, 5)!;
  t.equal(snap.metadata.index, 21);
  t.equal(snap.metadata.term, c.status(lead).term);
  t.same(snap.metadata.confState, { voters: ['1', '2', '3'], learners: [] });
  t.equal(decodeAppliedState(snap.data).length, 21, 'the data is the application state at that index');
  const log = c.raw(lead).logView();
  t.equal(log.prevIndex, 16, 'entries up to 21 - 5 dropped');
  t.equal(log.entries[0]?.index, 17);
  c.propose(lead, 'after');
  c.stabilize();
  for (const id of c.ids) t.equal(c.appliedData(id).at(-1), 'after', `node ${id} keeps replicating`);
  t.doesNotThrow(() => c.checkAll(), 'safety invariants hold');
});

t.test('createSnapshot and compactLog refuse what they cannot honour', async (t) => {
  const node = newNode({ id: '1', voters: ['1'] });
  node.campaign();
  drain(node);
  node.propose('a');
  drain(node);
  drain(node);
  t.equal(node.status().applied, 2);
  t.throws(() => node.createSnapshot(3, new Uint8Array()), /beyond applied/, 'not beyond applied');
  t.throws(() => node.compactLog(2), /without a snapshot/, 'no compaction without a snapshot covering it');
  node.createSnapshot(1, new Uint8Array([1]));
  t.throws(() => node.compactLog(2), /without a snapshot/, 'nor beyond the snapshot');
  t.throws(() => node.createSnapshot(1, new Uint8Array()), /not newer/, 'an older or equal snapshot is refused');
  node.compactLog(1);
  t.equal(node.logView().prevIndex, 1);
  node.createSnapshot(2, new Uint8Array([2]));
  node.compactLog(2);
  t.same(node.logView(), { prevIndex: 2, prevTerm: 1, entries: [] });
});

t.test('a follower behind the compacted log receives the snapshot and catches up', async (t) => {
  const c = new Cluster({ seed: 41 });
  const lead = c.waitForLeader();
  const lagging = c.ids.find((id) => id !== lead)!;
  c.crash(lagging);
  for (let i = 0; i < 30; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  for (const id of c.liveIds()) c.snapshot(id);
  t.equal(c.raw(lead).logView().entries.length, 0, 'the leader compacted everything');
  const snaps: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'snap') snaps.push(m);
  };
  c.restart(lagging);
  c.runTicks(3);
  t.equal(snaps.length, 1, 'one snapshot sent');
  t.equal(snaps[0]?.to, lagging);
  t.equal(snaps[0]?.snapshot?.metadata.index, 31);
  t.same(c.appliedData(lagging), c.appliedData(lead), 'its state machine was replaced by the snapshot');
  t.equal(c.node(lagging).disk.snapshot?.metadata.index, 31, 'and the snapshot is on its disk');
  t.equal(c.status(lead).progress?.[lagging]?.state, 'replicate', 'replication resumed after the snapshot');
  c.propose(lead, 'after-snapshot');
  c.stabilize();
  t.equal(c.appliedData(lagging).at(-1), 'after-snapshot');
  t.doesNotThrow(() => c.checkAll(), 'safety invariants hold');
});

t.test('a failed snapshot send is retried after reportSnapshot(false)', async (t) => {
  const c = new Cluster({ seed: 42 });
  const lead = c.waitForLeader();
  const lagging = c.ids.find((id) => id !== lead)!;
  c.crash(lagging);
  for (let i = 0; i < 10; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  c.snapshot(lead);
  let failures = 1;
  let sent = 0;
  c.onSend = (m) => {
    if (m.type === 'snap') sent++;
  };
  c.dropIf = (m) => m.type === 'snap' && failures-- > 0; // the transport reports it as failed
  c.restart(lagging);
  c.runTicks(1);
  t.equal(sent, 1);
  t.equal(c.status(lead).progress?.[lagging]?.state, 'probe', 'back to probing after the failure report');
  c.runTicks(3);
  t.equal(sent, 2, 'sent again');
  t.same(c.appliedData(lagging), c.appliedData(lead));
});

t.test('a node restarts from a snapshot plus the entries after it', async (t) => {
  const c = new Cluster({ seed: 43 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 10; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  c.snapshot('2', 2);
  for (let i = 10; i < 15; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  const expected = c.appliedData('2');
  t.equal(c.node('2').disk.snapshot?.metadata.index, 11);
  c.crash('2');
  c.autoReady = false; // look at the node before its first Ready
  c.restart('2');
  c.autoReady = true;
  const s = c.status('2');
  t.equal(s.applied, 11, 'the state machine restarts at the snapshot');
  t.equal(s.commit, 16, 'the persisted commit index');
  t.same(s.confState, { voters: ['1', '2', '3'], learners: [] }, 'the configuration comes from the snapshot');
  c.processAllReady();
  t.same(c.appliedData('2'), expected, 'the entries after the snapshot are re-applied');
  c.propose(lead, 'more');
  c.stabilize();
  t.equal(c.appliedData('2').at(-1), 'more');
});

t.test('RawNode restores from a storage state holding a snapshot', async (t) => {
  const snapshot: Snapshot = { metadata: { index: 5, term: 2, confState: { voters: ['1', '2', '3'], learners: [] } }, data: new Uint8Array([7]) };
  const node = newNode({
    id: '1',
    voters: [], // ignored: the snapshot's configuration wins
    snapshot,
    entries: [
      { term: 2, index: 5, type: 'normal', data: 'covered' },
      { term: 3, index: 6, type: 'normal', data: 'a' },
      { term: 3, index: 7, type: 'normal', data: 'b' },
    ],
    hardState: { term: 3, vote: '2', commit: 6 },
  });
  t.same(node.logView(), { prevIndex: 5, prevTerm: 2, entries: [{ term: 3, index: 6, type: 'normal', data: 'a' }, { term: 3, index: 7, type: 'normal', data: 'b' }] });
  const s = node.status();
  t.match(s, { term: 3, vote: '2', commit: 6, applied: 5, role: 'follower', lead: NONE });
  t.same(s.confState.voters, ['1', '2', '3']);
  const rd = drain(node);
  t.same(rd.committedEntries.map((e) => e.data), ['a'], 'committed entries after the snapshot are handed out again');
  t.equal(rd.snapshot, undefined, 'the stored snapshot is not handed out again');
  // As leader it can ship that snapshot to a follower that needs compacted entries.
  becomeLeader(node);
  drainMessages(node);
  // 3 rejects the first probe (after index 7) and has nothing at all.
  node.step(msg({ type: 'appResp', from: '3', to: '1', term: 4, index: 7, reject: true, rejectHint: 0 }));
  const snap = drainMessages(node).find((m) => m.type === 'snap' && m.to === '3');
  t.equal(snap?.snapshot?.metadata.index, 5, 'the stored snapshot is sent to a follower behind it');
  t.equal(node.status().progress?.['3']?.state, 'snapshot');
});

t.test('a follower ignores a snapshot that is not ahead of its commit index', async (t) => {
  const node = newNode({ id: '2', entries: entriesWithTerms(1, 1, 1), hardState: { term: 1, vote: NONE, commit: 3 } });
  const old: Snapshot = { metadata: { index: 2, term: 1, confState: { voters: ['1', '2', '3'], learners: [] } }, data: new Uint8Array() };
  node.step(msg({ type: 'snap', from: '1', to: '2', term: 1, snapshot: old }));
  const rd = drain(node);
  t.equal(rd.snapshot, undefined, 'not restored');
  t.match(rd.messages.find((m) => m.type === 'appResp'), { index: 3, reject: false }, 'answers with its commit index');
  t.equal(node.logView().entries.length, 3);
});

t.test('a follower whose log already holds the snapshot index just advances its commit', async (t) => {
  const node = newNode({ id: '2', entries: entriesWithTerms(1, 1, 1, 1), hardState: { term: 1, vote: NONE, commit: 1 } });
  const snap: Snapshot = { metadata: { index: 3, term: 1, confState: { voters: ['1', '2', '3'], learners: [] } }, data: new Uint8Array() };
  node.step(msg({ type: 'snap', from: '1', to: '2', term: 1, snapshot: snap }));
  const rd = drain(node);
  t.equal(rd.snapshot, undefined);
  t.equal(node.status().commit, 3);
  t.equal(node.logView().entries.length, 4, 'the log (including entry 4) is kept');
});
