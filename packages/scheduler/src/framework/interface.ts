// The scheduling framework's contracts (Kubernetes' pkg/scheduler/framework/interface.go, trimmed to what k8ts runs):
// status codes, cycle state, the extension points a plugin may implement, and the cluster events that requeue pods.
import type { Pod } from '@k8ts/api-machinery';
import type { NodeInfo } from './node-info.js';

/** Highest score a Score plugin gives after normalization. */
export const MAX_NODE_SCORE = 100;

export type Code =
  | 'Success'
  | 'Error'
  /** The node does not fit now; another cluster change may make it fit. */
  | 'Unschedulable'
  /** Nothing short of changing the pod or the node makes it fit (preemption would not help either). */
  | 'UnschedulableAndUnresolvable'
  /** PreFilter/PreScore: this plugin has nothing to do for the pod; its Filter/Score is skipped. */
  | 'Skip';

export class Status {
  /** The plugin that returned it, filled in by the framework. */
  plugin = '';
  readonly reasons: readonly string[];

  constructor(
    readonly code: Code,
    ...reasons: string[]
  ) {
    this.reasons = reasons;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', ...reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', ...reasons);
  }
  static error(message: string): Status {
    return new Status('Error', message);
  }
  static skip(): Status {
    return new Status('Skip');
  }

  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
}

/** `undefined` is success, as nil is in Kubernetes. */
export type MaybeStatus = Status | undefined;

/** A typed key for CycleState: `new StateKey<Counts>('PreFilterPodTopologySpread')`. */
export class StateKey<T> {
  declare private readonly valueType: T;
  constructor(readonly name: string) {}
}

/** Data plugins compute once per scheduling cycle (in PreFilter/PreScore) and read per node. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key.name, value);
  }

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key.name) as T | undefined;
  }
}

/** The node list of one scheduling cycle (Kubernetes' SharedLister over the cache snapshot). */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  havePodsWithAffinity(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: NodeInfoLister): MaybeStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus;
}

export interface PreScorePlugin extends Plugin {
  /** `feasible` are the nodes that passed the filters; `all` every node of the snapshot. */
  preScore(state: CycleState, pod: Pod, feasible: readonly NodeInfo[], all: NodeInfoLister): MaybeStatus;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  /** Rescales the raw scores to [0, MAX_NODE_SCORE] in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

/** Kubernetes' ActionType bits. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdatePodLabel: 64,
  UpdatePodScaleDown: 128,
  All: 0xffff,
} as const;

export type EventResource = 'Pod' | 'Node' | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly actionType: number;
  /** For logs and metrics, e.g. "NodeAdd", "AssignedPodDelete". */
  readonly label: string;
}

/** The events after which a pod rejected by this plugin may fit (without it, any event requeues the pod). */
export interface EnqueueExtensions extends Plugin {
  eventsToRegister(): readonly Omit<ClusterEvent, 'label'>[];
}

export const isPreFilterPlugin = (p: Plugin): p is PreFilterPlugin => typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
export const isFilterPlugin = (p: Plugin): p is FilterPlugin => typeof (p as Partial<FilterPlugin>).filter === 'function';
export const isPreScorePlugin = (p: Plugin): p is PreScorePlugin => typeof (p as Partial<PreScorePlugin>).preScore === 'function';
export const isScorePlugin = (p: Plugin): p is ScorePlugin => typeof (p as Partial<ScorePlugin>).score === 'function';
export const isEnqueueExtensions = (p: Plugin): p is EnqueueExtensions =>
  typeof (p as Partial<EnqueueExtensions>).eventsToRegister === 'function';

/** Scales raw scores so the largest becomes `max` (and, when `reverse`, the smallest): Kubernetes' DefaultNormalizeScore. */
export function defaultNormalizeScore(max: number, reverse: boolean, scores: NodeScore[]): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((max * s.score) / highest);
    if (reverse) v = max - v;
    s.score = v;
  }
}
