// Adoption and release (pkg/controller ControllerRefManager.ClaimObject): a controller owns the objects whose
// controller reference names it; it adopts matching orphans and releases owned objects that stopped matching.
// Decided from the cache (claimObjects), then applied through the API (claimDependents), which re-checks the owner's
// uid before adopting so that a deleted-and-recreated owner of the same name never adopts the old one's pods.
import type { LabelSelector, ObjectMeta, OwnerReference } from '@k8ts/api-machinery';
import { isNotFound } from '@k8ts/client';
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

/** What claimDependents needs to talk to the API. */
export interface ClaimApi<O, T> {
  /** Re-reads the owner (RecheckDeletionTimestamp): adoption needs the live owner, not a cached one. */
  getOwner(): Promise<O>;
  /** Patches a dependent (strategic merge). */
  patchDependent(name: string, patch: Record<string, unknown>): Promise<T>;
}

/**
 * Applies claims through the API (ControllerRefManager): adopts orphans once a fresh read shows the same, live owner,
 * releases strays, and returns the dependents owned afterwards. The dependent's uid in each patch is a precondition,
 * so a re-created object of the same name is never adopted or released by mistake. `extra` adds fields to the
 * patches (the Job's tracking finalizer).
 */
export async function claimDependents<O extends WithMeta, T extends WithMeta>(
  owner: O,
  selector: LabelSelector,
  candidates: T[],
  controllerRef: OwnerReference,
  api: ClaimApi<O, T>,
  extra: { adopt?: Record<string, unknown>; release?: Record<string, unknown> } = {},
): Promise<T[]> {
  const claims = claimObjects(owner, selector, candidates);
  const owned = [...claims.owned];
  const ignoreGone = (err: unknown): undefined => {
    if (isNotFound(err)) return undefined;
    throw err;
  };
  if (claims.adopt.length > 0 && (await ownerStillLive(owner, api))) {
    for (const obj of claims.adopt) {
      const patch = { metadata: { ownerReferences: [controllerRef], uid: obj.metadata?.uid, ...extra.adopt } };
      const adopted = await api.patchDependent(obj.metadata?.name ?? '', patch).catch(ignoreGone);
      if (adopted) owned.push(adopted);
    }
  }
  for (const obj of claims.release) {
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.metadata?.uid }], uid: obj.metadata?.uid, ...extra.release } };
    await api.patchDependent(obj.metadata?.name ?? '', patch).catch(ignoreGone);
  }
  return owned;
}

async function ownerStillLive<O extends WithMeta, T>(owner: O, api: ClaimApi<O, T>): Promise<boolean> {
  try {
    const fresh = await api.getOwner();
    return fresh.metadata?.uid === owner.metadata?.uid && !fresh.metadata?.deletionTimestamp;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
