// One schema per type: an OpenAPI v3 (structural) schema object, written once with the builders below. The same
// object drives request decoding (types, unknown fields), defaulting (`default`), validation (required, enum, limits,
// named formats), strategic-merge-patch metadata (x-kubernetes-patch-*), the published OpenAPI v3 documents and
// therefore `kubectl explain`. Component schemas are named like Kubernetes' (`io.k8s.api.core.v1.Pod`) and referenced
// with `$ref: '#/components/schemas/<name>'`.
import type { JsonValue } from '../json.js';

/** Named k8ts validations, implemented in validation/formats.ts, carried in `x-k8ts-validate`. */
export type FormatName =
  | 'dns1123-subdomain' // lowercase RFC 1123 subdomain, ≤253
  | 'dns1123-label' // lowercase RFC 1123 label, ≤63
  | 'dns1035-label' // lowercase RFC 1035 label, ≤63 (Service names)
  | 'qualified-name' // label/annotation key: [prefix/]name
  | 'label-value' // ≤63, alphanumeric start/end, -_. inside, may be empty
  | 'env-var-name' // printable ASCII except '=' (Kubernetes 1.32 relaxed rule)
  | 'config-map-key' // [-._a-zA-Z0-9]+, ≤253, not "." or ".."
  | 'port-number' // 1..65535
  | 'port-name' // IANA_SVC_NAME: ≤15, lowercase alnum and '-', at least one letter
  | 'quantity' // resource.Quantity syntax
  | 'non-negative-quantity'
  | 'ip' // IPv4 or IPv6 address
  | 'cidr'
  | 'absolute-path'
  | 'relative-path' // no leading '/', no '..' element (subPath, configMap item paths)
  | 'path-segment-name' // RBAC-style names: not '.' or '..', no '/' or '%'
  | 'non-negative'; // integer ≥ 0

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  type?: SchemaType;
  /** OpenAPI formats: int32, int64, double, date-time, byte, int-or-string. */
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: JsonValue[];
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  /** `{allOf:[{$ref}], description}` is how a described reference is written (as Kubernetes publishes it). */
  allOf?: Schema[];
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-embedded-resource'?: true;
  'x-kubernetes-patch-merge-key'?: string;
  /** 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys' */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  /** k8ts: named validations applied to the value (see FormatName). */
  'x-k8ts-validate'?: FormatName[];
  /** k8ts: the field may not change on update ("field is immutable"). */
  'x-k8ts-immutable'?: true;
  /** k8ts: Go decodes this as a quantity string (resource.Quantity); numbers are accepted and turned into strings. */
  'x-k8ts-quantity'?: true;
}

export const REF_PREFIX = '#/components/schemas/';

/** Options shared by every builder. */
export interface FieldOptions {
  default?: JsonValue;
  validate?: FormatName[];
  immutable?: boolean;
  enum?: JsonValue[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

function withOptions(s: Schema, description: string | undefined, o: FieldOptions | undefined): Schema {
  if (description) s.description = description;
  if (!o) return s;
  if (o.default !== undefined) s.default = o.default;
  if (o.validate?.length) s['x-k8ts-validate'] = o.validate;
  if (o.immutable) s['x-k8ts-immutable'] = true;
  if (o.enum) s.enum = o.enum;
  if (o.minimum !== undefined) s.minimum = o.minimum;
  if (o.maximum !== undefined) s.maximum = o.maximum;
  if (o.minLength !== undefined) s.minLength = o.minLength;
  if (o.maxLength !== undefined) s.maxLength = o.maxLength;
  if (o.pattern !== undefined) s.pattern = o.pattern;
  if (o.minItems !== undefined) s.minItems = o.minItems;
  if (o.maxItems !== undefined) s.maxItems = o.maxItems;
  if (o.nullable) s.nullable = true;
  return s;
}

export interface ArrayOptions extends FieldOptions {
  /** Strategic-merge-patch merge key (patchMergeKey), e.g. 'name' for containers. */
  mergeKey?: string;
  /** Strategic-merge-patch strategy (patchStrategy), e.g. 'merge' or 'merge,retainKeys'. */
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

export interface ObjectOptions extends FieldOptions {
  required?: string[];
  /** patchStrategy on an object field, e.g. 'retainKeys' (Deployment strategy) or 'replace'. */
  strategy?: string;
  mapType?: 'atomic' | 'granular';
}

export const s = {
  string: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'string' }, description, o),
  /** A string restricted to `values`; an unknown value is a 422 "Unsupported value" naming the allowed ones. */
  enumOf: (values: string[], description?: string, o?: FieldOptions): Schema => withOptions({ type: 'string', enum: values }, description, o),
  int32: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'integer', format: 'int32' }, description, o),
  int64: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'integer', format: 'int64' }, description, o),
  number: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'number', format: 'double' }, description, o),
  boolean: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'boolean' }, description, o),
  /** RFC 3339 timestamp (metav1.Time). */
  time: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'string', format: 'date-time' }, description, o),
  /** base64-encoded bytes ([]byte), e.g. Secret.data values. */
  bytes: (description?: string, o?: FieldOptions): Schema => withOptions({ type: 'string', format: 'byte' }, description, o),
  /** resource.Quantity: a string such as "100m" or "1Gi" (a JSON number is accepted too). */
  quantity: (description?: string, o?: FieldOptions): Schema =>
    withOptions({ type: 'string', 'x-k8ts-quantity': true, 'x-k8ts-validate': ['quantity'] }, description, o),
  /** intstr.IntOrString: a number or a string such as "25%" or a port name. */
  intOrString: (description?: string, o?: FieldOptions): Schema =>
    withOptions({ format: 'int-or-string', 'x-kubernetes-int-or-string': true }, description, o),
  array: (items: Schema, description?: string, o?: ArrayOptions): Schema => {
    const r = withOptions({ type: 'array', items }, description, o);
    if (o?.mergeKey) r['x-kubernetes-patch-merge-key'] = o.mergeKey;
    if (o?.strategy) r['x-kubernetes-patch-strategy'] = o.strategy;
    if (o?.listType) r['x-kubernetes-list-type'] = o.listType;
    if (o?.listMapKeys) r['x-kubernetes-list-map-keys'] = o.listMapKeys;
    return r;
  },
  /** map[string]T */
  map: (values: Schema, description?: string, o?: FieldOptions): Schema =>
    withOptions({ type: 'object', additionalProperties: values }, description, o),
  object: (properties: Record<string, Schema>, description?: string, o?: ObjectOptions): Schema => {
    const r = withOptions({ type: 'object', properties }, description, o);
    if (o?.required?.length) r.required = o.required;
    if (o?.strategy) r['x-kubernetes-patch-strategy'] = o.strategy;
    if (o?.mapType) r['x-kubernetes-map-type'] = o.mapType;
    return r;
  },
  /** A reference to a named component schema; with a description (or options) it is wrapped in allOf. */
  ref: (name: string, description?: string, o?: ObjectOptions): Schema => {
    const target: Schema = { $ref: REF_PREFIX + name };
    if (!description && !o) return target;
    const r = withOptions({ allOf: [target] }, description, o);
    if (o?.required?.length) r.required = o.required;
    if (o?.strategy) r['x-kubernetes-patch-strategy'] = o.strategy;
    return r;
  },
  /** Arbitrary JSON kept as sent (RawExtension, free-form fields). */
  any: (description?: string): Schema => withOptions({ 'x-kubernetes-preserve-unknown-fields': true }, description, undefined),
};

/** The component name a schema points at, if it is a (possibly described) reference. */
export function refName(schema: Schema): string | undefined {
  const r = schema.$ref ?? schema.allOf?.[0]?.$ref;
  return r?.startsWith(REF_PREFIX) ? r.slice(REF_PREFIX.length) : undefined;
}
