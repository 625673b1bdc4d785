// Every controller the manager can run, by its --controllers name (kube-controller-manager's names).
import type { ControllerDescriptor } from '../controller-context.js';
import { deploymentControllerDescriptor } from './deployment/deployment-controller.js';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from './replicaset/replicaset-controller.js';
import { jobControllerDescriptor } from './job/job-controller.js';
import { cronJobControllerDescriptor } from './cronjob/cronjob-controller.js';
import { ttlAfterFinishedControllerDescriptor } from './ttl-after-finished/ttl-after-finished-controller.js';
import { endpointsControllerDescriptor } from './endpoints/endpoints-controller.js';
import { endpointSliceControllerDescriptor } from './endpointslice/endpointslice-controller.js';
import { namespaceControllerDescriptor } from './namespace/namespace-controller.js';
import { garbageCollectorDescriptor } from './garbagecollector/garbagecollector-controller.js';
import { serviceAccountControllerDescriptor } from './serviceaccount/serviceaccount-controller.js';
import { rootCaPublisherDescriptor } from './serviceaccount/root-ca-publisher.js';
import { podGCControllerDescriptor } from './podgc/podgc-controller.js';
import { daemonSetControllerDescriptor } from './daemonset/daemonset-controller.js';
import { statefulSetControllerDescriptor } from './statefulset/statefulset-controller.js';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle/node-lifecycle-controller.js';
import { taintEvictionControllerDescriptor } from './nodelifecycle/taint-eviction-controller.js';
import { nodeIpamControllerDescriptor } from './nodeipam/node-ipam-controller.js';
import { persistentVolumeBinderDescriptor } from './persistentvolume/pv-binder-controller.js';
import { hostPathProvisionerDescriptor } from './persistentvolume/hostpath-provisioner.js';

export const allControllers: ControllerDescriptor[] = [
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
  deploymentControllerDescriptor,
  jobControllerDescriptor,
  cronJobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  endpointsControllerDescriptor,
  endpointSliceControllerDescriptor,
  namespaceControllerDescriptor,
  garbageCollectorDescriptor,
  serviceAccountControllerDescriptor,
  rootCaPublisherDescriptor,
  podGCControllerDescriptor,
  daemonSetControllerDescriptor,
  statefulSetControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  taintEvictionControllerDescriptor,
  nodeIpamControllerDescriptor,
  persistentVolumeBinderDescriptor,
  hostPathProvisionerDescriptor,
];

/**
 * --controllers semantics: "*" is every controller enabled by default, "foo" enables foo, "-foo" disables foo.
 * Unknown names are an error, so a typo never silently runs nothing.
 */
export function selectControllers(spec: string[], available: ControllerDescriptor[] = allControllers): ControllerDescriptor[] {
  const names = new Set(available.map((c) => c.name));
  for (const item of spec) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name !== '*' && !names.has(name)) throw new Error(`"${name}" is not in the list of known controllers: ${[...names].join(', ')}`);
  }
  const star = spec.includes('*');
  return available.filter((c) => {
    if (spec.includes(`-${c.name}`)) return false;
    if (spec.includes(c.name)) return true;
    return star && c.enabledByDefault;
  });
}
