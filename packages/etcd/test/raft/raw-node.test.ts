// The RawNode contract: what a Ready hands out (once), what advance() acknowledges, restarts, status and input
// validation.
import t from 'tap';
import { NONE, RawNode, type RaftConfig } from '../../src/raft/index.js';
import { becomeLeader, drain, entriesWithTerms, msg, newNode } from './helpers.js';

t.test('ready() twice without advance() never hands out the same entries twice', async (t) => {
  const node = newNode({ id: '1', voters: ['1'] });
  node.campaign();
  const first = node.ready();
  t.same(first.entries.map((e) => e.index), [1]);
  node.propose('a');
  const second = node.ready();
  t.same(second.entries.map((e) => e.data), ['a'], 'only the new entry');
  t.equal(second.hardState, undefined, 'the hard state was already handed out');
  t.equal(second.softState, undefined);
  t.equal(node.hasReady(), false);
  node.advance(first);
  const third = node.ready();
  t.same(third.committedEntries.map((e) => e.index), [1], 'the no-op is committed once its Ready was advanced');
  t.same(third.entries, []);
  node.advance(second);
  node.advance(third);
  const fourth = node.ready();
  t.same(fourth.committedEntries.map((e) => e.data), ['a']);
  const fifth = node.ready();
  t.same(fifth.committedEntries, [], 'committed entries are handed out once too');
  node.advance(fourth);
  node.advance(fifth);
  t.equal(node.status().applied, 2);
});

t.test('a follower acknowledges entries in the Ready that carries them to disk', async (t) => {
  const node = newNode({ id: '2', hardState: { term: 1, vote: NONE, commit: 0 } });
  node.step(msg({ type: 'app', from: '1', to: '2', term: 1, index: 0, logTerm: 0, entries: entriesWithTerms(1, 1), commit: 1 }));
  const rd = node.ready();
  t.same(rd.entries.map((e) => e.index), [1, 2], 'to persist');
  t.match(rd.messages, [{ type: 'appResp', index: 2, reject: false }], 'the ack, to send after persisting');
  t.same(rd.hardState, { term: 1, vote: NONE, commit: 1 });
  t.same(rd.committedEntries.map((e) => e.index), [1], 'to apply after persisting');
  t.same(rd.softState, { lead: '1', role: 'follower' });
  node.advance(rd);
  t.equal(node.hasReady(), false);
});

t.test('entries overwritten between ready() and advance() are not marked durable', async (t) => {
  const node = newNode({ id: '2', hardState: { term: 1, vote: NONE, commit: 0 } });
  node.step(msg({ type: 'app', from: '1', to: '2', term: 1, index: 0, logTerm: 0, entries: entriesWithTerms(1, 1, 1) }));
  const rd1 = node.ready();
  // A new leader overwrites index 2..3 before the first Ready is advanced.
  node.step(
    msg({ type: 'app', from: '3', to: '2', term: 2, index: 1, logTerm: 1, entries: [{ term: 2, index: 2, type: 'normal', data: 'n2' }] }),
  );
  const rd2 = node.ready();
  t.same(rd2.entries.map((e) => `${e.index}/${e.term}`), ['2/2'], 'the overwrite is handed out');
  node.advance(rd1); // the old 2..3 were persisted, but no longer match the log
  t.same(node.logView().entries.map((e) => `${e.index}/${e.term}`), ['1/1', '2/2']);
  node.advance(rd2);
  t.equal(node.hasReady(), false);
});

t.test('a restarted node resumes from its hard state and log', async (t) => {
  const node = newNode({ id: '1', entries: entriesWithTerms(1, 2, 2), hardState: { term: 3, vote: '2', commit: 2 } });
  t.match(node.status(), { id: '1', term: 3, vote: '2', commit: 2, applied: 0, lead: NONE, role: 'follower', leadTransferee: NONE });
  t.equal(node.status().progress, undefined, 'no progress on a follower');
  const rd = drain(node);
  t.equal(rd.hardState, undefined, 'nothing new to persist');
  t.same(rd.committedEntries.map((e) => e.index), [1, 2], 'committed entries are applied again');
  t.throws(() => newNode({ entries: entriesWithTerms(1), hardState: { term: 1, vote: NONE, commit: 3 } }), /beyond the stored log/);
  t.throws(() => newNode({ entries: [{ term: 1, index: 4, type: 'normal', data: '' }] }), /start at 4/);
});

t.test('status reports the leader view of every member', async (t) => {
  const node = newNode({ id: '1' });
  becomeLeader(node);
  drain(node);
  node.step(msg({ type: 'appResp', from: '2', to: '1', term: 1, index: 1 }));
  const s = node.status();
  t.equal(s.role, 'leader');
  t.equal(s.lead, '1');
  t.same(Object.keys(s.progress ?? {}).sort(), ['1', '2', '3']);
  t.match(s.progress?.['2'], { match: 1, next: 2, state: 'replicate' });
  t.match(s.progress?.['3'], { match: 0, state: 'probe' });
  t.same(s.confState, { voters: ['1', '2', '3'], learners: [] });
});

t.test('step ignores local-only message types and messages claiming to be from us', async (t) => {
  const node = newNode({ id: '1' });
  node.step(msg({ type: 'hup', from: '2', to: '1' }));
  node.step(msg({ type: 'heartbeat', from: '1', to: '1', term: 5 }));
  t.equal(node.status().role, 'follower');
  t.equal(node.status().term, 0);
  t.equal(node.hasReady(), false);
});

t.test('stale-term messages are ignored; a stale leader is told the newer term', async (t) => {
  const node = newNode({ id: '2', hardState: { term: 5, vote: NONE, commit: 0 }, checkQuorum: true });
  node.step(msg({ type: 'app', from: '1', to: '2', term: 3, index: 0, logTerm: 0, entries: entriesWithTerms(1) }));
  const rd = drain(node);
  t.same(rd.entries, [], 'nothing appended');
  t.match(rd.messages, [{ type: 'appResp', to: '1', term: 5 }], 'the answer carries our term so the old leader steps down');
});

t.test('invalid configurations are refused', async (t) => {
  const base: RaftConfig = {
    id: '1',
    electionTick: 10,
    heartbeatTick: 1,
    storage: { hardState: { term: 0, vote: NONE, commit: 0 }, entries: [], confState: { voters: ['1'], learners: [] } },
    maxSizePerMsg: 1024,
    maxInflightMsgs: 8,
    preVote: false,
    checkQuorum: false,
    random: () => 0,
  };
  t.throws(() => new RawNode({ ...base, id: NONE }), /must not be 0/);
  t.throws(() => new RawNode({ ...base, electionTick: 1 }), /electionTick/);
  t.throws(() => new RawNode({ ...base, heartbeatTick: 0 }), /heartbeatTick/);
  t.throws(() => new RawNode({ ...base, maxInflightMsgs: 0 }), /maxInflightMsgs/);
  t.doesNotThrow(() => new RawNode(base));
});
