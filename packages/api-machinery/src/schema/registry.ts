// The registry of component schemas from every type module, with their defaulting and validation hooks.
import { CompiledSchema, type CompileContext } from './compiled.js';
import type { Defaulter, SchemaModule, Validator } from './module.js';
import { REF_PREFIX, refName, type Schema } from './schema.js';

export class SchemaRegistry implements CompileContext {
  private readonly schemas = new Map<string, Schema>();
  private readonly compiledSchemas = new WeakMap<Schema, CompiledSchema>();
  private readonly compiledRoots = new Map<string, CompiledSchema>();
  private readonly defaulters = new Map<string, Defaulter>();
  private readonly validators = new Map<string, Validator>();

  constructor(modules: SchemaModule[]) {
    for (const m of modules) {
      for (const [name, schema] of Object.entries(m.schemas)) {
        if (this.schemas.has(name)) throw new Error(`schema ${name} is defined twice`);
        this.schemas.set(name, schema);
      }
      for (const [name, d] of Object.entries(m.defaulters ?? {})) this.defaulters.set(name, d);
      for (const [name, v] of Object.entries(m.validators ?? {})) this.validators.set(name, v);
    }
  }

  has(name: string): boolean {
    return this.schemas.has(name);
  }

  component(name: string): Schema {
    const s = this.schemas.get(name);
    if (!s) throw new Error(`unknown schema component ${name}`);
    return s;
  }

  /** Every component, for the OpenAPI documents. */
  all(): ReadonlyMap<string, Schema> {
    return this.schemas;
  }

  defaulter(name: string): Defaulter | undefined {
    return this.defaulters.get(name);
  }

  validator(name: string): Validator | undefined {
    return this.validators.get(name);
  }

  /** `schema` compiled for the walkers, once per schema object. */
  compile(schema: Schema): CompiledSchema {
    let c = this.compiledSchemas.get(schema);
    if (!c) {
      c = new CompiledSchema(this, schema);
      this.compiledSchemas.set(schema, c);
    }
    return c;
  }

  /** A reference to the named component, compiled: where every walk over an object of a kind starts. */
  compiledComponent(name: string): CompiledSchema {
    let c = this.compiledRoots.get(name);
    if (!c) {
      c = this.compile({ $ref: REF_PREFIX + name });
      this.compiledRoots.set(name, c);
    }
    return c;
  }

  /**
   * Follows a (possibly described) reference to its component. Returns the schema to walk, the component name when
   * a reference was followed, and the referring schema (whose own keywords such as `default`/`x-k8ts-immutable` apply
   * at the point of use).
   */
  resolve(schema: Schema): { schema: Schema; component?: string } {
    const name = refName(schema);
    if (name === undefined) return { schema };
    return { schema: this.component(name), component: name };
  }

  /** Names referenced by any schema that no module defines (a consistency check for tests). */
  danglingReferences(): string[] {
    const missing = new Set<string>();
    const visit = (s: Schema | boolean | undefined): void => {
      if (!s || typeof s === 'boolean') return;
      const n = refName(s);
      if (n !== undefined && !this.schemas.has(n)) missing.add(n);
      for (const p of Object.values(s.properties ?? {})) visit(p);
      visit(s.items);
      visit(s.additionalProperties);
      for (const a of s.allOf ?? []) visit(a);
    };
    for (const s of this.schemas.values()) visit(s);
    return [...missing].sort();
  }
}
