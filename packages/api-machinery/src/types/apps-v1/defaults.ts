// apps/v1 conditional defaulting (pkg/apis/apps/v1/defaults.go): the parts that depend on other fields. The
// unconditional ones (replicas 1, revisionHistoryLimit 10, progressDeadlineSeconds 600, podManagementPolicy
// OrderedReady, claim retention Retain/Retain, strategy types) are `default` keywords in the schemas.
import type { JsonObject } from '../../json.js';
import type { Defaulter } from '../../schema/module.js';
import { obj } from './helpers.js';
import { DAEMON_SET_UPDATE_STRATEGY, DEPLOYMENT_STRATEGY, STATEFUL_SET_SPEC } from './schemas.js';

/** A RollingUpdate strategy gets its rollingUpdate block, with the limits it lacks. */
function defaultRollingUpdate(strategy: JsonObject, maxUnavailable: string | number, maxSurge: string | number): void {
  if (strategy.type !== 'RollingUpdate') return;
  const ru = obj(strategy.rollingUpdate) ?? {};
  ru.maxUnavailable ??= maxUnavailable;
  ru.maxSurge ??= maxSurge;
  strategy.rollingUpdate = ru;
}

export const appsDefaulters: Record<string, Defaulter> = {
  [DEPLOYMENT_STRATEGY]: (o) => defaultRollingUpdate(o, '25%', '25%'),
  [DAEMON_SET_UPDATE_STRATEGY]: (o) => defaultRollingUpdate(o, 1, 0),
  // The StatefulSet strategy only gains a rollingUpdate block when its type was left empty.
  [STATEFUL_SET_SPEC]: (spec) => {
    const us = obj(spec.updateStrategy) ?? {};
    spec.updateStrategy = us;
    if (us.type === undefined || us.type === '') {
      us.type = 'RollingUpdate';
      us.rollingUpdate ??= {};
    }
    const ru = obj(us.rollingUpdate);
    if (us.type === 'RollingUpdate' && ru && ru.partition === undefined) ru.partition = 0;
  },
};
