// The etcd benchmark's workloads. Each is bounded in count and time. Request bodies are encoded before the clock
// starts and latencies are taken with performance.now() (hrtime-based), so the client stays cheap next to the server.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EtcdClient } from '@k8ts/etcd-client';

export interface WorkloadResult {
  name: string;
  ops: number;
  errors: number;
  elapsedMs: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** CPU used by this (client) process during the measured loop, in % of one core. */
  clientCpuPct: number;
  /** Workload-specific counts (CAS: ok / conflict). */
  counters: Record<string, number>;
  firstError?: string;
}

export interface BenchContext {
  /** Client URLs of the members; requests go round-robin over them. */
  endpoints: string[];
  quick: boolean;
  /** Prefix for this run's keys, so runs against a shared cluster do not collide. */
  keyPrefix: string;
}

export interface Workload {
  name: string;
  describe: string;
  run(ctx: BenchContext): Promise<WorkloadResult>;
}

const VALUE_SIZE = 256;
const VALUE_B64 = randomBytes(VALUE_SIZE).toString('base64');
const PER_OP_TIMEOUT_MS = 15_000;

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const now = (): number => performance.now();

function scaled(ctx: BenchContext, full: number): { count: number; maxMs: number } {
  return ctx.quick ? { count: Math.max(50, Math.round(full / 10)), maxMs: 5_000 } : { count: full, maxMs: 30_000 };
}

/** A client sized so that `concurrency` requests never queue behind each other (HTTP/1.1, one request per connection). */
function clientFor(ctx: BenchContext, concurrency: number): EtcdClient {
  return new EtcdClient({
    endpoints: ctx.endpoints,
    requestTimeoutMs: PER_OP_TIMEOUT_MS,
    connectionsPerEndpoint: Math.ceil(concurrency / ctx.endpoints.length) + 1,
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx]!;
}

/**
 * `concurrency` workers take op indexes 0..count-1 until done or `maxMs` elapsed. An op may return its own latency
 * (the watch measures to the event's arrival, not to the end of the op).
 */
async function closedLoop(
  name: string,
  concurrency: number,
  count: number,
  maxMs: number,
  op: (i: number) => Promise<number | void>,
  counters: () => Record<string, number> = () => ({}),
  tail = false,
): Promise<WorkloadResult> {
  const lat = new Float64Array(count);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const maxErrors = Math.max(20, Math.ceil(count * 0.05));
  const cpu0 = process.cpuUsage();
  const start = now();
  const deadline = start + maxMs;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= count || errors > maxErrors) return;
      const s = now();
      if (s > deadline) return;
      try {
        const own = await op(i);
        lat[done++] = typeof own === 'number' ? own : now() - s;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = now() - start;
  const cpu = process.cpuUsage(cpu0);
  const sorted = lat.subarray(0, done).sort();
  const r: WorkloadResult = {
    name,
    ops: done,
    errors,
    elapsedMs,
    opsPerSec: done / (elapsedMs / 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
    counters: counters(),
  };
  if (tail) {
    // Rare long stalls (a snapshot, a GC) hide below p99: name them.
    r.counters['p99.9 ms'] = Math.round(percentile(sorted, 0.999));
    r.counters['max ms'] = Math.round(sorted[done - 1] ?? NaN);
    r.counters['over 200 ms'] = sorted.filter((l) => l > 200).length;
  }
  if (firstError !== undefined) r.firstError = firstError;
  return r;
}

/** Untimed ops that open the pool's connections and warm both sides up. */
async function warmup(concurrency: number, count: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await op(i).catch(() => {});
    }),
  );
}

function putWorkload(concurrency: number): Workload {
  const name = concurrency === 1 ? 'put-seq' : `put-c${concurrency}`;
  return {
    name,
    describe: concurrency === 1 ? 'sequential puts, 1 client' : `puts, ${concurrency} concurrent clients`,
    async run(ctx) {
      const { count, maxMs } = scaled(ctx, concurrency === 1 ? 2_000 : concurrency === 16 ? 10_000 : 20_000);
      const n = ctx.endpoints.length;
      const bodies = Array.from(
        { length: count },
        (_, i) => `{"key":"${b64(`${ctx.keyPrefix}${name}/${i}`)}","value":"${VALUE_B64}"}`,
      );
      const c = clientFor(ctx, concurrency);
      try {
        const eps = ctx.endpoints;
        const put = (i: number) => c.request('/v3/kv/put', bodies[i % count]!, { endpoint: eps[i % n]! });
        await warmup(concurrency, Math.min(count, 2 * concurrency + 20), put);
        return await closedLoop(name, concurrency, count, maxMs, async (i) => {
          await put(i);
        });
      } finally {
        await c.close();
      }
    },
  };
}

const POD_SIZED_VALUE_B64 = randomBytes(1500).toString('base64');
const POD_KEYS = 5000;

/**
 * Many puts of pod-sized values (1.5 KB) over 5,000 keys, 64 clients: enough data that the members' periodic
 * snapshots (every --snapshot-count entries) are large, so their cost shows in the tail counters.
 */
function podPutWorkload(concurrency: number): Workload {
  const name = `put-1k5-c${concurrency}`;
  return {
    name,
    describe: `puts of 1.5 KB values over ${POD_KEYS} keys, ${concurrency} concurrent clients, 60,000 of them; notes give p99.9, max and the count over 200 ms`,
    async run(ctx) {
      const { count } = scaled(ctx, 60_000);
      const maxMs = ctx.quick ? 5_000 : 90_000;
      const n = ctx.endpoints.length;
      const keys = Array.from({ length: POD_KEYS }, (_, k) => b64(`${ctx.keyPrefix}${name}/${k}`));
      const c = clientFor(ctx, concurrency);
      try {
        const eps = ctx.endpoints;
        const put = (i: number) => c.request('/v3/kv/put', `{"key":"${keys[i % POD_KEYS]}","value":"${POD_SIZED_VALUE_B64}"}`, { endpoint: eps[i % n]! });
        await warmup(concurrency, 2 * concurrency + 20, put);
        return await closedLoop(name, concurrency, count, maxMs, async (i) => {
          await put(i);
        }, undefined, true);
      } finally {
        await c.close();
      }
    },
  };
}

const RANGE_KEYS = 1000;

function rangeWorkload(serializable: boolean, concurrency: number): Workload {
  const name = `range-${serializable ? 'ser' : 'lin'}-c${concurrency}`;
  return {
    name,
    describe: `${serializable ? 'serializable' : 'linearizable'} single-key ranges, ${concurrency} concurrent clients`,
    async run(ctx) {
      const { count, maxMs } = scaled(ctx, 20_000);
      const n = ctx.endpoints.length;
      const keys = Array.from({ length: RANGE_KEYS }, (_, k) => b64(`${ctx.keyPrefix}range/${k}`));
      const bodies = keys.map((k) => `{"key":"${k}"${serializable ? ',"serializable":true' : ''}}`);
      const pick = Uint16Array.from({ length: count }, () => Math.floor(Math.random() * RANGE_KEYS));
      const c = clientFor(ctx, concurrency);
      try {
        const eps = ctx.endpoints;
        // Populate (idempotent across the two range workloads), untimed.
        await warmup(32, RANGE_KEYS, (k) => c.request('/v3/kv/put', `{"key":"${keys[k]}","value":"${VALUE_B64}"}`));
        const range = (i: number) => c.request('/v3/kv/range', bodies[pick[i % count]!]!, { endpoint: eps[i % n]!, kind: 'read' });
        await warmup(concurrency, Math.min(count, 2 * concurrency + 20), range);
        return await closedLoop(name, concurrency, count, maxMs, async (i) => {
          await range(i);
        });
      } finally {
        await c.close();
      }
    },
  };
}

const CAS_KEYS = 32;

function casWorkload(concurrency: number): Workload {
  const name = `txn-cas-c${concurrency}`;
  return {
    name,
    describe: `read mod_revision then txn compare-and-swap on ${CAS_KEYS} keys, ${concurrency} concurrent clients (one op = range + txn)`,
    async run(ctx) {
      const { count, maxMs } = scaled(ctx, 5_000);
      const n = ctx.endpoints.length;
      const keys = Array.from({ length: CAS_KEYS }, (_, k) => b64(`${ctx.keyPrefix}cas/${k}`));
      const rangeBodies = keys.map((k) => `{"key":"${k}"}`);
      const txnHead = keys.map((k) => `{"compare":[{"key":"${k}","target":"MOD","result":"EQUAL","mod_revision":"`);
      const txnTail = keys.map((k) => `"}],"success":[{"request_put":{"key":"${k}","value":"${VALUE_B64}"}}]}`);
      const pick = Uint8Array.from({ length: count }, () => Math.floor(Math.random() * CAS_KEYS));
      let ok = 0;
      let conflicts = 0;
      const c = clientFor(ctx, concurrency);
      try {
        const eps = ctx.endpoints;
        await warmup(CAS_KEYS, CAS_KEYS, (k) => c.request('/v3/kv/put', `{"key":"${keys[k]}","value":"${VALUE_B64}"}`));
        const cas = async (i: number): Promise<void> => {
          const k = pick[i % count]!;
          const endpoint = eps[i % n]!;
          const r = await c.request('/v3/kv/range', rangeBodies[k]!, { endpoint, kind: 'read' });
          const kv = (r.kvs as { mod_revision?: string }[] | undefined)?.[0];
          const rev = kv?.mod_revision ?? '0';
          const t = await c.request('/v3/kv/txn', txnHead[k]! + rev + txnTail[k]!, { endpoint });
          if (t.succeeded === true) ok++;
          else conflicts++;
        };
        await warmup(concurrency, Math.min(count, 2 * concurrency), cas);
        ok = 0;
        conflicts = 0;
        return await closedLoop(name, concurrency, count, maxMs, cas, () => ({ ok, conflict: conflicts }));
      } finally {
        await c.close();
      }
    },
  };
}

function watchWorkload(): Workload {
  const name = 'watch-latency';
  return {
    name,
    describe: 'one watcher on a prefix (last member); sequential puts round-robin; latency = put sent → event received',
    async run(ctx) {
      const { count, maxMs } = scaled(ctx, 1_000);
      const n = ctx.endpoints.length;
      const prefix = `${ctx.keyPrefix}watch/`;
      const prefixLen = Buffer.byteLength(prefix);
      const bodies = Array.from({ length: count }, (_, i) => `{"key":"${b64(prefix + i)}","value":"${VALUE_B64}"}`);
      const c = clientFor(ctx, 1);
      const arrival = new Float64Array(count).fill(-1);
      let waitingFor = -1;
      let wake: (() => void) | undefined;
      const w = c.watch(prefix, { prefix: true, endpoint: ctx.endpoints[n - 1]! });
      try {
        await w.created;
        const consumer = (async () => {
          for await (const f of w) {
            const t = now();
            for (const e of f.events) {
              const i = Number(e.kv.key.toString('latin1', prefixLen));
              if (i >= 0 && i < count && arrival[i]! < 0) arrival[i] = t;
              if (i === waitingFor && wake) {
                wake();
                wake = undefined;
              }
            }
          }
        })();
        consumer.catch(() => {});
        const eps = ctx.endpoints;
        const op = async (i: number): Promise<number> => {
          let timer: NodeJS.Timeout | undefined;
          waitingFor = i;
          const event = new Promise<void>((resolve, reject) => {
            wake = resolve;
            timer = setTimeout(() => reject(new Error(`no watch event within ${PER_OP_TIMEOUT_MS} ms`)), PER_OP_TIMEOUT_MS);
          });
          const sent = now();
          try {
            await Promise.all([c.request('/v3/kv/put', bodies[i]!, { endpoint: eps[i % n]! }), event]);
          } finally {
            clearTimeout(timer);
          }
          return arrival[i]! - sent;
        };
        return await closedLoop(name, 1, count, maxMs, op);
      } finally {
        w.cancel();
        await c.close();
      }
    },
  };
}

/** How long the warm-up may take at most; its counts normally end it well before. */
const WARMUP_MAX_MS = 20_000;

/**
 * Untimed, identical for both sides, once per fresh cluster before the first workload: sequential and concurrent
 * puts, linearizable and serializable ranges, compare-and-swap txns and a watch, all round-robin over the members.
 * k8ts-etcd runs on V8, which interprets a function and compiles it with optimizations only after it has run hot; on a
 * fresh cluster the first workload (sequential puts) would otherwise be measured mostly before that. etcd is compiled
 * ahead of time and gains nothing from this. `--no-warmup` skips it, to measure a cold cluster.
 */
export async function warmCluster(ctx: BenchContext): Promise<{ ops: number; elapsedMs: number }> {
  const n = ctx.endpoints.length;
  const prefix = `${ctx.keyPrefix}warmup/`;
  const keys = Array.from({ length: 200 }, (_, i) => b64(`${prefix}${i}`));
  const scale = ctx.quick ? 10 : 1;
  const t0 = now();
  const deadline = t0 + WARMUP_MAX_MS;
  let ops = 0;
  const c = clientFor(ctx, 16);
  const w = c.watch(prefix, { prefix: true, endpoint: ctx.endpoints[n - 1]! });
  try {
    await w.created;
    const drain = (async () => {
      for await (const _ of w) {
        // Events are only consumed: the watch path gets its share of the warm-up.
      }
    })();
    drain.catch(() => {});
    const phase = async (concurrency: number, count: number, op: (i: number) => Promise<unknown>): Promise<void> => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < count && now() < deadline; i = next++) {
            await op(i).catch(() => {});
            ops++;
          }
        }),
      );
    };
    const put = (i: number) => c.request('/v3/kv/put', `{"key":"${keys[i % keys.length]}","value":"${VALUE_B64}"}`, { endpoint: ctx.endpoints[i % n]! });
    await phase(1, 1_500 / scale, put);
    await phase(16, 3_000 / scale, put);
    await phase(16, 2_000 / scale, (i) =>
      c.request('/v3/kv/range', `{"key":"${keys[i % keys.length]}"${i % 2 ? ',"serializable":true' : ''}}`, { endpoint: ctx.endpoints[i % n]!, kind: 'read' }),
    );
    await phase(8, 1_000 / scale, async (i) => {
      const k = keys[i % keys.length]!;
      const endpoint = ctx.endpoints[i % n]!;
      const r = (await c.request('/v3/kv/range', `{"key":"${k}"}`, { endpoint, kind: 'read' })) as { kvs?: { mod_revision?: string }[] };
      const rev = r.kvs?.[0]?.mod_revision ?? '0';
      return c.request(
        '/v3/kv/txn',
        `{"compare":[{"key":"${k}","target":"MOD","result":"EQUAL","mod_revision":"${rev}"}],"success":[{"request_put":{"key":"${k}","value":"${VALUE_B64}"}}]}`,
        { endpoint },
      );
    });
  } finally {
    w.cancel();
    await c.close();
  }
  return { ops, elapsedMs: now() - t0 };
}

export const WORKLOADS: Workload[] = [
  putWorkload(1),
  putWorkload(16),
  putWorkload(64),
  putWorkload(256),
  rangeWorkload(false, 64),
  rangeWorkload(true, 64),
  casWorkload(16),
  watchWorkload(),
];

/** Workloads that only run when named in --workloads (long, and meant to be run with --snapshot-count). */
export const EXTRA_WORKLOADS: Workload[] = [podPutWorkload(64)];
