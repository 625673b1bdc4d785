// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// autoscaling/v1 (io.k8s.api.autoscaling.v1): types of the objects as the API serves them.
import type { ListMeta, ObjectMeta } from './meta-v1.js';

/** Scales a workload between bounds to keep its average CPU use near a target. */
export interface HorizontalPodAutoscaler {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the autoscaler. */
  spec?: HorizontalPodAutoscalerSpec;
  /** Most recently observed state of the autoscaler. */
  status?: HorizontalPodAutoscalerStatus;
}

/** A list of HorizontalPodAutoscaler objects. */
export interface HorizontalPodAutoscalerList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The HorizontalPodAutoscaler objects. */
  items: HorizontalPodAutoscaler[];
}

/** Desired behavior of a HorizontalPodAutoscaler. */
export interface HorizontalPodAutoscalerSpec {
  /** The workload to scale, through its scale subresource. */
  scaleTargetRef?: CrossVersionObjectReference;
  /** Lowest replica count the autoscaler sets. */
  minReplicas?: number;
  /** Highest replica count the autoscaler sets; at least minReplicas. */
  maxReplicas?: number;
  /** Target average CPU use of the pods, in percent of their request. */
  targetCPUUtilizationPercentage?: number;
}

/** Refers to an object of any API group and version by kind and name. */
export interface CrossVersionObjectReference {
  /** Kind of the referent, e.g. Deployment. */
  kind?: string;
  /** Name of the referent. */
  name?: string;
  /** API version of the referent, e.g. apps/v1. */
  apiVersion?: string;
}

/** Observed state of a HorizontalPodAutoscaler. */
export interface HorizontalPodAutoscalerStatus {
  /** Generation the autoscaler last acted on. */
  observedGeneration?: number;
  /** When the autoscaler last changed the replica count. */
  lastScaleTime?: string;
  /** Replicas the workload has now. */
  currentReplicas?: number;
  /** Replicas the autoscaler wants. */
  desiredReplicas?: number;
  /** Current average CPU use of the pods, in percent of their request. */
  currentCPUUtilizationPercentage?: number;
}

/** The replica count of a scalable resource, read and written through its scale subresource. */
export interface Scale {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired replica count. */
  spec?: ScaleSpec;
  /** Current replica count and pod selector. */
  status?: ScaleStatus;
}

/** Desired replica count of a scale subresource. */
export interface ScaleSpec {
  /** Desired number of replicas. */
  replicas?: number;
}

/** Observed replica count of a scale subresource. */
export interface ScaleStatus {
  /** Observed number of replicas. */
  replicas?: number;
  /** Label selector of the pods, in query-string form (e.g. app=web,tier in (a,b)). */
  selector?: string;
}
