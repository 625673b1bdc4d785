// §5.4 Safety: the election restriction, the current-term commit rule (with the paper's Figure 8 scenario), and
// durability across crashes (what was acknowledged or voted survives; what was not persisted is never relied on).
import t from 'tap';
import { NONE, type Message } from '../../src/raft/index.js';
import { drain, drainMessages, entriesWithTerms, msg, newNode } from './helpers.js';
import { Cluster } from './sim-network.js';

t.test('election restriction: a candidate missing committed entries cannot win', async (t) => {
  const c = new Cluster({ seed: 21 });
  c.elect('1');
  c.isolate('3');
  for (let i = 0; i < 3; i++) c.propose('1', `v${i}`);
  c.stabilize();
  t.equal(c.status('2').commit, 4, 'committed on 1 and 2 only');
  c.crash('1');
  c.heal();
  const answers: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'voteResp' && m.to === '3') answers.push(m);
  };
  c.campaign('3');
  c.stabilize();
  t.not(c.status('3').role, 'leader', 'the stale node lost');
  t.ok(answers.some((m) => m.from === '2' && m.reject), 'node 2 refused: its log is more up to date');
  c.elect('2');
  t.same(c.appliedData('2'), ['v0', 'v1', 'v2']);
});

t.test('a vote request is judged by last log term first, then by length', async (t) => {
  const voter = () => newNode({ id: '2', entries: entriesWithTerms(1, 2, 2), hardState: { term: 2, vote: NONE, commit: 0 } });
  const ask = (index: number, logTerm: number): boolean => {
    const node = voter();
    node.step(msg({ type: 'vote', from: '1', to: '2', term: 3, index, logTerm }));
    return drainMessages(node).find((m) => m.type === 'voteResp')?.reject === false;
  };
  t.equal(ask(3, 2), true, 'same last term, same length');
  t.equal(ask(5, 2), true, 'same last term, longer');
  t.equal(ask(2, 2), false, 'same last term, shorter');
  t.equal(ask(1, 3), true, 'higher last term wins even if shorter');
  t.equal(ask(9, 1), false, 'lower last term loses even if longer');
});

t.test('a leader commits only entries of its own term by counting replicas', async (t) => {
  // Node 1 restarts holding entries of terms 1 and 2 that were never committed, then becomes leader in term 3.
  const node = newNode({ id: '1', voters: ['1', '2', '3'], entries: entriesWithTerms(1, 2), hardState: { term: 2, vote: NONE, commit: 0 } });
  node.campaign();
  drain(node);
  node.step(msg({ type: 'voteResp', from: '2', to: '1', term: 3 }));
  t.equal(node.status().role, 'leader');
  drain(node); // persists the no-op (index 3, term 3): the leader's own copy now counts
  t.equal(node.logView().entries[2]?.term, 3, 'no-op of term 3 at index 3');
  node.step(msg({ type: 'appResp', from: '2', to: '1', term: 3, index: 2 }));
  drain(node);
  t.equal(node.status().commit, 0, 'index 2 is on a majority but of term 2: not committed');
  node.step(msg({ type: 'appResp', from: '2', to: '1', term: 3, index: 3 }));
  const rd = drain(node);
  t.equal(node.status().commit, 3, 'the term-3 no-op on a majority commits everything before it');
  t.same(rd.committedEntries.map((e) => e.index), [1, 2, 3]);
});

t.test("Figure 8: an old-term entry on a majority is not committed, and may be overwritten", async (t) => {
  // maxSizePerMsg 4 with 8-byte commands: each append carries one command, so an old entry can reach a follower
  // without the new leader's no-op behind it.
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], maxSizePerMsg: 4, seed: 8 });
  const x = 'xxxxxxxx';

  // (a) S1 leads term 1 and replicates x (index 2) to S2 only.
  c.elect('1');
  c.dropIf = (m) => m.from === '1' && m.type === 'app' && ['3', '4', '5'].includes(m.to);
  c.propose('1', x);
  c.stabilize();
  t.equal(c.raw('2').logView().entries[1]?.data, x, 'S2 holds x');
  t.equal(c.status('1').commit, 1, 'x is not committed (2 of 5)');

  // (b) S1 crashes; S5 wins term 2 with S3, S4 and appends its no-op at index 2, which reaches nobody.
  c.crash('1');
  c.isolate('2');
  c.dropIf = (m) => m.from === '5' && m.type === 'app';
  c.elect('5');
  t.equal(c.status('5').term, 2);
  t.same(c.raw('5').logView().entries.map((e) => `${e.index}/${e.term}`), ['1/1', '2/2']);

  // (c) S5 crashes; S1 restarts and wins term 3 with S2, S3, S4. It reaches S2 fully, S4 not at all, and S3
  // only with x: its no-op (index 3) is held back once S3 holds index 2.
  c.crash('5');
  c.heal();
  c.dropIf = (m) =>
    m.from === '1' &&
    m.type === 'app' &&
    (m.to === '4' || (m.to === '3' && m.entries.some((e) => e.index >= 3) && c.raw('3').logView().entries.length >= 2));
  c.restart('1');
  c.campaign('1');
  c.stabilize();
  if (c.status('1').role !== 'leader') c.elect('1'); // S3, S4 voted for S5 in term 2: S1 wins term 3
  c.runTicks(3);
  t.equal(c.status('1').term, 3);
  t.equal(c.raw('3').logView().entries[1]?.data, x, 'S3 now holds x too');
  t.equal(c.status('1').progress?.['3']?.match, 2, 'S1 knows: x is on a majority (S1, S2, S3)');
  t.equal(c.status('1').progress?.['2']?.match, 3);
  t.equal(c.status('1').commit, 1, 'but x is of term 1, and S1 leads term 3: it must not commit it');

  // (d) S1 crashes; S5 restarts and wins with S3 and S4 (its last term 2 beats x's term 1), overwriting x.
  c.crash('1');
  c.dropIf = undefined;
  c.restart('5');
  c.campaign('5');
  c.stabilize();
  if (c.status('5').role !== 'leader') c.elect('5');
  c.stabilize();
  t.equal(c.leader(), '5');
  for (const id of ['2', '3', '4', '5']) {
    t.equal(c.raw(id).logView().entries[1]?.term, 2, `S${id}: index 2 now holds S5's term-2 entry`);
    t.notOk(c.appliedData(id).includes(x), `S${id} never applied x`);
  }
  c.restart('1');
  c.runTicks(3);
  t.notOk(c.appliedData('1').includes(x), 'S1 never applied x either');
  t.equal(c.raw('1').logView().entries[1]?.term, 2, 'S1 was overwritten as well');
  c.checkAll(); // Leader Completeness and State Machine Safety held at every step

});

t.test('a granted vote survives a crash: no second vote in the same term after restart', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], seed: 30 });
  c.isolate('3');
  c.campaign('1');
  c.stabilize();
  t.equal(c.status('2').vote, '1');
  t.equal(c.node('2').disk.hardState.vote, '1', 'the vote is on disk');
  c.crash('2');
  c.restart('2');
  t.equal(c.status('2').vote, '1', 'restored from disk');
  t.equal(c.status('2').term, 1);
  // Node 3 (same term) now asks 2: it must refuse.
  const node2 = c.raw('2');
  node2.step(msg({ type: 'vote', from: '3', to: '2', term: 1, index: 1, logTerm: 1 }));
  const resp = node2.ready().messages.find((m) => m.type === 'voteResp');
  t.equal(resp?.reject, true);
});

t.test('a vote that was never persisted was never sent', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], autoReady: false, seed: 31 });
  c.campaign('1');
  c.processReady('1'); // persists the candidacy and sends the vote requests
  c.deliverOne(0); // a request reaches node 2, which records its vote in memory...
  const sentBy2 = c.inFlight.filter((f) => f.message.from === '2');
  t.equal(sentBy2.length, 0, '...but its answer waits for its Ready');
  c.crash('2'); // ...and crashes before persisting it
  c.restart('2');
  t.equal(c.status('2').vote, NONE, 'nothing was promised');
  t.equal(c.node('2').disk.hardState.vote, NONE);
});

t.test('acknowledged entries survive crashes of every node', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], seed: 32 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 10; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  const before = c.appliedData(lead);
  t.equal(before.length, 10);
  for (const id of c.ids) c.crash(id);
  for (const id of c.ids) c.restart(id);
  for (const id of c.ids) t.ok(c.status(id).commit >= 11, `node ${id} restored its commit index`);
  c.processAllReady();
  for (const id of c.ids) t.same(c.appliedData(id), before, `node ${id} re-applied the committed entries from its disk`);
  const newLead = c.waitForLeader();
  c.propose(newLead, 'after');
  c.stabilize();
  for (const id of c.ids) t.same(c.appliedData(id), [...before, 'after']);
});

t.test('the leader counts its own entry only once it is persisted', async (t) => {
  const solo = newNode({ id: '1', voters: ['1'] });
  solo.campaign();
  t.equal(solo.status().role, 'leader', 'a single voter wins at once');
  let rd = solo.ready();
  t.same(rd.entries.map((e) => e.index), [1], 'its no-op is to be persisted');
  t.equal(rd.committedEntries.length, 0, 'and is not committed yet');
  t.equal(solo.status().commit, 0);
  solo.advance(rd);
  t.equal(solo.status().commit, 1, 'persisted: now it counts');
  solo.propose('a');
  rd = solo.ready();
  t.same(rd.entries.map((e) => e.data), ['a']);
  t.equal(rd.committedEntries.length, 1, 'only the no-op is applied');
  t.equal(rd.hardState?.commit, 1);
  solo.advance(rd);
  rd = solo.ready();
  t.same(rd.committedEntries.map((e) => e.data), ['a'], 'a is committed after its Ready was advanced');
  t.equal(rd.hardState?.commit, 2);
});

t.test('a leader crash before persisting loses only what nobody acknowledged', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], autoReady: false, seed: 33 });
  c.autoReady = true;
  c.elect('1');
  c.autoReady = false;
  c.propose('1', 'never-persisted');
  c.crash('1'); // before its Ready: the entry was neither on its disk nor sent
  t.equal(c.inFlight.filter((f) => f.message.entries.length > 0).length, 0, 'nothing left the node');
  c.restart('1');
  c.autoReady = true;
  c.processAllReady();
  const lead = c.waitForLeader();
  c.propose(lead, 'next');
  c.stabilize();
  for (const id of c.ids) t.same(c.appliedData(id), ['next'], `node ${id}`);
});
