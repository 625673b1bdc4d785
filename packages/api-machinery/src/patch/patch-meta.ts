// Strategic-merge-patch and server-side-apply metadata derived from our OpenAPI schemas: for each field, whether it
// is an object, a map, a list or a primitive, its patch strategy and merge key, and its list type. Lookups are lazy
// and cached because component schemas refer to each other recursively (JSONSchemaProps-like types).
import type { JsonObject } from '../json.js';
import { refName, type Schema } from '../schema/schema.js';

/** Metadata of one object level. `undefined` marks an unknown field: plain recursive merge, lists replaced. */
export interface PatchMeta {
  field(name: string): FieldPatchMeta | undefined;
}

export interface FieldPatchMeta {
  /** 'list' covers lists of primitives too: see itemIsObject. */
  kind: 'object' | 'map' | 'list' | 'primitive';
  /** x-kubernetes-patch-strategy split on ',', e.g. ['merge', 'retainKeys']. */
  strategies: string[];
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  /** For lists: whether the items are objects. */
  itemIsObject?: boolean;
  /** x-kubernetes-list-type (server-side apply). */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys (server-side apply). */
  listMapKeys?: string[];
  /** Schema defaults of the list-map key fields: an item without a key field is identified by its default. */
  listMapKeyDefaults?: JsonObject;
  /** x-kubernetes-map-type: an atomic object is replaced as a whole by server-side apply. */
  mapType?: 'atomic' | 'granular';
  /** Object: its own fields. Map: field(anyKey) returns the values' meta. List: the item meta. */
  elem: PatchMeta;
}

/** Metadata for a schemaless value: every field unknown. */
export const NO_PATCH_META: PatchMeta = { field: () => undefined };

// Guards against reference chains that loop without ever reaching a concrete schema.
const MAX_REFERENCE_DEPTH = 64;

/** Everything lookups share: the component schemas and caches keyed by schema object identity. */
class MetaContext {
  private readonly objectMetas = new WeakMap<Schema, PatchMeta>();
  private readonly fieldMetas = new WeakMap<Schema, FieldPatchMeta | null>();

  constructor(private readonly components: Record<string, Schema>) {}

  /** Follows $ref and allOf[0].$ref to the schema that describes the value; undefined if unresolvable. */
  resolve(schema: Schema): Schema | undefined {
    let current = schema;
    for (let depth = 0; depth < MAX_REFERENCE_DEPTH; depth++) {
      const name = refName(current);
      if (name === undefined) return current;
      const target = this.components[name];
      if (target === undefined) return undefined;
      current = target;
    }
    return undefined;
  }

  objectMeta(schema: Schema): PatchMeta {
    let meta = this.objectMetas.get(schema);
    if (!meta) {
      meta = new SchemaPatchMeta(schema, this);
      this.objectMetas.set(schema, meta);
    }
    return meta;
  }

  fieldMeta(fieldSchema: Schema): FieldPatchMeta | undefined {
    let meta = this.fieldMetas.get(fieldSchema);
    if (meta === undefined) {
      meta = this.buildFieldMeta(fieldSchema) ?? null;
      this.fieldMetas.set(fieldSchema, meta);
    }
    return meta ?? undefined;
  }

  private buildFieldMeta(wrapper: Schema): FieldPatchMeta | undefined {
    const resolved = this.resolve(wrapper);
    if (!resolved) return undefined;
    if (wrapper['x-kubernetes-preserve-unknown-fields'] || resolved['x-kubernetes-preserve-unknown-fields']) return undefined;
    // Patch extensions sit on the property (the allOf wrapper); the referenced component is the fallback.
    const strategy = wrapper['x-kubernetes-patch-strategy'] ?? resolved['x-kubernetes-patch-strategy'];
    const mergeKey = wrapper['x-kubernetes-patch-merge-key'] ?? resolved['x-kubernetes-patch-merge-key'];
    const listType = wrapper['x-kubernetes-list-type'] ?? resolved['x-kubernetes-list-type'];
    const listMapKeys = wrapper['x-kubernetes-list-map-keys'] ?? resolved['x-kubernetes-list-map-keys'];
    const mapType = wrapper['x-kubernetes-map-type'] ?? resolved['x-kubernetes-map-type'];
    const meta: FieldPatchMeta = {
      kind: 'primitive',
      strategies: strategy === undefined ? [] : strategy.split(',').map((s) => s.trim()).filter((s) => s !== ''),
      elem: NO_PATCH_META,
    };
    if (mergeKey !== undefined) meta.mergeKey = mergeKey;
    if (listType !== undefined) meta.listType = listType;
    if (listMapKeys !== undefined) meta.listMapKeys = [...listMapKeys];
    if (mapType !== undefined) meta.mapType = mapType;

    if (resolved.type === 'array' || resolved.items !== undefined) {
      meta.kind = 'list';
      const items = resolved.items;
      const resolvedItems = items ? this.resolve(items) : undefined;
      meta.itemIsObject = resolvedItems !== undefined && describesObject(resolvedItems);
      if (items) meta.elem = this.objectMeta(items);
      const defaults = resolvedItems ? this.keyDefaults(resolvedItems, listMapKeys ?? (mergeKey ? [mergeKey] : [])) : undefined;
      if (defaults) meta.listMapKeyDefaults = defaults;
    } else if (resolved.properties !== undefined) {
      meta.kind = 'object';
      meta.elem = this.objectMeta(resolved);
    } else if (mapValueSchema(resolved) !== undefined) {
      meta.kind = 'map';
      meta.elem = this.objectMeta(resolved);
    } else if (resolved.type === 'object') {
      meta.kind = 'object';
    }
    return meta;
  }

  private keyDefaults(itemSchema: Schema, keys: string[]): JsonObject | undefined {
    let defaults: JsonObject | undefined;
    for (const key of keys) {
      const property = itemSchema.properties?.[key];
      const value = property ? (property.default ?? this.resolve(property)?.default) : undefined;
      if (value === undefined) continue;
      defaults ??= {};
      defaults[key] = value;
    }
    return defaults;
  }
}

/** The schema of a map's values (`additionalProperties: {...}`); `true` or absent means unknown values. */
function mapValueSchema(schema: Schema): Schema | undefined {
  const values = schema.additionalProperties;
  return typeof values === 'object' ? values : undefined;
}

function describesObject(schema: Schema): boolean {
  return schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined;
}

/** One object level: named properties, or (for a map) the same value meta for every key. */
class SchemaPatchMeta implements PatchMeta {
  private readonly fields = new Map<string, FieldPatchMeta | undefined>();

  constructor(
    private readonly schema: Schema,
    private readonly context: MetaContext,
  ) {}

  field(name: string): FieldPatchMeta | undefined {
    if (this.fields.has(name)) return this.fields.get(name);
    const meta = this.lookup(name);
    this.fields.set(name, meta);
    return meta;
  }

  private lookup(name: string): FieldPatchMeta | undefined {
    const resolved = this.context.resolve(this.schema);
    if (!resolved) return undefined;
    const property = resolved.properties && Object.hasOwn(resolved.properties, name) ? resolved.properties[name] : undefined;
    if (property) return this.context.fieldMeta(property);
    const valueSchema = mapValueSchema(resolved);
    return valueSchema ? this.context.fieldMeta(valueSchema) : undefined;
  }
}

/** The patch metadata of objects described by `root`, resolving references against `components` by name. */
export function patchMetaFromSchema(root: Schema, components: Record<string, Schema>): PatchMeta {
  return new MetaContext(components).objectMeta(root);
}
