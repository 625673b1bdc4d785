// Adoption and release (pkg/controller ControllerRefManager.ClaimObject): a controller owns the objects whose
// controller reference names it; it adopts matching orphans and releases owned objects that stopped matching.
// Decided here from the cache; the caller patches ownerReferences (and re-checks the owner's uid before adopting,
// so that a deleted-and-recreated owner of the same name never adopts the old one's pods).
import type { LabelSelector, ObjectMeta } from '@k8ts/api-machinery';
import { controllerRefOf, type WithMeta } from './controller-ref.js';

export interface Claims<T> {
  /** Controlled by the owner and still matching. */
  owned: T[];
  /** Orphans that match: adopt, then count as owned. */
  adopt: T[];
  /** Controlled by the owner but no longer matching: remove the reference. */
  release: T[];
}

export function claimObjects<T extends WithMeta>(owner: { metadata?: ObjectMeta }, selector: LabelSelector, candidates: T[]): Claims<T> {
  const claims: Claims<T> = { owned: [], adopt: [], release: [] };
  const ownerUid = owner.metadata?.uid;
  const ownerDeleting = owner.metadata?.deletionTimestamp !== undefined;
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue; // someone else's
      if (matches) claims.owned.push(obj);
      // An owner being deleted keeps its objects: releasing them now would orphan what the GC is about to delete.
      else if (!ownerDeleting) claims.release.push(obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp !== undefined) continue;
    claims.adopt.push(obj);
  }
  return claims;
}
