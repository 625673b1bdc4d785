// Dead-container garbage collection (the kubelet's containerGC): keep the newest `maxPerContainer` dead instances of
// each container of a live pod (what `logs --previous` and lastState need), at most `maxTotal` dead ones on the
// node, oldest removed first. The newest instance of a container is never removed (it carries the current state),
// and running containers are never touched. Pods that no longer exist are the pod worker's to clean up.
import type { corev1 } from '@k8ts/api-machinery';
import type { Logger } from '@k8ts/observability';
import type { PodRuntime } from './pod-runtime.js';
import type { ContainerInstance, PodRuntimeStatus } from './types.js';

export interface GcPolicy {
  maxPerContainer: number;
  /** -1: no node-wide limit. */
  maxTotal: number;
  logger: Logger;
}

/** Which dead containers to remove, oldest first (pure, for tests). */
export function deadContainersToRemove(pods: Array<{ uid: string; containers: ContainerInstance[] }>, policy: Omit<GcPolicy, 'logger'>): ContainerInstance[] {
  const beyondPerContainer: ContainerInstance[] = [];
  const kept: ContainerInstance[] = [];
  for (const pod of pods) {
    const byName = new Map<string, ContainerInstance[]>();
    for (const c of pod.containers) {
      const key = `${c.isInit ? 'init' : 'app'}/${c.name}`;
      byName.set(key, [...(byName.get(key) ?? []), c]);
    }
    for (const instances of byName.values()) {
      const sorted = [...instances].sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
      // The newest instance stays (current state); of the older dead ones keep maxPerContainer.
      const dead = sorted.slice(1).filter((c) => c.state === 'exited');
      const keep = Math.max(0, policy.maxPerContainer);
      kept.push(...dead.slice(0, keep));
      beyondPerContainer.push(...dead.slice(keep));
    }
  }
  const byAge = (a: ContainerInstance, b: ContainerInstance): number => a.createdAt - b.createdAt;
  const overflow = policy.maxTotal >= 0 && kept.length > policy.maxTotal ? [...kept].sort(byAge).slice(0, kept.length - policy.maxTotal) : [];
  return [...beyondPerContainer, ...overflow].sort(byAge);
}

/** `runtimePods` is the housekeeping pass's one listing of the runtime (no second list per pass). */
export async function collectGarbage(runtime: PodRuntime, runtimePods: PodRuntimeStatus[], livePods: ReadonlyMap<string, corev1.Pod>, policy: GcPolicy): Promise<number> {
  const pods = runtimePods.filter((p) => livePods.has(p.uid));
  const remove = deadContainersToRemove(pods, policy);
  for (const c of remove) {
    try {
      await runtime.removeContainer(c.id);
    } catch (e) {
      policy.logger.warn({ err: e, container: c.id }, 'removing a dead container failed');
    }
  }
  if (remove.length) policy.logger.debug({ removed: remove.length }, 'dead containers collected');
  return remove.length;
}
