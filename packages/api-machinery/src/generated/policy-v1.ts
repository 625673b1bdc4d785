// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// policy/v1 (io.k8s.api.policy.v1): types of the objects as the API serves them.
import type { Condition, DeleteOptions, LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** Limits how many pods of a set voluntary disruptions (such as evictions) may take down at once. */
export interface PodDisruptionBudget {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired disruption budget. */
  spec?: PodDisruptionBudgetSpec;
  /** Most recently observed state of the budget. */
  status?: PodDisruptionBudgetStatus;
}

/** A list of PodDisruptionBudget objects. */
export interface PodDisruptionBudgetList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The PodDisruptionBudget objects. */
  items: PodDisruptionBudget[];
}

/** Desired state of a PodDisruptionBudget: minAvailable or maxUnavailable over the selected pods. */
export interface PodDisruptionBudgetSpec {
  /** Pods (number or percent) that must stay available after an eviction. */
  minAvailable?: number | string;
  /** Pods the budget covers; an empty selector covers every pod of the namespace. */
  selector?: LabelSelector;
  /** Pods (number or percent) that may be unavailable after an eviction. */
  maxUnavailable?: number | string;
  /** When running but not ready pods may be evicted: only while the budget is met (IfHealthyBudget) or always. */
  unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
}

/** Observed state of a PodDisruptionBudget. */
export interface PodDisruptionBudgetStatus {
  /** Generation the disruption controller last acted on. */
  observedGeneration?: number;
  /** Pods whose eviction was accepted but that have not gone yet, with when it was accepted. */
  disruptedPods?: Record<string, string>;
  /** Evictions currently allowed. */
  disruptionsAllowed?: number;
  /** Healthy pods right now. */
  currentHealthy?: number;
  /** Healthy pods the budget requires. */
  desiredHealthy?: number;
  /** Pods counted by the budget. */
  expectedPods?: number;
  /** Latest observations, such as DisruptionAllowed. */
  conditions?: Condition[];
}

/** Asks for a pod to be evicted, honoring disruption budgets (POST to pods/<name>/eviction). */
export interface Eviction {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Options for deleting the pod. */
  deleteOptions?: DeleteOptions;
}
