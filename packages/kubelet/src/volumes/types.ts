// The contract of the pod volume manager: where it reads API objects from, what it hands back for mounting.
import type { corev1 } from '@k8ts/api-machinery';
import type { VolumeCreateConfig } from '../docker/types.js';

export interface ServiceAccountTokenRequest {
  /** Empty means the API server's own audiences. */
  audiences: string[];
  expirationSeconds: number;
  podName: string;
  podUid: string;
}

export interface ServiceAccountToken {
  token: string;
  /** RFC 3339. */
  expirationTimestamp: string;
}

/** The API objects volumes are built from; the kubelet implements it over its informer caches and the API. */
export interface VolumeSources {
  getConfigMap(namespace: string, name: string): Promise<corev1.ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<corev1.Secret | undefined>;
  getPersistentVolumeClaim(namespace: string, name: string): Promise<corev1.PersistentVolumeClaim | undefined>;
  getPersistentVolume(name: string): Promise<corev1.PersistentVolume | undefined>;
  requestServiceAccountToken(namespace: string, serviceAccountName: string, request: ServiceAccountTokenRequest): Promise<ServiceAccountToken>;
}

/** The part of the Docker client memory-backed emptyDirs need. */
export interface VolumeDocker {
  volumeCreate(config: VolumeCreateConfig): Promise<unknown>;
  /** Not-found must count as success (the Docker client does so). */
  volumeRemove?(name: string, options?: { force?: boolean }): Promise<unknown>;
}

/** How a prepared volume is mounted into containers. */
export type PreparedVolume =
  | { kind: 'bind'; /** Host directory or file. */ hostPath: string; readOnly: boolean; plugin: string }
  | { kind: 'volume'; /** Docker named volume. */ volumeName: string; readOnly: boolean; plugin: string };

/** A volume that could not be set up: the kubelet reports FailedMount and does not start the pod's containers. */
export interface VolumeError {
  volumeName: string;
  /** Kubernetes' reason text, e.g. `configmap "x" not found`. */
  message: string;
}

export interface PreparedPodVolumes {
  /** `<rootDir>/pods/<uid>`. */
  podDir: string;
  volumes: Map<string, PreparedVolume>;
  errors: VolumeError[];
}

export interface SetUpOptions {
  /** The kubelet's root directory (Kubernetes: /var/lib/kubelet). */
  rootDir: string;
  sources: VolumeSources;
  /** Needed only for emptyDir volumes with medium Memory. */
  docker?: VolumeDocker;
  /** The node's allocatable resources, for downwardAPI resourceFieldRef items of containers without limits. */
  nodeAllocatable?: Record<string, string>;
  /** Extra labels on the Docker volumes created (e.g. the node name, or a test's label). */
  volumeLabels?: Record<string, string>;
  /** For token refresh decisions; Date.now by default. */
  now?: () => number;
}

export interface TearDownOptions {
  rootDir: string;
  docker?: VolumeDocker;
}

/** Kubernetes' `MountVolume.SetUp failed for volume "x" : <reason>` event text. */
export function mountFailedMessage(error: VolumeError): string {
  return `MountVolume.SetUp failed for volume "${error.volumeName}" : ${error.message}`;
}

/** A volume error the caller can catch and report. */
export class VolumeSetUpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeSetUpError';
  }
}
