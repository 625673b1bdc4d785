// batch/v1 resources as discovery, REST and kubectl see them.
import type { KindDefinition } from '../../schema/module.js';
import { num, obj } from '../apps-v1/helpers.js';
import { CRON_JOB, GROUP, JOB, VERSION } from './schemas.js';

export const batchKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'Job',
    plural: 'jobs',
    singular: 'job',
    categories: ['all'],
    namespaced: true,
    schema: JOB,
    statusSubresource: true,
    generation: true,
    // Go prints the int32 counter, so an unset status reads as "0".
    fieldSelectors: { 'status.successful': (o) => String(num(obj(o.status)?.succeeded) ?? 0) },
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'CronJob',
    plural: 'cronjobs',
    singular: 'cronjob',
    shortNames: ['cj'],
    categories: ['all'],
    namespaced: true,
    schema: CRON_JOB,
    statusSubresource: true,
    generation: true,
  },
];
