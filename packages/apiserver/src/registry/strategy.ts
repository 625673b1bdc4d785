// Per-kind behaviour on top of the generic REST storage, like the `strategy` of each Kubernetes registry: what is
// reset on create, what an update may change, admission (allocation, namespace lifecycle) and deletion behaviour.
import type { JsonObject, KindDefinition } from '@k8ts/api-machinery';

export interface OperationContext {
  kind: KindDefinition;
  namespace?: string | undefined;
  dryRun: boolean;
}

export interface DeleteDecision {
  /** Keep the object with deletionTimestamp set (graceful pods, finalizers) instead of removing it now. */
  graceful: boolean;
  gracePeriodSeconds?: number;
}

export interface Strategy {
  /** Reset fields clients may not set on create (status of most kinds); set initial status (Pod Pending). */
  prepareForCreate?(obj: JsonObject, ctx: OperationContext): void;
  /** Carry over from `old` what this update may not change (status when there is a status subresource). */
  prepareForUpdate?(obj: JsonObject, old: JsonObject, ctx: OperationContext): void;
  /** The same for a write through the status subresource (everything but status is already carried over). */
  prepareForStatusUpdate?(obj: JsonObject, old: JsonObject, ctx: OperationContext): void;
  /** Admission after validation, before the write: allocation and cross-object checks. May throw ApiError. */
  admit?(obj: JsonObject, old: JsonObject | undefined, ctx: OperationContext): Promise<void>;
  /** Undo admission side effects when the write failed (allocated IPs). */
  rollback?(obj: JsonObject, old: JsonObject | undefined, ctx: OperationContext): Promise<void>;
  /** Side effects once the object is gone from storage (release IPs). */
  afterDelete?(obj: JsonObject, ctx: OperationContext): Promise<void>;
  /** Decide whether a DELETE removes the object at once or marks it for graceful termination. */
  deleteDecision?(obj: JsonObject, requestedGrace: number | undefined): DeleteDecision;
  /** Mutate the object when its deletion is requested but it stays (Namespace: status.phase Terminating). */
  markTerminating?(obj: JsonObject): void;
  /**
   * True while an object whose deletion was requested must stay although its metadata.finalizers are empty
   * (a Namespace keeps spec.finalizers until the namespace controller has emptied it).
   */
  retainWhileDeleting?(obj: JsonObject): boolean;
  /** Convert between the served representation and the stored one (events.k8s.io ↔ core Events). */
  toStorage?(obj: JsonObject): JsonObject;
  fromStorage?(obj: JsonObject): JsonObject;
}
