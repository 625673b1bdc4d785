// The Endpoints controller (pkg/controller/endpoint): one Endpoints object per selector Service, listing the
// matching pods' addresses per port. Keys are Service keys; pod changes map to the Services selecting the pod.
import type { Endpoints, Pod, Service } from '@k8ts/api-machinery';
import {
  Controller,
  isAlreadyExists,
  isConflict,
  isNotFound,
  metaNamespaceKey,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { isNamespaceTerminating } from '../namespace/terminating.js';
import { desiredEndpoints } from './endpoints-logic.js';
import { managesEndpointsOf, serviceSelector, servicesSelecting, servicesToUpdateOnPodChange, TriggerTimeTracker } from './pod-endpoints.js';

/** Endpoints carrying this annotation are an old leader-election lock, not a Service's (never cleaned up). */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export class EndpointsController {
  readonly controller: Controller;
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly endpoints: Lister<Endpoints>;
  private readonly client: ResourceClient<Endpoints>;
  private readonly recorder: EventRecorder;
  private readonly tracker = new TriggerTimeTracker();
  private readonly informers: [SharedIndexInformer<Service>, SharedIndexInformer<Pod>, SharedIndexInformer<Endpoints>];

  constructor(ctx: ControllerContext) {
    const serviceInformer = ctx.informers.informerFor<Service>(refs.services);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const endpointsInformer = ctx.informers.informerFor<Endpoints>(refs.endpoints);
    this.informers = [serviceInformer, podInformer, endpointsInformer];
    this.services = serviceInformer.lister();
    this.pods = podInformer.lister();
    this.endpoints = endpointsInformer.lister();
    this.client = ctx.client.resource<Endpoints>(refs.endpoints);
    this.recorder = ctx.recorder('endpoint-controller');
    this.controller = newController(ctx, 'endpoint', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    serviceInformer.addEventHandler(this.controller.handlers<Service>());
    podInformer.addEventHandler({
      onAdd: (pod) => this.enqueueAll(servicesSelecting(pod, this.servicesIn(pod))),
      onUpdate: (old, pod) => this.enqueueAll(servicesToUpdateOnPodChange(old, pod, this.servicesIn(pod))),
      onDelete: (p) => {
        const pod = objectOf(p);
        this.enqueueAll(servicesSelecting(pod, this.servicesIn(pod)));
      },
    });
    // An Endpoints object deleted under a live Service is written again.
    endpointsInformer.addEventHandler({ onDelete: (e: Endpoints | DeletedFinalStateUnknown<Endpoints>) => this.controller.enqueue(e) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const running = this.controller.run(signal, this.informers);
    if ((await Promise.all(this.informers.map((i) => i.waitForSync(signal)))).every(Boolean)) this.checkLeftoverEndpoints();
    await running;
  }

  private servicesIn(pod: Pod): Service[] {
    return this.services.namespace(pod.metadata?.namespace ?? '').list();
  }

  private enqueueAll(services: Service[]): void {
    for (const s of services) this.controller.enqueue(s);
  }

  /** Endpoints left from Services deleted while no controller ran: each key is synced once, which deletes them. */
  private checkLeftoverEndpoints(): void {
    for (const e of this.endpoints.list()) {
      if (e.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.controller.enqueue(e);
    }
  }

  private async sync(key: string): Promise<void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const service = this.services.namespace(namespace).get(name);
    if (!service) {
      this.tracker.delete(key);
      if (!this.endpoints.namespace(namespace).get(name)) return;
      try {
        await this.client.namespace(namespace).delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    // ExternalName and selector-less Services (like `kubernetes`, which the apiserver keeps) are not ours.
    if (!managesEndpointsOf(service)) return;
    const pods = this.pods.namespace(namespace).list(serviceSelector(service));
    const triggerTime = this.tracker.compute(key, service, pods);
    const current = this.endpoints.namespace(namespace).get(name);
    const decision = desiredEndpoints(service, pods, current, triggerTime);
    if (!decision) return;
    const client = this.client.namespace(namespace);
    try {
      if (decision.create) await client.create(decision.endpoints);
      else await client.update(decision.endpoints);
    } catch (err) {
      // Content cannot be created in a namespace being deleted: nothing to retry.
      if (decision.create && isNamespaceTerminating(err)) return;
      // A stale cache (our own last write not seen yet) is a race, not a failure worth an event: it only requeues.
      if (isConflict(err) || isAlreadyExists(err)) throw err;
      const verb = decision.create ? 'create' : 'update';
      this.recorder.event(
        decision.endpoints,
        'Warning',
        decision.create ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint',
        `Failed to ${verb} endpoint for service ${metaNamespaceKey(service)}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
  }
}

export const endpointsControllerDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  start: (ctx, signal) => new EndpointsController(ctx).run(signal),
};
