// EndpointSliceTracker: what this controller last wrote, per Service, so that (1) a sync never runs on a cache that
// has not caught up with our own writes (it would create duplicate slices) and (2) our own writes coming back
// through the informer do not trigger another sync. Kubernetes tracks generations; k8ts tracks resourceVersions
// (the store's mod revision, increasing per object), which every kind has.
import type { discoveryv1 } from '@k8ts/api-machinery';

type EndpointSlice = discoveryv1.EndpointSlice;

const DELETED = -1;

const rvOf = (slice: EndpointSlice): number => {
  const n = Number(slice.metadata?.resourceVersion ?? '');
  return Number.isFinite(n) ? n : 0;
};

export class EndpointSliceTracker {
  /** service key → slice uid → the resourceVersion we wrote (DELETED after our delete). */
  private readonly expected = new Map<string, Map<string, number>>();

  private slot(serviceKey: string): Map<string, number> {
    let m = this.expected.get(serviceKey);
    if (!m) this.expected.set(serviceKey, (m = new Map()));
    return m;
  }

  /** After our create or update succeeded with `written` (the server's answer). */
  update(serviceKey: string, written: EndpointSlice): void {
    const uid = written.metadata?.uid;
    if (uid) this.slot(serviceKey).set(uid, rvOf(written));
  }

  /** After our delete of `slice` succeeded (or found it gone). */
  expectDeletion(serviceKey: string, slice: EndpointSlice): void {
    const uid = slice.metadata?.uid;
    if (uid) this.slot(serviceKey).set(uid, DELETED);
  }

  /** True when the cache lacks a write of ours (a slice we wrote, at least at that version; one we deleted, gone). */
  stale(serviceKey: string, cached: EndpointSlice[]): boolean {
    const m = this.expected.get(serviceKey);
    if (!m) return false;
    const byUid = new Map(cached.map((s) => [s.metadata?.uid ?? '', s]));
    for (const [uid, rv] of m) {
      const seen = byUid.get(uid);
      if (rv === DELETED) {
        if (seen && !seen.metadata?.deletionTimestamp) return true;
      } else if (!seen || rvOf(seen) < rv) {
        return true;
      }
    }
    return false;
  }

  /** For an informer add/update: false when this is our own write coming back (then forgotten: later changes count). */
  shouldSync(serviceKey: string, slice: EndpointSlice): boolean {
    const m = this.expected.get(serviceKey);
    const uid = slice.metadata?.uid ?? '';
    const rv = m?.get(uid);
    if (rv === undefined || rv === DELETED) return true;
    if (rvOf(slice) <= rv) {
      if (rvOf(slice) === rv) m!.delete(uid);
      return false;
    }
    m!.delete(uid);
    return true;
  }

  /** For an informer delete: false when we deleted it ourselves. */
  handleDeletion(serviceKey: string, slice: EndpointSlice): boolean {
    const m = this.expected.get(serviceKey);
    const uid = slice.metadata?.uid ?? '';
    const rv = m?.get(uid);
    m?.delete(uid);
    return rv !== DELETED;
  }

  deleteService(serviceKey: string): void {
    this.expected.delete(serviceKey);
  }
}
