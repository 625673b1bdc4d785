// Random op sequences against a reference model: a Map of live keys per revision (the history array) and the
// compaction revision. Range results are compared at the current and at historical revisions, errors included;
// at the end, watch replay, hash and snapshot round-trip are checked against the same model.
import fc from 'fast-check';
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import { EtcdError, type KeyValue, type RequestOp } from '../../src/api/types.js';
import { MvccStore } from '../../src/mvcc/index.js';
import { b64, cmp, delReq, opDel, opPut, putReq, rangeReq, txnReq, watchReq } from './helpers.js';

type State = Map<string, KeyValue>;

class Model {
  /** history[rev] = live keys at rev; history[1] is the empty store. */
  readonly history: State[] = [new Map(), new Map()];
  compactMainRev = -1;
  readonly leases = new Set<string>();

  get rev(): number {
    return this.history.length - 1;
  }

  get current(): State {
    return this.history[this.rev]!;
  }

  /** Runs writes against a copy of the current state at the next revision; commits if anything changed. */
  write(fn: (s: State, rev: number) => boolean): void {
    const next = new Map(this.current);
    if (fn(next, this.rev + 1)) this.history.push(next);
  }

  static put(s: State, rev: number, key: string, value: string, lease: string): boolean {
    const prev = s.get(key);
    s.set(key, {
      key,
      value: b64(value),
      createRevision: prev?.createRevision ?? rev,
      modRevision: rev,
      version: (prev?.version ?? 0) + 1,
      lease,
    });
    return true;
  }

  static del(s: State, key: string, rangeEnd: string): boolean {
    let n = 0;
    for (const k of [...s.keys()]) {
      if (inRange(k, key, rangeEnd)) {
        s.delete(k);
        n++;
      }
    }
    return n > 0;
  }
}

function inRange(k: string, key: string, rangeEnd: string): boolean {
  if (rangeEnd === '') return k === key;
  return k >= key && (rangeEnd === '\0' || k < rangeEnd);
}

function sortedKeys(s: State): string[] {
  return [...s.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const KEYS = ['a', 'a/1', 'a/2', 'b', 'c', '\xff'];
const keyArb = fc.constantFrom(...KEYS);
const endArb = fc.constantFrom('', '', 'a0', 'b', 'd', '\0', 'a');
const valArb = fc.constantFrom('', 'x', 'y', 'zz', '\xff');

type Op =
  | { kind: 'put'; key: string; value: string; lease: string }
  | { kind: 'del'; key: string; rangeEnd: string }
  | { kind: 'txn'; key: string; version: number; result: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL'; then: SubOp[]; otherwise: SubOp[] }
  | { kind: 'compact'; back: number }
  | { kind: 'grant'; id: string }
  | { kind: 'revoke'; id: string }
  | { kind: 'range'; key: string; rangeEnd: string; back: number; limit: number };

type SubOp = { put: true; key: string; value: string } | { put: false; key: string; rangeEnd: string };

const subOpArb: fc.Arbitrary<SubOp> = fc.oneof(
  fc.record({ put: fc.constant(true as const), key: keyArb, value: valArb }),
  fc.record({ put: fc.constant(false as const), key: keyArb, rangeEnd: endArb }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), key: keyArb, value: valArb, lease: fc.constantFrom('0', '0', '1', '2') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('del' as const), key: keyArb, rangeEnd: endArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('txn' as const),
      key: keyArb,
      version: fc.integer({ min: 0, max: 3 }),
      result: fc.constantFrom('EQUAL' as const, 'GREATER' as const, 'LESS' as const, 'NOT_EQUAL' as const),
      then: fc.array(subOpArb, { maxLength: 4 }),
      otherwise: fc.array(subOpArb, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), back: fc.integer({ min: -1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grant' as const), id: fc.constantFrom('1', '2') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), id: fc.constantFrom('1', '2') }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('range' as const),
      key: fc.constantFrom(...KEYS, '\0'),
      rangeEnd: endArb,
      back: fc.integer({ min: -1, max: 12 }),
      limit: fc.constantFrom(0, 0, 1, 2),
    }),
  },
);

/** Runs fn, returning the etcd error message or the value. */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof EtcdError)) throw err;
    return { ok: false, message: err.message };
  }
}

function expectRange(m: Model, key: string, rangeEnd: string, revision: number, limit: number) {
  if (revision > m.rev) return { ok: false as const, message: 'etcdserver: mvcc: required revision is a future revision' };
  const at = revision <= 0 ? m.rev : revision;
  if (at < m.compactMainRev) return { ok: false as const, message: 'etcdserver: mvcc: required revision has been compacted' };
  const s = m.history[at]!;
  const all = sortedKeys(s)
    .filter((k) => inRange(k, key, rangeEnd))
    .map((k) => s.get(k)!);
  const kvs = limit > 0 ? all.slice(0, limit) : all;
  return { ok: true as const, value: { header: { revision: m.rev }, kvs, more: limit > 0 && all.length > limit, count: all.length } };
}

function runOp(store: MvccStore, m: Model, op: Op): string | undefined {
  switch (op.kind) {
    case 'put': {
      const got = attempt(() => store.put(putReq(op.key, op.value, { lease: op.lease })));
      if (op.lease !== '0' && !m.leases.has(op.lease)) {
        return got.ok ? 'put with unknown lease succeeded' : undefined;
      }
      m.write((s, rev) => Model.put(s, rev, op.key, op.value, op.lease));
      return got.ok && got.value.header.revision === m.rev ? undefined : `put: ${JSON.stringify(got)}`;
    }
    case 'del': {
      const got = store.deleteRange(delReq(op.key, op.rangeEnd));
      const before = m.rev;
      let n = 0;
      m.write((s) => {
        const size = s.size;
        const changed = Model.del(s, op.key, op.rangeEnd);
        n = size - s.size;
        return changed;
      });
      return got.deleted === n && got.header.revision === m.rev && (n > 0) === (m.rev > before) ? undefined : 'delete mismatch';
    }
    case 'txn': {
      const toOps = (xs: SubOp[]): RequestOp[] => xs.map((x) => (x.put ? opPut(x.key, x.value) : opDel(x.key, x.rangeEnd)));
      const got = store.txn(txnReq([cmp(op.key, 'VERSION', op.result, op.version)], toOps(op.then), toOps(op.otherwise)));
      const v = m.current.get(op.key)?.version ?? 0;
      const ok = { EQUAL: v === op.version, NOT_EQUAL: v !== op.version, GREATER: v > op.version, LESS: v < op.version }[op.result];
      m.write((s, rev) => {
        let changed = false;
        for (const x of ok ? op.then : op.otherwise) {
          changed = (x.put ? Model.put(s, rev, x.key, x.value, '0') : Model.del(s, x.key, x.rangeEnd)) || changed;
        }
        return changed;
      });
      return got.succeeded === ok && got.header.revision === m.rev ? undefined : 'txn mismatch';
    }
    case 'compact': {
      const rev = m.rev - op.back;
      const got = attempt(() => store.compact(rev));
      if (rev <= m.compactMainRev) return !got.ok && got.message.includes('compacted') ? undefined : 'compact should fail (compacted)';
      if (rev > m.rev) return !got.ok && got.message.includes('future') ? undefined : 'compact should fail (future)';
      m.compactMainRev = rev;
      return got.ok ? undefined : `compact failed: ${JSON.stringify(got)}`;
    }
    case 'grant': {
      const got = attempt(() => store.leaseGrant({ id: op.id, ttl: 10 }));
      if (m.leases.has(op.id)) return got.ok ? 'double grant' : undefined;
      m.leases.add(op.id);
      return got.ok ? undefined : 'grant failed';
    }
    case 'revoke': {
      const got = attempt(() => store.leaseRevoke(op.id));
      if (!m.leases.has(op.id)) return got.ok ? 'revoke of unknown lease' : undefined;
      m.leases.delete(op.id);
      m.write((s) => {
        let changed = false;
        for (const [k, kv] of [...s]) {
          if (kv.lease === op.id) {
            s.delete(k);
            changed = true;
          }
        }
        return changed;
      });
      return got.ok && got.value.header.revision === m.rev ? undefined : 'revoke mismatch';
    }
    case 'range': {
      const revision = op.back < 0 ? 0 : m.rev - op.back + (op.back === 0 ? 1 : 0); // back 0 probes the future
      const got = attempt(() => store.range(rangeReq(op.key, { rangeEnd: op.rangeEnd, revision, limit: op.limit })));
      const want = expectRange(m, op.key, op.rangeEnd, revision, op.limit);
      return isDeepStrictEqual(got, want) ? undefined : `range ${JSON.stringify(op)} rev ${revision}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
    }
  }
}

/** Whole-state checks after a sequence: every retained revision, watch replay, hash, snapshot. */
function finalChecks(store: MvccStore, m: Model, ops: Op[]): string | undefined {
  const firstReadable = Math.max(1, m.compactMainRev);
  for (let rev = firstReadable; rev <= m.rev; rev++) {
    const got = attempt(() => store.range(rangeReq('\0', { rangeEnd: '\0', revision: rev })));
    const want = expectRange(m, '\0', '\0', rev, 0);
    if (!isDeepStrictEqual(got, want)) return `state at ${rev} differs: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
  }
  // Folding a watch replay from the first readable revision rebuilds every later state.
  const folded = new Map(m.history[firstReadable]!);
  let bad: string | undefined;
  let lastRev = firstReadable;
  store.watch(watchReq('\0', { rangeEnd: '\0', startRevision: firstReadable }), (events, revision) => {
    if (revision === firstReadable) return; // at the compaction revision only surviving revisions replay
    if (revision <= lastRev) bad ??= 'replay out of order';
    lastRev = revision;
    for (const e of events) {
      if (e.type === 'PUT') folded.set(e.kv.key, e.kv);
      else folded.delete(e.kv.key);
    }
    if (!isDeepStrictEqual(new Map([...folded].sort()), new Map([...m.history[revision]!].sort()))) bad ??= `replay state at ${revision}`;
  });
  if (bad !== undefined) return bad;
  // Same ops → same hash; a restored copy answers and hashes the same.
  const twin = new MvccStore();
  const twinModel = new Model();
  for (const op of ops) runOp(twin, twinModel, op);
  if (twin.hashKV(0).hash !== store.hashKV(0).hash) return 'twin hash differs';
  const restored = MvccStore.restore(store.serialize());
  if (!isDeepStrictEqual(restored.hashKV(0), store.hashKV(0))) return 'restored hash differs';
  for (let rev = firstReadable; rev <= m.rev; rev++) {
    const a = store.range(rangeReq('\0', { rangeEnd: '\0', revision: rev }));
    const b = restored.range(rangeReq('\0', { rangeEnd: '\0', revision: rev }));
    if (!isDeepStrictEqual(a, b)) return `restored state at ${rev} differs`;
  }
  if (!isDeepStrictEqual(restored.leases(), store.leases())) return 'restored leases differ';
  return undefined;
}

t.test('random op sequences match the model', async (t) => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
      const store = new MvccStore();
      const m = new Model();
      // A live watcher on everything, folded into a map, must track the model after every op.
      const live = new Map<string, KeyValue>();
      let lastLive = 1;
      store.watch(watchReq('\0', { rangeEnd: '\0' }), (events, revision) => {
        if (revision !== lastLive + 1) throw new Error(`live delivery skipped from ${lastLive} to ${revision}`);
        lastLive = revision;
        for (const e of events) {
          if (e.type === 'PUT') live.set(e.kv.key, e.kv);
          else live.delete(e.kv.key);
        }
      });
      for (const op of ops) {
        const err = runOp(store, m, op);
        if (err !== undefined) throw new Error(err);
        if (store.revision !== m.rev) throw new Error(`revision ${store.revision} != model ${m.rev}`);
        if (!isDeepStrictEqual(new Map([...live].sort()), new Map([...m.current].sort()))) throw new Error(`live watch state at ${m.rev}`);
      }
      const err = finalChecks(store, m, ops);
      if (err !== undefined) throw new Error(err);
    }),
    { numRuns: 400 },
  );
  t.pass('400 random sequences agree with the model');
});
