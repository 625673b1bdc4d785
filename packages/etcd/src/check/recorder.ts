// Records what clients asked and what they got back, with invocation/response times, for checkLinearizable.
//
// Call begin() right before sending the request and resolve the handle as soon as the answer (or error) is known:
// the interval [call, ret] must contain the moment the cluster applied the op, so recording late only loosens the
// check, recording early would make it unsound.

import type {
  Bytes,
  ClientId,
  HistoryEntry,
  KeyOp,
  KvObservation,
  OpResult,
  Outcome,
  ResultFor,
} from './types.js';

export interface OpHandle<R> {
  readonly id: number;
  /** The response arrived. */
  ok(result: R): void;
  /** Definitely not applied (e.g. the connection was refused before the request left). */
  fail(): void;
  /** May or may not have been applied (timeout, connection dropped after sending, leader changed mid-request). */
  unknown(): void;
}

export interface RecorderOptions {
  /** Monotonic nanoseconds; defaults to process.hrtime.bigint. Inject for deterministic tests. */
  clock?: () => bigint;
}

/**
 * Classifies a client error: 'fail' only when the request provably never left (an error with requestSent === false,
 * like @k8ts/etcd-client's EtcdConnectionError on ECONNREFUSED), else 'unknown' — which is always safe.
 */
export function classifyError(err: unknown): 'fail' | 'unknown' {
  if (err !== null && typeof err === 'object' && (err as { requestSent?: unknown }).requestSent === false) return 'fail';
  return 'unknown';
}

interface Rec {
  id: number;
  clientId: ClientId;
  key: Bytes;
  op: KeyOp;
  call: bigint;
  ret: bigint | null;
  outcome: Outcome | 'pending';
  result?: OpResult;
}

export class HistoryRecorder {
  readonly #clock: () => bigint;
  readonly #recs: Rec[] = [];

  constructor(opts: RecorderOptions = {}) {
    this.#clock = opts.clock ?? (() => process.hrtime.bigint());
  }

  begin<O extends KeyOp>(clientId: ClientId, key: Bytes, op: O): OpHandle<ResultFor<O>> {
    const rec: Rec = { id: this.#recs.length, clientId, key, op: copyOp(op), call: this.#clock(), ret: null, outcome: 'pending' };
    this.#recs.push(rec);
    const settle = (outcome: Outcome, result?: OpResult): void => {
      if (rec.outcome !== 'pending') throw new Error(`op #${rec.id} was already resolved as ${rec.outcome}`);
      const now = this.#clock();
      rec.outcome = outcome;
      if (outcome !== 'unknown') rec.ret = now;
      if (result !== undefined) rec.result = result;
    };
    return {
      id: rec.id,
      ok: (result) => settle('ok', copyResult(result)),
      fail: () => settle('fail'),
      unknown: () => settle('unknown'),
    };
  }

  /**
   * Runs `fn` as one recorded op: its value is recorded as the result; a throw is recorded per `classify`
   * (default classifyError) and rethrown.
   */
  async run<O extends KeyOp>(
    clientId: ClientId,
    key: Bytes,
    op: O,
    fn: () => Promise<ResultFor<O>>,
    classify: (err: unknown) => 'fail' | 'unknown' = classifyError,
  ): Promise<ResultFor<O>> {
    const h = this.begin(clientId, key, op);
    let result: ResultFor<O>;
    try {
      result = await fn();
    } catch (err) {
      if (classify(err) === 'fail') h.fail();
      else h.unknown();
      throw err;
    }
    h.ok(result);
    return result;
  }

  /** Ops begun but not yet resolved. */
  get pending(): number {
    return this.#recs.filter((r) => r.outcome === 'pending').length;
  }

  /** A snapshot of the history so far; ops still pending are reported with an unknown outcome. */
  history(): HistoryEntry[] {
    return this.#recs.map((r) => {
      const e: HistoryEntry = {
        id: r.id,
        clientId: r.clientId,
        key: r.key,
        op: r.op,
        call: r.call,
        ret: r.outcome === 'pending' ? null : r.ret,
        outcome: r.outcome === 'pending' ? 'unknown' : r.outcome,
      };
      if (r.result !== undefined) e.result = r.result;
      return e;
    });
  }
}

function copyOp(op: KeyOp): KeyOp {
  switch (op.type) {
    case 'cas':
      return { type: 'cas', expect: { ...op.expect }, value: op.value };
    default:
      return { ...op };
  }
}

/** Keeps only the fields the checker reads, so a client's KeyValue (key, lease, ...) is not retained. */
function copyKv(kv: KvObservation | null | undefined): KvObservation | null | undefined {
  if (kv === undefined || kv === null) return kv;
  const out: KvObservation = { value: kv.value };
  if (kv.modRevision !== undefined) out.modRevision = kv.modRevision;
  if (kv.version !== undefined) out.version = kv.version;
  return out;
}

function copyResult(r: OpResult): OpResult {
  const src = r as Partial<Record<'revision' | 'deleted' | 'succeeded', unknown>> &
    Partial<Record<'kv' | 'prevKv', KvObservation | null>>;
  const out: Record<string, unknown> = {};
  for (const f of ['revision', 'deleted', 'succeeded'] as const) if (src[f] !== undefined) out[f] = src[f];
  for (const f of ['kv', 'prevKv'] as const) if (src[f] !== undefined) out[f] = copyKv(src[f]);
  return out as OpResult;
}

// --- persistence: dump a failing history next to the test's logs, reload it to reproduce ---------------------------

/** JSON with bigint times and byte values preserved. */
export function historyToJSON(history: readonly HistoryEntry[]): string {
  return JSON.stringify(history, function (this: Record<string, unknown>, k: string, v: unknown) {
    const orig = this[k];
    if (typeof orig === 'bigint') return { $bigint: orig.toString() };
    if (orig instanceof Uint8Array) return { $bytes: Buffer.from(orig).toString('base64') };
    return v;
  });
}

export function historyFromJSON(json: string): HistoryEntry[] {
  return JSON.parse(json, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
      if (typeof o.$bytes === 'string') return Buffer.from(o.$bytes, 'base64');
    }
    return v;
  }) as HistoryEntry[];
}
