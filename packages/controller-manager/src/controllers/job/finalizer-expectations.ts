// Which pods' tracking-finalizer removals a Job's sync requested but the pod informer has not shown yet
// (pkg/controller/job uidTrackingExpectations): those pods were counted already and must not be counted again.

export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expectRemovals(jobKey: string, uids: string[]): void {
    let set = this.byJob.get(jobKey);
    if (!set) {
      set = new Set();
      this.byJob.set(jobKey, set);
    }
    for (const uid of uids) set.add(uid);
  }

  /** The removal was seen (or failed, and will never be). */
  removalObserved(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(jobKey);
  }

  /** A copy: the sync works on a stable view while handlers keep observing. */
  expected(jobKey: string): Set<string> {
    return new Set(this.byJob.get(jobKey) ?? []);
  }

  forget(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
