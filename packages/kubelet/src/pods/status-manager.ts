// Writes pod statuses through the status subresource, only when they changed, and performs the final delete that
// makes a terminated pod disappear. A status carries every condition and container status the kubelet owns, so a
// JSON merge patch of the whole status is exact (lists are replaced); PodScheduled is copied from the pod.
import { isDeepStrictEqual } from 'node:util';
import type { corev1 } from '@k8ts/api-machinery';
import { isConflict, isNotFound, refs, type KubeClient } from '@k8ts/client';
import type { Logger } from '@k8ts/observability';

export class StatusManager {
  /** The last status written per pod uid. */
  private readonly written = new Map<string, corev1.PodStatus>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
  ) {}

  private pods(ns: string) {
    return this.client.resource<corev1.Pod>(refs.pods).namespace(ns);
  }

  /** Writes `status` unless it equals what the pod (or our last write) already says. Returns the updated pod. */
  async setStatus(pod: corev1.Pod, status: corev1.PodStatus): Promise<corev1.Pod | undefined> {
    const uid = pod.metadata?.uid ?? '';
    const last = this.written.get(uid);
    if (last && isDeepStrictEqual(last, status) && isDeepStrictEqual(pod.status, status)) return undefined;
    if (isDeepStrictEqual(pod.status, status)) {
      this.written.set(uid, status);
      return undefined;
    }
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // The uid in the patch is a precondition: a new pod with the same name must not get this pod's status.
        const updated = await this.pods(ns).patchStatus(name, 'merge', { metadata: { uid }, status });
        this.written.set(uid, status);
        return updated;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e) || attempt === 4) throw e;
      }
    }
    return undefined;
  }

  /** The final delete (grace 0) once every container is stopped: the pod object goes away. */
  async finalDelete(pod: corev1.Pod): Promise<void> {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    try {
      await this.pods(ns).delete(name, { gracePeriodSeconds: 0, preconditions: { uid } });
      this.logger.debug({ pod: `${ns}/${name}` }, 'pod deleted');
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
