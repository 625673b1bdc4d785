// PodTopologySpread: keeps matching pods spread over topology domains. DoNotSchedule constraints filter (a node may
// not raise its domain's count more than maxSkew above the least-loaded domain); ScheduleAnyway constraints score
// (fewer matching pods in the node's domains is better). Pods without constraints of their own get the system
// defaults (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) over the selector of the Services and the controller
// that own them, which is how a controller's replicas spread.
import { LabelSelector, labelSelectorFromObject, type Labels } from '@k8ts/api-machinery';
import type { Node, Pod, TopologySpreadConstraint } from '@k8ts/api-machinery';
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
import type { PodInfo } from '../framework/pod-info.js';
import { RequiredNodeAffinity } from '../helpers/node-selector.js';
import { doNotScheduleTaint, findUntoleratedTaint } from '../helpers/taints.js';
import { POD_TOPOLOGY_SPREAD } from './names.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** The selector the default constraints count with: the pod's Services and controller; empty means "no spreading". */
export type DefaultSpreadSelector = (pod: Pod) => LabelSelector;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

function toConstraints(list: readonly TopologySpreadConstraint[], pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const podLabels = pod.metadata?.labels ?? {};
  return list
    .filter((c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === action)
    .map((c) => {
      let selector = labelSelectorFromObject(c.labelSelector ?? null);
      const keys = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(podLabels, k));
      if (keys.length > 0 && !selector.matchesNothing()) {
        // matchLabelKeys narrows the selector to pods sharing the incoming pod's values (e.g. pod-template-hash).
        const extra = keys.map((k) => ({ key: k, operator: 'in' as const, values: [podLabels[k]!] }));
        selector = LabelSelector.fromRequirements([...selector.requirements, ...extra]);
      }
      return {
        maxSkew: c.maxSkew ?? 1,
        topologyKey: c.topologyKey ?? '',
        selector,
        minDomains: c.minDomains ?? 1,
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

function nodeHasAllKeys(labels: Labels, constraints: readonly Constraint[]): boolean {
  return constraints.every((c) => Object.hasOwn(labels, c.topologyKey));
}

/** Whether the node counts as a domain member for the constraint (nodeAffinityPolicy / nodeTaintsPolicy). */
function nodeIncluded(c: Constraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.honorNodeAffinity && !required.match(node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, doNotScheduleTaint)) return false;
  return true;
}

/** Pods in `namespace` matching the selector, terminating ones excluded; an empty selector counts nothing. */
export function countMatchingPods(pods: readonly PodInfo[], selector: LabelSelector, namespace: string): number {
  if (selector.isEmpty()) return 0;
  let n = 0;
  for (const p of pods) {
    const meta = p.pod.metadata;
    if (meta?.deletionTimestamp || meta?.namespace !== namespace) continue;
    if (selector.matches(meta?.labels ?? {})) n++;
  }
  return n;
}

interface FilterState {
  constraints: Constraint[];
  /** Matching pods per constraint index, by topology value. */
  counts: Map<string, number>[];
}

interface ScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  counts: Map<string, number>[];
  normalizingWeights: number[];
}

const preFilterKey = new StateKey<FilterState>(`PreFilter${POD_TOPOLOGY_SPREAD}`);
const preScoreKey = new StateKey<ScoreState>(`PreScore${POD_TOPOLOGY_SPREAD}`);

export interface PodTopologySpreadOptions {
  /** Constraints for pods without their own; the system defaults unless given. */
  defaultConstraints?: readonly TopologySpreadConstraint[];
  defaultSelector?: DefaultSpreadSelector;
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = POD_TOPOLOGY_SPREAD;
  private readonly defaultConstraints: readonly TopologySpreadConstraint[];
  private readonly systemDefaulted: boolean;
  private readonly defaultSelector: DefaultSpreadSelector;

  constructor(opts: PodTopologySpreadOptions = {}) {
    this.defaultConstraints = opts.defaultConstraints ?? SYSTEM_DEFAULT_CONSTRAINTS;
    this.systemDefaulted = opts.defaultConstraints === undefined;
    this.defaultSelector = opts.defaultSelector ?? (() => LabelSelector.everything());
  }

  private constraintsFor(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return toConstraints(own, pod, action);
    const defaults = toConstraints(this.defaultConstraints, pod, action);
    if (defaults.length === 0) return [];
    const selector = this.defaultSelector(pod);
    if (selector.isEmpty()) return [];
    return defaults.map((c) => ({ ...c, selector }));
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfoLister): MaybeStatus {
    const constraints = this.constraintsFor(pod, 'DoNotSchedule');
    if (constraints.length === 0) return Status.skip();
    const namespace = pod.metadata?.namespace ?? '';
    const required = new RequiredNodeAffinity(pod);
    const counts = constraints.map(() => new Map<string, number>());
    for (const ni of nodes.list()) {
      const node = ni.node;
      if (!node) continue;
      const labels = node.metadata?.labels ?? {};
      if (!nodeHasAllKeys(labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod, node, required)) return;
        const value = labels[c.topologyKey]!;
        const m = counts[i]!;
        m.set(value, (m.get(value) ?? 0) + countMatchingPods(ni.pods, c.selector, namespace));
      });
    }
    state.write(preFilterKey, { constraints, counts });
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const s = state.read(preFilterKey);
    if (!s || s.constraints.length === 0) return undefined;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    const podLabels = pod.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const counts = s.counts[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      // With fewer eligible domains than minDomains, the global minimum counts as 0.
      let minMatch = counts.size < c.minDomains ? 0 : Infinity;
      if (minMatch !== 0) for (const v of counts.values()) minMatch = Math.min(minMatch, v);
      const selfMatch = c.selector.matches(podLabels) ? 1 : 0;
      const skew = (counts.get(labels[c.topologyKey]!) ?? 0) + selfMatch - minMatch;
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, feasible: readonly NodeInfo[], all: NodeInfoLister): MaybeStatus {
    const allNodes = all.list();
    if (allNodes.length === 0) return Status.skip();
    const constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return Status.skip();
    // System defaults do not require every key, so nodes without a zone label still spread by hostname.
    const requireAllTopologies = (pod.spec?.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    const ignoredNodes = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const ni of feasible) {
      const labels = ni.node?.metadata?.labels ?? {};
      if (requireAllTopologies && !nodeHasAllKeys(labels, constraints)) {
        ignoredNodes.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return; // counted per node in score()
        const value = labels[c.topologyKey];
        if (value !== undefined && !counts[i]!.has(value)) counts[i]!.set(value, 0);
      });
    }
    const normalizingWeights = constraints.map((c, i) => {
      const size = c.topologyKey === LABEL_HOSTNAME ? feasible.length - ignoredNodes.size : counts[i]!.size;
      return Math.log(size + 2);
    });
    const namespace = pod.metadata?.namespace ?? '';
    const required = new RequiredNodeAffinity(pod);
    for (const ni of allNodes) {
      const node = ni.node;
      if (!node) continue;
      const labels = node.metadata?.labels ?? {};
      if (requireAllTopologies && !nodeHasAllKeys(labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod, node, required)) return;
        const value = labels[c.topologyKey];
        const m = counts[i]!;
        if (value === undefined || !m.has(value)) return; // domain without candidate nodes
        m.set(value, m.get(value)! + countMatchingPods(ni.pods, c.selector, namespace));
      });
    }
    state.write(preScoreKey, { constraints, ignoredNodes, counts, normalizingWeights });
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read(preScoreKey);
    if (!s || s.ignoredNodes.has(nodeInfo.name)) return 0;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    let score = 0;
    s.constraints.forEach((c, i) => {
      const value = labels[c.topologyKey];
      if (value === undefined) return;
      const count =
        c.topologyKey === LABEL_HOSTNAME ? countMatchingPods(nodeInfo.pods, c.selector, pod.metadata?.namespace ?? '') : (s.counts[i]!.get(value) ?? 0);
      // maxSkew - 1 waters differences down: a larger maxSkew tolerates more imbalance.
      score += count * s.normalizingWeights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  /** Fewer matching pods is better: max + min - score, scaled by max; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const s = state.read(preScoreKey);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) continue;
      min = Math.min(min, sc.score);
      max = Math.max(max, sc.score);
    }
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    }
  }

  eventsToRegister() {
    return [
      { resource: 'Pod' as const, actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
      {
        resource: 'Node' as const,
        actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
      },
    ];
  }
}
