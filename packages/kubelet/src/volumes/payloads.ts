// What configMap, secret, downwardAPI and projected volumes contain (their plugins' MakePayload / CollectData), as
// a Payload for the atomic writer. Messages are Kubernetes' own.
import type { corev1 } from '@k8ts/api-machinery';
import { containerResourceValue, findContainer, podMetadataField } from '../pods/env.js';
import type { FileProjection, Payload } from './atomic-writer.js';
import { VolumeSetUpError, type ServiceAccountToken, type VolumeSources } from './types.js';

/** Kubernetes' defaults for defaultMode (the API usually fills them in). */
export const DEFAULT_CONFIG_MAP_MODE = 0o644;
export const DEFAULT_SECRET_MODE = 0o644;
export const DEFAULT_DOWNWARD_API_MODE = 0o644;
export const DEFAULT_PROJECTED_MODE = 0o644;
/** The expiry Kubernetes defaults serviceAccountToken projections to. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export function configMapNotFound(name: string): VolumeSetUpError {
  return new VolumeSetUpError(`configmap "${name}" not found`);
}

export function secretNotFound(name: string): VolumeSetUpError {
  return new VolumeSetUpError(`secret "${name}" not found`);
}

function keyedPayload(
  entries: Map<string, Buffer>,
  items: corev1.KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
): Payload {
  const payload: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [key, data] of entries) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = entries.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new VolumeSetUpError(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

function configMapEntries(configMap: corev1.ConfigMap): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(configMap.data ?? {})) entries.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) entries.set(key, Buffer.from(value, 'base64'));
  return entries;
}

function secretEntries(secret: corev1.Secret): Map<string, Buffer> {
  return new Map(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
}

/** A configMap's payload; `configMap` undefined means it was not found (empty when optional). */
export function configMapPayload(name: string, configMap: corev1.ConfigMap | undefined, items: corev1.KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  if (!configMap) {
    if (optional) return new Map();
    throw configMapNotFound(name);
  }
  return keyedPayload(configMapEntries(configMap), items, defaultMode, optional, (key) => `configmap references non-existent config key: ${key}`);
}

export function secretPayload(name: string, secret: corev1.Secret | undefined, items: corev1.KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  if (!secret) {
    if (optional) return new Map();
    throw secretNotFound(name);
  }
  return keyedPayload(secretEntries(secret), items, defaultMode, optional, (key) => `references non-existent secret key: ${key}`);
}

/** Collects errors like Kubernetes' utilerrors.NewAggregate: one message alone, several as `[a, b]`. */
function aggregate(errors: string[]): VolumeSetUpError | undefined {
  if (errors.length === 0) return undefined;
  return new VolumeSetUpError(errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`);
}

/** A downwardAPI volume's files: pod metadata fields and container resources. */
export function downwardApiPayload(pod: corev1.Pod, items: corev1.DownwardAPIVolumeFile[] | undefined, defaultMode: number, nodeAllocatable: Record<string, string>): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items ?? []) {
    const projection: FileProjection = { data: Buffer.alloc(0), mode: item.mode ?? defaultMode };
    try {
      if (item.fieldRef) {
        projection.data = Buffer.from(podMetadataField(pod, item.fieldRef.fieldPath ?? ''), 'utf8');
      } else if (item.resourceFieldRef) {
        const ref = item.resourceFieldRef;
        const container = findContainer(pod, ref.containerName ?? '');
        if (!container) throw new VolumeSetUpError(`container ${ref.containerName ?? ''} not found`);
        projection.data = Buffer.from(containerResourceValue(container, ref.resource ?? '', ref.divisor, nodeAllocatable), 'utf8');
      }
    } catch (error) {
      errors.push((error as Error).message);
    }
    payload.set(item.path ?? '', projection);
  }
  const failure = aggregate(errors);
  if (failure) throw failure;
  return payload;
}

/** Service account tokens by pod/volume/path, reused until 80% of their lifetime (the kubelet's token manager). */
interface CachedToken extends ServiceAccountToken {
  requestedAt: number;
}
const tokenCache = new Map<string, CachedToken>();
const MAX_TOKEN_AGE_MS = 24 * 3600 * 1000;

function tokenIsFresh(token: CachedToken, now: number): boolean {
  const expires = Date.parse(token.expirationTimestamp);
  if (!Number.isFinite(expires)) return false;
  const refreshAt = token.requestedAt + Math.min(0.8 * (expires - token.requestedAt), MAX_TOKEN_AGE_MS);
  return now < refreshAt;
}

/** Drops the cached tokens of a pod (on teardown). */
export function forgetPodTokens(podUid: string): void {
  for (const key of tokenCache.keys()) if (key.startsWith(`${podUid}/`)) tokenCache.delete(key);
}

export interface ProjectedContext {
  pod: corev1.Pod;
  volumeName: string;
  sources: VolumeSources;
  nodeAllocatable: Record<string, string>;
  now: () => number;
}

/** A projected volume's payload: its sources merged in order, errors collected from all of them. */
export async function projectedPayload(source: corev1.ProjectedVolumeSource, context: ProjectedContext): Promise<Payload> {
  const { pod, sources } = context;
  const namespace = pod.metadata?.namespace ?? 'default';
  const defaultMode = source.defaultMode ?? DEFAULT_PROJECTED_MODE;
  const payload: Payload = new Map();
  const errors: string[] = [];
  const merge = (part: Payload): void => {
    for (const [path, file] of part) payload.set(path, file);
  };
  for (const projection of source.sources ?? []) {
    try {
      if (projection.configMap) {
        const { name, items, optional = false } = projection.configMap;
        merge(configMapPayload(name, await sources.getConfigMap(namespace, name), items, defaultMode, optional));
      } else if (projection.secret) {
        const { name, items, optional = false } = projection.secret;
        merge(secretPayload(name, await sources.getSecret(namespace, name), items, defaultMode, optional));
      } else if (projection.downwardAPI) {
        merge(downwardApiPayload(pod, projection.downwardAPI.items, defaultMode, context.nodeAllocatable));
      } else if (projection.serviceAccountToken) {
        const token = await serviceAccountToken(projection.serviceAccountToken, context);
        payload.set(projection.serviceAccountToken.path ?? 'token', { data: Buffer.from(token, 'utf8'), mode: defaultMode });
      } else if (projection.clusterTrustBundle) {
        if (!projection.clusterTrustBundle.optional) throw new VolumeSetUpError('clusterTrustBundle projections are not supported by this kubelet');
      }
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  const failure = aggregate(errors);
  if (failure) throw failure;
  return payload;
}

async function serviceAccountToken(projection: corev1.ServiceAccountTokenProjection, context: ProjectedContext): Promise<string> {
  const { pod } = context;
  const uid = pod.metadata?.uid ?? '';
  const key = `${uid}/${context.volumeName}/${projection.path ?? ''}/${projection.audience ?? ''}`;
  const now = context.now();
  const cached = tokenCache.get(key);
  if (cached && tokenIsFresh(cached, now)) return cached.token;
  const serviceAccountName = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
  let token: ServiceAccountToken;
  try {
    token = await context.sources.requestServiceAccountToken(pod.metadata?.namespace ?? 'default', serviceAccountName, {
      audiences: projection.audience ? [projection.audience] : [],
      expirationSeconds: projection.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      podName: pod.metadata?.name ?? '',
      podUid: uid,
    });
  } catch (error) {
    // A failed refresh keeps the old token while it is still valid, as the kubelet's token manager does.
    if (cached && Date.parse(cached.expirationTimestamp) > now) return cached.token;
    throw error;
  }
  tokenCache.set(key, { ...token, requestedAt: now });
  return token.token;
}
