// What the pod registry strategy (pkg/registry/core/pod/strategy.go) does to a pod before it is validated and stored,
// for the API server to call: the initial status on create, and the podIP/podIPs mirroring of the v1 conversion.
import type { JsonObject, JsonValue } from '../../json.js';
import type { Quantity } from '../../quantity/index.js';
import { items, obj, str, strings } from './pod-access.js';
import { quantityOf } from './pod-validation-common.js';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** qos.GetPodQOS from the cpu and memory requests and limits of the containers and init containers. */
export function podQOSClass(spec: JsonObject | undefined): PodQOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  const add = (m: Map<string, Quantity>, k: string, q: Quantity): void => {
    const prev = m.get(k);
    m.set(k, prev ? prev.add(q) : q);
  };
  let guaranteed = true;
  for (const [, c] of [...items(spec, 'containers'), ...items(spec, 'initContainers')]) {
    const resources = obj(c, 'resources');
    for (const [k, v] of Object.entries(obj(resources, 'requests') ?? {})) {
      const q = quantityOf(v);
      if ((k === 'cpu' || k === 'memory') && q && q.sign() > 0) add(requests, k, q);
    }
    const found = new Set<string>();
    for (const [k, v] of Object.entries(obj(resources, 'limits') ?? {})) {
      const q = quantityOf(v);
      if ((k === 'cpu' || k === 'memory') && q && q.sign() > 0) {
        found.add(k);
        add(limits, k, q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, req] of requests) {
      const lim = limits.get(k);
      if (!lim || lim.cmp(req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** mutatePodAffinity: matchLabelKeys / mismatchLabelKeys become In / NotIn requirements on the pod's own labels. */
function mergeLabelKeysIntoSelectors(pod: JsonObject): void {
  const labels = obj(obj(pod, 'metadata'), 'labels') ?? {};
  const affinity = obj(obj(pod, 'spec'), 'affinity');
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = obj(affinity, kind);
    const terms = [
      ...items(a, 'requiredDuringSchedulingIgnoredDuringExecution').map(([, t]) => t),
      ...items(a, 'preferredDuringSchedulingIgnoredDuringExecution').flatMap(([, w]) => {
        const t = obj(w, 'podAffinityTerm');
        return t ? [t] : [];
      }),
    ];
    for (const term of terms) {
      const selector = obj(term, 'labelSelector');
      if (!selector) continue;
      const additions: JsonValue[] = [];
      for (const [operator, field] of [
        ['In', 'matchLabelKeys'],
        ['NotIn', 'mismatchLabelKeys'],
      ] as const) {
        for (const [, k] of strings(term, field)) {
          const v = labels[k];
          if (typeof v === 'string') additions.push({ key: k, operator, values: [v] });
        }
      }
      if (additions.length === 0) continue;
      const existing = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
      selector.matchExpressions = [...existing, ...additions];
    }
  }
}

/**
 * PrepareForCreate: the status starts over as Pending with the computed QoS class (and a PodScheduled=False condition
 * while scheduling gates remain), and affinity label keys are merged into the selectors. Mutates `pod`.
 */
export function preparePodForCreate(pod: JsonObject): void {
  const spec = obj(pod, 'spec');
  const status: JsonObject = { phase: 'Pending', qosClass: podQOSClass(spec) };
  if (items(spec, 'schedulingGates').length > 0) {
    status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
  }
  pod.status = status;
  mergeLabelKeysIntoSelectors(pod);
}

/**
 * The v1 conversion keeps podIP/hostIP and the first entry of podIPs/hostIPs in step: a lone podIP fills podIPs, and
 * podIPs[0] is what podIP reads back. Mutates the status.
 */
export function syncPodStatusIPs(status: JsonObject): void {
  for (const [single, plural] of [
    ['podIP', 'podIPs'],
    ['hostIP', 'hostIPs'],
  ] as const) {
    const list = items(status, plural);
    const one = str(status, single);
    if (list.length === 0 && one) status[plural] = [{ ip: one }];
    const first = str(items(status, plural)[0]?.[1], 'ip');
    if (first) status[single] = first;
  }
}
