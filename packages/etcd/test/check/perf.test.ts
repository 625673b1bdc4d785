// Diagnostic timings for the sizes the etcd integration tests produce: printed, not asserted (shared CI cores).
import t from 'tap';
import { checkLinearizable, type GetResult, type HistoryEntry } from '../../src/check/index.js';
import { clientLoad, type GenConfig } from './helpers/gen.js';

const OPS = 5_000;
const CLIENTS = 16;

function timed(h: readonly HistoryEntry[]): { ok: boolean | 'unknown'; ms: number } {
  const start = performance.now();
  const r = checkLinearizable(h, { timeoutMs: 30_000 });
  return { ok: r.ok, ms: performance.now() - start };
}

const configs: [string, GenConfig, number][] = [
  ['header + mod revisions, versions', { revisions: true, meta: true, valuePool: 0 }, 0],
  ['header + mod revisions, versions, 2% unknown outcomes', { revisions: true, meta: true, valuePool: 0 }, 0.02],
  ['values only', { revisions: false, meta: false, valuePool: 0 }, 0],
  ['values only, 2% unknown outcomes', { revisions: false, meta: false, valuePool: 0 }, 0.02],
];

t.test(`${OPS}-op, ${CLIENTS}-client histories`, async (t) => {
  for (const [name, cfg, unknownRate] of configs) {
    const h = clientLoad({ seed: 1, clients: CLIENTS, ops: OPS, cfg, unknownRate });
    const { ok, ms } = timed(h);
    t.equal(ok, true, name);
    t.comment(`${name}: ${ms.toFixed(0)} ms`);
  }
});

t.test('a stale read in the middle of a 5,000-op history', async (t) => {
  const h = clientLoad({ seed: 2, clients: CLIENTS, ops: OPS, cfg: configs[0]![1], unknownRate: 0.02 });
  const reads = h.filter((e) => e.op.type === 'get' && e.outcome === 'ok' && (e.result as GetResult).kv !== null);
  const victim = reads[reads.length >> 1]!;
  const old = reads.find((e) => e.ret! + 20_000_000n < victim.call && (e.result as GetResult).kv!.value !== (victim.result as GetResult).kv!.value)!;
  const bad = h.map((e) => (e === victim ? { ...e, result: { ...(old.result as GetResult), revision: (victim.result as GetResult).revision! } } : e));
  const { ok, ms } = timed(bad);
  t.equal(ok, false);
  t.comment(`stale read found in ${ms.toFixed(0)} ms`);
});

t.test('two cas from one value at the end of a 5,000-op history (found by the search)', async (t) => {
  const h = clientLoad({ seed: 3, clients: CLIENTS, ops: OPS, cfg: configs[0]![1] });
  const end = h.reduce((m, e) => (e.ret !== null && e.ret > m ? e.ret : m), 0n) + 1_000n;
  const at = (id: number, c: number, call: bigint, ret: bigint, op: HistoryEntry['op'], result: HistoryEntry['result']): HistoryEntry =>
    ({ id, clientId: c, key: 'key0', op, call, ret, outcome: 'ok', result });
  const n = h.length;
  const bad = [
    ...h,
    at(n, 100, end, end + 1_000n, { type: 'put', value: 'tail' }, {}),
    at(n + 1, 101, end + 2_000n, end + 5_000n, { type: 'cas', expect: { value: 'tail' }, value: 'x' }, { succeeded: true }),
    at(n + 2, 102, end + 2_500n, end + 5_500n, { type: 'cas', expect: { value: 'tail' }, value: 'y' }, { succeeded: true }),
  ];
  const { ok, ms } = timed(bad);
  t.equal(ok, false);
  t.comment(`refuted in ${ms.toFixed(0)} ms`);
});
