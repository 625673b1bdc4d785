// Which container of which pod on which node a log/exec/attach request means, with Kubernetes' 400s when the
// request does not say enough or the container cannot be reached yet.
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';

export interface PodTarget {
  pod: JsonObject;
  nodeName: string;
  container: string;
}

function names(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).filter(isJsonObject).map((c) => String(c.name));
}

/**
 * The container a request names, or the pod's only container. Kubernetes' message lists the choices (init and
 * ephemeral containers too).
 */
export function pickContainer(pod: JsonObject, requested: string | undefined | null): string {
  const name = String((pod.metadata as JsonObject | undefined)?.name ?? '');
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (requested) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (init.length) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw errors.badRequest(message);
}

function containerStatus(pod: JsonObject, container: string): JsonObject | undefined {
  const status = isJsonObject(pod.status) ? pod.status : {};
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const list = Array.isArray(status[key]) ? (status[key] as unknown[]) : [];
    const found = list.filter(isJsonObject).find((s) => s.name === container);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads the pod and resolves the container; `needsStarted` refuses containers that are still waiting (logs of a
 * container that never ran, exec into one that is not running) as the kubelet would.
 */
export async function resolvePodTarget(
  ctx: ApiContext,
  namespace: string,
  podName: string,
  requested: string | null | undefined,
  opts: { needsStarted: boolean; previous?: boolean },
): Promise<PodTarget> {
  const pod = await ctx.registryFor('', 'v1', 'pods').get(namespace, podName);
  const container = pickContainer(pod, requested);
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  const status = containerStatus(pod, container);
  const state = status && isJsonObject(status.state) ? status.state : undefined;
  if (opts.needsStarted && !opts.previous) {
    const waiting = state && isJsonObject(state.waiting) ? state.waiting : undefined;
    if (!nodeName || (waiting && !state?.running && !state?.terminated)) {
      const reason = waiting && typeof waiting.reason === 'string' && waiting.reason ? waiting.reason : 'ContainerCreating';
      throw errors.badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
    }
  }
  if (!nodeName) throw errors.badRequest(`pod ${podName} does not have a host assigned`);
  return { pod, nodeName, container };
}

/** exec/attach refuse pods that have finished, as Kubernetes does. */
export function checkPodRunning(pod: JsonObject): void {
  const phase = isJsonObject(pod.status) ? pod.status.phase : undefined;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw errors.badRequest(`cannot exec into a container in a completed pod; current phase is ${String(phase)}`);
  }
}
