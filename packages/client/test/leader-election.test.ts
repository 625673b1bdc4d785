// Leader election timing on fake clocks and an in-memory compare-and-swap lock: one leader at a time, renewals,
// losing the lease when renewals fail, takeover only after leaseDuration of silence on the candidate's own clock
// (whatever the holder's clock says), and immediate takeover after a release.
import t from 'tap';
import { AbortedError, ApiError, FakeClock, LeaderElector, NetworkError, type Clock, type LeaderElectionRecord, type LockCallOptions, type ResourceLock } from '../src/index.js';

class LockServer {
  record: LeaderElectionRecord | undefined;
  version = 0;
  writes: LeaderElectionRecord[] = [];
}

class MemoryLock implements ResourceLock {
  private seen = -1;
  /** Simulates an unreachable apiserver for this candidate only. */
  down = false;
  constructor(private readonly server: LockServer) {}
  private check(): void {
    if (this.down) throw new NetworkError('connect ECONNREFUSED', 'ECONNREFUSED');
  }
  async get(_opts: LockCallOptions): Promise<LeaderElectionRecord | undefined> {
    this.check();
    this.seen = this.server.version;
    return this.server.record && { ...this.server.record };
  }
  async create(record: LeaderElectionRecord, _opts: LockCallOptions): Promise<void> {
    this.check();
    if (this.server.record) throw new ApiError(409, { reason: 'AlreadyExists' });
    this.write(record);
  }
  /** The next update is applied by the server but its answer is lost (the caller was stopped meanwhile). */
  loseNextAnswer: (() => void) | undefined;
  async update(record: LeaderElectionRecord, _opts: LockCallOptions): Promise<void> {
    this.check();
    if (this.seen !== this.server.version) throw new ApiError(409, { reason: 'Conflict' });
    const lose = this.loseNextAnswer;
    if (lose) {
      this.loseNextAnswer = undefined;
      this.server.record = { ...record };
      this.server.writes.push({ ...record });
      this.server.version++;
      lose();
      throw new AbortedError();
    }
    this.write(record);
  }
  private write(record: LeaderElectionRecord): void {
    this.server.record = { ...record };
    this.server.writes.push({ ...record });
    this.seen = ++this.server.version;
  }
  describe(): string {
    return 'test/lock';
  }
}

interface Candidate {
  elector: LeaderElector;
  lock: MemoryLock;
  stop: AbortController;
  done: Promise<void>;
  log: string[];
  workSignal: AbortSignal | undefined;
}

function candidate(identity: string, server: LockServer, clock: Clock, opts: { releaseOnCancel?: boolean } = {}): Candidate {
  const lock = new MemoryLock(server);
  const log: string[] = [];
  const c: Partial<Candidate> = { lock, log, stop: new AbortController(), workSignal: undefined };
  c.elector = new LeaderElector({
    lock,
    identity,
    clock,
    random: () => 0.5,
    releaseOnCancel: opts.releaseOnCancel,
    callbacks: {
      onStartedLeading: (signal) => {
        c.workSignal = signal;
        log.push('started');
      },
      onStoppedLeading: () => log.push('stopped'),
      onNewLeader: (id) => log.push(`leader=${id}`),
    },
  });
  c.done = c.elector.run(c.stop!.signal);
  return c as Candidate;
}

/** Advances in small steps so that each candidate's retry timers fire in order; returns when `cond` holds. */
async function advanceUntil(clock: FakeClock, cond: () => boolean, limitMs: number, stepMs = 100): Promise<number> {
  const start = clock.now();
  while (!cond()) {
    if (clock.now() - start > limitMs) throw new Error(`condition not met within ${limitMs} ms of fake time`);
    await clock.advance(stepMs);
  }
  return clock.now() - start;
}

t.test('timing validation', async (t) => {
  const lock = new MemoryLock(new LockServer());
  const cb = { onStartedLeading: () => undefined };
  t.throws(() => new LeaderElector({ lock, identity: 'a', callbacks: cb, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater/);
  t.throws(() => new LeaderElector({ lock, identity: 'a', callbacks: cb, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline must be greater/);
  t.throws(() => new LeaderElector({ lock, identity: '', callbacks: cb }), /identity/);
});

t.test('one leader; renewals every retryPeriod; a failing leader steps down after renewDeadline; takeover after leaseDuration', async (t) => {
  const clock = new FakeClock();
  const server = new LockServer();
  const a = candidate('a', server, clock);
  await clock.advance(0);
  t.ok(a.elector.isLeader(), 'the first candidate creates the lease');
  t.same(a.log, ['leader=a', 'started']);
  t.equal(server.record?.holderIdentity, 'a');
  t.equal(server.record?.leaseDurationSeconds, 15);
  t.equal(server.record?.leaseTransitions, 0);
  t.match(server.record?.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'MicroTime');

  const b = candidate('b', server, clock);
  await clock.advance(30_000);
  t.ok(a.elector.isLeader());
  t.notOk(b.elector.isLeader(), 'the follower never takes a lease that keeps being renewed');
  t.same(b.log, ['leader=a']);
  const renewals = server.writes.filter((w) => w.holderIdentity === 'a').length;
  t.ok(renewals >= 14 && renewals <= 16, `renewed every 2 s (${renewals} writes in 30 s)`);
  t.equal(server.record?.acquireTime, server.writes[0]!.acquireTime, 'acquireTime stays while the holder renews');

  // a can no longer reach the apiserver.
  a.lock.down = true;
  const lostAfter = await advanceUntil(clock, () => !a.elector.isLeader(), 20_000);
  t.ok(lostAfter >= 10_000 && lostAfter <= 12_100, `a stops leading after retryPeriod + renewDeadline (${lostAfter} ms)`);
  t.ok(a.workSignal?.aborted, 'its work is cancelled');
  await a.done;
  t.same(a.log, ['leader=a', 'started', 'stopped']);
  t.notOk(b.elector.isLeader(), 'b has not taken over yet: the lease is still valid');

  const lastRenewal = server.writes.filter((w) => w.holderIdentity === 'a').length;
  const takeoverAfter = await advanceUntil(clock, () => b.elector.isLeader(), 20_000);
  t.ok(lostAfter + takeoverAfter >= 15_000, `b waited a full leaseDuration after the last renewal it saw (${lostAfter + takeoverAfter} ms)`);
  t.equal(server.writes.filter((w) => w.holderIdentity === 'a').length, lastRenewal);
  t.equal(server.record?.holderIdentity, 'b');
  t.equal(server.record?.leaseTransitions, 1);
  t.same(b.log, ['leader=a', 'leader=b', 'started']);
  b.stop.abort();
  await b.done;
  t.same(b.log.slice(-1), ['stopped']);
  t.equal(server.record?.holderIdentity, 'b', 'without releaseOnCancel the lease is left to expire');
});

t.test("clock skew: the holder's renewTime is never compared with the candidate's clock", async (t) => {
  const clock = new FakeClock();
  // a's clock runs an hour ahead: its renewTime values lie far in b's future.
  const ahead: Clock = { now: () => clock.now() + 3_600_000, setTimer: (fn, ms) => clock.setTimer(fn, ms) };
  const server = new LockServer();
  const a = candidate('a', server, ahead);
  await clock.advance(0);
  t.ok(a.elector.isLeader());
  const b = candidate('b', server, clock);
  await clock.advance(4_000);
  a.stop.abort(); // killed: no release
  await a.done;
  const took = await advanceUntil(clock, () => b.elector.isLeader(), 30_000);
  t.ok(took >= 11_000 && took <= 19_000, `b takes over within leaseDuration + one retry after the last change it saw (${took} ms), not in an hour`);

  // And the other way round: a holder whose clock lags does not get its lease stolen early.
  const server2 = new LockServer();
  const behind: Clock = { now: () => clock.now() - 3_600_000, setTimer: (fn, ms) => clock.setTimer(fn, ms) };
  const c = candidate('c', server2, behind);
  await clock.advance(0);
  const d = candidate('d', server2, clock);
  await clock.advance(60_000);
  t.ok(c.elector.isLeader(), 'the lagging holder keeps renewing and keeps the lease');
  t.notOk(d.elector.isLeader());
  for (const x of [b, c, d]) x.stop.abort();
  await Promise.all([b.done, c.done, d.done]);
});

t.test('releaseOnCancel hands the lease over at once; concurrent candidates never both lead', async (t) => {
  const clock = new FakeClock();
  const server = new LockServer();
  const candidates = ['a', 'b', 'c'].map((id) => candidate(id, server, clock, { releaseOnCancel: true }));
  let leaders = 0;
  for (let i = 0; i < 50; i++) {
    await clock.advance(200);
    leaders = candidates.filter((c) => c.elector.isLeader()).length;
    if (leaders > 1) break;
  }
  t.equal(leaders, 1, 'exactly one leader among three candidates');
  const leader = candidates.find((c) => c.elector.isLeader())!;
  leader.stop.abort();
  await leader.done;
  t.equal(server.record?.holderIdentity, '', 'released: the holder is cleared');
  t.equal(server.record?.leaseDurationSeconds, 1);
  const rest = candidates.filter((c) => c !== leader);
  const took = await advanceUntil(clock, () => rest.some((c) => c.elector.isLeader()), 20_000);
  t.ok(took <= 4_400, `another candidate leads within one jittered retry period (${took} ms)`);
  t.equal(rest.filter((c) => c.elector.isLeader()).length, 1);
  t.equal(server.record?.leaseTransitions, 1);
  for (const c of rest) c.stop.abort();
  await Promise.all(rest.map((c) => c.done));
});

t.test('release re-reads the lease: a renewal cut short by stop() may still have been applied', async (t) => {
  const clock = new FakeClock();
  const server = new LockServer();
  const a = candidate('a', server, clock, { releaseOnCancel: true });
  await clock.advance(0);
  t.ok(a.elector.isLeader());
  const versionBefore = server.version;
  a.lock.loseNextAnswer = () => a.stop.abort();
  await clock.advance(2_000);
  await a.done;
  t.ok(server.version > versionBefore + 1, 'the renewal landed, and so did the release');
  t.equal(server.record?.holderIdentity, '', 'released despite our stale copy of the lease');

  // Never clear a lease that meanwhile belongs to someone else.
  const b = candidate('b', server, clock, { releaseOnCancel: true });
  await clock.advance(0);
  t.ok(b.elector.isLeader());
  b.lock.loseNextAnswer = () => {
    server.record = { ...server.record!, holderIdentity: 'intruder' };
    server.version++;
    b.stop.abort();
  };
  await clock.advance(2_000);
  await b.done;
  t.equal(server.record?.holderIdentity, 'intruder', 'the release left the other holder alone');
});
