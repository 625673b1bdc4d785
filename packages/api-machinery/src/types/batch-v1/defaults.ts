// batch/v1 conditional defaulting (pkg/apis/batch/v1/defaults.go) plus the selector generation the Job strategy
// performs on create. CronJob defaults are unconditional and live in the schema.
import type { JsonObject } from '../../json.js';
import type { Defaulter } from '../../schema/module.js';
import { obj, str } from '../apps-v1/helpers.js';
import { JOB } from './schemas.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
const MAX_INT32 = 2147483647;

/**
 * Unless the user manages the selector, pods are labelled with the Job's uid and name (new and legacy keys) and
 * selected by the uid label, so no two Jobs ever share pods. Labels the user set already are left alone: validation
 * then reports the mismatch. Needs metadata.uid, which the server sets before defaulting on create.
 */
export function generateJobSelector(job: JsonObject): void {
  const meta = obj(job.metadata) ?? {};
  const spec = obj(job.spec);
  const uid = str(meta.uid);
  if (!spec || !uid || spec.manualSelector === true) return;
  const template = obj(spec.template) ?? {};
  spec.template = template;
  const tmeta = obj(template.metadata) ?? {};
  template.metadata = tmeta;
  const labels = obj(tmeta.labels) ?? {};
  tmeta.labels = labels;
  const name = str(meta.name) ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const selector = obj(spec.selector) ?? {};
  spec.selector = selector;
  const matchLabels = obj(selector.matchLabels) ?? {};
  selector.matchLabels = matchLabels;
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

const defaultJob: Defaulter = (job) => {
  const spec = obj(job.spec) ?? {};
  job.spec = spec;
  // A non-parallel Job may leave both unset; then both are 1.
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  // With per-index limits the global limit is effectively off.
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  // A pod failure policy needs to see the final phase of a pod, so replacements wait for it.
  spec.podReplacementPolicy ??= spec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
  // The Job inherits its pod template labels when it has none of its own. Kubernetes copies the user's labels
  // here and, when there were none, the generated ones the next time the stored Job is read; both are done now.
  inheritTemplateLabels(job);
  generateJobSelector(job);
  inheritTemplateLabels(job);
};

function inheritTemplateLabels(job: JsonObject): void {
  const templateLabels = obj(obj(obj(obj(job.spec)?.template)?.metadata)?.labels);
  const meta = obj(job.metadata) ?? {};
  const jobLabels = obj(meta.labels);
  if (templateLabels && (!jobLabels || Object.keys(jobLabels).length === 0)) {
    meta.labels = { ...templateLabels };
    job.metadata = meta;
  }
}

export const batchDefaulters: Record<string, Defaulter> = {
  [JOB]: defaultJob,
};
