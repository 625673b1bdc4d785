// meta/v1: the metadata every object carries, and the shapes the API itself returns (Status, lists, options).
import { s, type Schema } from '../../schema/schema.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const LABEL_SELECTOR = `${META}.LabelSelector`;
export const CONDITION = `${META}.Condition`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;

export const metaSchemas: Record<string, Schema> = {
  [OBJECT_META]: s.object(
    {
      name: s.string('Unique name of the object within its namespace (or the cluster, for cluster-scoped kinds). Cannot be changed.'),
      generateName: s.string('Prefix for a server-generated name, used when name is empty: the server appends 5 random characters.'),
      namespace: s.string('Namespace the object lives in; empty for cluster-scoped objects. Cannot be changed.'),
      uid: s.string('Unique id the server gives the object when it is created; never reused.', { immutable: true }),
      resourceVersion: s.string(
        'Opaque version of the object (the store revision of its last change). Sent back on update for optimistic concurrency.',
      ),
      generation: s.int64('Sequence number of changes to the desired state, set by the server.'),
      creationTimestamp: s.time('When the server created the object (RFC 3339, UTC).'),
      deletionTimestamp: s.time('When the object will be removed; set by the server once deletion was requested.'),
      deletionGracePeriodSeconds: s.int64('Seconds the object has to terminate gracefully once deletionTimestamp is set.'),
      labels: s.map(s.string(), 'Key/value pairs used to organize and select objects (label selectors).'),
      annotations: s.map(s.string(), 'Key/value pairs for tools and controllers; not used for selection.'),
      ownerReferences: s.array(s.ref(`${META}.OwnerReference`), 'Objects this one depends on; the garbage collector deletes it when they are gone.', {
        mergeKey: 'uid',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['uid'],
      }),
      finalizers: s.array(s.string(undefined, { validate: ['qualified-name'] }), 'Names that must be removed before the object is deleted from storage.', {
        strategy: 'merge',
        listType: 'set',
      }),
      managedFields: s.array(s.ref(`${META}.ManagedFieldsEntry`), 'Which field manager set which fields; maintained by the server.'),
      selfLink: s.string('Deprecated and always empty.'),
    },
    'Metadata every persisted object has: name, namespace, labels, annotations, owners and the versions the server keeps.',
  ),
  [`${META}.OwnerReference`]: s.object(
    {
      apiVersion: s.string('API version of the owner.'),
      kind: s.string('Kind of the owner.'),
      name: s.string('Name of the owner.'),
      uid: s.string('UID of the owner.'),
      controller: s.boolean('True if the owner is the managing controller; at most one owner may be.'),
      blockOwnerDeletion: s.boolean('With foreground deletion, the owner is not removed until this object is gone.'),
    },
    'Identifies an object that owns this one.',
    { required: ['apiVersion', 'kind', 'name', 'uid'], mapType: 'atomic' },
  ),
  [`${META}.ManagedFieldsEntry`]: s.object(
    {
      manager: s.string('Name of the workflow that manages these fields.'),
      operation: s.string('Apply or Update.'),
      apiVersion: s.string('Version of the fields set.'),
      time: s.time('When the fields were last changed.'),
      fieldsType: s.string('Format of fieldsV1; always FieldsV1.'),
      fieldsV1: s.any('The set of managed fields.'),
      subresource: s.string('Subresource the fields were set through, if any.'),
    },
    'A field manager and the fields it owns.',
  ),
  [LIST_META]: s.object(
    {
      resourceVersion: s.string('Store revision the list was read at; watch from it to see every later change.'),
      continue: s.string('Opaque token to fetch the next page; empty when there are no more items.'),
      remainingItemCount: s.int64('How many items follow this page (an estimate when selectors are used).'),
      selfLink: s.string('Deprecated and always empty.'),
    },
    'Metadata of a list response.',
  ),
  [LABEL_SELECTOR]: s.object(
    {
      matchLabels: s.map(s.string(), 'Labels that must be present with exactly these values.'),
      matchExpressions: s.array(s.ref(`${META}.LabelSelectorRequirement`), 'Set-based requirements; all must hold.'),
    },
    'Selects objects by labels: matchLabels and matchExpressions are ANDed; an empty selector matches everything.',
    { mapType: 'atomic' },
  ),
  [`${META}.LabelSelectorRequirement`]: s.object(
    {
      key: s.string('Label key the requirement applies to.', { validate: ['qualified-name'] }),
      operator: s.enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist'], 'How the key relates to the values.'),
      values: s.array(s.string(), 'Values for In/NotIn; must be empty for Exists/DoesNotExist.'),
    },
    'One set-based selector requirement.',
    { required: ['key', 'operator'] },
  ),
  [CONDITION]: s.object(
    {
      type: s.string('Condition type in CamelCase, e.g. Available.'),
      status: s.enumOf(['True', 'False', 'Unknown'], 'Whether the condition holds.'),
      observedGeneration: s.int64('metadata.generation the condition was computed from.'),
      lastTransitionTime: s.time('When status last changed.'),
      reason: s.string('Machine-readable CamelCase reason for the last transition.'),
      message: s.string('Human-readable details.'),
    },
    'A standard condition of an object.',
    { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
  ),
  [`${META}.Preconditions`]: s.object(
    {
      uid: s.string('The object must have this UID.'),
      resourceVersion: s.string('The object must be at this resourceVersion.'),
    },
    'Conditions that must hold before an operation is carried out.',
  ),
  [DELETE_OPTIONS]: s.object(
    {
      kind: s.string('DeleteOptions'),
      apiVersion: s.string('v1 (or any group version)'),
      gracePeriodSeconds: s.int64('Seconds before the object is removed; 0 deletes at once. Defaults to the kind\'s own period.'),
      preconditions: s.ref(`${META}.Preconditions`, 'Must hold or the deletion fails with a Conflict.'),
      orphanDependents: s.boolean('Deprecated: use propagationPolicy=Orphan.'),
      propagationPolicy: s.enumOf(['Orphan', 'Background', 'Foreground'], 'What happens to dependents: orphaned, deleted in the background, or deleted first.'),
      dryRun: s.array(s.enumOf(['All']), 'All: validate and answer, but persist nothing.'),
    },
    'Options for a delete request.',
  ),
  [`${META}.Status`]: s.object(
    {
      kind: s.string('Status'),
      apiVersion: s.string('v1'),
      metadata: s.ref(LIST_META),
      status: s.string('Success or Failure.'),
      message: s.string('Human-readable description.'),
      reason: s.string('Machine-readable reason, e.g. NotFound.'),
      details: s.ref(`${META}.StatusDetails`),
      code: s.int32('HTTP status code.'),
    },
    'Result of an operation that does not return an object, and every error.',
  ),
  [`${META}.StatusDetails`]: s.object(
    {
      name: s.string('Name of the object concerned.'),
      group: s.string('API group of the object.'),
      kind: s.string('Kind (or resource) of the object.'),
      uid: s.string('UID of the object.'),
      causes: s.array(s.ref(`${META}.StatusCause`), 'Individual causes, e.g. one per invalid field.'),
      retryAfterSeconds: s.int32('Seconds to wait before retrying.'),
    },
    'Details of a Status.',
  ),
  [`${META}.StatusCause`]: s.object(
    {
      reason: s.string('Machine-readable cause, e.g. FieldValueRequired.'),
      message: s.string('Human-readable description.'),
      field: s.string('Path of the field at fault, e.g. spec.containers[0].name.'),
    },
    'One cause of a failure.',
  ),
};
