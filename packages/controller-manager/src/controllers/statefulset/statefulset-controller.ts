// The StatefulSet controller (pkg/controller/statefulset): pods with stable names <set>-<ordinal> and stable storage
// (a PVC per volumeClaimTemplate and ordinal that outlives its pod), created in order and each only once its
// predecessors are Running and Ready (OrderedReady) or all at once (Parallel), removed highest ordinal first, and
// rolled to a new template highest ordinal first down to the partition. Templates are recorded as ControllerRevisions
// named <set>-<hash>; a pod's controller-revision-hash label holds the full revision name. The decisions are in
// statefulset-logic.ts; this file reads caches and writes. Like Kubernetes it needs no expectations: pod names are
// fixed, so a create repeated from a stale cache fails with AlreadyExists instead of doubling up.
import {
  labelSelectorFromObject,
  type ControllerRevision,
  type LabelSelector,
  type OwnerReference,
  type PersistentVolumeClaim,
  type Pod,
  type StatefulSet,
  type StatefulSetStatus,
} from '@k8ts/api-machinery';
import {
  Controller,
  isAlreadyExists,
  isConflict,
  isNotFound,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type EventRecorder,
  type Lister,
  type ResourceClient,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { claimObjects } from '../../shared/claim.js';
import { controllerRefOf, newControllerRef } from '../../shared/controller-ref.js';
import {
  DEFAULT_REVISION_HISTORY_LIMIT,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  revisionsToTruncate,
  RevisionWriter,
  sortRevisions,
  templateOfRevision,
  templatePatch,
} from '../history/controller-history.js';
import {
  claimsFor,
  completeRollingUpdate,
  isMemberOf,
  newStatefulSetPod,
  ordinalOf,
  planStatefulSet,
  podRevision,
  statefulViewOf,
  type StatefulAction,
} from './statefulset-logic.js';

const COMPONENT = 'statefulset-controller';
const API_VERSION = 'apps/v1';
const KIND = 'StatefulSet';

interface Revisions {
  current: ControllerRevision;
  update: ControllerRevision;
  all: ControllerRevision[];
  collisionCount: number;
}

export class StatefulSetController {
  readonly controller: Controller;
  private readonly sets: Lister<StatefulSet>;
  private readonly pods: Lister<Pod>;
  private readonly revisions: Lister<ControllerRevision>;
  private readonly claims: Lister<PersistentVolumeClaim>;
  private readonly setClient: ResourceClient<StatefulSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly claimClient: ResourceClient<PersistentVolumeClaim>;
  private readonly writer: RevisionWriter;
  private readonly recorder: EventRecorder;
  private readonly syncables;

  constructor(private readonly ctx: ControllerContext) {
    const setInformer = ctx.informers.informerFor<StatefulSet>(refs.statefulSets);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const revisionInformer = ctx.informers.informerFor<ControllerRevision>(refs.controllerRevisions);
    const claimInformer = ctx.informers.informerFor<PersistentVolumeClaim>(refs.persistentVolumeClaims);
    this.sets = setInformer.lister();
    this.pods = podInformer.lister();
    this.revisions = revisionInformer.lister();
    this.claims = claimInformer.lister();
    this.setClient = ctx.client.resource<StatefulSet>(refs.statefulSets);
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.revisionClient = ctx.client.resource<ControllerRevision>(refs.controllerRevisions);
    this.claimClient = ctx.client.resource<PersistentVolumeClaim>(refs.persistentVolumeClaims);
    this.writer = new RevisionWriter(this.revisionClient);
    this.recorder = ctx.recorder(COMPONENT);
    this.syncables = [setInformer, podInformer, revisionInformer, claimInformer];
    this.controller = newController(ctx, 'statefulset', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    setInformer.addEventHandler(this.controller.handlers());
    const podEvent = (pod: Pod): void => {
      const owner = this.ownerOf(pod);
      if (owner) {
        this.controller.enqueue(owner);
        return;
      }
      if (controllerRefOf(pod)) return;
      // An orphan may be adopted by a set whose selector matches and whose name it carries.
      for (const set of this.sets.namespace(pod.metadata?.namespace ?? '').list()) {
        if (isMemberOf(set.metadata?.name ?? '', pod) && labelSelectorFromObject(set.spec?.selector).matches(pod.metadata?.labels)) this.controller.enqueue(set);
      }
    };
    podInformer.addEventHandler({
      onAdd: podEvent,
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        const oldOwner = this.ownerOf(old);
        if (oldOwner && oldOwner !== this.ownerOf(pod)) this.controller.enqueue(oldOwner);
        podEvent(pod);
      },
      onDelete: (pod) => podEvent(objectOf(pod)),
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

  private ownerOf(obj: Pod | ControllerRevision): StatefulSet | undefined {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== KIND) return undefined;
    const set = this.sets.namespace(obj.metadata?.namespace ?? '').get(ref.name);
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  private enqueueOwner(rev: ControllerRevision): void {
    const owner = this.ownerOf(rev);
    if (owner) this.controller.enqueue(owner);
  }

  // ---- reconcile ----

  private async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const set = this.sets.namespace(namespace).get(name);
    if (!set) return;
    const selector = labelSelectorFromObject(set.spec?.selector);
    if (selector.isEmpty() || selector.matchesNothing()) {
      this.recorder.event(set, 'Warning', 'SelectingAll', 'This statefulset is selecting all pods. A non-empty selector is required.');
      return;
    }
    const revisions = await this.statefulSetRevisions(set, selector);
    const pods = await this.claimPods(set, selector);
    const view = statefulViewOf(set, revisions.current.metadata?.name ?? '', revisions.update.metadata?.name ?? '');
    const nowMs = this.ctx.clock.now();
    const plan = planStatefulSet(view, pods, nowMs);
    let failure: unknown;
    try {
      for (const action of plan.actions) await this.perform(set, revisions, action);
    } catch (err) {
      failure = err;
    }
    const status = plan.status;
    const { currentRevision, currentReplicas } = completeRollingUpdate(view, status);
    const next: StatefulSetStatus = {
      ...(set.status?.conditions ? { conditions: set.status.conditions } : {}),
      observedGeneration: set.metadata?.generation ?? 0,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      currentReplicas,
      updatedReplicas: status.updatedReplicas,
      availableReplicas: status.availableReplicas,
      currentRevision,
      updateRevision: view.updateRevision,
      collisionCount: revisions.collisionCount,
    };
    await this.updateStatus(set, next);
    await this.truncateHistory(set, pods, revisions, currentRevision);
    if (failure !== undefined) throw failure;
    // Ready pods turn available minReadySeconds later: look again then.
    if (view.minReadySeconds > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfterMs: view.minReadySeconds * 1000 };
    return undefined;
  }

  /** Members (named <set>-<n>) matching the selector are adopted; owned pods that stop matching are released. */
  private async claimPods(set: StatefulSet, selector: LabelSelector): Promise<Pod[]> {
    const namespace = set.metadata?.namespace ?? '';
    const setName = set.metadata?.name ?? '';
    const uid = set.metadata?.uid;
    const candidates = this.pods.namespace(namespace).list().filter((p) => controllerRefOf(p)?.uid === uid || isMemberOf(setName, p));
    const claims = claimObjects(set, selector, candidates);
    const owned = [...claims.owned];
    const client = this.podClient.namespace(namespace);
    if (claims.adopt.length > 0 && (await this.isLive(set))) {
      const ref = newControllerRef(set, API_VERSION, KIND);
      for (const pod of claims.adopt) {
        try {
          owned.push(await client.patch(pod.metadata?.name ?? '', 'strategic', { metadata: { ownerReferences: [ref], uid: pod.metadata?.uid } }));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    for (const pod of claims.release) {
      try {
        await client.patch(pod.metadata?.name ?? '', 'strategic', { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: pod.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    // A pod of the set with an unparsable ordinal is ignored, as Kubernetes does.
    return owned.filter((p) => ordinalOf(p) >= 0);
  }

  private async isLive(set: StatefulSet): Promise<boolean> {
    try {
      const fresh = await this.setClient.namespace(set.metadata?.namespace ?? '').get(set.metadata?.name ?? '');
      return fresh.metadata?.uid === set.metadata?.uid && !fresh.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * getStatefulSetRevisions: the update revision is the one equal to the current template (the newest if it is the
   * latest, renumbered if it is an older one rolled back to, created otherwise); the current revision is the one the
   * status names, or the update revision on the first sync.
   */
  private async statefulSetRevisions(set: StatefulSet, selector: LabelSelector): Promise<Revisions> {
    const namespace = set.metadata?.namespace ?? '';
    const ref = newControllerRef(set, API_VERSION, KIND);
    const claims = claimObjects(set, selector, this.revisions.namespace(namespace).list());
    const owned = [...claims.owned];
    if (claims.adopt.length > 0 && (await this.isLive(set))) {
      for (const rev of claims.adopt) {
        try {
          owned.push(await this.revisionClient.namespace(namespace).patch(rev.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: [ref], uid: rev.metadata?.uid } }));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    const all = sortRevisions(owned);
    const collision = { count: set.status?.collisionCount ?? 0 };
    const probe = newControllerRevision(namespace, set.metadata?.name ?? '', ref, set.spec?.template?.metadata?.labels, templatePatch(set.spec?.template), nextRevision(all), collision.count);
    const equal = findEqualRevisions(all, probe);
    let update: ControllerRevision;
    const latest = all[all.length - 1];
    const lastEqual = equal[equal.length - 1];
    if (lastEqual && equalRevision(latest, lastEqual)) update = latest!;
    else if (lastEqual) update = await this.writer.updateRevision(lastEqual, probe.revision);
    else update = await this.writer.create(probe, collision);
    const byName = new Map(all.map((r) => [r.metadata?.name ?? '', r]));
    byName.set(update.metadata?.name ?? '', update);
    const current = byName.get(set.status?.currentRevision ?? '') ?? update;
    return { current, update, all: [...byName.values()], collisionCount: collision.count };
  }

  private async perform(set: StatefulSet, revisions: Revisions, action: StatefulAction): Promise<void> {
    const namespace = set.metadata?.namespace ?? '';
    const setName = set.metadata?.name ?? '';
    const pods = this.podClient.namespace(namespace);
    switch (action.kind) {
      case 'create': {
        const revision = action.revision === 'current' ? revisions.current : revisions.update;
        const template = revision === revisions.update ? set.spec?.template : templateOfRevision(revision);
        const ref = newControllerRef(set, API_VERSION, KIND);
        const pod = newStatefulSetPod(set, template, action.ordinal, revision.metadata?.name ?? '', ref);
        const name = pod.metadata?.name ?? '';
        await this.ensureClaims(set, action.ordinal, name);
        try {
          await pods.create(pod);
        } catch (err) {
          // Our cache has not seen the pod we made in an earlier sync yet.
          if (isAlreadyExists(err)) return;
          this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
          throw err;
        }
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`);
        return;
      }
      case 'ensure-claims':
        await this.ensureClaims(set, ordinalOf(action.pod), action.pod.metadata?.name ?? '');
        return;
      case 'fix-identity':
        await pods.patch(action.pod.metadata?.name ?? '', 'merge', { metadata: { labels: action.labels, uid: action.pod.metadata?.uid } });
        return;
      case 'delete': {
        const name = action.pod.metadata?.name ?? '';
        if (action.reason === 'scale-down' && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.ownClaimsByPod(set, action.pod);
        try {
          await pods.delete(name, { preconditions: { uid: action.pod.metadata?.uid } });
        } catch (err) {
          // Gone already, or replaced (the uid precondition failed): our cache was behind.
          if (isNotFound(err) || isConflict(err)) return;
          this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
          throw err;
        }
        this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${setName} successful`);
        return;
      }
    }
  }

  /** createPersistentVolumeClaims: each missing claim of the ordinal, owned by the set when whenDeleted=Delete. */
  private async ensureClaims(set: StatefulSet, ordinal: number, podName: string): Promise<void> {
    const namespace = set.metadata?.namespace ?? '';
    const setName = set.metadata?.name ?? '';
    const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    for (const claim of claimsFor(set, ordinal).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.claims.namespace(namespace).get(name);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) throw new Error(`pvc ${name} is being deleted`);
        continue;
      }
      if (deleteWithSet) claim.metadata = { ...claim.metadata, ownerReferences: [ownerRefOf(set, API_VERSION, KIND)] };
      try {
        await this.claimClient.namespace(namespace).create(claim);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
        throw err;
      }
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${setName} success`);
    }
  }

  /** whenScaled=Delete: the claims of a condemned pod get the pod as owner, so the garbage collector removes them with it. */
  private async ownClaimsByPod(set: StatefulSet, pod: Pod): Promise<void> {
    const namespace = set.metadata?.namespace ?? '';
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.claims.namespace(namespace).get(claim.metadata?.name ?? '');
      if (!existing) continue;
      const refs = existing.metadata?.ownerReferences ?? [];
      if (refs.some((r) => r.uid === pod.metadata?.uid)) continue;
      try {
        await this.claimClient
          .namespace(namespace)
          .patch(existing.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: [...refs, ownerRefOf(pod, 'v1', 'Pod')], resourceVersion: existing.metadata?.resourceVersion } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async updateStatus(set: StatefulSet, next: StatefulSetStatus): Promise<void> {
    const cur = set.status ?? {};
    const fields: Array<keyof StatefulSetStatus> = ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'currentRevision', 'updateRevision', 'collisionCount'];
    if (fields.every((f) => (cur[f] ?? 0) === (next[f] ?? 0))) return;
    try {
      await this.setClient.namespace(set.metadata?.namespace ?? '').updateStatus({ ...set, status: next });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err; // a 409 requeues with the fresh object
    }
  }

  /** Revisions beyond revisionHistoryLimit that neither a pod nor the status uses are deleted, oldest first. */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: Revisions, currentRevision: string): Promise<void> {
    const live = new Set<string>([currentRevision, revisions.update.metadata?.name ?? '', ...pods.map(podRevision)]);
    for (const rev of revisionsToTruncate(revisions.all, live, set.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT)) await this.writer.delete(rev);
  }
}

/** A plain (non-controller) owner reference, as the retention policy adds to claims. */
function ownerRefOf(owner: { metadata?: { name?: string; uid?: string } }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', blockOwnerDeletion: true };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  enabledByDefault: true,
  start: (ctx, signal) => new StatefulSetController(ctx).run(signal),
};
