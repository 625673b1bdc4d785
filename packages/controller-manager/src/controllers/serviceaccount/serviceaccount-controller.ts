// The service account controller (pkg/controller/serviceaccount): every Active namespace has a `default`
// ServiceAccount, created when the namespace appears and again whenever it is deleted.
import type { Namespace, ServiceAccount } from '@k8ts/api-machinery';
import { Controller, isAlreadyExists, isNotFound, objectOf, refs, type Lister, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { isNamespaceTerminating } from '../namespace/terminating.js';
import { DEFAULT_SERVICE_ACCOUNTS, serviceAccountsToCreate } from './serviceaccount-logic.js';

export class ServiceAccountsController {
  readonly controller: Controller;
  private readonly namespaces: Lister<Namespace>;
  private readonly accounts: Lister<ServiceAccount>;
  private readonly client: ResourceClient<ServiceAccount>;
  private readonly syncables: Syncable[];

  constructor(ctx: ControllerContext) {
    const nsInformer = ctx.informers.informerFor<Namespace>(refs.namespaces);
    const saInformer = ctx.informers.informerFor<ServiceAccount>(refs.serviceAccounts);
    this.namespaces = nsInformer.lister();
    this.accounts = saInformer.lister();
    this.client = ctx.client.resource<ServiceAccount>(refs.serviceAccounts);
    this.syncables = [nsInformer, saInformer];
    this.controller = newController(ctx, 'serviceaccount', (key) => this.sync(key), 1);
    nsInformer.addEventHandler({ onAdd: (ns) => this.controller.enqueue(ns), onUpdate: (_old, ns) => this.controller.enqueue(ns) });
    saInformer.addEventHandler({
      onDelete: (s) => {
        const sa = objectOf(s);
        if (DEFAULT_SERVICE_ACCOUNTS.includes(sa.metadata?.name ?? '')) this.controller.enqueue(sa.metadata?.namespace ?? '');
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  private async sync(name: string): Promise<void> {
    const ns = this.namespaces.get(name);
    if (!ns) return;
    const existing = new Set(this.accounts.namespace(name).list().map((sa) => sa.metadata?.name ?? ''));
    const failures: string[] = [];
    for (const account of serviceAccountsToCreate(ns, existing)) {
      try {
        await this.client.namespace(name).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account } });
      } catch (err) {
        // Already there (a stale cache), or the namespace went away or started terminating: nothing to do.
        if (isAlreadyExists(err) || isNotFound(err) || isNamespaceTerminating(err)) continue;
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (failures.length > 0) throw new Error(`creating service accounts in ${name}: ${failures.join('; ')}`);
  }
}

export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  enabledByDefault: true,
  start: (ctx, signal) => new ServiceAccountsController(ctx).run(signal),
};
