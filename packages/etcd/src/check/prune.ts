// Problem reductions around the search: settling unknown-outcome writes up front, and lookahead that vetoes states
// no completion can follow. Both are exact: they never turn a linearizable history into a reported violation.

import { CAS, DEL, EXP_MOD, EXP_VALUE, EXP_VERSION, PUT, type MOp, type RegState } from './model.js';

/**
 * Unknown-outcome writes make the search branch (each may be in or out), so settle what can be settled up front:
 * - pinned: the only op writing value v, and some completed op saw v. Then it took effect, before that op returned:
 *   it becomes a completed op with that return time.
 * - dropped: nobody ever saw its value, and no op that could come after it could profit from the key merely being
 *   present or having one more version (deletes, failed or revision/version compares, version observations). Then
 *   leaving it out is always at least as good as applying it, since a write only raises revisions.
 */
export function classifyUnknownWrites(ops: MOp[]): { must: MOp[]; may: MOp[] } {
  const writers = new Map<number, number>();
  const seenBy = new Map<number, number>(); // value -> earliest return among completed ops that saw it
  const mentioned = new Set<number>(); // values any op saw or compared against
  let latestBeneficiaryRet = -Infinity;
  for (const op of ops) {
    const writes = op.kind === PUT || (op.kind === CAS && (op.unknown || op.succeeded));
    if (writes) writers.set(op.val, (writers.get(op.val) ?? 0) + 1);
    let saw = -1;
    if (op.obs) saw = op.obs.val;
    else if (op.kind === CAS && op.expKind === EXP_VALUE && (op.unknown || op.succeeded)) saw = op.expArg;
    if (saw >= 0) {
      mentioned.add(saw);
      if (!op.unknown) seenBy.set(saw, Math.min(seenBy.get(saw) ?? Infinity, op.ret));
    }
    if (op.kind === CAS && op.expKind === EXP_VALUE) mentioned.add(op.expArg);
    const benefits =
      op.kind === DEL ||
      (op.kind === CAS && (op.expKind === EXP_MOD || op.expKind === EXP_VERSION || (!op.unknown && !op.succeeded))) ||
      (op.obs != null && op.obs.ver >= 0);
    if (benefits && op.ret > latestBeneficiaryRet) latestBeneficiaryRet = op.ret;
  }
  const must: MOp[] = [];
  const may: MOp[] = [];
  for (const op of ops) {
    if (!op.unknown || op.kind === DEL) {
      (op.unknown ? may : must).push(op);
      continue;
    }
    const seen = seenBy.get(op.val);
    if (seen !== undefined && writers.get(op.val) === 1 && seen >= op.call) {
      op.ret = seen;
      must.push(op);
    } else if (!mentioned.has(op.val) && latestBeneficiaryRet < op.call) {
      // dropped
    } else {
      may.push(op);
    }
  }
  return { must, may };
}

/**
 * Cheap necessary conditions on the ops still pending, so the search drops a branch as soon as it is doomed rather
 * than when the return of the op it starved comes up:
 * - revisions: a pending write of revision r needs the store below r, a pending op served at R needs it at most R;
 *   no state whose store revision already exceeds that can lead anywhere (revisions never go back).
 * - values: overwriting a value that only one op ever wrote, while a completed op that saw it is still pending,
 *   leaves that op nothing to see.
 */
export class Lookahead {
  readonly #writers = new Map<number, number>();
  readonly #pendingSeers = new Map<number, number>();
  /** Must ops with a revision bound, by bound ascending; #first: index of the first still pending. */
  readonly #byBound: MOp[];
  readonly #bound = new Map<MOp, number>();
  readonly #rank = new Map<MOp, number>();
  readonly #done = new Set<MOp>();
  #first = 0;

  constructor(must: readonly MOp[], may: readonly MOp[]) {
    for (const op of [...must, ...may]) {
      if (op.kind === PUT || (op.kind === CAS && (op.unknown || op.succeeded))) {
        this.#writers.set(op.val, (this.#writers.get(op.val) ?? 0) + 1);
      }
    }
    for (const op of must) {
      const v = seenValue(op);
      if (v >= 0) this.#pendingSeers.set(v, (this.#pendingSeers.get(v) ?? 0) + 1);
      if (op.rev >= 0) this.#bound.set(op, writesRevision(op) ? op.rev - 1 : op.rev);
    }
    this.#byBound = [...this.#bound.keys()].sort((a, b) => this.#bound.get(a)! - this.#bound.get(b)!);
    this.#byBound.forEach((op, i) => this.#rank.set(op, i));
  }

  linearized(op: MOp): void {
    if (op.unknown && op.ret === Infinity) return; // may ops are not tracked
    const v = seenValue(op);
    if (v >= 0) this.#pendingSeers.set(v, this.#pendingSeers.get(v)! - 1);
    if (this.#bound.has(op)) this.#done.add(op);
  }

  undone(op: MOp): void {
    if (op.unknown && op.ret === Infinity) return;
    const v = seenValue(op);
    if (v >= 0) this.#pendingSeers.set(v, this.#pendingSeers.get(v)! + 1);
    const rank = this.#rank.get(op);
    if (rank !== undefined) {
      this.#done.delete(op);
      if (rank < this.#first) this.#first = rank;
    }
  }

  viable(prev: RegState, next: RegState): boolean {
    return this.veto(prev, next) === null;
  }

  /** Why no completion can follow `next`: a pending op whose revision it passed, or a value it buried. */
  veto(prev: RegState, next: RegState): Veto | null {
    while (this.#first < this.#byBound.length && this.#done.has(this.#byBound[this.#first]!)) this.#first++;
    const firstOp = this.#byBound[this.#first];
    if (firstOp !== undefined && next.g > this.#bound.get(firstOp)!) return { kind: 'revision', op: firstOp };
    const v = prev.val;
    if (v >= 0 && next.val !== v && this.#writers.get(v) === 1 && (this.#pendingSeers.get(v) ?? 0) > 0) {
      return { kind: 'value', value: v };
    }
    return null;
  }
}

export type Veto = { kind: 'revision'; op: MOp } | { kind: 'value'; value: number };

/** The value a completed op proves the key held at its linearization point, or -1. */
export function seenValue(op: MOp): number {
  if (op.unknown) return -1;
  if (op.obs) return op.obs.val;
  if (op.kind === CAS && op.succeeded && op.expKind === EXP_VALUE) return op.expArg;
  return -1;
}

function writesRevision(op: MOp): boolean {
  return op.kind === PUT || (op.kind === DEL && op.deleted) || (op.kind === CAS && op.succeeded);
}
