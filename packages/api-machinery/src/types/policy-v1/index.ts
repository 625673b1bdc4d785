// policy/v1: PodDisruptionBudgets, and the Eviction body of pods/eviction.
import type { SchemaModule } from '../../schema/module.js';
import { policySchemas } from './schemas.js';
import { policyValidators } from './validation.js';

export { policyKinds } from './kinds.js';
export { policySchemas, EVICTION as EVICTION_SCHEMA } from './schemas.js';

export const policyModule: SchemaModule = { schemas: policySchemas, validators: policyValidators };
