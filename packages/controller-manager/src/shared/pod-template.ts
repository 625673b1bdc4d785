// The pod a controller creates from its template (pkg/controller GetPodFromTemplate): the template's labels,
// annotations, finalizers and spec, a generateName of "<owner>-", and the owner's controller reference.
import type { OwnerReference, Pod, PodTemplateSpec } from '@k8ts/api-machinery';
import { cloneJson, type JsonValue } from '@k8ts/api-machinery';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** "<name>-", unless that is not a valid name prefix (then the name alone, as Kubernetes does). */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  // A generateName prefix may end in '-': validate it with a trailing character added.
  return DNS1123_SUBDOMAIN.test(`${prefix}a`) && prefix.length <= 253 ? prefix : controllerName;
}

export function podFromTemplate(
  template: PodTemplateSpec,
  namespace: string,
  controllerName: string,
  controllerRef: OwnerReference | undefined,
): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(controllerName),
      namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [{ ...controllerRef }] } : {}),
    },
    spec: cloneJson((template.spec ?? { containers: [] }) as unknown as JsonValue) as unknown as NonNullable<Pod['spec']>,
  };
  return pod;
}
