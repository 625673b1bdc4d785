// Duplicate keys as Kubernetes' strict decoding names them (sigs.k8s.io/json kubernetes_patch_test.go facts).
import t from 'tap';
import { duplicateFieldMessage, findDuplicateFields, MAX_STRICT_ERRORS, strictDecodingErrorMessage } from '../../src/json/duplicate-keys.js';

t.test('names duplicates with dotted paths and array indices, each once', async (t) => {
  t.same(findDuplicateFields('{"a":1,"a":2,"a":3,"b":4,"b":5,"b":6,"C":7,"C":8,"C":9,"e":[{"f":1,"f":1}]}'), ['a', 'b', 'C', 'e[0].f']);
  t.same(findDuplicateFields('{"d":{"a":"","b":"","c":"","a":"","b":"","c":""}}'), ['d.a', 'd.b', 'd.c']);
  t.same(findDuplicateFields('{"a":"","b":"","a":"","b":"","c":{"c":"","c":""},"d":{"e":{"f":1,"f":1}},"e":[{"g":1,"g":1}]}'), [
    'a',
    'b',
    'c.c',
    'd.e.f',
    'e[0].g',
  ]);
  const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }, { name: 'd' }] } });
  t.same(findDuplicateFields(pod), []);
  const dup = '{"metadata":{"name":"a","labels":{"x":"1"},"name":"b"},"spec":{"containers":[{"name":"c"},{"name":"d","image":"i","image":"j"}]}}';
  t.same(findDuplicateFields(dup), ['metadata.name', 'spec.containers[1].image']);
});

t.test('keeps paths right around empty containers, nesting and top-level arrays', async (t) => {
  t.same(findDuplicateFields('{"a":{},"a":[],"b":[[],{}],"b":1}'), ['a', 'b']);
  t.same(findDuplicateFields('[{"a":1,"a":2},[{"b":1,"b":1}]]'), ['[0].a', '[1][0].b']);
  t.same(findDuplicateFields('{"x":[[1,[2]],{"y":{"z":[{"k":1},{"k":1,"k":2}]}}],"x":0}'), ['x[1].y.z[1].k', 'x']);
  t.same(findDuplicateFields(' { "a" : 1 , "b" : { } , "a" : 2 } '), ['a']);
  // Objects are separate scopes: the same key in two objects is not a duplicate.
  t.same(findDuplicateFields('{"a":{"x":1},"b":{"x":1},"l":[{"x":1},{"x":1}]}'), []);
});

t.test('compares decoded keys and skips strings with escapes correctly', async (t) => {
  t.same(findDuplicateFields('{"a\\"b":1,"a\\u0022b":2}'), ['a"b']);
  t.same(findDuplicateFields('{"x":"\\\\","y":"q\\"}","x":"\\"\\\\"}'), ['x']);
  t.same(findDuplicateFields('{"k":"{\\"k\\":1,\\"k\\":2}"}'), []);
  t.same(findDuplicateFields('{"é":1,"\\u00e9":2}'), ['é']);
});

t.test('returns what it found before malformed JSON', async (t) => {
  t.same(findDuplicateFields('{"a":1,"a":'), ['a']);
  t.same(findDuplicateFields('{"a":1,"a":2'), ['a']);
  t.same(findDuplicateFields('{"a" 1}'), []);
  t.same(findDuplicateFields('{"a":"unterminated'), []);
  t.same(findDuplicateFields(''), []);
  t.same(findDuplicateFields('42'), []);
});

t.test('stops at Kubernetes limit of 100 errors', async (t) => {
  const body = `{${Array.from({ length: 150 }, (_, i) => `"k${i}":1,"k${i}":2`).join(',')}}`;
  const found = findDuplicateFields(body);
  t.equal(found.length, MAX_STRICT_ERRORS);
  t.equal(found[99], 'k99');
});

t.test('formats strict decoding errors as Kubernetes does', async (t) => {
  t.equal(duplicateFieldMessage('metadata.name'), 'duplicate field "metadata.name"');
  t.equal(duplicateFieldMessage('a"b'), 'duplicate field "a\\"b"');
  t.equal(duplicateFieldMessage('tab\there'), 'duplicate field "tab\\there"');
  t.equal(
    strictDecodingErrorMessage(findDuplicateFields('{"a":1,"a":2,"e":[{"f":1,"f":1}]}').map(duplicateFieldMessage)),
    'strict decoding error: duplicate field "a", duplicate field "e[0].f"',
  );
});

t.test('scans a 3 MiB body quickly', async (t) => {
  const data: Record<string, string> = {};
  for (let i = 0; i < 20000; i++) data[`key-${i}`] = `${'v'.repeat(150)}\\"quoted\\"`;
  const text = `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data }).slice(0, -2)},"key-7":"again"}}`;
  t.ok(text.length > 3 * 1024 * 1024);
  const start = performance.now();
  t.same(findDuplicateFields(text), ['data.key-7']);
  t.ok(performance.now() - start < 1000, 'well under a second');
  // Deep nesting needs no recursion.
  const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
  t.same(findDuplicateFields(deep), []);
});
