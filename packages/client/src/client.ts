// The entry point: a connection plus typed resource handles.
//   const client = KubeClient.fromKubeconfig(path);
//   const pods = client.resource<Pod>(refs.pods).namespace('default');
import { inClusterConnection, loadKubeconfig, type ClusterConnection } from './config/kubeconfig.js';
import { ResourceClient } from './rest/resource-client.js';
import type { ResourceRef } from './rest/resources.js';
import { RestClient, type RestClientOptions } from './rest/rest-client.js';
import type { KubeObject } from './types.js';

export class KubeClient {
  readonly rest: RestClient;

  constructor(
    readonly connection: ClusterConnection,
    opts: RestClientOptions = {},
  ) {
    this.rest = new RestClient(connection, opts);
  }

  /** From a kubeconfig file (default: $KUBECONFIG, else ~/.kube/config) and its current or named context. */
  static fromKubeconfig(path?: string, opts: RestClientOptions & { context?: string } = {}): KubeClient {
    return new KubeClient(loadKubeconfig(path, { context: opts.context }), opts);
  }

  /** From the pod's service account (KUBERNETES_SERVICE_HOST and the mounted token). */
  static inCluster(opts: RestClientOptions = {}): KubeClient {
    return new KubeClient(inClusterConnection(), opts);
  }

  /** The context's namespace ("default" unless the kubeconfig says otherwise). */
  get defaultNamespace(): string {
    return this.connection.namespace;
  }

  resource<T extends KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, ref);
  }

  close(): Promise<void> {
    return this.rest.close();
  }
}
