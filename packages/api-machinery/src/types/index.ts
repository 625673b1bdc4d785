// Every type module the API serves, in discovery order (core first, as kubectl's priority expects).
import type { KindDefinition, SchemaModule } from '../schema/module.js';
import { metaSchemas } from './meta-v1/schemas.js';
import { podKinds, podModule } from './core-v1/pod.js';
import { coreKinds, coreModule } from './core-v1/core.js';
import { appsKinds, appsModule } from './apps-v1/index.js';
import { batchKinds, batchModule } from './batch-v1/index.js';
import { autoscalingKinds, autoscalingModule } from './autoscaling-v1/index.js';
import { policyKinds, policyModule } from './policy-v1/index.js';
import { coordinationKinds, coordinationModule } from './coordination-v1/index.js';
import { discoveryKinds, discoveryModule } from './discovery-v1/index.js';
import { eventsKinds, eventsModule } from './events-v1/index.js';
import { networkingKinds, networkingModule } from './networking-v1/index.js';
import { rbacKinds, rbacModule } from './rbac-v1/index.js';
import { storageKinds, storageModule } from './storage-v1/index.js';

export const allSchemaModules: SchemaModule[] = [
  { schemas: metaSchemas },
  podModule,
  coreModule,
  appsModule,
  batchModule,
  autoscalingModule,
  policyModule,
  coordinationModule,
  discoveryModule,
  eventsModule,
  networkingModule,
  rbacModule,
  storageModule,
];

export const allKinds: KindDefinition[] = [
  ...podKinds,
  ...coreKinds,
  ...appsKinds,
  ...batchKinds,
  ...autoscalingKinds,
  ...policyKinds,
  ...coordinationKinds,
  ...discoveryKinds,
  ...eventsKinds,
  ...networkingKinds,
  ...rbacKinds,
  ...storageKinds,
];

export { coreEventToEventsV1, eventsV1ToCoreEvent } from './events-v1/convert.js';
export { podQOSClass, preparePodForCreate, syncPodStatusIPs, type PodQOSClass } from './core-v1/pod.js';
export { normalizeServiceClusterIPsOnUpdate } from './core-v1/service.js';
// CronJob schedules, for the CronJob controller.
export { parseCronSchedule, type CronField, type CronParseResult, type CronSchedule } from './batch-v1/index.js';
