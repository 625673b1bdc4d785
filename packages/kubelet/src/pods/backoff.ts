// The container restart back-off (Kubernetes' flowcontrol.Backoff as the kubelet uses it for CrashLoopBackOff):
// per container, 10 s doubling to 5 min; forgotten once the container ran longer than `resetAfter` before failing.

export interface RestartBackoffOptions {
  /** First back-off, ms (Kubernetes: 10 s). */
  initialMs?: number;
  /** Cap, ms (Kubernetes: 5 min). */
  maxMs?: number;
  /** A container that ran this long before exiting starts over at initialMs (Kubernetes: 2 × max = 10 min). */
  resetAfterMs?: number;
}

interface Entry {
  backoffMs: number;
  /** When the last restart was allowed (Kubernetes' lastUpdate). */
  lastUpdate: number;
}

/** Key for one container of one pod, as the kubelet's stable back-off key. */
export function backoffKey(podUid: string, containerName: string): string {
  return `${podUid}/${containerName}`;
}

/**
 * Typical use in a pod sync, for an exited container that should be restarted:
 *   if (backoff.isInBackOff(key, now, finishedAt)) → keep it waiting (CrashLoopBackOff, backOffMessage(...))
 *   else backoff.next(key, now, finishedAt) and restart it.
 * With `finishedAt` (when the container exited) the wait is measured from the exit and the time the container ran
 * since its last restart decides the reset, exactly as Kubernetes does. Without it both are measured from the last
 * restart (`next`): the wait then ends backoff after the restart rather than after the exit (a little sooner).
 */
export class RestartBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(opts: RestartBackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 10_000;
    this.maxMs = opts.maxMs ?? 300_000;
    this.resetAfterMs = opts.resetAfterMs ?? 600_000;
  }

  /** Whether a restart must still wait: less than the current back-off has passed since the exit (or last restart). */
  isInBackOff(key: string, now: number, finishedAt?: number): boolean {
    return this.remaining(key, now, finishedAt) > 0;
  }

  /** Records a restart: the back-off doubles (capped), or starts at initialMs if new or the container ran long enough. */
  next(key: string, now: number, finishedAt?: number): number {
    const e = this.live(key, finishedAt ?? now);
    const backoffMs = e ? Math.min(e.backoffMs * 2, this.maxMs) : this.initialMs;
    this.entries.set(key, { backoffMs, lastUpdate: now });
    return backoffMs;
  }

  /** The current back-off duration (what "back-off 20s restarting ..." shows); 0 when none. */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Same as get: the name the pod syncer's RestartBackoff interface uses. */
  delay(key: string): number {
    return this.get(key);
  }

  /** How long until a restart is allowed; 0 when it is allowed now. */
  remaining(key: string, now: number, finishedAt?: number): number {
    const e = this.live(key, finishedAt ?? now);
    if (!e) return 0;
    return Math.max(0, (finishedAt ?? e.lastUpdate) + e.backoffMs - now);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets entries not touched for resetAfter (Kubernetes' periodic Backoff.GC). */
  gc(now: number): void {
    for (const [key, e] of this.entries) if (now - e.lastUpdate > this.resetAfterMs) this.entries.delete(key);
  }

  size(): number {
    return this.entries.size;
  }

  /** The entry unless more than resetAfter passed between its last restart and `eventTime` (then it is stable). */
  private live(key: string, eventTime: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    return eventTime - e.lastUpdate > this.resetAfterMs ? undefined : e;
  }
}

/** A duration the way Go's time.Duration.String writes it: 10s, 1m20s, 5m0s, 1.5s, 250ms. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Number((totalSeconds % 60).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** format.Pod: name_namespace(uid). */
export function formatPod(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ''}_${m.namespace ?? ''}(${m.uid ?? ''})`;
}

/** The CrashLoopBackOff waiting message: "back-off 10s restarting failed container=app pod=web_default(uid)". */
export function backOffMessage(backoffMs: number, containerName: string, pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `back-off ${goDuration(backoffMs)} restarting failed container=${containerName} pod=${formatPod(pod)}`;
}

/** The BackOff event's message (reason BackOff, type Warning). */
export function backOffEventMessage(containerName: string, pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `Back-off restarting failed container ${containerName} in pod ${formatPod(pod)}`;
}
