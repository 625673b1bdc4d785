// Latency statistics and the bounded closed loop every per-verb workload runs in.
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './http-client.js';
import { cpuBetween, sampleCpu } from './proc-cpu.js';

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx]!;
}

export function median(xs: number[]): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return percentile(v, 0.5);
}

export interface LoopResult {
  ops: number;
  errors: number;
  elapsedMs: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** Mean latency in ms, comparable with the apiserver's own means (see server-time.ts). */
  mean: number;
  /** CPU of this (client) process during the loop, in % of one core. */
  clientCpuPct: number;
  /** CPU of the apiserver and of the three etcd members together, in % of one core. */
  apiserverCpuPct: number;
  etcdCpuPct: number;
  firstError?: string;
}

/** What an op reports: its own latency (ms), nothing (the wall time of the op is used), or SKIP (not a counted op). */
export const SKIP = Symbol('skip');
export type OpOutcome = number | void | typeof SKIP;

/**
 * `concurrency` workers take op indexes 0..count-1 until done or `maxMs` elapsed (whichever first). Errors count
 * separately; a loop that fails more than 5 % of its ops stops early.
 *
 * Closed loop (no `ratePerSec`): each worker sends its next request as soon as the answer arrives; latency is from
 * sending. Paced (open loop): op i is due at start + i / rate and latency counts from when it was due, so time spent
 * waiting for a free client (at most `concurrency` in flight) is part of it rather than hidden.
 */
export async function runLoop(
  concurrency: number,
  count: number,
  maxMs: number,
  op: (i: number, worker: number) => Promise<OpOutcome>,
  ratePerSec?: number,
): Promise<LoopResult> {
  const lat = new Float64Array(count);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const maxErrors = Math.max(20, Math.ceil(count * 0.05));
  const cpu0 = process.cpuUsage();
  const children0 = sampleCpu();
  const start = now();
  const deadline = start + maxMs;
  const worker = async (w: number): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= count || errors > maxErrors) return;
      let s = now();
      if (ratePerSec !== undefined) {
        const due = start + (i * 1000) / ratePerSec;
        if (due > deadline) return;
        if (due > s) await sleep(due - s);
        s = due;
      }
      if (s > deadline) return;
      try {
        const own = await op(i, w);
        if (own !== SKIP) lat[done++] = typeof own === 'number' ? own : now() - s;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedMs = now() - start;
  const cpu = process.cpuUsage(cpu0);
  const children = cpuBetween(children0, sampleCpu());
  const sorted = lat.subarray(0, done).sort();
  const r: LoopResult = {
    ops: done,
    errors,
    elapsedMs,
    opsPerSec: done / (elapsedMs / 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: done > 0 ? sorted.reduce((a, b) => a + b, 0) / done : Number.NaN,
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
    apiserverCpuPct: children.apiserver,
    etcdCpuPct: children.etcd,
  };
  if (firstError !== undefined) r.firstError = firstError;
  return r;
}

/** Runs `op(0..count-1)` with `concurrency` workers, untimed (setup, warm-up); the first error is thrown. */
export async function pool(concurrency: number, count: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
}
