// A pod with what the scheduler derives from it once: its (anti-)affinity terms with parsed selectors and its
// resource requests. Built when the pod enters the cache or the queue, reused by every scheduling cycle.
import { LabelSelector, labelSelectorFromObject, type Labels } from '@k8ts/api-machinery';
import type { metav1, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '@k8ts/api-machinery';
import { nonZeroRequests, podRequests, type ResourceAmounts } from './resources.js';

export interface AffinityTerm {
  /** Namespaces named by the term (the pod's own when the term names none and has no namespaceSelector). */
  readonly namespaces: ReadonlySet<string>;
  /** Further namespaces by label; selects nothing when absent. */
  readonly namespaceSelector: LabelSelector;
  readonly selector: LabelSelector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** `nsLabels` are the labels of `pod`'s namespace (for the term's namespaceSelector). */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: Labels | undefined): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (term.namespaces.has(ns) || term.namespaceSelector.matches(nsLabels ?? {})) {
    return term.selector.matches(pod.metadata?.labels ?? {});
  }
  return false;
}

function selectorOf(obj: metav1.LabelSelector | undefined): LabelSelector {
  return labelSelectorFromObject(obj ?? null);
}

function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const named = term.namespaces ?? [];
  const namespaces = new Set(named.length === 0 && term.namespaceSelector === undefined ? [pod.metadata?.namespace ?? ''] : named);
  return {
    namespaces,
    namespaceSelector: selectorOf(term.namespaceSelector),
    selector: selectorOf(term.labelSelector),
    topologyKey: term.topologyKey ?? '',
  };
}

export function podKey(pod: Pod): string {
  return pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** namespace/name, for logs, events and messages. */
export function podRef(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export class PodInfo {
  readonly key: string;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** Why a selector of the pod's affinity could not be parsed; such a pod cannot be scheduled. */
  readonly parseError: string | undefined;
  readonly requests: ResourceAmounts;
  readonly nonZeroRequests: ResourceAmounts;

  constructor(readonly pod: Pod) {
    this.key = podKey(pod);
    this.requests = podRequests(pod);
    this.nonZeroRequests = nonZeroRequests(pod);
    const affinity = pod.spec?.affinity;
    let parseError: string | undefined;
    const terms = (list: readonly PodAffinityTerm[] | undefined): AffinityTerm[] => {
      const out: AffinityTerm[] = [];
      for (const t of list ?? []) {
        try {
          out.push(newAffinityTerm(pod, t));
        } catch (err) {
          parseError ??= err instanceof Error ? err.message : String(err);
        }
      }
      return out;
    };
    const weighted = (list: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] => {
      const out: WeightedAffinityTerm[] = [];
      for (const w of list ?? []) {
        if (!w.podAffinityTerm) continue;
        try {
          out.push({ ...newAffinityTerm(pod, w.podAffinityTerm), weight: w.weight ?? 0 });
        } catch (err) {
          parseError ??= err instanceof Error ? err.message : String(err);
        }
      }
      return out;
    };
    this.requiredAffinityTerms = terms(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = terms(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = weighted(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = weighted(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.parseError = parseError;
  }

  /** Pods with any pod (anti-)affinity (Kubernetes keeps them in NodeInfo.PodsWithAffinity). */
  get hasAffinity(): boolean {
    const a = this.pod.spec?.affinity;
    return a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined;
  }

  get hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }
}
