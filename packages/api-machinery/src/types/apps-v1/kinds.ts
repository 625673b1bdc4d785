// apps/v1 resources as discovery, REST and kubectl see them.
import type { KindDefinition } from '../../schema/module.js';
import { num, obj } from './helpers.js';
import { CONTROLLER_REVISION, DAEMON_SET, DEPLOYMENT, GROUP, REPLICA_SET, STATEFUL_SET, VERSION } from './schemas.js';

const SCALE = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };

export const appsKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    namespaced: true,
    schema: DEPLOYMENT,
    statusSubresource: true,
    scale: SCALE,
    generation: true,
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    categories: ['all'],
    namespaced: true,
    schema: REPLICA_SET,
    statusSubresource: true,
    scale: SCALE,
    generation: true,
    // Go prints the int32 counter, so an unset status reads as "0".
    fieldSelectors: { 'status.replicas': (o) => String(num(obj(o.status)?.replicas) ?? 0) },
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'DaemonSet',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['ds'],
    categories: ['all'],
    namespaced: true,
    schema: DAEMON_SET,
    statusSubresource: true,
    generation: true,
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'StatefulSet',
    plural: 'statefulsets',
    singular: 'statefulset',
    shortNames: ['sts'],
    categories: ['all'],
    namespaced: true,
    schema: STATEFUL_SET,
    statusSubresource: true,
    scale: SCALE,
    generation: true,
    // Pod hostnames come from the set name, so it must be a DNS label.
    nameRule: 'dns1123-label',
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    namespaced: true,
    schema: CONTROLLER_REVISION,
  },
];
