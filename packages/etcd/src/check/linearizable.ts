// Entry point: checks a recorded history key by key (linearizability is compositional, so a history is linearizable
// iff every key's sub-history is; revisions are store-wide, so per key they only give inequalities, see model.ts).

import {
  INITIAL,
  KeyCtx,
  compile,
  describeOp,
  describeState,
  detectFeatures,
  stateKey,
  stable,
  stateRank,
  step,
  toBinary,
  type MOp,
  type RegState,
} from './model.js';
import { Lookahead, classifyUnknownWrites, seenValue } from './prune.js';
import { quickRefute, type Refutation } from './quick.js';
import { search, type SearchResult } from './search.js';
import type { CheckOptions, CheckResult, History, HistoryEntry } from './types.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/** How many linearized ops before the stuck point an explanation shows. */
const CONTEXT_OPS = 8;
const MAX_CANDIDATES_SHOWN = 24;

export function checkLinearizable(history: History, opts: CheckOptions = {}): CheckResult {
  const deadline = performance.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (history.length === 0) return { ok: true };
  let t0 = history[0]!.call;
  const byKey = new Map<string, HistoryEntry[]>();
  for (const e of history) {
    if (e.call < t0) t0 = e.call;
    const k = toBinary(e.key);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(e);
  }
  // Small keys first, so one hard key cannot use up the budget before the easy ones are done.
  const keys = [...byKey.entries()].sort((a, b) => a[1].length - b[1].length);
  const timedOut: string[] = [];
  for (const [bin, entries] of keys) {
    const r = checkKey(bin, entries, t0, deadline);
    if (r.ok === false) return r;
    if (r.ok === 'unknown') timedOut.push(r.reason);
  }
  if (timedOut.length > 0) return { ok: 'unknown', reason: timedOut.join('\n') };
  return { ok: true };
}

function displayKey(bin: string): string {
  return Buffer.from(bin, 'latin1').toString('utf8');
}

function checkKey(bin: string, entries: HistoryEntry[], t0: bigint, deadline: number): CheckResult {
  const { must, may, vt } = prepareKey(entries, t0);
  const quick = quickRefute(must, may, vt);
  if (quick) return refuted(displayKey(bin), quick, must.length + may.length, vt, t0);

  const run = (until: number, reusableMay: boolean): SearchResult<MOp> => searchKey(must, may, vt, until, reusableMay);
  const key = displayKey(bin);
  // The exact search settles linearizable histories quickly. If it runs long with unknown-outcome ops around, give
  // half of what is left to the relaxed search (see SearchSpec.reusableMay), whose smaller memo can refute where
  // the exact one runs out of time; should it only find a linearization that reuses an op, go back to exact.
  let explored = 0;
  let best: MOp[] = [];
  const phases: boolean[] = may.length > 0 ? [false, true, false] : [false];
  for (let i = 0; i < phases.length; i++) {
    const now = performance.now();
    if (now >= deadline && i > 0) break;
    const relaxed = phases[i]!;
    const r = run(i === phases.length - 1 ? deadline : now + (deadline - now) / 2, relaxed);
    if (r.ok === false) return explain(key, r.best, must, may, vt, t0);
    if (r.ok === true) {
      if (!relaxed || new Set(r.order).size === r.order.length) return { ok: true };
      continue;
    }
    explored += r.explored;
    if (r.best.length > best.length) best = r.best;
  }
  return {
    ok: 'unknown',
    reason:
      `key ${JSON.stringify(key)}: time budget exhausted after exploring ${explored} steps ` +
      `(${must.length} completed ops, ${may.length} of unknown outcome; longest linearizable prefix ` +
      `${best.filter((o) => o.ret !== Infinity).length} ops)`,
  };
}

/** The register search over one key's compiled ops (exported for tests of the relaxed mode). */
export function searchKey(
  must: readonly MOp[],
  may: readonly MOp[],
  vt: KeyCtx,
  deadline: number,
  reusableMay: boolean,
): SearchResult<MOp> {
  const look = new Lookahead(must, may);
  return search<RegState, MOp>({
    must,
    may,
    init: INITIAL,
    step: (s, op) => step(s, op, vt),
    stateKey,
    stateRank,
    stable,
    linearized: (op) => look.linearized(op),
    undone: (op) => look.undone(op),
    viable: (prev, next) => look.viable(prev, next),
    reusableMay,
    deadline,
  });
}

/** Compiles one key's entries: drops what cannot constrain anything, settles what unknown writes it can. */
export function prepareKey(entries: readonly HistoryEntry[], t0: bigint): { must: MOp[]; may: MOp[]; vt: KeyCtx } {
  const vt = new KeyCtx();
  const ops: MOp[] = [];
  for (const e of entries) {
    // A failed op surely did not happen; an unanswered read observed nothing: neither constrains anything.
    if (e.outcome === 'fail') continue;
    if (e.outcome !== 'ok' && e.op.type === 'get') continue;
    ops.push(compile(e, t0, vt));
  }
  detectFeatures(ops, vt);
  return { ...classifyUnknownWrites(ops), vt };
}

function refuted(key: string, r: Refutation, checked: number, vt: KeyCtx, t0: bigint): CheckResult {
  const ops = [...new Set(r.ops)].sort((a, b) => a.call - b.call || a.entry.id - b.entry.id);
  const out = [`key ${JSON.stringify(key)} is not linearizable (${checked} ops checked).`, r.reason, 'Ops involved:'];
  for (const op of ops) out.push(`  ${line(op, vt, t0)}`);
  return { ok: false, key, explanation: out.join('\n'), window: ops.map((o) => o.entry) };
}

/** Offset from the history's first call, in a unit that keeps small test timestamps readable. */
function fmtTime(t: bigint | null, t0: bigint): string {
  if (t === null) return '∞';
  const ns = Number(t - t0);
  if (ns < 10_000) return `+${ns}ns`;
  if (ns < 10_000_000) return `+${(ns / 1e3).toFixed(1)}µs`;
  return `+${(ns / 1e6).toFixed(3)}ms`;
}

function line(op: MOp, vt: KeyCtx, t0: bigint): string {
  const e = op.entry;
  return `#${e.id} client ${String(e.clientId)} [${fmtTime(e.call, t0)} → ${fmtTime(e.ret, t0)}]  ${describeOp(op, vt)}`;
}

/**
 * Porcupine-style account of a failure: the longest prefix the search managed to linearize (its tail, with states),
 * then every op that could come next and why it cannot.
 */
function explain(
  key: string,
  best: MOp[],
  must: readonly MOp[],
  may: readonly MOp[],
  vt: KeyCtx,
  t0: bigint,
): CheckResult {
  const states: RegState[] = [];
  let s = INITIAL;
  for (const op of best) {
    const next = step(s, op, vt);
    if (next === null) throw new Error('internal: best prefix does not replay');
    states.push((s = next));
  }
  const placed = new Set(best);
  const pendingMust = must.filter((o) => !placed.has(o));
  // The window closes at the earliest return among ops not placed yet.
  let blocker = pendingMust[0]!;
  for (const o of pendingMust) if (o.ret < blocker.ret) blocker = o;
  const candidates = [...pendingMust, ...may.filter((o) => !placed.has(o))]
    .filter((o) => o.call <= blocker.ret)
    .sort((a, b) => a.call - b.call || a.entry.id - b.entry.id);

  // Replay the lookahead as well: a candidate it vetoes is told apart by the pending op it would starve.
  const look = new Lookahead(must, may);
  for (const op of best) look.linearized(op);
  const starved = (op: MOp, next: RegState): { text: string; victim?: MOp } | null => {
    look.linearized(op);
    const v = look.veto(s, next);
    look.undone(op);
    if (v === null) return null;
    if (v.kind === 'revision') {
      return { text: `it would move the store to revision ${next.g}, past what ${line(v.op, vt, t0)} needs`, victim: v.op };
    }
    const victim = pendingMust.find((o) => o !== op && seenValue(o) === v.value);
    const who = victim ? line(victim, vt, t0) : 'a pending op';
    return victim
      ? { text: `it would overwrite ${vt.show(v.value)} for good, but ${who} still has to see it`, victim }
      : { text: `it would overwrite ${vt.show(v.value)} for good, but ${who} still has to see it` };
  };

  const out: string[] = [];
  const unknowns = may.length + must.filter((o) => o.unknown).length; // pinned writes are unknown too
  out.push(
    `key ${JSON.stringify(key)} is not linearizable (${must.length + may.length} ops checked` +
      `${unknowns ? `, ${unknowns} of unknown outcome` : ''}).`,
  );
  const from = Math.max(0, best.length - CONTEXT_OPS);
  if (best.length === 0) {
    out.push('Not even the first op can be linearized (the key starts absent).');
  } else {
    out.push(
      `The longest linearizable prefix found places ${best.filter((o) => o.ret !== Infinity).length} of ` +
        `${must.length} ops that must take effect; ${from > 0 ? `its last ${best.length - from} steps` : 'its steps'}` +
        `, each with the key's state after it:`,
    );
    for (let i = from; i < best.length; i++) {
      out.push(`  ${line(best[i]!, vt, t0)}`);
      out.push(`      ⇒ ${describeState(states[i]!, vt)}`);
    }
  }
  const closes = blocker.entry.ret === null ? ' (when the first op that saw its value returned)' : '';
  out.push(
    `Then nothing can be linearized next. Ops that could go next, being called before #${blocker.entry.id} ` +
      `had to take effect${closes}:`,
  );
  const victims: MOp[] = [];
  candidates.forEach((op, i) => {
    if (i === MAX_CANDIDATES_SHOWN) out.push(`  ... and ${candidates.length - MAX_CANDIDATES_SHOWN} more`);
    if (i >= MAX_CANDIDATES_SHOWN) return;
    const why: string[] = [];
    const next = step(s, op, vt, why);
    let verdict = why.join('; ');
    if (next !== null) {
      const st = starved(op, next);
      if (st?.victim) victims.push(st.victim);
      verdict = st?.text ?? 'could go next, but every continuation from there dead-ends';
    }
    out.push(`  ${line(op, vt, t0)}`);
    out.push(`      ✗ ${verdict}`);
  });
  const window = [...new Set([...best.slice(from), ...candidates, ...victims])]
    .map((o) => o.entry)
    .sort((a, b) => (a.call < b.call ? -1 : a.call > b.call ? 1 : a.id - b.id));
  return { ok: false, key, explanation: out.join('\n'), window };
}
