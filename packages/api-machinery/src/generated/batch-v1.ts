// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// batch/v1 (io.k8s.api.batch.v1): types of the objects as the API serves them.
import type { ObjectReference, PodTemplateSpec } from './core-v1.js';
import type { LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** Runs pods until a given number of them complete successfully. */
export interface Job {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the Job. */
  spec?: JobSpec;
  /** Most recently observed state of the Job. */
  status?: JobStatus;
}

/** A list of Job objects. */
export interface JobList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Job objects. */
  items: Job[];
}

/** Desired behavior of a Job. */
export interface JobSpec {
  /** Most pods the Job runs at the same time. */
  parallelism?: number;
  /** Successful pods needed for the Job to complete; unset means any one success completes it. */
  completions?: number;
  /** Seconds from the start after which the Job is stopped and marked failed. */
  activeDeadlineSeconds?: number;
  /** How pod failures count against backoffLimit or end the Job. */
  podFailurePolicy?: PodFailurePolicy;
  /** When an Indexed Job may be declared successful before all indexes succeed. */
  successPolicy?: SuccessPolicy;
  /** Retries before the Job is marked failed. */
  backoffLimit?: number;
  /** Retries allowed for each index of an Indexed Job. */
  backoffLimitPerIndex?: number;
  /** Failed indexes tolerated before an Indexed Job is marked failed. */
  maxFailedIndexes?: number;
  /** Label query over the pods of the Job; generated unless manualSelector is true. */
  selector?: LabelSelector;
  /** True to supply the selector yourself instead of the generated unique one. */
  manualSelector?: boolean;
  /** Template of the pods the Job runs. */
  template?: PodTemplateSpec;
  /** Seconds after completion or failure after which the finished Job is deleted. */
  ttlSecondsAfterFinished?: number;
  /** NonIndexed: pods are interchangeable; Indexed: each pod gets an index 0..completions-1. */
  completionMode?: 'NonIndexed' | 'Indexed';
  /** When true, the Job controller creates no pods and removes running ones. */
  suspend?: boolean;
  /** When a replacement pod is created: once the old one failed, or already while it terminates. */
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed';
  /** Controller that reconciles the Job; empty or kubernetes.io/job-controller for the built-in one. */
  managedBy?: string;
}

/** How failed pods affect a Job. */
export interface PodFailurePolicy {
  /** Rules evaluated in order; the first that matches a failed pod applies. */
  rules?: PodFailurePolicyRule[];
}

/** One pod failure policy rule: a matcher (exit codes or pod conditions) and an action. */
export interface PodFailurePolicyRule {
  /** What to do when the rule matches a failed pod. */
  action?: 'Count' | 'FailIndex' | 'FailJob' | 'Ignore';
  /** Matches by container exit codes. */
  onExitCodes?: PodFailurePolicyOnExitCodesRequirement;
  /** Matches by pod conditions; any pattern may match. */
  onPodConditions?: PodFailurePolicyOnPodConditionsPattern[];
}

/** Matches failed pods by the exit codes of their containers. */
export interface PodFailurePolicyOnExitCodesRequirement {
  /** Only this container is checked; unset checks every container. */
  containerName?: string;
  /** Whether an exit code must be in or outside values. */
  operator?: 'In' | 'NotIn';
  /** Exit codes, sorted, without duplicates. */
  values?: number[];
}

/** Matches failed pods by one of their conditions. */
export interface PodFailurePolicyOnPodConditionsPattern {
  /** Pod condition type to match. */
  type?: string;
  /** Status the condition must have. */
  status?: 'False' | 'True' | 'Unknown';
}

/** When an Indexed Job is declared successful. */
export interface SuccessPolicy {
  /** Rules; the Job succeeds once any one is met. */
  rules?: SuccessPolicyRule[];
}

/** One success rule of an Indexed Job. */
export interface SuccessPolicyRule {
  /** Indexes that must succeed, as a list of numbers and ranges such as "1,3-5,7". */
  succeededIndexes?: string;
  /** How many indexes (of succeededIndexes, if set) must succeed. */
  succeededCount?: number;
}

/** Observed state of a Job. */
export interface JobStatus {
  /** Latest observations of the Job state. */
  conditions?: JobCondition[];
  /** When the Job controller started working on the Job. */
  startTime?: string;
  /** When the Job completed. */
  completionTime?: string;
  /** Pods pending or running. */
  active?: number;
  /** Pods that succeeded. */
  succeeded?: number;
  /** Pods that failed. */
  failed?: number;
  /** Pods being terminated. */
  terminating?: number;
  /** Completed indexes of an Indexed Job, e.g. "1,3-5,7". */
  completedIndexes?: string;
  /** Failed indexes of an Indexed Job with backoffLimitPerIndex. */
  failedIndexes?: string;
  /** Finished pods the controller has not counted yet. */
  uncountedTerminatedPods?: UncountedTerminatedPods;
  /** Active pods with a Ready condition. */
  ready?: number;
}

/** Finished pods of a Job the controller still has to add to its counters. */
export interface UncountedTerminatedPods {
  /** UIDs of succeeded pods not counted yet. */
  succeeded?: string[];
  /** UIDs of failed pods not counted yet. */
  failed?: string[];
}

/** A condition of a Job. */
export interface JobCondition {
  /** Type of the condition: Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet. */
  type?: string;
  /** Whether the condition holds. */
  status?: 'True' | 'False' | 'Unknown';
  /** When the condition was last checked. */
  lastProbeTime?: string;
  /** When the condition last moved from one status to another. */
  lastTransitionTime?: string;
  /** Machine-readable reason for the last transition. */
  reason?: string;
  /** Human-readable details about the last transition. */
  message?: string;
}

/** Creates Jobs on a repeating schedule. */
export interface CronJob {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired behavior of the CronJob, including its schedule. */
  spec?: CronJobSpec;
  /** Most recently observed state of the CronJob. */
  status?: CronJobStatus;
}

/** A list of CronJob objects. */
export interface CronJobList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The CronJob objects. */
  items: CronJob[];
}

/** Desired behavior of a CronJob. */
export interface CronJobSpec {
  /** Cron schedule: five fields (minute hour day-of-month month day-of-week) or a macro such as @hourly. */
  schedule: string;
  /** IANA time zone the schedule is read in; unset means the controller manager time zone. */
  timeZone?: string;
  /** Seconds after a missed scheduled time within which the Job may still start. */
  startingDeadlineSeconds?: number;
  /** What to do when a run is due while the previous one still runs. */
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** When true, no new runs are started; running Jobs are unaffected. */
  suspend?: boolean;
  /** The Job each run creates. */
  jobTemplate?: JobTemplateSpec;
  /** Finished successful Jobs to keep. */
  successfulJobsHistoryLimit?: number;
  /** Finished failed Jobs to keep. */
  failedJobsHistoryLimit?: number;
}

/** The Job a CronJob creates on each run. */
export interface JobTemplateSpec {
  /** Metadata given to the Jobs created from this template. */
  metadata?: ObjectMeta;
  /** Spec of the Jobs created from this template. */
  spec?: JobSpec;
}

/** Observed state of a CronJob. */
export interface CronJobStatus {
  /** Jobs of this CronJob that are running. */
  active?: ObjectReference[];
  /** When a Job was last scheduled. */
  lastScheduleTime?: string;
  /** When a Job last completed successfully. */
  lastSuccessfulTime?: string;
}
