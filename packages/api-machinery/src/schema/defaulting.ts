// Defaulting as Kubernetes does it: unconditional defaults come from the schema's `default` keywords, conditional
// ones from each component's defaulter hook, applied top-down wherever the component appears. Mutates in place.
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { SchemaRegistry } from './registry.js';
import type { Schema } from './schema.js';

function walk(reg: SchemaRegistry, schemaIn: Schema, value: JsonValue): void {
  const { schema, component } = reg.resolve(schemaIn);
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    for (const item of value) walk(reg, schema.items, item);
    return;
  }
  if (!isJsonObject(value)) return;
  if (schema.properties) {
    for (const [k, prop] of Object.entries(schema.properties)) {
      const current = value[k];
      // Go's defaulting treats an empty string like an absent field.
      if (current === undefined || (current === '' && typeof prop.default === 'string')) {
        const d = prop.default;
        if (d !== undefined) value[k] = cloneJson(d);
      }
    }
  }
  if (component) reg.defaulter(component)?.(value);
  if (schema.properties) {
    for (const [k, prop] of Object.entries(schema.properties)) {
      const v = value[k];
      if (v !== undefined) walk(reg, prop, v);
    }
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const v of Object.values(value)) walk(reg, schema.additionalProperties, v);
  }
}

/** Applies defaults to `obj` (an instance of the named component) in place. */
export function applyDefaults(reg: SchemaRegistry, component: string, obj: JsonObject): void {
  walk(reg, { $ref: `#/components/schemas/${component}` }, obj);
}
