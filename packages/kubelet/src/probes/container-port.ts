import type { corev1 } from '@k8ts/api-machinery';

export type PortResolution = { port: number } | { error: string };

/**
 * A probe's or hook's port as the kubelet resolves it (pkg/probe ResolveContainerPort): a number is taken as is; a
 * string is first looked up among the container's named ports, then tried as a number written as a string.
 */
export function resolveContainerPort(param: number | string | undefined, container: corev1.Container): PortResolution {
  let port: number;
  if (typeof param === 'number') {
    port = param;
  } else if (typeof param === 'string') {
    const named = container.ports?.find((p) => p.name === param);
    if (named) port = named.containerPort ?? 0;
    else if (/^[+-]?\d+$/.test(param)) port = Number(param);
    // Kubernetes ends up reporting strconv.Atoi's complaint here; the port lookup's own wording says more.
    else return { error: `port ${param} not found in the ports of container ${container.name}` };
  } else {
    return { error: 'intOrString had no kind: port is missing' };
  }
  if (Number.isInteger(port) && port > 0 && port < 65536) return { port };
  return { error: `invalid port number: ${port}` };
}
