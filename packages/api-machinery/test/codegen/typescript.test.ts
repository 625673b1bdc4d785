// The TypeScript types generated from the schemas: the committed files are current, the mapping is right (spot checks
// on the real output, unit cases on small schemas), and the typed samples of typed-usage.ts are valid objects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { expectedGeneratedFiles, generatedDir } from '../../src/codegen/files.js';
import { docText, generateTypeScript, GENERATED_HEADER, type GeneratedFile } from '../../src/codegen/typescript.js';
import type { JsonObject } from '../../src/json.js';
import { decodeObject } from '../../src/schema/decode.js';
import { applyDefaults } from '../../src/schema/defaulting.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { refName, s, type Schema } from '../../src/schema/schema.js';
import { validateObject } from '../../src/schema/validation.js';
import { fieldErrorMessage } from '../../src/validation/field-error.js';
import { allKinds, allSchemaModules } from '../../src/types/index.js';
import * as samples from './typed-usage.js';

const files = await expectedGeneratedFiles();
const text = (name: string): string => {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no generated ${name}`);
  return f.text;
};

/** The body of `export interface Name { ... }` in generated text. */
function iface(source: string, name: string): string {
  const m = new RegExp(`^export interface ${name} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source);
  if (!m?.[1]) throw new Error(`no interface ${name}`);
  return m[1];
}
/** `field?: Type` (or `field: Type`) of an interface, as written. */
function member(source: string, name: string, field: string): string {
  const m = new RegExp(`^  ${field}(\\??: .*);$`, 'm').exec(iface(source, name));
  if (!m?.[1]) throw new Error(`no member ${name}.${field}`);
  return m[1];
}

t.test('the files in src/generated are what the generator produces now (else: run pnpm gen:types)', async (t) => {
  const dir = generatedDir();
  const onDisk = readdirSync(dir).filter((n) => n.endsWith('.ts')).sort();
  t.same(onDisk, files.map((f) => f.name), 'same set of files — run pnpm gen:types');
  for (const f of files) {
    let disk = '';
    try {
      disk = readFileSync(join(dir, f.name), 'utf8');
    } catch {
      disk = '(missing)';
    }
    t.ok(disk === f.text, `${f.name} is up to date — run pnpm gen:types`);
  }
  t.ok(files.every((f) => f.text.startsWith(`${GENERATED_HEADER}\n`)), 'every file carries the do-not-edit header');
  t.same(await expectedGeneratedFiles(), files, 'deterministic');
});

t.test('one file per schema namespace', async (t) => {
  const names = files.map((f) => f.name);
  for (const n of ['core-v1', 'apps-v1', 'batch-v1', 'meta-v1', 'coordination-v1', 'discovery-v1', 'events-v1', 'networking-v1', 'policy-v1', 'autoscaling-v1', 'rbac-v1', 'storage-v1'])
    t.ok(names.includes(`${n}.ts`), `${n}.ts`);
  t.ok(names.includes('index.ts'));
});

t.test('spot checks on the generated types', async (t) => {
  const core = text('core-v1.ts');
  const apps = text('apps-v1.ts');
  t.equal(member(core, 'Pod', 'spec'), '?: PodSpec');
  t.equal(member(core, 'Pod', 'metadata'), '?: ObjectMeta');
  t.equal(member(core, 'Pod', 'apiVersion'), '?: string');
  t.equal(member(core, 'PodSpec', 'containers'), ': Container[]', 'required array');
  t.equal(member(core, 'Container', 'name'), ': string', 'Container.name is required');
  t.equal(member(core, 'Container', 'image'), ': string');
  t.equal(member(core, 'Container', 'command'), '?: string[]');
  t.equal(member(core, 'ResourceRequirements', 'requests'), '?: Record<string, string>', 'quantity map');
  t.equal(member(core, 'HTTPGetAction', 'port'), '?: number | string', 'IntOrString');
  t.equal(member(core, 'ServicePort', 'targetPort'), '?: number | string');
  t.equal(member(apps, 'RollingUpdateDeployment', 'maxSurge'), '?: number | string');
  t.equal(member(apps, 'DeploymentStrategy', 'type'), "?: 'Recreate' | 'RollingUpdate'", 'closed enum → union');
  t.equal(member(apps, 'DeploymentSpec', 'selector'), ': LabelSelector');
  t.equal(member(apps, 'DeploymentSpec', 'template'), '?: PodTemplateSpec', 'cross-group reference');
  t.match(apps, "import type { PersistentVolumeClaim, PodTemplateSpec } from './core-v1.js';", 'imported from core-v1');
  t.match(apps, "import type { LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';");
  t.equal(member(core, 'Node', 'status'), '?: NodeStatus');
  t.equal(member(core, 'NodeStatus', 'conditions'), '?: NodeCondition[]');
  t.equal(member(core, 'NodeStatus', 'allocatable'), '?: Record<string, string>');
  t.equal(member(core, 'NodeStatus', 'phase'), "?: 'Pending' | 'Running' | 'Terminated'");
  t.equal(member(core, 'Secret', 'data'), '?: Record<string, string>', 'bytes are base64 strings');
  t.equal(member(text('meta-v1.ts'), 'ObjectMeta', 'creationTimestamp'), '?: string', 'date-time');
  t.equal(member(text('meta-v1.ts'), 'ManagedFieldsEntry', 'fieldsV1'), '?: JsonValue', 'preserve-unknown-fields');
  t.equal(member(text('meta-v1.ts'), 'OwnerReference', 'uid'), ': string');
  t.equal(member(apps, 'DeploymentList', 'items'), ': Deployment[]', 'list component from the schemas');
  t.equal(member(core, 'PodList', 'items'), ': Pod[]', 'list type for a kind without a list component');
  t.equal(member(core, 'PodList', 'metadata'), '?: ListMeta');
  t.equal(member(text('coordination-v1.ts'), 'Lease', 'spec'), '?: LeaseSpec');
  t.equal(member(text('events-v1.ts'), 'Event', 'regarding'), '?: ObjectReference');
  t.notMatch(files.map((f) => f.text).join('\n'), /\[key: string\]|:\s*any\b/, 'no index signatures, no any');
  t.match(iface(core, 'Pod'), /^ {2}\/\*\* .+ \*\/$/m, 'descriptions as JSDoc');
});

t.test('index: namespaces for every file, flat names for core/apps/batch/coordination/meta', async (t) => {
  const index = text('index.ts');
  for (const ns of ['corev1', 'appsv1', 'batchv1', 'metav1', 'eventsv1', 'discoveryv1', 'networkingv1', 'rbacv1', 'storagev1', 'policyv1', 'autoscalingv1', 'coordinationv1'])
    t.match(index, `export type * as ${ns} from './`, ns);
  const flat = (file: string): string[] => {
    const m = new RegExp(`export type \\{\\n([^}]*)\\} from './${file}.js';`).exec(index);
    return (m?.[1] ?? '').split('\n').map((l) => l.trim().replace(/,$/, '')).filter(Boolean);
  };
  t.ok(flat('core-v1').includes('Event'), 'core/v1 Event is the flat Event');
  t.ok(flat('core-v1').includes('EndpointPort'));
  for (const n of ['Pod', 'PodList', 'Node', 'Service', 'ConfigMap', 'Binding']) t.ok(flat('core-v1').includes(n), n);
  for (const n of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']) t.ok(flat('apps-v1').includes(n), n);
  for (const n of ['Job', 'CronJob']) t.ok(flat('batch-v1').includes(n), n);
  for (const n of ['ObjectMeta', 'OwnerReference', 'ListMeta', 'Status']) t.ok(flat('meta-v1').includes(n), n);
  t.same(flat('coordination-v1'), ['Lease', 'LeaseList', 'LeaseSpec']);
  t.notOk(flat('meta-v1').includes('LabelSelector'), 'LabelSelector is the selectors class: metav1.LabelSelector only');
  t.match(index, '// Not flat (name taken): metav1.LabelSelector.');
  const all = ['core-v1', 'apps-v1', 'batch-v1', 'coordination-v1', 'meta-v1'].flatMap(flat);
  t.equal(new Set(all).size, all.length, 'flat names are unique');
  t.same(flat('events-v1'), [], 'events.k8s.io is namespace-only');
});

t.test('the schemas give the types what they need (correct by construction)', async (t) => {
  const reg = new SchemaRegistry(allSchemaModules);
  t.same(reg.danglingReferences(), [], 'every reference resolves');
  const badRequired: string[] = [];
  const visit = (name: string, sc: Schema): void => {
    for (const r of sc.required ?? []) if (!sc.properties?.[r]) badRequired.push(`${name}: ${r}`);
    for (const [k, p] of Object.entries(sc.properties ?? {})) {
      if (p.required && refName(p) !== undefined) badRequired.push(`${name}.${k}: required on a reference is ignored`);
      visit(`${name}.${k}`, p);
    }
    if (sc.items) visit(`${name}[]`, sc.items);
    if (typeof sc.additionalProperties === 'object') visit(`${name}{}`, sc.additionalProperties);
  };
  for (const [name, sc] of reg.all()) visit(name, sc);
  t.same(badRequired, [], 'every required field is a declared property');
  for (const k of allKinds) {
    const p = reg.component(k.schema).properties ?? {};
    t.ok(p.apiVersion?.type === 'string' && p.kind?.type === 'string' && refName(p.metadata ?? {})?.endsWith('.ObjectMeta'), `${k.kind}: apiVersion, kind, metadata`);
    const required = reg.component(k.schema).required ?? [];
    t.notOk(['apiVersion', 'kind', 'metadata'].some((f) => required.includes(f)), `${k.kind}: apiVersion/kind/metadata optional (fits KubeObject)`);
  }
});

t.test('the typed samples are objects the apiserver accepts', async (t) => {
  const reg = new SchemaRegistry(allSchemaModules);
  const check = (component: string, obj: object): void => {
    const value = JSON.parse(JSON.stringify(obj)) as JsonObject;
    const decoded = decodeObject(reg, component, value);
    t.equal(decoded.typeError, undefined, `${component}: no type error`);
    t.same(decoded.unknownFields, [], `${component}: no unknown field`);
    // The server sets metadata.uid before defaulting (a Job's generated selector needs it).
    const meta = decoded.object.metadata;
    if (meta && typeof meta === 'object' && !Array.isArray(meta)) meta.uid = '7d4b5c6e-0000-4000-8000-000000000001';
    applyDefaults(reg, component, decoded.object);
    t.same(validateObject(reg, component, decoded.object).map(fieldErrorMessage), [], `${component}: valid`);
  };
  check('io.k8s.api.core.v1.Pod', samples.pod);
  check('io.k8s.api.apps.v1.Deployment', samples.deployment);
  check('io.k8s.api.core.v1.Node', samples.node);
  check('io.k8s.api.coordination.v1.Lease', samples.lease);
  check('io.k8s.api.batch.v1.Job', samples.job);
  check('io.k8s.api.core.v1.Event', samples.event);
  t.equal(samples.cpuRequest(samples.pod), '100m');
  t.same(samples.keys.slice(0, 2), ['Pod/default/web-0', 'Deployment/default/web']);
});

t.test('mapping rules on small schemas', async (t) => {
  const gen = (schemas: Record<string, Schema>, reserved: string[] = []): GeneratedFile[] =>
    generateTypeScript({ modules: [{ schemas }], kinds: [], reservedNames: new Set(reserved) });
  const out = gen({
    'io.k8s.api.core.v1.Thing': s.object(
      {
        mode: s.enumOf(['A', "it's"], 'mode'),
        tags: s.array(s.enumOf(['x', 'y'])),
        port: s.intOrString(),
        when: s.time(),
        raw: s.bytes(),
        qty: s.quantity(),
        counts: s.map(s.int32()),
        free: s.any(),
        bare: { type: 'object' },
        open: { type: 'object', additionalProperties: true },
        nothing: {},
        maybe: s.string(undefined, { nullable: true }),
        'dash-key': s.boolean(),
        inline: s.object({ a: s.number() }, undefined, { required: ['a'] }),
        other: s.ref('io.k8s.api.events.v1.Thing', 'the events one'),
        meta: s.ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      },
      'A thing; closes */ comments.',
      { required: ['mode'] },
    ),
    'io.k8s.api.events.v1.Thing': s.object({ core: s.ref('io.k8s.api.core.v1.Thing') }),
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': s.object({ name: s.string() }),
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': s.intOrString('int or string'),
  });
  t.same(out.map((f) => f.name), ['core-v1.ts', 'events-v1.ts', 'index.ts', 'intstr.ts', 'meta-v1.ts']);
  const core = out[0]?.text ?? '';
  t.match(core, '/** A thing; closes *\\/ comments. */');
  t.equal(member(core, 'Thing', 'mode'), ": 'A' | 'it\\'s'");
  t.equal(member(core, 'Thing', 'tags'), "?: ('x' | 'y')[]");
  t.equal(member(core, 'Thing', 'port'), '?: number | string');
  for (const f of ['when', 'raw', 'qty']) t.equal(member(core, 'Thing', f), '?: string', f);
  t.equal(member(core, 'Thing', 'counts'), '?: Record<string, number>');
  t.equal(member(core, 'Thing', 'free'), '?: JsonValue');
  t.equal(member(core, 'Thing', 'bare'), '?: JsonObject');
  t.equal(member(core, 'Thing', 'open'), '?: Record<string, JsonValue>');
  t.equal(member(core, 'Thing', 'nothing'), '?: JsonValue');
  t.equal(member(core, 'Thing', 'maybe'), '?: string | null');
  t.equal(member(core, 'Thing', '"dash-key"'), '?: boolean');
  t.match(iface(core, 'Thing'), '  inline?: {\n    a: number;\n  };');
  t.equal(member(core, 'Thing', 'other'), '?: eventsv1Thing', 'a clashing import is aliased');
  t.match(core, "import type { JsonObject, JsonValue } from '../json.js';");
  t.match(core, "import type { Thing as eventsv1Thing } from './events-v1.js';");
  t.match(core, "import type { ObjectMeta } from './meta-v1.js';");
  t.match(out[1]?.text ?? '', "import type { Thing as corev1Thing } from './core-v1.js';");
  t.match(out[3]?.text ?? '', 'export type IntOrString = number | string;', 'a non-object component is a type alias');
  const index = out[2]?.text ?? '';
  t.match(index, "export type * as intstr from './intstr.js';");
  t.match(index, "export type {\n  Thing,\n} from './core-v1.js';");
  t.notMatch(gen({ 'io.k8s.api.core.v1.Thing': s.object({}) }, ['Thing'])[1]?.text ?? '', /^ {2}Thing,$/m, 'reserved names stay namespaced');
  t.throws(() => gen({ 'io.k8s.api.core.v1.A': s.object({ b: s.ref('io.k8s.api.core.v1.Missing') }) }), /unknown schema io.k8s.api.core.v1.Missing/);
});

t.test('doc comments stay short', async (t) => {
  t.equal(docText('  One   line\n two. '), 'One line two.');
  const long = `${'word '.repeat(20)}ends here. ${'more '.repeat(40)}`;
  t.equal(docText(long), `${'word '.repeat(20)}ends here.`);
  const cut = docText('x'.repeat(10) + ' ' + 'y '.repeat(150));
  t.ok(cut.length <= 201 && cut.endsWith('…'), cut);
  t.equal(docText('Condition type, e.g. Available.'), 'Condition type, e.g. Available.');
});
