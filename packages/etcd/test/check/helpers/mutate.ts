// Single-point corruptions of a recorded history, and a generator of arbitrary (mostly wrong) tiny histories.

import fc from 'fast-check';
import type {
  CasExpect,
  CasResult,
  DeleteResult,
  GetResult,
  HistoryEntry,
  KeyOp,
  KvObservation,
  OpResult,
  PutResult,
} from '../../../src/check/index.js';

export const MUTATIONS = [
  'value',
  'absent',
  'mod',
  'version',
  'revision',
  'flip',
  'prevKv',
  'to-fail',
  'to-unknown',
  'shrink',
  'shift',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

function values(h: readonly HistoryEntry[]): string[] {
  const out = new Set<string>(['ghost']);
  for (const e of h) if (e.op.type === 'put' || e.op.type === 'cas') out.add(String(e.op.value));
  return [...out];
}

function bumpKv(kv: KvObservation | null | undefined, f: (kv: KvObservation) => KvObservation | null): KvObservation | null {
  return kv ? f(kv) : null;
}

/** Applies `m` to entry `idx % h.length` (n picks among alternatives); returns null when it does not apply. */
export function mutate(h: readonly HistoryEntry[], idx: number, m: Mutation, n: number): HistoryEntry[] | null {
  if (h.length === 0) return null;
  const i = idx % h.length;
  const e = h[i]!;
  const vals = values(h);
  const delta = n % 2 === 0 ? 1 : -1;
  const pickValue = (not?: string): string => {
    const c = vals.filter((v) => v !== not);
    return c.length ? c[n % c.length]! : `${not}'`;
  };
  let next: HistoryEntry | null = null;
  const r = e.result as (GetResult & PutResult & DeleteResult & CasResult) | undefined;
  const withResult = (res: OpResult): HistoryEntry => ({ ...e, result: res });
  switch (m) {
    case 'value': {
      if (!r) break;
      const kv = e.op.type === 'get' || e.op.type === 'cas' ? r.kv : r.prevKv;
      if (kv === undefined) break;
      const changed = kv === null ? { value: pickValue() } : { ...kv, value: pickValue(String(kv.value)) };
      next = withResult(e.op.type === 'get' || e.op.type === 'cas' ? { ...r, kv: changed } : { ...r, prevKv: changed });
      break;
    }
    case 'absent':
      if (e.op.type === 'get' && r?.kv) next = withResult({ ...r, kv: null });
      break;
    case 'mod':
    case 'version': {
      if (!r) break;
      const field = m === 'mod' ? 'modRevision' : 'version';
      const kv = e.op.type === 'get' || e.op.type === 'cas' ? r.kv : r.prevKv;
      if (!kv || kv[field] === undefined) break;
      const changed = bumpKv(kv, (k) => ({ ...k, [field]: Math.max(0, k[field]! + delta) }));
      next = withResult(e.op.type === 'get' || e.op.type === 'cas' ? { ...r, kv: changed } : { ...r, prevKv: changed });
      break;
    }
    case 'revision':
      if (r?.revision !== undefined) next = withResult({ ...r, revision: Math.max(1, r.revision + delta * (1 + (n % 3))) });
      break;
    case 'flip':
      if (e.op.type === 'cas' && r) next = withResult({ ...r, succeeded: !r.succeeded });
      else if (e.op.type === 'delete' && r) next = withResult({ ...r, deleted: r.deleted === 1 ? 0 : 1 });
      break;
    case 'prevKv':
      if ((e.op.type === 'put' || e.op.type === 'delete') && r && r.prevKv !== undefined) {
        next = withResult({ ...r, prevKv: r.prevKv === null ? { value: pickValue() } : null });
      }
      break;
    case 'to-fail': {
      const { result: _r, ...rest } = e;
      next = { ...rest, outcome: 'fail', ret: e.ret ?? e.call + 1n };
      break;
    }
    case 'to-unknown': {
      const { result: _r, ...rest } = e;
      if (e.outcome !== 'unknown') next = { ...rest, outcome: 'unknown', ret: null };
      break;
    }
    case 'shrink':
      if (e.ret !== null && e.ret > e.call) next = n % 2 === 0 ? { ...e, ret: e.call } : { ...e, call: e.ret };
      break;
    case 'shift': {
      const by = BigInt(5 * (1 + (n % 6))) * (delta > 0 ? 1n : -1n);
      if (e.call + by >= 0n) next = { ...e, call: e.call + by, ret: e.ret === null ? null : e.ret + by };
      break;
    }
  }
  if (next === null) return null;
  return h.map((x, j) => (j === i ? next! : x));
}

/** Arbitrary tiny histories on one key: random ops, random answers, random timing. Mostly not linearizable. */
export function arbitraryHistory(maxOps: number): fc.Arbitrary<HistoryEntry[]> {
  const value = fc.constantFrom('a', 'b', 'c');
  const optNum = (max: number): fc.Arbitrary<number | undefined> =>
    fc.option(fc.integer({ min: 0, max }), { nil: undefined, freq: 2 });
  const kv: fc.Arbitrary<KvObservation | null> = fc.option(
    fc.record({ value, modRevision: optNum(6), version: optNum(3) }).map((k) => {
      const o: KvObservation = { value: k.value };
      if (k.modRevision !== undefined) o.modRevision = k.modRevision;
      if (k.version !== undefined) o.version = k.version;
      return o;
    }),
    { nil: null, freq: 3 },
  );
  const expect: fc.Arbitrary<CasExpect> = fc.oneof(
    value.map((v) => ({ value: v })),
    fc.integer({ min: 0, max: 6 }).map((m) => ({ modRevision: m })),
    fc.integer({ min: 0, max: 3 }).map((v) => ({ version: v })),
  );
  const opAndResult: fc.Arbitrary<{ op: KeyOp; result: OpResult }> = fc.oneof(
    fc.record({ v: value, rev: optNum(7), prev: fc.option(kv, { nil: undefined }) }).map(({ v, rev, prev }) => {
      const result: PutResult = {};
      if (rev !== undefined) result.revision = rev;
      if (prev !== undefined) result.prevKv = prev;
      return { op: { type: 'put', value: v } as KeyOp, result };
    }),
    fc.record({ k: kv, rev: optNum(7) }).map(({ k, rev }) => {
      const result: GetResult = { kv: k };
      if (rev !== undefined) result.revision = rev;
      return { op: { type: 'get' } as KeyOp, result };
    }),
    fc.record({ d: fc.constantFrom(0, 1), rev: optNum(7) }).map(({ d, rev }) => {
      const result: DeleteResult = { deleted: d };
      if (rev !== undefined) result.revision = rev;
      return { op: { type: 'delete' } as KeyOp, result };
    }),
    fc.record({ x: expect, v: value, ok: fc.boolean(), rev: optNum(7), k: fc.option(kv, { nil: undefined }) }).map(
      ({ x, v, ok, rev, k }) => {
        const result: CasResult = { succeeded: ok };
        if (rev !== undefined) result.revision = rev;
        if (!ok && k !== undefined) result.kv = k;
        return { op: { type: 'cas', expect: x, value: v } as KeyOp, result };
      },
    ),
  );
  const entry = fc.record({
    or: opAndResult,
    call: fc.integer({ min: 0, max: 60 }),
    len: fc.integer({ min: 0, max: 30 }),
    outcome: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'unknown', 'fail'),
  });
  return fc.array(entry, { minLength: 1, maxLength: maxOps }).map((es) =>
    es.map((x, id): HistoryEntry => {
      const base = { id, clientId: id, key: 'k', op: x.or.op, call: BigInt(x.call) };
      if (x.outcome === 'ok') return { ...base, ret: BigInt(x.call + x.len), outcome: 'ok', result: x.or.result };
      if (x.outcome === 'fail') return { ...base, ret: BigInt(x.call + x.len), outcome: 'fail' };
      return { ...base, ret: null, outcome: 'unknown' };
    }),
  );
}
