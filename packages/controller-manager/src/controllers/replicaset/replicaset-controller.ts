// The ReplicaSet and ReplicationController controllers (pkg/controller/replicaset): keep `replicas` pods matching
// the selector, adopting orphans and releasing strays, creating in slow-start batches and deleting the least useful
// pods first, with expectations so that a burst never overshoots while the cache catches up. One implementation;
// the two kinds differ only in their resource, their selector's shape and their event source name.
import {
  labelSelectorFromObject,
  type LabelSelector,
  type Pod,
  type PodTemplateSpec,
  type ReplicaSet,
  type ReplicaSetCondition,
  type ReplicaSetStatus,
  type ReplicationController,
} from '@k8ts/api-machinery';
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
  type ResourceRef,
} from '@k8ts/client';
import type { ControllerContext, ControllerDescriptor } from '../../controller-context.js';
import { claimDependents } from '../../shared/claim.js';
import { controllerRefOf, newControllerRef } from '../../shared/controller-ref.js';
import { Expectations } from '../../shared/expectations.js';
import { isPodActive, isPodReady } from '../../shared/pod-state.js';
import { podFromTemplate } from '../../shared/pod-template.js';
import {
  countReplicas,
  decideScale,
  recheckAfterMs,
  replicaFailureConditions,
  slowStartBatches,
  type ReplicaSetView,
} from './replica-set-logic.js';

type ReplicatedObject = ReplicaSet | ReplicationController;

/** How one kind is read. */
interface ReplicaKind {
  name: string;
  component: string;
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  selectorOf(obj: ReplicatedObject): LabelSelector;
  templateOf(obj: ReplicatedObject): PodTemplateSpec | undefined;
}

const replicaSetKind: ReplicaKind = {
  name: 'replicaset',
  component: 'replicaset-controller',
  ref: refs.replicaSets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selectorOf: (obj) => labelSelectorFromObject((obj as ReplicaSet).spec?.selector),
  templateOf: (obj) => (obj as ReplicaSet).spec?.template,
};

const replicationControllerKind: ReplicaKind = {
  name: 'replicationcontroller',
  component: 'replication-controller',
  ref: refs.replicationControllers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  // An RC's selector is a plain label map; a missing one defaults to the template's labels (set by the apiserver).
  selectorOf: (obj) => {
    const selector = (obj as ReplicationController).spec?.selector;
    return selector && Object.keys(selector).length > 0 ? labelSelectorFromObject({ matchLabels: selector }) : labelSelectorFromObject(null);
  },
  templateOf: (obj) => (obj as ReplicationController).spec?.template,
};

export class ReplicaSetController {
  readonly controller: Controller;
  private readonly owners: Lister<ReplicatedObject>;
  private readonly pods: Lister<Pod>;
  private readonly ownerClient: ResourceClient<ReplicatedObject>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly expectations: Expectations;
  private readonly recorder: EventRecorder;
  private readonly syncables;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: ReplicaKind,
  ) {
    const ownerInformer = ctx.informers.informerFor<ReplicatedObject>(kind.ref);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    this.owners = ownerInformer.lister();
    this.pods = podInformer.lister();
    this.ownerClient = ctx.client.resource<ReplicatedObject>(kind.ref);
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.expectations = new Expectations(() => ctx.clock.now());
    this.recorder = ctx.recorder(kind.component);
    this.syncables = [ownerInformer, podInformer];
    this.controller = new Controller({
      name: kind.name,
      reconcile: (key) => this.sync(key),
      workers: ctx.settings.concurrentSyncs,
      logger: ctx.logger,
      metrics: ctx.workQueueMetrics,
      clock: ctx.clock,
    });
    ownerInformer.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(rs),
      onUpdate: (_old, rs) => this.controller.enqueue(rs),
      onDelete: (rs) => {
        this.expectations.forget(metaNamespaceKey(objectOf(rs)));
        this.controller.enqueue(objectOf(rs));
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  // ---- events → keys ----

  /** The owner of `pod` by controller reference, if it is one of ours and still the same object. */
  private ownerOf(pod: Pod): ReplicatedObject | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.namespace(pod.metadata?.namespace ?? '').get(ref.name);
    return owner?.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Owners that could adopt an orphan with these labels. */
  private candidatesFor(pod: Pod): ReplicatedObject[] {
    return this.owners
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((o) => this.kind.selectorOf(o).matches(pod.metadata?.labels));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const owner = this.ownerOf(pod);
    if (owner) {
      this.expectations.creationObserved(metaNamespaceKey(owner));
      this.controller.enqueue(owner);
      return;
    }
    if (!controllerRefOf(pod)) for (const o of this.candidatesFor(pod)) this.controller.enqueue(o);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return; // a resync: nothing new
    if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) {
      // Being deleted gracefully: the owner may already make a replacement.
      this.podDeleted(pod);
    }
    const oldOwner = this.ownerOf(old);
    const owner = this.ownerOf(pod);
    if (oldOwner && oldOwner !== owner) this.controller.enqueue(oldOwner);
    if (owner) {
      this.controller.enqueue(owner);
      // A pod that just became ready is available minReadySeconds later: look again then.
      const minReady = (owner.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.controller.enqueueAfter(metaNamespaceKey(owner), minReady * 1000 + 1000);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (!controllerRefOf(pod) && (labelsChanged || controllerRefOf(old))) for (const o of this.candidatesFor(pod)) this.controller.enqueue(o);
  }

  private podDeleted(podOrTombstone: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(podOrTombstone);
    const owner = this.ownerOf(pod);
    if (!owner) return;
    const key = metaNamespaceKey(owner);
    this.expectations.deletionObserved(key, metaNamespaceKey(pod));
    this.controller.enqueue(key);
  }

  // ---- reconcile ----

  private async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const owner = this.owners.namespace(namespace).get(name);
    if (!owner) {
      this.expectations.forget(key);
      return;
    }
    const selector = this.kind.selectorOf(owner);
    const needsSync = this.expectations.satisfied(key);
    const nowMs = this.ctx.clock.now();
    const activePods = this.pods.namespace(namespace).list().filter(isPodActive);
    const owned = await this.claimPods(owner, selector, activePods);

    let failure: { reason: string; message: string } | undefined;
    const view = this.viewOf(owner, selector);
    if (needsSync && !owner.metadata?.deletionTimestamp) {
      failure = await this.manageReplicas(key, owner, view, owned, nowMs);
    }
    const counts = countReplicas(view, owned, nowMs);
    await this.updateStatus(owner, counts, failure);
    const after = recheckAfterMs(view, counts);
    return after === undefined ? undefined : { requeueAfterMs: after };
  }

  private viewOf(owner: ReplicatedObject, selector: LabelSelector): ReplicaSetView {
    const spec = owner.spec as { replicas?: number; minReadySeconds?: number } | undefined;
    return {
      uid: owner.metadata?.uid ?? '',
      generation: owner.metadata?.generation ?? 0,
      replicas: spec?.replicas ?? 1,
      minReadySeconds: spec?.minReadySeconds ?? 0,
      selector,
      template: this.kind.templateOf(owner),
      conditions: (owner.status?.conditions ?? []) as ReplicaSetCondition[],
    };
  }

  /** Adopts matching orphans and releases owned pods that stopped matching; returns the pods it owns. */
  private claimPods(owner: ReplicatedObject, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    const namespace = owner.metadata?.namespace ?? '';
    return claimDependents(owner, selector, pods, newControllerRef(owner, this.kind.apiVersion, this.kind.kind), {
      getOwner: () => this.ownerClient.namespace(namespace).get(owner.metadata?.name ?? ''),
      patchDependent: (name, patch) => this.podClient.namespace(namespace).patch(name, 'strategic', patch),
    });
  }

  private async manageReplicas(
    key: string,
    owner: ReplicatedObject,
    view: ReplicaSetView,
    owned: Pod[],
    nowMs: number,
  ): Promise<{ reason: string; message: string } | undefined> {
    const decision = decideScale(view, owned, this.relatedPods(owner, owned), nowMs);
    const namespace = owner.metadata?.namespace ?? '';
    const pods = this.podClient.namespace(namespace);
    if (decision.action === 'create') {
      if (!view.template) return { reason: 'FailedCreate', message: 'the pod template is missing' };
      this.expectations.expectCreations(key, decision.count);
      const ref = newControllerRef(owner, this.kind.apiVersion, this.kind.kind);
      let created = 0;
      for (const batch of slowStartBatches(decision.count)) {
        const results = await Promise.allSettled(
          Array.from({ length: batch }, () => pods.create(podFromTemplate(view.template!, namespace, owner.metadata?.name ?? '', ref))),
        );
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        for (const r of results) {
          if (r.status === 'fulfilled') this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
        }
        created += batch - failed.length;
        if (failed.length > 0) {
          // Neither the failed creates nor the batches never tried will be observed.
          this.expectations.lowerCreations(key, decision.count - created);
          const message = errorMessage(failed[0]!.reason);
          this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${message}`);
          return { reason: 'FailedCreate', message };
        }
      }
      return undefined;
    }
    if (decision.action === 'delete') {
      const podKeys = decision.pods.map((p) => metaNamespaceKey(p));
      this.expectations.expectDeletions(key, podKeys);
      const results = await Promise.allSettled(decision.pods.map((p) => pods.delete(p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } })));
      let failure: { reason: string; message: string } | undefined;
      results.forEach((r, i) => {
        const pod = decision.pods[i]!;
        if (r.status === 'fulfilled') {
          this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
          return;
        }
        // A delete that failed will never be observed; a pod already gone is fine.
        this.expectations.deletionObserved(key, podKeys[i]!);
        if (isNotFound(r.reason)) return;
        const message = errorMessage(r.reason);
        this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${message}`);
        failure ??= { reason: 'FailedDelete', message };
      });
      return failure;
    }
    return undefined;
  }

  /**
   * Pods of the owner's whole family (getIndirectlyRelatedPods): with a Deployment as controller, every pod of its
   * ReplicaSets, so that a scale-down ranks doubled-up pods across the rollout.
   */
  private relatedPods(owner: ReplicatedObject, owned: Pod[]): Pod[] {
    const parent = controllerRefOf(owner);
    if (!parent) return owned;
    const namespace = owner.metadata?.namespace ?? '';
    const siblings = new Set(
      this.owners
        .namespace(namespace)
        .list()
        .filter((o) => controllerRefOf(o)?.uid === parent.uid)
        .map((o) => o.metadata?.uid),
    );
    return this.pods
      .namespace(namespace)
      .list()
      .filter((p) => isPodActive(p) && siblings.has(controllerRefOf(p)?.uid));
  }

  private async updateStatus(owner: ReplicatedObject, counts: ReturnType<typeof countReplicas>, failure: { reason: string; message: string } | undefined): Promise<void> {
    const current = (owner.status ?? {}) as ReplicaSetStatus;
    const now = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = replicaFailureConditions((current.conditions ?? []) as ReplicaSetCondition[], failure, now);
    const next: ReplicaSetStatus = {
      ...counts,
      observedGeneration: owner.metadata?.generation ?? 0,
      ...(conditions.length > 0 ? { conditions } : {}),
    };
    const same =
      current.replicas === next.replicas &&
      (current.fullyLabeledReplicas ?? 0) === next.fullyLabeledReplicas &&
      (current.readyReplicas ?? 0) === next.readyReplicas &&
      (current.availableReplicas ?? 0) === next.availableReplicas &&
      current.observedGeneration === next.observedGeneration &&
      JSON.stringify(current.conditions ?? []) === JSON.stringify(next.conditions ?? []);
    if (same) return;
    try {
      await this.ownerClient.namespace(owner.metadata?.namespace ?? '').updateStatus({ ...owner, status: next } as ReplicatedObject);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err; // a 409 requeues: the next sync computes the status from the fresh object
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function descriptorFor(kind: ReplicaKind): ControllerDescriptor {
  return {
    name: kind.name,
    enabledByDefault: true,
    start: (ctx: ControllerContext, signal: AbortSignal) => new ReplicaSetController(ctx, kind).run(signal),
  };
}

export const replicaSetControllerDescriptor = descriptorFor(replicaSetKind);
export const replicationControllerDescriptor = descriptorFor(replicationControllerKind);
