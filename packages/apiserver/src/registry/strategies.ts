// The per-kind strategies: Pod (the pod module's PrepareForCreate, graceful deletion), Namespace (Active/Terminating, kept
// while spec.finalizers remain), Service (ClusterIP/NodePort allocation), status resets, and events.k8s.io Events
// stored as core Events.
import {
  coreEventToEventsV1,
  eventsV1ToCoreEvent,
  isJsonObject,
  normalizeServiceClusterIPsOnUpdate,
  preparePodForCreate,
  type JsonObject,
  type KindDefinition,
} from '@k8ts/api-machinery';
import type { ServiceAllocators } from '../allocators/service-allocators.js';
import { assignDefaultStorageClass } from '../admission/default-storage-class.js';
import { addDefaultTolerationSeconds, type TolerationSeconds } from '../admission/default-toleration-seconds.js';
import type { Strategy } from './strategy.js';

/** Kinds whose initial status the server sets on create (every other status-bearing kind starts empty). */
const KEEP_STATUS_ON_CREATE = new Set(['/nodes', '/events', 'coordination.k8s.io/leases']);

function statusReset(kind: KindDefinition): Strategy {
  if (!kind.statusSubresource || KEEP_STATUS_ON_CREATE.has(`${kind.group}/${kind.plural}`)) return {};
  return {
    prepareForCreate(obj) {
      delete obj.status;
    },
  };
}

const podStrategy = (lookups: StrategyLookups): Strategy => ({
  prepareForCreate: (obj) => {
    preparePodForCreate(obj);
    addDefaultTolerationSeconds(obj, lookups.tolerationSeconds);
  },
  prepareForStatusUpdate(obj, old) {
    // podStatusStrategy.PrepareForUpdate: the QoS class is immutable and set on create; a status write that leaves it
    // out (a client sending a fresh status object, e.g. @kubernetes/client-node's replaceNamespacedPodStatus) keeps it.
    const status = isJsonObject(obj.status) ? obj.status : undefined;
    const oldQos = isJsonObject(old.status) ? old.status.qosClass : undefined;
    if (status && (status.qosClass === undefined || status.qosClass === '') && oldQos !== undefined) status.qosClass = oldQos;
  },
  deleteDecision(obj, requestedGrace) {
    const spec = isJsonObject(obj.spec) ? obj.spec : {};
    const status = isJsonObject(obj.status) ? obj.status : {};
    // A pod that never reached a node, or has finished, has nothing to terminate: it goes at once.
    if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return { graceful: false };
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return { graceful: false };
    let grace = requestedGrace ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
    if (grace < 0) grace = 1;
    return grace > 0 ? { graceful: true, gracePeriodSeconds: grace } : { graceful: false };
  },
});

function namespaceFinalizers(obj: JsonObject): unknown[] {
  const spec = isJsonObject(obj.spec) ? obj.spec : {};
  return Array.isArray(spec.finalizers) ? spec.finalizers : [];
}

const namespaceStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
  },
  prepareForUpdate(obj, old) {
    // Namespace spec.finalizers change only through /finalize; status.phase follows deletion.
    const oldSpec = isJsonObject(old.spec) ? old.spec : undefined;
    if (oldSpec) obj.spec = structuredClone(oldSpec);
    else delete obj.spec;
  },
  markTerminating(obj) {
    obj.status = { ...(isJsonObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
  },
  retainWhileDeleting(obj) {
    return namespaceFinalizers(obj).length > 0;
  },
};

function serviceStrategy(allocators: ServiceAllocators): Strategy {
  return {
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(obj, old) {
      if (isJsonObject(obj.spec)) normalizeServiceClusterIPsOnUpdate(obj.spec, isJsonObject(old.spec) ? old.spec : undefined);
    },
    async admit(obj, old, ctx) {
      await allocators.allocate(obj, old, ctx.dryRun);
    },
    async rollback(obj, old) {
      await allocators.releaseNew(obj, old);
    },
    async afterDelete(obj) {
      await allocators.release(obj);
    },
  };
}

function phaseOnCreate(phase: string): Strategy {
  return {
    prepareForCreate(obj) {
      obj.status = { phase };
    },
  };
}

const eventsV1Strategy: Strategy = {
  toStorage: (obj) => eventsV1ToCoreEvent(obj),
  fromStorage: (obj) => coreEventToEventsV1(obj),
};

/** What strategies may look up elsewhere in the API (admission that reads other objects). */
export interface StrategyLookups {
  /** DefaultTolerationSeconds admission: what pods without their own tolerations get. */
  tolerationSeconds: TolerationSeconds;
  /** The default StorageClass's name, if the cluster has one. */
  defaultStorageClass(): Promise<string | undefined>;
}

function pvcStrategy(lookups: StrategyLookups): Strategy {
  return {
    ...phaseOnCreate('Pending'),
    async admit(obj, old) {
      if (!old) await assignDefaultStorageClass(obj, () => lookups.defaultStorageClass());
    },
  };
}

export function strategyFor(kind: KindDefinition, allocators: ServiceAllocators, lookups: StrategyLookups): Strategy {
  const id = `${kind.group}/${kind.plural}`;
  switch (id) {
    case '/pods':
      return podStrategy(lookups);
    case '/namespaces':
      return namespaceStrategy;
    case '/services':
      return serviceStrategy(allocators);
    case '/persistentvolumes':
      return phaseOnCreate('Pending');
    case '/persistentvolumeclaims':
      return pvcStrategy(lookups);
    case 'events.k8s.io/events':
      return eventsV1Strategy;
    default:
      return statusReset(kind);
  }
}
