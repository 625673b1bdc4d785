// Controller references: which object manages which (ownerReferences with controller: true), as
// k8s.io/apimachinery's metav1.GetControllerOf and NewControllerRef.
import type { ObjectMeta, OwnerReference } from '@k8ts/api-machinery';

/** Anything with object metadata. */
export interface WithMeta {
  metadata?: ObjectMeta;
}

export function controllerRefOf(obj: WithMeta): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

export function isControlledBy(obj: WithMeta, owner: WithMeta): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && controllerRefOf(obj)?.uid === uid;
}

/** The reference a controller puts on what it creates: foreground deletion of the owner waits for it. */
export function newControllerRef(owner: WithMeta, apiVersion: string, kind: string): OwnerReference {
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!name || !uid) throw new Error(`a controller reference needs the owner's name and uid (${kind} ${name ?? '<unnamed>'})`);
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}
