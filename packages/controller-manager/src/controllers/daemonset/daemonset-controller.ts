// The DaemonSet controller (pkg/controller/daemon): one pod per eligible node, placed the way Kubernetes ≥1.12 does
// it — the controller picks the node and pins the pod there with a required node affinity on metadata.name, and the
// scheduler binds it. It follows nodes coming and going, replaces failed pods, records each template as a
// ControllerRevision and rolls pods to the current one (RollingUpdate) or leaves that to the user (OnDelete). The
// decisions are in daemonset-logic.ts; this file reads caches and writes.
import { labelSelectorFromObject, type ControllerRevision, type DaemonSet, type DaemonSetStatus, type LabelSelector, type Node, type Pod } from '@k8ts/api-machinery';
import {
  Controller,
  isNotFound,
  metaNamespaceKey,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type ResourceClient,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { claimObjects } from '../../shared/claim.js';
import { controllerRefOf, newControllerRef } from '../../shared/controller-ref.js';
import { Expectations } from '../../shared/expectations.js';
import { podFromTemplate } from '../../shared/pod-template.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  DEFAULT_REVISION_HISTORY_LIMIT,
  equalRevision,
  newControllerRevision,
  nextRevision,
  revisionsToTruncate,
  RevisionWriter,
  sortRevisions,
  templatePatch,
} from '../history/controller-history.js';
import {
  affinityForNode,
  countDaemonStatus,
  daemonPodTemplate,
  daemonViewOf,
  isTerminal,
  planManage,
  planRollingUpdate,
  podsByNode,
  sameDaemonStatus,
  type DaemonView,
} from './daemonset-logic.js';

const COMPONENT = 'daemonset-controller';
const API_VERSION = 'apps/v1';
const KIND = 'DaemonSet';

/** Creations at a time: 1, 2, 4, ... so a failing create (quota, admission) fails once, not a thousand times. */
function slowStart(total: number): number[] {
  const out: number[] = [];
  for (let left = total, size = 1; left > 0; size *= 2) {
    const batch = Math.min(size, left);
    out.push(batch);
    left -= batch;
  }
  return out;
}

export class DaemonSetController {
  readonly controller: Controller;
  private readonly sets: Lister<DaemonSet>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly revisions: Lister<ControllerRevision>;
  private readonly setClient: ResourceClient<DaemonSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly writer: RevisionWriter;
  // Creations and deletions are expected separately: one sync may do both (a replacement on one node, a removal on another).
  private readonly creations: Expectations;
  private readonly deletions: Expectations;
  private readonly recorder: EventRecorder;
  private readonly syncables;

  constructor(private readonly ctx: ControllerContext) {
    const setInformer = ctx.informers.informerFor<DaemonSet>(refs.daemonSets);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    const revisionInformer = ctx.informers.informerFor<ControllerRevision>(refs.controllerRevisions);
    this.sets = setInformer.lister();
    this.pods = podInformer.lister();
    this.nodes = nodeInformer.lister();
    this.revisions = revisionInformer.lister();
    this.setClient = ctx.client.resource<DaemonSet>(refs.daemonSets);
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.revisionClient = ctx.client.resource<ControllerRevision>(refs.controllerRevisions);
    this.writer = new RevisionWriter(this.revisionClient);
    this.creations = new Expectations(() => ctx.clock.now());
    this.deletions = new Expectations(() => ctx.clock.now());
    this.recorder = ctx.recorder(COMPONENT);
    this.syncables = [setInformer, podInformer, nodeInformer, revisionInformer];
    this.controller = newController(ctx, 'daemonset', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    setInformer.addEventHandler({
      onAdd: (ds) => this.controller.enqueue(ds),
      onUpdate: (_old, ds) => this.controller.enqueue(ds),
      onDelete: (ds) => {
        const key = metaNamespaceKey(objectOf(ds));
        this.creations.forget(key);
        this.deletions.forget(key);
        this.controller.enqueue(objectOf(ds));
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.podChanged(pod, true),
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) this.podDeleted(pod);
        const oldOwner = this.ownerOf(old);
        if (oldOwner && oldOwner !== this.ownerOf(pod)) this.controller.enqueue(oldOwner);
        this.podChanged(pod, false);
      },
      onDelete: (pod) => this.podDeleted(pod),
    });
    // Any node change may change where daemons belong (labels, taints, readiness): every DaemonSet looks again.
    const allSets = (): void => {
      for (const ds of this.sets.list()) this.controller.enqueue(ds);
    };
    nodeInformer.addEventHandler({
      onAdd: allSets,
      onUpdate: (old, node) => {
        if (old.metadata?.resourceVersion === node.metadata?.resourceVersion) return;
        const relevant = (n: Node): string => JSON.stringify([n.metadata?.labels ?? {}, n.spec?.taints ?? [], n.spec?.unschedulable ?? false]);
        if (relevant(old) !== relevant(node)) allSets();
      },
      onDelete: allSets,
    });
    revisionInformer.addEventHandler({
      onAdd: (rev) => this.enqueueOwner(rev),
      onUpdate: (_old, rev) => this.enqueueOwner(rev),
      onDelete: (rev) => this.enqueueOwner(objectOf(rev)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  // ---- events → keys ----

  private ownerOf(obj: Pod | ControllerRevision): DaemonSet | undefined {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== KIND) return undefined;
    const ds = this.sets.namespace(obj.metadata?.namespace ?? '').get(ref.name);
    return ds?.metadata?.uid === ref.uid ? ds : undefined;
  }

  private enqueueOwner(obj: ControllerRevision): void {
    const owner = this.ownerOf(obj);
    if (owner) this.controller.enqueue(owner);
  }

  private podChanged(pod: Pod, added: boolean): void {
    if (added && pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const owner = this.ownerOf(pod);
    if (owner) {
      if (added) this.creations.creationObserved(metaNamespaceKey(owner));
      this.controller.enqueue(owner);
      return;
    }
    if (controllerRefOf(pod)) return;
    for (const ds of this.sets.namespace(pod.metadata?.namespace ?? '').list()) {
      if (labelSelectorFromObject(ds.spec?.selector).matches(pod.metadata?.labels)) this.controller.enqueue(ds);
    }
  }

  private podDeleted(podOrTombstone: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(podOrTombstone);
    const owner = this.ownerOf(pod);
    if (!owner) return;
    const key = metaNamespaceKey(owner);
    this.deletions.deletionObserved(key, metaNamespaceKey(pod));
    this.controller.enqueue(key);
  }

  // ---- reconcile ----

  private async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const ds = this.sets.namespace(namespace).get(name);
    if (!ds) {
      this.creations.forget(key);
      this.deletions.forget(key);
      return;
    }
    const selector = labelSelectorFromObject(ds.spec?.selector);
    if (selector.isEmpty()) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    const nodes = this.nodes.list();
    const { current, old, collisionCount } = await this.constructHistory(ds, selector);
    const hash = current.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const view = daemonViewOf(ds, hash);
    const owned = await this.claimPods(ds, selector);

    const satisfied = (): boolean => this.creations.satisfied(key) && this.deletions.satisfied(key);
    if (satisfied() && !ds.metadata?.deletionTimestamp) {
      const nowMs = this.ctx.clock.now();
      const manage = planManage(nodes, podsByNode(owned), view, nowMs);
      for (const { pod, node } of manage.failedPods) {
        this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} on node ${node}, will try to kill it`);
      }
      await this.syncNodes(key, ds, view, manage.podsToDelete, manage.nodesNeedingPods);
      if (satisfied() && view.strategy === 'RollingUpdate') {
        const live = podsByNode(owned.filter((p) => !isTerminal(p)));
        const rolling = planRollingUpdate(nodes, live, view, nowMs);
        await this.syncNodes(key, ds, view, rolling.podsToDelete, rolling.nodesToCreate);
      }
      await this.cleanupHistory(ds, old, owned);
    }
    return this.updateStatus(ds, nodes, owned, view, collisionCount);
  }

  /** Adopts matching orphans and releases pods that stopped matching; returns every pod the DaemonSet owns. */
  private async claimPods(ds: DaemonSet, selector: LabelSelector): Promise<Pod[]> {
    const namespace = ds.metadata?.namespace ?? '';
    const claims = claimObjects(ds, selector, this.pods.namespace(namespace).list());
    const owned = [...claims.owned];
    const pods = this.podClient.namespace(namespace);
    if (claims.adopt.length > 0 && (await this.isLive(ds))) {
      const ref = newControllerRef(ds, API_VERSION, KIND);
      for (const pod of claims.adopt) {
        try {
          owned.push(await pods.patch(pod.metadata?.name ?? '', 'strategic', { metadata: { ownerReferences: [ref], uid: pod.metadata?.uid } }));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    for (const pod of claims.release) {
      try {
        await pods.patch(pod.metadata?.name ?? '', 'strategic', { metadata: { ownerReferences: [{ $patch: 'delete', uid: ds.metadata?.uid }], uid: pod.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return owned;
  }

  /** A fresh read shows the same, live DaemonSet (not a stale cache entry): only then adopt. */
  private async isLive(ds: DaemonSet): Promise<boolean> {
    try {
      const fresh = await this.setClient.namespace(ds.metadata?.namespace ?? '').get(ds.metadata?.name ?? '');
      return fresh.metadata?.uid === ds.metadata?.uid && !fresh.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * constructHistory: the revision equal to the current template (created if new, renumbered to be the newest if
   * it is an old one rolled back to) and the others.
   */
  private async constructHistory(ds: DaemonSet, selector: LabelSelector): Promise<{ current: ControllerRevision; old: ControllerRevision[]; collisionCount: number }> {
    const namespace = ds.metadata?.namespace ?? '';
    const candidates = this.revisions.namespace(namespace).list();
    const claims = claimObjects(ds, selector, candidates);
    const ref = newControllerRef(ds, API_VERSION, KIND);
    const owned = [...claims.owned];
    if (claims.adopt.length > 0 && (await this.isLive(ds))) {
      for (const rev of claims.adopt) {
        try {
          owned.push(await this.revisionClient.namespace(namespace).patch(rev.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: [ref], uid: rev.metadata?.uid } }));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    const collision = { count: ds.status?.collisionCount ?? 0 };
    const probe = newControllerRevision(namespace, ds.metadata?.name ?? '', ref, ds.spec?.template?.metadata?.labels, templatePatch(ds.spec?.template), 0, collision.count);
    const matching = sortRevisions(owned.filter((r) => equalRevision(r, probe)));
    const old = owned.filter((r) => !matching.includes(r));
    const next = nextRevision(old);
    let current: ControllerRevision;
    if (matching.length === 0) {
      current = await this.writer.create({ ...probe, revision: next }, collision);
    } else {
      // Duplicates (a race between two managers) are merged into the newest.
      current = matching[matching.length - 1]!;
      for (const dup of matching.slice(0, -1)) await this.writer.delete(dup);
      if (current.revision < next) current = await this.writer.updateRevision(current, next);
    }
    return { current, old, collisionCount: collision.count };
  }

  /** Deletes `toDelete` and creates a pod pinned to each of `nodesToCreate`, with expectations. */
  private async syncNodes(key: string, ds: DaemonSet, view: DaemonView, toDelete: Pod[], nodesToCreate: string[]): Promise<void> {
    const namespace = ds.metadata?.namespace ?? '';
    const pods = this.podClient.namespace(namespace);
    const errors: unknown[] = [];
    if (toDelete.length > 0) {
      const keys = toDelete.map((p) => metaNamespaceKey(p));
      this.deletions.expectDeletions(key, keys);
      const results = await Promise.allSettled(toDelete.map((p) => pods.delete(p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } })));
      results.forEach((r, i) => {
        const pod = toDelete[i]!;
        if (r.status === 'fulfilled') {
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
          return;
        }
        this.deletions.deletionObserved(key, keys[i]!);
        if (isNotFound(r.reason)) return;
        this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(r.reason)}`);
        errors.push(r.reason);
      });
    }
    if (nodesToCreate.length > 0) {
      this.creations.expectCreations(key, nodesToCreate.length);
      const template = daemonPodTemplate(view.template, view.hash, ds.metadata?.generation);
      const ref = newControllerRef(ds, API_VERSION, KIND);
      let next = 0;
      for (const batch of slowStart(nodesToCreate.length)) {
        const targets = nodesToCreate.slice(next, next + batch);
        next += batch;
        const results = await Promise.allSettled(
          targets.map((node) => {
            const pod = podFromTemplate(template, namespace, ds.metadata?.name ?? '', ref);
            pod.spec = { ...pod.spec!, affinity: affinityForNode(pod.spec?.affinity, node) };
            return pods.create(pod);
          }),
        );
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        for (const r of results) {
          if (r.status === 'fulfilled') this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
        }
        if (failed.length > 0) {
          // Neither the failed creations nor the batches never tried will be observed.
          this.creations.lowerCreations(key, failed.length + (nodesToCreate.length - next));
          const message = errorMessage(failed[0]!.reason);
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${message}`);
          errors.push(failed[0]!.reason);
          break;
        }
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Old revisions beyond revisionHistoryLimit that no live pod runs are deleted. */
  private async cleanupHistory(ds: DaemonSet, old: ControllerRevision[], owned: Pod[]): Promise<void> {
    const live = new Set(owned.filter((p) => !isTerminal(p)).map((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ''));
    for (const rev of revisionsToTruncate(old, live, ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT)) await this.writer.delete(rev);
  }

  private async updateStatus(ds: DaemonSet, nodes: Node[], owned: Pod[], view: DaemonView, collisionCount: number): Promise<{ requeueAfterMs?: number } | void> {
    const nowMs = this.ctx.clock.now();
    const counts = countDaemonStatus(nodes, podsByNode(owned.filter((p) => !isTerminal(p))), view, nowMs);
    const generation = ds.metadata?.generation ?? 0;
    const current = ds.status;
    const collisionSame = (current?.collisionCount ?? 0) === collisionCount;
    if (!sameDaemonStatus(current, counts, generation) || !collisionSame) {
      const next: DaemonSetStatus = {
        ...(current?.conditions ? { conditions: current.conditions } : {}),
        ...counts,
        observedGeneration: generation,
        ...(collisionCount > 0 ? { collisionCount } : {}),
      };
      try {
        await this.setClient.namespace(ds.metadata?.namespace ?? '').updateStatus({ ...ds, status: next });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err; // a 409 requeues with the fresh object
      }
    }
    // Ready pods turn available minReadySeconds later: look again then.
    if (view.minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) return { requeueAfterMs: view.minReadySeconds * 1000 };
    return undefined;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  enabledByDefault: true,
  start: (ctx, signal) => new DaemonSetController(ctx).run(signal),
};
