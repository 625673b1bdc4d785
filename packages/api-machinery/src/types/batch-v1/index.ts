// batch/v1: Jobs and CronJobs.
import type { SchemaModule } from '../../schema/module.js';
import { batchDefaulters } from './defaults.js';
import { batchSchemas } from './schemas.js';
import { batchValidators } from './validation.js';

export { batchKinds } from './kinds.js';
export { batchSchemas } from './schemas.js';
export { parseCronSchedule, type CronSchedule, type CronField, type CronParseResult } from './cron.js';

export const batchModule: SchemaModule = { schemas: batchSchemas, defaulters: batchDefaulters, validators: batchValidators };
