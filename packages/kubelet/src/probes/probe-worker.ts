// One probe of one container instance (Kubernetes' prober.worker): probes every periodSeconds once the initial delay
// has passed, counts consecutive results against the thresholds and publishes a result only when a threshold is met.
import type { corev1 } from '@k8ts/api-machinery';
import type { Clock, TimerHandle } from '@k8ts/client';
import type { ProbeOutcome, ProbeResult } from './probe-runner.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** What the kubelet sees: liveness starts out passing, readiness failing, startup undecided (Kubernetes' initial values). */
export const INITIAL_RESULT: Record<ProbeKind, ProbeResult> = { liveness: 'success', readiness: 'failure', startup: 'unknown' };

/** Kubernetes' prober retries an attempt that errored (could not run) this many times before giving up on it. */
const MAX_PROBE_RETRIES = 3;

export const PROBE_DEFAULTS = { periodSeconds: 10, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 0 } as const;

/** An attempt's report: `changed` when the published result flipped, `event` when the kubelet should record one. */
export interface WorkerReport {
  result: ProbeResult;
  changed: boolean;
  event?: { reason: 'Unhealthy' | 'ProbeWarning'; message: string };
}

export interface WorkerHooks {
  clock: Clock;
  attempt(): Promise<ProbeOutcome>;
  /** Whether the container's startup probe has passed (always true when it has none). */
  started(): boolean;
  /** The pod is being deleted: liveness and startup stop (and pass) so graceful shutdown is not cut short. */
  terminating(): boolean;
  report(r: WorkerReport): void;
  onError(err: unknown): void;
}

const LABEL: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export class ProbeWorker {
  private current: ProbeResult;
  private lastResult: ProbeResult = 'unknown';
  private resultRun = 0;
  private timer: TimerHandle | undefined;
  private running = false;
  private stopped = false;
  /** After a liveness/startup failure the container is about to be killed: probing it further only adds noise. */
  private onHold = false;
  private readonly periodMs: number;
  private readonly successThreshold: number;
  private readonly failureThreshold: number;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: corev1.Probe,
    private readonly startedAt: number,
    private readonly hooks: WorkerHooks,
  ) {
    this.current = INITIAL_RESULT[kind];
    this.periodMs = (probe.periodSeconds || PROBE_DEFAULTS.periodSeconds) * 1000;
    this.successThreshold = probe.successThreshold || PROBE_DEFAULTS.successThreshold;
    this.failureThreshold = probe.failureThreshold || PROBE_DEFAULTS.failureThreshold;
  }

  get result(): ProbeResult {
    return this.current;
  }

  start(): void {
    const firstAt = this.startedAt + (this.probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds) * 1000;
    this.schedule(Math.max(0, firstAt - this.hooks.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Probe now instead of at the next tick (readiness right after the startup probe passed). */
  trigger(): void {
    if (this.stopped || this.running || this.onHold) return;
    const firstAt = this.startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000;
    if (this.hooks.clock.now() < firstAt) return;
    this.timer?.cancel();
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.onHold) return;
    this.timer = this.hooks.clock.setTimer(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    const begun = this.hooks.clock.now();
    try {
      const keepGoing = await this.doProbe();
      if (!keepGoing) return;
    } catch (err) {
      this.hooks.onError(err);
    } finally {
      this.running = false;
    }
    // A ticker's cadence: the next attempt is a period after this one began, not after it ended.
    this.schedule(Math.max(0, begun + this.periodMs - this.hooks.clock.now()));
  }

  /** One round of Kubernetes' worker.doProbe; false stops the worker. */
  private async doProbe(): Promise<boolean> {
    if ((this.kind === 'liveness' || this.kind === 'startup') && this.hooks.terminating()) {
      this.publish('success', undefined);
      return false;
    }
    const started = this.hooks.started();
    if (this.kind === 'startup' && started) return false; // its job is done for this container instance
    if (this.kind !== 'startup' && !started) return true; // gated until the startup probe passes

    let outcome: ProbeOutcome = { result: 'unknown', output: '' };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      outcome = await this.hooks.attempt();
      if (this.stopped) return false; // the container went away while we were probing it
      if (outcome.result !== 'unknown') break;
    }
    const label = LABEL[this.kind];
    if (outcome.result === 'unknown') {
      // A prober error throws the attempt away: it counts neither way.
      this.hooks.report({ result: this.current, changed: false, event: { reason: 'Unhealthy', message: `${label} probe errored: ${outcome.output}` } });
      return true;
    }
    const event: WorkerReport['event'] =
      outcome.result === 'failure'
        ? { reason: 'Unhealthy', message: `${label} probe failed: ${outcome.output}` }
        : outcome.warning
          ? { reason: 'ProbeWarning', message: `${label} probe warning: ${outcome.output}` }
          : undefined;

    if (this.lastResult === outcome.result) this.resultRun++;
    else {
      this.lastResult = outcome.result;
      this.resultRun = 1;
    }
    const belowThreshold =
      (outcome.result === 'failure' && this.resultRun < this.failureThreshold) || (outcome.result === 'success' && this.resultRun < this.successThreshold);
    if (belowThreshold) {
      if (event) this.hooks.report({ result: this.current, changed: false, event });
      return true;
    }
    this.publish(outcome.result, event);
    if ((this.kind === 'liveness' || this.kind === 'startup') && outcome.result === 'failure') {
      this.onHold = true;
      this.resultRun = 0;
      return false;
    }
    return true;
  }

  private publish(result: ProbeResult, event: WorkerReport['event']): void {
    const changed = result !== this.current;
    this.current = result;
    if (changed || event) this.hooks.report({ result, changed, event });
  }
}
