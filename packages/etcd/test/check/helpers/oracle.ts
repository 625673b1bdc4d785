// A brute-force linearizability oracle for tiny histories, written independently of src/check: it simulates a
// concrete etcd key (exact value, version, mod revision, store revision) and tries every order of every subset of
// unknown-outcome ops, and every concrete revision for writes whose revision was not recorded.

import type { Bytes, CasExpect, HistoryEntry, KvObservation } from '../../../src/check/index.js';

interface Store {
  exists: boolean;
  value: string;
  version: number;
  mod: number;
  /** The store-wide revision. */
  rev: number;
}

const bin = (v: Bytes): string => Buffer.from(typeof v === 'string' ? Buffer.from(v, 'utf8') : v).toString('latin1');

export function bruteForceLinearizable(history: readonly HistoryEntry[]): boolean {
  const byKey = new Map<string, HistoryEntry[]>();
  for (const e of history) {
    const k = bin(e.key);
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
  }
  for (const entries of byKey.values()) if (!keyLinearizable(entries)) return false;
  return true;
}

function keyLinearizable(all: HistoryEntry[]): boolean {
  const ops = all.filter((e) => e.outcome !== 'fail' && !(e.outcome === 'unknown' && e.op.type === 'get'));
  if (ops.length > 12) throw new Error('oracle: history too large');
  // Revisions an unrecorded write might need to have: every number the history mentions, or the smallest ones that
  // dodge every mod-revision compare.
  const mentioned = new Set<number>();
  let modCompares = 0;
  for (const e of ops) {
    const r = e.result as Record<string, unknown> | undefined;
    if (typeof r?.revision === 'number') mentioned.add(r.revision);
    for (const f of ['kv', 'prevKv']) {
      const kv = r?.[f] as KvObservation | null | undefined;
      if (kv?.modRevision !== undefined) mentioned.add(kv.modRevision);
    }
    if (e.op.type === 'cas' && 'modRevision' in e.op.expect) {
      mentioned.add(e.op.expect.modRevision);
      modCompares++;
    }
  }
  const revChoices = (cur: number): number[] => {
    const out = new Set<number>();
    for (let i = 1; i <= modCompares + 1; i++) out.add(cur + i);
    for (const m of mentioned) if (m > cur) out.add(m);
    return [...out];
  };

  const definite = ops.map((e) => e.outcome === 'ok');
  const memo = new Set<string>();
  const dfs = (placed: number, s: Store): boolean => {
    let done = true;
    for (let i = 0; i < ops.length; i++) if (definite[i] && !(placed & (1 << i))) done = false;
    if (done) return true;
    const key = `${placed}|${JSON.stringify(s)}`;
    if (memo.has(key)) return false;
    memo.add(key);
    for (let i = 0; i < ops.length; i++) {
      if (placed & (1 << i)) continue;
      const e = ops[i]!;
      let blocked = false;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (!(placed & (1 << j)) && definite[j] && o.ret! < e.call) blocked = true;
      }
      if (blocked) continue;
      for (const next of apply(s, e, revChoices)) if (dfs(placed | (1 << i), next)) return true;
    }
    return false;
  };
  return dfs(0, { exists: false, value: '', version: 0, mod: 0, rev: 0 });
}

function sees(s: Store, kv: KvObservation | null | undefined): boolean {
  if (kv === undefined) return true;
  if (kv === null) return !s.exists;
  return (
    s.exists &&
    s.value === bin(kv.value) &&
    (kv.modRevision === undefined || kv.modRevision === s.mod) &&
    (kv.version === undefined || kv.version === s.version)
  );
}

function compare(s: Store, x: CasExpect): boolean {
  if ('value' in x) return s.exists && s.value === bin(x.value);
  if ('modRevision' in x) return s.mod === x.modRevision;
  return s.version === x.version;
}

function written(s: Store, value: string | null, rev: number): Store {
  if (value === null) return { exists: false, value: '', version: 0, mod: 0, rev };
  return { exists: true, value, version: s.exists ? s.version + 1 : 1, mod: rev, rev };
}

/** All states the op can lead to from `s` (empty: impossible, or for an unknown op, a no-op). */
function apply(s: Store, e: HistoryEntry, revChoices: (cur: number) => number[]): Store[] {
  const op = e.op;
  const newValue = op.type === 'put' || op.type === 'cas' ? bin(op.value) : null;
  const writeAt = (r: number | undefined): number[] =>
    r === undefined ? revChoices(s.rev) : r > s.rev ? [r] : [];
  const readAt = (r: number | undefined): Store | null => {
    if (r === undefined) return s;
    return r >= s.rev ? { ...s, rev: r } : null;
  };
  if (e.outcome !== 'ok') {
    if (op.type === 'delete' && !s.exists) return [];
    if (op.type === 'cas' && !compare(s, op.expect)) return [];
    return revChoices(s.rev).map((r) => written(s, newValue, r));
  }
  const res = e.result as Record<string, unknown>;
  const rev = res.revision as number | undefined;
  switch (op.type) {
    case 'get': {
      const t = readAt(rev);
      return t && sees(t, res.kv as KvObservation | null) ? [t] : [];
    }
    case 'put':
      if (!sees(s, res.prevKv as KvObservation | null | undefined)) return [];
      return writeAt(rev).map((r) => written(s, newValue, r));
    case 'delete':
      if (!sees(s, res.prevKv as KvObservation | null | undefined)) return [];
      if (res.deleted === 1) return s.exists ? writeAt(rev).map((r) => written(s, null, r)) : [];
      if (s.exists) return [];
      return [readAt(rev)].filter((t): t is Store => t !== null);
    case 'cas': {
      if (res.succeeded === true) return compare(s, op.expect) ? writeAt(rev).map((r) => written(s, newValue, r)) : [];
      const t = readAt(rev);
      if (!t || compare(t, op.expect) || !sees(t, res.kv as KvObservation | null | undefined)) return [];
      return [t];
    }
  }
}
