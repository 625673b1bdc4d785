// The EndpointSlice controller (pkg/controller/endpointslice): discovery.k8s.io/v1 EndpointSlices for every selector
// Service, owned by it (the garbage collector removes them with it). Keys are Service keys; pods map to the Services
// selecting them, slices to the Service named by their kubernetes.io/service-name label.
import type { discoveryv1, Node, Pod, Service } from '@k8ts/api-machinery';
import {
  Controller,
  isNotFound,
  metaNamespaceKey,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type IndexFunc,
  type Lister,
  type ReconcileResult,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { managesEndpointsOf, serviceSelector, servicesSelecting, servicesToUpdateOnPodChange, TriggerTimeTracker } from '../endpoints/pod-endpoints.js';
import { isNamespaceTerminating } from '../namespace/terminating.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL, ZONE_LABEL } from './slice-logic.js';
import { EndpointSliceTracker } from './slice-tracker.js';

type EndpointSlice = discoveryv1.EndpointSlice;

const BY_SERVICE_INDEX = 'endpointslice-controller:service';

/** Slices this controller manages, by "namespace/service". */
const byServiceIndex: IndexFunc<EndpointSlice> = (slice) => {
  const labels = slice.metadata?.labels ?? {};
  const service = labels[SERVICE_NAME_LABEL];
  return service && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME ? [`${slice.metadata?.namespace ?? ''}/${service}`] : [];
};

/** How soon a Service with pods on unknown Nodes is looked at again (Kubernetes retries with backoff). */
const MISSING_NODE_RETRY_MS = 5_000;
/** How soon a sync that found the cache behind our own writes runs again. */
const STALE_CACHE_RETRY_MS = 100;

export class EndpointSliceController {
  readonly controller: Controller;
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly slices: Lister<EndpointSlice>;
  private readonly client: ResourceClient<EndpointSlice>;
  private readonly recorder: EventRecorder;
  private readonly triggers = new TriggerTimeTracker();
  private readonly tracker = new EndpointSliceTracker();
  private readonly informers: [SharedIndexInformer<Service>, SharedIndexInformer<Pod>, SharedIndexInformer<Node>, SharedIndexInformer<EndpointSlice>];

  constructor(private readonly ctx: ControllerContext) {
    const serviceInformer = ctx.informers.informerFor<Service>(refs.services);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    const sliceInformer = ctx.informers.informerFor<EndpointSlice>(refs.endpointSlices, { indexers: { [BY_SERVICE_INDEX]: byServiceIndex } });
    this.informers = [serviceInformer, podInformer, nodeInformer, sliceInformer];
    this.services = serviceInformer.lister();
    this.pods = podInformer.lister();
    this.nodes = nodeInformer.lister();
    this.slices = sliceInformer.lister();
    this.client = ctx.client.resource<EndpointSlice>(refs.endpointSlices);
    this.recorder = ctx.recorder('endpoint-slice-controller');
    this.controller = newController(ctx, 'endpointslice', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    serviceInformer.addEventHandler(this.controller.handlers<Service>());
    podInformer.addEventHandler({
      onAdd: (pod) => this.enqueueAll(servicesSelecting(pod, this.servicesIn(pod))),
      onUpdate: (old, pod) => this.enqueueAll(servicesToUpdateOnPodChange(old, pod, this.servicesIn(pod))),
      onDelete: (p) => {
        const pod = objectOf(p);
        this.enqueueAll(servicesSelecting(pod, this.servicesIn(pod)));
      },
    });
    // Pods on a Node that appears or disappears enter or leave the slices (zone, missing Node).
    nodeInformer.addEventHandler({
      onAdd: (node, initial) => {
        if (!initial) this.nodeChanged(node.metadata?.name ?? '');
      },
      onUpdate: (old, node) => {
        if (old.metadata?.labels?.[ZONE_LABEL] !== node.metadata?.labels?.[ZONE_LABEL]) this.nodeChanged(node.metadata?.name ?? '');
      },
      onDelete: (n) => this.nodeChanged(objectOf(n).metadata?.name ?? ''),
    });
    sliceInformer.addEventHandler({
      onAdd: (slice) => this.sliceChanged(slice),
      onUpdate: (old, slice) => {
        if (old.metadata?.resourceVersion !== slice.metadata?.resourceVersion) this.sliceChanged(slice);
      },
      onDelete: (s: EndpointSlice | DeletedFinalStateUnknown<EndpointSlice>) => {
        const slice = objectOf(s);
        const key = byServiceIndex(slice)[0];
        if (key && this.tracker.handleDeletion(key, slice)) this.controller.enqueue(key);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.informers);
  }

  private servicesIn(pod: Pod): Service[] {
    return this.services.namespace(pod.metadata?.namespace ?? '').list();
  }

  private enqueueAll(services: Service[]): void {
    for (const s of services) this.controller.enqueue(s);
  }

  private nodeChanged(nodeName: string): void {
    const seen = new Set<Service>();
    for (const pod of this.pods.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      for (const s of servicesSelecting(pod, this.servicesIn(pod))) seen.add(s);
    }
    this.enqueueAll([...seen]);
  }

  /** A managed slice changed: resync its Service unless this is our own write coming back. */
  private sliceChanged(slice: EndpointSlice): void {
    const key = byServiceIndex(slice)[0];
    if (key && this.tracker.shouldSync(key, slice)) this.controller.enqueue(key);
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const service = this.services.namespace(namespace).get(name);
    if (!service) {
      // Its slices are owned by it: the garbage collector deletes them.
      this.triggers.delete(key);
      this.tracker.deleteService(key);
      return;
    }
    if (!managesEndpointsOf(service)) return;
    const cached = this.slices.byIndex(BY_SERVICE_INDEX, key);
    if (this.tracker.stale(key, cached)) return { requeueAfterMs: STALE_CACHE_RETRY_MS };
    const pods = this.pods.namespace(namespace).list(serviceSelector(service));
    const plan = reconcileSlices({
      service,
      pods,
      nodeOf: (n) => this.nodes.get(n),
      existing: cached.filter((s) => !s.metadata?.deletionTimestamp),
      maxEndpointsPerSlice: this.ctx.settings.maxEndpointsPerSlice,
      triggerTimeMs: this.triggers.compute(key, service, pods),
    });
    try {
      await this.apply(key, namespace, plan);
    } catch (err) {
      if (isNamespaceTerminating(err)) return;
      this.recorder.event(
        service,
        'Warning',
        'FailedToUpdateEndpointSlices',
        `Error updating Endpoint Slices for Service ${metaNamespaceKey(service)}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    if (plan.podsOnMissingNodes.length > 0) return { requeueAfterMs: MISSING_NODE_RETRY_MS };
    return undefined;
  }

  private async apply(key: string, namespace: string, plan: ReturnType<typeof reconcileSlices>): Promise<void> {
    const client = this.client.namespace(namespace);
    for (const slice of plan.create) this.tracker.update(key, await client.create(slice));
    for (const slice of plan.update) this.tracker.update(key, await client.update(slice));
    for (const slice of plan.delete) {
      try {
        await client.delete(slice.metadata?.name ?? '', { preconditions: { uid: slice.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.tracker.expectDeletion(key, slice);
    }
  }
}


export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  enabledByDefault: true,
  start: (ctx, signal) => new EndpointSliceController(ctx).run(signal),
};
