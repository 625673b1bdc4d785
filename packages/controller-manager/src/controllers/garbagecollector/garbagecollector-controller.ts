// The garbage collector (pkg/controller/garbagecollector): informers over every kind that can be listed, watched and
// deleted (events aside) feed the dependency graph; two queues act on it. attemptToDelete deletes objects whose
// owners are all verified gone (a live GET by uid, never the cache alone), drops dead references from objects that
// still have a live owner, and finishes foreground deletions (removing `foregroundDeletion` once no blocking
// dependent remains); attemptToOrphan strips an owner's reference from its dependents, then removes `orphan`.
import { setMaxListeners } from 'node:events';
import { allKinds, type KindDefinition, type OwnerReference } from '@k8ts/api-machinery';
import {
  Controller,
  apiVersionOf,
  isConflict,
  isNotFound,
  objectOf,
  refForKind,
  type EventRecorder,
  type KubeObject,
  type ReconcileResult,
  type ResourceClient,
  type ResourceRef,
  type SharedIndexInformer,
  type Syncable,
} from '@k8ts/client';
import type { ControllerContext, ControllerDescriptor } from '../../controller-context.js';
import {
  decideDeletion,
  deleteOwnerRefsPatch,
  removeFinalizerPatch,
  unblockOwnerRefsPatch,
  type ClassifiedReferences,
  type PropagationPolicy,
} from './decisions.js';
import { DependencyGraph, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type GraphActions, type GraphNode, type Identity } from './graph.js';

/** Resources the collector ignores (DefaultIgnoredResources): Events never own anything and churn. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
/** How long workers wait for every monitor to sync before collecting anyway (initialSyncTimeout). */
const INITIAL_SYNC_TIMEOUT_MS = 30_000;
/** How soon a virtual node not yet observed is looked at again. */
const VIRTUAL_RECHECK_MS = 1_000;

/** Kinds the collector monitors: GetDeletableResources (delete, list and watch served). */
export function monitoredKinds(kinds: KindDefinition[]): KindDefinition[] {
  const need = ['delete', 'list', 'watch'];
  return kinds.filter((k) => !IGNORED.has(`${k.group}/${k.plural}`) && need.every((v) => (k.verbs ?? need).includes(v)));
}

/** Errors that retrying cannot fix: the item is dropped (namespacedOwnerOfClusterScopedObjectErr). */
class PermanentError extends Error {}

export class GarbageCollector {
  readonly graph = new DependencyGraph();
  readonly deleteQueue: Controller;
  readonly orphanQueue: Controller;
  private readonly recorder: EventRecorder;
  private readonly monitors: Array<SharedIndexInformer<KubeObject>> = [];

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('garbage-collector-controller');
    const common = { logger: ctx.logger, metrics: ctx.workQueueMetrics, clock: ctx.clock, workers: ctx.settings.concurrentSyncs };
    this.deleteQueue = new Controller({ ...common, name: 'garbage_collector_attempt_to_delete', reconcile: (uid) => this.attemptToDelete(uid) });
    this.orphanQueue = new Controller({ ...common, name: 'garbage_collector_attempt_to_orphan', reconcile: (uid) => this.attemptToOrphan(uid) });
    for (const kind of monitoredKinds(allKinds)) {
      const ref: ResourceRef = { group: kind.group, version: kind.version, resource: kind.plural, kind: kind.kind, namespaced: kind.namespaced };
      const informer = ctx.informers.informerFor<KubeObject>(ref);
      const identity = (obj: KubeObject): Identity => ({
        apiVersion: apiVersionOf(ref),
        kind: ref.kind,
        name: obj.metadata?.name ?? '',
        namespace: obj.metadata?.namespace ?? '',
        uid: obj.metadata?.uid ?? '',
      });
      const state = (obj: KubeObject): { deleting: boolean; finalizers: string[] } => ({ deleting: !!obj.metadata?.deletionTimestamp, finalizers: obj.metadata?.finalizers ?? [] });
      informer.addEventHandler({
        onAdd: (obj) => this.apply(this.graph.process({ type: 'add', identity: identity(obj), owners: ownersOf(obj), ...state(obj) })),
        onUpdate: (old, obj) => this.apply(this.graph.process({ type: 'update', identity: identity(obj), owners: ownersOf(obj), ...state(obj), old: state(old) })),
        onDelete: (o) => {
          const obj = objectOf(o);
          this.apply(this.graph.process({ type: 'delete', identity: identity(obj), owners: ownersOf(obj), ...state(obj) }));
        },
      });
      this.monitors.push(informer);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    // One wait shared by both queues, on a signal of its own: some 30 monitors would otherwise each hang a listener
    // on the manager's signal, twice.
    const local = new AbortController();
    const onAbort = (): void => local.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let sync: Promise<boolean> | undefined;
    const synced: Syncable = { waitForSync: () => (sync ??= this.waitForMonitors(local.signal)) };
    try {
      await Promise.all([this.deleteQueue.run(signal, [synced]), this.orphanQueue.run(signal, [synced])]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      local.abort();
    }
  }

  /** Collects even if some monitor cannot sync (a kind the server refuses to list), as Kubernetes does after a timeout. */
  private async waitForMonitors(signal: AbortSignal): Promise<boolean> {
    setMaxListeners(this.monitors.length + 10, signal);
    const all = Promise.all(this.monitors.map((m) => m.waitForSync(signal))).then((r) => r.every(Boolean));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        this.ctx.logger.info({ controller: 'garbagecollector' }, 'not all resource monitors could be synced, proceeding anyway');
        resolve(!signal.aborted);
      }, INITIAL_SYNC_TIMEOUT_MS);
    });
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private apply(acts: GraphActions): void {
    for (const uid of acts.attemptToDelete) this.deleteQueue.enqueue(uid);
    for (const uid of acts.attemptToDeleteLater) this.deleteQueue.enqueueAfter(uid, VIRTUAL_RECHECK_MS);
    for (const uid of acts.attemptToOrphan) this.orphanQueue.enqueue(uid);
    for (const { dependent, owner } of acts.invalidNamespaceRefs) {
      this.recorder.event(
        { apiVersion: dependent.apiVersion, kind: dependent.kind, name: dependent.name, namespace: dependent.namespace, uid: dependent.uid },
        'Warning',
        'OwnerRefInvalidNamespace',
        `ownerRef [${owner.apiVersion}/${owner.kind}, namespace: ${dependent.namespace}, name: ${owner.name}, uid: ${owner.uid}] does not exist in namespace "${dependent.namespace}"`,
      );
    }
  }

  // ---- API access by identity ----

  private clientFor(apiVersion: string, kind: string, namespace: string): ResourceClient<KubeObject> {
    const ref = refForKind(apiVersion, kind);
    if (!ref) throw new Error(`unable to get REST mapping for ${apiVersion}/${kind}`);
    const client = this.ctx.client.resource<KubeObject>(ref);
    return ref.namespaced ? client.namespace(namespace) : client;
  }

  /** The live object, or undefined when it is gone or another object has its name. */
  private async getLive(i: Identity): Promise<KubeObject | undefined> {
    try {
      const obj = await this.clientFor(i.apiVersion, i.kind, i.namespace).get(i.name);
      return obj.metadata?.uid === i.uid ? obj : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  // ---- attemptToDelete ----

  private async attemptToDelete(uid: string): Promise<ReconcileResult | void> {
    const node = this.graph.get(uid);
    if (!node) return; // removed from the graph meanwhile
    try {
      await this.attemptToDeleteItem(node);
    } catch (err) {
      if (err instanceof PermanentError) {
        this.ctx.logger.info({ controller: 'garbagecollector', item: node.identity, err: err.message }, 'not retrying');
        return;
      }
      throw err;
    }
    // A virtual node that still exists is polled until an informer observes it (or it is verified absent).
    if (this.graph.get(uid)?.virtual) return { requeueAfterMs: VIRTUAL_RECHECK_MS };
    return undefined;
  }

  private async attemptToDeleteItem(node: GraphNode): Promise<void> {
    // Being deleted is a one-way trip: wait for it to be gone, then its dependents are processed.
    if (node.beingDeleted && !node.deletingDependents) return;
    const latest = await this.getLive(node.identity);
    if (!latest) {
      this.apply(this.graph.virtualDelete(node.identity));
      return;
    }
    if (node.deletingDependents) return this.processDeletingDependents(node);
    const owners = ownersOf(latest);
    if (owners.length === 0) return;
    const classified = await this.classify(node, owners);
    const deps = [...node.dependents];
    const verdict = decideDeletion(classified, {
      hasDependents: deps.length > 0,
      dependentDeletingDependents: deps.some((d) => d.deletingDependents),
      finalizers: latest.metadata?.finalizers ?? [],
    });
    switch (verdict.action) {
      case 'keep':
        return;
      case 'removeReferences':
        await this.patchItem(node, deleteOwnerRefsPatch(node.uid, verdict.uids));
        return;
      case 'delete':
        if (verdict.unblockOwnerReferences) await this.patchItem(node, unblockOwnerRefsPatch(node.uid, node.owners));
        await this.deleteObject(node.identity, latest.metadata?.resourceVersion ?? '', owners, verdict.policy);
        return;
    }
  }

  /** classifyReferences: each owner looked up live (or in the absent-owner cache). */
  private async classify(item: GraphNode, owners: OwnerReference[]): Promise<ClassifiedReferences> {
    const out: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of owners) {
      const owner = await this.ownerOf(ref, item);
      if (!owner) out.dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) out.waitingForDependentsDeletion.push(ref);
      else out.solid.push(ref);
    }
    return out;
  }

  /** isDangling: the owner the reference names, undefined when verified absent. */
  private async ownerOf(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const clusterKey: Identity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    const namespacedKey: Identity = { ...clusterKey, namespace: item.identity.namespace };
    if (this.graph.absentOwners.has(clusterKey) || this.graph.absentOwners.has(namespacedKey)) return undefined;
    const mapping = refForKind(ref.apiVersion, ref.kind);
    if (!mapping) throw new Error(`unable to get REST mapping for ${ref.apiVersion}/${ref.kind}`);
    if (mapping.namespaced && item.identity.namespace === '') {
      throw new PermanentError(`cluster-scoped ${item.identity.kind} ${item.identity.name} refers to a namespaced owner ${ref.kind} ${ref.name}`);
    }
    const key = mapping.namespaced ? namespacedKey : clusterKey;
    const owner = await this.getLive(key);
    if (!owner) this.graph.absentOwners.add(key);
    return owner;
  }

  /** processDeletingDependentsItem: the foreground owner waits for its blocking dependents, then loses its finalizer. */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(node, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.deleteQueue.enqueue(dep.uid);
  }

  private async patchItem(node: GraphNode, patch: Record<string, unknown>): Promise<void> {
    try {
      await this.clientFor(node.identity.apiVersion, node.identity.kind, node.identity.namespace).patch(node.identity.name, 'strategic', patch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async deleteObject(i: Identity, resourceVersion: string, owners: OwnerReference[], policy: PropagationPolicy): Promise<void> {
    const client = this.clientFor(i.apiVersion, i.kind, i.namespace);
    const del = (rv: string | undefined): Promise<unknown> =>
      client.delete(i.name, { propagationPolicy: policy, preconditions: { uid: i.uid, ...(rv ? { resourceVersion: rv } : {}) } });
    try {
      await del(resourceVersion || undefined);
    } catch (err) {
      if (isNotFound(err)) {
        this.apply(this.graph.virtualDelete(i));
        return;
      }
      if (!isConflict(err) || !resourceVersion) throw err;
      // Changed since read: if its owners did not change, other updates must not starve the collector.
      const live = await this.getLive(i);
      if (!live) return;
      if (live.metadata?.resourceVersion === resourceVersion || JSON.stringify(ownersOf(live)) !== JSON.stringify(owners)) throw err;
      await del(undefined);
    }
  }

  /** removeFinalizer: a merge patch of the finalizers, with the resourceVersion read as precondition; retried on conflict. */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const client = this.clientFor(node.identity.apiVersion, node.identity.kind, node.identity.namespace);
    for (let attempt = 0; ; attempt++) {
      const live = await this.getLive(node.identity);
      if (!live) return;
      const patch = removeFinalizerPatch(live.metadata?.resourceVersion ?? '', live.metadata?.finalizers ?? [], finalizer);
      if (!patch) return;
      try {
        await client.patch(node.identity.name, 'merge', patch);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 4) throw err;
      }
    }
  }

  // ---- attemptToOrphan ----

  private async attemptToOrphan(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    const failures: string[] = [];
    await Promise.all(
      [...owner.dependents].map((dep) =>
        this.patchItem(dep, deleteOwnerRefsPatch(dep.uid, [owner.uid])).catch((err: unknown) => {
          failures.push(`${dep.identity.kind} ${dep.identity.namespace}/${dep.identity.name}: ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
    if (failures.length > 0) throw new Error(`failed to orphan dependents of ${owner.identity.kind} ${owner.identity.name}: ${failures.join('; ')}`);
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }
}

function ownersOf(obj: KubeObject): OwnerReference[] {
  return obj.metadata?.ownerReferences ?? [];
}

export const garbageCollectorDescriptor: ControllerDescriptor = {
  name: 'garbagecollector',
  enabledByDefault: true,
  start: (ctx, signal) => new GarbageCollector(ctx).run(signal),
};
