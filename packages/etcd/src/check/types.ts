// Public shapes of recorded client histories against a single etcd key, as the linearizability checker consumes them.
//
// Shapes follow @k8ts/etcd-client so a harness can pass what the client returns: a `KeyValue` (value as Buffer) is a
// valid `KvObservation`, and `header.revision` goes into `revision`. Every revision-like field is optional: a
// history without them is checked as a plain register, one with them is checked against etcd's revision rules too.

/** Strings are taken as UTF-8 (as the etcd client does), so 'a' and Buffer.from('a') are the same value. */
export type Bytes = string | Uint8Array;

export type ClientId = string | number;

/** What an operation saw of the key: shape-compatible with etcd's KeyValue (extra fields are ignored). */
export interface KvObservation {
  value: Bytes;
  /** Revision of the write that produced this value. */
  modRevision?: number;
  /** Number of writes since the key was (re)created: 1 after the creating put. */
  version?: number;
}

/**
 * A txn compare on the key, with etcd's semantics: `modRevision: 0` / `version: 0` hold exactly when the key is
 * absent, and a `value` compare never holds on an absent key.
 */
export type CasExpect = { value: Bytes } | { modRevision: number } | { version: number };

export interface PutOp {
  type: 'put';
  value: Bytes;
}
export interface GetOp {
  type: 'get';
}
export interface DeleteOp {
  type: 'delete';
}
/** txn(if <expect> then put(value) [else get]). */
export interface CasOp {
  type: 'cas';
  expect: CasExpect;
  value: Bytes;
}
export type KeyOp = PutOp | GetOp | DeleteOp | CasOp;

export interface PutResult {
  /** header.revision: the revision this put created. */
  revision?: number;
  /** The previous value (put with prevKv); null = the key was absent. */
  prevKv?: KvObservation | null;
}
export interface GetResult {
  /** kvs[0]; null = absent. */
  kv: KvObservation | null;
  /** header.revision: the store revision the read was served at. */
  revision?: number;
}
export interface DeleteResult {
  deleted: number;
  /** header.revision: the new revision when deleted = 1, the current one when 0. */
  revision?: number;
  /** prevKvs[0] (delete with prevKv); null = nothing was deleted. */
  prevKv?: KvObservation | null;
}
export interface CasResult {
  succeeded: boolean;
  /** header.revision: the new revision on success, the current one on failure. */
  revision?: number;
  /** On failure, what the else-branch get returned (null = absent); omit when the txn had no else-branch read. */
  kv?: KvObservation | null;
}
export type OpResult = PutResult | GetResult | DeleteResult | CasResult;

/** The result type that belongs to an op type. */
export type ResultFor<O extends KeyOp> = O extends PutOp
  ? PutResult
  : O extends GetOp
    ? GetResult
    : O extends DeleteOp
      ? DeleteResult
      : CasResult;

/**
 * - ok: the response arrived; `result` holds it.
 * - fail: definitely not applied (e.g. connection refused before the request was sent); ignored by the checker.
 * - unknown: may or may not have taken effect (timeout, connection dropped); its return time is +infinity.
 */
export type Outcome = 'ok' | 'fail' | 'unknown';

export interface HistoryEntry {
  /** Unique within a history; the checker's explanations refer to ops as #id. */
  id: number;
  clientId: ClientId;
  key: Bytes;
  op: KeyOp;
  /** Invocation time (ns, monotonic clock). */
  call: bigint;
  /** Response time; null when the outcome is unknown (the op never returned). */
  ret: bigint | null;
  outcome: Outcome;
  /** Present exactly when outcome = 'ok'. */
  result?: OpResult;
}

export type History = readonly HistoryEntry[];

export interface CheckOptions {
  /** Total time budget for the whole history; past it the answer is 'unknown'. Default 10 000 ms. */
  timeoutMs?: number;
}

export type CheckResult =
  | { ok: true }
  | {
      ok: false;
      /** The key whose sub-history is not linearizable (decoded as UTF-8 for display when given as bytes). */
      key: string;
      /** Human-readable: the longest linearizable prefix's tail and the ops none of which can come next. */
      explanation: string;
      /** The entries the explanation mentions, in call order. */
      window: HistoryEntry[];
    }
  | { ok: 'unknown'; reason: string };
