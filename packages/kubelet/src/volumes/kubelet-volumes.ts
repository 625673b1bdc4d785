// The kubelet's volume manager: the pod worker's PodVolumes over setUpPodVolumes/containerMounts, with the API as
// the source of ConfigMaps, Secrets, claims and service account tokens (read at each sync, so files follow the
// objects), and collection of volume directories whose pods are gone.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { corev1 } from '@k8ts/api-machinery';
import { isNotFound, refs, type KubeClient, type KubeObject } from '@k8ts/client';
import type { ResourceRef } from '@k8ts/client';
import type { PodVolumes } from '../pods/pod-syncer.js';
import { setUpPodVolumes, tearDownPodVolumes } from './manager.js';
import { containerMounts } from './mounts.js';
import { mountFailedMessage, type ServiceAccountToken, type ServiceAccountTokenRequest, type VolumeDocker, type VolumeSources } from './types.js';

export interface KubeletVolumesOptions {
  client: KubeClient;
  rootDir: string;
  docker: VolumeDocker;
  nodeAllocatable: () => Record<string, string>;
  volumeLabels?: Record<string, string>;
}

export class KubeletVolumes implements PodVolumes, VolumeSources {
  constructor(private readonly opts: KubeletVolumesOptions) {}

  private async getOrUndefined<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T | undefined> {
    const r = this.opts.client.resource<T>(ref);
    try {
      return await (namespace === undefined ? r : r.namespace(namespace)).get(name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  getConfigMap(namespace: string, name: string): Promise<corev1.ConfigMap | undefined> {
    return this.getOrUndefined<corev1.ConfigMap>(refs.configMaps, namespace, name);
  }

  getSecret(namespace: string, name: string): Promise<corev1.Secret | undefined> {
    return this.getOrUndefined<corev1.Secret>(refs.secrets, namespace, name);
  }

  getPersistentVolumeClaim(namespace: string, name: string): Promise<corev1.PersistentVolumeClaim | undefined> {
    return this.getOrUndefined<corev1.PersistentVolumeClaim>(refs.persistentVolumeClaims, namespace, name);
  }

  getPersistentVolume(name: string): Promise<corev1.PersistentVolume | undefined> {
    return this.getOrUndefined<corev1.PersistentVolume>(refs.persistentVolumes, undefined, name);
  }

  async requestServiceAccountToken(namespace: string, serviceAccountName: string, request: ServiceAccountTokenRequest): Promise<ServiceAccountToken> {
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: request.audiences,
        expirationSeconds: request.expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: request.podName, uid: request.podUid },
      },
    };
    const answer = await this.opts.client
      .resource(refs.serviceAccounts)
      .namespace(namespace)
      .subresource(serviceAccountName, 'token')
      .create<{ status?: { token?: string; expirationTimestamp?: string } }>(body);
    if (!answer.status?.token) throw new Error(`the token request for service account ${namespace}/${serviceAccountName} returned no token`);
    return { token: answer.status.token, expirationTimestamp: answer.status.expirationTimestamp ?? '' };
  }

  async setUp(pod: corev1.Pod): ReturnType<PodVolumes['setUp']> {
    const prepared = await setUpPodVolumes(pod, {
      rootDir: this.opts.rootDir,
      sources: this,
      docker: this.opts.docker,
      nodeAllocatable: this.opts.nodeAllocatable(),
      ...(this.opts.volumeLabels ? { volumeLabels: this.opts.volumeLabels } : {}),
    });
    if (prepared.errors.length > 0) throw new Error(prepared.errors.map(mountFailedMessage).join('; '));
    return {
      mountsFor: (container, env, attempt) => containerMounts(pod, container, prepared, { env, attempt }).mounts,
    };
  }

  tearDown(podUid: string): Promise<void> {
    return tearDownPodVolumes(podUid, { rootDir: this.opts.rootDir, docker: this.opts.docker });
  }

  /** Removes the volume directories of pods that neither the API nor the runtime knows any more. */
  async cleanupOrphans(apiPods: ReadonlySet<string>, runtimePods: ReadonlySet<string>): Promise<void> {
    let uids: string[];
    try {
      uids = await readdir(join(this.opts.rootDir, 'pods'));
    } catch {
      return;
    }
    for (const uid of uids) if (!apiPods.has(uid) && !runtimePods.has(uid)) await this.tearDown(uid);
  }
}
