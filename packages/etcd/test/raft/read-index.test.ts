// Linearizable reads by ReadIndex (thesis §6.4): the read index is the leader's commit index, released once a
// heartbeat round confirms the leader still leads and the leader has committed an entry of its own term.
import t from 'tap';
import { ProposalDroppedError, type Message } from '../../src/raft/index.js';
import { becomeLeader, drain, drainMessages, msg, newNode } from './helpers.js';
import { Cluster } from './sim-network.js';

t.test('a leader answers a read after a quorum acknowledged a heartbeat sent after it', async (t) => {
  const c = new Cluster({ seed: 60 });
  const lead = c.waitForLeader();
  for (let i = 0; i < 3; i++) c.propose(lead, `v${i}`);
  c.stabilize();
  const heartbeats: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'heartbeat') heartbeats.push(m);
  };
  c.holdIf = (m) => m.type === 'heartbeatResp';
  c.readIndex(lead, 'r1');
  c.stabilize();
  t.ok(heartbeats.length === 2 && heartbeats.every((m) => m.context === 'r1'), 'a heartbeat round carries the request');
  t.same(c.node(lead).readStates, [], 'nothing before the acknowledgements');
  c.holdIf = undefined;
  c.stabilize();
  t.same(c.node(lead).readStates, [{ index: c.status(lead).commit, requestCtx: 'r1' }]);
});

t.test('a follower read is forwarded to the leader and answered with its commit index', async (t) => {
  const c = new Cluster({ seed: 61 });
  const lead = c.waitForLeader();
  c.propose(lead, 'x');
  c.stabilize();
  const follower = c.ids.find((id) => id !== lead)!;
  const forwarded: Message[] = [];
  c.onSend = (m) => {
    if (m.type === 'readIndex' || m.type === 'readIndexResp') forwarded.push(m);
  };
  c.readIndex(follower, 'f1');
  c.stabilize();
  t.same(
    forwarded.map((m) => `${m.type} ${m.from}->${m.to}`),
    [`readIndex ${follower}->${lead}`, `readIndexResp ${lead}->${follower}`],
  );
  t.same(c.node(follower).readStates, [{ index: c.status(lead).commit, requestCtx: 'f1' }]);
  t.same(c.node(lead).readStates, [], 'the leader does not keep it');
});

t.test('one heartbeat round confirms every read queued before it', async (t) => {
  const c = new Cluster({ ids: ['1', '2', '3', '4', '5'], seed: 62 });
  const lead = c.waitForLeader();
  c.holdIf = (m) => m.type === 'heartbeatResp';
  for (let i = 1; i <= 5; i++) c.readIndex(lead, `r${i}`);
  c.stabilize();
  // Only the answers to the last request's heartbeat get through.
  c.dropIf = (m) => m.type === 'heartbeatResp' && m.context !== 'r5';
  c.holdIf = undefined;
  c.stabilize();
  const states = c.node(lead).readStates;
  t.same(states.map((s) => s.requestCtx), ['r1', 'r2', 'r3', 'r4', 'r5'], 'all released, in order');
  t.ok(states.every((s) => s.index === c.status(lead).commit));
});

t.test('the periodic heartbeat carries the newest pending read', async (t) => {
  const c = new Cluster({ seed: 63 });
  const lead = c.waitForLeader();
  c.dropIf = (m) => m.type === 'heartbeatResp'; // the request's own round is lost
  c.readIndex(lead, 'lost-round');
  c.stabilize();
  t.same(c.node(lead).readStates, []);
  c.dropIf = undefined;
  const contexts: string[] = [];
  c.onSend = (m) => {
    if (m.type === 'heartbeat') contexts.push(m.context);
  };
  c.runTicks(1);
  t.ok(contexts.includes('lost-round'), 'the next heartbeat retries it');
  t.same(c.node(lead).readStates.map((s) => s.requestCtx), ['lost-round']);
});

t.test('a new leader holds reads until it has committed an entry of its term', async (t) => {
  const node = newNode({ id: '1', voters: ['1', '2', '3'] });
  becomeLeader(node);
  drain(node); // the no-op (index 1) is persisted but not yet acknowledged by anyone
  node.readIndex('early');
  const sent = drainMessages(node);
  t.notOk(sent.some((m) => m.type === 'heartbeat' && m.context === 'early'), 'no confirmation round yet');
  node.step(msg({ type: 'appResp', from: '2', to: '1', term: 1, index: 1 }));
  const after = drainMessages(node);
  t.equal(node.status().commit, 1, 'the no-op committed');
  const round = after.filter((m) => m.type === 'heartbeat' && m.context === 'early');
  t.equal(round.length, 2, 'now the request goes out with a heartbeat round');
  node.step(msg({ type: 'heartbeatResp', from: '3', to: '1', term: 1, context: 'early' }));
  const rd = drain(node);
  t.same(rd.readStates, [{ index: 1, requestCtx: 'early' }]);
});

t.test('a deposed leader cut off from the majority cannot answer reads', async (t) => {
  const c = new Cluster({ seed: 64 });
  c.elect('1');
  c.isolate('1');
  c.elect('2');
  c.propose('2', 'newer');
  c.stabilize();
  t.equal(c.status('1').role, 'leader', 'node 1 still believes it leads');
  c.readIndex('1', 'stale-read');
  c.runTicks(20);
  t.same(c.node('1').readStates, [], 'never confirmed');
  c.heal();
  c.runTicks(5);
  t.same(c.node('1').readStates, [], 'and dropped when it learns the new term');
  c.readIndex('1', 'fresh-read');
  c.stabilize();
  t.same(c.node('1').readStates, [{ index: c.status('2').commit, requestCtx: 'fresh-read' }], 'served via the new leader');
});

t.test('a single-member cluster answers reads without a heartbeat round', async (t) => {
  const c = new Cluster({ ids: ['1'] });
  c.elect('1');
  c.propose('1', 'a');
  c.stabilize();
  c.readIndex('1', 'solo');
  t.same(c.node('1').readStates, [{ index: 2, requestCtx: 'solo' }]);
});

t.test('reads need a leader and a request context', async (t) => {
  const c = new Cluster();
  t.throws(() => c.readIndex('1', 'r'), ProposalDroppedError, 'no leader known');
  const lead = c.waitForLeader();
  t.throws(() => c.raw(lead).readIndex(''), /non-empty/);
});
