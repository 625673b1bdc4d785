// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// meta/v1 (io.k8s.apimachinery.pkg.apis.meta.v1): types of the objects as the API serves them.
import type { JsonValue } from '../json.js';

/** Metadata every persisted object has: name, namespace, labels, annotations, owners and the versions the server keeps. */
export interface ObjectMeta {
  /** Unique name of the object within its namespace (or the cluster, for cluster-scoped kinds). Cannot be changed. */
  name?: string;
  /** Prefix for a server-generated name, used when name is empty: the server appends 5 random characters. */
  generateName?: string;
  /** Namespace the object lives in; empty for cluster-scoped objects. Cannot be changed. */
  namespace?: string;
  /** Unique id the server gives the object when it is created; never reused. */
  uid?: string;
  /** Opaque version of the object (the store revision of its last change). Sent back on update for optimistic concurrency. */
  resourceVersion?: string;
  /** Sequence number of changes to the desired state, set by the server. */
  generation?: number;
  /** When the server created the object (RFC 3339, UTC). */
  creationTimestamp?: string;
  /** When the object will be removed; set by the server once deletion was requested. */
  deletionTimestamp?: string;
  /** Seconds the object has to terminate gracefully once deletionTimestamp is set. */
  deletionGracePeriodSeconds?: number;
  /** Key/value pairs used to organize and select objects (label selectors). */
  labels?: Record<string, string>;
  /** Key/value pairs for tools and controllers; not used for selection. */
  annotations?: Record<string, string>;
  /** Objects this one depends on; the garbage collector deletes it when they are gone. */
  ownerReferences?: OwnerReference[];
  /** Names that must be removed before the object is deleted from storage. */
  finalizers?: string[];
  /** Which field manager set which fields; maintained by the server. */
  managedFields?: ManagedFieldsEntry[];
  /** Deprecated and always empty. */
  selfLink?: string;
}

/** Identifies an object that owns this one. */
export interface OwnerReference {
  /** API version of the owner. */
  apiVersion: string;
  /** Kind of the owner. */
  kind: string;
  /** Name of the owner. */
  name: string;
  /** UID of the owner. */
  uid: string;
  /** True if the owner is the managing controller; at most one owner may be. */
  controller?: boolean;
  /** With foreground deletion, the owner is not removed until this object is gone. */
  blockOwnerDeletion?: boolean;
}

/** A field manager and the fields it owns. */
export interface ManagedFieldsEntry {
  /** Name of the workflow that manages these fields. */
  manager?: string;
  /** Apply or Update. */
  operation?: string;
  /** Version of the fields set. */
  apiVersion?: string;
  /** When the fields were last changed. */
  time?: string;
  /** Format of fieldsV1; always FieldsV1. */
  fieldsType?: string;
  /** The set of managed fields. */
  fieldsV1?: JsonValue;
  /** Subresource the fields were set through, if any. */
  subresource?: string;
}

/** Metadata of a list response. */
export interface ListMeta {
  /** Store revision the list was read at; watch from it to see every later change. */
  resourceVersion?: string;
  /** Opaque token to fetch the next page; empty when there are no more items. */
  continue?: string;
  /** How many items follow this page (an estimate when selectors are used). */
  remainingItemCount?: number;
  /** Deprecated and always empty. */
  selfLink?: string;
}

/** Selects objects by labels: matchLabels and matchExpressions are ANDed; an empty selector matches everything. */
export interface LabelSelector {
  /** Labels that must be present with exactly these values. */
  matchLabels?: Record<string, string>;
  /** Set-based requirements; all must hold. */
  matchExpressions?: LabelSelectorRequirement[];
}

/** One set-based selector requirement. */
export interface LabelSelectorRequirement {
  /** Label key the requirement applies to. */
  key: string;
  /** How the key relates to the values. */
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Values for In/NotIn; must be empty for Exists/DoesNotExist. */
  values?: string[];
}

/** A standard condition of an object. */
export interface Condition {
  /** Condition type in CamelCase, e.g. Available. */
  type: string;
  /** Whether the condition holds. */
  status: 'True' | 'False' | 'Unknown';
  /** metadata.generation the condition was computed from. */
  observedGeneration?: number;
  /** When status last changed. */
  lastTransitionTime: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason: string;
  /** Human-readable details. */
  message: string;
}

/** Conditions that must hold before an operation is carried out. */
export interface Preconditions {
  /** The object must have this UID. */
  uid?: string;
  /** The object must be at this resourceVersion. */
  resourceVersion?: string;
}

/** Options for a delete request. */
export interface DeleteOptions {
  /** DeleteOptions */
  kind?: string;
  /** v1 (or any group version) */
  apiVersion?: string;
  /** Seconds before the object is removed; 0 deletes at once. Defaults to the kind's own period. */
  gracePeriodSeconds?: number;
  /** Must hold or the deletion fails with a Conflict. */
  preconditions?: Preconditions;
  /** Deprecated: use propagationPolicy=Orphan. */
  orphanDependents?: boolean;
  /** What happens to dependents: orphaned, deleted in the background, or deleted first. */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** All: validate and answer, but persist nothing. */
  dryRun?: 'All'[];
}

/** Result of an operation that does not return an object, and every error. */
export interface Status {
  /** Status */
  kind?: string;
  /** v1 */
  apiVersion?: string;
  metadata?: ListMeta;
  /** Success or Failure. */
  status?: string;
  /** Human-readable description. */
  message?: string;
  /** Machine-readable reason, e.g. NotFound. */
  reason?: string;
  details?: StatusDetails;
  /** HTTP status code. */
  code?: number;
}

/** Details of a Status. */
export interface StatusDetails {
  /** Name of the object concerned. */
  name?: string;
  /** API group of the object. */
  group?: string;
  /** Kind (or resource) of the object. */
  kind?: string;
  /** UID of the object. */
  uid?: string;
  /** Individual causes, e.g. one per invalid field. */
  causes?: StatusCause[];
  /** Seconds to wait before retrying. */
  retryAfterSeconds?: number;
}

/** One cause of a failure. */
export interface StatusCause {
  /** Machine-readable cause, e.g. FieldValueRequired. */
  reason?: string;
  /** Human-readable description. */
  message?: string;
  /** Path of the field at fault, e.g. spec.containers[0].name. */
  field?: string;
}
