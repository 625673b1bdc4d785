// TypeScript declarations generated from the component schemas, so that controllers get static types without a second
// hand-written source of truth. Pure: schemas in, file texts out (main.ts writes them to src/generated/).
//
// One file per schema namespace (`io.k8s.api.apps.v1` → apps-v1.ts), one interface per object component, named by
// the last segment of the component name. Names are unique within a file but not across files (core/v1 and
// events.k8s.io/v1 both have Event), so index.ts exposes every file as a namespace (`corev1.Event`) and the names
// of the groups controllers use most also flat (`Pod`, `Deployment`) where they do not clash.
import type { JsonValue } from '../json.js';
import type { KindDefinition, SchemaModule } from '../schema/module.js';
import { refName, type Schema } from '../schema/schema.js';
import { listSchema } from '../types/apps-v1/helpers.js';

export const GENERATED_HEADER = '// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.';

/** Files whose names are also exported flat, in priority order: on a clash the earlier file keeps the flat name. */
export const FLAT_FILES: readonly string[] = ['core-v1', 'apps-v1', 'batch-v1', 'coordination-v1', 'meta-v1'];

export interface TypeScriptCodegenInput {
  modules: readonly SchemaModule[];
  kinds: readonly KindDefinition[];
  /**
   * Names the package index already exports (e.g. the selectors' LabelSelector class): never exported flat, only
   * through their namespace. A clash with a type-only export, which the caller cannot see at runtime, fails the build
   * with TS2308; add that name here.
   */
  reservedNames?: ReadonlySet<string>;
}

export interface GeneratedFile {
  /** File name inside src/generated/, e.g. 'core-v1.ts'. */
  name: string;
  text: string;
}

const MAX_DOC = 200;

/** Component name → [namespace prefix, type name]: io.k8s.api.core.v1.Pod → ['io.k8s.api.core.v1', 'Pod']. */
function splitName(component: string): [string, string] {
  const i = component.lastIndexOf('.');
  return i < 0 ? ['', component] : [component.slice(0, i), component.slice(i + 1)];
}

const PREFIX_ROOTS = ['io.k8s.api.', 'io.k8s.apimachinery.pkg.apis.', 'io.k8s.apimachinery.pkg.util.', 'io.k8s.apimachinery.pkg.api.', 'io.k8s.apimachinery.pkg.'];

/** io.k8s.api.apps.v1 → apps-v1; io.k8s.apimachinery.pkg.apis.meta.v1 → meta-v1; io.k8s.apimachinery.pkg.util.intstr → intstr. */
export function fileBaseOf(prefix: string): string {
  const root = PREFIX_ROOTS.find((r) => prefix.startsWith(r));
  const rest = root ? prefix.slice(root.length) : prefix;
  return (rest || 'root').replace(/[^A-Za-z0-9]+/g, '-');
}

/** apps-v1 → appsv1 (the namespace identifier, as client-go's package aliases). */
export function namespaceOf(fileBase: string): string {
  const id = fileBase.replace(/[^A-Za-z0-9_$]/g, '');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** One line of JSDoc: whitespace collapsed, cut at a sentence end (or a word) near MAX_DOC, `*\/` escaped. */
export function docText(description: string): string {
  let d = description.replace(/\s+/g, ' ').trim();
  if (d.length > MAX_DOC) {
    const head = d.slice(0, MAX_DOC);
    const sentence = head.lastIndexOf('. ');
    if (sentence >= 40) d = head.slice(0, sentence + 1);
    else {
      const space = head.lastIndexOf(' ');
      d = `${head.slice(0, space > 40 ? space : MAX_DOC).replace(/[\s,;:]+$/, '')}…`;
    }
  }
  return d.replace(/\*\//g, '*\\/');
}

/** A JSON value as a TypeScript literal type, strings single-quoted as in the rest of the repo. */
function literal(v: JsonValue): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  return `'${JSON.stringify(v).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyKey = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));

interface FileState {
  base: string;
  prefix: string;
  /** Local type names declared in this file. */
  locals: Set<string>;
  /** Imported file base → (type name → local alias). */
  imports: Map<string, Map<string, string>>;
  usesJson: Set<'JsonValue' | 'JsonObject'>;
}

class Generator {
  private readonly components = new Map<string, Schema>();

  constructor(private readonly input: TypeScriptCodegenInput) {
    for (const m of input.modules) for (const [name, schema] of Object.entries(m.schemas)) this.components.set(name, schema);
  }

  run(): GeneratedFile[] {
    // Components per file, in registry order; then the list types no module defines, each after its kind.
    const byFile = new Map<string, { prefix: string; entries: [string, Schema][] }>();
    for (const [name, schema] of this.components) {
      const [prefix] = splitName(name);
      const base = fileBaseOf(prefix);
      if (base === 'index') throw new Error(`schema namespace ${prefix} would overwrite index.ts`);
      const f = byFile.get(base) ?? { prefix, entries: [] };
      if (f.prefix !== prefix) throw new Error(`schema namespaces ${f.prefix} and ${prefix} both map to ${base}.ts`);
      f.entries.push([name, schema]);
      byFile.set(base, f);
    }
    for (const f of byFile.values()) f.entries = this.withSynthesizedLists(f.entries);

    const files: GeneratedFile[] = [];
    const declared = new Map<string, string[]>();
    for (const [base, f] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const state: FileState = { base, prefix: f.prefix, locals: new Set(), imports: new Map(), usesJson: new Set() };
      for (const [name] of f.entries) {
        const local = splitName(name)[1];
        if (state.locals.has(local)) throw new Error(`two schemas named ${local} in ${base}.ts`);
        state.locals.add(local);
      }
      const body = f.entries.map(([name, schema]) => this.declaration(state, name, schema));
      files.push({ name: `${base}.ts`, text: this.fileText(state, f.entries, body) });
      declared.set(base, f.entries.map(([name]) => splitName(name)[1]));
    }
    files.push({ name: 'index.ts', text: this.indexText(declared) });
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Kinds whose module defines no `<Kind>List` component (core/v1 has none) get the shape listSchema() gives. */
  private withSynthesizedLists(entries: [string, Schema][]): [string, Schema][] {
    const out: [string, Schema][] = [];
    const names = new Set(entries.map(([n]) => n));
    for (const entry of entries) {
      out.push(entry);
      const kind = this.input.kinds.find((k) => k.schema === entry[0]);
      const listName = `${entry[0]}List`;
      if (kind && !names.has(listName) && !this.components.has(listName)) {
        out.push([listName, listSchema(kind.group, kind.version, kind.kind, kind.schema)]);
        names.add(listName);
      }
    }
    return out;
  }

  private declaration(state: FileState, component: string, schema: Schema): string {
    const name = splitName(component)[1];
    const doc = schema.description ? `/** ${docText(schema.description)} */\n` : '';
    // A struct without fields (`{}` on the wire) falls through to JsonObject: an empty interface would accept anything.
    if (schema.properties && Object.keys(schema.properties).length > 0 && refName(schema) === undefined) {
      return `${doc}export interface ${name} ${this.objectBody(state, schema, '')}`;
    }
    return `${doc}export type ${name} = ${this.typeOf(state, schema, '')};`;
  }

  /** `{ members }` of an object schema with properties; required fields are not optional. No index signature. */
  private objectBody(state: FileState, schema: Schema, indent: string): string {
    const required = new Set(schema.required ?? []);
    const inner = `${indent}  `;
    const lines: string[] = [];
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      if (prop.description) lines.push(`${inner}/** ${docText(prop.description)} */`);
      lines.push(`${inner}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${this.typeOf(state, prop, inner)};`);
    }
    return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
  }

  private typeOf(state: FileState, schema: Schema, indent: string): string {
    const t = this.baseTypeOf(state, schema, indent);
    return schema.nullable ? `${t} | null` : t;
  }

  private baseTypeOf(state: FileState, schema: Schema, indent: string): string {
    const ref = refName(schema);
    if (ref !== undefined) return this.reference(state, ref);
    if (schema['x-kubernetes-int-or-string']) return 'number | string';
    if (schema.enum?.length) return schema.enum.map(literal).join(' | ');
    switch (schema.type) {
      case 'string':
        return 'string'; // also date-time, byte and quantities: all travel as JSON strings
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = schema.items ? this.typeOf(state, schema.items, indent) : this.json(state, 'JsonValue');
        return item.includes(' | ') && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
      }
      case 'object': {
        if (schema.properties && Object.keys(schema.properties).length > 0) return this.objectBody(state, schema, indent);
        const ap = schema.additionalProperties;
        if (ap && typeof ap === 'object') return `Record<string, ${this.typeOf(state, ap, indent)}>`;
        if (ap === true) return `Record<string, ${this.json(state, 'JsonValue')}>`;
        return this.json(state, 'JsonObject');
      }
      default:
        return this.json(state, 'JsonValue'); // no type, or x-kubernetes-preserve-unknown-fields: any JSON
    }
  }

  private json(state: FileState, name: 'JsonValue' | 'JsonObject'): string {
    state.usesJson.add(name);
    return name;
  }

  /** The TypeScript name of a component from inside `state`'s file, importing it when it lives in another file. */
  private reference(state: FileState, component: string): string {
    if (!this.components.has(component)) throw new Error(`reference to unknown schema ${component}`);
    const [prefix, name] = splitName(component);
    if (prefix === state.prefix) return name;
    const base = fileBaseOf(prefix);
    const names = state.imports.get(base) ?? new Map<string, string>();
    state.imports.set(base, names);
    let alias = names.get(name);
    if (alias === undefined) {
      const taken = (a: string): boolean => state.locals.has(a) || [...state.imports.values()].some((m) => [...m.values()].includes(a));
      alias = taken(name) ? `${namespaceOf(base)}${name}` : name;
      names.set(name, alias);
    }
    return alias;
  }

  private fileText(state: FileState, entries: [string, Schema][], body: string[]): string {
    const gv = this.groupVersionOf(state.prefix, entries);
    const lines = [GENERATED_HEADER, `// ${gv} (${state.prefix}): types of the objects as the API serves them.`];
    const imports: string[] = [];
    if (state.usesJson.size) imports.push(`import type { ${[...state.usesJson].sort().join(', ')} } from '../json.js';`);
    for (const [base, names] of [...state.imports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const specs = [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`));
      imports.push(`import type { ${specs.join(', ')} } from './${base}.js';`);
    }
    if (imports.length) lines.push(...imports);
    return `${lines.join('\n')}\n\n${body.join('\n\n')}\n`;
  }

  /** 'apps/v1', 'core/v1' ('' group), or the file base for namespaces that serve no kind (meta/v1). */
  private groupVersionOf(prefix: string, entries: [string, Schema][]): string {
    for (const [, schema] of entries) {
      const gvk = schema['x-kubernetes-group-version-kind']?.[0];
      if (gvk && !gvk.kind.endsWith('List')) return `${gvk.group || 'core'}/${gvk.version}`;
    }
    return fileBaseOf(prefix).replace(/-/g, '/');
  }

  private indexText(declared: Map<string, string[]>): string {
    const lines = [
      GENERATED_HEADER,
      '// Every schema namespace as a type namespace (corev1.Pod, eventsv1.Event), and the names of the groups controllers',
      '// use most also flat (Pod, Deployment, ObjectMeta) when no other flat name or package export takes them.',
      '',
    ];
    for (const base of declared.keys()) lines.push(`export type * as ${namespaceOf(base)} from './${base}.js';`);
    const reserved = this.input.reservedNames ?? new Set<string>();
    const flat = new Set<string>();
    for (const base of FLAT_FILES) {
      const names = declared.get(base);
      if (!names) continue;
      const exported: string[] = [];
      const skipped: string[] = [];
      for (const n of names) {
        if (flat.has(n) || reserved.has(n)) skipped.push(n);
        else {
          flat.add(n);
          exported.push(n);
        }
      }
      lines.push('');
      if (skipped.length) lines.push(`// Not flat (name taken): ${skipped.map((n) => `${namespaceOf(base)}.${n}`).join(', ')}.`);
      lines.push(`export type {\n${exported.map((n) => `  ${n},`).join('\n')}\n} from './${base}.js';`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** The generated files: one per schema namespace plus index.ts, sorted by name (deterministic). */
export function generateTypeScript(input: TypeScriptCodegenInput): GeneratedFile[] {
  return new Generator(input).run();
}
