// batch/v1 component schemas: Job and CronJob, with pod failure/success policies and their statuses
// (field types and patch metadata as in k8s.io/api/batch/v1).
import { s, type Schema } from '../../schema/schema.js';
import { conditionsArray, kindSchema, listSchema } from '../apps-v1/helpers.js';
import { LABEL_SELECTOR, OBJECT_META } from '../meta-v1/schemas.js';

export const BATCH = 'io.k8s.api.batch.v1';
export const GROUP = 'batch';
export const VERSION = 'v1';

export const JOB = `${BATCH}.Job`;
export const JOB_SPEC = `${BATCH}.JobSpec`;
export const JOB_STATUS = `${BATCH}.JobStatus`;
export const JOB_TEMPLATE_SPEC = `${BATCH}.JobTemplateSpec`;
export const CRON_JOB = `${BATCH}.CronJob`;
export const CRON_JOB_SPEC = `${BATCH}.CronJobSpec`;
export const POD_FAILURE_POLICY = `${BATCH}.PodFailurePolicy`;
export const SUCCESS_POLICY = `${BATCH}.SuccessPolicy`;

const nonNegative = { minimum: 0 };

export const batchSchemas: Record<string, Schema> = {
  // --- Job
  [JOB]: kindSchema(GROUP, VERSION, 'Job', 'Runs pods until a given number of them complete successfully.', {
    spec: s.ref(JOB_SPEC, 'Desired behavior of the Job.'),
    status: s.ref(JOB_STATUS, 'Most recently observed state of the Job.'),
  }),
  [`${BATCH}.JobList`]: listSchema(GROUP, VERSION, 'Job', JOB),
  // No `default` keywords here: Kubernetes defaults a Job's spec, not the spec inside a CronJob's jobTemplate.
  [JOB_SPEC]: s.object(
    {
      parallelism: s.int32('Most pods the Job runs at the same time.', nonNegative),
      completions: s.int32('Successful pods needed for the Job to complete; unset means any one success completes it.', nonNegative),
      activeDeadlineSeconds: s.int64('Seconds from the start after which the Job is stopped and marked failed.', nonNegative),
      podFailurePolicy: s.ref(POD_FAILURE_POLICY, 'How pod failures count against backoffLimit or end the Job.'),
      successPolicy: s.ref(SUCCESS_POLICY, 'When an Indexed Job may be declared successful before all indexes succeed.'),
      backoffLimit: s.int32('Retries before the Job is marked failed.', nonNegative),
      backoffLimitPerIndex: s.int32('Retries allowed for each index of an Indexed Job.', nonNegative),
      maxFailedIndexes: s.int32('Failed indexes tolerated before an Indexed Job is marked failed.', nonNegative),
      selector: s.ref(LABEL_SELECTOR, 'Label query over the pods of the Job; generated unless manualSelector is true.'),
      manualSelector: s.boolean('True to supply the selector yourself instead of the generated unique one.'),
      template: s.ref('io.k8s.api.core.v1.PodTemplateSpec', 'Template of the pods the Job runs.'),
      ttlSecondsAfterFinished: s.int32('Seconds after completion or failure after which the finished Job is deleted.', nonNegative),
      completionMode: s.enumOf(['NonIndexed', 'Indexed'], 'NonIndexed: pods are interchangeable; Indexed: each pod gets an index 0..completions-1.'),
      suspend: s.boolean('When true, the Job controller creates no pods and removes running ones.'),
      podReplacementPolicy: s.enumOf(['Failed', 'TerminatingOrFailed'], 'When a replacement pod is created: once the old one failed, or already while it terminates.'),
      managedBy: s.string('Controller that reconciles the Job; empty or kubernetes.io/job-controller for the built-in one.', { maxLength: 63 }),
    },
    'Desired behavior of a Job.',
  ),
  [POD_FAILURE_POLICY]: s.object(
    {
      rules: s.array(s.ref(`${BATCH}.PodFailurePolicyRule`), 'Rules evaluated in order; the first that matches a failed pod applies.', {
        listType: 'atomic',
        maxItems: 20,
      }),
    },
    'How failed pods affect a Job.',
  ),
  [`${BATCH}.PodFailurePolicyRule`]: s.object(
    {
      action: s.enumOf(['Count', 'FailIndex', 'FailJob', 'Ignore'], 'What to do when the rule matches a failed pod.'),
      onExitCodes: s.ref(`${BATCH}.PodFailurePolicyOnExitCodesRequirement`, 'Matches by container exit codes.'),
      onPodConditions: s.array(s.ref(`${BATCH}.PodFailurePolicyOnPodConditionsPattern`), 'Matches by pod conditions; any pattern may match.', {
        listType: 'atomic',
        maxItems: 20,
      }),
    },
    'One pod failure policy rule: a matcher (exit codes or pod conditions) and an action.',
  ),
  [`${BATCH}.PodFailurePolicyOnExitCodesRequirement`]: s.object(
    {
      containerName: s.string('Only this container is checked; unset checks every container.'),
      operator: s.enumOf(['In', 'NotIn'], 'Whether an exit code must be in or outside values.'),
      values: s.array(s.int32(), 'Exit codes, sorted, without duplicates.', { listType: 'set', maxItems: 255 }),
    },
    'Matches failed pods by the exit codes of their containers.',
  ),
  [`${BATCH}.PodFailurePolicyOnPodConditionsPattern`]: s.object(
    {
      type: s.string('Pod condition type to match.', { validate: ['qualified-name'] }),
      status: s.enumOf(['False', 'True', 'Unknown'], 'Status the condition must have.', { default: 'True' }),
    },
    'Matches failed pods by one of their conditions.',
  ),
  [SUCCESS_POLICY]: s.object(
    {
      rules: s.array(s.ref(`${BATCH}.SuccessPolicyRule`), 'Rules; the Job succeeds once any one is met.', { listType: 'atomic', maxItems: 20 }),
    },
    'When an Indexed Job is declared successful.',
  ),
  [`${BATCH}.SuccessPolicyRule`]: s.object(
    {
      succeededIndexes: s.string('Indexes that must succeed, as a list of numbers and ranges such as "1,3-5,7".', { maxLength: 65536 }),
      succeededCount: s.int32('How many indexes (of succeededIndexes, if set) must succeed.', nonNegative),
    },
    'One success rule of an Indexed Job.',
  ),
  [JOB_STATUS]: s.object(
    {
      conditions: conditionsArray(`${BATCH}.JobCondition`, 'Latest observations of the Job state.', 'atomic'),
      startTime: s.time('When the Job controller started working on the Job.'),
      completionTime: s.time('When the Job completed.'),
      active: s.int32('Pods pending or running.', nonNegative),
      succeeded: s.int32('Pods that succeeded.', nonNegative),
      failed: s.int32('Pods that failed.', nonNegative),
      terminating: s.int32('Pods being terminated.', nonNegative),
      completedIndexes: s.string('Completed indexes of an Indexed Job, e.g. "1,3-5,7".'),
      failedIndexes: s.string('Failed indexes of an Indexed Job with backoffLimitPerIndex.'),
      uncountedTerminatedPods: s.ref(`${BATCH}.UncountedTerminatedPods`, 'Finished pods the controller has not counted yet.'),
      ready: s.int32('Active pods with a Ready condition.', nonNegative),
    },
    'Observed state of a Job.',
  ),
  [`${BATCH}.UncountedTerminatedPods`]: s.object(
    {
      succeeded: s.array(s.string(), 'UIDs of succeeded pods not counted yet.', { listType: 'set' }),
      failed: s.array(s.string(), 'UIDs of failed pods not counted yet.', { listType: 'set' }),
    },
    'Finished pods of a Job the controller still has to add to its counters.',
  ),
  [`${BATCH}.JobCondition`]: s.object(
    {
      type: s.string('Type of the condition: Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
      status: s.enumOf(['True', 'False', 'Unknown'], 'Whether the condition holds.'),
      lastProbeTime: s.time('When the condition was last checked.'),
      lastTransitionTime: s.time('When the condition last moved from one status to another.'),
      reason: s.string('Machine-readable reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    'A condition of a Job.',
  ),

  // --- CronJob
  [CRON_JOB]: kindSchema(GROUP, VERSION, 'CronJob', 'Creates Jobs on a repeating schedule.', {
    spec: s.ref(CRON_JOB_SPEC, 'Desired behavior of the CronJob, including its schedule.'),
    status: s.ref(`${BATCH}.CronJobStatus`, 'Most recently observed state of the CronJob.'),
  }),
  [`${BATCH}.CronJobList`]: listSchema(GROUP, VERSION, 'CronJob', CRON_JOB),
  [CRON_JOB_SPEC]: s.object(
    {
      schedule: s.string('Cron schedule: five fields (minute hour day-of-month month day-of-week) or a macro such as @hourly.'),
      timeZone: s.string('IANA time zone the schedule is read in; unset means the controller manager time zone.'),
      startingDeadlineSeconds: s.int64('Seconds after a missed scheduled time within which the Job may still start.', nonNegative),
      concurrencyPolicy: s.enumOf(['Allow', 'Forbid', 'Replace'], 'What to do when a run is due while the previous one still runs.', { default: 'Allow' }),
      suspend: s.boolean('When true, no new runs are started; running Jobs are unaffected.', { default: false }),
      jobTemplate: s.ref(JOB_TEMPLATE_SPEC, 'The Job each run creates.'),
      successfulJobsHistoryLimit: s.int32('Finished successful Jobs to keep.', { default: 3, ...nonNegative }),
      failedJobsHistoryLimit: s.int32('Finished failed Jobs to keep.', { default: 1, ...nonNegative }),
    },
    'Desired behavior of a CronJob.',
    { required: ['schedule'] },
  ),
  [JOB_TEMPLATE_SPEC]: s.object(
    {
      metadata: s.ref(OBJECT_META, 'Metadata given to the Jobs created from this template.'),
      spec: s.ref(JOB_SPEC, 'Spec of the Jobs created from this template.'),
    },
    'The Job a CronJob creates on each run.',
  ),
  [`${BATCH}.CronJobStatus`]: s.object(
    {
      active: s.array(s.ref('io.k8s.api.core.v1.ObjectReference'), 'Jobs of this CronJob that are running.', { listType: 'atomic' }),
      lastScheduleTime: s.time('When a Job was last scheduled.'),
      lastSuccessfulTime: s.time('When a Job last completed successfully.'),
    },
    'Observed state of a CronJob.',
  ),
};
