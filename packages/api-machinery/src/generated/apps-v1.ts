// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// apps/v1 (io.k8s.api.apps.v1): types of the objects as the API serves them.
import type { JsonValue } from '../json.js';
import type { PersistentVolumeClaim, PodTemplateSpec } from './core-v1.js';
import type { LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** Declarative updates for a replicated set of pods, rolled out through ReplicaSets. */
export interface Deployment {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the Deployment. */
  spec?: DeploymentSpec;
  /** Most recently observed state of the Deployment. */
  status?: DeploymentStatus;
}

/** A list of Deployment objects. */
export interface DeploymentList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Deployment objects. */
  items: Deployment[];
}

/** Desired state of a Deployment. */
export interface DeploymentSpec {
  /** Number of desired pods. */
  replicas?: number;
  /** Label query over the pods this controller manages; must match the pod template labels. */
  selector: LabelSelector;
  /** Template of the pods the Deployment creates. */
  template?: PodTemplateSpec;
  /** How old pods are replaced by new ones. */
  strategy?: DeploymentStrategy;
  /** Seconds a new pod must be ready, without crashing, to count as available. */
  minReadySeconds?: number;
  /** How many old ReplicaSets are kept to allow rollback. */
  revisionHistoryLimit?: number;
  /** When true, changes to the template do not trigger a rollout. */
  paused?: boolean;
  /** Seconds a rollout may go without progress before it is reported as failed. */
  progressDeadlineSeconds?: number;
}

/** How a Deployment replaces its pods. */
export interface DeploymentStrategy {
  /** Recreate replaces all pods at once; RollingUpdate replaces them gradually. */
  type?: 'Recreate' | 'RollingUpdate';
  /** Rolling update parameters; only with type RollingUpdate. */
  rollingUpdate?: RollingUpdateDeployment;
}

/** Limits that pace a Deployment rolling update. */
export interface RollingUpdateDeployment {
  /** Pods (number or percent of desired) that may be unavailable during the update. */
  maxUnavailable?: number | string;
  /** Pods (number or percent of desired) that may be created above the desired count during the update. */
  maxSurge?: number | string;
}

/** Observed state of a Deployment. */
export interface DeploymentStatus {
  /** Generation the controller last acted on. */
  observedGeneration?: number;
  /** Pods targeted by this Deployment (their labels match the selector). */
  replicas?: number;
  /** Pods that run the current template. */
  updatedReplicas?: number;
  /** Pods with a Ready condition. */
  readyReplicas?: number;
  /** Pods ready for at least minReadySeconds. */
  availableReplicas?: number;
  /** Pods still needed to reach full availability. */
  unavailableReplicas?: number;
  /** Latest observations of the Deployment state. */
  conditions?: DeploymentCondition[];
  /** Hash-collision counter used to name new ReplicaSets. */
  collisionCount?: number;
}

/** A condition of a Deployment (Available, Progressing, ReplicaFailure). */
export interface DeploymentCondition {
  /** Type of the condition. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: 'True' | 'False' | 'Unknown';
  /** When this condition was last updated. */
  lastUpdateTime?: string;
  /** When the condition last moved from one status to another. */
  lastTransitionTime?: string;
  /** Machine-readable reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** Keeps a stable number of identical pods running. */
export interface ReplicaSet {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the ReplicaSet. */
  spec?: ReplicaSetSpec;
  /** Most recently observed state of the ReplicaSet. */
  status?: ReplicaSetStatus;
}

/** A list of ReplicaSet objects. */
export interface ReplicaSetList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ReplicaSet objects. */
  items: ReplicaSet[];
}

/** Desired state of a ReplicaSet. */
export interface ReplicaSetSpec {
  /** Number of desired pods. */
  replicas?: number;
  /** Seconds a new pod must be ready, without crashing, to count as available. */
  minReadySeconds?: number;
  /** Label query over the pods this controller manages; must match the pod template labels. */
  selector: LabelSelector;
  /** Template of the pods the ReplicaSet creates. */
  template?: PodTemplateSpec;
}

/** Observed state of a ReplicaSet. */
export interface ReplicaSetStatus {
  /** Most recently observed number of pods. */
  replicas?: number;
  /** Pods whose labels match the template labels. */
  fullyLabeledReplicas?: number;
  /** Pods with a Ready condition. */
  readyReplicas?: number;
  /** Pods ready for at least minReadySeconds. */
  availableReplicas?: number;
  /** Generation the controller last acted on. */
  observedGeneration?: number;
  /** Latest observations of the ReplicaSet state. */
  conditions?: ReplicaSetCondition[];
}

/** A condition of a ReplicaSet (ReplicaFailure). */
export interface ReplicaSetCondition {
  /** Type of the condition. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: 'True' | 'False' | 'Unknown';
  /** When the condition last moved from one status to another. */
  lastTransitionTime?: string;
  /** Machine-readable reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** Runs one copy of a pod on each eligible node. */
export interface DaemonSet {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the DaemonSet. */
  spec?: DaemonSetSpec;
  /** Most recently observed state of the DaemonSet. */
  status?: DaemonSetStatus;
}

/** A list of DaemonSet objects. */
export interface DaemonSetList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The DaemonSet objects. */
  items: DaemonSet[];
}

/** Desired state of a DaemonSet. */
export interface DaemonSetSpec {
  /** Label query over the pods this controller manages; must match the pod template labels. */
  selector?: LabelSelector;
  /** Template of the pods the DaemonSet creates. */
  template?: PodTemplateSpec;
  /** How pods are replaced when the template changes. */
  updateStrategy?: DaemonSetUpdateStrategy;
  /** Seconds a new pod must be ready, without crashing, to count as available. */
  minReadySeconds?: number;
  /** How many old revisions are kept to allow rollback. */
  revisionHistoryLimit?: number;
}

/** How a DaemonSet replaces its pods. */
export interface DaemonSetUpdateStrategy {
  /** RollingUpdate replaces pods gradually; OnDelete only when they are deleted. */
  type?: 'RollingUpdate' | 'OnDelete';
  /** Rolling update parameters; only with type RollingUpdate. */
  rollingUpdate?: RollingUpdateDaemonSet;
}

/** Limits that pace a DaemonSet rolling update. */
export interface RollingUpdateDaemonSet {
  /** Nodes (number or percent) whose pod may be unavailable during the update. */
  maxUnavailable?: number | string;
  /** Nodes (number or percent) that may run an extra updated pod during the update. */
  maxSurge?: number | string;
}

/** Observed state of a DaemonSet. */
export interface DaemonSetStatus {
  /** Nodes running at least one daemon pod that should run it. */
  currentNumberScheduled?: number;
  /** Nodes running the daemon pod that should not. */
  numberMisscheduled?: number;
  /** Nodes that should run the daemon pod. */
  desiredNumberScheduled?: number;
  /** Nodes whose daemon pod is ready. */
  numberReady?: number;
  /** Generation the controller last acted on. */
  observedGeneration?: number;
  /** Nodes running the updated daemon pod. */
  updatedNumberScheduled?: number;
  /** Nodes whose daemon pod is available. */
  numberAvailable?: number;
  /** Nodes that should run an available daemon pod but do not. */
  numberUnavailable?: number;
  /** Hash-collision counter used to name new ControllerRevisions. */
  collisionCount?: number;
  /** Latest observations of the DaemonSet state. */
  conditions?: DaemonSetCondition[];
}

/** A condition of a DaemonSet. */
export interface DaemonSetCondition {
  /** Type of the condition. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: 'True' | 'False' | 'Unknown';
  /** When the condition last moved from one status to another. */
  lastTransitionTime?: string;
  /** Machine-readable reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** Pods with stable identities and storage, created and updated in order. */
export interface StatefulSet {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the StatefulSet. */
  spec?: StatefulSetSpec;
  /** Most recently observed state of the StatefulSet. */
  status?: StatefulSetStatus;
}

/** A list of StatefulSet objects. */
export interface StatefulSetList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The StatefulSet objects. */
  items: StatefulSet[];
}

/** Desired state of a StatefulSet. */
export interface StatefulSetSpec {
  /** Number of desired pods. */
  replicas?: number;
  /** Label query over the pods this controller manages; must match the pod template labels. */
  selector: LabelSelector;
  /** Template of the pods the StatefulSet creates. */
  template?: PodTemplateSpec;
  /** Claims each pod gets its own copy of, mounted by name in the template. */
  volumeClaimTemplates?: PersistentVolumeClaim[];
  /** Headless Service that gives the pods their network identity. */
  serviceName?: string;
  /** OrderedReady starts and stops pods one at a time in order; Parallel does not wait. */
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** How pods are replaced when the template changes. */
  updateStrategy?: StatefulSetUpdateStrategy;
  /** How many old revisions are kept. */
  revisionHistoryLimit?: number;
  /** Seconds a new pod must be ready, without crashing, to count as available. */
  minReadySeconds?: number;
  /** What happens to the claims from volumeClaimTemplates when the set is deleted or scaled down. */
  persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  /** Numbering of the pods. */
  ordinals?: StatefulSetOrdinals;
}

/** How a StatefulSet replaces its pods. */
export interface StatefulSetUpdateStrategy {
  /** RollingUpdate replaces pods in reverse ordinal order; OnDelete only when they are deleted. */
  type?: 'RollingUpdate' | 'OnDelete';
  /** Rolling update parameters; only with type RollingUpdate. */
  rollingUpdate?: RollingUpdateStatefulSetStrategy;
}

/** Parameters of a StatefulSet rolling update. */
export interface RollingUpdateStatefulSetStrategy {
  /** Only pods with an ordinal at or above this number are updated. */
  partition?: number;
  /** Pods (number or percent) that may be unavailable during the update (alpha feature). */
  maxUnavailable?: number | string;
}

/** Lifecycle of the claims created from volumeClaimTemplates. */
export interface StatefulSetPersistentVolumeClaimRetentionPolicy {
  /** What happens to the claims when the StatefulSet is deleted. */
  whenDeleted?: 'Retain' | 'Delete';
  /** What happens to the claims of pods removed by a scale-down. */
  whenScaled?: 'Retain' | 'Delete';
}

/** How the pods of a StatefulSet are numbered. */
export interface StatefulSetOrdinals {
  /** Number of the first replica. */
  start?: number;
}

/** Observed state of a StatefulSet. */
export interface StatefulSetStatus {
  /** Generation the controller last acted on. */
  observedGeneration?: number;
  /** Pods created by the controller. */
  replicas?: number;
  /** Pods with a Ready condition. */
  readyReplicas?: number;
  /** Pods created from the currentRevision. */
  currentReplicas?: number;
  /** Pods created from the updateRevision. */
  updatedReplicas?: number;
  /** Revision that produced the pods 0..currentReplicas-1. */
  currentRevision?: string;
  /** Revision that produces the pods being updated. */
  updateRevision?: string;
  /** Hash-collision counter used to name new ControllerRevisions. */
  collisionCount?: number;
  /** Latest observations of the StatefulSet state. */
  conditions?: StatefulSetCondition[];
  /** Pods ready for at least minReadySeconds. */
  availableReplicas?: number;
}

/** A condition of a StatefulSet. */
export interface StatefulSetCondition {
  /** Type of the condition. */
  type?: string;
  /** Whether the condition holds: True, False or Unknown. */
  status?: 'True' | 'False' | 'Unknown';
  /** When the condition last moved from one status to another. */
  lastTransitionTime?: string;
  /** Machine-readable reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** An immutable snapshot of state data that controllers use to roll back and forward. */
export interface ControllerRevision {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The serialized state (any JSON object). */
  data?: JsonValue;
  /** Revision number of the state in data. */
  revision: number;
}

/** A list of ControllerRevision objects. */
export interface ControllerRevisionList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ControllerRevision objects. */
  items: ControllerRevision[];
}
