#!/usr/bin/env node
// Regenerates src/protobuf/descriptors.ts from Kubernetes' generated.proto files (field numbers, proto types)
// and the matching Go types.go files (JSON names, pointer-ness, inlined embedded structs).
//
// Usage: node gen-descriptors.mjs <srcDir> <sourceLabel> > ../../../src/protobuf/descriptors.ts
// (sourceLabel names the tag the files came from, e.g. 'kubernetes/api and kubernetes/apimachinery v0.36.3').
// <srcDir> holds, flattened with '_' for '/':
//   from kubernetes/api:          core_v1.proto core_v1.types.go apps_v1.proto apps_v1.types.go … (one pair per group/version below)
//   from kubernetes/apimachinery: pkg_apis_meta_v1.proto plus meta.types.go (pkg/apis/meta/v1/types.go)
// e.g. `git -C <api mirror> show HEAD:core/v1/generated.proto > core_v1.proto`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, label = 'unknown version'] = process.argv.slice(2);
if (!dir) throw new Error('usage: gen-descriptors.mjs <srcDir> <sourceLabel>');

// proto package → [alias, proto file, Go types file]
const PACKAGES = {
  'k8s.io.api.core.v1': ['core', 'core_v1'],
  'k8s.io.api.apps.v1': ['apps', 'apps_v1'],
  'k8s.io.api.batch.v1': ['batch', 'batch_v1'],
  'k8s.io.api.rbac.v1': ['rbac', 'rbac_v1'],
  'k8s.io.api.networking.v1': ['networking', 'networking_v1'],
  'k8s.io.api.policy.v1': ['policy', 'policy_v1'],
  'k8s.io.api.scheduling.v1': ['scheduling', 'scheduling_v1'],
  'k8s.io.api.authorization.v1': ['authorization', 'authorization_v1'],
  'k8s.io.api.authentication.v1': ['authentication', 'authentication_v1'],
  'k8s.io.api.autoscaling.v1': ['autoscaling', 'autoscaling_v1'],
  'k8s.io.api.autoscaling.v2': ['autoscalingv2', 'autoscaling_v2'],
  'k8s.io.apimachinery.pkg.apis.meta.v1': ['meta', 'pkg_apis_meta_v1', 'meta'],
};
// Messages with a hand-written JSON form (see decode.ts); never expanded.
const SPECIAL = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'Duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'FieldsV1',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'RawExtension',
  // Go named []string types wrapped by go-to-protobuf in {repeated string items = 1}; JSON is the bare array.
  'k8s.io.api.authorization.v1.ExtraValue': 'StringList',
  'k8s.io.api.authentication.v1.ExtraValue': 'StringList',
  'k8s.io.api.authentication.v1.AttestationValue': 'StringList',
};
const ROOTS = [
  'core.Namespace', 'core.ConfigMap', 'core.Secret', 'core.Service', 'core.ServiceAccount', 'core.ResourceQuota',
  'core.Pod', 'core.Binding', 'core.Event',
  'apps.Deployment', 'apps.ControllerRevision',
  'batch.Job', 'batch.CronJob',
  'rbac.Role', 'rbac.ClusterRole', 'rbac.RoleBinding', 'rbac.ClusterRoleBinding',
  'networking.Ingress', 'networking.IngressClass',
  'policy.PodDisruptionBudget', 'policy.Eviction',
  'scheduling.PriorityClass',
  'authorization.SelfSubjectAccessReview', 'authorization.SelfSubjectRulesReview',
  'authorization.SubjectAccessReview', 'authorization.LocalSubjectAccessReview',
  'authentication.TokenRequest', 'authentication.TokenReview', 'authentication.SelfSubjectReview',
  'autoscaling.HorizontalPodAutoscaler', 'autoscalingv2.HorizontalPodAutoscaler',
  'meta.DeleteOptions',
];

const messages = new Map(); // 'core.PodSpec' → [{num, label, type, name}]
const goStructs = new Map(); // 'core.PodSpec' → Map(num → {json, pointer, inline})

function qualify(pkg, t) {
  if (t.startsWith('.')) t = t.slice(1);
  const full = t.includes('.') ? t : `${pkg}.${t}`;
  if (SPECIAL[full]) return SPECIAL[full];
  const last = full.lastIndexOf('.');
  const p = PACKAGES[full.slice(0, last)];
  if (!p) throw new Error(`unknown package for ${full}`);
  return `${p[0]}.${full.slice(last + 1)}`;
}

for (const [pkg, [alias, file, goFile = file]] of Object.entries(PACKAGES)) {
  const proto = readFileSync(join(dir, `${file}.proto`), 'utf8').replace(/\/\/.*$/gm, '');
  for (const m of proto.matchAll(/^message (\w+) \{([^}]*)\}/gm)) {
    const fields = [];
    for (const f of m[2].matchAll(/^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/gm)) {
      fields.push({ num: Number(f[4]), label: f[1], type: f[2], name: f[3], pkg });
    }
    for (const f of m[2].matchAll(/^\s*map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/gm)) {
      fields.push({ num: Number(f[4]), label: 'map', key: f[1], type: f[2], name: f[3], pkg });
    }
    messages.set(`${alias}.${m[1]}`, fields);
  }
  const go = readFileSync(join(dir, `${goFile}.types.go`), 'utf8');
  for (const s of go.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const byNum = new Map();
    for (const line of s[2].split('\n')) {
      const t = /^\t(?:(\w+)\s+)?(\S+)\s+`(.*)`/.exec(line);
      if (!t) continue;
      const pb = /protobuf:"\w+,(\d+),/.exec(t[3]);
      if (!pb) continue;
      const js = /json:"([^",]*)/.exec(t[3]);
      const jsonName = js ? js[1] : (t[1] ?? '');
      const embedded = t[1] === undefined;
      byNum.set(Number(pb[1]), { json: jsonName, pointer: t[2].startsWith('*'), inline: embedded && jsonName === '', skip: jsonName === '-' });
    }
    goStructs.set(`${alias}.${s[1]}`, byNum);
  }
}

const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'bytes', 'double', 'float']);
const out = new Map();
const queue = [...ROOTS];
const warnings = [];
while (queue.length) {
  const name = queue.shift();
  if (out.has(name)) continue;
  const fields = messages.get(name);
  if (!fields) throw new Error(`no message ${name}`);
  const go = goStructs.get(name);
  if (!go) warnings.push(`no Go struct for ${name}`);
  const entries = [];
  for (const f of fields.sort((a, b) => a.num - b.num)) {
    const g = go?.get(f.num);
    if (go && !g) warnings.push(`${name}.${f.name}: no Go field`);
    if (g?.skip) continue;
    let type = SCALARS.has(f.type) ? f.type : qualify(f.pkg, f.type);
    if (!SCALARS.has(f.type) && type.includes('.')) queue.push(type);
    if (f.label === 'map') {
      if (f.key !== 'string') throw new Error(`${name}.${f.name}: non-string map key`);
      type = `{${type}}`;
    } else if (f.label === 'repeated') type = `[]${type}`;
    else if (g?.pointer) type += '?';
    const json = g?.inline ? '..' : (g?.json || f.name);
    if (g && !g.inline && g.json && g.json !== f.name) warnings.push(`${name}.${f.name}: json name ${g.json}`);
    entries.push(`${f.num}: '${json} ${type}'`);
  }
  out.set(name, entries);
}
for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

const lines = [
  '// Generated by test/protobuf/helpers/gen-descriptors.mjs from Kubernetes generated.proto (field numbers, types)',
  `// and types.go (JSON names, Go pointers) of ${label}.`,
  '// Field numbers never change between releases, so older clients send a subset.',
  '// Field spec: \'<jsonName> <type>\'; type is a scalar, a special',
  '// (Time, MicroTime, Duration, FieldsV1, IntOrString, Quantity, RawExtension, StringList) or a message;',
  '// prefix [] = repeated, {V} = map<string, V>, suffix ? = Go pointer (zero values kept), name .. = inlined struct.',
  '',
  '/** Message name → field number → field spec. */',
  'export const MESSAGE_TABLE: Readonly<Record<string, Readonly<Record<number, string>>>> = {',
];
for (const name of [...out.keys()].sort()) {
  const body = out.get(name);
  const one = `  '${name}': { ${body.join(', ')} },`;
  if (one.length <= 120) lines.push(one);
  else {
    lines.push(`  '${name}': {`);
    let cur = '   ';
    for (const e of body) {
      if (cur.length + e.length + 2 > 118) { lines.push(cur.trimEnd()); cur = '   '; }
      cur += ` ${e},`;
    }
    if (cur.trim()) lines.push(cur);
    lines.push('  },');
  }
}
lines.push('};', '');
process.stdout.write(lines.join('\n'));
process.stderr.write(`${out.size} messages\n`);
