// A schema as the per-request walkers (decode, defaulting, validation) use it, worked out once per schema object:
// the reference followed, the keywords of the point of use merged over the target's, property lists as arrays,
// regexps built, the component's hooks looked up, and whether a subtree has anything to default or check at all,
// so a write skips the fields that have nothing to do. Children are compiled on first use (schemas may be recursive).
import type { JsonValue } from '../json.js';
import type { Defaulter, Validator } from './module.js';
import { refName, type FormatName, type Schema, type SchemaType } from './schema.js';

/** What a CompiledSchema needs from the registry. */
export interface CompileContext {
  has(name: string): boolean;
  component(name: string): Schema;
  defaulter(name: string): Defaulter | undefined;
  validator(name: string): Validator | undefined;
  compile(schema: Schema): CompiledSchema;
}

export interface CompiledProperty {
  readonly key: string;
  readonly node: CompiledSchema;
  /** The property's own `default` (at its point of use), if any. */
  readonly default: JsonValue | undefined;
  /** Go's defaulting treats "" like an absent field when the default is a string. */
  readonly defaultIsString: boolean;
  /** Listed in the enclosing schema's `required`. */
  readonly required: boolean;
}

export class CompiledSchema {
  /** The schema walked (the reference's target, or `use` itself). */
  readonly schema: Schema;
  /** The component name when a reference was followed. */
  readonly component: string | undefined;
  readonly type: SchemaType | undefined;
  readonly enumValues: readonly JsonValue[] | undefined;
  /** enumValues as a set when they are all strings (the usual case), for a lookup instead of a scan. */
  readonly enumStrings: ReadonlySet<string> | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: RegExp | undefined;
  readonly patternSource: string | undefined;
  readonly maxItems: number | undefined;
  readonly formats: readonly FormatName[];
  readonly immutable: boolean;
  readonly mergeKey: string | undefined;
  readonly required: readonly string[];
  readonly defaulter: Defaulter | undefined;
  readonly validator: Validator | undefined;
  /** True when any keyword of this level (enum, limits, pattern, formats, immutability) needs checking. */
  readonly hasKeywordChecks: boolean;
  /**
   * A reference to a component the registry does not have (registries of a few modules, in tests): harmless until a
   * value actually sits there, when the walkers call unresolvedError().
   */
  readonly unresolved: string | undefined;

  private props: readonly CompiledProperty[] | undefined | null = null;
  private propIndex: Map<string, CompiledSchema> | undefined;
  private itemsNode: CompiledSchema | undefined | null = null;
  private additionalNode: CompiledSchema | undefined | null = null;
  private defaultsMemo: boolean | 'computing' | undefined;
  private checksMemo: boolean | 'computing' | undefined;

  constructor(
    private readonly ctx: CompileContext,
    /** The schema at its point of use (a property, an items or additionalProperties schema, or a root reference). */
    readonly use: Schema,
  ) {
    const component = refName(use);
    this.unresolved = component !== undefined && !ctx.has(component) ? component : undefined;
    const schema = component === undefined || this.unresolved !== undefined ? use : ctx.component(component);
    this.schema = schema;
    this.component = component;
    this.type = schema.type;
    this.enumValues = use.enum ?? schema.enum;
    this.enumStrings = this.enumValues?.every((e) => typeof e === 'string') ? new Set(this.enumValues as string[]) : undefined;
    this.minimum = use.minimum ?? schema.minimum;
    this.maximum = use.maximum ?? schema.maximum;
    this.maxLength = use.maxLength ?? schema.maxLength;
    this.patternSource = use.pattern ?? schema.pattern;
    this.pattern = this.patternSource === undefined ? undefined : new RegExp(this.patternSource);
    this.maxItems = use.maxItems ?? schema.maxItems;
    this.formats = [...(use['x-k8ts-validate'] ?? []), ...(use === schema ? [] : (schema['x-k8ts-validate'] ?? []))];
    this.immutable = Boolean(use['x-k8ts-immutable'] || schema['x-k8ts-immutable']);
    this.mergeKey = use['x-kubernetes-patch-merge-key'] ?? schema['x-kubernetes-patch-merge-key'];
    this.required = schema.required ?? [];
    this.defaulter = component === undefined ? undefined : ctx.defaulter(component);
    this.validator = component === undefined ? undefined : ctx.validator(component);
    this.hasKeywordChecks =
      this.enumValues !== undefined ||
      this.minimum !== undefined ||
      this.maximum !== undefined ||
      this.maxLength !== undefined ||
      this.pattern !== undefined ||
      this.maxItems !== undefined ||
      this.formats.length > 0 ||
      this.immutable;
  }

  /** What walking a value of an unresolved reference throws (as following the reference always did). */
  unresolvedError(): Error {
    return new Error(`unknown schema component ${this.unresolved}`);
  }

  /** The declared properties in schema order, or undefined when the schema has none. */
  get properties(): readonly CompiledProperty[] | undefined {
    if (this.props === null) {
      const declared = this.schema.properties;
      const required = new Set(this.required);
      this.props = declared
        ? Object.entries(declared).map(([key, prop]) => ({
            key,
            node: this.ctx.compile(prop),
            default: prop.default,
            defaultIsString: typeof prop.default === 'string',
            required: required.has(key),
          }))
        : undefined;
    }
    return this.props;
  }

  /** The declared property `key`, if there is one. */
  property(key: string): CompiledSchema | undefined {
    if (!this.propIndex) {
      this.propIndex = new Map();
      for (const p of this.properties ?? []) this.propIndex.set(p.key, p.node);
    }
    return this.propIndex.get(key);
  }

  get items(): CompiledSchema | undefined {
    if (this.itemsNode === null) this.itemsNode = this.schema.items ? this.ctx.compile(this.schema.items) : undefined;
    return this.itemsNode;
  }

  /** The schema of a map's values (additionalProperties as a schema), if any. */
  get additional(): CompiledSchema | undefined {
    if (this.additionalNode === null) {
      const a = this.schema.additionalProperties;
      this.additionalNode = a && typeof a === 'object' ? this.ctx.compile(a) : undefined;
    }
    return this.additionalNode;
  }

  /** Whether defaulting can change anything in a value of this schema (a default or a defaulter somewhere below). */
  get defaultsAnything(): boolean {
    if (this.defaultsMemo === undefined) {
      this.defaultsMemo = 'computing';
      this.defaultsMemo =
        this.unresolved !== undefined ||
        this.defaulter !== undefined ||
        (this.properties?.some((p) => p.default !== undefined || p.node.defaultsAnything) ?? false) ||
        (this.items?.defaultsAnything ?? false) ||
        (this.additional?.defaultsAnything ?? false);
    }
    // A schema that contains itself is still being worked out: assume it may default.
    return this.defaultsMemo !== false;
  }

  /** Whether validation has anything to check in a value of this schema (keywords, required, hooks below). */
  get checksAnything(): boolean {
    if (this.checksMemo === undefined) {
      this.checksMemo = 'computing';
      this.checksMemo =
        this.unresolved !== undefined ||
        this.hasKeywordChecks ||
        this.validator !== undefined ||
        this.required.length > 0 ||
        (this.properties?.some((p) => p.node.checksAnything) ?? false) ||
        (this.items?.checksAnything ?? false) ||
        (this.additional?.checksAnything ?? false);
    }
    return this.checksMemo !== false;
  }
}
