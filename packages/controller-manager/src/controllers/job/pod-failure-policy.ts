// spec.podFailurePolicy (pkg/controller/job/pod_failure_policy.go): the first rule matching a failed pod, by a
// container's non-zero exit code or by a pod condition, decides whether the failure counts against backoffLimit
// (Count), is ignored (Ignore) or fails the whole Job at once (FailJob). FailIndex needs backoffLimitPerIndex,
// which k8ts does not implement; such a failure is counted.
import type { ContainerStatus, Pod, PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from '@k8ts/api-machinery';

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the message of the Job's failure. */
  failJobMessage?: string;
  /** False when an Ignore rule matched. */
  countFailed: boolean;
  action?: 'Count' | 'FailJob' | 'Ignore' | 'FailIndex';
}

function exitCodeMatches(code: number, req: PodFailurePolicyOnExitCodesRequirement): boolean {
  const values = req.values ?? [];
  if (req.operator === 'In') return values.includes(code);
  if (req.operator === 'NotIn') return !values.includes(code);
  return false;
}

/** The first terminated container (regular ones first, then init containers) whose non-zero exit code matches. */
function matchingContainer(pod: Pod, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  for (const list of [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []]) {
    for (const cs of list) {
      const terminated = cs.state?.terminated;
      if (!terminated) continue;
      if (req.containerName !== undefined && req.containerName !== cs.name) continue;
      if (terminated.exitCode !== 0 && exitCodeMatches(terminated.exitCode ?? 0, req)) return cs;
    }
  }
  return undefined;
}

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  const where = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let subject: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchingContainer(pod, rule.onExitCodes);
      if (cs) subject = `Container ${cs.name} for pod ${where} failed with exit code ${cs.state?.terminated?.exitCode ?? 0}`;
    } else if (rule.onPodConditions) {
      const cond = (pod.status?.conditions ?? []).find((c) => rule.onPodConditions!.some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (cond) subject = `Pod ${where} has condition ${cond.type}`;
    }
    if (subject === undefined) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage: `${subject} matching FailJob rule at index ${index}`, countFailed: true, action: 'FailJob' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      default:
        continue;
    }
  }
  return { countFailed: true };
}
