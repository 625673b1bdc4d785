// core/v1 ReplicationController: the original keeper of N identical pods (superseded by ReplicaSet/Deployment).
import type { JsonObject } from '../../json.js';
import type { Defaulter, KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import { numAt, objAt, strAt, strMapAt } from './json-access.js';
import { CONDITION_STATUS_DESC, core, kindSchema } from './kind-schema.js';

const RC = core('ReplicationController');
const RC_SPEC = core('ReplicationControllerSpec');

export const replicationControllerSchemas: Record<string, Schema> = {
  [RC]: kindSchema({ group: '', version: 'v1', kind: 'ReplicationController' }, 'Keeps a given number of pod replicas, matching a label selector, running.', {
    spec: s.ref(RC_SPEC, 'Desired replicas and the pods to create.', { default: {} }),
    status: s.ref(core('ReplicationControllerStatus'), 'Most recently observed replica counts.'),
  }),
  [RC_SPEC]: s.object(
    {
      replicas: s.int32('Desired number of pods.', { default: 1, validate: ['non-negative'] }),
      minReadySeconds: s.int32('Seconds a new pod must be ready, without crashing, to count as available.', { validate: ['non-negative'] }),
      selector: s.map(s.string(), 'Labels of the pods counted as replicas; defaults to the template labels.'),
      template: s.ref(core('PodTemplateSpec'), 'Pod created when replicas are missing.'),
    },
    'Desired state of a replication controller.',
  ),
  [core('ReplicationControllerStatus')]: s.object(
    {
      replicas: s.int32('Most recently observed number of replicas.'),
      fullyLabeledReplicas: s.int32('Pods whose labels match the template labels.'),
      readyReplicas: s.int32('Pods that are ready.'),
      availableReplicas: s.int32('Pods that have been ready for at least minReadySeconds.'),
      observedGeneration: s.int64('metadata.generation the status reflects.'),
      conditions: s.array(s.ref(core('ReplicationControllerCondition')), 'Current observations, e.g. ReplicaFailure.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
    },
    'Observed state of a replication controller.',
  ),
  [core('ReplicationControllerCondition')]: s.object(
    {
      type: s.string('Condition type, e.g. ReplicaFailure.'),
      status: s.string(`Whether the condition holds: ${CONDITION_STATUS_DESC}`),
      lastTransitionTime: s.time('When the condition last changed status.'),
      reason: s.string('Machine-readable CamelCase reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    'One observation about a replication controller.',
  ),
};

export const replicationControllerDefaulters: Record<string, Defaulter> = {
  // Selector and object labels follow the template labels when not given.
  [RC]: (rc: JsonObject) => {
    const spec = objAt(rc, 'spec');
    const templateLabels = strMapAt(objAt(objAt(spec, 'template'), 'metadata'), 'labels');
    if (!spec || !templateLabels) return;
    if (!Object.keys(objAt(spec, 'selector') ?? {}).length) spec.selector = { ...templateLabels };
    const meta = objAt(rc, 'metadata');
    if (meta && !Object.keys(objAt(meta, 'labels') ?? {}).length) meta.labels = { ...templateLabels };
  },
};

function validateSpec(spec: JsonObject, specPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = strMapAt(spec, 'selector') ?? {};
  if (!Object.keys(selector).length) errs.push(fieldErrors.required(child(specPath, 'selector')));
  const template = objAt(spec, 'template');
  const tplPath = child(specPath, 'template');
  if (!template) return [...errs, fieldErrors.required(tplPath)];
  const labels = strMapAt(objAt(template, 'metadata'), 'labels') ?? {};
  if (Object.keys(selector).length && !Object.entries(selector).every(([k, v]) => labels[k] === v))
    errs.push(fieldErrors.invalid(child(tplPath, 'metadata.labels'), labels, '`selector` does not match template `labels`'));
  const podSpec = objAt(template, 'spec');
  const restartPolicy = strAt(podSpec, 'restartPolicy') ?? '';
  if (restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(child(tplPath, 'spec.restartPolicy'), restartPolicy, ['Always']));
  if (numAt(podSpec, 'activeDeadlineSeconds') !== undefined)
    errs.push(fieldErrors.forbidden(child(tplPath, 'spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  return errs;
}

export const replicationControllerValidators: Record<string, Validator> = {
  [RC_SPEC]: (spec, path) => validateSpec(spec, path),
};

export const replicationControllerKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  schema: RC,
  statusSubresource: true,
  // An RC selector is a plain label map (not a LabelSelector object); the scale handler must format it itself.
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  generation: true,
  fieldSelectors: { 'status.replicas': (o) => String(numAt(objAt(o, 'status'), 'replicas') ?? 0) },
};
