// Generates histories that are linearizable by construction: ops are applied to a sequential reference store at
// their linearization points (in that order), and each op's [call, ret] interval is drawn around its point.

import fc from 'fast-check';
import type { CasExpect, HistoryEntry, KeyOp, KvObservation, OpResult } from '../../../src/check/index.js';

export type Fate = 'ok' | 'unknown-applied' | 'unknown-dropped' | 'fail';

export interface OpSpec {
  key: number;
  client: number;
  kind: 'put' | 'get' | 'delete' | 'cas';
  /** cas: compare against the current state (likely to succeed) or an arbitrary earlier one. */
  casTarget: 'value' | 'mod' | 'version';
  casCurrent: boolean;
  pick: number;
  /** put / delete: ask for prevKv. */
  prevKv: boolean;
  fate: Fate;
  /** Writes to unrelated keys before this op (they bump the store revision). */
  bump: number;
  lin: number;
  call: number;
  ret: number;
}

export interface GenConfig {
  /** Record header revisions. */
  revisions: boolean;
  /** Record modRevision / version in observed kvs. */
  meta: boolean;
  /** Size of the value pool; 0 = every write writes a fresh value. */
  valuePool: number;
}

interface KeyState {
  value: string | null;
  version: number;
  mod: number;
  history: { value: string; mod: number; version: number }[];
}

/** Runs the specs against a reference store in `lin` order and records what each client would have seen. */
export function materialize(specs: readonly OpSpec[], cfg: GenConfig, truth?: number[]): HistoryEntry[] {
  const order = specs.map((_s, i) => i).sort((a, b) => specs[a]!.lin - specs[b]!.lin || a - b);
  const keys = new Map<number, KeyState>();
  let rev = 1;
  let fresh = 0;
  const out: HistoryEntry[] = [];
  for (const i of order) {
    const s = specs[i]!;
    rev += s.bump;
    let k = keys.get(s.key);
    if (!k) keys.set(s.key, (k = { value: null, version: 0, mod: 0, history: [] }));
    const kv = (): KvObservation | null => {
      if (k!.value === null) return null;
      const o: KvObservation = { value: k!.value };
      if (cfg.meta) {
        o.modRevision = k!.mod;
        o.version = k!.version;
      }
      return o;
    };
    const newValue = (): string => (cfg.valuePool > 0 ? `v${fresh++ % cfg.valuePool}` : `v${fresh++}`);
    const doWrite = (value: string | null): number => {
      rev++;
      if (value === null) {
        k!.value = null;
        k!.version = 0;
        k!.mod = 0;
      } else {
        k!.version = k!.value === null ? 1 : k!.version + 1;
        k!.value = value;
        k!.mod = rev;
        k!.history.push({ value, mod: rev, version: k!.version });
      }
      return rev;
    };
    const applied = s.fate === 'ok' || s.fate === 'unknown-applied';
    if (applied) truth?.push(i);
    let op: KeyOp;
    let result: OpResult;
    const withRev = <R extends OpResult>(r: R, revision: number): R =>
      cfg.revisions ? { ...r, revision } : r;
    switch (s.kind) {
      case 'get':
        op = { type: 'get' };
        result = withRev({ kv: kv() }, rev);
        break;
      case 'put': {
        const value = newValue();
        op = { type: 'put', value };
        const prev = kv();
        if (!applied) {
          result = {};
          break;
        }
        const r = doWrite(value);
        result = withRev(s.prevKv ? { prevKv: prev } : {}, r);
        break;
      }
      case 'delete': {
        op = { type: 'delete' };
        const prev = kv();
        if (!applied || prev === null) {
          result = withRev({ deleted: 0, ...(s.prevKv ? { prevKv: null } : {}) }, rev);
          break;
        }
        const r = doWrite(null);
        result = withRev({ deleted: 1, ...(s.prevKv ? { prevKv: prev } : {}) }, r);
        break;
      }
      case 'cas': {
        const value = newValue();
        const past = k.history.length ? k.history[s.pick % k.history.length]! : undefined;
        let expect: CasExpect;
        // Without recorded metadata a client has no revisions or versions to compare against.
        if (s.casTarget === 'value' || !cfg.meta) expect = { value: s.casCurrent || !past ? (k.value ?? 'never') : past.value };
        else if (s.casTarget === 'mod') expect = { modRevision: s.casCurrent || !past ? k.mod : past.mod };
        else expect = { version: s.casCurrent || !past ? k.version : past.version };
        op = { type: 'cas', expect, value };
        const holds =
          'value' in expect
            ? k.value !== null && k.value === expect.value
            : 'modRevision' in expect
              ? k.mod === expect.modRevision
              : k.version === expect.version;
        const prev = kv();
        if (applied && holds) result = withRev({ succeeded: true }, doWrite(value));
        else result = withRev({ succeeded: false, ...(s.prevKv ? { kv: prev } : {}) }, rev);
        break;
      }
    }
    const base = { id: i, clientId: s.client, key: `key${s.key}`, op, call: BigInt(s.call) };
    if (s.fate === 'ok') out.push({ ...base, ret: BigInt(s.ret), outcome: 'ok', result });
    else if (s.fate === 'fail') out.push({ ...base, ret: BigInt(s.ret), outcome: 'fail' });
    else out.push({ ...base, ret: null, outcome: 'unknown' });
  }
  return out.sort((a, b) => a.id - b.id);
}

export interface ArbConfig {
  minOps: number;
  maxOps: number;
  keys: number;
  /** Max distance of call / ret from the linearization point, in units of the gap between points (10). */
  spread: number;
  unknownRate: number;
}

/** fast-check arbitrary of linearizable histories, shrinking towards fewer and simpler ops. */
export function linearizableHistory(cfg: ArbConfig): fc.Arbitrary<{ history: HistoryEntry[]; gen: GenConfig }> {
  const fate: fc.Arbitrary<Fate> = fc
    .integer({ min: 0, max: 99 })
    .map((n): Fate => {
      const u = cfg.unknownRate * 100;
      return n < u / 2 ? 'unknown-applied' : n < u ? 'unknown-dropped' : n < u + 3 ? 'fail' : 'ok';
    });
  const spec = fc.record({
    key: fc.integer({ min: 0, max: cfg.keys - 1 }),
    client: fc.integer({ min: 0, max: 7 }),
    kind: fc.constantFrom('put', 'get', 'get', 'delete', 'cas') as fc.Arbitrary<OpSpec['kind']>,
    casTarget: fc.constantFrom('value', 'mod', 'version') as fc.Arbitrary<OpSpec['casTarget']>,
    casCurrent: fc.boolean(),
    pick: fc.nat(20),
    prevKv: fc.boolean(),
    fate,
    bump: fc.constantFrom(0, 0, 1, 3),
    pre: fc.integer({ min: 0, max: cfg.spread * 10 }),
    post: fc.integer({ min: 0, max: cfg.spread * 10 }),
  });
  const gen = fc.record({
    revisions: fc.boolean(),
    meta: fc.boolean(),
    valuePool: fc.constantFrom(0, 0, 2, 3),
  });
  return fc.tuple(fc.array(spec, { minLength: cfg.minOps, maxLength: cfg.maxOps }), gen).map(([raw, g]) => {
    const specs: OpSpec[] = raw.map((r, i) => {
      const lin = 10 * (i + 1) + 5;
      return { ...r, lin, call: lin - r.pre, ret: lin + r.post };
    });
    return { history: materialize(specs, g), gen: g };
  });
}

/** Seeded PRNG (mulberry32) for the non-property generators. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic load: `clients` clients each issuing ops back to back on one key, latencies of 0.2–3 ms, the effect
 * landing somewhere inside each op's interval. Times in ns.
 */
export function clientLoad(opts: {
  seed: number;
  clients: number;
  ops: number;
  cfg: GenConfig;
  unknownRate?: number;
  mix?: { put: number; get: number; delete: number; cas: number };
  /** Receives the ids of the ops that took effect, in the order they did. */
  truth?: number[];
}): HistoryEntry[] {
  const r = rng(opts.seed);
  const mix = opts.mix ?? { put: 0.3, get: 0.5, delete: 0.05, cas: 0.15 };
  const cursor = new Array<number>(opts.clients).fill(0);
  const specs: OpSpec[] = [];
  for (let i = 0; i < opts.ops; i++) {
    const c = i % opts.clients;
    const call = cursor[c]! + Math.floor(r() * 50_000);
    const dur = 200_000 + Math.floor(r() * 2_800_000);
    const ret = call + dur;
    cursor[c] = ret;
    const x = r();
    const kind: OpSpec['kind'] =
      x < mix.put ? 'put' : x < mix.put + mix.get ? 'get' : x < mix.put + mix.get + mix.delete ? 'delete' : 'cas';
    const u = r();
    const fate: Fate =
      u < (opts.unknownRate ?? 0) / 2 ? 'unknown-applied' : u < (opts.unknownRate ?? 0) ? 'unknown-dropped' : 'ok';
    specs.push({
      key: 0,
      client: c,
      kind,
      casTarget: (['value', 'mod', 'version'] as const)[Math.floor(r() * 3)]!,
      casCurrent: r() < 0.7,
      pick: Math.floor(r() * 1000),
      prevKv: r() < 0.3,
      fate,
      bump: r() < 0.3 ? Math.floor(r() * 3) : 0,
      lin: call + Math.floor(r() * dur),
      call,
      ret,
    });
  }
  return materialize(specs, opts.cfg, opts.truth);
}
