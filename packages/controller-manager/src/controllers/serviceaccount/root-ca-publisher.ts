// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): a kube-root-ca.crt ConfigMap in every
// namespace holding the CA that verifies the apiserver, here the one the manager's own kubeconfig trusts
// (certificate-authority[-data]). Without one it publishes nothing.
import type { ConfigMap, Namespace } from '@k8ts/api-machinery';
import { Controller, isNotFound, objectOf, refs, type Lister, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { isNamespaceTerminating } from '../namespace/terminating.js';
import { ROOT_CA_CONFIGMAP, rootCaDecision } from './serviceaccount-logic.js';

export class RootCaPublisher {
  readonly controller: Controller;
  private readonly configMaps: Lister<ConfigMap>;
  private readonly client: ResourceClient<ConfigMap>;
  private readonly syncables: Syncable[];

  constructor(
    ctx: ControllerContext,
    private readonly ca: string,
  ) {
    const nsInformer = ctx.informers.informerFor<Namespace>(refs.namespaces);
    // Only the one ConfigMap per namespace matters: a field-selected informer instead of every ConfigMap.
    const cmInformer = ctx.informers.informerFor<ConfigMap>(refs.configMaps, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
    this.configMaps = cmInformer.lister();
    this.client = ctx.client.resource<ConfigMap>(refs.configMaps);
    this.syncables = [nsInformer, cmInformer];
    this.controller = newController(ctx, 'root_ca_cert_publisher', (key) => this.sync(key), 1);
    nsInformer.addEventHandler({
      onAdd: (ns) => this.controller.enqueue(ns),
      onUpdate: (_old, ns) => {
        if (ns.status?.phase === 'Active') this.controller.enqueue(ns);
      },
    });
    const cmChanged = (cm: ConfigMap): void => {
      if (cm.metadata?.name === ROOT_CA_CONFIGMAP) this.controller.enqueue(cm.metadata.namespace ?? '');
    };
    cmInformer.addEventHandler({ onUpdate: (_old, cm) => cmChanged(cm), onDelete: (cm) => cmChanged(objectOf(cm)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  private async sync(namespace: string): Promise<void> {
    const decision = rootCaDecision(namespace, this.configMaps.namespace(namespace).get(ROOT_CA_CONFIGMAP), this.ca);
    const client = this.client.namespace(namespace);
    try {
      if (decision.action === 'create') await client.create(decision.configMap);
      else if (decision.action === 'update') await client.update(decision.configMap);
    } catch (err) {
      // The namespace is gone or terminating: nothing to publish into.
      if (decision.action === 'create' && (isNotFound(err) || isNamespaceTerminating(err))) return;
      throw err;
    }
  }
}

export const rootCaPublisherDescriptor: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  enabledByDefault: true,
  start: async (ctx, signal) => {
    const ca = ctx.client.connection.ca;
    if (!ca) {
      ctx.logger.info({ controller: 'root-ca-cert-publisher' }, 'no certificate authority in the kubeconfig; not publishing kube-root-ca.crt');
      return;
    }
    await new RootCaPublisher(ctx, ca).run(signal);
  },
};
