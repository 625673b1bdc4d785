// core/v1 Namespace: the cluster-scoped container every namespaced object lives in.
import type { JsonObject } from '../../json.js';
import type { Defaulter, KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isQualifiedName } from './checks.js';
import { objAt, strAt, strItems } from './json-access.js';
import { CONDITION_STATUS_DESC, core, kindSchema, VERBS_NO_DELETECOLLECTION } from './kind-schema.js';

const NAMESPACE = core('Namespace');
const SPEC = core('NamespaceSpec');

export const namespaceSchemas: Record<string, Schema> = {
  [NAMESPACE]: kindSchema({ group: '', version: 'v1', kind: 'Namespace' }, 'A scope for names: most objects live in exactly one namespace.', {
    // Go always serializes the spec struct, and the finalizer default must land even when spec is omitted.
    spec: s.ref(SPEC, 'What the namespace should look like (its finalizers).', { default: {} }),
    status: s.ref(core('NamespaceStatus'), 'Observed lifecycle phase and conditions of the namespace.'),
  }),
  [SPEC]: s.object(
    {
      finalizers: s.array(s.string(), 'Finalizers that must be cleared (through the finalize subresource) before the namespace is removed.', {
        listType: 'atomic',
        default: ['kubernetes'],
      }),
    },
    'Desired state of a namespace.',
  ),
  [core('NamespaceStatus')]: s.object(
    {
      phase: s.enumOf(['Active', 'Terminating'], 'Lifecycle phase: Active, or Terminating once deletion started.'),
      conditions: s.array(s.ref(core('NamespaceCondition')), 'Latest observations of the namespace state, such as deletion failures.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
    },
    'Observed state of a namespace.',
  ),
  [core('NamespaceCondition')]: s.object(
    {
      type: s.string('Condition type, e.g. NamespaceDeletionContentFailure or NamespaceContentRemaining.'),
      status: s.string(`Whether the condition holds: ${CONDITION_STATUS_DESC}`),
      lastTransitionTime: s.time('When the condition last changed status.'),
      reason: s.string('Machine-readable CamelCase reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    'One observation about a namespace.',
  ),
};

const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

export const namespaceDefaulters: Record<string, Defaulter> = {
  // Every named namespace carries its own name as an immutable-by-convention label (for namespace selectors).
  [NAMESPACE]: (ns: JsonObject) => {
    const meta = objAt(ns, 'metadata');
    const name = strAt(meta, 'name');
    if (!meta || !name) return;
    const labels = objAt(meta, 'labels') ?? {};
    labels[LABEL_METADATA_NAME] = name;
    meta.labels = labels;
  },
};

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Finalizer names: qualified names, and unprefixed ones must be standard (validateFinalizerName). */
export function validateFinalizerName(value: string, field: string): FieldError[] {
  const errs = invalidEach(field, value, isQualifiedName(value));
  if (!value.includes('/') && !STANDARD_FINALIZERS.has(value))
    errs.push(fieldErrors.invalid(field, value, 'name is neither a standard finalizer name nor is it fully qualified'));
  return errs;
}

export const namespaceValidators: Record<string, Validator> = {
  // Checked on create only (updates keep the stored finalizers); Kubernetes reports them without an index.
  [SPEC]: (spec, path, ctx) =>
    ctx.operation === 'create' ? strItems(spec, 'finalizers').flatMap(([, f]) => validateFinalizerName(f, child(path, 'finalizers'))) : [],
};

export const namespaceKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  schema: NAMESPACE,
  verbs: VERBS_NO_DELETECOLLECTION,
  nameRule: 'dns1123-label',
  statusSubresource: true,
  fieldSelectors: { 'status.phase': (o) => strAt(objAt(o, 'status'), 'phase') ?? '' },
};
