// Fast, exact refutations of the commonest violations, tried before the search.
//
// The search refutes a history only by exhausting every linearization of everything before the failing point, which
// in a long, highly concurrent history with unknown outcomes can outlast the time budget. These checks look at pairs
// and triples of ops that real time (or revisions) already order, so they run in O(n log n) and name the culprits
// directly. Each one only reports what no linearization can satisfy; anything subtler is left to the search.

import { CAS, DEL, EXP_VALUE, PUT, describeOp, type KeyCtx, type MOp } from './model.js';

export interface Refutation {
  reason: string;
  ops: MOp[];
}

/** A completed op's revision constraint: writes create `rev`, the rest were served at it. */
function revWrite(op: MOp): boolean {
  return op.kind === PUT || (op.kind === DEL && op.deleted) || (op.kind === CAS && op.succeeded);
}

/** The value an op writes if it takes effect (-1: deletes it; undefined: writes nothing). */
function writtenValue(op: MOp): number | undefined {
  if (op.kind === PUT) return op.val;
  if (op.kind === CAS && (op.unknown || op.succeeded)) return op.val;
  if (op.kind === DEL && (op.unknown || op.deleted)) return -1;
  return undefined;
}

export function quickRefute(must: readonly MOp[], may: readonly MOp[], ctx: KeyCtx): Refutation | null {
  const show = (op: MOp): string => `#${op.entry.id} ${describeOp(op, ctx)}`;
  const value = (v: number): string => (v < 0 ? 'the key absent' : ctx.show(v));
  return revisionsBackwards(must, show) ?? staleByRevision(must, show) ?? staleByTime(must, may, show, value);
}

/** Real time orders two ops, so their revisions must not go back. */
function revisionsBackwards(must: readonly MOp[], show: (op: MOp) => string): Refutation | null {
  const withRev = must.filter((o) => o.rev >= 0);
  const byRet = [...withRev].sort((a, b) => a.ret - b.ret);
  const byCall = [...withRev].sort((a, b) => a.call - b.call);
  let i = 0;
  let top: MOp | undefined; // highest revision among ops that returned so far
  for (const b of byCall) {
    while (i < byRet.length && byRet[i]!.ret < b.call) {
      const a = byRet[i++]!;
      if (!top || a.rev > top.rev) top = a;
    }
    if (top && (revWrite(b) ? b.rev <= top.rev : b.rev < top.rev)) {
      return {
        reason:
          `${show(b)} started after ${show(top)} had returned, yet ${revWrite(b) ? 'wrote' : 'was served at'} ` +
          `revision ${b.rev}, ${revWrite(b) ? 'not above' : 'below'} ${top.rev}: revisions went backwards.`,
        ops: [top, b],
      };
    }
  }
  return null;
}

/** An op saw a value with mod revision m at revision R, yet a write to the key made a revision in (m, R]. */
function staleByRevision(must: readonly MOp[], show: (op: MOp) => string): Refutation | null {
  const writes = must.filter((o) => o.rev >= 0 && revWrite(o)).sort((a, b) => a.rev - b.rev);
  const byRev = new Map(writes.map((w) => [w.rev, w]));
  for (const op of must) {
    const o = op.obs;
    if (!o || o.mod < 0) continue;
    const w = byRev.get(o.mod);
    if (w && w !== op && writtenValue(w) !== o.val) {
      return {
        reason: `${show(op)} saw a value written at revision ${o.mod}, but revision ${o.mod} is ${show(w)}.`,
        ops: [w, op],
      };
    }
    // What an op with a known revision saw is pinned to it: a write at r saw revision r - 1.
    if (op.rev < 0) continue;
    const at = revWrite(op) ? op.rev - 1 : op.rev;
    let lo = 0;
    let hi = writes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (writes[mid]!.rev <= o.mod) lo = mid + 1;
      else hi = mid;
    }
    const later = writes[lo];
    if (later && later.rev <= at) {
      return {
        reason:
          `${show(op)} is stale: at revision ${at} it saw the value of revision ${o.mod}, but ` +
          `${show(later)} changed the key at revision ${later.rev} in between.`,
        ops: [later, op],
      };
    }
  }
  return null;
}

/**
 * An op saw value x, but some completed write W' of another value started after every write of x had returned and
 * returned before the op started: x was overwritten for good before the op ran. For "absent", the writers are the
 * deletes (and the initial state). Also catches values nobody wrote and values read before anyone wrote them.
 */
function staleByTime(
  must: readonly MOp[],
  may: readonly MOp[],
  show: (op: MOp) => string,
  value: (v: number) => string,
): Refutation | null {
  const writersOf = new Map<number, MOp[]>();
  for (const op of [...must, ...may]) {
    const v = writtenValue(op);
    if (v === undefined) continue;
    const list = writersOf.get(v);
    if (list) list.push(op);
    else writersOf.set(v, [op]);
  }
  const overwriters = must.filter((o) => !o.unknown && writtenValue(o) !== undefined).sort((a, b) => a.ret - b.ret);
  interface Seer {
    op: MOp;
    val: number;
  }
  const seers: Seer[] = [];
  for (const op of must) {
    if (op.unknown) continue;
    if (op.obs !== undefined) seers.push({ op, val: op.obs === null ? -1 : op.obs.val });
    else if (op.kind === CAS && op.succeeded && op.expKind === EXP_VALUE) seers.push({ op, val: op.expArg });
    else if (op.kind === DEL && !op.deleted) seers.push({ op, val: -1 });
  }
  seers.sort((a, b) => a.op.call - b.op.call);

  // Among overwriters that returned before the seer's call: the two latest-called with different written values
  // (so one of them differs from whatever the seer saw), and the latest-called value write (for "absent").
  let i = 0;
  let first: MOp | undefined;
  let second: MOp | undefined;
  let lastValueWrite: MOp | undefined;
  for (const { op, val } of seers) {
    while (i < overwriters.length && overwriters[i]!.ret < op.call) {
      const w = overwriters[i++]!;
      const wv = writtenValue(w)!;
      if (wv >= 0 && (!lastValueWrite || w.call > lastValueWrite.call)) lastValueWrite = w;
      if (!first || w.call > first.call) {
        if (first && writtenValue(first) !== wv) second = first;
        first = w;
      } else if (writtenValue(first) !== wv && (!second || w.call > second.call)) {
        second = w;
      }
    }
    const writers = writersOf.get(val) ?? [];
    if (val >= 0) {
      if (writers.length === 0) {
        return { reason: `${show(op)}: no op wrote ${value(val)} (or only ops that surely failed).`, ops: [op] };
      }
      if (writers.every((w) => w.call > op.ret)) {
        return {
          reason: `${show(op)} returned before any write of ${value(val)} started: ${writers.map(show).join(', ')}.`,
          ops: [op, ...writers],
        };
      }
    }
    const cand = first && writtenValue(first) !== val ? first : second;
    const overwriter = val >= 0 ? cand : lastValueWrite;
    if (!overwriter) continue;
    // Every write of the value is over before the overwriter started, or starts after the seer returned.
    if (writers.every((w) => w.ret < overwriter.call || w.call > op.ret)) {
      const before = writers.filter((w) => w.ret < overwriter.call);
      const reason =
        val >= 0
          ? `${show(op)} is stale: ${show(overwriter)} replaced ${value(val)} after ${before.map(show).join(', ')} ` +
            `had returned, and returned before #${op.entry.id} started; nothing else could have written ${value(val)}.`
          : `${show(op)} lost a write: ${show(overwriter)} returned before #${op.entry.id} started, and no delete ` +
            `could have come in between.`;
      return { reason, ops: [...before, overwriter, op] };
    }
  }
  return null;
}
