// The namespace controller (pkg/controller/namespace): a namespace being deleted is emptied of every namespaced
// resource (deletecollection where served, else list and delete each), its deletion conditions kept in its status,
// and once nothing remains the `kubernetes` finalizer is removed through namespaces/<name>/finalize, after which the
// apiserver removes the namespace.
import { allKinds, type Namespace, type NamespaceCondition, type Pod } from '@k8ts/api-machinery';
import {
  Controller,
  isConflict,
  isNotFound,
  objectOf,
  refs,
  type KubeObject,
  type ReconcileResult,
  type ResourceClient,
  type ResourceRef,
  type Syncable,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import {
  finalizersWithout,
  namespacedDeletableResources,
  namespaceDeletionConditions,
  podTerminationEstimateSeconds,
  recheckAfterMs,
  remainingVerdict,
  resourceLabel,
  type DeletableResource,
  type ResourceOutcome,
} from './namespace-logic.js';

/** After a pod of a terminating namespace goes, look again this soon (Kubernetes only waits out its estimate). */
const POD_GONE_RECHECK_MS = 500;

export class NamespaceController {
  readonly controller: Controller;
  private readonly namespaces: ResourceClient<Namespace>;
  private readonly resources: DeletableResource[];
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const nsInformer = ctx.informers.informerFor<Namespace>(refs.namespaces);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    this.namespaces = ctx.client.resource<Namespace>(refs.namespaces);
    this.resources = namespacedDeletableResources(allKinds);
    this.controller = newController(ctx, 'namespace', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    const enqueueIfDeleting = (ns: Namespace): void => {
      if (ns.metadata?.deletionTimestamp) this.controller.enqueue(ns);
    };
    nsInformer.addEventHandler({ onAdd: enqueueIfDeleting, onUpdate: (_old, ns) => enqueueIfDeleting(ns) });
    // k8ts: a terminating namespace is looked at again as soon as one of its pods is gone, rather than only after
    // half the pods' grace period.
    podInformer.addEventHandler({
      onDelete: (p) => {
        const namespace = objectOf(p).metadata?.namespace ?? '';
        if (nsInformer.lister().get(namespace)?.metadata?.deletionTimestamp) this.controller.enqueueAfter(namespace, POD_GONE_RECHECK_MS);
      },
    });
    this.syncables = [nsInformer, podInformer];
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  private async sync(name: string): Promise<ReconcileResult | void> {
    // Several writers touch a terminating namespace: start from the live object, not the cache.
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      ns = await this.namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
    }
    if ((ns.spec?.finalizers ?? []).length === 0) return;

    const deletedAt = Date.parse(ns.metadata?.deletionTimestamp ?? '');
    const outcomes = await Promise.all(this.resources.map((r) => this.emptyResource(r, name, Number.isNaN(deletedAt) ? this.ctx.clock.now() : deletedAt)));
    await this.updateConditions(ns, outcomes);
    const failures = outcomes.filter((o) => o.error);
    if (failures.length > 0) throw new Error(`namespace ${name}: ${failures.map((o) => o.error).join('; ')}`);
    const estimate = Math.max(0, ...outcomes.map((o) => o.estimateSeconds));
    if (estimate > 0) return { requeueAfterMs: recheckAfterMs(estimate) };
    if (outcomes.some((o) => o.remaining > 0)) return { requeueAfterMs: recheckAfterMs(0) };

    // Empty: give up our finalizer; the apiserver deletes the namespace once spec.finalizers is empty.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.namespaces.subresource(name, 'finalize').update<Namespace>({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: ns.metadata,
          spec: { ...ns.spec, finalizers: finalizersWithout(ns.spec?.finalizers) },
        });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 4) throw err;
        ns = await this.namespaces.get(name);
      }
    }
  }

  /** Deletes everything of one resource in the namespace and reports what is left. */
  private async emptyResource(r: DeletableResource, namespace: string, deletedAtMs: number): Promise<ResourceOutcome> {
    const label = resourceLabel(r);
    const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: true };
    const client = this.ctx.client.resource<KubeObject>(ref).namespace(namespace);
    try {
      let estimate = 0;
      if (r.group === '' && r.resource === 'pods') {
        const pods = (await client.list()).items as Pod[];
        estimate = podTerminationEstimateSeconds(pods, deletedAtMs, this.ctx.clock.now());
      }
      if (r.deleteCollection) {
        await client.deleteCollection({ propagationPolicy: 'Background' });
      } else if (r.list) {
        for (const item of (await client.list()).items) {
          try {
            await client.delete(item.metadata?.name ?? '', { propagationPolicy: 'Background' });
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
      }
      if (!r.list) return { resource: label, remaining: 0, finalizers: {}, estimateSeconds: estimate };
      const left = (await client.list()).items;
      return remainingVerdict(label, left, estimate, namespace);
    } catch (err) {
      return { resource: label, remaining: 0, finalizers: {}, estimateSeconds: 0, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async updateConditions(ns: Namespace, outcomes: ResourceOutcome[]): Promise<void> {
    const now = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const current = (ns.status?.conditions ?? []) as NamespaceCondition[];
    const { conditions, changed } = namespaceDeletionConditions(current, { outcomes }, now);
    if (!changed) return;
    try {
      await this.namespaces.updateStatus({ ...ns, status: { ...ns.status, conditions } });
    } catch (err) {
      // Conditions are informative; the next pass writes them again.
      this.ctx.logger.debug({ namespace: ns.metadata?.name, err: err instanceof Error ? err.message : String(err) }, 'could not update namespace conditions');
    }
  }
}

export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace',
  enabledByDefault: true,
  start: (ctx, signal) => new NamespaceController(ctx).run(signal),
};
