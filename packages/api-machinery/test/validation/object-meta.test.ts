// ObjectMeta rules (labels, annotations, owner references, finalizers) with Kubernetes 1.32's paths and texts.
import t from 'tap';
import { aggregateFieldErrors, fieldErrorMessage } from '../../src/validation/field-error.js';
import {
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
  validateAnnotations,
  validateFinalizers,
  validateLabels,
  validateOwnerReferences,
} from '../../src/validation/object-meta.js';

const NAME_PART_DETAIL =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_DETAIL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const messages = (errs: Parameters<typeof aggregateFieldErrors>[0]): string[] => errs.map(fieldErrorMessage);

t.test('labels: keys are qualified names, values label values, reported on the map path', async (t) => {
  t.same(validateLabels({ app: 'web', 'example.com/tier': '', 'a.b/C_d': 'X.y-z_1' }, 'metadata.labels'), []);
  t.same(validateLabels(undefined, 'metadata.labels'), []);
  t.same(validateLabels(['not', 'a', 'map'], 'metadata.labels'), []);
  t.same(messages(validateLabels({ 'bad key': 'ok', good: 'bad value', 'Example.com/x': 'v' }, 'metadata.labels')), [
    `metadata.labels: Invalid value: "bad key": ${NAME_PART_DETAIL}`,
    `metadata.labels: Invalid value: "bad value": ${LABEL_VALUE_DETAIL}`,
    "metadata.labels: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  t.same(messages(validateLabels({ a: 'x'.repeat(64) }, 'metadata.labels')), [
    `metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
  ]);
});

t.test('annotations: keys checked lowercased, total size limited', async (t) => {
  t.same(validateAnnotations({ 'Example.com/Key': 'any value at all: {"json": true}' }, 'metadata.annotations'), []);
  t.same(messages(validateAnnotations({ 'bad key': 'v' }, 'metadata.annotations')), [`metadata.annotations: Invalid value: "bad key": ${NAME_PART_DETAIL}`]);
  t.equal(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES, 262144);
  const atLimit = { a: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1) };
  t.same(validateAnnotations(atLimit, 'metadata.annotations'), []);
  const over = { a: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) };
  const errs = validateAnnotations(over, 'metadata.annotations');
  t.same(messages(errs), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  t.equal(errs[0]!.type, 'FieldValueTooLong');
  // Sizes are UTF-8 bytes.
  t.equal(validateAnnotations({ a: 'é'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2) }, 'm').length, 1);
});

t.test('owner references: required fields, banned owners, a single controller', async (t) => {
  const ref = (kind: string, name: string, controller?: boolean) => ({ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, ...(controller === undefined ? {} : { controller }) });
  t.same(validateOwnerReferences([ref('ReplicaSet', 'a', true), ref('Deployment', 'b', false)], 'metadata.ownerReferences'), []);
  t.same(validateOwnerReferences(undefined, 'metadata.ownerReferences'), []);
  t.same(messages(validateOwnerReferences([{}], 'metadata.ownerReferences')), [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
  t.same(messages(validateOwnerReferences([{ apiVersion: 'a/b/c', kind: 'K', name: 'n', uid: 'u' }], 'm')), ['m.apiVersion: Invalid value: "a/b/c": version must not be empty']);
  t.same(messages(validateOwnerReferences([{ apiVersion: 'apps/', kind: 'K', name: 'n', uid: 'u' }], 'm')), ['m.apiVersion: Invalid value: "apps/": version must not be empty']);
  t.same(validateOwnerReferences([{ apiVersion: 'v1', kind: 'Pod', name: 'n', uid: 'u' }], 'm'), []);
  const banned = validateOwnerReferences([{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }], 'metadata.ownerReferences');
  t.equal(banned.length, 1);
  t.equal(banned[0]!.field, 'metadata.ownerReferences');
  t.equal(banned[0]!.detail, '/v1, Kind=Event is disallowed from being an owner');
  const refs = [ref('ReplicaSet', 'a', true), ref('Deployment', 'b', true), ref('StatefulSet', 'c', true)];
  const errs = validateOwnerReferences(refs, 'metadata.ownerReferences');
  t.same(
    errs.map((e) => [e.field, e.detail]),
    [
      ['metadata.ownerReferences', 'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and Deployment/b'],
      ['metadata.ownerReferences', 'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and StatefulSet/c'],
    ],
  );
  t.same(errs[0]!.badValue, refs);
});

t.test('finalizers: qualified names, no duplicates, no orphan with foregroundDeletion', async (t) => {
  t.same(validateFinalizers(['kubernetes.io/pv-protection', 'foregroundDeletion', 'custom'], 'metadata.finalizers'), []);
  t.same(validateFinalizers(undefined, 'metadata.finalizers'), []);
  t.same(messages(validateFinalizers(['a/b/c'], 'metadata.finalizers')), [
    "metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  t.same(messages(validateFinalizers(['x/y', 'z', 'x/y'], 'metadata.finalizers')), ['metadata.finalizers[2]: Duplicate value: "x/y"']);
  t.same(validateFinalizers(['x/y', 'x/y'], 'metadata.finalizers', { allowDuplicates: true }), []);
  const both = validateFinalizers(['orphan', 'foregroundDeletion'], 'metadata.finalizers');
  t.same(
    both.map((e) => [e.field, e.detail, e.badValue]),
    [['metadata.finalizers', 'finalizer orphan and foregroundDeletion cannot be both set', ['orphan', 'foregroundDeletion']]],
  );
});
