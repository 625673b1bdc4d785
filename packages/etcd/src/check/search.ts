// Wing & Gong's linearizability search with Lowe's memoization (the algorithm behind Knossos' "linear" checker and
// Porcupine), over one object's history.
//
// `must` ops completed: each must be linearized between its call and return. `may` ops have an unknown outcome:
// each may be linearized anywhere after its call, or left out (which is the same as placing it at +infinity).
//
// The must ops' call and return events sit in a doubly linked list in time order. At every point the candidates for
// the next step are the unlinearized ops called before the earliest pending return, i.e. the call events in front
// of the first return event in the list. Linearizing an op unlinks its two events (O(1)); undoing a step relinks
// them. A (set of linearized ops, model state) pair is explored at most once: two paths that reach the same pair
// have the same future.
//
// Refinements:
// - A candidate that leaves the state exactly as it is, and is `stable` (would leave unchanged any later state on
//   this path it can be linearized in, as a read does), is committed without branching: if any completion exists
//   from here, one starts with it (moving it to the front changes no state, and being a candidate, no pending op
//   returned before it was called). Without this, k concurrent reads of one value cost up to 2^k memo states.
// - May ops are tried only after every must candidate failed at a point (leaving an unknown op out is by far the
//   likelier truth), and only if they change what some candidate would do next (see `enables`).
// - The model may veto a state in view of the ops still pending (`viable`), cutting dead branches long before the
//   return event that would expose them.
// - The memo prunes by dominance, not just equality: (same must set, same state key) with a lower-or-equal rank and
//   a subset of the may ops linearized admits every completion the other does (may ops left out can still come, and
//   never block anyone). Without it, each unknown write that got absorbed by later ones doubles the states.

export interface SearchOp {
  readonly call: number;
  /** Infinity for may ops. */
  readonly ret: number;
}

export interface SearchSpec<S, O extends SearchOp> {
  readonly must: readonly O[];
  readonly may: readonly O[];
  readonly init: S;
  /**
   * Next state, or null when `op` cannot (or, for a may op, need not) be linearized in state `s`. Must return `s`
   * itself exactly when the op changes nothing.
   */
  step(s: S, op: O): S | null;
  /** Identifies a state up to its rank: equal keys and ranks mean equal futures. */
  stateKey(s: S): string;
  /** May `op` be committed without branching wherever it leaves the state unchanged (see above)? Default: no. */
  stable?(op: O): boolean;
  /**
   * Optional dominance order: of two states with the same key, the one with the lower rank admits every completion
   * the other does (for the register: the store revision, whose constraints are all upper bounds). Default 0.
   */
  stateRank?(s: S): number;
  /** Notified when `op` joins the linearized set (before `viable` is asked) and when it leaves it again. */
  linearized?(op: O): void;
  undone?(op: O): void;
  /** False when no completion can exist from `next` (reached from `prev`) whatever the order of the pending ops. */
  viable?(prev: S, next: S): boolean;
  /**
   * Relaxation for refuting: a may op can be used once between two consecutive must ops instead of once overall.
   * Every real linearization is still found (all the pruning above keeps "each may op at most once from here on"
   * completions), so a failure is a real failure; a success that uses some may op twice proves nothing. The memo
   * then no longer carries may ops across must ops, which shrinks it when many unknown-outcome ops could go almost
   * anywhere.
   */
  readonly reusableMay?: boolean;
  /** performance.now() value past which the search gives up. */
  readonly deadline: number;
}

export type SearchResult<O> =
  | { ok: true; order: O[] }
  /** `best` is the longest linearizable prefix found (by number of must ops). */
  | { ok: false; best: O[] }
  | { ok: 'timeout'; best: O[]; explored: number };

interface Node {
  /** Index into the sorted must ops. */
  readonly op: number;
  readonly isCall: boolean;
  readonly time: number;
  /** The call node's matching return (self for returns). */
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

interface Frame<S> {
  /** >= 0: must op index; < 0: may op index -1 - i. */
  readonly op: number;
  readonly before: S;
  /** For may frames: the pending-return time that bounded the candidates at this level. */
  readonly horizon: number;
  /** Committed as a state-preserving op: the level has no alternatives to try. */
  readonly forced: boolean;
  /** With reusableMay: the may ops used since the previous must op, released by this one. */
  readonly released: readonly number[];
}

interface Seen {
  readonly rank: number;
  /** Linearized may ops, ascending. */
  readonly may: readonly number[];
}

const NO_MAY: readonly number[] = [];

/** a ⊆ b, both ascending. */
function isSubset(a: readonly number[], b: readonly number[]): boolean {
  if (a.length > b.length) return false;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j === b.length || b[j] !== x) return false;
    j++;
  }
  return true;
}

const noop = (): void => {};
const always = (): boolean => true;

export function search<S, O extends SearchOp>(spec: SearchSpec<S, O>): SearchResult<O> {
  // Sort by call so op index order is call order: the lowest unlinearized index is then the list's first node.
  const must = [...spec.must].sort((a, b) => a.call - b.call);
  const may = [...spec.may].sort((a, b) => a.call - b.call);
  const nMust = must.length;
  const onLin = spec.linearized?.bind(spec) ?? noop;
  const onUndo = spec.undone?.bind(spec) ?? noop;
  const viable = spec.viable?.bind(spec) ?? always;
  const stable = must.map((o) => spec.stable?.(o) ?? false);

  const events: Node[] = [];
  for (let i = 0; i < nMust; i++) {
    const o = must[i]!;
    if (!(o.ret >= o.call) || o.ret === Infinity) throw new RangeError('must ops need a finite ret >= call');
    const c: Node = { op: i, isCall: true, time: o.call, match: null, prev: null, next: null };
    const r: Node = { op: i, isCall: false, time: o.ret, match: null, prev: null, next: null };
    c.match = r;
    r.match = r;
    events.push(c, r);
  }
  // Equal times: calls first, so ops that touch at an instant count as concurrent (never a false violation).
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Node = { op: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let tail = head;
  for (const e of events) {
    e.prev = tail;
    tail.next = e;
    tail = e;
  }
  const callNode: Node[] = new Array<Node>(nMust);
  for (const e of events) if (e.isCall) callNode[e.op] = e;

  const lift = (c: Node): void => {
    c.prev!.next = c.next;
    if (c.next) c.next.prev = c.prev;
    const r = c.match!;
    r.prev!.next = r.next;
    if (r.next) r.next.prev = r.prev;
  };
  const unlift = (c: Node): void => {
    const r = c.match!;
    r.prev!.next = r;
    if (r.next) r.next.prev = r;
    c.prev!.next = c;
    if (c.next) c.next.prev = c;
  };

  const linMust = new Uint8Array(nMust);
  const linMay = new Uint8Array(may.length);
  let nLinMust = 0;
  let nLinMay = 0;
  const stack: Frame<S>[] = [];
  const rankOf = spec.stateRank?.bind(spec) ?? ((): number => 0);

  // Memo: (must set, state key) -> the (rank, may set) pairs explored, none dominating another.
  const seen = new Map<string, Seen[]>();
  // The must set: everything below the first unlinearized must op is linearized, so list only the (few,
  // concurrency-bounded) linearized must ops above it.
  const mustKey = (): string => {
    const first = head.next ? head.next.op : nMust;
    let k = String(first);
    let above = nLinMust - first;
    for (let i = first + 1; above > 0; i++) {
      if (linMust[i]) {
        k += `,${i}`;
        above--;
      }
    }
    return k;
  };
  const maySet = (): readonly number[] => {
    if (nLinMay === 0) return NO_MAY;
    const out: number[] = [];
    for (let i = 0; out.length < nLinMay; i++) if (linMay[i]) out.push(i);
    return out;
  };
  /** True when an explored entry dominates this one; else records it. */
  const dominated = (next: S): boolean => {
    const key = `${mustKey()}|${spec.stateKey(next)}`;
    const rank = rankOf(next);
    const may = maySet();
    const list = seen.get(key);
    if (list === undefined) {
      seen.set(key, [{ rank, may }]);
      return false;
    }
    for (const e of list) if (e.rank <= rank && isSubset(e.may, may)) return true;
    // Entries the new one dominates are redundant from now on.
    let w = 0;
    for (const e of list) if (!(rank <= e.rank && isSubset(may, e.may))) list[w++] = e;
    list.length = w;
    list.push({ rank, may });
    return false;
  };

  // Longest prefix (by must ops) seen, for explanations. Only the part of the stack changed since the last snapshot
  // is copied, so tracking it costs O(pushes) overall.
  const best: O[] = [];
  let bestMust = -1;
  let lowWater = 0;
  const opOf = (f: Frame<S>): O => (f.op >= 0 ? must[f.op]! : may[-1 - f.op]!);
  const noteProgress = (): void => {
    if (nLinMust <= bestMust) return;
    bestMust = nLinMust;
    best.length = Math.min(best.length, lowWater);
    for (let i = best.length; i < stack.length; i++) best.push(opOf(stack[i]!));
    lowWater = stack.length;
  };

  let state = spec.init;
  let node: Node | null = head.next; // next must candidate to try at this level
  let mayCursor = -1; // >= 0: must candidates are exhausted, try may ops from this index on
  let horizon = 0; // time of the first pending return, bounding may candidates
  let fresh = true; // at a level whose candidates were not looked at yet
  let explored = 0;

  /** Marks `ref` linearized and enters `next` unless vetoed or already explored; false leaves everything as it was. */
  const enter = (ref: number, next: S, forced: boolean): boolean => {
    const op = ref >= 0 ? must[ref]! : may[-1 - ref]!;
    let released = NO_MAY;
    if (ref >= 0) {
      linMust[ref] = 1;
      nLinMust++;
      lift(callNode[ref]!);
      if (spec.reusableMay && nLinMay > 0) {
        released = maySet();
        for (const j of released) linMay[j] = 0;
        nLinMay = 0;
      }
    } else {
      linMay[-1 - ref] = 1;
      nLinMay++;
    }
    onLin(op);
    if (viable(state, next)) {
      if (!dominated(next)) {
        stack.push({ op: ref, before: state, horizon, forced, released });
        state = next;
        noteProgress();
        fresh = true;
        return true;
      }
    }
    leave(ref, op, released);
    return false;
  };
  const leave = (ref: number, op: O, released: readonly number[]): void => {
    onUndo(op);
    if (ref >= 0) {
      unlift(callNode[ref]!);
      linMust[ref] = 0;
      nLinMust--;
      for (const j of released) linMay[j] = 1;
      nLinMay += released.length;
    } else {
      linMay[-1 - ref] = 0;
      nLinMay--;
    }
  };
  /** Undoes steps up to the nearest level with candidates left; false when none is left. */
  const backtrack = (): boolean => {
    for (;;) {
      const f = stack.pop();
      if (f === undefined) return false;
      if (stack.length < lowWater) lowWater = stack.length;
      state = f.before;
      leave(f.op, opOf(f), f.released);
      if (f.forced) continue;
      if (f.op >= 0) {
        node = callNode[f.op]!.next;
        mayCursor = -1;
      } else {
        mayCursor = -f.op; // the may op after this one
        horizon = f.horizon;
      }
      return true;
    }
  };

  // A may op is worth placing at a dead end only if it changes what some candidate does next. If a completion
  // starts with may op U and U's successor X would do the same without U (same state, or one that dominates), then
  // dropping U leaves a completion with one may op fewer; one with the fewest may ops therefore starts with a must op
  // (all of which failed here) or with a may op that passes this test.
  //
  // What each candidate does from the current state, computed once per dead-end level.
  let baseFor: S | null = null;
  const base = new Map<O, { key: string; rank: number } | null>();
  const changes = (after: S, x: O): boolean => {
    const a = spec.step(after, x);
    if (a === null) return false;
    if (baseFor !== state) {
      baseFor = state;
      base.clear();
    }
    let b = base.get(x);
    if (b === undefined) {
      const s = spec.step(state, x);
      b = s === null ? null : { key: spec.stateKey(s), rank: rankOf(s) };
      base.set(x, b);
    }
    return b === null || b.key !== spec.stateKey(a) || b.rank > rankOf(a);
  };
  const enables = (j: number, after: S): boolean => {
    for (let n = head.next!; n.isCall; n = n.next!) if (changes(after, must[n.op]!)) return true;
    for (let k = 0; k < may.length && may[k]!.call <= horizon; k++) {
      if (k !== j && !linMay[k] && changes(after, may[k]!)) return true;
    }
    return false;
  };

  for (;;) {
    if (nLinMust === nMust) return { ok: true, order: stack.map(opOf) };
    if ((++explored & 1023) === 0 && performance.now() > spec.deadline) {
      noteProgress();
      return { ok: 'timeout', best, explored };
    }
    if (fresh) {
      fresh = false;
      node = head.next;
      mayCursor = -1;
      // A state-preserving candidate is the only one worth trying here (see above).
      let forcedTried = false;
      for (let n = head.next!; n.isCall; n = n.next!) {
        if (!stable[n.op] || spec.step(state, must[n.op]!) !== state) continue;
        forcedTried = true;
        if (!enter(n.op, state, true) && !backtrack()) return { ok: false, best };
        break;
      }
      if (forcedTried) continue;
    }
    if (mayCursor < 0) {
      // node cannot run off the list: the first unlinearized op's return is still in it.
      const n = node!;
      if (n.isCall) {
        const next = spec.step(state, must[n.op]!);
        if (next === null || !enter(n.op, next, false)) node = n.next;
        continue;
      }
      // Reached a pending return: no must op can go next. Try the may ops called before it.
      horizon = n.time;
      mayCursor = 0;
    }
    let pushed = false;
    for (let j = mayCursor; j < may.length && may[j]!.call <= horizon; j++) {
      if (linMay[j]) continue;
      const next = spec.step(state, may[j]!);
      if (next !== null && next !== state && enables(j, next) && enter(-1 - j, next, false)) {
        pushed = true;
        break;
      }
    }
    if (!pushed && !backtrack()) return { ok: false, best };
  }
}
