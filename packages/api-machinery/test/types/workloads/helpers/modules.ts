// Test helpers for the workload and cluster-group modules: reference checks, a registry with stand-ins for the
// core/v1 components they reference, and shorthand for reading field errors.
import type { JsonObject } from '../../../../src/json.js';
import type { KindDefinition, SchemaModule, ValidationContext } from '../../../../src/schema/module.js';
import { SchemaRegistry } from '../../../../src/schema/registry.js';
import { refName, s, type Schema } from '../../../../src/schema/schema.js';
import { fieldErrorMessage, type FieldError } from '../../../../src/validation/field-error.js';
import { metaSchemas, OBJECT_META } from '../../../../src/types/meta-v1/schemas.js';

/** core/v1 components other modules provide and these modules may reference by name. */
export const CORE_REFS = [
  'PodTemplateSpec',
  'PodSpec',
  'ObjectReference',
  'LocalObjectReference',
  'TypedLocalObjectReference',
  'PersistentVolumeClaim',
  'PersistentVolumeClaimTemplate',
].map((n) => `io.k8s.api.core.v1.${n}`);

function refsOf(schema: Schema, out: Set<string>): Set<string> {
  const name = refName(schema);
  if (name) out.add(name);
  for (const sub of [...Object.values(schema.properties ?? {}), ...(schema.allOf ?? [])]) refsOf(sub, out);
  if (schema.items) refsOf(schema.items, out);
  if (typeof schema.additionalProperties === 'object') refsOf(schema.additionalProperties, out);
  return out;
}

/** `component -> ref` for every reference that names no known component. */
export function danglingRefs(modules: SchemaModule[]): string[] {
  const known = new Set([...modules.flatMap((m) => Object.keys(m.schemas)), ...Object.keys(metaSchemas), ...CORE_REFS]);
  const out: string[] = [];
  for (const m of modules) {
    for (const [name, schema] of Object.entries(m.schemas)) for (const ref of refsOf(schema, new Set())) if (!known.has(ref)) out.push(`${name} -> ${ref}`);
  }
  return out;
}

/** Hooks registered for names that are not components of the module. */
export function strayHooks(m: SchemaModule): string[] {
  return [...Object.keys(m.defaulters ?? {}), ...Object.keys(m.validators ?? {})].filter((n) => !m.schemas[n]);
}

/** Kind definitions whose schema lacks apiVersion/kind/metadata or the matching GVK extension. */
export function malformedKinds(m: SchemaModule, kinds: KindDefinition[]): string[] {
  const bad: string[] = [];
  for (const k of kinds) {
    const schema = m.schemas[k.schema];
    const ok =
      schema !== undefined &&
      schema.properties?.apiVersion?.type === 'string' &&
      schema.properties?.kind?.type === 'string' &&
      refName(schema.properties?.metadata ?? {}) === OBJECT_META &&
      JSON.stringify(schema['x-kubernetes-group-version-kind']) === JSON.stringify([{ group: k.group, version: k.version, kind: k.kind }]);
    if (!ok) bad.push(k.kind);
  }
  return bad;
}

/** Stand-ins for the core/v1 components, enough for the engine to walk objects that embed them. */
const coreStubs: SchemaModule = {
  schemas: {
    'io.k8s.api.core.v1.PodTemplateSpec': s.object({ metadata: s.ref(OBJECT_META), spec: s.any() }),
    'io.k8s.api.core.v1.PodSpec': s.any(),
    'io.k8s.api.core.v1.ObjectReference': s.any(),
    'io.k8s.api.core.v1.LocalObjectReference': s.any(),
    'io.k8s.api.core.v1.TypedLocalObjectReference': s.object({ apiGroup: s.string(), kind: s.string(), name: s.string() }),
    'io.k8s.api.core.v1.PersistentVolumeClaim': s.any(),
    'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': s.any(),
  },
};

export function registryWith(...modules: SchemaModule[]): SchemaRegistry {
  return new SchemaRegistry([{ schemas: metaSchemas }, coreStubs, ...modules]);
}

export const CREATE: ValidationContext = { operation: 'create' };
export const update = (old: JsonObject): ValidationContext => ({ operation: 'update', old });

/** Errors as kubectl prints them: `field: body`. */
export function messages(errs: FieldError[]): string[] {
  return errs.map(fieldErrorMessage);
}
