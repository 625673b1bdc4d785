import t from 'tap';
import { search, type SearchOp, type SearchSpec } from '../../src/check/search.js';

// A toy object for the generic search: a counter with increments and reads.
interface CounterOp extends SearchOp {
  readonly name: string;
  readonly kind: 'inc' | 'read';
  readonly value?: number;
}
const inc = (name: string, call: number, ret: number): CounterOp => ({ name, kind: 'inc', call, ret });
const read = (name: string, call: number, ret: number, value: number): CounterOp => ({ name, kind: 'read', call, ret, value });

function spec(must: CounterOp[], may: CounterOp[] = [], deadline = performance.now() + 5_000): SearchSpec<number, CounterOp> {
  return {
    must,
    may,
    init: 0,
    step: (s, op) => (op.kind === 'inc' ? s + 1 : op.value === s ? s : null),
    stateKey: (s) => String(s),
    stable: (op) => op.kind === 'read',
    deadline,
  };
}

/** The order respects real time and replays. */
function valid(order: CounterOp[], all: CounterOp[]): boolean {
  let s = 0;
  for (const op of order) {
    if (op.kind === 'inc') s++;
    else if (op.value !== s) return false;
  }
  const pos = new Map(order.map((o, i) => [o, i]));
  for (const a of all) for (const b of all) if (a.ret < b.call && pos.get(a)! > pos.get(b)!) return false;
  return all.every((o) => pos.has(o));
}

t.test('finds a linearization that respects real time', async (t) => {
  const ops = [inc('a', 0, 10), inc('b', 5, 30), read('r1', 12, 20, 1), read('r2', 25, 40, 2), read('r3', 41, 50, 2)];
  const r = search(spec(ops));
  t.equal(r.ok, true);
  if (r.ok === true) t.ok(valid(r.order, ops), r.order.map((o) => o.name).join(' '));
});

t.test('reports the longest linearizable prefix when there is none', async (t) => {
  const ops = [inc('a', 0, 10), read('r1', 20, 30, 1), read('r2', 40, 50, 0)];
  const r = search(spec(ops));
  t.equal(r.ok, false);
  if (r.ok === false) t.same(r.best.map((o) => o.name), ['a', 'r1']);
});

t.test('may ops are used only where needed, and can be left out', async (t) => {
  const maybe = { ...inc('m', 0, Infinity) };
  const needed = search(spec([read('r', 10, 20, 1)], [maybe]));
  t.equal(needed.ok === true && needed.order.map((o) => o.name).join(' '), 'm r');
  const unneeded = search(spec([read('r', 10, 20, 0)], [maybe]));
  t.equal(unneeded.ok === true && unneeded.order.map((o) => o.name).join(' '), 'r');
});

t.test('many concurrent reads of one state are committed without branching', async (t) => {
  // 60 reads overlapping one increment, seeing 0 or 1 in call order interleaved: fine (0-readers first).
  const reads = Array.from({ length: 60 }, (_, i) => read(`r${i}`, 1 + i, 2000, i % 2));
  t.equal(search(spec([inc('a', 0, 1000), ...reads], [], performance.now() + 1_000)).ok, true);
  // A read of 0 that starts after a read of 1 returned cannot be placed; refuting this must not try 2^60 orders.
  const late = read('late', 2001, 2002, 0);
  t.equal(search(spec([inc('a', 0, 1000), ...reads, late], [], performance.now() + 1_000)).ok, false);
});

t.test('gives up at the deadline', async (t) => {
  const ops = Array.from({ length: 3000 }, (_, i) => inc(`i${i}`, i, i + 50));
  const r = search(spec(ops, [], performance.now() - 1));
  t.equal(r.ok, 'timeout');
});

t.test('rejects must ops without a finite return', async (t) => {
  t.throws(() => search(spec([inc('x', 10, 5)])), RangeError);
  t.throws(() => search(spec([inc('x', 10, Infinity)])), RangeError);
});
