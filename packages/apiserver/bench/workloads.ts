// The apiserver benchmark's workloads: per-verb closed loops at a given concurrency, a watch fan-out to many
// watchers, and a LIST of a large namespace. Each is bounded in count and time. Clients decode every response body
// (JSON.parse), as client-go does, so latencies are what a real client sees.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient, now, openWatch, type WatchStream } from './http-client.js';
import { cpuBetween, sampleCpu } from './proc-cpu.js';
import { podsSeries, scrapeMetrics, serverTimesBetween, type ServerSeries, type ServerTimes } from './server-time.js';
import { percentile, pool, runLoop, SKIP, type LoopResult, type OpOutcome } from './stats.js';

export const VERBS = ['create', 'get', 'update', 'patch', 'list', 'watch', 'delete'] as const;
export type Verb = (typeof VERBS)[number];
export const MUTATING: readonly Verb[] = ['create', 'update', 'patch', 'delete'];

export const VERB_DESCRIPTIONS: Record<Verb, string> = {
  create: 'POST a Pod (one container with ports, resources, env; three labels), decode the answer',
  get: 'GET one of the pods created just before (no resourceVersion: a quorum read from etcd)',
  update: 'PUT a pod back with one label changed and the resourceVersion last seen; a 409 conflict is counted, not timed, and the pod is re-read',
  patch: 'strategic-merge PATCH setting one label on a random pod (no resourceVersion in the patch; a 409 is counted, not timed)',
  list: 'LIST a namespace of 100 pods (no resourceVersion: from etcd), decode it',
  watch: "each client PATCHes its own pod and waits for the event on its own open watch (fieldSelector=metadata.name); latency = PATCH sent → event received",
  delete: 'DELETE the pods created by `create`, one per op',
};

/** Which of the apiserver's histograms each verb's timed request feeds (watch: the PATCH it times). */
const SERVER_SERIES: Record<Verb, ServerSeries> = {
  create: podsSeries('POST', 'create'),
  get: podsSeries('GET', 'get'),
  update: podsSeries('PUT', 'update'),
  patch: podsSeries('PATCH', 'update'),
  list: podsSeries('LIST', 'list'),
  watch: podsSeries('PATCH', 'update'),
  delete: podsSeries('DELETE', 'delete'),
};

export interface VerbResult extends LoopResult {
  verb: Verb;
  /** The apiserver's mean time per request and per etcd call during the loop (from its /metrics). */
  server: ServerTimes;
  clients: number;
  /** Paced (open-loop) runs: the offered rate; closed loops leave it unset. */
  ratePerSec?: number | undefined;
  transport: 'http' | 'https';
  notes: string[];
}

export interface BenchContext {
  quick: boolean;
  log(line: string): void;
}

interface ObjectMetaLike {
  name?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
}
interface PodLike {
  metadata: ObjectMetaLike;
}
interface ListLike {
  metadata: { resourceVersion?: string; continue?: string };
  items: unknown[];
}

export const podsPath = (ns: string): string => `/api/v1/namespaces/${ns}/pods`;

/** A Pod as a Deployment would create it: labels, one container with ports, resources and env. */
export function podJson(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench', tier: 'web', 'pod-template-hash': '5d8f7c9b6d' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          env: [{ name: 'MODE', value: 'bench' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
      ],
    },
  });
}

export async function ensureNamespace(c: HttpClient, name: string): Promise<void> {
  await c.expect('POST', '/api/v1/namespaces', [201, 409], { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
}

/** Creates `names` (untimed setup) and returns the decoded pods. */
export async function createPods(c: HttpClient, ns: string, names: string[], concurrency: number): Promise<PodLike[]> {
  const out: PodLike[] = [];
  await pool(concurrency, names.length, async (i) => {
    const r = await c.expect('POST', podsPath(ns), [201], { body: podJson(ns, names[i]!) });
    out[i] = JSON.parse(r.body) as PodLike;
  });
  return out;
}

/** Per-verb bounds: count grows with the clients (up to 10×), time is capped; --quick cuts both. */
function bounds(ctx: BenchContext, verb: Exclude<Verb, 'delete'>, clients: number): { count: number; maxMs: number } {
  const base: Record<Exclude<Verb, 'delete'>, number> = { create: 500, get: 1000, update: 500, patch: 500, list: 200, watch: 300 };
  const full = base[verb] * Math.min(10, Math.max(1, clients / 2));
  return ctx.quick ? { count: Math.max(20, Math.round(full / 10)), maxMs: 3_000 } : { count: Math.round(full), maxMs: 10_000 };
}

const SEQ_MARK = '"bench/seq":"';

/** A chunk handler that splits a watch stream into lines and reports the bench/seq annotation of each event. */
export function seqLines(onSeq: (seq: number, at: number) => void): (chunk: string, at: number) => void {
  let rest = '';
  return (chunk, at) => {
    const text = rest.length ? rest + chunk : chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const m = text.indexOf(SEQ_MARK, start);
      if (m >= 0 && m < nl) {
        const s = m + SEQ_MARK.length;
        onSeq(Number(text.slice(s, text.indexOf('"', s))), at);
      }
      start = nl + 1;
    }
    rest = start < text.length ? text.slice(start) : '';
  };
}

const seqPatch = (seq: number): string => `{"metadata":{"annotations":{"bench/seq":"${seq}"}}}`;
const MERGE_PATCH = 'application/merge-patch+json';
const EVENT_TIMEOUT_MS = 15_000;

/**
 * Every verb at one concurrency on one transport, in a fresh namespace: create (its pods feed get/update/patch/
 * delete), get, update, patch, list, watch, delete. `verbs` selects what is reported; create always runs. With
 * `ratePerSec` every loop is paced at that total rate instead of closed (see runLoop).
 */
export async function crudSuite(
  ctx: BenchContext,
  baseUrl: string,
  transport: 'http' | 'https',
  clients: number,
  verbs: readonly Verb[],
  listNamespace: string,
  ratePerSec?: number,
): Promise<VerbResult[]> {
  const ns = `bench-${transport}-c${clients}${ratePerSec ? `-r${ratePerSec}` : ''}`;
  const c = new HttpClient(baseUrl, clients + 1);
  const out: VerbResult[] = [];
  // The apiserver's metrics as of the start of the loop being measured (scraped outside the timed part).
  let metricsBefore = '';
  const report = async (verb: Verb, r: LoopResult, notes: string[] = []): Promise<void> => {
    const server = serverTimesBetween(metricsBefore, await scrapeMetrics(c), SERVER_SERIES[verb]);
    const v: VerbResult = { ...r, verb, clients, transport, notes, ratePerSec, server };
    out.push(v);
    ctx.log(
      `  ${verb.padEnd(6)} c=${String(clients).padEnd(3)}${ratePerSec ? ` @${ratePerSec}/s` : ''} ${transport}: ${r.ops} ops, ${r.opsPerSec.toFixed(0)} ops/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms` +
        `, server mean ${server.requestMs.toFixed(1)} ms (etcd ${server.storeMs.toFixed(1)})` +
        `${r.errors ? `, ${r.errors} errors (${r.firstError ?? ''})` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    );
  };
  const rnd = (n: number): number => Math.floor(Math.random() * n);
  const loop = async (b: { count: number; maxMs: number }, op: (i: number, worker: number) => Promise<OpOutcome>): Promise<LoopResult> => {
    metricsBefore = await scrapeMetrics(c);
    return runLoop(clients, ratePerSec ? Math.min(b.count, Math.round((ratePerSec * b.maxMs) / 1000)) : b.count, b.maxMs, op, ratePerSec);
  };
  try {
    await ensureNamespace(c, ns);
    // Warm-up: opens the pool's connections and gets both sides' JIT going on this path.
    await createPods(c, ns, Array.from({ length: 2 * clients + 20 }, (_, i) => `warm-${i}`), clients);

    // create
    const b = bounds(ctx, 'create', clients);
    const latest: (PodLike | undefined)[] = new Array<PodLike | undefined>(b.count);
    const created: number[] = [];
    await report(
      'create',
      await loop(b, async (i) => {
        const r = await c.expect('POST', podsPath(ns), [201], { body: podJson(ns, `p-${i}`) });
        latest[i] = JSON.parse(r.body) as PodLike;
        created.push(i);
      }),
    );
    if (created.length === 0) throw new Error(`create at ${clients} clients created nothing`);
    const pick = (): number => created[rnd(created.length)]!;

    if (verbs.includes('get')) {
      const g = bounds(ctx, 'get', clients);
      await report(
        'get',
        await loop(g, async () => {
          const r = await c.expect('GET', `${podsPath(ns)}/p-${pick()}`, [200]);
          JSON.parse(r.body);
        }),
      );
    }

    if (verbs.includes('update')) {
      const u = bounds(ctx, 'update', clients);
      let conflicts = 0;
      const r = await loop(u, async (i) => {
        const k = pick();
        const pod = latest[k]!;
        pod.metadata.labels = { ...pod.metadata.labels, 'bench-gen': String(i) };
        const path = `${podsPath(ns)}/p-${k}`;
        const res = await c.expect('PUT', path, [200, 409], { body: JSON.stringify(pod) });
        if (res.status === 409) {
          conflicts++;
          latest[k] = JSON.parse((await c.expect('GET', path, [200])).body) as PodLike;
          return SKIP;
        }
        latest[k] = JSON.parse(res.body) as PodLike;
      });
      await report('update', r, [`409 conflicts: ${conflicts}`]);
    }

    if (verbs.includes('patch')) {
      const p = bounds(ctx, 'patch', clients);
      let conflicts = 0;
      const r = await loop(p, async (i) => {
        const res = await c.expect('PATCH', `${podsPath(ns)}/p-${pick()}`, [200, 409], {
          body: `{"metadata":{"labels":{"bench-patch":"${i}"}}}`,
          contentType: 'application/strategic-merge-patch+json',
        });
        // A patch carries no resourceVersion, so the server should retry its own conflicts; count any that escape.
        if (res.status === 409) {
          conflicts++;
          return SKIP;
        }
        JSON.parse(res.body);
      });
      await report('patch', r, [`409 conflicts: ${conflicts}`]);
    }

    if (verbs.includes('list')) {
      const l = bounds(ctx, 'list', clients);
      let items = 0;
      const r = await loop(l, async () => {
        const res = await c.expect('GET', podsPath(listNamespace), [200]);
        items = (JSON.parse(res.body) as ListLike).items.length;
      });
      await report('list', r, [`${items} items`]);
    }

    if (verbs.includes('watch')) {
      const w = bounds(ctx, 'watch', clients);
      const { result, notes } = await watchVerb(c, baseUrl, ns, clients, w.count, w.maxMs, async () => {
        metricsBefore = await scrapeMetrics(c);
      });
      await report('watch', result, notes);
    }

    if (verbs.includes('delete')) {
      const maxMs = bounds(ctx, 'create', clients).maxMs;
      await report(
        'delete',
        await loop({ count: created.length, maxMs }, async (i) => {
          const r = await c.expect('DELETE', `${podsPath(ns)}/p-${created[i]}`, [200]);
          JSON.parse(r.body);
        }),
      );
    }
  } finally {
    c.close();
  }
  return out;
}

/** `clients` workers, each with its own pod and its own watch on it: PATCH, then wait for that write's event. */
async function watchVerb(
  c: HttpClient,
  baseUrl: string,
  ns: string,
  clients: number,
  count: number,
  maxMs: number,
  beforeLoop: () => Promise<void>,
): Promise<{ result: LoopResult; notes: string[] }> {
  const pods = await createPods(c, ns, Array.from({ length: clients }, (_, k) => `w-${k}`), clients);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const waiters: ({ seq: number; resolve: (at: number) => void } | undefined)[] = new Array(clients).fill(undefined);
  const streams: WatchStream[] = [];
  const openMs: number[] = [];
  try {
    await pool(clients, clients, async (k) => {
      const path = `${podsPath(ns)}?watch=1&fieldSelector=metadata.name%3Dw-${k}&resourceVersion=${pods[k]!.metadata.resourceVersion}`;
      const s = openWatch(agent, baseUrl, path, seqLines((seq, at) => {
        const w = waiters[k];
        if (w && w.seq === seq) {
          waiters[k] = undefined;
          w.resolve(at);
        }
      }));
      streams[k] = s;
      const t0 = now();
      openMs.push((await s.opened) - t0);
    });
    await beforeLoop();
    const result = await runLoop(clients, count, maxMs, async (i, k) => {
      let timer: NodeJS.Timeout | undefined;
      const event = new Promise<number>((resolve, reject) => {
        waiters[k] = { seq: i, resolve };
        timer = setTimeout(() => reject(new Error(`no watch event within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS);
      });
      const sent = now();
      try {
        const [, at] = await Promise.all([
          c.expect('PATCH', `${podsPath(ns)}/w-${k}`, [200], { body: seqPatch(i), contentType: MERGE_PATCH }),
          event,
        ]);
        return at - sent;
      } finally {
        clearTimeout(timer);
        waiters[k] = undefined;
      }
    });
    openMs.sort((a, b) => a - b);
    return { result, notes: [`watch open p50 ${fmt(percentile(openMs, 0.5))} ms, p99 ${fmt(percentile(openMs, 0.99))} ms`] };
  } finally {
    for (const s of streams) s?.close();
    agent.destroy();
  }
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

// ---- watch fan-out ----

export interface FanoutResult {
  watchers: number;
  /** Watches that answered 200. */
  opened: number;
  openP50: number;
  openP99: number;
  /** Time to open all of them (at most 50 at a time). */
  openAllMs: number;
  ratePerSec: number;
  written: number;
  acked: number;
  writeErrors: number;
  writeP50: number;
  writeP99: number;
  /** opened × acked */
  expected: number;
  delivered: number;
  missing: number;
  /** Watchers that missed at least one event. */
  watchersMissing: number;
  /** Watch streams the server ended during the run. */
  endedEarly: number;
  /** Over every (watcher, event): received − PATCH sent. */
  p50: number;
  p99: number;
  max: number;
  /** Over every (watcher, event): received − PATCH acknowledged (negative when the event beat the answer). */
  afterAckP50: number;
  afterAckP99: number;
  /** Per event, when its last watcher got it (received − sent). */
  lastWatcherP50: number;
  lastWatcherP99: number;
  /** During the writes and the drain, in % of one core. */
  clientCpuPct: number;
  apiserverCpuPct: number;
  etcdCpuPct: number;
}

/**
 * `watchers` watches on one namespace, each on its own connection, from the namespace's list resourceVersion; then
 * one writer PATCHes the namespace's 100 pods round-robin at `rate` per second for `seconds` (open loop: a slow answer
 * does not slow the schedule). Each PATCH writes its sequence number into an annotation, which is how every watcher
 * matches an event line to the write that caused it.
 */
export async function watchFanout(ctx: BenchContext, baseUrl: string, watchers: number, rate: number, seconds: number): Promise<FanoutResult> {
  const ns = 'bench-fanout';
  // Enough pods that a slow answer never leaves two PATCHes of one pod in flight (the server does not retry a
  // patch's conflict, see the patch verb), while every watcher still sees every write.
  const podCount = 100;
  const c = new HttpClient(baseUrl, 32);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams: WatchStream[] = [];
  try {
    await ensureNamespace(c, ns);
    await createPods(c, ns, Array.from({ length: podCount }, (_, k) => `f-${k}`), 16);
    const rv = (JSON.parse((await c.expect('GET', podsPath(ns), [200])).body) as ListLike).metadata.resourceVersion ?? '';
    const events = Math.max(1, Math.round(rate * seconds));
    const sent = new Float64Array(events).fill(NaN);
    const acked = new Float64Array(events).fill(NaN);
    const recv = new Float64Array(watchers * events).fill(NaN);
    const got = new Int32Array(watchers);
    const opened = new Uint8Array(watchers);
    let endedEarly = 0;
    const openMs: number[] = [];

    const tOpen = now();
    await pool(50, watchers, async (w) => {
      const s = openWatch(
        agent,
        baseUrl,
        `${podsPath(ns)}?watch=1&resourceVersion=${rv}`,
        seqLines((seq, at) => {
          if (!(seq >= 0 && seq < events)) return;
          const j = w * events + seq;
          if (Number.isNaN(recv[j]!)) {
            recv[j] = at;
            got[w]!++;
          }
        }),
        () => endedEarly++,
      );
      streams[w] = s;
      const t0 = now();
      try {
        openMs.push((await s.opened) - t0);
        opened[w] = 1;
      } catch (e) {
        ctx.log(`  watcher ${w} failed to open: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    const openAllMs = now() - tOpen;
    const openCount = opened.reduce((a, b) => a + b, 0);
    ctx.log(`  ${openCount}/${watchers} watches open after ${openAllMs.toFixed(0)} ms; writing ${events} updates at ${rate}/s`);

    const cpu0 = process.cpuUsage();
    const children0 = sampleCpu();
    const tCpu = now();
    const inflight = new Set<Promise<void>>();
    let writeErrors = 0;
    const start = now() + 20;
    for (let i = 0; i < events; i++) {
      const wait = start + (i * 1000) / rate - now();
      if (wait > 0) await sleep(wait);
      if (inflight.size >= 64) await Promise.race(inflight);
      sent[i] = now();
      const p: Promise<void> = c
        .expect('PATCH', `${podsPath(ns)}/f-${i % podCount}`, [200], { body: seqPatch(i), contentType: MERGE_PATCH })
        .then(
          (r) => {
            acked[i] = r.doneAt;
          },
          (e: unknown) => {
            writeErrors++;
            if (writeErrors === 1) ctx.log(`  write ${i} failed: ${e instanceof Error ? e.message : String(e)}`);
          },
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
    const ackedSeqs: number[] = [];
    for (let i = 0; i < events; i++) if (!Number.isNaN(acked[i]!)) ackedSeqs.push(i);
    const expected = openCount * ackedSeqs.length;
    const deliveredNow = (): number => {
      let n = 0;
      for (let w = 0; w < watchers; w++) if (opened[w]) for (const i of ackedSeqs) if (!Number.isNaN(recv[w * events + i]!)) n++;
      return n;
    };
    // Stragglers: give the fan-out up to 10 s after the last answer.
    const drainUntil = now() + 10_000;
    while (now() < drainUntil && got.reduce((a, b) => a + b, 0) < expected) await sleep(50);
    const cpu = process.cpuUsage(cpu0);
    const children = cpuBetween(children0, sampleCpu());
    const clientCpuPct = ((cpu.user + cpu.system) / 1000 / (now() - tCpu)) * 100;

    const lat: number[] = [];
    const afterAck: number[] = [];
    const lastPerEvent: number[] = [];
    let watchersMissing = 0;
    for (let w = 0; w < watchers; w++) {
      if (!opened[w]) continue;
      let missed = false;
      for (const i of ackedSeqs) {
        const t = recv[w * events + i]!;
        if (Number.isNaN(t)) missed = true;
        else {
          lat.push(t - sent[i]!);
          afterAck.push(t - acked[i]!);
        }
      }
      if (missed) watchersMissing++;
    }
    for (const i of ackedSeqs) {
      let last = NaN;
      for (let w = 0; w < watchers; w++) {
        const t = recv[w * events + i]!;
        if (opened[w] && !Number.isNaN(t) && (Number.isNaN(last) || t > last)) last = t;
      }
      if (!Number.isNaN(last)) lastPerEvent.push(last - sent[i]!);
    }
    const writeLat = ackedSeqs.map((i) => acked[i]! - sent[i]!);
    for (const a of [lat, afterAck, lastPerEvent, writeLat, openMs]) a.sort((x, y) => x - y);
    const delivered = deliveredNow();
    return {
      watchers,
      opened: openCount,
      openP50: percentile(openMs, 0.5),
      openP99: percentile(openMs, 0.99),
      openAllMs,
      ratePerSec: rate,
      written: events,
      acked: ackedSeqs.length,
      writeErrors,
      writeP50: percentile(writeLat, 0.5),
      writeP99: percentile(writeLat, 0.99),
      expected,
      delivered,
      missing: expected - delivered,
      watchersMissing,
      endedEarly,
      p50: percentile(lat, 0.5),
      p99: percentile(lat, 0.99),
      max: lat.length ? lat[lat.length - 1]! : NaN,
      afterAckP50: percentile(afterAck, 0.5),
      afterAckP99: percentile(afterAck, 0.99),
      lastWatcherP50: percentile(lastPerEvent, 0.5),
      lastWatcherP99: percentile(lastPerEvent, 0.99),
      clientCpuPct,
      apiserverCpuPct: children.apiserver,
      etcdCpuPct: children.etcd,
    };
  } finally {
    for (const s of streams) s?.close();
    agent.destroy();
    c.close();
  }
}

// ---- LIST of a large namespace ----

export type ListMode = 'etcd' | 'cache' | 'paged';

export const LIST_MODES: Record<ListMode, string> = {
  etcd: 'full LIST, no resourceVersion (consistent read from etcd)',
  cache: 'full LIST, resourceVersion=0 (served from the watch cache)',
  paged: 'limit=500 pages following `continue` to the end (from etcd)',
};

export interface ListRun {
  mode: ListMode;
  totalMs: number;
  /** Of totalMs: turning the bytes into objects (utf-8 decode + JSON.parse) on the client. */
  decodeMs: number;
  items: number;
  bytes: number;
  pages: number;
}

export interface ListModeResult {
  mode: ListMode;
  runs: number;
  items: number;
  bytes: number;
  pages: number;
  medianMs: number;
  maxMs: number;
  decodeMedianMs: number;
}

export interface LargeListResult {
  pods: number;
  createMs: number;
  createErrors: number;
  modes: ListModeResult[];
}

async function listOnce(c: HttpClient, ns: string, mode: ListMode): Promise<ListRun> {
  const run: ListRun = { mode, totalMs: 0, decodeMs: 0, items: 0, bytes: 0, pages: 0 };
  const t0 = now();
  let cont: string | undefined;
  do {
    const q = mode === 'cache' ? '?resourceVersion=0' : mode === 'paged' ? `?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}` : '';
    const r = await c.expect('GET', `${podsPath(ns)}${q}`, [200], { timeoutMs: 120_000 });
    const list = JSON.parse(r.body) as ListLike;
    run.decodeMs += now() - r.doneAt;
    run.items += list.items.length;
    run.bytes += Buffer.byteLength(r.body);
    run.pages++;
    cont = mode === 'paged' ? list.metadata.continue || undefined : undefined;
  } while (cont);
  run.totalMs = now() - t0;
  return run;
}

/** Creates `pods` pods in one namespace (50 at a time, bounded in time), then times `runs` rounds of each list mode. */
export async function largeList(ctx: BenchContext, baseUrl: string, pods: number, runs: number, createMaxMs: number): Promise<LargeListResult> {
  const ns = 'bench-list-large';
  const c = new HttpClient(baseUrl, 50);
  try {
    await ensureNamespace(c, ns);
    const t0 = now();
    const loop = await runLoop(50, pods, createMaxMs, async (i) => {
      await c.expect('POST', podsPath(ns), [201], { body: podJson(ns, `pod-${String(i).padStart(5, '0')}`) });
    });
    const createMs = now() - t0;
    ctx.log(`  created ${loop.ops} pods in ${(createMs / 1000).toFixed(1)} s (${loop.opsPerSec.toFixed(0)}/s, p99 ${loop.p99.toFixed(1)} ms)${loop.errors ? `, ${loop.errors} errors` : ''}`);
    const modes: ListMode[] = ['etcd', 'cache', 'paged'];
    // One untimed round: warms the paths and lets the watch cache catch up with the creates.
    for (const m of modes) await listOnce(c, ns, m);
    const all: ListRun[] = [];
    for (let r = 0; r < runs; r++) {
      for (const m of modes) {
        const run = await listOnce(c, ns, m);
        all.push(run);
        ctx.log(`  list ${m.padEnd(5)} run ${r + 1}/${runs}: ${run.totalMs.toFixed(0)} ms (decode ${run.decodeMs.toFixed(0)} ms), ${run.items} items, ${(run.bytes / 2 ** 20).toFixed(1)} MiB, ${run.pages} page(s)`);
      }
    }
    return {
      pods: loop.ops,
      createMs,
      createErrors: loop.errors,
      modes: modes.map((mode) => {
        const rs = all.filter((x) => x.mode === mode);
        const totals = rs.map((x) => x.totalMs).sort((a, b) => a - b);
        const decodes = rs.map((x) => x.decodeMs).sort((a, b) => a - b);
        const last = rs[rs.length - 1]!;
        return {
          mode,
          runs: rs.length,
          items: last.items,
          bytes: last.bytes,
          pages: last.pages,
          medianMs: percentile(totals, 0.5),
          maxMs: totals[totals.length - 1]!,
          decodeMedianMs: percentile(decodes, 0.5),
        };
      }),
    };
  } finally {
    c.close();
  }
}
