import fc from 'fast-check';
import t from 'tap';
import { KeyIndex } from '../../src/mvcc/key-index.js';

function scanAll(ix: KeyIndex<number>, start: string, end: string | null): string[] {
  const out: string[] = [];
  ix.scan(start, end, (k) => {
    out.push(k);
  });
  return out;
}

t.test('basic set/get/delete/scan', async (t) => {
  const ix = new KeyIndex<number>();
  for (const k of ['b', 'a', 'c', 'a\0', 'ab']) ix.set(k, k.length);
  t.equal(ix.size, 5);
  t.same(scanAll(ix, '', null), ['a', 'a\0', 'ab', 'b', 'c']);
  t.same(scanAll(ix, 'a\0', 'b'), ['a\0', 'ab']);
  t.same(scanAll(ix, 'b', 'a'), [], 'end below start is empty');
  t.equal(ix.get('ab'), 2);
  ix.set('ab', 7);
  t.equal(ix.get('ab'), 7, 'set replaces');
  t.equal(ix.size, 5);
  t.equal(ix.delete('zz'), false);
  t.equal(ix.delete('a'), true);
  t.equal(ix.get('a'), undefined);
  t.same(scanAll(ix, '', null), ['a\0', 'ab', 'b', 'c']);
  const stopped: string[] = [];
  ix.scan('', null, (k) => {
    stopped.push(k);
    return stopped.length < 2;
  });
  t.same(stopped, ['a\0', 'ab'], 'returning false stops the scan');
  ix.checkInvariants();
});

t.test('byte order: latin1 chars above 0x7f sort after ASCII', async (t) => {
  const ix = new KeyIndex<number>();
  for (const k of ['\xff', 'z', '\x80', '\x00', 'A']) ix.set(k, 0);
  t.same(scanAll(ix, '', null), ['\x00', 'A', 'z', '\x80', '\xff']);
});

t.test('many keys: splits, merges, invariants', async (t) => {
  const ix = new KeyIndex<number>();
  const n = 20_000;
  const key = (i: number): string => `/registry/pods/ns/p${String(i).padStart(6, '0')}`;
  // Insert in a scrambled order.
  for (let i = 0; i < n; i++) ix.set(key((i * 7919) % n), i);
  ix.checkInvariants();
  t.equal(ix.size, n);
  t.same(scanAll(ix, key(100), key(105)), [100, 101, 102, 103, 104].map(key));
  for (let i = 0; i < n; i += 2) ix.delete(key(i));
  ix.checkInvariants();
  t.equal(ix.size, n / 2);
  t.same(scanAll(ix, key(100), key(106)), [101, 103, 105].map(key));
  for (let i = 1; i < n; i += 2) ix.delete(key(i));
  ix.checkInvariants();
  t.equal(ix.size, 0);
  t.same(scanAll(ix, '', null), []);
});

t.test('model: random ops against a sorted array', async (t) => {
  const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\0', '\xff'), maxLength: 4 });
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: keyArb, val: fc.integer() }),
    fc.record({ kind: fc.constant('del' as const), key: keyArb }),
    fc.record({ kind: fc.constant('scan' as const), start: keyArb, end: fc.option(keyArb, { nil: null }) }),
  );
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
      const ix = new KeyIndex<number>();
      const model = new Map<string, number>();
      for (const op of ops) {
        if (op.kind === 'set') {
          ix.set(op.key, op.val);
          model.set(op.key, op.val);
        } else if (op.kind === 'del') {
          if (ix.delete(op.key) !== model.delete(op.key)) return false;
        } else {
          const got: [string, number][] = [];
          ix.scan(op.start, op.end, (k, v) => {
            got.push([k, v]);
          });
          const want = [...model.entries()]
            .filter(([k]) => k >= op.start && (op.end === null || k < op.end))
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          if (JSON.stringify(got) !== JSON.stringify(want)) return false;
        }
      }
      ix.checkInvariants();
      return ix.size === model.size;
    }),
    { numRuns: 200 },
  );
  t.pass('matches the model');
});

t.test('model with big trees (exercises inner-node borrow/merge)', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 6000 })), { minLength: 3000, maxLength: 12000 }), (ops) => {
      const ix = new KeyIndex<number>();
      const model = new Set<string>();
      for (const [ins, n] of ops) {
        const k = String(n).padStart(5, '0');
        if (ins) {
          ix.set(k, n);
          model.add(k);
        } else {
          ix.delete(k);
          model.delete(k);
        }
      }
      ix.checkInvariants();
      const got: string[] = [];
      ix.scan('', null, (k) => {
        got.push(k);
      });
      return JSON.stringify(got) === JSON.stringify([...model].sort());
    }),
    { numRuns: 15 },
  );
  t.pass('matches the model');
});

t.test('100k keys: insert, seek and delete are fast', async (t) => {
  const ix = new KeyIndex<number>();
  const n = 100_000;
  const key = (i: number): string => `/registry/configmaps/default/cm-${String(i).padStart(7, '0')}`;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) ix.set(key((i * 48271) % n), i);
  const t1 = performance.now();
  let seen = 0;
  for (let i = 0; i < 10_000; i++) {
    ix.scan(key(i * 7), null, () => {
      seen++;
      return false;
    });
  }
  const t2 = performance.now();
  for (let i = 0; i < n; i++) ix.delete(key(i));
  const t3 = performance.now();
  t.equal(seen, 10_000);
  t.equal(ix.size, 0);
  t.comment(`insert ${(((t1 - t0) / n) * 1000).toFixed(2)} µs/op, seek ${(((t2 - t1) / 10_000) * 1000).toFixed(2)} µs/op, delete ${(((t3 - t2) / n) * 1000).toFixed(2)} µs/op`);
  // Generous bounds for a shared 2-core box: a sorted-array splice would be ~50x slower at this size.
  t.ok(t1 - t0 < 2000, 'insert 100k under 2 s');
  t.ok(t3 - t2 < 2000, 'delete 100k under 2 s');
});
