// The garbage collector's verdicts (garbagecollector.go attemptToDeleteItem and friends), pure: given what the API
// says about an object's owners, keep it, drop its dead references, or delete it with which propagation policy; and
// the patches it sends.
import type { OwnerReference } from '@k8ts/api-machinery';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './graph.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

/** An owner reference as the API answered about it (classifyReferences). */
export interface ClassifiedReferences {
  /** The owner exists and is not waiting for its dependents' deletion. */
  solid: OwnerReference[];
  /** The owner does not exist (404, or another object under the name). */
  dangling: OwnerReference[];
  /** The owner exists, is being deleted and has the foregroundDeletion finalizer. */
  waitingForDependentsDeletion: OwnerReference[];
}

export type DeletionVerdict =
  | { action: 'keep' }
  | { action: 'removeReferences'; uids: string[] }
  | { action: 'delete'; policy: PropagationPolicy; unblockOwnerReferences: boolean };

export interface ItemState {
  /** The object has dependents in the graph. */
  hasDependents: boolean;
  /** One of those dependents is itself deleting its dependents (a possible cycle). */
  dependentDeletingDependents: boolean;
  /** The live object's finalizers. */
  finalizers: string[];
}

/**
 * attemptToDeleteItem's switch: an object with a live owner stays (its dead and waiting references are removed);
 * one whose owner waits for it and that has dependents itself goes in the foreground (after unblocking its own
 * references if a cycle is possible); otherwise it goes with the policy its own finalizers ask for, else background.
 */
export function decideDeletion(refs: ClassifiedReferences, item: ItemState): DeletionVerdict {
  if (refs.solid.length > 0) {
    if (refs.dangling.length === 0 && refs.waitingForDependentsDeletion.length === 0) return { action: 'keep' };
    // A waiting owner must not stay referenced, or it would wait for this object forever.
    return { action: 'removeReferences', uids: [...refs.dangling, ...refs.waitingForDependentsDeletion].map((r) => r.uid) };
  }
  if (refs.waitingForDependentsDeletion.length > 0 && item.hasDependents) {
    return { action: 'delete', policy: 'Foreground', unblockOwnerReferences: item.dependentDeletingDependents };
  }
  if (item.finalizers.includes(ORPHAN_FINALIZER)) return { action: 'delete', policy: 'Orphan', unblockOwnerReferences: false };
  if (item.finalizers.includes(FOREGROUND_FINALIZER)) return { action: 'delete', policy: 'Foreground', unblockOwnerReferences: false };
  return { action: 'delete', policy: 'Background', unblockOwnerReferences: false };
}

/** A strategic merge patch removing the references to `ownerUids`; the dependent's uid is a precondition. */
export function deleteOwnerRefsPatch(dependentUid: string, ownerUids: string[]): Record<string, unknown> {
  return { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: dependentUid } };
}

/** A strategic merge patch setting blockOwnerDeletion false on every blocking reference (cycle breaking). */
export function unblockOwnerRefsPatch(uid: string, owners: OwnerReference[]): Record<string, unknown> {
  const blocking = owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false }));
  return { metadata: { ownerReferences: blocking, uid } };
}

/** The merge patch that removes one finalizer, with the resourceVersion read as a precondition. */
export function removeFinalizerPatch(resourceVersion: string, finalizers: string[], remove: string): Record<string, unknown> | undefined {
  if (!finalizers.includes(remove)) return undefined;
  const rest = finalizers.filter((f) => f !== remove);
  return { metadata: { resourceVersion, finalizers: rest.length > 0 ? rest : null } };
}
