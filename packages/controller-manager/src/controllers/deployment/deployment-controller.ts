// The Deployment controller (pkg/controller/deployment): a Deployment owns ReplicaSets named <deployment>-<hash>, one
// per pod template, and moves pods from the old ones to the new one by resizing them: all at once (Recreate) or
// within maxSurge/maxUnavailable (RollingUpdate). It keeps revisions on the ReplicaSets for `kubectl rollout
// history/undo`, resizes proportionally when the Deployment is scaled mid-rollout, deletes old ReplicaSets beyond
// revisionHistoryLimit, and reports progress through the Progressing/Available conditions `kubectl rollout status`
// reads. The arithmetic lives in rollout-math.ts, revisions.ts and status.ts; this file reads caches and writes.
import {
  cloneJson,
  labelSelectorFromObject,
  type Deployment,
  type JsonValue,
  type LabelSelector,
  type Pod,
  type ReplicaSet,
} from '@k8ts/api-machinery';
import {
  Controller,
  isAlreadyExists,
  isApiError,
  isNotFound,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type OwnerReference,
  type ResourceClient,
  type Syncable,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { claimDependents } from '../../shared/claim.js';
import { controllerRefOf, newControllerRef } from '../../shared/controller-ref.js';
import { canonicalJson, computeTemplateHash } from '../../shared/template-hash.js';
import {
  annotationsDiffer,
  annotationsForRollback,
  byCreation,
  findNewReplicaSet,
  lastRevision,
  maxRevision,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  replicaSetAnnotations,
  replicaSetsToCleanUp,
  replicasAnnotationsUpdate,
  revisionOf,
  ROLLBACK_TO_ANNOTATION,
  rollbackToRevision,
  templatesEqualIgnoringHash,
  templateWithoutHash,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
} from './revisions.js';
import {
  findActiveOrLatest,
  isSaturated,
  isScalingEvent,
  maxSurgeOf,
  newReplicaSetSize,
  oldPodsRunning,
  oldReplicaSetSizes,
  proportionalPlan,
  type RolloutParams,
  type RsSummary,
} from './rollout-math.js';
import {
  calculateStatus,
  getCondition,
  hasProgressDeadline,
  isComplete,
  MAX_INT32,
  metaTime,
  newCondition,
  pausedConditions,
  progressCheckAfterMs,
  REASONS,
  replicaFailureOf,
  rolloutStatus,
  setCondition,
  type DeploymentFacts,
  type RsStatusSummary,
} from './status.js';

type SyncResult = { requeueAfterMs?: number } | void;

const COMPONENT = 'deployment-controller';

const replicasOf = (rs: ReplicaSet): number => rs.spec?.replicas ?? 1;
const uidOf = (obj: { metadata?: { uid?: string } }): string => obj.metadata?.uid ?? '';
const isActive = (rs: ReplicaSet): boolean => replicasOf(rs) > 0;
const intAnnotation = (rs: ReplicaSet, key: string): number | undefined => {
  const raw = rs.metadata?.annotations?.[key];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
};

/**
 * A ReplicaSet for the rollout arithmetic. Its available count is capped at its size: right after a scale-down its
 * status still counts the pods being deleted (the ReplicaSet controller reports the pods it saw before deleting), and
 * trusting that would let the next step take more old pods than maxUnavailable allows. Kubernetes has the same window;
 * the cap only ever makes a step more careful.
 */
function rsSummary(rs: ReplicaSet): RsSummary {
  const created = Date.parse(rs.metadata?.creationTimestamp ?? '');
  return {
    name: rs.metadata?.name ?? '',
    replicas: replicasOf(rs),
    available: Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs)),
    createdMs: Number.isNaN(created) ? 0 : created,
    maxReplicasAnnotation: intAnnotation(rs, MAX_REPLICAS_ANNOTATION),
    desiredReplicasAnnotation: intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION),
  };
}

function rsStatusSummary(rs: ReplicaSet): RsStatusSummary {
  return {
    name: rs.metadata?.name ?? '',
    replicas: replicasOf(rs),
    statusReplicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
  };
}

function paramsOf(d: Deployment): RolloutParams {
  const strategy = d.spec?.strategy;
  return {
    replicas: d.spec?.replicas ?? 1,
    strategy: strategy?.type === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    maxSurge: strategy?.rollingUpdate?.maxSurge,
    maxUnavailable: strategy?.rollingUpdate?.maxUnavailable,
    statusReplicas: d.status?.replicas ?? 0,
  };
}

function factsOf(d: Deployment): DeploymentFacts {
  return {
    ...paramsOf(d),
    name: d.metadata?.name ?? '',
    generation: d.metadata?.generation ?? 0,
    paused: d.spec?.paused === true,
    progressDeadlineSeconds: d.spec?.progressDeadlineSeconds,
    collisionCount: d.status?.collisionCount,
    conditions: d.status?.conditions ?? [],
    previous: d.status ?? {},
  };
}

function errorMessage(err: unknown): string {
  if (isApiError(err)) return err.status.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
const clone = <T>(obj: T): T => cloneJson(obj as unknown as JsonValue) as unknown as T;

/** Replaces (or adds) `rs` in `list` by uid: later steps of a sync see what earlier steps wrote. */
function remember(list: ReplicaSet[], rs: ReplicaSet): void {
  const i = list.findIndex((x) => uidOf(x) === uidOf(rs));
  if (i >= 0) list[i] = rs;
  else list.push(rs);
}

export class DeploymentController {
  readonly controller: Controller;
  private readonly deployments: Lister<Deployment>;
  private readonly replicaSets: Lister<ReplicaSet>;
  private readonly pods: Lister<Pod>;
  private readonly deploymentClient: ResourceClient<Deployment>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly recorder: EventRecorder;
  private readonly syncables: Syncable[];
  /** The revision annotation each working copy had on the server (see writeStatus). */
  private readonly storedRevision = new WeakMap<Deployment, string | undefined>();

  constructor(private readonly ctx: ControllerContext) {
    const dInformer = ctx.informers.informerFor<Deployment>(refs.deployments);
    const rsInformer = ctx.informers.informerFor<ReplicaSet>(refs.replicaSets);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    this.deployments = dInformer.lister();
    this.replicaSets = rsInformer.lister();
    this.pods = podInformer.lister();
    this.deploymentClient = ctx.client.resource<Deployment>(refs.deployments);
    this.rsClient = ctx.client.resource<ReplicaSet>(refs.replicaSets);
    this.recorder = ctx.recorder(COMPONENT);
    this.syncables = [dInformer, rsInformer, podInformer];
    this.controller = newController(ctx, 'deployment', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    dInformer.addEventHandler({
      onAdd: (d) => this.controller.enqueue(d),
      onUpdate: (_old, d) => this.controller.enqueue(d),
      onDelete: (d) => this.controller.enqueue(objectOf(d)),
    });
    rsInformer.addEventHandler({
      onAdd: (rs) => this.rsAdded(rs),
      onUpdate: (old, rs) => this.rsUpdated(old, rs),
      onDelete: (rs) => this.rsDeleted(rs),
    });
    // Only deletions matter: Recreate waits for the last old pod to be gone (ReplicaSet status covers the rest).
    podInformer.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  // ---- events → keys ----

  /** The Deployment a controller reference names, if it still is that object (resolveControllerRef). */
  private resolve(namespace: string, ref: OwnerReference | undefined): Deployment | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.namespace(namespace).get(ref.name);
    return d && uidOf(d) === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels: candidates to adopt it. */
  private deploymentsFor(rs: ReplicaSet): Deployment[] {
    if (Object.keys(rs.metadata?.labels ?? {}).length === 0) return [];
    return this.deployments
      .namespace(rs.metadata?.namespace ?? '')
      .list()
      .filter((d) => {
        const selector = labelSelectorFromObject(d.spec?.selector);
        return !selector.isEmpty() && selector.matches(rs.metadata?.labels);
      });
  }

  private rsAdded(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) return this.rsDeleted(rs);
    const ref = controllerRefOf(rs);
    if (ref) {
      const d = this.resolve(rs.metadata?.namespace ?? '', ref);
      if (d) this.controller.enqueue(d);
      return;
    }
    for (const d of this.deploymentsFor(rs)) this.controller.enqueue(d);
  }

  private rsUpdated(old: ReplicaSet, rs: ReplicaSet): void {
    if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return; // a resync
    const namespace = rs.metadata?.namespace ?? '';
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(rs);
    const refChanged = !sameJson(oldRef ?? null, ref ?? null);
    if (refChanged && oldRef) {
      const previous = this.resolve(namespace, oldRef);
      if (previous) this.controller.enqueue(previous);
    }
    if (ref) {
      const d = this.resolve(namespace, ref);
      if (d) this.controller.enqueue(d);
      return;
    }
    if (refChanged || !sameJson(old.metadata?.labels ?? {}, rs.metadata?.labels ?? {})) {
      for (const d of this.deploymentsFor(rs)) this.controller.enqueue(d);
    }
  }

  private rsDeleted(rsOrTombstone: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = objectOf(rsOrTombstone);
    const d = this.resolve(rs.metadata?.namespace ?? '', controllerRefOf(rs));
    if (d) this.controller.enqueue(d);
  }

  private podDeleted(podOrTombstone: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(podOrTombstone);
    const namespace = pod.metadata?.namespace ?? '';
    const podRef = controllerRefOf(pod);
    if (podRef?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.namespace(namespace).get(podRef.name);
    if (!rs || uidOf(rs) !== podRef.uid) return;
    const d = this.resolve(namespace, controllerRefOf(rs));
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const owned = new Set(
      this.replicaSets
        .namespace(namespace)
        .list()
        .filter((x) => controllerRefOf(x)?.uid === uidOf(d))
        .map(uidOf),
    );
    const left = this.pods
      .namespace(namespace)
      .list()
      .some((p) => owned.has(controllerRefOf(p)?.uid ?? ''));
    if (!left) this.controller.enqueue(d);
  }

  // ---- reconcile (syncDeployment) ----

  private async sync(key: string): Promise<SyncResult> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const cached = this.deployments.namespace(namespace).get(name);
    if (!cached) return; // deleted: the garbage collector removes its ReplicaSets
    const d = clone(cached);
    this.storedRevision.set(d, d.metadata?.annotations?.[REVISION_ANNOTATION]);

    const selectorObject = d.spec?.selector;
    if (Object.keys(selectorObject?.matchLabels ?? {}).length === 0 && (selectorObject?.matchExpressions ?? []).length === 0) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata?.generation ?? 0 };
        await this.writeStatus(d);
      }
      return;
    }
    const selector = labelSelectorFromObject(selectorObject);
    const rsList = await this.claimReplicaSets(d, selector);

    if (d.metadata?.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.syncScale(d, rsList);
    if (rollbackToRevision(d.metadata?.annotations) !== undefined) return this.rollback(d, rsList);
    if (await this.isScalingEvent(d, rsList)) return this.syncScale(d, rsList);
    return d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate(d, rsList, selector) : this.rolloutRolling(d, rsList);
  }

  /** getReplicaSetsForDeployment: adopts matching orphans, releases owned ReplicaSets that stopped matching. */
  private claimReplicaSets(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const namespace = d.metadata?.namespace ?? '';
    return claimDependents(d, selector, this.replicaSets.namespace(namespace).list(), newControllerRef(d, 'apps/v1', 'Deployment'), {
      getOwner: () => this.deploymentClient.namespace(namespace).get(d.metadata?.name ?? ''),
      patchDependent: (name, patch) => this.rsClient.namespace(namespace).patch(name, 'strategic', patch),
    });
  }

  // ---- ReplicaSets and revisions ----

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked and missing) with its revision brought
   * to max(old) + 1, and the old ones. `rsList` is updated with whatever was written.
   */
  private async replicaSetsAndRevision(
    d: Deployment,
    rsList: ReplicaSet[],
    create: boolean,
  ): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(d.spec?.template, rsList);
    const oldRSs = rsList.filter((rs) => !existing || uidOf(rs) !== uidOf(existing));
    const newRS = await this.newReplicaSet(d, rsList, oldRSs, existing, create);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(
    d: Deployment,
    rsList: ReplicaSet[],
    oldRSs: ReplicaSet[],
    existing: ReplicaSet | undefined,
    create: boolean,
  ): Promise<ReplicaSet | undefined> {
    const namespace = d.metadata?.namespace ?? '';
    const newRevision = maxRevision(oldRSs) + 1;
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    const now = metaTime(this.ctx.clock.now());

    if (existing) {
      const annotations = replicaSetAnnotations(existing.metadata?.annotations, d.metadata?.annotations, newRevision);
      if (annotationsDiffer(annotations, existing.metadata?.annotations) || (existing.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        const copy = clone(existing);
        copy.metadata = { ...copy.metadata, annotations };
        copy.spec = { ...copy.spec!, minReadySeconds };
        const updated = await this.rsClient.namespace(namespace).update(copy);
        remember(rsList, updated);
        return updated;
      }
      let needsUpdate = this.setDeploymentRevision(d, existing.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
      // A Deployment that never had a Progressing condition starts the clock when its new ReplicaSet is first seen.
      if (hasProgressDeadline(factsOf(d)) && !getCondition(d.status?.conditions, 'Progressing')) {
        const message = `Found new replica set "${existing.metadata?.name ?? ''}"`;
        this.setStatusCondition(d, newCondition('Progressing', 'True', REASONS.foundNewRS, message, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus(d);
      return existing;
    }
    if (!create) return undefined;

    const rs = this.replicaSetFor(d, oldRSs, newRevision);
    const rsName = rs.metadata?.name ?? '';
    const count = rs.spec?.replicas ?? 0;
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.rsClient.namespace(namespace).create(rs);
    } catch (err) {
      if (isAlreadyExists(err)) {
        // Ours from an earlier sync the cache has not shown yet, or another template with the same hash.
        const found = this.replicaSets.namespace(namespace).get(rsName);
        if (!found) throw err; // not in the cache yet: try again later
        if (controllerRefOf(found)?.uid === uidOf(d) && templatesEqualIgnoringHash(d.spec?.template, found.spec?.template)) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: the next name is computed with a higher collisionCount.
          d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          await this.writeStatus(d);
          throw err;
        }
      } else {
        const terminating = isApiError(err) && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
        if (terminating) throw err;
        const message = `Failed to create new replica set "${rsName}": ${errorMessage(err)}`;
        if (hasProgressDeadline(factsOf(d))) {
          this.setStatusCondition(d, newCondition('Progressing', 'False', REASONS.failedRSCreate, message, now));
          await this.writeStatus(d).catch(() => undefined); // the create failure is the error worth reporting
        }
        this.recorder.event(d, 'Warning', REASONS.failedRSCreate, message);
        throw err;
      }
    }
    remember(rsList, created);
    if (!alreadyExists && count > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${count}`);
    }
    let needsUpdate = this.setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(factsOf(d))) {
      this.setStatusCondition(d, newCondition('Progressing', 'True', REASONS.newReplicaSet, `Created new replica set "${rsName}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return created;
  }

  /** The ReplicaSet for the Deployment's current template: hash label and selector, revision, first size. */
  private replicaSetFor(d: Deployment, oldRSs: ReplicaSet[], revision: number): ReplicaSet {
    const template = clone(d.spec?.template ?? {});
    const hash = computeTemplateHash(d.spec?.template ?? {}, d.status?.collisionCount);
    const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    template.metadata = { ...template.metadata, labels };
    const selector = { ...d.spec?.selector, matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const name = `${d.metadata?.name ?? ''}-${hash}`;
    const p = paramsOf(d);
    const fresh: RsSummary = { name, replicas: 0, available: 0, createdMs: this.ctx.clock.now() };
    const replicas = newReplicaSetSize(p, fresh, [...oldRSs.map(rsSummary), fresh]);
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata?.namespace ?? '',
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels,
        annotations: replicaSetAnnotations(undefined, d.metadata?.annotations, revision, { desired: p.replicas, max: p.replicas + maxSurgeOf(p) }),
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
  }

  /** SetDeploymentRevision on the working copy; true when it changed. */
  private setDeploymentRevision(d: Deployment, revision: string): boolean {
    if (d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return false;
    d.metadata = { ...d.metadata, annotations: { ...(d.metadata?.annotations ?? {}), [REVISION_ANNOTATION]: revision } };
    return true;
  }

  private setStatusCondition(d: Deployment, condition: ReturnType<typeof newCondition>): void {
    d.status = { ...d.status, conditions: setCondition(d.status?.conditions ?? [], condition) };
  }

  /**
   * UpdateStatus of the working copy, keeping its resourceVersion current so that later writes of the same sync do
   * not conflict with our own. Kubernetes stores the Deployment's revision annotation through this same status write
   * (its status strategy resets only spec and labels); k8ts's status subresource changes status only, so a changed
   * revision goes first in a merge patch of its own, with the resourceVersion as precondition.
   */
  private async writeStatus(d: Deployment): Promise<void> {
    const client = this.deploymentClient.namespace(d.metadata?.namespace ?? '');
    const name = d.metadata?.name ?? '';
    const revision = d.metadata?.annotations?.[REVISION_ANNOTATION];
    if (revision !== undefined && revision !== this.storedRevision.get(d)) {
      const patched = await client.patch(name, 'merge', {
        metadata: { annotations: { [REVISION_ANNOTATION]: revision }, resourceVersion: d.metadata?.resourceVersion },
      });
      this.storedRevision.set(d, revision);
      d.metadata = { ...d.metadata, resourceVersion: patched.metadata?.resourceVersion };
    }
    const updated = await client.updateStatus(d);
    d.metadata = { ...d.metadata, resourceVersion: updated.metadata?.resourceVersion };
  }

  // ---- scaling ----

  /** scaleReplicaSetAndRecordEvent: resizes when the size differs. */
  private async scaleAndRecord(d: Deployment, rsList: ReplicaSet[], rs: ReplicaSet, size: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (replicasOf(rs) === size) return { scaled: false, rs };
    return this.scaleReplicaSet(d, rsList, rs, size, replicasOf(rs) < size ? 'up' : 'down');
  }

  /**
   * scaleReplicaSet: writes the size and the desired/max-replicas annotations (what proportional scaling and
   * scaling-event detection read later); an event only when the size changed.
   */
  private async scaleReplicaSet(
    d: Deployment,
    rsList: ReplicaSet[],
    rs: ReplicaSet,
    size: number,
    operation: string,
  ): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const p = paramsOf(d);
    const annotations = replicasAnnotationsUpdate(rs.metadata?.annotations, p.replicas, p.replicas + maxSurgeOf(p));
    const oldSize = replicasOf(rs);
    const resize = oldSize !== size;
    if (!resize && !annotations) return { scaled: false, rs };
    const copy = clone(rs);
    copy.spec = { ...copy.spec!, replicas: size };
    if (annotations) copy.metadata = { ...copy.metadata, annotations };
    const updated = await this.rsClient.namespace(rs.metadata?.namespace ?? '').update(copy);
    remember(rsList, updated);
    if (resize) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata?.name ?? ''} to ${size} from ${oldSize}`);
    }
    return { scaled: resize, rs: updated };
  }

  private async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, false);
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    return isScalingEvent(paramsOf(d), all.map(rsSummary));
  }

  /**
   * DeploymentController.scale: a replicas change outside a rollout step. One active ReplicaSet takes the count; a
   * saturated new one sends the old to zero; otherwise every active one grows or shrinks in proportion.
   */
  private async scale(d: Deployment, rsList: ReplicaSet[], newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const p = paramsOf(d);
    const byName = new Map([...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => [rs.metadata?.name ?? '', rs]));
    const newSummary = newRS ? rsSummary(newRS) : undefined;
    const oldSummaries = oldRSs.map(rsSummary);
    const target = findActiveOrLatest(newSummary, oldSummaries);
    if (target) {
      // Kubernetes stops here when the size is right; the annotations are still brought up to date so that a
      // ReplicaSet resized by hand cannot leave the Deployment in a scaling event forever.
      await this.scaleReplicaSet(d, rsList, byName.get(target.name)!, p.replicas, replicasOf(byName.get(target.name)!) < p.replicas ? 'up' : 'down');
      return;
    }
    if (!newSummary && oldSummaries.length === 0) return;
    if (isSaturated(p, newSummary)) {
      for (const rs of oldRSs.filter(isActive)) await this.scaleAndRecord(d, rsList, rs, 0);
      return;
    }
    if (p.strategy !== 'RollingUpdate') return;
    const plan = proportionalPlan(p, newSummary, oldSummaries);
    for (const { rs, size } of plan.sizes) await this.scaleReplicaSet(d, rsList, byName.get(rs.name)!, size, plan.operation);
  }

  /** cleanupDeployment: deletes the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === MAX_INT32) return;
    const names = replicaSetsToCleanUp(
      oldRSs.map((rs) => ({
        name: rs.metadata?.name ?? '',
        revision: revisionOf(rs),
        createdMs: rsSummary(rs).createdMs,
        replicas: replicasOf(rs),
        statusReplicas: rs.status?.replicas ?? 0,
        generation: rs.metadata?.generation ?? 0,
        observedGeneration: rs.status?.observedGeneration ?? 0,
        deleting: rs.metadata?.deletionTimestamp !== undefined,
      })),
      limit,
    );
    const client = this.rsClient.namespace(d.metadata?.namespace ?? '');
    for (const name of names) {
      try {
        await client.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err; // stop at the first failure rather than press on against the apiserver
      }
    }
  }

  // ---- the sync modes ----

  /** A Deployment being deleted: status only. */
  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, false);
    await this.syncDeploymentStatus(d, rsList, newRS, oldRSs);
  }

  /** sync: paused, or a scaling event. No rollout step; a paused Deployment still gets its history cleaned up. */
  private async syncScale(d: Deployment, rsList: ReplicaSet[]): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, false);
    await this.scale(d, rsList, newRS, oldRSs);
    if (d.spec?.paused && rollbackToRevision(d.metadata?.annotations) === undefined) await this.cleanup(d, this.fresh(rsList, oldRSs));
    await this.syncDeploymentStatus(d, rsList, newRS, oldRSs);
  }

  /** The latest written version of each of `rss`. */
  private fresh(rsList: ReplicaSet[], rss: ReplicaSet[]): ReplicaSet[] {
    return rss.map((rs) => rsList.find((x) => uidOf(x) === uidOf(rs)) ?? rs);
  }

  /** syncDeploymentStatus: counts and Available, no progress estimate. */
  private async syncDeploymentStatus(d: Deployment, rsList: ReplicaSet[], newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const [fresh] = newRS ? this.fresh(rsList, [newRS]) : [undefined];
    const all = [...this.fresh(rsList, oldRSs), ...(fresh ? [fresh] : [])];
    const now = metaTime(this.ctx.clock.now());
    const status = calculateStatus(factsOf(d), fresh ? rsStatusSummary(fresh) : undefined, all.map(rsStatusSummary), now);
    if (sameJson(d.status ?? {}, status)) return;
    d.status = status;
    await this.writeStatus(d);
  }

  /** syncRolloutStatus: the status with progress, and when to look again for a deadline. */
  private async syncRolloutStatus(d: Deployment, rsList: ReplicaSet[], newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<SyncResult> {
    const [fresh] = newRS ? this.fresh(rsList, [newRS]) : [undefined];
    const all = [...this.fresh(rsList, oldRSs), ...(fresh ? [fresh] : [])];
    const nowMs = this.ctx.clock.now();
    const facts = factsOf(d);
    const calculated = calculateStatus(facts, fresh ? rsStatusSummary(fresh) : undefined, all.map(rsStatusSummary), metaTime(nowMs));
    const failure = replicaFailureOf(fresh?.status, all.map((rs) => rs.status ?? {}));
    const status = rolloutStatus(facts, calculated, fresh?.metadata?.name, failure, nowMs);
    if (sameJson(d.status ?? {}, status)) {
      const after = progressCheckAfterMs(facts, status, nowMs);
      return after === undefined ? undefined : { requeueAfterMs: after };
    }
    d.status = status;
    await this.writeStatus(d);
  }

  private async checkPausedConditions(d: Deployment): Promise<void> {
    const conditions = pausedConditions(factsOf(d), this.ctx.clock.now());
    if (!conditions) return;
    d.status = { ...d.status, conditions };
    await this.writeStatus(d);
  }

  /** rolloutRolling: grow the new ReplicaSet within maxSurge, else shrink old ones within maxUnavailable. */
  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<SyncResult> {
    const found = await this.replicaSetsAndRevision(d, rsList, true);
    let newRS = found.newRS!;
    const oldRSs = found.oldRSs;
    const p = paramsOf(d);

    // reconcileNewReplicaSet
    if (replicasOf(newRS) !== p.replicas) {
      const size = replicasOf(newRS) > p.replicas ? p.replicas : newReplicaSetSize(p, rsSummary(newRS), [...oldRSs, newRS].map(rsSummary));
      const result = await this.scaleAndRecord(d, rsList, newRS, size);
      newRS = result.rs;
      if (result.scaled) return this.syncRolloutStatus(d, rsList, newRS, oldRSs);
    }

    // reconcileOldReplicaSets: unhealthy old pods first, then healthy ones, oldest ReplicaSet first.
    const activeOld = oldRSs.filter(isActive).sort(byCreation);
    const sizes = oldReplicaSetSizes(p, rsSummary(newRS), activeOld.map(rsSummary));
    let scaledDown = false;
    for (const rs of activeOld) {
      const size = sizes.get(rs.metadata?.name ?? '');
      if (size === undefined) continue;
      scaledDown = (await this.scaleAndRecord(d, rsList, rs, size)).scaled || scaledDown;
    }
    if (scaledDown) return this.syncRolloutStatus(d, rsList, newRS, oldRSs);

    if (isComplete(p.replicas, d.metadata?.generation ?? 0, d.status ?? {})) await this.cleanup(d, this.fresh(rsList, oldRSs));
    return this.syncRolloutStatus(d, rsList, newRS, oldRSs);
  }

  /** rolloutRecreate: every old pod gone before the new ReplicaSet is created and scaled up. */
  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[], selector: LabelSelector): Promise<SyncResult> {
    // Not created yet if missing: nothing may start before the old pods are gone.
    let { newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, false);
    const p = paramsOf(d);
    let scaledDown = false;
    for (const rs of oldRSs.filter(isActive)) scaledDown = (await this.scaleAndRecord(d, rsList, rs, 0)).scaled || scaledDown;
    if (scaledDown) return this.syncRolloutStatus(d, rsList, newRS, oldRSs);

    const olds = this.fresh(rsList, oldRSs);
    const oldUids = new Set(olds.map(uidOf));
    const oldPods = this.pods
      .namespace(d.metadata?.namespace ?? '')
      .list()
      .filter((pod) => selector.matches(pod.metadata?.labels) && oldUids.has(controllerRefOf(pod)?.uid ?? ''));
    const oldStatusReplicas = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    if (oldPodsRunning(oldStatusReplicas, oldPods.map((pod) => pod.status?.phase))) return this.syncRolloutStatus(d, rsList, newRS, oldRSs);

    if (!newRS) ({ newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, true));
    newRS = (await this.scaleAndRecord(d, rsList, newRS!, p.replicas)).rs;
    if (isComplete(p.replicas, d.metadata?.generation ?? 0, d.status ?? {})) await this.cleanup(d, this.fresh(rsList, oldRSs));
    return this.syncRolloutStatus(d, rsList, newRS, oldRSs);
  }

  /**
   * The rollback that apps/v1 still round-trips through the deprecated.deployment.rollback.to annotation (the old
   * spec.rollbackTo): copy that revision's template back and clear the request. `kubectl rollout undo` does the same
   * on the client side and never sets it.
   */
  private async rollback(d: Deployment, rsList: ReplicaSet[]): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSetsAndRevision(d, rsList, true);
    const all = this.fresh(rsList, [...oldRSs, ...(newRS ? [newRS] : [])]);
    let revision = rollbackToRevision(d.metadata?.annotations) ?? 0;
    if (revision === 0) {
      revision = lastRevision(all.map(revisionOf));
      if (revision === 0) {
        this.recorder.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find last revision.');
        return this.updateAndClearRollbackTo(d);
      }
    }
    const target = all.find((rs) => revisionOf(rs) === revision);
    if (!target) {
      this.recorder.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
      return this.updateAndClearRollbackTo(d);
    }
    if (templatesEqualIgnoringHash(d.spec?.template, target.spec?.template)) {
      const message = `The rollback revision contains the same template as current deployment "${d.metadata?.name ?? ''}"`;
      this.recorder.event(d, 'Warning', 'DeploymentRollbackTemplateUnchanged', message);
      return this.updateAndClearRollbackTo(d);
    }
    d.spec = { ...d.spec!, template: templateWithoutHash(target.spec?.template) };
    // The ReplicaSet's annotations (its change-cause) come back with its template.
    d.metadata = { ...d.metadata, annotations: annotationsForRollback(d.metadata?.annotations, target.metadata?.annotations) };
    await this.updateAndClearRollbackTo(d);
    this.recorder.event(d, 'Normal', 'DeploymentRollback', `Rolled back deployment "${d.metadata?.name ?? ''}" to revision ${revision}`);
  }

  private async updateAndClearRollbackTo(d: Deployment): Promise<void> {
    const annotations = { ...(d.metadata?.annotations ?? {}) };
    delete annotations[ROLLBACK_TO_ANNOTATION];
    d.metadata = { ...d.metadata, annotations };
    await this.deploymentClient.namespace(d.metadata?.namespace ?? '').update(d);
  }
}

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment',
  enabledByDefault: true,
  start: (ctx: ControllerContext, signal: AbortSignal) => new DeploymentController(ctx).run(signal),
};
