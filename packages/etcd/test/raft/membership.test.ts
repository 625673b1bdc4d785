// §6 Cluster membership changes, one server at a time (thesis §4.1): a change takes effect when applied, quorums
// follow the new configuration, only one change may be pending, new members catch up by log or snapshot, and a
// removed leader steps down.
import t from 'tap';
import { ProposalDroppedError, type ConfChange, type Message } from '../../src/raft/index.js';
import { becomeLeader, drain, newNode } from './helpers.js';
import { Cluster } from './sim-network.js';

const add = (nodeId: string): ConfChange => ({ type: 'addNode', nodeId, context: `member ${nodeId}` });
const remove = (nodeId: string): ConfChange => ({ type: 'removeNode', nodeId, context: '' });

/** Runs ticks until every live node applied `value`. */
function settle(c: Cluster, ticks = 10): void {
  c.stabilize();
  c.runTicks(ticks);
}

t.test('a new member starts empty, catches up by log and counts toward the quorum', async (t) => {
  // Bootstrapped as etcd does (the initial members are conf-change entries in the log), so a new member learns
  // the whole configuration by replaying the log.
  const c = new Cluster({ ids: ['1', '2', '3', '4'], voters: ['1', '2', '3'], bootstrap: 'log', seed: 50 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 5; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  t.equal(c.appliedData('4').length, 0, 'not a member yet: it received nothing');
  c.proposeConfChange(lead, add('4'));
  settle(c, 3);
  for (const id of c.ids) t.same(c.status(id).confState.voters, ['1', '2', '3', '4'], `node ${id} applied the change`);
  t.same(c.appliedData('4'), c.appliedData(lead), 'the new member replayed the whole log');
  t.equal(c.status(lead).progress?.['4']?.state, 'replicate');

  // Four voters: a quorum is three. With two of the old members down nothing commits.
  const others = ['1', '2', '3'].filter((id) => id !== lead);
  c.crash(others[0]!);
  c.crash(others[1]!);
  c.propose(lead, 'needs-three');
  c.runTicks(5);
  t.notOk(c.appliedData(lead).includes('needs-three'), 'leader + new member are not a quorum of four');
  c.restart(others[0]!);
  c.runTicks(5);
  t.ok(c.appliedData(lead).includes('needs-three'), 'three of four commit');
  t.ok(c.appliedData('4').includes('needs-three'));
});

t.test('a new member catches up by snapshot when the log it needs was compacted', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4'], voters: ['1', '2', '3'], seed: 51 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 20; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  for (const id of ['1', '2', '3']) c.snapshot(id);
  const snaps: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'snap') snaps.push(m);
  };
  c.proposeConfChange(lead, add('4'));
  settle(c, 3);
  t.equal(snaps.length, 1, 'the leader shipped its snapshot');
  t.same(snaps[0]?.snapshot?.metadata.confState.voters, ['1', '2', '3'], 'taken before the change');
  t.same(c.status('4').confState.voters, ['1', '2', '3', '4'], 'the change itself came by log');
  t.same(c.appliedData('4'), c.appliedData(lead));
  c.propose(lead, 'after');
  settle(c, 2);
  t.equal(c.appliedData('4').at(-1), 'after');
});

t.test('after removing members, quorums follow the smaller configuration', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], seed: 52 });
  c.elect('1');
  c.proposeConfChange('1', remove('5'));
  settle(c, 2);
  c.proposeConfChange('1', remove('4'));
  settle(c, 2);
  for (const id of ['1', '2', '3']) t.same(c.status(id).confState.voters, ['1', '2', '3']);
  c.crash('4');
  c.crash('5');
  c.crash('3');
  c.propose('1', 'two-of-three');
  c.runTicks(3);
  t.same(c.appliedData('2').at(-1), 'two-of-three', 'nodes 1 and 2 are a quorum of the 3-voter configuration');
  t.equal(c.status('1').progress?.['5'], undefined, 'no progress tracked for a removed member');
});

t.test('a removed leader steps down and the others elect a new leader', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], seed: 53 });
  c.elect('1');
  c.propose('1', 'before');
  c.stabilize();
  c.proposeConfChange('1', remove('1'));
  c.stabilize();
  t.equal(c.status('1').role, 'follower', 'the removed leader stepped down once it applied its removal');
  t.throws(() => c.propose('1', 'x'), ProposalDroppedError, 'it knows no leader');
  c.runTicks(40);
  const lead = c.leader();
  t.ok(lead === '2' || lead === '3', `a remaining member leads (${lead})`);
  t.same(c.status(lead!).confState.voters, ['2', '3']);
  c.propose(lead!, 'after');
  c.stabilize();
  t.same(c.appliedData('2'), ['before', 'after']);
  t.same(c.appliedData('3'), ['before', 'after']);
  t.equal(c.status('1').role, 'follower', 'the removed node never campaigned');
  t.notOk(c.appliedData('1').includes('after'), 'and no longer receives entries');
});

t.test('only one configuration change may be pending at a time', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], voters: ['1', '2', '3'], seed: 54 });
  c.elect('1');
  c.proposeConfChange('1', add('4'));
  t.throws(() => c.proposeConfChange('1', add('5')), ProposalDroppedError, 'refused while the first is unapplied');
  c.stabilize();
  c.proposeConfChange('1', add('5'));
  c.stabilize();
  t.same(c.status('1').confState.voters, ['1', '2', '3', '4', '5'], 'accepted once the first was applied');

  // A follower holding an unapplied conf change in its log refuses too.
  c.holdIf = (m) => m.to === '2' && m.type === 'app' && m.entries.length === 0; // commit news for 2 waits
  c.proposeConfChange('1', remove('5'));
  c.stabilize();
  t.ok(c.raw('2').logView().entries.some((e) => e.type === 'confChange' && e.data.includes('removeNode')), 'node 2 has the entry');
  t.ok(c.status('2').applied < c.raw('2').logView().entries.at(-1)!.index, 'but has not applied it');
  t.throws(() => c.proposeConfChange('2', remove('4')), ProposalDroppedError, 'so it refuses another one');
  c.holdIf = undefined;
  c.runTicks(2);
  t.same(c.status('1').confState.voters, ['1', '2', '3', '4']);
});

t.test('a conf change forwarded while another is pending becomes a no-op entry', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], voters: ['1', '2', '3'], seed: 55 });
  c.elect('1');
  c.holdIf = (m) => m.type === 'prop';
  c.proposeConfChange('2', add('5')); // forwarded by follower 2, held in the network
  c.proposeConfChange('1', add('4'));
  c.holdIf = undefined;
  c.stabilize();
  const confChanges = c.node('3').applied.filter((e) => e.type === 'confChange');
  t.equal(confChanges.length, 1, 'only the first change reached the log');
  t.same(c.status('3').confState.voters, ['1', '2', '3', '4']);
});

t.test('learners receive the log but neither vote nor count toward commits', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4'], voters: ['1', '2', '3'], bootstrap: 'log', seed: 56 });
  c.elect('1');
  c.proposeConfChange('1', { type: 'addLearner', nodeId: '4', context: '' });
  settle(c, 2);
  t.same(c.status('1').confState, { voters: ['1', '2', '3'], learners: ['4'] });
  c.propose('1', 'to-learner');
  c.stabilize();
  t.equal(c.appliedData('4').at(-1), 'to-learner', 'the learner replicates');
  c.crash('2');
  c.crash('3');
  c.propose('1', 'no-quorum');
  c.runTicks(3);
  t.notOk(c.appliedData('1').includes('no-quorum'), 'leader + learner are no quorum');
  c.isolate('4');
  c.runTicks(40);
  t.equal(c.status('4').role, 'follower', 'a learner never campaigns');
  c.heal();
  c.restart('2');
  c.restart('3');
  c.waitForLeader();
  c.proposeConfChange(c.leader()!, add('4'));
  settle(c, 3);
  t.same(c.status('4').confState, { voters: ['1', '2', '3', '4'], learners: [] }, 'promoted to voter');
});

t.test('applyConfChange: node 0 is a no-op, and snapshots carry the configuration of their index', async (t) => {
  const node = newNode({ id: '1', voters: ['1'] });
  node.campaign();
  drain(node);
  drain(node);
  t.same(node.applyConfChange({ type: 'addNode', nodeId: '0', context: '' }), { voters: ['1'], learners: [] });
  node.proposeConfChange(add('2'));
  drain(node); // persist
  const rd = node.ready(); // apply
  t.equal(rd.committedEntries[0]?.type, 'confChange');
  const cs = node.applyConfChange(add('2'));
  node.advance(rd);
  t.same(cs.voters, ['1', '2']);
  const index = rd.committedEntries[0]!.index;
  t.same(node.createSnapshot(index - 1, new Uint8Array()).metadata.confState.voters, ['1'], 'before the change');
  t.same(node.createSnapshot(index, new Uint8Array()).metadata.confState.voters, ['1', '2'], 'at the change');
  t.equal(node.status().role, 'leader', 'a two-voter leader stays leader');
  t.doesNotThrow(() => node.proposeConfChange(add('3')), 'the next change is accepted once the previous one is applied');
  t.throws(() => node.proposeConfChange(add('4')), ProposalDroppedError, 'but not a third while that one is pending');
});

t.test('a leader that adds a member needs it for quorum right after applying the change', async (t) => {
  const node = newNode({ id: '1', voters: ['1', '2', '3'] });
  becomeLeader(node);
  drain(node);
  node.applyConfChange(add('4'));
  t.same(Object.keys(node.status().progress ?? {}).sort(), ['1', '2', '3', '4']);
  t.equal(node.status().progress?.['4']?.match, 0, 'the new member starts empty');
});
