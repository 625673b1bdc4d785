// cloneJson and jsonEqual: the copies every write path makes of shared (cached) objects.
import t from 'tap';
import { cloneJson, jsonEqual, type JsonObject } from '../../src/json.js';

t.test('cloneJson copies deeply and shares nothing', async (t) => {
  const src: JsonObject = { a: 1, s: 'x', n: null, b: false, arr: [1, { c: [2, 3] }, []], o: { p: { q: 'r' } } };
  const copy = cloneJson(src);
  t.same(copy, src);
  t.not(copy, src);
  t.not(copy.arr, src.arr);
  t.not((copy.arr as JsonObject[])[1], (src.arr as JsonObject[])[1]);
  t.not(copy.o, src.o);
  ((copy.o as JsonObject).p as JsonObject).q = 'changed';
  (copy.arr as number[]).push(4);
  t.equal(((src.o as JsonObject).p as JsonObject).q, 'r');
  t.equal((src.arr as number[]).length, 3);
  t.equal(cloneJson('plain'), 'plain');
  t.equal(cloneJson(null), null);
  t.same(cloneJson([]), []);
});

t.test('cloneJson keeps key order and a "__proto__" key as data', async (t) => {
  const parsed = JSON.parse('{"z":1,"a":2,"__proto__":{"polluted":true},"m":3}') as JsonObject;
  const copy = cloneJson(parsed);
  t.same(Object.keys(copy), ['z', 'a', '__proto__', 'm']);
  t.equal(Object.getPrototypeOf(copy), Object.prototype);
  t.equal(JSON.stringify(copy), JSON.stringify(parsed));
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('jsonEqual ignores key order only', async (t) => {
  t.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
  t.notOk(jsonEqual({ a: [1, 2] }, { a: [2, 1] }));
  t.notOk(jsonEqual({ a: 1 }, { a: 1, b: null }));
  t.notOk(jsonEqual({ a: '1' }, { a: 1 }));
  t.notOk(jsonEqual([], {}));
});
