// The DaemonSet controller's decisions (pkg/controller/daemon), free of I/O: which nodes should run a daemon pod
// (nodeSelector, required node affinity, taints against the pod's tolerations), which pods to create or delete on
// each node, how far a RollingUpdate may go (maxUnavailable / maxSurge), and the status counts.
import type {
  Affinity,
  DaemonSet,
  DaemonSetStatus,
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Taint,
  Toleration,
} from '@k8ts/api-machinery';
import { scaledValue } from '../../shared/int-or-percent.js';
import { isPodAvailable, isPodReady } from '../../shared/pod-state.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-history.js';

/** The deprecated label Kubernetes still puts on daemon pods next to controller-revision-hash. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations): a daemon belongs on its node even when it is unwell. */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  return [
    t('not-ready', 'NoExecute'),
    t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'),
    t('memory-pressure', 'NoSchedule'),
    t('pid-pressure', 'NoSchedule'),
    t('unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [t('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The spec's tolerations plus the daemon defaults, a default replacing a user toleration that matches it (MatchToleration: same key, operator, value and effect). */
export function withDaemonTolerations(spec: PodSpec | undefined): Toleration[] {
  const defaults = daemonPodTolerations(spec?.hostNetwork === true);
  const matches = (d: Toleration, u: Toleration): boolean => d.key === u.key && d.effect === u.effect && d.operator === u.operator && (d.value ?? '') === (u.value ?? '');
  const own = (spec?.tolerations ?? []).filter((u) => !defaults.some((d) => matches(d, u)));
  return [...own, ...defaults];
}

/** util.CreatePodTemplate: the template with the default tolerations and the revision labels. */
export function daemonPodTemplate(template: PodTemplateSpec | undefined, hash: string, generation: number | undefined): PodTemplateSpec {
  const spec = template?.spec ?? { containers: [] };
  return {
    metadata: {
      ...(template?.metadata ?? {}),
      labels: {
        ...(template?.metadata?.labels ?? {}),
        ...(generation !== undefined ? { [TEMPLATE_GENERATION_LABEL]: String(generation) } : {}),
        ...(hash ? { [CONTROLLER_REVISION_HASH_LABEL]: hash } : {}),
      },
    },
    spec: { ...spec, tolerations: withDaemonTolerations(spec) },
  };
}

/**
 * util.ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes exactly one term matching
 * the node by name, so the scheduler binds it there (and nowhere else) while preemption and resources still apply.
 * The template's own label terms were already checked by the controller when it chose the node.
 */
export function affinityForNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const nameTerm: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const nodeAffinity = affinity?.nodeAffinity ?? {};
  return {
    ...(affinity ?? {}),
    nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [nameTerm] } },
  };
}

/** The node a daemon pod is for: its nodeName, or the name in its node affinity while it is unscheduled (util.GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

// ---- node fit ----

function labelRequirement(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const key = req.key ?? '';
  const values = req.values ?? [];
  const has = Object.hasOwn(labels, key);
  const value = labels[key];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !/^-?\d+$/.test(values[0]!) || !/^-?\d+$/.test(value!)) return false;
      return req.operator === 'Gt' ? BigInt(value!) > BigInt(values[0]!) : BigInt(value!) < BigInt(values[0]!);
    }
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false; // an empty term matches nothing
  const labels = node.metadata?.labels ?? {};
  const name = node.metadata?.name ?? '';
  return (
    exprs.every((r) => labelRequirement(r, labels)) &&
    fields.every((f) => f.key === 'metadata.name' && f.values?.length === 1 && (f.operator === 'In' ? f.values[0] === name : f.operator === 'NotIn' && f.values[0] !== name))
  );
}

/** nodeSelector and required node affinity (component-helpers nodeaffinity.RequiredNodeAffinity). */
export function fitsNodeAffinity(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export interface NodeFit {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (a NoSchedule taint keeps new pods away but does not evict). */
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod, with the daemon tolerations added as the controller does for the pods it creates. */
export function nodeShouldRunDaemonPod(node: Node, template: PodTemplateSpec | undefined): NodeFit {
  const spec = template?.spec;
  const nodeName = node.metadata?.name ?? '';
  if (spec?.nodeName && spec.nodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec);
  const untolerated = (node.spec?.taints ?? []).filter(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => toleratesTaint(t, taint)),
  );
  if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
}

// ---- per-node pods ----

/** Pods by the node they are for (pods with no target node are under the empty name). */
export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const node = targetNodeName(pod) ?? '';
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  return byNode;
}

export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Oldest first; among equal times, running before pending (podByCreationTimestampAndPhase). */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  const ca = a.metadata?.creationTimestamp ?? '';
  const cb = b.metadata?.creationTimestamp ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  const ra = a.status?.phase === 'Running' ? 0 : 1;
  const rb = b.status?.phase === 'Running' ? 0 : 1;
  if (ra !== rb) return ra - rb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

/** util.IsPodUpdated: the pod carries the current revision's hash. */
export function isPodUpdated(pod: Pod, hash: string): boolean {
  return hash !== '' && pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
}

export interface DaemonView {
  template: PodTemplateSpec | undefined;
  hash: string;
  minReadySeconds: number;
  strategy: 'RollingUpdate' | 'OnDelete';
  maxUnavailable: number | string | undefined;
  maxSurge: number | string | undefined;
}

export function daemonViewOf(ds: DaemonSet, hash: string): DaemonView {
  const strategy = ds.spec?.updateStrategy;
  return {
    template: ds.spec?.template,
    hash,
    minReadySeconds: ds.spec?.minReadySeconds ?? 0,
    strategy: strategy?.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    maxUnavailable: strategy?.rollingUpdate?.maxUnavailable,
    maxSurge: strategy?.rollingUpdate?.maxSurge,
  };
}

export const allowsSurge = (view: DaemonView): boolean => view.strategy === 'RollingUpdate' && scaledValue(view.maxSurge, 1, true, 0) > 0;

export interface ManagePlan {
  /** Nodes that need a daemon pod. */
  nodesNeedingPods: string[];
  /** Pods to delete: failed ones, extras, and those on nodes where they may no longer run. */
  podsToDelete: Pod[];
  /** Failed pods among podsToDelete (reported as FailedDaemonPod). */
  failedPods: Array<{ pod: Pod; node: string }>;
}

/**
 * manage + podsShouldBeOnNode: one running daemon pod on every node that should run one (two while surging), none
 * elsewhere. `byNode` includes deleting and terminal pods. Unscheduled pods aimed at nodes that no longer exist are
 * deleted; pods bound to vanished nodes are the pod GC's.
 */
export function planManage(nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, view: DaemonView, nowMs: number): ManagePlan {
  const plan: ManagePlan = { nodesNeedingPods: [], podsToDelete: [], failedPods: [] };
  const surge = allowsSurge(view);
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const fit = nodeShouldRunDaemonPod(node, view.template);
    const pods = byNode.get(name) ?? [];
    if (fit.shouldRun && pods.length === 0) {
      plan.nodesNeedingPods.push(name);
      continue;
    }
    if (!fit.shouldContinueRunning) {
      plan.podsToDelete.push(...pods.filter((p) => !p.metadata?.deletionTimestamp));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue;
      if (pod.status?.phase === 'Failed') {
        plan.podsToDelete.push(pod);
        plan.failedPods.push({ pod, node: name });
        continue;
      }
      // A Succeeded daemon pod is finished and will not run again: replace it too.
      if (pod.status?.phase === 'Succeeded') {
        plan.podsToDelete.push(pod);
        continue;
      }
      running.push(pod);
    }
    running.sort(byCreationAndPhase);
    if (!surge) {
      plan.podsToDelete.push(...running.slice(1));
      continue;
    }
    if (running.length <= 1) {
      if (running.length === 0 && fit.shouldRun) plan.nodesNeedingPods.push(name);
      continue;
    }
    // Surging: keep the oldest new pod and the oldest old pod only while the new one is not yet available.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running) {
      if (isPodUpdated(pod, view.hash)) {
        if (!oldestNew) {
          oldestNew = pod;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = pod;
        continue;
      }
      plan.podsToDelete.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, view.minReadySeconds, nowMs))) plan.podsToDelete.push(oldestOld);
  }
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  for (const [name, pods] of byNode) {
    if (known.has(name)) continue;
    plan.podsToDelete.push(...pods.filter((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp));
  }
  return plan;
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, or not ok (the manage loop must clean up first). */
function updatedPodsOnNode(pods: readonly Pod[], hash: string): { ok: boolean; newPod?: Pod; oldPod?: Pod } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

export interface RollingPlan {
  podsToDelete: Pod[];
  nodesToCreate: string[];
}

/**
 * rollingUpdate: without surge, delete just enough old pods to stay within maxUnavailable and let the manage loop
 * create their replacements; with surge, create new pods next to old ones (up to maxSurge at a time) and delete an
 * old pod once its replacement is available. `byNode` excludes terminal pods; both bounds scale up from the number
 * of nodes that should run the daemon.
 */
export function planRollingUpdate(nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, view: DaemonView, nowMs: number): RollingPlan {
  const fits = new Map(nodes.map((n) => [n.metadata?.name ?? '', nodeShouldRunDaemonPod(n, view.template)] as const));
  const perNode = new Map<string, Pod[]>();
  for (const [name, pods] of byNode) if (name !== '') perNode.set(name, pods);
  let desired = 0;
  for (const [name, fit] of fits) {
    if (!fit.shouldRun) continue;
    desired++;
    if (!perNode.has(name)) perNode.set(name, []);
  }
  let maxSurge = view.strategy === 'RollingUpdate' ? scaledValue(view.maxSurge, desired, true, 0) : 0;
  let maxUnavailable = scaledValue(view.maxUnavailable, desired, true, 1);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (maxSurge < 0) maxSurge = 0;
  const available = (pod: Pod): boolean => isPodAvailable(pod, view.minReadySeconds, nowMs);
  const shouldRun = (name: string): boolean => fits.get(name)?.shouldRun === true;

  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: Pod[] = [];
    const candidates: Pod[] = [];
    for (const [, pods] of perNode) {
      const { ok, newPod, oldPod } = updatedPodsOnNode(pods, view.hash);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
        unavailable++;
        continue;
      }
      if (newPod) {
        if (!available(newPod)) unavailable++;
        continue;
      }
      if (!available(oldPod!)) replacements.push(oldPod!);
      else if (unavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { podsToDelete: [...replacements, ...candidates.slice(0, remaining)], nodesToCreate: [] };
  }

  const podsToDelete: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let surging = 0;
  let numAvailable = 0;
  for (const [name, pods] of perNode) {
    const { ok, newPod, oldPod } = updatedPodsOnNode(pods, view.hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(name)) podsToDelete.push(oldPod);
        else allowedNodes.push(name);
      } else if (!shouldRun(name)) shouldNotRun.push(oldPod);
      else if (surging < maxSurge) candidateNodes.push(name);
      continue;
    }
    if (!available(newPod)) {
      surging++;
      continue;
    }
    podsToDelete.push(oldPod);
  }
  // With surge the owner expects full availability: a pod on a node it must leave goes only once others make up for it.
  const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
  if (deletable > 0) podsToDelete.push(...shouldNotRun.slice(0, deletable));
  const remaining = Math.min(Math.max(0, maxSurge - surging), candidateNodes.length);
  return { podsToDelete, nodesToCreate: [...allowedNodes, ...candidateNodes.slice(0, remaining)] };
}

export interface DaemonCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** updateDaemonSetStatus's counts; `byNode` excludes terminal pods. The oldest pod on a node speaks for it. */
export function countDaemonStatus(nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, view: DaemonView, nowMs: number): DaemonCounts {
  const c: DaemonCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, view.template);
    const pods = [...(byNode.get(node.metadata?.name ?? '') ?? [])].sort(byCreationAndPhase);
    if (!shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    const pod = pods[0];
    if (!pod) continue;
    c.currentNumberScheduled++;
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, view.minReadySeconds, nowMs)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, view.hash)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

export function sameDaemonStatus(current: DaemonSetStatus | undefined, counts: DaemonCounts, observedGeneration: number): boolean {
  const s = current ?? {};
  return (
    (s.desiredNumberScheduled ?? 0) === counts.desiredNumberScheduled &&
    (s.currentNumberScheduled ?? 0) === counts.currentNumberScheduled &&
    (s.numberMisscheduled ?? 0) === counts.numberMisscheduled &&
    (s.numberReady ?? 0) === counts.numberReady &&
    (s.updatedNumberScheduled ?? 0) === counts.updatedNumberScheduled &&
    (s.numberAvailable ?? 0) === counts.numberAvailable &&
    (s.numberUnavailable ?? 0) === counts.numberUnavailable &&
    s.observedGeneration === observedGeneration
  );
}
