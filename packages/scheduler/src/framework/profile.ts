// A scheduling profile: the plugins of one schedulerName, in the order Kubernetes' default profile runs them, with
// their score weights. Runs the extension points and one scheduling attempt (filter, score, select a host).
import type { Pod } from '@k8ts/api-machinery';
import { FitError, NO_NODES_AVAILABLE } from './fit-error.js';
import {
  CycleState,
  isEnqueueExtensions,
  isFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  MAX_NODE_SCORE,
  Status,
  type ClusterEvent,
  type FilterPlugin,
  type MaybeStatus,
  type NodeInfoLister,
  type NodeScore,
  type Plugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';

export interface PluginEntry {
  plugin: Plugin;
  /** Score weight; scoring plugins without one weigh 1. */
  weight?: number;
}

export interface NodePluginScores {
  name: string;
  totalScore: number;
  scores: { plugin: string; score: number }[];
}

export type ScheduleResult =
  | { kind: 'scheduled'; nodeName: string; evaluatedNodes: number; feasibleNodes: number }
  | { kind: 'unschedulable'; error: FitError }
  | { kind: 'error'; message: string };

/** Picks among equal best scores uniformly (reservoir sampling, as Kubernetes' selectHost). */
export function selectHost(scores: readonly NodePluginScores[], random: () => number = Math.random): string | undefined {
  let best: NodePluginScores | undefined;
  let ties = 0;
  for (const s of scores) {
    if (!best || s.totalScore > best.totalScore) {
      best = s;
      ties = 1;
    } else if (s.totalScore === best.totalScore) {
      ties++;
      if (random() * ties < 1) best = s;
    }
  }
  return best?.name;
}

export class Profile {
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[];
  /** Plugin name → the events after which pods it rejected may fit. */
  readonly registeredEvents = new Map<string, readonly Omit<ClusterEvent, 'label'>[]>();

  constructor(
    readonly schedulerName: string,
    entries: readonly PluginEntry[],
  ) {
    const plugins = entries.map((e) => e.plugin);
    this.preFilterPlugins = plugins.filter(isPreFilterPlugin);
    this.filterPlugins = plugins.filter(isFilterPlugin);
    this.preScorePlugins = plugins.filter(isPreScorePlugin);
    this.scorePlugins = entries.filter((e) => isScorePlugin(e.plugin)).map((e) => ({ plugin: e.plugin as ScorePlugin, weight: e.weight ?? 1 }));
    for (const p of plugins) if (isEnqueueExtensions(p)) this.registeredEvents.set(p.name, p.eventsToRegister());
  }

  /** Skip results mark the plugin's Filter as skipped; the first rejection or error ends the phase. */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: NodeInfoLister): MaybeStatus {
    for (const p of this.preFilterPlugins) {
      const status = p.preFilter(state, pod, nodes);
      if (!status) continue;
      if (status.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** The first failing filter decides (Kubernetes stops at the first rejection per node). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const status = p.filter(state, pod, nodeInfo);
      if (status && status.code !== 'Success') return status.withPlugin(p.name);
    }
    return undefined;
  }

  runPreScorePlugins(state: CycleState, pod: Pod, feasible: readonly NodeInfo[], all: NodeInfoLister): MaybeStatus {
    for (const p of this.preScorePlugins) {
      const status = p.preScore(state, pod, feasible, all);
      if (!status) continue;
      if (status.code === 'Skip') {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** Per node: each plugin's normalized score times its weight, and their sum. */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): NodePluginScores[] {
    const result: NodePluginScores[] = nodes.map((n) => ({ name: n.name, totalScore: 0, scores: [] }));
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
      plugin.normalizeScore?.(state, pod, scores);
      scores.forEach((s, i) => {
        if (s.score < 0 || s.score > MAX_NODE_SCORE) {
          throw new Error(`plugin ${plugin.name} returns an invalid score ${s.score}, it should in the range of [0, ${MAX_NODE_SCORE}] after normalizing`);
        }
        const weighted = s.score * weight;
        result[i]!.scores.push({ plugin: plugin.name, score: weighted });
        result[i]!.totalScore += weighted;
      });
    }
    return result;
  }

  /**
   * One scheduling attempt on a snapshot (Kubernetes' schedulePod): PreFilter, Filter on every node, and with more
   * than one feasible node PreScore, Score and a random pick among the best.
   */
  schedulePod(pod: Pod, nodes: NodeInfoLister, random: () => number = Math.random): ScheduleResult & { scores?: NodePluginScores[] } {
    const all = nodes.list();
    if (all.length === 0) return { kind: 'error', message: NO_NODES_AVAILABLE };
    const state = new CycleState();
    const preFilter = this.runPreFilterPlugins(state, pod, nodes);
    if (preFilter) {
      if (!preFilter.isRejected()) return { kind: 'error', message: `running PreFilter plugin "${preFilter.plugin}": ${preFilter.message()}` };
      const nodeToStatus = new Map(all.map((n) => [n.name, preFilter] as const));
      return {
        kind: 'unschedulable',
        error: new FitError(all.length, { nodeToStatus, unschedulablePlugins: new Set([preFilter.plugin]), preFilterMsg: preFilter.message() }),
      };
    }
    const feasible: NodeInfo[] = [];
    const nodeToStatus = new Map<string, Status>();
    const unschedulablePlugins = new Set<string>();
    for (const ni of all) {
      const status = this.runFilterPlugins(state, pod, ni);
      if (!status) {
        feasible.push(ni);
        continue;
      }
      if (!status.isRejected()) return { kind: 'error', message: `running "${status.plugin}" filter plugin: ${status.message()}` };
      nodeToStatus.set(ni.name, status);
      unschedulablePlugins.add(status.plugin);
    }
    if (feasible.length === 0) {
      return { kind: 'unschedulable', error: new FitError(all.length, { nodeToStatus, unschedulablePlugins }) };
    }
    if (feasible.length === 1) return { kind: 'scheduled', nodeName: feasible[0]!.name, evaluatedNodes: all.length, feasibleNodes: 1 };
    const preScore = this.runPreScorePlugins(state, pod, feasible, nodes);
    if (preScore) return { kind: 'error', message: `running PreScore plugin "${preScore.plugin}": ${preScore.message()}` };
    const scores = this.runScorePlugins(state, pod, feasible);
    const nodeName = selectHost(scores, random)!;
    return { kind: 'scheduled', nodeName, evaluatedNodes: all.length, feasibleNodes: feasible.length, scores };
  }
}
