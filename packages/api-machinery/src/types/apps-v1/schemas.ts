// apps/v1 component schemas: Deployment, ReplicaSet, DaemonSet, StatefulSet and ControllerRevision, with their
// specs, update strategies, statuses and conditions (field types and patch metadata as in k8s.io/api/apps/v1).
import { s, type Schema } from '../../schema/schema.js';
import { LABEL_SELECTOR } from '../meta-v1/schemas.js';
import { conditionSchema, conditionsArray, kindSchema, listSchema } from './helpers.js';

export const APPS = 'io.k8s.api.apps.v1';
export const GROUP = 'apps';
export const VERSION = 'v1';
const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';
const PVC = 'io.k8s.api.core.v1.PersistentVolumeClaim';

export const DEPLOYMENT = `${APPS}.Deployment`;
export const DEPLOYMENT_SPEC = `${APPS}.DeploymentSpec`;
export const DEPLOYMENT_STRATEGY = `${APPS}.DeploymentStrategy`;
export const DEPLOYMENT_STATUS = `${APPS}.DeploymentStatus`;
export const REPLICA_SET = `${APPS}.ReplicaSet`;
export const REPLICA_SET_SPEC = `${APPS}.ReplicaSetSpec`;
export const REPLICA_SET_STATUS = `${APPS}.ReplicaSetStatus`;
export const DAEMON_SET = `${APPS}.DaemonSet`;
export const DAEMON_SET_SPEC = `${APPS}.DaemonSetSpec`;
export const DAEMON_SET_UPDATE_STRATEGY = `${APPS}.DaemonSetUpdateStrategy`;
export const DAEMON_SET_STATUS = `${APPS}.DaemonSetStatus`;
export const STATEFUL_SET = `${APPS}.StatefulSet`;
export const STATEFUL_SET_SPEC = `${APPS}.StatefulSetSpec`;
export const STATEFUL_SET_STATUS = `${APPS}.StatefulSetStatus`;
export const CONTROLLER_REVISION = `${APPS}.ControllerRevision`;

const nonNegative = { minimum: 0 };

const selectorField = (immutable: boolean): Schema =>
  s.ref(LABEL_SELECTOR, 'Label query over the pods this controller manages; must match the pod template labels.', immutable ? { immutable: true } : undefined);
const templateField = (what: string): Schema => s.ref(POD_TEMPLATE_SPEC, `Template of the pods ${what} creates.`);

export const appsSchemas: Record<string, Schema> = {
  // --- Deployment
  [DEPLOYMENT]: kindSchema(GROUP, VERSION, 'Deployment', 'Declarative updates for a replicated set of pods, rolled out through ReplicaSets.', {
    spec: s.ref(DEPLOYMENT_SPEC, 'Desired behavior of the Deployment.'),
    status: s.ref(DEPLOYMENT_STATUS, 'Most recently observed state of the Deployment.'),
  }),
  [`${APPS}.DeploymentList`]: listSchema(GROUP, VERSION, 'Deployment', DEPLOYMENT),
  [DEPLOYMENT_SPEC]: s.object(
    {
      replicas: s.int32('Number of desired pods.', { default: 1, ...nonNegative }),
      selector: selectorField(true),
      template: templateField('the Deployment'),
      strategy: s.ref(DEPLOYMENT_STRATEGY, 'How old pods are replaced by new ones.', { strategy: 'retainKeys', default: {} }),
      minReadySeconds: s.int32('Seconds a new pod must be ready, without crashing, to count as available.', nonNegative),
      revisionHistoryLimit: s.int32('How many old ReplicaSets are kept to allow rollback.', { default: 10, ...nonNegative }),
      paused: s.boolean('When true, changes to the template do not trigger a rollout.'),
      progressDeadlineSeconds: s.int32('Seconds a rollout may go without progress before it is reported as failed.', { default: 600, ...nonNegative }),
    },
    'Desired state of a Deployment.',
    { required: ['selector'] },
  ),
  [DEPLOYMENT_STRATEGY]: s.object(
    {
      type: s.enumOf(['Recreate', 'RollingUpdate'], 'Recreate replaces all pods at once; RollingUpdate replaces them gradually.', { default: 'RollingUpdate' }),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDeployment`, 'Rolling update parameters; only with type RollingUpdate.'),
    },
    'How a Deployment replaces its pods.',
  ),
  [`${APPS}.RollingUpdateDeployment`]: s.object(
    {
      maxUnavailable: s.intOrString('Pods (number or percent of desired) that may be unavailable during the update.'),
      maxSurge: s.intOrString('Pods (number or percent of desired) that may be created above the desired count during the update.'),
    },
    'Limits that pace a Deployment rolling update.',
  ),
  [DEPLOYMENT_STATUS]: s.object(
    {
      observedGeneration: s.int64('Generation the controller last acted on.', nonNegative),
      replicas: s.int32('Pods targeted by this Deployment (their labels match the selector).', nonNegative),
      updatedReplicas: s.int32('Pods that run the current template.', nonNegative),
      readyReplicas: s.int32('Pods with a Ready condition.', nonNegative),
      availableReplicas: s.int32('Pods ready for at least minReadySeconds.', nonNegative),
      unavailableReplicas: s.int32('Pods still needed to reach full availability.', nonNegative),
      conditions: conditionsArray(`${APPS}.DeploymentCondition`, 'Latest observations of the Deployment state.'),
      collisionCount: s.int32('Hash-collision counter used to name new ReplicaSets.', nonNegative),
    },
    'Observed state of a Deployment.',
  ),
  [`${APPS}.DeploymentCondition`]: conditionSchema('A condition of a Deployment (Available, Progressing, ReplicaFailure).', {
    lastUpdateTime: s.time('When this condition was last updated.'),
  }),

  // --- ReplicaSet
  [REPLICA_SET]: kindSchema(GROUP, VERSION, 'ReplicaSet', 'Keeps a stable number of identical pods running.', {
    spec: s.ref(REPLICA_SET_SPEC, 'Desired behavior of the ReplicaSet.'),
    status: s.ref(REPLICA_SET_STATUS, 'Most recently observed state of the ReplicaSet.'),
  }),
  [`${APPS}.ReplicaSetList`]: listSchema(GROUP, VERSION, 'ReplicaSet', REPLICA_SET),
  [REPLICA_SET_SPEC]: s.object(
    {
      replicas: s.int32('Number of desired pods.', { default: 1, ...nonNegative }),
      minReadySeconds: s.int32('Seconds a new pod must be ready, without crashing, to count as available.', nonNegative),
      selector: selectorField(true),
      template: templateField('the ReplicaSet'),
    },
    'Desired state of a ReplicaSet.',
    { required: ['selector'] },
  ),
  [REPLICA_SET_STATUS]: s.object(
    {
      replicas: s.int32('Most recently observed number of pods.', nonNegative),
      fullyLabeledReplicas: s.int32('Pods whose labels match the template labels.', nonNegative),
      readyReplicas: s.int32('Pods with a Ready condition.', nonNegative),
      availableReplicas: s.int32('Pods ready for at least minReadySeconds.', nonNegative),
      observedGeneration: s.int64('Generation the controller last acted on.', nonNegative),
      conditions: conditionsArray(`${APPS}.ReplicaSetCondition`, 'Latest observations of the ReplicaSet state.'),
    },
    'Observed state of a ReplicaSet.',
  ),
  [`${APPS}.ReplicaSetCondition`]: conditionSchema('A condition of a ReplicaSet (ReplicaFailure).'),

  // --- DaemonSet
  [DAEMON_SET]: kindSchema(GROUP, VERSION, 'DaemonSet', 'Runs one copy of a pod on each eligible node.', {
    spec: s.ref(DAEMON_SET_SPEC, 'Desired behavior of the DaemonSet.'),
    status: s.ref(DAEMON_SET_STATUS, 'Most recently observed state of the DaemonSet.'),
  }),
  [`${APPS}.DaemonSetList`]: listSchema(GROUP, VERSION, 'DaemonSet', DAEMON_SET),
  [DAEMON_SET_SPEC]: s.object(
    {
      selector: selectorField(true),
      template: templateField('the DaemonSet'),
      updateStrategy: s.ref(DAEMON_SET_UPDATE_STRATEGY, 'How pods are replaced when the template changes.', { default: {} }),
      minReadySeconds: s.int32('Seconds a new pod must be ready, without crashing, to count as available.', nonNegative),
      revisionHistoryLimit: s.int32('How many old revisions are kept to allow rollback.', { default: 10, ...nonNegative }),
    },
    'Desired state of a DaemonSet.',
  ),
  [DAEMON_SET_UPDATE_STRATEGY]: s.object(
    {
      type: s.enumOf(['RollingUpdate', 'OnDelete'], 'RollingUpdate replaces pods gradually; OnDelete only when they are deleted.', { default: 'RollingUpdate' }),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDaemonSet`, 'Rolling update parameters; only with type RollingUpdate.'),
    },
    'How a DaemonSet replaces its pods.',
  ),
  [`${APPS}.RollingUpdateDaemonSet`]: s.object(
    {
      maxUnavailable: s.intOrString('Nodes (number or percent) whose pod may be unavailable during the update.'),
      maxSurge: s.intOrString('Nodes (number or percent) that may run an extra updated pod during the update.'),
    },
    'Limits that pace a DaemonSet rolling update.',
  ),
  [DAEMON_SET_STATUS]: s.object(
    {
      currentNumberScheduled: s.int32('Nodes running at least one daemon pod that should run it.', nonNegative),
      numberMisscheduled: s.int32('Nodes running the daemon pod that should not.', nonNegative),
      desiredNumberScheduled: s.int32('Nodes that should run the daemon pod.', nonNegative),
      numberReady: s.int32('Nodes whose daemon pod is ready.', nonNegative),
      observedGeneration: s.int64('Generation the controller last acted on.', nonNegative),
      updatedNumberScheduled: s.int32('Nodes running the updated daemon pod.', nonNegative),
      numberAvailable: s.int32('Nodes whose daemon pod is available.', nonNegative),
      numberUnavailable: s.int32('Nodes that should run an available daemon pod but do not.', nonNegative),
      collisionCount: s.int32('Hash-collision counter used to name new ControllerRevisions.', nonNegative),
      conditions: conditionsArray(`${APPS}.DaemonSetCondition`, 'Latest observations of the DaemonSet state.'),
    },
    'Observed state of a DaemonSet.',
  ),
  [`${APPS}.DaemonSetCondition`]: conditionSchema('A condition of a DaemonSet.'),

  // --- StatefulSet
  [STATEFUL_SET]: kindSchema(GROUP, VERSION, 'StatefulSet', 'Pods with stable identities and storage, created and updated in order.', {
    spec: s.ref(STATEFUL_SET_SPEC, 'Desired behavior of the StatefulSet.'),
    status: s.ref(STATEFUL_SET_STATUS, 'Most recently observed state of the StatefulSet.'),
  }),
  [`${APPS}.StatefulSetList`]: listSchema(GROUP, VERSION, 'StatefulSet', STATEFUL_SET),
  [STATEFUL_SET_SPEC]: s.object(
    {
      replicas: s.int32('Number of desired pods.', { default: 1, ...nonNegative }),
      selector: selectorField(false),
      template: templateField('the StatefulSet'),
      volumeClaimTemplates: s.array(s.ref(PVC), 'Claims each pod gets its own copy of, mounted by name in the template.', { listType: 'atomic' }),
      serviceName: s.string('Headless Service that gives the pods their network identity.'),
      podManagementPolicy: s.enumOf(['OrderedReady', 'Parallel'], 'OrderedReady starts and stops pods one at a time in order; Parallel does not wait.', {
        default: 'OrderedReady',
      }),
      updateStrategy: s.ref(`${APPS}.StatefulSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
      revisionHistoryLimit: s.int32('How many old revisions are kept.', { default: 10, ...nonNegative }),
      minReadySeconds: s.int32('Seconds a new pod must be ready, without crashing, to count as available.', nonNegative),
      persistentVolumeClaimRetentionPolicy: s.ref(
        `${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
        'What happens to the claims from volumeClaimTemplates when the set is deleted or scaled down.',
        { default: {} },
      ),
      ordinals: s.ref(`${APPS}.StatefulSetOrdinals`, 'Numbering of the pods.'),
    },
    'Desired state of a StatefulSet.',
    { required: ['selector'] },
  ),
  [`${APPS}.StatefulSetUpdateStrategy`]: s.object(
    {
      type: s.enumOf(['RollingUpdate', 'OnDelete'], 'RollingUpdate replaces pods in reverse ordinal order; OnDelete only when they are deleted.'),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateStatefulSetStrategy`, 'Rolling update parameters; only with type RollingUpdate.'),
    },
    'How a StatefulSet replaces its pods.',
  ),
  [`${APPS}.RollingUpdateStatefulSetStrategy`]: s.object(
    {
      partition: s.int32('Only pods with an ordinal at or above this number are updated.', nonNegative),
      maxUnavailable: s.intOrString('Pods (number or percent) that may be unavailable during the update (alpha feature).'),
    },
    'Parameters of a StatefulSet rolling update.',
  ),
  [`${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`]: s.object(
    {
      whenDeleted: s.enumOf(['Retain', 'Delete'], 'What happens to the claims when the StatefulSet is deleted.', { default: 'Retain' }),
      whenScaled: s.enumOf(['Retain', 'Delete'], 'What happens to the claims of pods removed by a scale-down.', { default: 'Retain' }),
    },
    'Lifecycle of the claims created from volumeClaimTemplates.',
  ),
  [`${APPS}.StatefulSetOrdinals`]: s.object(
    {
      start: s.int32('Number of the first replica.', nonNegative),
    },
    'How the pods of a StatefulSet are numbered.',
  ),
  [STATEFUL_SET_STATUS]: s.object(
    {
      observedGeneration: s.int64('Generation the controller last acted on.', nonNegative),
      replicas: s.int32('Pods created by the controller.', nonNegative),
      readyReplicas: s.int32('Pods with a Ready condition.', nonNegative),
      currentReplicas: s.int32('Pods created from the currentRevision.', nonNegative),
      updatedReplicas: s.int32('Pods created from the updateRevision.', nonNegative),
      currentRevision: s.string('Revision that produced the pods 0..currentReplicas-1.'),
      updateRevision: s.string('Revision that produces the pods being updated.'),
      collisionCount: s.int32('Hash-collision counter used to name new ControllerRevisions.', nonNegative),
      conditions: conditionsArray(`${APPS}.StatefulSetCondition`, 'Latest observations of the StatefulSet state.'),
      availableReplicas: s.int32('Pods ready for at least minReadySeconds.', nonNegative),
    },
    'Observed state of a StatefulSet.',
  ),
  [`${APPS}.StatefulSetCondition`]: conditionSchema('A condition of a StatefulSet.'),

  // --- ControllerRevision
  [CONTROLLER_REVISION]: kindSchema(
    GROUP,
    VERSION,
    'ControllerRevision',
    'An immutable snapshot of state data that controllers use to roll back and forward.',
    {
      // Data may not change once written (ValidateControllerRevisionUpdate).
      data: { ...s.any('The serialized state (any JSON object).'), 'x-k8ts-immutable': true },
      revision: s.int64('Revision number of the state in data.', nonNegative),
    },
    ['revision'],
  ),
  [`${APPS}.ControllerRevisionList`]: listSchema(GROUP, VERSION, 'ControllerRevision', CONTROLLER_REVISION),
};
