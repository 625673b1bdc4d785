// ObjectMeta rules of Kubernetes 1.32 (apimachinery's pkg/api/validation/objectmeta.go and metav1 validation) for
// labels, annotations, owner references and finalizers. Values of the wrong JSON type are skipped: type errors are
// reported by the schema engine. Like Kubernetes, label and annotation errors are reported on the map's own path
// (`metadata.labels`), and owner reference errors on `metadata.ownerReferences.<field>` without an index.
import { isJsonObject, type JsonValue } from '../json.js';
import { child, fieldErrors, index, type FieldError } from './field-error.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

/** Total bytes of all annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

function stringOf(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** A label key (or any qualified name) at `path`: one FieldValueInvalid per problem. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldErrors.invalid(path, name, msg));
}

export function validateLabels(labels: JsonValue | undefined, path: string): FieldError[] {
  if (!isJsonObject(labels)) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, path));
    if (typeof v === 'string') for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: JsonValue | undefined, path: string): FieldError[] {
  if (!isJsonObject(annotations)) return [];
  const errs: FieldError[] = [];
  let totalSize = 0;
  for (const [k, v] of Object.entries(annotations)) {
    // Annotation keys are qualified names except that case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, msg));
    totalSize += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(stringOf(v), 'utf8');
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldErrors.tooLong(path, undefined, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** schema.ParseGroupVersion, for the owner reference checks: [group, version], or undefined if malformed. */
function parseGroupVersion(apiVersion: string): [string, string] | undefined {
  if (apiVersion === '' || apiVersion === '/') return ['', ''];
  const parts = apiVersion.split('/');
  if (parts.length === 1) return ['', apiVersion];
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return undefined;
}

/** Kinds that may never own another object. */
const BANNED_OWNERS = new Set(['/v1, Kind=Event']);

function validateOwnerReference(ref: Record<string, JsonValue>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = stringOf(ref['apiVersion']);
  const kind = stringOf(ref['kind']);
  const name = stringOf(ref['name']);
  const uid = stringOf(ref['uid']);
  const [group, version] = parseGroupVersion(apiVersion) ?? ['', ''];
  if (version === '') errs.push(fieldErrors.invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
  if (kind === '') errs.push(fieldErrors.invalid(child(path, 'kind'), kind, 'kind must not be empty'));
  if (name === '') errs.push(fieldErrors.invalid(child(path, 'name'), name, 'name must not be empty'));
  if (uid === '') errs.push(fieldErrors.invalid(child(path, 'uid'), uid, 'uid must not be empty'));
  const gvk = `${group}/${version}, Kind=${kind}`;
  if (BANNED_OWNERS.has(gvk)) errs.push(fieldErrors.invalid(path, ref, `${gvk} is disallowed from being an owner`));
  return errs;
}

export function validateOwnerReferences(refs: JsonValue | undefined, path: string): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs) {
    if (!isJsonObject(ref)) continue;
    errs.push(...validateOwnerReference(ref, path));
    if (ref['controller'] !== true) continue;
    const controller = `${stringOf(ref['kind'])}/${stringOf(ref['name'])}`;
    if (firstController === '') {
      firstController = controller;
    } else {
      errs.push(
        fieldErrors.invalid(
          path,
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${controller}`,
        ),
      );
    }
  }
  return errs;
}

export interface FinalizerValidationOptions {
  /**
   * Kubernetes 1.32 accepts a repeated finalizer; k8ts refuses it by default (FieldValueDuplicate at the item's
   * index). Set to true for Kubernetes' exact behaviour.
   */
  allowDuplicates?: boolean;
}

export function validateFinalizers(finalizers: JsonValue | undefined, path: string, options: FinalizerValidationOptions = {}): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  finalizers.forEach((finalizer, i) => {
    if (typeof finalizer !== 'string') return;
    // Kubernetes reports name errors on the list's path, not the item's.
    errs.push(...validateLabelName(finalizer, path));
    if (seen.has(finalizer) && !options.allowDuplicates) errs.push(fieldErrors.duplicate(index(path, i), finalizer));
    seen.add(finalizer);
  });
  if (seen.has(FINALIZER_ORPHAN_DEPENDENTS) && seen.has(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      fieldErrors.invalid(path, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}
