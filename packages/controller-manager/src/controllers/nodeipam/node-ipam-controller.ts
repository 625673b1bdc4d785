// The node IPAM controller with the range allocator (pkg/controller/nodeipam): every node gets a podCIDR of
// --node-cidr-mask-size bits from --cluster-cidr. The bitmap is rebuilt from the nodes at start, so a restart never
// hands out a subnet a node holds; a deleted node's subnet is released. One worker, so allocations never race.
import type { Node } from '@k8ts/api-machinery';
import { Controller, isNotFound, objectOf, refs, type EventRecorder, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { CidrSet } from './cidr-set.js';

/** How soon a node waits for a subnet to free up when the cluster CIDR is exhausted. */
const EXHAUSTED_RETRY_MS = 10_000;

const cidrsOf = (node: Node): string[] => {
  const cidrs = node.spec?.podCIDRs ?? [];
  if (cidrs.length > 0) return cidrs;
  return node.spec?.podCIDR ? [node.spec.podCIDR] : [];
};

export class NodeIpamController {
  readonly controller: Controller;
  private readonly nodes: Lister<Node>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly recorder: EventRecorder;
  private readonly cidrs: CidrSet;
  /** Node name -> the subnet this controller gave it, until the cache shows it (so a stale read never allocates twice). */
  private readonly assigned = new Map<string, string>();
  private initialized = false;
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    this.nodes = nodeInformer.lister();
    this.nodeClient = ctx.client.resource<Node>(refs.nodes);
    this.recorder = ctx.recorder('cidrAllocator');
    this.cidrs = new CidrSet(ctx.settings.clusterCidr, ctx.settings.nodeCidrMaskSize);
    this.syncables = [nodeInformer];
    this.controller = newController(ctx, 'nodeipam', (key) => this.sync(key), 1);
    nodeInformer.addEventHandler({
      onAdd: (node) => this.controller.enqueue(node),
      onUpdate: (_old, node) => this.controller.enqueue(node),
      onDelete: (obj) => {
        const node = objectOf(obj);
        const name = node.metadata?.name ?? '';
        // ReleaseCIDR: free the subnet unless another node (a re-created one of the same name) now holds it.
        const held = new Set(this.nodes.list().flatMap(cidrsOf));
        for (const cidr of [...cidrsOf(node), ...(this.assigned.has(name) ? [this.assigned.get(name) ?? ''] : [])]) {
          if (!held.has(cidr)) this.cidrs.release(cidr);
        }
        this.assigned.delete(name);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  private async sync(name: string): Promise<ReconcileResult | void> {
    if (!this.initialized) {
      // Runs after the cache synced: occupy every subnet in use before handing any out.
      for (const node of this.nodes.list()) {
        for (const cidr of cidrsOf(node)) {
          if (!this.cidrs.occupy(cidr)) this.ctx.logger.warn({ controller: 'nodeipam', node: node.metadata?.name, cidr }, 'node podCIDR is outside the cluster CIDR');
        }
      }
      this.initialized = true;
    }
    const node = this.nodes.get(name);
    if (!node) return;
    const existing = cidrsOf(node);
    if (existing.length > 0) {
      for (const cidr of existing) this.cidrs.occupy(cidr);
      this.assigned.delete(name);
      return;
    }
    let cidr = this.assigned.get(name);
    if (!cidr) {
      cidr = this.cidrs.allocateNext();
      if (!cidr) {
        this.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        this.ctx.logger.warn({ controller: 'nodeipam', node: name }, 'no podCIDR available in the cluster CIDR');
        return { requeueAfterMs: EXHAUSTED_RETRY_MS };
      }
      this.assigned.set(name, cidr);
    }
    try {
      await this.nodeClient.patch(name, 'merge', { metadata: { uid: node.metadata?.uid }, spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.ctx.logger.info({ controller: 'nodeipam', node: name, cidr }, 'set node podCIDR');
    } catch (err) {
      this.assigned.delete(name);
      this.cidrs.release(cidr);
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

export const nodeIpamControllerDescriptor: ControllerDescriptor = {
  name: 'nodeipam',
  enabledByDefault: true,
  start: async (ctx, signal) => {
    // Without --allocate-node-cidrs the controller has nothing to do (Kubernetes runs it idle too).
    if (!ctx.settings.allocateNodeCidrs) {
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      return;
    }
    await new NodeIpamController(ctx).run(signal);
  },
};
