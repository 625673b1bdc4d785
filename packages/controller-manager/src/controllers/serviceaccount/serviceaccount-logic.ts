// The decisions of the service account controller (pkg/controller/serviceaccount) and of the root CA publisher
// (pkg/controller/certificates/rootcacertpublisher), pure: which ServiceAccounts an Active namespace lacks, and what
// its kube-root-ca.crt ConfigMap should hold.
import type { ConfigMap, Namespace } from '@k8ts/api-machinery';

/** --service-account names every namespace gets (ServiceAccountsControllerOptions' default). */
export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The names of `wanted` missing from `existing`; none while the namespace is not Active (terminating, or unknown). */
export function serviceAccountsToCreate(ns: Namespace, existing: ReadonlySet<string>, wanted: string[] = DEFAULT_SERVICE_ACCOUNTS): string[] {
  if (ns.status?.phase !== 'Active') return [];
  return wanted.filter((name) => !existing.has(name));
}

export type RootCaDecision = { action: 'create'; configMap: ConfigMap } | { action: 'update'; configMap: ConfigMap } | { action: 'none' };

/** syncNamespace of the publisher: create it, or put back the CA and the description annotation if changed. */
export function rootCaDecision(namespace: string, current: ConfigMap | undefined, ca: string): RootCaDecision {
  const data = { 'ca.crt': ca };
  if (!current) {
    return {
      action: 'create',
      configMap: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
        data,
      },
    };
  }
  const sameData = JSON.stringify(Object.entries(current.data ?? {}).sort()) === JSON.stringify(Object.entries(data).sort());
  if (sameData && (current.metadata?.annotations?.[DESCRIPTION_ANNOTATION] ?? '') !== '') return { action: 'none' };
  const annotations = { ...(current.metadata?.annotations ?? {}) };
  if (annotations[DESCRIPTION_ANNOTATION] === undefined) annotations[DESCRIPTION_ANNOTATION] = ROOT_CA_DESCRIPTION;
  return { action: 'update', configMap: { ...current, metadata: { ...current.metadata, annotations }, data } };
}
