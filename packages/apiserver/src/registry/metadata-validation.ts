// ObjectMeta validation (apimachinery's ValidateObjectMeta): name or generateName, the kind's name rule, namespace
// presence, labels, annotations, owner references and finalizers.
import {
  fieldErrors,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isJsonObject,
  isPathSegmentName,
  validateAnnotations,
  validateFinalizers,
  validateLabels,
  validateOwnerReferences,
  type FieldError,
  type JsonObject,
  type KindDefinition,
  type NameRule,
} from '@k8ts/api-machinery';

const NAME_RULES: Record<NameRule, (v: string) => string[]> = {
  'dns1123-subdomain': isDNS1123Subdomain,
  'dns1123-label': isDNS1123Label,
  'dns1035-label': isDNS1035Label,
  'path-segment-name': isPathSegmentName,
};

export function validateMetadata(kind: KindDefinition, obj: JsonObject, old: JsonObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  const rule = NAME_RULES[kind.nameRule ?? 'dns1123-subdomain'];
  const name = meta.name;
  if (typeof name !== 'string' || name === '') {
    errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of rule(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));
  }
  if (typeof meta.generateName === 'string' && meta.generateName !== '' && (typeof name !== 'string' || name === '')) {
    // generateName is checked as a name prefix: validate it with a placeholder suffix like Kubernetes' maskTrailingDash.
    const masked = meta.generateName.endsWith('-') ? `${meta.generateName.slice(0, -1)}a` : meta.generateName;
    for (const msg of rule(masked)) errs.push(fieldErrors.invalid('metadata.generateName', meta.generateName, msg));
  }
  if (kind.namespaced) {
    if (typeof meta.namespace !== 'string' || meta.namespace === '') errs.push(fieldErrors.required('metadata.namespace'));
  } else if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    errs.push(fieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers', { allowDuplicates: true }));
  if (old) {
    const oldMeta = isJsonObject(old.metadata) ? old.metadata : {};
    if (oldMeta.deletionTimestamp !== undefined && Array.isArray(meta.finalizers)) {
      const oldF = Array.isArray(oldMeta.finalizers) ? oldMeta.finalizers : [];
      for (const f of meta.finalizers) {
        if (!oldF.includes(f)) errs.push(fieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${JSON.stringify(f)}}`));
      }
    }
  }
  return errs;
}
