// storage.k8s.io/v1: StorageClasses.
import type { SchemaModule } from '../../schema/module.js';
import { storageSchemas } from './schemas.js';
import { storageValidators } from './validation.js';

export { storageKinds } from './kinds.js';
export { storageSchemas } from './schemas.js';

export const storageModule: SchemaModule = { schemas: storageSchemas, validators: storageValidators };
