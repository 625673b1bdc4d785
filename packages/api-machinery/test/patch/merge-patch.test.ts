import t from 'tap';
import { applyMergePatch } from '../../src/patch/index.js';
import type { JsonObject } from '../../src/json.js';
import { rejectsWith } from './helpers/rejects.js';

function pod(): JsonObject {
  return {
    metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } },
    spec: { containers: [{ name: 'a', image: 'nginx' }], nodeSelector: { disk: 'ssd' } },
  };
}

t.test('kubectl label / annotate: add and remove labels', async (t) => {
  const out = applyMergePatch(pod(), { metadata: { labels: { env: 'dev', tier: null } } }) as JsonObject;
  t.same((out.metadata as JsonObject).labels, { app: 'web', env: 'dev' });
  t.same(applyMergePatch(pod(), {}), pod(), 'the empty patch kubectl sends changes nothing');
});

t.test('kubectl scale: {"spec":{"replicas":4}}', async (t) => {
  t.same(applyMergePatch({ spec: { replicas: 1 }, status: { replicas: 1 } }, { spec: { replicas: 4 } }), {
    spec: { replicas: 4 },
    status: { replicas: 1 },
  });
});

t.test('lists are replaced, never merged', async (t) => {
  const out = applyMergePatch(pod(), { spec: { containers: [{ name: 'b' }] } }) as JsonObject;
  t.same((out.spec as JsonObject).containers, [{ name: 'b' }]);
});

t.test('null deletes at any depth; deleting a missing key is fine', async (t) => {
  const out = applyMergePatch(pod(), { spec: { nodeSelector: null }, status: null, metadata: { labels: { nope: null } } });
  t.same(out, { metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
});

t.test('an object patch over a scalar or a missing member: nulls inside are dropped', async (t) => {
  t.same(applyMergePatch({ a: 'x' }, { a: { b: 1, c: null, d: { e: null } } }), { a: { b: 1, d: {} } });
  t.same(applyMergePatch({}, { n: { m: { k: 'v' } } }), { n: { m: { k: 'v' } } });
});

t.test('scalars and arrays replace objects and vice versa', async (t) => {
  t.same(applyMergePatch({ a: { b: 1 } }, { a: 'x' }), { a: 'x' });
  t.same(applyMergePatch({ a: { b: 1 } }, { a: [1, null] }), { a: [1, null] }, 'nulls inside arrays are values');
  t.same(applyMergePatch({ a: [1] }, { a: { b: 1 } }), { a: { b: 1 } });
});

t.test('RFC 7386 appendix examples', async (t) => {
  t.same(
    applyMergePatch(
      { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' },
      { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] },
    ),
    { title: 'Hello!', author: { givenName: 'John' }, tags: ['example'], content: 'This will be unchanged', phoneNumber: '+01-123-456-7890' },
  );
  t.same(applyMergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  t.same(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  t.same(applyMergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  t.same(applyMergePatch(['a', 'b'], { a: 'b' }), { a: 'b' }, 'a non-object document is replaced by the merged object');
  t.same(applyMergePatch({ a: 'foo' }, ['c']), ['c'], 'an array patch replaces the document');
});

t.test('top-level null and scalar patches are rejected like kube-apiserver does', async (t) => {
  rejectsWith(t, () => applyMergePatch({ a: 1 }, null), 400, 'Invalid JSON Patch');
  rejectsWith(t, () => applyMergePatch({ a: 1 }, 'x'), 400, 'Invalid JSON Patch');
  rejectsWith(t, () => applyMergePatch({ a: 1 }, 3), 400, 'Invalid JSON Patch');
});

t.test('inputs are not modified and the result shares nothing with them', async (t) => {
  const original = pod();
  const patch = { metadata: { annotations: { note: 'x' } }, spec: { containers: [{ name: 'b' }] } };
  const out = applyMergePatch(original, patch) as JsonObject;
  t.same(original, pod());
  t.same(patch, { metadata: { annotations: { note: 'x' } }, spec: { containers: [{ name: 'b' }] } });
  ((out.metadata as JsonObject).labels as JsonObject).app = 'mutated';
  ((out.spec as JsonObject).containers as JsonObject[])[0]!.name = 'mutated';
  t.equal(((original.metadata as JsonObject).labels as JsonObject).app, 'web');
  t.equal(patch.spec.containers[0]!.name, 'b');
});

t.test('__proto__ in a patch is stored as data', async (t) => {
  const patch = JSON.parse('{"metadata":{"__proto__":{"x":1}}}') as JsonObject;
  const out = applyMergePatch({ metadata: {} }, patch) as JsonObject;
  const metadata = out.metadata as JsonObject;
  t.same(Object.keys(metadata), ['__proto__']);
  t.equal(Object.getPrototypeOf(metadata), Object.prototype);
});
