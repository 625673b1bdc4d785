// Workload controllers: deployments, replica sets, replication controllers, stateful sets, daemon sets,
// jobs, cron jobs, controller revisions, disruption budgets, autoscalers.
// Where the real apiserver always defaults a field on create (e.g. spec.replicas = 1) the printer assumes the
// same default, so an object that skipped defaulting still prints like it would on a real cluster.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { get, isSet, list, num, obj, objs, optBool, optNum, optStr, str, strMap } from '../access.js';
import { humanDuration, parseTime, timestampSince } from '../duration.js';
import { boolPtr, containerCells, controllerOf, formatLabelSelector, formatLabels, intOrString, labelSelectorString } from '../format.js';
import { quantityString } from '../quantity.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  age,
  col,
  name,
  wide,
  type Printer,
} from '../types.js';

const replicas = (o: JsonObject): number => optNum(o, 'spec', 'replicas') ?? 1;

const selectorColumn = (what: string): ReturnType<typeof wide> =>
  wide('Selector', 'string', `Label selector choosing the pods this ${what} manages.`);

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Ready pods out of desired replicas.'),
    col('Up-to-date', 'string', 'Pods running the latest pod template.'),
    col('Available', 'string', 'Pods ready for at least minReadySeconds.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('deployment'),
  ],
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    // Deployments print the raw selector string (empty when unset) and "<invalid>" rather than "<error>".
    const sel = labelSelectorString(get(o, 'spec', 'selector'));
    return [
      name(o),
      `${num(o, 'status', 'readyReplicas')}/${replicas(o)}`,
      num(o, 'status', 'updatedReplicas'),
      num(o, 'status', 'availableReplicas'),
      age(o, now),
      names,
      images,
      sel ?? '<invalid>',
    ];
  },
};

const replicaColumns = (what: string) => [
  NAME_COLUMN,
  col('Desired', 'integer', `Number of pods the ${what} should run.`),
  col('Current', 'integer', `Number of pods the ${what} currently runs.`),
  col('Ready', 'integer', 'Number of those pods that are ready.'),
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  selectorColumn(what),
];

export const replicaSetPrinter: Printer = {
  columns: replicaColumns('replica set'),
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    return [
      name(o),
      replicas(o),
      num(o, 'status', 'replicas'),
      num(o, 'status', 'readyReplicas'),
      age(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

export const replicationControllerPrinter: Printer = {
  columns: replicaColumns('replication controller'),
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    return [
      name(o),
      replicas(o),
      num(o, 'status', 'replicas'),
      num(o, 'status', 'readyReplicas'),
      age(o, now),
      names,
      images,
      // An RC selector is a plain label map.
      formatLabels(strMap(o, 'spec', 'selector')),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [NAME_COLUMN, col('Ready', 'string', 'Ready pods out of desired replicas.'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    return [name(o), `${num(o, 'status', 'readyReplicas')}/${replicas(o)}`, age(o, now), names, images];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    col('Current', 'integer', 'Nodes running at least one daemon pod.'),
    col('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    col('Up-to-date', 'integer', 'Nodes running the latest pod template.'),
    col('Available', 'integer', 'Nodes whose daemon pod is available.'),
    col('Node Selector', 'string', 'Node labels a node needs to run the daemon pod.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('daemon set'),
  ],
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    return [
      name(o),
      num(o, 'status', 'desiredNumberScheduled'),
      num(o, 'status', 'currentNumberScheduled'),
      num(o, 'status', 'numberReady'),
      num(o, 'status', 'updatedNumberScheduled'),
      num(o, 'status', 'numberAvailable'),
      formatLabels(strMap(o, 'spec', 'template', 'spec', 'nodeSelector')),
      age(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

/** A condition of the given type counts only when its status is True (first match decides). */
function hasCondition(o: JsonValue, type: string): boolean {
  const c = objs(o, 'status', 'conditions').find((x) => str(x, 'type') === type);
  return c !== undefined && str(c, 'status') === 'True';
}

function jobStatus(o: JsonObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (isSet(o, 'metadata', 'deletionTimestamp')) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(o: JsonObject): string {
  const succeeded = num(o, 'status', 'succeeded');
  const completions = optNum(o, 'spec', 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  // No fixed completion count: a work queue finishing once any pod succeeds.
  const parallelism = optNum(o, 'spec', 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: JsonObject, now: Date): string {
  const start = parseTime(get(o, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = parseTime(get(o, 'status', 'completionTime'));
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'Overall job state from its conditions.'),
    col('Completions', 'string', 'Succeeded pods out of the completions required.'),
    col('Duration', 'string', 'How long the job ran (or has been running).'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('job'),
  ],
  cells(o, now) {
    const [names, images] = containerCells(get(o, 'spec', 'template', 'spec'));
    return [
      name(o),
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      age(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Schedule', 'string', 'Cron expression for when jobs are started.'),
    col('Timezone', 'string', 'Time zone the schedule is interpreted in.'),
    col('Suspend', 'boolean', 'Whether new runs are currently suspended.'),
    col('Active', 'integer', 'Number of jobs currently running.'),
    col('Last Schedule', 'string', 'How long ago a job was last scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('cron job'),
  ],
  cells(o, now) {
    const jobSpec = get(o, 'spec', 'jobTemplate', 'spec');
    const [names, images] = containerCells(get(jobSpec, 'template', 'spec'));
    const last = get(o, 'status', 'lastScheduleTime');
    return [
      name(o),
      str(o, 'spec', 'schedule'),
      optStr(o, 'spec', 'timeZone') ?? '<none>',
      boolPtr(optBool(o, 'spec', 'suspend') ?? false),
      list(o, 'status', 'active').length,
      last === undefined || last === null ? '<none>' : timestampSince(last, now),
      age(o, now),
      names,
      images,
      formatLabelSelector(get(jobSpec, 'selector')),
    ];
  },
};

/** "kind.group/name" of the owning controller, lower-cased; "<none>" without one. */
function controllerName(o: JsonObject): string {
  const ref = controllerOf(o);
  if (!ref) return '<none>';
  const apiVersion = str(ref, 'apiVersion');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const kind = str(ref, 'kind');
  const gk = group === '' ? kind : `${kind}.${group}`;
  return gk === '' ? str(ref, 'name') : `${gk.toLowerCase()}/${str(ref, 'name')}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Controller', 'string', 'The controller that owns this revision.'),
    col('Revision', 'string', 'Revision number of the stored state.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    return [name(o), controllerName(o), num(o, 'revision'), age(o, now)];
  },
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Min Available', 'string', 'Pods that must stay available during voluntary disruptions.'),
    col('Max Unavailable', 'string', 'Pods that may be unavailable during voluntary disruptions.'),
    col('Allowed Disruptions', 'integer', 'Pod disruptions currently permitted.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const min = get(o, 'spec', 'minAvailable');
    const max = get(o, 'spec', 'maxUnavailable');
    return [
      name(o),
      min === undefined || min === null ? 'N/A' : intOrString(min),
      max === undefined || max === null ? 'N/A' : intOrString(max),
      num(o, 'status', 'disruptionsAllowed'),
      age(o, now),
    ];
  },
};

// ---- HorizontalPodAutoscaler ----

/** Quantity text as Go's (*Quantity).String() prints it, "<nil>" for a missing pointer. */
const qty = (v: JsonValue | undefined): string => (v === undefined || v === null ? '<nil>' : quantityString(v));

/** autoscaling/v1 objects carry a single CPU target; present it as the equivalent v2 metric. */
function hpaMetrics(o: JsonObject): { specs: JsonObject[]; statuses: JsonObject[] } {
  if (get(o, 'spec', 'metrics') !== undefined || get(o, 'status', 'currentMetrics') !== undefined) {
    return { specs: objs(o, 'spec', 'metrics'), statuses: objs(o, 'status', 'currentMetrics') };
  }
  const target = optNum(o, 'spec', 'targetCPUUtilizationPercentage');
  if (target === undefined) return { specs: [], statuses: [] };
  const current = optNum(o, 'status', 'currentCPUUtilizationPercentage');
  return {
    specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
    statuses:
      current === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
  };
}

function hpaTargets(o: JsonObject): string {
  const { specs, statuses } = hpaMetrics(o);
  if (specs.length === 0) return '<none>';
  const max = 2;
  const parts = specs.map((spec, i) => {
    const st = statuses[i];
    const type = str(spec, 'type');
    const src = type === 'External' ? 'external' : type === 'Pods' ? 'pods' : type === 'Object' ? 'object' : type === 'Resource' ? 'resource' : type === 'ContainerResource' ? 'containerResource' : '';
    if (src === '') return '<unknown type>';
    const target = obj(spec, src, 'target');
    const cur = obj(st, src, 'current');
    const hasStatus = obj(st, src) !== undefined;
    const resName = str(spec, src, 'name');
    switch (type) {
      case 'External':
      case 'Object': {
        if (isSet(target, 'averageValue')) {
          const current = hasStatus && isSet(cur, 'averageValue') ? qty(get(cur, 'averageValue')) : '<unknown>';
          return `${current}/${qty(get(target, 'averageValue'))} (avg)`;
        }
        const current = hasStatus ? qty(get(cur, 'value')) : '<unknown>';
        return `${current}/${qty(get(target, 'value'))}`;
      }
      case 'Pods': {
        const current = hasStatus ? qty(get(cur, 'averageValue')) : '<unknown>';
        return `${current}/${qty(get(target, 'averageValue'))}`;
      }
      default: {
        // Resource and ContainerResource: absolute average value, or utilisation percentage.
        if (isSet(target, 'averageValue')) {
          const current = hasStatus ? qty(get(cur, 'averageValue')) : '<unknown>';
          return `${resName}: ${current}/${qty(get(target, 'averageValue'))}`;
        }
        const util = optNum(cur, 'averageUtilization');
        const current = hasStatus && util !== undefined ? `${util}%` : '<unknown>';
        const targetUtil = optNum(target, 'averageUtilization');
        return `${resName}: ${current}/${targetUtil === undefined ? '<auto>' : `${targetUtil}%`}`;
      }
    }
  });
  const shown = parts.slice(0, max).join(', ');
  return parts.length > max ? `${shown} + ${parts.length - max} more...` : shown;
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Reference', 'string', 'The workload being scaled.'),
    col('Targets', 'string', 'Current and target values of the scaling metrics.'),
    col('MinPods', 'string', 'Lower bound on the replica count.'),
    col('MaxPods', 'string', 'Upper bound on the replica count.'),
    col('Replicas', 'string', 'Replica count last observed by the autoscaler.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    return [
      name(o),
      `${str(o, 'spec', 'scaleTargetRef', 'kind')}/${str(o, 'spec', 'scaleTargetRef', 'name')}`,
      hpaTargets(o),
      String(optNum(o, 'spec', 'minReplicas') ?? 1),
      num(o, 'spec', 'maxReplicas'),
      num(o, 'status', 'currentReplicas'),
      age(o, now),
    ];
  },
};
