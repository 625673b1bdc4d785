// apps/v1: Deployments, ReplicaSets, DaemonSets, StatefulSets and ControllerRevisions.
import type { SchemaModule } from '../../schema/module.js';
import { appsDefaulters } from './defaults.js';
import { appsSchemas } from './schemas.js';
import { appsValidators } from './validation.js';

export { appsKinds } from './kinds.js';
export { appsSchemas } from './schemas.js';

export const appsModule: SchemaModule = { schemas: appsSchemas, defaulters: appsDefaulters, validators: appsValidators };
