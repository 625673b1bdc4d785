import t from 'tap';
import { applyJsonPatch, parseJsonPatch } from '../../src/patch/index.js';
import type { JsonObject, JsonValue } from '../../src/json.js';
import { rejectsWith } from './helpers/rejects.js';

function deployment(): JsonObject {
  return {
    metadata: { name: 'web', annotations: { 'a/b': 'x', 'm~n': 'y' } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
  };
}

t.test('add: new member, nested member, array insert, append, negative index', async (t) => {
  const doc = deployment();
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/metadata/labels', value: { app: 'web' } },
    { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
    { op: 'add', path: '/spec/template/spec/containers/1', value: { name: 'mid' } },
    { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'last' } },
    { op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'first' } },
    { op: 'add', path: '/spec/template/spec/containers/-1', value: { name: 'before-end' } },
  ]) as JsonObject;
  t.same((out.metadata as JsonObject).labels, { app: 'web', tier: 'fe' });
  const names = ((out.spec as JsonObject).template as JsonObject).spec as JsonObject;
  t.same(
    (names.containers as JsonObject[]).map((c) => c.name),
    ['first', 'a', 'mid', 'b', 'last', 'before-end'],
  );
});

t.test('negative indices count from the end, as kube-apiserver allows', async (t) => {
  t.same(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }]), { l: [1, 2] });
  t.same(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'replace', path: '/l/-3', value: 0 }]), { l: [0, 2, 3] });
  t.same(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'test', path: '/l/-2', value: 2 }]), { l: [1, 2, 3] });
});

t.test('add replaces an existing member and add at index == length appends', async (t) => {
  const out = applyJsonPatch({ a: 1, l: [1, 2] }, [
    { op: 'add', path: '/a', value: 2 },
    { op: 'add', path: '/l/2', value: 3 },
  ]);
  t.same(out, { a: 2, l: [1, 2, 3] });
});

t.test('the input document is never modified and values are copied', async (t) => {
  const doc = deployment();
  const snapshot = structuredClone(doc);
  const value = { app: 'web' };
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/metadata/labels', value },
    { op: 'remove', path: '/spec/replicas' },
  ]) as JsonObject;
  t.same(doc, snapshot);
  ((out.metadata as JsonObject).labels as JsonObject).app = 'changed';
  t.equal(value.app, 'web');
});

t.test('remove, replace, move, copy and test', async (t) => {
  const out = applyJsonPatch(deployment(), [
    { op: 'test', path: '/spec/replicas', value: 1 },
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'remove', path: '/spec/template/spec/containers/0' },
    { op: 'copy', from: '/metadata/name', path: '/metadata/labels' },
    { op: 'move', from: '/metadata/labels', path: '/metadata/generateName' },
    { op: 'test', path: '/spec/template/spec/containers', value: [{ name: 'b' }] },
  ]) as JsonObject;
  t.same(out.spec, { replicas: 3, template: { spec: { containers: [{ name: 'b' }] } } });
  t.same(out.metadata, { name: 'web', annotations: { 'a/b': 'x', 'm~n': 'y' }, generateName: 'web' });
});

t.test('JSON pointer escapes: ~1 is / and ~0 is ~', async (t) => {
  const out = applyJsonPatch(deployment(), [
    { op: 'replace', path: '/metadata/annotations/a~1b', value: 'X' },
    { op: 'remove', path: '/metadata/annotations/m~0n' },
    { op: 'add', path: '/metadata/annotations/~01', value: 'tilde-one' },
  ]) as JsonObject;
  t.same((out.metadata as JsonObject).annotations, { 'a/b': 'X', '~1': 'tilde-one' });
});

t.test('rollout undo: replace /spec/template and /metadata/annotations', async (t) => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
  const out = applyJsonPatch(deployment(), [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
  ]) as JsonObject;
  t.same((out.spec as JsonObject).template, template);
  t.same((out.metadata as JsonObject).annotations, { 'deployment.kubernetes.io/revision': '1' });
});

t.test('move within an array and to the root level; copy deep-copies', async (t) => {
  t.same(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'move', from: '/l/0', path: '/l/-' }]), { l: [2, 3, 1] });
  const copied = applyJsonPatch({ a: { b: [1] } }, [
    { op: 'copy', from: '/a', path: '/c' },
    { op: 'add', path: '/c/b/-', value: 2 },
  ]);
  t.same(copied, { a: { b: [1] }, c: { b: [1, 2] } });
});

t.test('replace and test of the whole document', async (t) => {
  t.same(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }, { op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  rejectsWith(t, () => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: 3 }]), 422, 'replace operation value must be object or array');
});

t.test('test compares structurally and treats an absent member as null', async (t) => {
  t.same(applyJsonPatch({ a: { x: 1, y: [true] } }, [{ op: 'test', path: '/a', value: { y: [true], x: 1 } }]), { a: { x: 1, y: [true] } });
  t.same(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/missing', value: null }]), { a: 1 });
  rejectsWith(t, () => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: '1' }]), 422, 'testing value /a failed: test failed');
  rejectsWith(t, () => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/missing', value: 1 }]), 422, 'testing value /missing failed: test failed');
});

t.test('a failing operation aborts the whole patch', async (t) => {
  const doc = { a: 1 };
  rejectsWith(
    t,
    () => applyJsonPatch(doc, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 1 }]),
    422,
    'testing value /a failed: test failed',
  );
  t.same(doc, { a: 1 });
});

t.test('422: operations that do not apply, with evanphx/json-patch messages', async (t) => {
  const doc = { a: { b: 1 }, l: [1, 2] };
  const cases: [JsonValue, string][] = [
    [{ op: 'add', path: '/x/y', value: 1 }, 'add operation does not apply: doc is missing path: "/x/y": missing value'],
    [{ op: 'add', path: '/l/5', value: 1 }, "error in add for path: '/l/5': Unable to access invalid index: 5: invalid index referenced"],
    [{ op: 'add', path: '/l/-4', value: 1 }, "error in add for path: '/l/-4': Unable to access invalid index: -4: invalid index referenced"],
    [
      { op: 'add', path: '/l/x', value: 1 },
      `error in add for path: '/l/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    ],
    [{ op: 'remove', path: '/x/y' }, 'remove operation does not apply: doc is missing path: "/x/y": missing value'],
    [{ op: 'remove', path: '/a/c' }, "error in remove for path: '/a/c': Unable to remove nonexistent key: c: missing value"],
    [{ op: 'remove', path: '/l/2' }, "error in remove for path: '/l/2': Unable to access invalid index: 2: invalid index referenced"],
    [{ op: 'replace', path: '/x/y', value: 1 }, 'replace operation does not apply: doc is missing path: /x/y: missing value'],
    [{ op: 'replace', path: '/a/c', value: 1 }, 'replace operation does not apply: doc is missing key: /a/c: missing value'],
    [{ op: 'replace', path: '/l/9', value: 1 }, 'replace operation does not apply: doc is missing key: /l/9: missing value'],
    [{ op: 'move', from: '/x/y', path: '/z' }, 'move operation does not apply: doc is missing from path: /x/y: missing value'],
    [{ op: 'move', from: '/a/c', path: '/z' }, "error in move for path: 'c': Unable to remove nonexistent key: c: missing value"],
    [{ op: 'move', from: '/a', path: '/a/b' }, 'move operation does not apply: doc is missing destination path: /a/b: missing value'],
    [{ op: 'copy', from: '/a/c', path: '/z' }, 'copy operation does not apply: doc is missing from path: /a/c: missing value'],
    [{ op: 'copy', from: '/a', path: '/x/y' }, 'copy operation does not apply: doc is missing destination path: /x/y: missing value'],
    [{ op: 'copy', from: '/l/7', path: '/z' }, "error in copy for from: '/l/7': Unable to access invalid index: 7: invalid index referenced"],
    [{ op: 'test', path: '/x/y', value: 1 }, 'test operation does not apply: is missing path: /x/y: missing value'],
    [{ op: 'add', path: '', value: {} }, 'add operation does not apply: doc is missing path: "": missing value'],
    [{ op: 'add', path: '/a/b/c', value: 1 }, 'add operation does not apply: doc is missing path: "/a/b/c": missing value'],
    [{ op: 'add', path: 'a/x', value: 1 }, 'add operation does not apply: doc is missing path: "a/x": missing value'],
    [{ op: 'remove', path: '/l/01x' }, `error in remove for path: '/l/01x': strconv.Atoi: parsing "01x": invalid syntax`],
  ];
  for (const [operation, message] of cases) rejectsWith(t, () => applyJsonPatch(doc, [operation]), 422, message);
});

t.test('400: malformed patch documents', async (t) => {
  const cases: [unknown, string][] = [
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['[]', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [[1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    [[{ path: '/a' }], 'Unexpected kind: unknown'],
    [[{ op: 'frobnicate', path: '/a' }], 'Unexpected kind: frobnicate'],
    [[{ op: 7, path: '/a' }], 'Unexpected kind: unknown'],
    [[{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value'],
    [[{ op: 'remove' }], 'remove operation failed to decode path: missing value'],
    [[{ op: 'replace', value: 1 }], 'replace operation failed to decode path: operation missing path field: missing value'],
    [[{ op: 'replace', path: 3, value: 1 }], 'replace operation failed to decode path: json: cannot unmarshal number into Go value of type string'],
    [[{ op: 'test', path: null, value: 1 }], 'test operation failed to decode path: operation missing path field: missing value'],
    [[{ op: 'move', path: '/b' }], 'move operation failed to decode from: operation, missing from field: missing value'],
    [[{ op: 'copy', from: '/a' }], 'copy operation failed to decode path: missing value'],
    [[{ op: 'add', path: '/a' }], 'operation, missing value field: missing value'],
  ];
  for (const [patch, message] of cases) rejectsWith(t, () => applyJsonPatch({ a: 1 }, patch), 400, message);
  // Malformed operations are found before anything is applied.
  rejectsWith(t, () => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/nope' }, { op: 'bogus' }]), 400, 'Unexpected kind: bogus');
});

t.test('parseJsonPatch returns typed operations; a null patch is empty', async (t) => {
  t.same(parseJsonPatch([{ op: 'move', from: '/a', path: '/b', extra: true }]), [{ op: 'move', from: '/a', path: '/b' }]);
  t.same(parseJsonPatch([{ op: 'add', path: '/a', value: null }]), [{ op: 'add', path: '/a', value: null }]);
  t.same(parseJsonPatch(null), []);
  t.same(applyJsonPatch({ a: 1 }, []), { a: 1 });
});

t.test('keys that look like Object.prototype members are plain data', async (t) => {
  const out = applyJsonPatch({}, [
    { op: 'add', path: '/__proto__', value: { polluted: true } },
    { op: 'add', path: '/constructor', value: 1 },
  ]) as JsonObject;
  t.same(Object.keys(out), ['__proto__', 'constructor']);
  t.equal(Object.getPrototypeOf(out), Object.prototype);
  rejectsWith(t, () => applyJsonPatch({}, [{ op: 'remove', path: '/toString' }]), 422, "error in remove for path: '/toString': Unable to remove nonexistent key: toString: missing value");
});
