// InterPodAffinity: required pod affinity (a node's topology domain must hold a matching pod), required
// anti-affinity (it must hold none), and the existing pods' anti-affinity (the incoming pod must not match the
// terms of pods already in the domain) filter nodes; preferred terms of the incoming pod and of existing pods
// (plus existing pods' required affinity at weight 1) score them.
import type { Labels } from '@k8ts/api-machinery';
import type { Node, Pod } from '@k8ts/api-machinery';
import {
  ActionType,
  CycleState,
  MAX_NODE_SCORE,
  StateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type MaybeStatus,
  type NodeInfoLister,
  type NodeScore,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { affinityTermMatches, PodInfo, type AffinityTerm, type WeightedAffinityTerm } from '../framework/pod-info.js';
import { INTER_POD_AFFINITY } from './names.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** Labels of a namespace, for namespaceSelector terms; undefined when the namespace is unknown. */
export type NamespaceLabels = (namespace: string) => Labels | undefined;

/** Counts per topology pair "key\0value". */
type TopologyCounts = Map<string, number>;
const pair = (key: string, value: string): string => `${key}\u0000${value}`;

function bump(m: TopologyCounts, key: string, value: string, by: number): void {
  const k = pair(key, value);
  const v = (m.get(k) ?? 0) + by;
  if (v === 0) m.delete(k);
  else m.set(k, v);
}

interface FilterState {
  podInfo: PodInfo;
  nsLabels: Labels | undefined;
  /** Domains holding pods whose required anti-affinity the incoming pod matches. */
  existingAntiAffinityCounts: TopologyCounts;
  /** Domains holding pods that match all of the incoming pod's required affinity terms. */
  affinityCounts: TopologyCounts;
  /** Domains holding pods that match one of the incoming pod's required anti-affinity terms. */
  antiAffinityCounts: TopologyCounts;
}

const preFilterKey = new StateKey<FilterState>(`PreFilter${INTER_POD_AFFINITY}`);
const preScoreKey = new StateKey<Map<string, Map<string, number>>>(`PreScore${INTER_POD_AFFINITY}`);

export interface InterPodAffinityOptions {
  namespaceLabels?: NamespaceLabels;
  /** Weight of an existing pod's required affinity term when scoring the pods it attracts (default 1). */
  hardPodAffinityWeight?: number;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = INTER_POD_AFFINITY;
  private readonly namespaceLabels: NamespaceLabels;
  private readonly hardPodAffinityWeight: number;

  constructor(opts: InterPodAffinityOptions = {}) {
    this.namespaceLabels = opts.namespaceLabels ?? (() => undefined);
    this.hardPodAffinityWeight = opts.hardPodAffinityWeight ?? 1;
  }

  private matches(term: AffinityTerm, pod: Pod): boolean {
    return affinityTermMatches(term, pod, this.namespaceLabels(pod.metadata?.namespace ?? ''));
  }

  private matchesAll(terms: readonly AffinityTerm[], pod: Pod): boolean {
    return terms.length > 0 && terms.every((t) => this.matches(t, pod));
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfoLister): MaybeStatus {
    const podInfo = new PodInfo(pod);
    if (podInfo.parseError) return Status.unresolvable(`parsing pod: ${podInfo.parseError}`);
    const withAntiAffinity = nodes.havePodsWithRequiredAntiAffinity();
    if (podInfo.requiredAffinityTerms.length === 0 && podInfo.requiredAntiAffinityTerms.length === 0 && withAntiAffinity.length === 0) {
      return Status.skip();
    }
    const nsLabels = this.namespaceLabels(pod.metadata?.namespace ?? '');
    const existingAntiAffinityCounts: TopologyCounts = new Map();
    for (const ni of withAntiAffinity) {
      const labels = ni.node?.metadata?.labels ?? {};
      for (const existing of ni.podsWithRequiredAntiAffinity) {
        for (const term of existing.requiredAntiAffinityTerms) {
          const value = labels[term.topologyKey];
          if (value !== undefined && affinityTermMatches(term, pod, nsLabels)) bump(existingAntiAffinityCounts, term.topologyKey, value, 1);
        }
      }
    }
    const affinityCounts: TopologyCounts = new Map();
    const antiAffinityCounts: TopologyCounts = new Map();
    if (podInfo.requiredAffinityTerms.length > 0 || podInfo.requiredAntiAffinityTerms.length > 0) {
      for (const ni of nodes.list()) {
        const labels = ni.node?.metadata?.labels ?? {};
        for (const existing of ni.pods) {
          if (this.matchesAll(podInfo.requiredAffinityTerms, existing.pod)) {
            for (const t of podInfo.requiredAffinityTerms) {
              const value = labels[t.topologyKey];
              if (value !== undefined) bump(affinityCounts, t.topologyKey, value, 1);
            }
          }
          for (const t of podInfo.requiredAntiAffinityTerms) {
            const value = labels[t.topologyKey];
            if (value !== undefined && this.matches(t, existing.pod)) bump(antiAffinityCounts, t.topologyKey, value, 1);
          }
        }
      }
    }
    state.write(preFilterKey, { podInfo, nsLabels, existingAntiAffinityCounts, affinityCounts, antiAffinityCounts });
    return undefined;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const s = state.read(preFilterKey);
    if (!s) return undefined;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    if (!this.satisfiesAffinity(s, labels)) return Status.unresolvable(ERR_REASON_AFFINITY);
    for (const t of s.podInfo.requiredAntiAffinityTerms) {
      const value = labels[t.topologyKey];
      if (value !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, value)) ?? 0) > 0) {
        return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [key, value] of Object.entries(labels)) {
        if ((s.existingAntiAffinityCounts.get(pair(key, value)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return undefined;
  }

  private satisfiesAffinity(s: FilterState, labels: Labels): boolean {
    let podsExist = true;
    for (const t of s.podInfo.requiredAffinityTerms) {
      const value = labels[t.topologyKey];
      if (value === undefined) return false; // every topology key must be on the node
      if ((s.affinityCounts.get(pair(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: when no pod matches anywhere, let it in if it matches its
    // own terms, or such groups could never start.
    const terms = s.podInfo.requiredAffinityTerms;
    return s.affinityCounts.size === 0 && terms.length > 0 && terms.every((t) => affinityTermMatches(t, s.podInfo.pod, s.nsLabels));
  }

  preScore(state: CycleState, pod: Pod, feasible: readonly NodeInfo[], all: NodeInfoLister): MaybeStatus {
    if (feasible.length === 0) return Status.skip();
    const podInfo = new PodInfo(pod);
    if (podInfo.parseError) return Status.skip();
    const incomingHasPreferred = podInfo.preferredAffinityTerms.length > 0 || podInfo.preferredAntiAffinityTerms.length > 0;
    const candidates = incomingHasPreferred ? all.list() : all.havePodsWithAffinity();
    if (!incomingHasPreferred && candidates.length === 0) return Status.skip();
    const nsLabels = this.namespaceLabels(pod.metadata?.namespace ?? '');
    const topologyScore = new Map<string, Map<string, number>>();
    const add = (node: Node, topologyKey: string, by: number): void => {
      const value = node.metadata?.labels?.[topologyKey];
      if (value === undefined) return;
      const byValue = topologyScore.get(topologyKey) ?? new Map<string, number>();
      byValue.set(value, (byValue.get(value) ?? 0) + by);
      topologyScore.set(topologyKey, byValue);
    };
    const incomingTerms = (terms: readonly WeightedAffinityTerm[], existing: Pod, node: Node, sign: 1 | -1): void => {
      for (const t of terms) if (this.matches(t, existing)) add(node, t.topologyKey, sign * t.weight);
    };
    for (const ni of candidates) {
      const node = ni.node;
      if (!node || Object.keys(node.metadata?.labels ?? {}).length === 0) continue;
      for (const existing of incomingHasPreferred ? ni.pods : ni.podsWithAffinity) {
        incomingTerms(podInfo.preferredAffinityTerms, existing.pod, node, 1);
        incomingTerms(podInfo.preferredAntiAffinityTerms, existing.pod, node, -1);
        if (this.hardPodAffinityWeight > 0) {
          for (const t of existing.requiredAffinityTerms) if (affinityTermMatches(t, pod, nsLabels)) add(node, t.topologyKey, this.hardPodAffinityWeight);
        }
        for (const t of existing.preferredAffinityTerms) if (affinityTermMatches(t, pod, nsLabels)) add(node, t.topologyKey, t.weight);
        for (const t of existing.preferredAntiAffinityTerms) if (affinityTermMatches(t, pod, nsLabels)) add(node, t.topologyKey, -t.weight);
      }
    }
    state.write(preScoreKey, topologyScore);
    return undefined;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const topologyScore = state.read(preScoreKey);
    if (!topologyScore) return 0;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    let score = 0;
    for (const [key, byValue] of topologyScore) {
      const value = labels[key];
      if (value !== undefined) score += byValue.get(value) ?? 0;
    }
    return score;
  }

  /** Min-max scaling to [0, 100] (scores may be negative). */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const topologyScore = state.read(preScoreKey);
    if (!topologyScore || topologyScore.size === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    const spread = max - min;
    for (const s of scores) s.score = spread > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / spread)) : 0;
  }

  eventsToRegister() {
    return [
      { resource: 'Pod' as const, actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
      { resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
    ];
  }
}
