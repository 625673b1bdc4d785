// Label and field selector filtering for lists and watches. Field labels are those Kubernetes supports for the kind;
// any other is a 400, as on the real server.
import {
  isJsonObject,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
  type FieldSelector,
  type JsonObject,
  type KindDefinition,
  type LabelSelector,
} from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';

export interface ObjectFilter {
  matches(obj: JsonObject): boolean;
  /** When the field selector pins metadata.name, lists and watches can skip everything else. */
  exactName?: string | undefined;
  isEverything: boolean;
}

function metadataField(obj: JsonObject, f: string): string | undefined {
  const m = obj.metadata;
  if (!isJsonObject(m)) return undefined;
  const v = m[f];
  return typeof v === 'string' ? v : undefined;
}

export function fieldGetter(kind: KindDefinition, obj: JsonObject): (field: string) => string | undefined {
  return (field) => {
    if (field === 'metadata.name') return metadataField(obj, 'name') ?? '';
    if (field === 'metadata.namespace') return metadataField(obj, 'namespace') ?? '';
    const f = kind.fieldSelectors?.[field];
    return f ? (f(obj) ?? '') : undefined;
  };
}

export function buildFilter(kind: KindDefinition, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter {
  let labels: LabelSelector | undefined;
  let fields: FieldSelector | undefined;
  try {
    if (labelSelector) labels = parseLabelSelector(labelSelector);
    if (fieldSelector) fields = parseFieldSelector(fieldSelector);
  } catch (e) {
    if (e instanceof SelectorParseError) throw errors.badRequest(e.message);
    throw e;
  }
  if (fields) {
    for (const f of fields.fields()) {
      if (f !== 'metadata.name' && f !== 'metadata.namespace' && !kind.fieldSelectors?.[f]) {
        throw errors.badRequest(`field label not supported: ${f}`);
      }
    }
  }
  const labelsEmpty = !labels || labels.isEmpty();
  const fieldsEmpty = !fields || fields.requirements.length === 0;
  return {
    isEverything: labelsEmpty && fieldsEmpty,
    exactName: fields?.requiresExactMatch('metadata.name'),
    matches(obj) {
      if (labels && !labelsEmpty) {
        const m = obj.metadata;
        const l = isJsonObject(m) && isJsonObject(m.labels) ? (m.labels as Record<string, string>) : undefined;
        if (!labels.matches(l)) return false;
      }
      if (fields && !fieldsEmpty && !fields.matches(fieldGetter(kind, obj))) return false;
      return true;
    },
  };
}
