// The sequential specification of one etcd key, as the search applies it op by op.
//
// The key is a register with etcd's per-key metadata: a value (or absent), its version and its mod revision, plus
// `g`, a lower bound on the store-wide revision at the current point of the linearization. Other keys' writes make
// the store revision jump by unknown amounts between our ops, so revisions only give inequalities:
//   - a write with revision r needs r > g, then g = r (writes' revisions increase in linearization order);
//   - an op served at header revision R (read, failed txn, delete of nothing) needs R >= g, then g = R;
//   - a write whose revision is unknown (no response, or not recorded) moves g to at least g + 1.
// Keeping g minimal is exact: every constraint on it is an upper bound on its past value, so a smaller g never hurts.
//
// The one thing a bound cannot capture is a value written with an unknown revision u that someone later observes
// (a read's modRevision, a cas on mod revision): u must then equal that number. So while the current value's
// revision is unknown we keep its feasible set, [uLo, uHi] minus the values failed compares excluded, and bind it
// on first observation. uLo is g just after the write; uHi is the first store revision known after it.

import type { HistoryEntry, KvObservation, Bytes } from './types.js';

export const PUT = 0;
export const GET = 1;
export const DEL = 2;
export const CAS = 3;
export type OpKind = typeof PUT | typeof GET | typeof DEL | typeof CAS;

export const EXP_VALUE = 0;
export const EXP_MOD = 1;
export const EXP_VERSION = 2;
export type ExpKind = typeof EXP_VALUE | typeof EXP_MOD | typeof EXP_VERSION;

/** An observed key state; val is an interned value id. mod / ver are -1 when not recorded. */
export interface Obs {
  readonly val: number;
  readonly mod: number;
  readonly ver: number;
}

/** One op of a key's history, compiled for the search. Times are ns since the history's first call. */
export interface MOp {
  readonly entry: HistoryEntry;
  readonly kind: OpKind;
  /** No response: the op may have taken effect or not. */
  readonly unknown: boolean;
  /** Written value id (put / cas), -1 otherwise. */
  readonly val: number;
  readonly expKind: ExpKind;
  /** cas operand: value id, revision or version. */
  readonly expArg: number;
  /** header.revision, -1 when not recorded (or unknown outcome). */
  readonly rev: number;
  readonly succeeded: boolean;
  readonly deleted: boolean;
  /** get: the kv; put / delete: prevKv; failed cas: the else-branch read. undefined = nothing recorded. */
  readonly obs: Obs | null | undefined;
  readonly call: number;
  /** Infinity when the outcome is unknown (possibly tightened by the checker, see pinning). */
  ret: number;
}

export interface RegState {
  /** Value id, -1 = absent. */
  readonly val: number;
  /** 0 when absent. */
  readonly ver: number;
  /** Mod revision: 0 when absent, -1 = the writer's revision is not known yet (see u*). */
  readonly mod: number;
  readonly uLo: number;
  readonly uHi: number;
  /** Values inside (uLo, uHi) that failed compares ruled out, ascending. */
  readonly uEx: readonly number[];
  /** Lower bound on the store revision at this point. */
  readonly g: number;
}

const NONE: readonly number[] = [];

export const INITIAL: RegState = { val: -1, ver: 0, mod: 0, uLo: 0, uHi: 0, uEx: NONE, g: 0 };

/** Memo key: all of the state but g. Of two states with the same key, the one with the lower g admits every
 * completion the other does (g only ever meets upper bounds), so g serves as the search's dominance rank. */
export function stateKey(s: RegState): string {
  if (s.mod >= 0) return `${s.val},${s.ver},${s.mod}`;
  return `${s.val},${s.ver},u${s.uLo}-${s.uHi}${s.uEx.length ? `x${s.uEx.join('.')}` : ''}`;
}

export function stateRank(s: RegState): number {
  return s.g;
}

/**
 * Whether `op`, where it leaves a state unchanged, also leaves unchanged every later state of the same linearization
 * it can still be applied in (what lets the search commit it without branching). True for ops that write nothing
 * and either never change the state (no revision, no mod revision to bind or rule out) or are pinned to a revision:
 * between an unchanged application at revision R and a later one, nothing can have written (writes pass R).
 * Not for writes (a put of the current value changes nothing now but overwrites later), nor for a read of a mod
 * revision without a header revision (later, a second write of the same value may leave the mod to bind).
 */
export function stable(op: MOp): boolean {
  if (op.unknown) return false;
  const writes = op.kind === PUT || (op.kind === DEL && op.deleted) || (op.kind === CAS && op.succeeded);
  if (writes) return false;
  if (op.rev >= 0) return true;
  if (op.obs && op.obs.mod >= 0) return false;
  return !(op.kind === CAS && op.expKind === EXP_MOD && op.expArg !== 0);
}

/**
 * Per-key context: interns byte values to small ids (states compare and hash cheaply), and knows which metadata the
 * key's history ever observes. Metadata nobody observes is not tracked (stays 0), so states that differ only in it
 * collapse into one memo entry instead of multiplying the search.
 */
export class KeyCtx {
  /** Some op observes or compares versions (other than version 0 = absent). */
  versions = true;
  /** Some op carries a revision, observes a mod revision or compares one (other than 0 = absent). */
  revisions = true;

  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];
  id(v: Bytes): number {
    const s = toBinary(v);
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.#names.length;
      this.#ids.set(s, id);
      this.#names.push(s);
    }
    return id;
  }
  show(id: number): string {
    return showBinary(this.#names[id] ?? '');
  }
}

/** One JS char per byte, so string equality is byte equality whatever the caller passed. */
export function toBinary(v: Bytes): string {
  if (typeof v === 'string') return ASCII.test(v) ? v : Buffer.from(v, 'utf8').toString('latin1');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Quoted UTF-8 rendering (hex when not valid UTF-8), shortened for one-line explanations. */
export function showBinary(bin: string): string {
  const buf = Buffer.from(bin, 'latin1');
  const utf8 = buf.toString('utf8');
  let s = Buffer.from(utf8, 'utf8').equals(buf) ? JSON.stringify(utf8) : `0x${buf.toString('hex')}`;
  if (s.length > 40) s = `${s.slice(0, 37)}...`;
  return s;
}

// --- the step function -------------------------------------------------------------------------------------------

/** Mutable copy of a state while one op is applied. */
interface Draft {
  val: number;
  ver: number;
  mod: number;
  uLo: number;
  uHi: number;
  uEx: readonly number[];
  g: number;
}

/**
 * Applies `op` to `s`. Returns the next state, or null when the op cannot take effect here with the response it got.
 * For an op of unknown outcome, null also means "taking effect here would change nothing" (a delete of an absent
 * key, a cas whose compare fails): that is the same as leaving it out, which the search always may.
 * When `why` is given, the reason for a null is pushed onto it (only the explanation path pays for the strings).
 */
export function step(s: RegState, op: MOp, vt: KeyCtx, why?: string[]): RegState | null {
  const d = apply(s, op, vt, why);
  // Hand back `s` itself when nothing changed: the search commits such ops without branching (see search.ts).
  if (
    d !== null &&
    d.val === s.val &&
    d.ver === s.ver &&
    d.mod === s.mod &&
    d.g === s.g &&
    d.uLo === s.uLo &&
    d.uHi === s.uHi &&
    d.uEx === s.uEx
  ) {
    return s;
  }
  return d;
}

function apply(s: RegState, op: MOp, vt: KeyCtx, why?: string[]): Draft | null {
  const d: Draft = { val: s.val, ver: s.ver, mod: s.mod, uLo: s.uLo, uHi: s.uHi, uEx: s.uEx, g: s.g };
  if (op.unknown) {
    switch (op.kind) {
      case PUT:
        write(d, op.val, -1, vt);
        return d;
      case DEL:
        if (d.val < 0) {
          why?.push('the key is already absent, so deleting it would change nothing');
          return null;
        }
        write(d, -1, -1, vt);
        return d;
      case CAS:
        if (!compareHolds(d, op, vt, why)) return null;
        write(d, op.val, -1, vt);
        return d;
      default:
        return d; // unknown reads are dropped before the search
    }
  }
  switch (op.kind) {
    case GET:
      if (op.rev >= 0 && !servedAt(d, op.rev, why)) return null;
      if (op.obs !== undefined && !observe(d, op.obs, vt, why)) return null;
      return d;
    case PUT:
      if (op.rev >= 0 && !writesAt(d, op.rev, why)) return null;
      if (op.obs !== undefined && !observe(d, op.obs, vt, why)) return null;
      write(d, op.val, op.rev, vt);
      return d;
    case DEL:
      if (op.deleted) {
        if (op.rev >= 0 && !writesAt(d, op.rev, why)) return null;
        if (d.val < 0) {
          why?.push('it deleted 1 key, but the key is absent');
          return null;
        }
        if (op.obs !== undefined && !observe(d, op.obs, vt, why)) return null;
        write(d, -1, op.rev, vt);
        return d;
      }
      if (op.rev >= 0 && !servedAt(d, op.rev, why)) return null;
      if (d.val >= 0) {
        why?.push(`it deleted nothing, but the key holds ${showVal(vt, d.val)}`);
        return null;
      }
      if (op.obs !== undefined && !observe(d, op.obs, vt, why)) return null;
      return d;
    case CAS:
      if (op.succeeded) {
        if (op.rev >= 0 && !writesAt(d, op.rev, why)) return null;
        if (!compareHolds(d, op, vt, why)) return null;
        write(d, op.val, op.rev, vt);
        return d;
      }
      if (op.rev >= 0 && !servedAt(d, op.rev, why)) return null;
      if (!compareFails(d, op, vt, why)) return null;
      if (op.obs !== undefined && !observe(d, op.obs, vt, why)) return null;
      return d;
  }
}

/** The op ran at store revision R without writing. */
function servedAt(d: Draft, R: number, why: string[] | undefined): boolean {
  if (R < d.g) {
    why?.push(`it was served at revision ${R}, but the store is already at revision ${d.g} or later`);
    return false;
  }
  if (d.mod < 0 && R < d.uHi) {
    d.uHi = R;
    if (!normalize(d)) {
      why?.push(`the current value's revision cannot be both ${unboundDesc(d)} and at most ${R}`);
      return false;
    }
  }
  d.g = R;
  return true;
}

/** The op creates revision r: it must be newer than everything before it; what it saw is at revision r - 1. */
function writesAt(d: Draft, r: number, why: string[] | undefined): boolean {
  if (r <= d.g) {
    why?.push(`it wrote revision ${r}, but the store is already at revision ${d.g} or later`);
    return false;
  }
  if (d.mod < 0 && r - 1 < d.uHi) {
    d.uHi = r - 1;
    if (!normalize(d)) {
      why?.push(`the current value's revision cannot be both ${unboundDesc(d)} and below ${r}`);
      return false;
    }
  }
  return true;
}

function write(d: Draft, val: number, r: number, vt: KeyCtx): void {
  d.ver = val < 0 || !vt.versions ? 0 : d.val < 0 ? 1 : d.ver + 1;
  d.val = val;
  d.g = r >= 0 ? r : vt.revisions ? d.g + 1 : 0;
  d.uEx = NONE;
  if (val < 0) {
    d.mod = 0;
    d.uLo = d.uHi = 0;
  } else if (r >= 0 || !vt.revisions) {
    d.mod = Math.max(r, 0);
    d.uLo = d.uHi = 0;
  } else {
    d.mod = -1;
    d.uLo = d.g;
    d.uHi = Infinity;
  }
}

function observe(d: Draft, o: Obs | null, vt: KeyCtx, why: string[] | undefined): boolean {
  if (o === null) {
    if (d.val >= 0) {
      why?.push(`it saw the key absent, but it holds ${showVal(vt, d.val)}`);
      return false;
    }
    return true;
  }
  if (d.val !== o.val) {
    why?.push(`it saw ${showVal(vt, o.val)}, but the key ${d.val < 0 ? 'is absent' : `holds ${showVal(vt, d.val)}`}`);
    return false;
  }
  if (o.ver >= 0 && o.ver !== d.ver) {
    why?.push(`it saw version ${o.ver}, but the key is at version ${d.ver}`);
    return false;
  }
  return o.mod < 0 || bindMod(d, o.mod, why);
}

/** The current value's mod revision is m (`what` says how the op knows, for explanations). */
function bindMod(d: Draft, m: number, why: string[] | undefined, what = `it saw mod revision ${m}`): boolean {
  if (d.mod >= 0) {
    if (d.mod !== m) {
      why?.push(`${what}, but the value was written at revision ${d.mod}`);
      return false;
    }
    return true;
  }
  if (m < d.uLo || m > d.uHi || d.uEx.includes(m)) {
    why?.push(`${what}, but the value's revision is ${unboundDesc(d)}`);
    return false;
  }
  d.mod = m;
  d.uLo = d.uHi = 0;
  d.uEx = NONE;
  if (m > d.g) d.g = m;
  return true;
}

/** The current value's mod revision is not m. */
function excludeMod(d: Draft, m: number, why: string[] | undefined): boolean {
  if (d.mod >= 0) {
    if (d.mod === m) {
      why?.push(`its compare on mod revision ${m} failed, but the value was written at revision ${m}`);
      return false;
    }
    return true;
  }
  if (m < d.uLo || m > d.uHi || d.uEx.includes(m)) return true;
  d.uEx = [...d.uEx, m].sort((a, b) => a - b);
  if (!normalize(d)) {
    why?.push(`its compare on mod revision ${m} failed, but the value's revision can only be ${m}`);
    return false;
  }
  return true;
}

/** Shrinks [uLo, uHi] past excluded ends; binds a single remaining value. False when nothing is left. */
function normalize(d: Draft): boolean {
  let ex = d.uEx.filter((x) => x >= d.uLo && x <= d.uHi);
  while (ex.length && ex[0] === d.uLo) {
    ex = ex.slice(1);
    d.uLo++;
  }
  while (ex.length && ex[ex.length - 1] === d.uHi) {
    ex = ex.slice(0, -1);
    d.uHi--;
  }
  if (d.uLo > d.uHi) return false;
  if (ex.length !== d.uEx.length) d.uEx = ex.length ? ex : NONE;
  // The value was written at >= uLo, so the store is there too.
  if (d.uLo > d.g) d.g = d.uLo;
  if (d.uLo === d.uHi) {
    d.mod = d.uLo;
    d.uLo = d.uHi = 0;
    d.uEx = NONE;
  }
  return true;
}

function compareHolds(d: Draft, op: MOp, vt: KeyCtx, why: string[] | undefined): boolean {
  const a = op.expArg;
  switch (op.expKind) {
    case EXP_VALUE:
      if (d.val === a) return true;
      why?.push(`its compare value = ${showVal(vt, a)} holds only if the key holds it, but it ${holds(vt, d)}`);
      return false;
    case EXP_VERSION:
      // Version 0 is etcd's "absent"; tested on val so it also holds when versions are not tracked.
      if (a === 0 ? d.val < 0 : d.ver === a) return true;
      why?.push(`its compare version = ${a} held, but the key is at version ${d.ver}`);
      return false;
    case EXP_MOD:
      if (a === 0) {
        if (d.val < 0) return true;
        why?.push(`its compare mod revision = 0 (absent) held, but the key holds ${showVal(vt, d.val)}`);
        return false;
      }
      if (d.val < 0) {
        why?.push(`its compare mod revision = ${a} held, but the key is absent`);
        return false;
      }
      return bindMod(d, a, why, `its compare mod revision = ${a} held`);
  }
}

function compareFails(d: Draft, op: MOp, vt: KeyCtx, why: string[] | undefined): boolean {
  const a = op.expArg;
  switch (op.expKind) {
    case EXP_VALUE:
      if (d.val !== a) return true;
      why?.push(`its compare value = ${showVal(vt, a)} failed, but the key holds exactly that`);
      return false;
    case EXP_VERSION:
      if (a === 0 ? d.val >= 0 : d.ver !== a) return true;
      why?.push(`its compare version = ${a} failed, but the key is at version ${a}`);
      return false;
    case EXP_MOD:
      if (a === 0) {
        if (d.val >= 0) return true;
        why?.push('its compare mod revision = 0 (absent) failed, but the key is absent');
        return false;
      }
      return d.val < 0 || excludeMod(d, a, why);
  }
}

function showVal(vt: KeyCtx, id: number): string {
  return vt.show(id);
}

function holds(vt: KeyCtx, d: Draft): string {
  return d.val < 0 ? 'is absent' : `holds ${showVal(vt, d.val)}`;
}

function unboundDesc(d: Draft): string {
  const hi = d.uHi === Infinity ? '∞' : String(d.uHi);
  return `in [${d.uLo}, ${hi}]${d.uEx.length ? ` except ${d.uEx.join(', ')}` : ''}`;
}

// --- compiling entries -------------------------------------------------------------------------------------------

/** Compiles one entry; `t0` is subtracted from its times. Throws on a malformed entry (a harness bug). */
export function compile(e: HistoryEntry, t0: bigint, vt: KeyCtx): MOp {
  const bad = (msg: string): never => {
    throw new TypeError(`history entry #${e.id}: ${msg}`);
  };
  const unknown = e.outcome !== 'ok';
  if (!unknown && (e.ret === null || e.result === undefined)) bad('an ok entry needs ret and result');
  if (e.ret !== null && e.ret < e.call) bad('returns before it was called');
  const r = (unknown ? {} : e.result) as Record<string, unknown>;
  const rev = typeof r.revision === 'number' ? r.revision : -1;
  const obsOf = (x: unknown): Obs | null | undefined => {
    if (x === undefined) return undefined;
    if (x === null) return null;
    const kv = x as KvObservation;
    if (kv.value === undefined) bad('an observed kv needs a value');
    return {
      val: vt.id(kv.value),
      mod: typeof kv.modRevision === 'number' ? kv.modRevision : -1,
      ver: typeof kv.version === 'number' ? kv.version : -1,
    };
  };
  const base = {
    entry: e,
    unknown,
    val: -1,
    expKind: EXP_VALUE as ExpKind,
    expArg: -1,
    rev: unknown ? -1 : rev,
    succeeded: false,
    deleted: false,
    obs: undefined as Obs | null | undefined,
    call: Number(e.call - t0),
    ret: e.ret === null || unknown ? Infinity : Number(e.ret - t0),
  };
  const op = e.op;
  switch (op.type) {
    case 'put':
      return { ...base, kind: PUT, val: vt.id(op.value), obs: unknown ? undefined : obsOf(r.prevKv) };
    case 'get':
      if (!unknown && r.kv === undefined) bad('a get result needs kv (null when absent)');
      return { ...base, kind: GET, obs: unknown ? undefined : obsOf(r.kv) };
    case 'delete': {
      if (!unknown && typeof r.deleted !== 'number') bad('a delete result needs deleted');
      if (!unknown && r.deleted !== 0 && r.deleted !== 1) bad(`a single-key delete cannot delete ${String(r.deleted)}`);
      return { ...base, kind: DEL, deleted: r.deleted === 1, obs: unknown ? undefined : obsOf(r.prevKv) };
    }
    case 'cas': {
      if (!unknown && typeof r.succeeded !== 'boolean') bad('a cas result needs succeeded');
      const x = op.expect;
      const [expKind, expArg]: [ExpKind, number] =
        'value' in x ? [EXP_VALUE, vt.id(x.value)] : 'modRevision' in x ? [EXP_MOD, x.modRevision] : [EXP_VERSION, x.version];
      const succeeded = r.succeeded === true;
      return {
        ...base,
        kind: CAS,
        val: vt.id(op.value),
        expKind,
        expArg,
        succeeded,
        // The else-branch read only happened when the compare failed.
        obs: unknown || succeeded ? undefined : obsOf(r.kv),
      };
    }
  }
}

// --- rendering ---------------------------------------------------------------------------------------------------

function showObs(vt: KeyCtx, o: Obs | null): string {
  if (o === null) return 'absent';
  const meta = [o.mod >= 0 ? `mod ${o.mod}` : '', o.ver >= 0 ? `ver ${o.ver}` : ''].filter(Boolean).join(', ');
  return meta ? `${vt.show(o.val)} (${meta})` : vt.show(o.val);
}

export function describeOp(op: MOp, vt: KeyCtx): string {
  const at = op.rev >= 0 ? ` @rev ${op.rev}` : '';
  const prev = (label: string): string => (op.obs === undefined ? '' : `, ${label} ${showObs(vt, op.obs)}`);
  switch (op.kind) {
    case PUT:
      return `put(${vt.show(op.val)}) → ${op.unknown ? '? (unknown outcome)' : `ok${at}${prev('prev')}`}`;
    case GET:
      return `get() → ${op.obs === undefined ? '?' : showObs(vt, op.obs)}${at}`;
    case DEL:
      return `delete() → ${op.unknown ? '? (unknown outcome)' : `deleted ${op.deleted ? 1 : 0}${at}${prev('prev')}`}`;
    case CAS: {
      const cmp =
        op.expKind === EXP_VALUE
          ? `value = ${vt.show(op.expArg)}`
          : op.expKind === EXP_MOD
            ? `mod = ${op.expArg}`
            : `version = ${op.expArg}`;
      const res = op.unknown ? '? (unknown outcome)' : `${op.succeeded ? 'succeeded' : 'failed'}${at}${prev('saw')}`;
      return `cas(${cmp} ⇒ put ${vt.show(op.val)}) → ${res}`;
    }
  }
}

export function describeState(s: RegState, vt: KeyCtx): string {
  const rev = vt.revisions ? `, store rev ≥ ${s.g}` : '';
  if (s.val < 0) return `absent${rev}`;
  const meta = [vt.revisions ? `mod ${s.mod >= 0 ? s.mod : unboundDesc(s)}` : '', vt.versions ? `ver ${s.ver}` : '']
    .filter(Boolean)
    .join(', ');
  return `${vt.show(s.val)}${meta ? ` (${meta})` : ''}${rev}`;
}

/** Turns off tracking of metadata that none of `ops` observes (see KeyCtx). */
export function detectFeatures(ops: readonly MOp[], vt: KeyCtx): void {
  vt.versions = ops.some(
    (o) => (o.obs != null && o.obs.ver >= 0) || (o.kind === CAS && o.expKind === EXP_VERSION && o.expArg !== 0),
  );
  vt.revisions = ops.some(
    (o) => o.rev >= 0 || (o.obs != null && o.obs.mod >= 0) || (o.kind === CAS && o.expKind === EXP_MOD && o.expArg !== 0),
  );
}
