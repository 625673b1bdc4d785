// networking.k8s.io/v1: Ingresses, IngressClasses and NetworkPolicies.
import type { SchemaModule } from '../../schema/module.js';
import { networkingDefaulters } from './defaults.js';
import { networkingSchemas } from './schemas.js';
import { networkingValidators } from './validation.js';

export { networkingKinds } from './kinds.js';
export { networkingSchemas } from './schemas.js';
export { parseCidr, cidrContains, type Cidr } from './cidr.js';

export const networkingModule: SchemaModule = { schemas: networkingSchemas, defaulters: networkingDefaulters, validators: networkingValidators };
