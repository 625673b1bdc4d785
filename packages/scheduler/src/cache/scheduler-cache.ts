// The scheduler's view of the cluster (Kubernetes' internal cache): nodes and the pods on them, including pods the
// scheduler has assumed onto a node before the apiserver confirmed the binding, so that a burst of pods never
// double-books a node. An assumed pod is confirmed when the informer shows it bound, forgotten when the binding
// fails, and expires when its binding finished but the informer never showed it within the TTL.
import type { Node, Pod } from '@k8ts/api-machinery';
import type { NodeInfoLister } from '../framework/interface.js';
import { nextGeneration, NodeInfo } from '../framework/node-info.js';
import { PodInfo, podKey, podRef } from '../framework/pod-info.js';

interface PodState {
  podInfo: PodInfo;
  nodeName: string;
  /** Set once the binding call returned; an assumed pod expires after it. */
  deadline?: number;
}

/** A consistent copy of the cache for one scheduling cycle; refreshed incrementally by generation. */
export class Snapshot implements NodeInfoLister {
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  private nodeInfoList: NodeInfo[] = [];
  private withAffinity: NodeInfo[] = [];
  private withRequiredAntiAffinity: NodeInfo[] = [];
  generation = 0;

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }
  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }
  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity;
  }
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  /** Rebuilds the lists (in `order`) after entries changed. */
  relist(order: readonly string[]): void {
    this.nodeInfoList = order.map((n) => this.nodeInfoMap.get(n)).filter((n): n is NodeInfo => n !== undefined);
    this.withAffinity = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.withRequiredAntiAffinity = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /** A snapshot of fixed node infos (tests). */
  static of(nodeInfos: readonly NodeInfo[]): Snapshot {
    const s = new Snapshot();
    for (const ni of nodeInfos) s.nodeInfoMap.set(ni.name, ni);
    s.relist(nodeInfos.map((n) => n.name));
    return s;
  }
}

export interface SchedulerCacheOptions {
  /** How long an assumed pod whose binding finished may wait for the informer to confirm it. 0: forever. */
  assumedPodTtlMs?: number;
  now?: () => number;
}

export class SchedulerCache {
  /** Node name → info; an entry without a Node holds pods of a node the cache has not seen (or saw deleted). */
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: SchedulerCacheOptions = {}) {
    this.ttlMs = opts.assumedPodTtlMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  private nodeInfoFor(nodeName: string): NodeInfo {
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(nodeName, ni);
    }
    return ni;
  }

  private addPodToNode(podInfo: PodInfo, nodeName: string): void {
    this.nodeInfoFor(nodeName).addPod(podInfo);
  }

  private removePodFromNode(key: string, nodeName: string): void {
    const ni = this.nodes.get(nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (!ni.node && ni.pods.length === 0) this.nodes.delete(nodeName);
  }

  /** The scheduler placed `pod` (spec.nodeName set) and is about to bind it. */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw new Error(`pod ${podRef(pod)} has no nodeName to assume`);
    if (this.podStates.has(key)) throw new Error(`pod ${podRef(pod)} (${key}) is in the cache, so can't be assumed`);
    const podInfo = new PodInfo(pod);
    this.addPodToNode(podInfo, nodeName);
    this.podStates.set(key, { podInfo, nodeName });
    this.assumedPods.add(key);
  }

  /** The binding call returned; the assumed pod may now expire. */
  finishBinding(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state && this.assumedPods.has(key)) state.deadline = this.ttlMs > 0 ? this.now() + this.ttlMs : undefined;
  }

  /** The binding failed: the assumed pod gives its node's room back. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state || !this.assumedPods.has(key)) return;
    this.removePodFromNode(key, state.nodeName);
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumedPods.has(podKey(pod));
  }

  /** An assigned pod from the informer: confirms an assumed pod (moving it if it landed elsewhere) or adds it. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const state = this.podStates.get(key);
    const podInfo = new PodInfo(pod);
    if (state) {
      this.removePodFromNode(key, state.nodeName);
      this.addPodToNode(podInfo, nodeName);
      this.podStates.set(key, { podInfo, nodeName });
      this.assumedPods.delete(key);
      return;
    }
    this.addPodToNode(podInfo, nodeName);
    this.podStates.set(key, { podInfo, nodeName });
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    // An update of an assumed pod means the binding was seen: the same as an add.
    this.addPod(newPod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state) return;
    this.removePodFromNode(key, state.nodeName);
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  addNode(node: Node): void {
    this.nodeInfoFor(node.metadata?.name ?? '').setNode(node);
  }

  updateNode(_oldNode: Node, newNode: Node): void {
    this.addNode(newNode);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    if (ni.pods.length === 0) {
      this.nodes.delete(name);
      return;
    }
    // Pods still point at it: keep their accounting until they are deleted, but it is no node to schedule on.
    ni.node = undefined;
    ni.generation = nextGeneration();
  }

  /** Forgets assumed pods whose binding finished more than the TTL ago; returns them. */
  cleanupExpiredAssumedPods(): Pod[] {
    const now = this.now();
    const expired: Pod[] = [];
    for (const key of this.assumedPods) {
      const state = this.podStates.get(key);
      if (!state || state.deadline === undefined || state.deadline >= now) continue;
      expired.push(state.podInfo.pod);
      this.removePodFromNode(key, state.nodeName);
      this.podStates.delete(key);
      this.assumedPods.delete(key);
    }
    return expired;
  }

  /** Copies the node infos that changed since the snapshot's generation. */
  updateSnapshot(snapshot: Snapshot): void {
    let changed = false;
    let latest = snapshot.generation;
    const order: string[] = [];
    for (const [name, ni] of this.nodes) {
      if (!ni.node) continue;
      order.push(name);
      if (!snapshot.nodeInfoMap.has(name) || ni.generation > snapshot.generation) {
        snapshot.nodeInfoMap.set(name, ni.clone());
        changed = true;
      }
      latest = Math.max(latest, ni.generation);
    }
    if (snapshot.nodeInfoMap.size !== order.length) {
      const live = new Set(order);
      for (const name of [...snapshot.nodeInfoMap.keys()]) if (!live.has(name)) snapshot.nodeInfoMap.delete(name);
      changed = true;
    }
    if (changed || snapshot.list().length !== order.length) snapshot.relist(order);
    snapshot.generation = latest;
  }

  /** A fresh snapshot. */
  snapshot(): Snapshot {
    const s = new Snapshot();
    this.updateSnapshot(s);
    return s;
  }

  counts(): { nodes: number; pods: number; assumedPods: number } {
    let nodes = 0;
    for (const ni of this.nodes.values()) if (ni.node) nodes++;
    return { nodes, pods: this.podStates.size, assumedPods: this.assumedPods.size };
  }

  /** The cached node the pod is on, if the pod is cached. */
  nodeOf(pod: Pod): string | undefined {
    return this.podStates.get(podKey(pod))?.nodeName;
  }
}
