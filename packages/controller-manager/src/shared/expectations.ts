// Controller expectations (pkg/controller ControllerExpectations + UIDTrackingControllerExpectations): after a
// controller asks for N creates or deletes, its informer cache lags behind; until the watch has shown them (or
// five minutes passed, in case an event was missed), the controller must not act on the stale count again, or a
// burst would overshoot.

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Record {
  adds: number;
  /** Keys (namespace/name) of pods whose deletion is still to be observed. */
  deletions: Set<string>;
  since: number;
}

export class Expectations {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Expect `count` creations for the controller `key` (replaces earlier expectations). */
  expectCreations(key: string, count: number): void {
    this.records.set(key, { adds: count, deletions: new Set(), since: this.now() });
  }

  /** Expect the deletion of these pods (replaces earlier expectations). */
  expectDeletions(key: string, podKeys: string[]): void {
    this.records.set(key, { adds: 0, deletions: new Set(podKeys), since: this.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.adds--;
  }

  /** A create that failed will never be observed. */
  lowerCreations(key: string, count = 1): void {
    const r = this.records.get(key);
    if (r) r.adds -= count;
  }

  /** A deletion was observed, or the delete failed and will never be. */
  deletionObserved(key: string, podKey: string): void {
    this.records.get(key)?.deletions.delete(podKey);
  }

  /** True when the controller may trust its cache again. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.deletions.size === 0) return true;
    return this.now() - r.since > this.ttlMs;
  }

  /** The controller is gone. */
  forget(key: string): void {
    this.records.delete(key);
  }

  /** For logs and tests. */
  pending(key: string): { adds: number; deletions: number } | undefined {
    const r = this.records.get(key);
    return r ? { adds: r.adds, deletions: r.deletions.size } : undefined;
  }
}
