// Test helper: writes internal requests as etcd JSON request bodies, in every spelling a client may use (proto or
// lowerCamel names, both with camel winning, int64 as number or string, enums by name or number, bytes as base64
// with line breaks or as byte arrays, zero fields omitted or null, unknown fields, random key order and spacing).
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest, WatchRequest } from '../../src/api/types.js';

/** A source of random choices (fed by fast-check). */
export type Choice = () => number;

export class RequestWriter {
  constructor(private readonly rnd: Choice) {}

  private pick(n: number): number {
    return Math.floor(this.rnd() * n) % n;
  }
  private coin(): boolean {
    return this.pick(2) === 0;
  }
  private ws(): string {
    return ['', '', ' ', '\n', '\t ', '\r\n'][this.pick(6)]!;
  }

  /** `{...}` from [name, camel, json value or undefined=zero] entries. */
  obj(fields: Array<[string, string | undefined, string | undefined]>): string {
    const parts: string[] = [];
    for (const [orig, camel, value] of fields) {
      if (value === undefined) {
        // A zero field: absent, or present as null.
        if (this.pick(4) === 0) parts.push(`${JSON.stringify(orig)}:${this.ws()}null`);
        continue;
      }
      if (camel !== undefined && camel !== orig) {
        const style = this.pick(3);
        if (style === 0) parts.push(`${JSON.stringify(orig)}:${this.ws()}${value}`);
        else if (style === 1) parts.push(`${JSON.stringify(camel)}:${this.ws()}${value}`);
        else {
          // Both names: the camel one wins whatever the order.
          parts.push(`${JSON.stringify(orig)}:${this.ws()}"!!not-base64-nor-number"`);
          parts.push(`${JSON.stringify(camel)}:${this.ws()}${value}`);
        }
      } else {
        parts.push(`${JSON.stringify(orig)}:${this.ws()}${value}`);
      }
    }
    if (this.pick(3) === 0) parts.push(`"x_unknown_${this.pick(100)}":${['1', '"s"', '[{}]', 'null', '{"key":"!!"}'][this.pick(5)]!}`);
    for (let i = parts.length - 1; i > 0; i--) {
      const j = this.pick(i + 1);
      [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    }
    return '{' + this.ws() + parts.join(this.ws() + ',' + this.ws()) + this.ws() + '}';
  }

  int(n: number | bigint | string): string | undefined {
    const s = String(n);
    if (s === '0') return this.coin() ? undefined : this.coin() ? '0' : '"0"';
    return this.coin() ? s : `"${s}"`;
  }
  bool(b: boolean): string | undefined {
    return b ? 'true' : this.coin() ? undefined : 'false';
  }
  enumOf(name: string, names: readonly string[]): string | undefined {
    const i = names.indexOf(name);
    if (i === 0 && this.coin()) return undefined;
    return this.coin() ? JSON.stringify(name) : String(i);
  }
  private b64(buf: Buffer): string {
    let s = buf.toString('base64');
    if (this.pick(4) === 0 && s.length > 0) {
      const i = this.pick(s.length + 1);
      s = s.slice(0, i) + '\\n' + s.slice(i); // a JSON-escaped line break, which Go skips
    }
    return `"${s}"`;
  }
  bytes(binary: string): string | undefined {
    if (binary === '') return undefined;
    const buf = Buffer.from(binary, 'latin1');
    return this.pick(5) === 0 ? `[${[...buf].join(',')}]` : this.b64(buf);
  }
  value(base64: string): string | undefined {
    if (base64 === '') return undefined;
    return this.b64(Buffer.from(base64, 'base64'));
  }
  str(s: string): string {
    return JSON.stringify(s);
  }
  list(items: string[]): string | undefined {
    if (items.length === 0) return this.coin() ? undefined : '[]';
    return '[' + items.join(',' + this.ws()) + ']';
  }

  range(r: RangeRequest): string {
    return this.obj([
      ['key', undefined, this.bytes(r.key)],
      ['range_end', 'rangeEnd', this.bytes(r.rangeEnd)],
      ['limit', undefined, this.int(r.limit)],
      ['revision', undefined, this.int(r.revision)],
      ['sort_order', 'sortOrder', this.enumOf(r.sortOrder, ['NONE', 'ASCEND', 'DESCEND'])],
      ['sort_target', 'sortTarget', this.enumOf(r.sortTarget, ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'])],
      ['serializable', undefined, this.bool(r.serializable)],
      ['keys_only', 'keysOnly', this.bool(r.keysOnly)],
      ['count_only', 'countOnly', this.bool(r.countOnly)],
      ['min_mod_revision', 'minModRevision', this.int(r.minModRevision)],
      ['max_mod_revision', 'maxModRevision', this.int(r.maxModRevision)],
      ['min_create_revision', 'minCreateRevision', this.int(r.minCreateRevision)],
      ['max_create_revision', 'maxCreateRevision', this.int(r.maxCreateRevision)],
    ]);
  }
  put(r: PutRequest): string {
    return this.obj([
      ['key', undefined, this.bytes(r.key)],
      ['value', undefined, this.value(r.value)],
      ['lease', undefined, this.int(r.lease)],
      ['prev_kv', 'prevKv', this.bool(r.prevKv)],
      ['ignore_value', 'ignoreValue', this.bool(r.ignoreValue)],
      ['ignore_lease', 'ignoreLease', this.bool(r.ignoreLease)],
    ]);
  }
  deleteRange(r: DeleteRangeRequest): string {
    return this.obj([
      ['key', undefined, this.bytes(r.key)],
      ['range_end', 'rangeEnd', this.bytes(r.rangeEnd)],
      ['prev_kv', 'prevKv', this.bool(r.prevKv)],
    ]);
  }
  compare(c: Compare): string {
    return this.obj([
      ['result', undefined, this.enumOf(c.result, ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'])],
      ['target', undefined, this.enumOf(c.target, ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'])],
      ['key', undefined, this.bytes(c.key)],
      ['range_end', 'rangeEnd', this.bytes(c.rangeEnd)],
      ['version', undefined, this.int(c.version)],
      ['create_revision', 'createRevision', this.int(c.createRevision)],
      ['mod_revision', 'modRevision', this.int(c.modRevision)],
      ['value', undefined, this.value(c.value)],
      ['lease', undefined, this.int(c.lease)],
    ]);
  }
  op(o: RequestOp): string {
    if ('requestRange' in o) return this.obj([['request_range', 'requestRange', this.range(o.requestRange)]]);
    if ('requestPut' in o) return this.obj([['request_put', 'requestPut', this.put(o.requestPut)]]);
    if ('requestDeleteRange' in o) return this.obj([['request_delete_range', 'requestDeleteRange', this.deleteRange(o.requestDeleteRange)]]);
    return this.obj([['request_txn', 'requestTxn', this.txn(o.requestTxn)]]);
  }
  txn(t: TxnRequest): string {
    return this.obj([
      ['compare', undefined, this.list(t.compare.map((c) => this.compare(c)))],
      ['success', undefined, this.list(t.success.map((o) => this.op(o)))],
      ['failure', undefined, this.list(t.failure.map((o) => this.op(o)))],
    ]);
  }
  watch(w: WatchRequest): string {
    if ('createRequest' in w) {
      const c = w.createRequest;
      return this.obj([
        [
          'create_request',
          'createRequest',
          this.obj([
            ['key', undefined, this.bytes(c.key)],
            ['range_end', 'rangeEnd', this.bytes(c.rangeEnd)],
            ['start_revision', 'startRevision', this.int(c.startRevision)],
            ['progress_notify', 'progressNotify', this.bool(c.progressNotify)],
            ['filters', undefined, this.list(c.filters.map((f) => this.enumOf(f, ['NOPUT', 'NODELETE']) ?? 'null'))],
            ['prev_kv', 'prevKv', this.bool(c.prevKv)],
            ['watch_id', 'watchId', this.int(c.watchId)],
            ['fragment', undefined, this.bool(c.fragment)],
          ]),
        ],
      ]);
    }
    if ('cancelRequest' in w) return this.obj([['cancel_request', 'cancelRequest', this.obj([['watch_id', 'watchId', this.int(w.cancelRequest.watchId)]])]]);
    return this.obj([['progress_request', 'progressRequest', '{}']]);
  }
}
