// §5.2 Leader election: one leader per term, one vote per term, randomized timeouts, split votes, and etcd's
// pre-vote and check-quorum extensions.
import t from 'tap';
import { NONE, RawNode, type Message } from '../../src/raft/index.js';
import { drain, drainMessages, msg, newNode } from './helpers.js';
import { Cluster } from './sim-network.js';

t.test('a healthy cluster elects exactly one leader that everyone follows', async (t) => {
  for (const size of [1, 3, 5]) {
    const ids = Array.from({ length: size }, (_, i) => String(i + 1));
    const c = new Cluster({ ids, seed: size });
    const lead = c.waitForLeader();
    t.equal(c.leaders().length, 1, `${size} nodes: one leader`);
    for (const id of ids) {
      t.equal(c.status(id).lead, lead, `${size} nodes: node ${id} follows ${lead}`);
      t.equal(c.status(id).term, c.status(lead).term, `${size} nodes: node ${id} is in the leader's term`);
    }
  }
});

t.test('a node grants one vote per term, and the vote is persisted in the Ready that sends it', async (t) => {
  const node = newNode({ id: '1', voters: ['1', '2', '3'], hardState: { term: 1, vote: NONE, commit: 0 } });
  node.step(msg({ type: 'vote', from: '2', to: '1', term: 2, index: 0, logTerm: 0 }));
  const rd = node.ready();
  t.same(rd.hardState, { term: 2, vote: '2', commit: 0 }, 'the vote is in the hard state to persist');
  const granted = rd.messages.find((m) => m.type === 'voteResp');
  t.equal(granted?.reject, false, 'vote granted to 2');
  t.equal(granted?.to, '2');
  node.advance(rd);

  node.step(msg({ type: 'vote', from: '3', to: '1', term: 2, index: 0, logTerm: 0 }));
  const second = drainMessages(node).find((m) => m.type === 'voteResp');
  t.equal(second?.reject, true, 'a second candidate in the same term is refused');

  // The same after a restart from what was persisted.
  const restarted = newNode({ id: '1', voters: ['1', '2', '3'], hardState: rd.hardState! });
  restarted.step(msg({ type: 'vote', from: '3', to: '1', term: 2, index: 0, logTerm: 0 }));
  t.equal(drainMessages(restarted).find((m) => m.type === 'voteResp')?.reject, true, 'still refused after restart');
  restarted.step(msg({ type: 'vote', from: '2', to: '1', term: 2, index: 0, logTerm: 0 }));
  t.equal(drainMessages(restarted).find((m) => m.type === 'voteResp')?.reject, false, 'repeating the same vote is fine');
});

t.test('a candidate votes for itself and asks every voter with its last log position', async (t) => {
  const node = newNode({ id: '1', voters: ['1', '2', '3'], hardState: { term: 3, vote: NONE, commit: 0 }, entries: [{ term: 3, index: 1, type: 'normal', data: 'x' }] });
  node.campaign();
  const rd = drain(node);
  t.equal(rd.softState?.role, 'candidate');
  t.same(rd.hardState, { term: 4, vote: '1', commit: 0 });
  const requests = rd.messages.filter((m) => m.type === 'vote');
  t.same(requests.map((m) => m.to).sort(), ['2', '3']);
  for (const m of requests) t.match(m, { term: 4, index: 1, logTerm: 3 });
  node.step(msg({ type: 'voteResp', from: '2', to: '1', term: 4, reject: true }));
  node.step(msg({ type: 'voteResp', from: '3', to: '1', term: 4, reject: true }));
  t.equal(node.status().role, 'follower', 'a majority of rejections ends the candidacy');
});

t.test('split votes resolve in a later term thanks to randomized timeouts', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4'], seed: 11 });
  // 1 and 2 campaign at once; 3 hears only 1 and 4 hears only 2 first: 2 votes each, 3 needed.
  c.dropIf = (m) => m.type === 'vote' && ((m.from === '1' && m.to === '4') || (m.from === '2' && m.to === '3'));
  c.campaign('1');
  c.campaign('2');
  c.stabilize();
  t.equal(c.leaders().length, 0, 'no leader in term 1');
  t.equal(c.status('1').term, 1);
  t.equal(c.status('2').term, 1);
  c.dropIf = undefined;
  const lead = c.waitForLeader();
  t.ok(c.status(lead).term >= 2, 'elected in a later term');
  t.equal(c.leaders().length, 1);
});

t.test('election timeouts are randomized in [electionTick, 2*electionTick)', async (t) => {
  const electionTick = 10;
  const observed = new Set<number>();
  for (let seed = 1; seed <= 40; seed++) {
    // A lone voter of a 3-node cluster with nobody answering: count ticks until it campaigns.
    const c = new Cluster({ ids: ['1', '2', '3'], electionTick, seed });
    c.isolate('1');
    let ticks = 0;
    while (c.status('1').role === 'follower' && ticks < 100) {
      c.tick('1');
      ticks++;
    }
    t.ok(ticks >= electionTick && ticks < 2 * electionTick, `seed ${seed}: campaigned after ${ticks} ticks`);
    observed.add(ticks);
  }
  t.ok(observed.size >= 5, `timeouts vary (${[...observed].sort((a, b) => a - b).join(',')})`);
});

t.test('the randomized timeout comes from config.random and is redrawn at each term', async (t) => {
  const asked: number[] = [];
  let next = 3;
  const node = new RawNode({
    id: '1',
    electionTick: 5,
    heartbeatTick: 1,
    storage: { hardState: { term: 0, vote: NONE, commit: 0 }, entries: [], confState: { voters: ['1', '2', '3'], learners: [] } },
    maxSizePerMsg: 1024,
    maxInflightMsgs: 4,
    preVote: false,
    checkQuorum: false,
    random: (n) => {
      asked.push(n);
      return next;
    },
  });
  t.ok(asked.length >= 1 && asked.every((n) => n === 5), 'asks for a value in [0, electionTick)');
  for (let i = 0; i < 7; i++) node.tick();
  t.equal(node.status().role, 'follower', 'not before electionTick + 3 ticks');
  next = 0;
  const before = asked.length;
  node.tick();
  t.equal(node.status().role, 'candidate', 'campaigns after electionTick + 3 ticks');
  t.ok(asked.length > before, 'the new term drew a new timeout');
  for (let i = 0; i < 4; i++) node.tick();
  t.equal(node.status().term, 1, 'still in its first candidacy');
  node.tick();
  t.equal(node.status().term, 2, 'the new timeout (electionTick + 0) elapsed: second campaign');
});

t.test('pre-vote: a partitioned node does not inflate its term nor disrupt the leader when it returns', async (t) => {
  const withPreVote = new Cluster({ ids: ['1', '2', '3'], preVote: true, seed: 3 });
  const lead = withPreVote.waitForLeader();
  const term = withPreVote.status(lead).term;
  const loner = withPreVote.ids.find((id) => id !== lead)!;
  withPreVote.isolate(loner);
  withPreVote.runTicks(60);
  t.equal(withPreVote.status(loner).term, term, 'the isolated pre-candidate never bumped its term');
  t.equal(withPreVote.status(loner).role, 'preCandidate');
  withPreVote.heal();
  withPreVote.runTicks(20);
  t.equal(withPreVote.leader(), lead, 'the leader kept its leadership');
  t.equal(withPreVote.status(lead).term, term, 'and its term');
  t.equal(withPreVote.status(loner).lead, lead, 'the returning node follows it');

  // Control: without pre-vote the same story disrupts the cluster.
  const without = new Cluster({ ids: ['1', '2', '3'], preVote: false, seed: 3 });
  const lead2 = without.waitForLeader();
  const term2 = without.status(lead2).term;
  const loner2 = without.ids.find((id) => id !== lead2)!;
  without.isolate(loner2);
  without.runTicks(60);
  t.ok(without.status(loner2).term > term2 + 2, 'without pre-vote the isolated node keeps bumping its term');
  without.heal();
  without.runTicks(40);
  without.waitForLeader();
  t.ok(without.status(without.leader()!).term > term2, 'and forces a new election when it returns');
});

t.test('pre-vote: a real election follows a successful pre-vote', async (t) => {
  const node = newNode({ id: '1', preVote: true, hardState: { term: 5, vote: NONE, commit: 0 } });
  node.campaign();
  let rd = drain(node);
  t.equal(node.status().role, 'preCandidate');
  t.equal(node.status().term, 5, 'a pre-candidate keeps its term');
  t.equal(rd.hardState, undefined, 'nothing to persist for a pre-vote');
  const preVotes = rd.messages.filter((m) => m.type === 'preVote');
  t.equal(preVotes.length, 2);
  t.ok(preVotes.every((m) => m.term === 6), 'asks for term + 1');
  node.step(msg({ type: 'preVoteResp', from: '2', to: '1', term: 6 }));
  rd = drain(node);
  t.equal(node.status().role, 'candidate', 'a pre-vote majority starts the real election');
  t.equal(node.status().term, 6);
  t.ok(rd.messages.filter((m) => m.type === 'vote').every((m) => m.term === 6));
});

t.test('pre-vote requests do not change the receiver term or vote', async (t) => {
  const node = newNode({ id: '2', hardState: { term: 5, vote: '3', commit: 0 } });
  node.step(msg({ type: 'preVote', from: '1', to: '2', term: 6, index: 0, logTerm: 0 }));
  const rd = drain(node);
  t.equal(rd.messages[0]?.type, 'preVoteResp');
  t.equal(rd.messages[0]?.reject, false, 'granted: a pre-vote for a future term binds nothing');
  t.equal(rd.hardState, undefined, 'term and vote unchanged');
  t.equal(node.status().term, 5);
  t.equal(node.status().vote, '3');
});

t.test('check-quorum: a leader that cannot hear from a quorum steps down', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], checkQuorum: true, seed: 5 });
  const lead = c.waitForLeader();
  c.isolate(lead);
  // Checked every election timeout; the window in progress at isolation may still count the old acks.
  c.runTicks(2 * 10);
  t.equal(c.status(lead).role, 'follower', 'the isolated leader stepped down');
  t.ok(c.leaders().every((id) => id !== lead));

  const control = new Cluster({ ids: ['1', '2', '3'], checkQuorum: false, seed: 5 });
  const lead2 = control.waitForLeader();
  control.isolate(lead2);
  control.runTicks(30);
  t.equal(control.status(lead2).role, 'leader', 'without check-quorum it believes it still leads');
});

t.test('leader stickiness: a follower that hears its leader ignores a disruptive candidate', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], checkQuorum: true, seed: 9 });
  c.elect('1');
  c.runTicks(2);
  const term = c.status('1').term;
  const granted: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'voteResp' && !m.reject) granted.push(m);
  };
  // 3 loses its link to the leader only: it times out and campaigns with higher terms; 2 still hears 1.
  c.cut('1', '3');
  c.runTicks(45);
  t.ok(c.status('3').term > term, 'node 3 campaigned');
  t.equal(granted.length, 0, 'nobody granted it a vote');
  t.equal(c.status('2').term, term, 'node 2 ignored the higher-term requests');
  t.equal(c.status('1').role, 'leader', 'the leader is undisturbed');
  t.equal(c.status('2').lead, '1');
});

t.test('without check-quorum a higher-term candidate deposes a healthy leader', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3'], checkQuorum: false, seed: 9 });
  c.elect('1');
  const term = c.status('1').term;
  c.cut('1', '3');
  c.runTicks(45);
  t.ok(c.status('2').term > term, 'node 2 moved to the candidate term');
});

t.test('a node outside the configuration never campaigns', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4'], voters: ['1', '2', '3'] });
  c.runTicks(50);
  t.equal(c.status('4').role, 'follower');
  t.equal(c.status('4').term, 0, 'it never started an election');
  c.campaign('4');
  c.stabilize();
  t.not(c.status('4').role, 'candidate', 'an explicit campaign is ignored too');
  t.not(c.leader(), '4');
});

t.test('a candidate that hears from a leader of its term becomes its follower', async (t) => {
  const node = newNode({ id: '1', hardState: { term: 1, vote: NONE, commit: 0 } });
  node.campaign();
  drain(node);
  t.equal(node.status().role, 'candidate');
  node.step(msg({ type: 'heartbeat', from: '2', to: '1', term: 2, commit: 0 }));
  t.equal(node.status().role, 'follower');
  t.equal(node.status().lead, '2');
  t.equal(node.status().term, 2);
});
