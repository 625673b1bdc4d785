// The DefaultStorageClass admission plugin (on by default in kube-apiserver): a PersistentVolumeClaim created
// without spec.storageClassName gets the cluster's default class. An explicit "" means "no class" and stays.
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The default class among `classes`: annotated "true"; with several, the newest, then by name (as Kubernetes). */
export function pickDefaultStorageClass(classes: JsonObject[]): string | undefined {
  const defaults = classes
    .map((c) => (isJsonObject(c.metadata) ? c.metadata : {}))
    .filter((m) => isJsonObject(m.annotations) && m.annotations[DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => String(b.creationTimestamp ?? '').localeCompare(String(a.creationTimestamp ?? '')) || String(a.name).localeCompare(String(b.name)));
  const name = defaults[0]?.name;
  return typeof name === 'string' ? name : undefined;
}

export async function assignDefaultStorageClass(pvc: JsonObject, defaultClass: () => Promise<string | undefined>): Promise<void> {
  const spec = isJsonObject(pvc.spec) ? pvc.spec : undefined;
  if (!spec || spec.storageClassName !== undefined) return;
  const name = await defaultClass();
  if (name !== undefined) spec.storageClassName = name;
}
