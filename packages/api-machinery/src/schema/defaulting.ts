// Defaulting as Kubernetes does it: unconditional defaults come from the schema's `default` keywords, conditional
// ones from each component's defaulter hook, applied top-down wherever the component appears. Mutates in place.
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { CompiledSchema } from './compiled.js';
import type { SchemaRegistry } from './registry.js';

function walk(n: CompiledSchema, value: JsonValue): void {
  if (n.unresolved !== undefined) throw n.unresolvedError();
  if (n.type === 'array' && Array.isArray(value)) {
    const items = n.items;
    if (items?.defaultsAnything) for (const item of value) walk(items, item);
    return;
  }
  if (!isJsonObject(value)) return;
  const props = n.properties;
  if (props) {
    for (const p of props) {
      if (p.default === undefined) continue;
      const current = value[p.key];
      // Go's defaulting treats an empty string like an absent field.
      if (current === undefined || (current === '' && p.defaultIsString)) value[p.key] = cloneJson(p.default);
    }
  }
  n.defaulter?.(value);
  if (props) {
    for (const p of props) {
      if (!p.node.defaultsAnything) continue;
      const v = value[p.key];
      if (v !== undefined) walk(p.node, v);
    }
  } else {
    const values = n.additional;
    if (values?.defaultsAnything) for (const k in value) walk(values, value[k]!);
  }
}

/** Applies defaults to `obj` (an instance of the named component) in place. */
export function applyDefaults(reg: SchemaRegistry, component: string, obj: JsonObject): void {
  walk(reg.compiledComponent(component), obj);
}
