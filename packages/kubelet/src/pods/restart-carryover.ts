// After a kubelet restart the probe workers start from Kubernetes' initial results (readiness failing, startup not
// passed), which would turn every Ready pod NotReady until its probes ran again (kubernetes#100277, #113646). Like
// Kubernetes 1.35 (ChangeContainerStatusOnKubeletRestart=false), a container that was already running when this
// kubelet started keeps the ready/started values the API status has for that same container ID, until its probes
// have published a verdict of their own.
import type { corev1 } from '@k8ts/api-machinery';
import type { ContainerInstance } from '../runtime/types.js';

type Kind = 'liveness' | 'readiness' | 'startup';

const DEFAULT_FAILURE_THRESHOLD = 3;

export class RestartCarryover {
  /** `<kind>/<container id>` whose probe has published a result since this kubelet started. */
  private readonly settled = new Set<string>();
  /** Failed attempts per `<kind>/<container id>`: a failure verdict equal to the initial one is not a "change". */
  private readonly failures = new Map<string, number>();

  constructor(private readonly kubeletStartedAt: number) {}

  /** A probe report: a changed result settles it; so do as many failures as the probe's failureThreshold. */
  probeReported(spec: corev1.Container | undefined, kind: Kind, containerId: string, result: string, changed: boolean): void {
    const key = `${kind}/${containerId}`;
    if (this.settled.has(key)) return;
    if (changed) {
      this.settle(key);
      return;
    }
    if (result !== 'failure') return;
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const probe = kind === 'readiness' ? spec?.readinessProbe : kind === 'startup' ? spec?.startupProbe : spec?.livenessProbe;
    if (n >= (probe?.failureThreshold || DEFAULT_FAILURE_THRESHOLD)) this.settle(key);
  }

  /** Ready as the API said before the restart, or undefined (ask the probes). */
  ready(pod: corev1.Pod, spec: corev1.Container | undefined, instance: ContainerInstance | undefined): boolean | undefined {
    if (!instance || !this.adopted(instance)) return undefined;
    const gate = spec?.readinessProbe ? 'readiness' : spec?.startupProbe ? 'startup' : undefined;
    if (!gate || this.settled.has(`${gate}/${instance.id}`)) return undefined;
    return previousStatus(pod, instance)?.ready === true ? true : undefined;
  }

  /** Started as the API said before the restart, or undefined (ask the probes). */
  started(pod: corev1.Pod, spec: corev1.Container | undefined, instance: ContainerInstance | undefined): boolean | undefined {
    if (!instance || !this.adopted(instance) || !spec?.startupProbe || this.settled.has(`startup/${instance.id}`)) return undefined;
    return previousStatus(pod, instance)?.started === true ? true : undefined;
  }

  forget(containerIds: Iterable<string>): void {
    for (const id of containerIds) {
      for (const kind of ['liveness', 'readiness', 'startup']) {
        this.settled.delete(`${kind}/${id}`);
        this.failures.delete(`${kind}/${id}`);
      }
    }
  }

  private settle(key: string): void {
    this.settled.add(key);
    this.failures.delete(key);
  }

  private adopted(instance: ContainerInstance): boolean {
    return instance.state === 'running' && (instance.startedAt ?? instance.createdAt) < this.kubeletStartedAt;
  }
}

/** The API status of exactly this container instance (same container ID), if the pod carries one. */
function previousStatus(pod: corev1.Pod, instance: ContainerInstance): corev1.ContainerStatus | undefined {
  const list = instance.isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return list?.find((s) => s.name === instance.name && s.containerID === `docker://${instance.id}`);
}
