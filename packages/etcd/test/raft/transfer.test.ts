// Leadership transfer (thesis §3.10, etcd's MsgTransferLeader / MsgTimeoutNow): the leader brings the transferee
// up to date, tells it to campaign at once, and drops proposals meanwhile; the transfer is abandoned after an
// election timeout.
import t from 'tap';
import { CAMPAIGN_TRANSFER_CONTEXT, NONE, ProposalDroppedError, type Message } from '../../src/raft/index.js';
import { Cluster } from './sim-network.js';

t.test('leadership moves to an up-to-date follower', async (t) => {
  const c = new Cluster({ seed: 70 });
  c.elect('1');
  c.propose('1', 'a');
  c.stabilize();
  const term = c.status('1').term;
  const sent: Message[] = [];
  c.onSend = (m) => sent.push(m);
  c.transferLeader('1', '3');
  c.stabilize();
  t.equal(c.leader(), '3');
  t.equal(c.status('3').term, term + 1);
  t.equal(c.status('1').role, 'follower');
  t.equal(c.status('1').lead, '3');
  t.ok(sent.some((m) => m.type === 'timeoutNow' && m.from === '1' && m.to === '3'), 'the leader told it to campaign now');
  t.ok(sent.filter((m) => m.type === 'vote').every((m) => m.context === CAMPAIGN_TRANSFER_CONTEXT), 'a transfer campaign');
  c.propose('3', 'b');
  c.stabilize();
  for (const id of c.ids) t.same(c.appliedData(id), ['a', 'b']);
});

t.test('a lagging transferee is caught up before it is told to campaign', async (t) => {
  const c = new Cluster({ seed: 71 });
  c.elect('1');
  c.holdIf = (m) => m.to === '3' && m.type === 'app';
  for (let i = 0; i < 5; i++) c.propose('1', `v${i}`);
  c.stabilize();
  t.ok(c.status('1').progress!['3']!.match < c.raw('1').logView().entries.at(-1)!.index, '3 is behind');
  c.holdIf = undefined;
  const atTimeoutNow: Array<{ match: number; last: number }> = [];
  c.onSend = (m) => {
    if (m.type === 'timeoutNow') {
      atTimeoutNow.push({ match: c.status('1').progress!['3']!.match, last: c.raw('1').logView().entries.at(-1)!.index });
    }
  };
  c.transferLeader('1', '3');
  c.stabilize();
  t.equal(c.leader(), '3');
  t.equal(atTimeoutNow.length, 1);
  t.equal(atTimeoutNow[0]?.match, atTimeoutNow[0]?.last, 'timeoutNow only once the transferee holds the whole log');
  t.same(c.appliedData('3').slice(0, 5), ['v0', 'v1', 'v2', 'v3', 'v4']);
});

t.test('proposals are dropped while a transfer is in progress', async (t) => {
  const c = new Cluster({ seed: 72 });
  c.elect('1');
  c.holdIf = (m) => m.to === '3';
  c.propose('1', 'x');
  c.stabilize();
  c.transferLeader('1', '3');
  c.stabilize();
  t.equal(c.status('1').leadTransferee, '3');
  t.throws(() => c.propose('1', 'during'), ProposalDroppedError);
  t.throws(() => c.proposeConfChange('1', { type: 'addNode', nodeId: '4', context: '' }), ProposalDroppedError);
  c.holdIf = undefined;
  c.stabilize();
  t.equal(c.leader(), '3', 'the transfer completed');
});

t.test('a transfer that cannot complete is abandoned after an election timeout', async (t) => {
  const c = new Cluster({ seed: 73 });
  c.elect('1');
  c.crash('3');
  c.transferLeader('1', '3');
  c.stabilize();
  t.equal(c.status('1').leadTransferee, '3');
  t.throws(() => c.propose('1', 'blocked'), ProposalDroppedError);
  c.runTicks(10);
  t.equal(c.status('1').leadTransferee, NONE, 'abandoned');
  t.equal(c.leader(), '1', 'still the leader');
  c.propose('1', 'flows-again');
  c.stabilize();
  t.same(c.appliedData('2'), ['flows-again']);
});

t.test('a transfer campaign bypasses pre-vote and leader stickiness', async (t) => {
  const c = new Cluster({ preVote: true, checkQuorum: true, seed: 74 });
  c.elect('1');
  c.runTicks(2);
  const preVotes: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'preVote') preVotes.push(m);
  };
  c.dropIf = (m) => m.type === 'vote' && m.to === '1'; // 2 can only win with the vote of 3
  c.transferLeader('1', '2');
  c.stabilize();
  t.equal(c.leader(), '2', 'node 3 voted although it had just heard from node 1');
  t.equal(preVotes.length, 0, 'no pre-vote round');
});

t.test('a follower forwards a transfer request to its leader', async (t) => {
  const c = new Cluster({ seed: 75 });
  c.elect('1');
  c.transferLeader('2', '2');
  c.stabilize();
  t.equal(c.leader(), '2');
});

t.test('transfers to the leader itself, to a non-member or to a learner are ignored', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4'], voters: ['1', '2', '3'], learners: ['4'], seed: 76 });
  c.elect('1');
  for (const to of ['1', '9', '4']) {
    c.transferLeader('1', to);
    c.stabilize();
    t.equal(c.status('1').leadTransferee, NONE, `to ${to}`);
    t.equal(c.leader(), '1');
  }
  t.doesNotThrow(() => c.propose('1', 'ok'));
});

t.test('a second transfer request replaces the first', async (t) => {
  const c = new Cluster({ seed: 77 });
  c.elect('1');
  c.holdIf = (m) => m.to === '2' || m.to === '3';
  c.propose('1', 'x');
  c.stabilize();
  c.transferLeader('1', '2');
  c.transferLeader('1', '3');
  t.equal(c.status('1').leadTransferee, '3');
  c.holdIf = (m) => m.to === '2';
  c.stabilize();
  t.equal(c.leader(), '3');
});
