// Leader election on a lock (a Lease), with client-go's semantics and timings:
//  - candidates try every retryPeriod (jittered); a lease is free when it has no holder, or when its record has not
//    changed for leaseDuration as measured on OUR clock since we first saw that record. Renew times written by other
//    hosts are never compared with our clock, so clock skew between machines cannot hand out the lease twice;
//  - the leader renews every retryPeriod; if it cannot renew within renewDeadline it stops leading (its work is
//    cancelled through the signal given to onStartedLeading) before anyone else may take over (renewDeadline <
//    leaseDuration);
//  - every write is a compare-and-swap on the lease's resourceVersion, so two candidates never both win;
//  - with releaseOnCancel, stopping the leader clears the holder so that another candidate takes over at once.
import type { Logger } from 'pino';
import { realClock, sleepUnlessAborted, type Clock } from '../util/clock.js';
import { microTime, type LeaderElectionRecord, type ResourceLock } from './lease-lock.js';

export interface LeaderCallbacks {
  /** We lead. Do the work until `signal` aborts (leadership lost or the elector stopped). */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called once after leading ended (not if we never led). */
  onStoppedLeading?(): void;
  /** A different holder was observed (our own identity included); not called for an empty holder. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  lock: ResourceLock;
  /** Unique per candidate, e.g. hostname + random suffix. */
  identity: string;
  callbacks: LeaderCallbacks;
  /** How long others wait after the last observed renewal before taking over (default 15 s). */
  leaseDurationMs?: number | undefined;
  /** How long the leader keeps retrying a renewal before it gives up leading (default 10 s). */
  renewDeadlineMs?: number | undefined;
  /** Pause between attempts (default 2 s). */
  retryPeriodMs?: number | undefined;
  /** On stop, clear the holder so another candidate can take over without waiting (default false). */
  releaseOnCancel?: boolean | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

const JITTER_FACTOR = 1.2;

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;

  /** The last record we saw or wrote, and when (our clock) we first saw it like that. */
  private observed: LeaderElectionRecord | undefined;
  private observedAt = 0;
  private reportedLeader = '';
  private leading = false;
  private ran = false;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.lock = opts.lock;
    this.identity = opts.identity;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.log = opts.logger?.child({ lock: opts.lock.describe(), identity: opts.identity });
    if (!this.identity) throw new Error('leader election needs a non-empty identity');
    if (!(this.retryPeriodMs > 0)) throw new Error('retryPeriod must be greater than zero');
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new Error('leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadlineMs > JITTER_FACTOR * this.retryPeriodMs)) throw new Error(`renewDeadline must be greater than retryPeriod*${JITTER_FACTOR}`);
  }

  /** True while we hold the lease (between onStartedLeading and the loss of it). */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder we last observed ('' if none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Campaigns until we lead, then renews until leadership is lost or `signal` aborts. Resolves when done; an
   * elector runs once (make a new one to campaign again, as client-go's RunOrDie).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.ran) throw new Error('LeaderElector.run() may be called only once');
    this.ran = true;
    if (!(await this.acquire(signal))) return;
    const work = new AbortController();
    this.leading = true;
    this.log?.info('became leader');
    void Promise.resolve()
      .then(() => this.opts.callbacks.onStartedLeading(work.signal))
      .catch((err: unknown) => this.log?.error({ err }, 'onStartedLeading failed'));
    await this.renew(signal);
    this.leading = false;
    work.abort();
    if (signal.aborted && this.opts.releaseOnCancel) await this.release();
    this.log?.info('stopped leading');
    try {
      this.opts.callbacks.onStoppedLeading?.();
    } catch (err) {
      this.log?.error({ err }, 'onStoppedLeading failed');
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.log?.debug('attempting to acquire the lease');
    while (!signal.aborted) {
      const acquired = await this.tryAcquireOrRenew(signal, this.renewDeadlineMs);
      this.reportTransition();
      if (acquired) return true;
      const pause = this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR);
      if (!(await sleepUnlessAborted(pause, signal, this.clock))) break;
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal round missed renewDeadline or `signal` aborted. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (await sleepUnlessAborted(this.retryPeriodMs, signal, this.clock)) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted) {
        const left = deadline - this.clock.now();
        if (left <= 0) break;
        renewed = await this.tryAcquireOrRenew(signal, left);
        if (renewed || signal.aborted || deadline - this.clock.now() <= 0) break;
        if (!(await sleepUnlessAborted(Math.min(this.retryPeriodMs, Math.max(0, deadline - this.clock.now())), signal, this.clock))) break;
      }
      this.reportTransition();
      if (signal.aborted) return;
      if (!renewed) {
        this.log?.warn({ renewDeadlineMs: this.renewDeadlineMs }, 'failed to renew the lease in time; leadership lost');
        return;
      }
    }
  }

  /** One attempt to take or keep the lease. */
  private async tryAcquireOrRenew(signal: AbortSignal, timeoutMs: number): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    const call = { signal, timeoutMs };

    // Fast path: we hold it and nobody wrote since our last write, so update without reading first.
    if (this.observed?.holderIdentity === this.identity && this.leading) {
      const renewal = { ...desired, acquireTime: this.observed.acquireTime, leaseTransitions: this.observed.leaseTransitions };
      try {
        await this.lock.update(renewal, call);
        this.setObserved(renewal);
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        this.log?.debug({ err: message(err) }, 'fast renewal failed; re-reading the lease');
      }
    }

    let current: LeaderElectionRecord | undefined;
    try {
      current = await this.lock.get(call);
    } catch (err) {
      if (!signal.aborted) this.log?.info({ err: message(err) }, 'cannot read the lease');
      return false;
    }
    if (!current) {
      try {
        await this.lock.create(desired, call);
        this.setObserved(desired);
        return true;
      } catch (err) {
        if (!signal.aborted) this.log?.info({ err: message(err) }, 'cannot create the lease');
        return false;
      }
    }

    if (!this.observed || !sameRecord(this.observed, current)) {
      this.observed = current;
      this.observedAt = this.clock.now();
    }
    const heldByOther =
      current.holderIdentity !== '' &&
      current.holderIdentity !== this.identity &&
      this.observedAt + current.leaseDurationSeconds * 1000 > this.clock.now();
    if (heldByOther) return false;

    const next: LeaderElectionRecord =
      current.holderIdentity === this.identity
        ? { ...desired, acquireTime: current.acquireTime || desired.acquireTime, leaseTransitions: current.leaseTransitions }
        : { ...desired, leaseTransitions: current.leaseTransitions + 1 };
    try {
      await this.lock.update(next, call);
      this.setObserved(next);
      return true;
    } catch (err) {
      if (!signal.aborted) this.log?.info({ err: message(err) }, 'cannot update the lease');
      return false;
    }
  }

  /** Clears the holder (we are stopping), so candidates need not wait for the lease to expire. */
  private async release(): Promise<void> {
    if (this.observed?.holderIdentity !== this.identity) return;
    const call = { timeoutMs: this.renewDeadlineMs };
    try {
      // Re-read first: stopping may have cut short a renewal the server still applied, which left our copy of the
      // lease (and its resourceVersion) stale. And never clear a lease someone else holds by now.
      const current = await this.lock.get(call);
      if (current?.holderIdentity !== this.identity) return;
      const now = this.clock.now();
      const released: LeaderElectionRecord = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: current.leaseTransitions,
      };
      await this.lock.update(released, call);
      this.setObserved(released);
      this.log?.info('released the lease');
    } catch (err) {
      this.log?.warn({ err: message(err) }, 'failed to release the lease; others take over once it expires');
    }
  }

  private setObserved(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedAt = this.clock.now();
  }

  private reportTransition(): void {
    const holder = this.observed?.holderIdentity ?? '';
    if (holder === this.reportedLeader || holder === '') return;
    this.reportedLeader = holder;
    try {
      this.opts.callbacks.onNewLeader?.(holder);
    } catch (err) {
      this.log?.error({ err }, 'onNewLeader failed');
    }
  }
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
