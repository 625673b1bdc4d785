// autoscaling/v1: HorizontalPodAutoscalers, and the Scale body of scale subresources.
import type { SchemaModule } from '../../schema/module.js';
import { autoscalingSchemas } from './schemas.js';
import { autoscalingValidators } from './validation.js';

export { autoscalingKinds } from './kinds.js';
export { autoscalingSchemas, SCALE as SCALE_SCHEMA } from './schemas.js';

export const autoscalingModule: SchemaModule = { schemas: autoscalingSchemas, validators: autoscalingValidators };
