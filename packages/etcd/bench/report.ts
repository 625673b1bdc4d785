// Tables for stdout and the etcd section of docs/benchmarks.md.
import { readFile, writeFile } from 'node:fs/promises';
import type { Workload, WorkloadResult } from './workloads.js';

export type SideName = 'k8ts' | 'etcd' | 'external';

export interface RoundResult {
  side: SideName;
  round: number;
  version: string;
  endpoints: string[];
  leader: string;
  results: WorkloadResult[];
}

export interface Machine {
  date: string;
  os: string;
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
}

export const START = '<!-- bench:etcd:start -->';
export const END = '<!-- bench:etcd:end -->';

function table(head: string[], rows: string[][], alignLeft = 1): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c < alignLeft ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmtOps = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
const fmtMs = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '-');
const fmtRatio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const fmtCounters = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function formatRound(r: RoundResult): string {
  const rows = r.results.map((w) => [
    w.name,
    fmtOps(w.opsPerSec),
    fmtMs(w.p50),
    fmtMs(w.p99),
    String(w.ops),
    String(w.errors),
    `${w.clientCpuPct.toFixed(0)}%`,
    [fmtCounters(w.counters), w.firstError ? `first error: ${w.firstError}` : ''].filter(Boolean).join('; '),
  ]);
  return table(['workload', 'ops/s', 'p50 ms', 'p99 ms', 'ops', 'errors', 'client cpu', 'notes'], rows).replace(/ +$/gm, '');
}

export function median(xs: number[]): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export interface Median {
  opsPerSec: number;
  p50: number;
  p99: number;
  rounds: number;
  errors: number;
  counters: Record<string, number>;
}

/** Per side and workload: medians over the rounds. */
export function medians(rounds: RoundResult[]): Map<SideName, Map<string, Median>> {
  const out = new Map<SideName, Map<string, Median>>();
  const sides = [...new Set(rounds.map((r) => r.side))];
  for (const side of sides) {
    const bySide = rounds.filter((r) => r.side === side);
    const names = [...new Set(bySide.flatMap((r) => r.results.map((w) => w.name)))];
    const m = new Map<string, Median>();
    for (const name of names) {
      const ws = bySide.flatMap((r) => r.results.filter((w) => w.name === name));
      const counterKeys = [...new Set(ws.flatMap((w) => Object.keys(w.counters)))];
      m.set(name, {
        opsPerSec: median(ws.map((w) => w.opsPerSec)),
        p50: median(ws.map((w) => w.p50)),
        p99: median(ws.map((w) => w.p99)),
        rounds: ws.length,
        errors: ws.reduce((a, w) => a + w.errors, 0),
        counters: Object.fromEntries(counterKeys.map((k) => [k, median(ws.map((w) => w.counters[k] ?? 0))])),
      });
    }
    out.set(side, m);
  }
  return out;
}

/** The comparison table (k8ts vs etcd when both ran; otherwise one column group per side). */
export function formatSummary(rounds: RoundResult[], markdown: boolean): string {
  const med = medians(rounds);
  const sides = [...med.keys()];
  const names = [...new Set(rounds.flatMap((r) => r.results.map((w) => w.name)))];
  const compare = med.has('k8ts') && med.has('etcd');
  const head = ['workload'];
  for (const s of sides) head.push(`${s} ops/s`, `${s} p50 ms`, `${s} p99 ms`);
  if (compare) head.push('k8ts/etcd ops/s', 'k8ts/etcd p99');
  head.push('notes');
  const rows = names.map((name) => {
    const row = [name];
    const notes: string[] = [];
    for (const s of sides) {
      const m = med.get(s)!.get(name);
      row.push(m ? fmtOps(m.opsPerSec) : '-', m ? fmtMs(m.p50) : '-', m ? fmtMs(m.p99) : '-');
      if (m && Object.keys(m.counters).length) notes.push(`${s}: ${fmtCounters(m.counters)}`);
      if (m && m.errors) notes.push(`${s}: ${m.errors} errors`);
    }
    if (compare) {
      const k = med.get('k8ts')!.get(name);
      const e = med.get('etcd')!.get(name);
      row.push(k && e ? fmtRatio(k.opsPerSec / e.opsPerSec) : 'n/a', k && e ? fmtRatio(k.p99 / e.p99) : 'n/a');
    }
    row.push(notes.join('; '));
    return row;
  });
  if (!markdown) return table(head, rows).replace(/ +$/gm, '');
  const md = (r: string[]) => `| ${r.join(' | ')} |`;
  return [md(head), md(head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:'))), ...rows.map(md)].join('\n');
}

export function renderSection(opts: {
  machine: Machine;
  versions: Partial<Record<SideName, string>>;
  rounds: RoundResult[];
  workloads: Workload[];
  roundsPerSide: number;
  quick: boolean;
  /** Whether each fresh cluster got the untimed warm-up (warmCluster) before the workloads. */
  warmup: boolean;
  command: string;
}): string {
  const { machine: m, versions: v } = opts;
  const sides = [...new Set(opts.rounds.map((r) => r.side))];
  const ran = opts.workloads.filter((w) => opts.rounds.some((r) => r.results.some((x) => x.name === w.name)));
  const versionLine = sides.map((s) => `${s === 'k8ts' ? 'k8ts-etcd' : s === 'etcd' ? 'etcd' : 'external'} ${v[s] ?? '?'}`).join(', ');
  return [
    START,
    '## etcd: k8ts-etcd vs etcd 3.4',
    '',
    `Measured ${m.date} on ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memGiB.toFixed(1)} GiB RAM, Node ${m.node}; ${versionLine}.`,
    '',
    `Each side is a fresh 3-member cluster on loopback (one cluster running at a time), ${opts.roundsPerSide} round(s) per side` +
      `${sides.length > 1 ? ', alternating k8ts / etcd' : ''}${opts.quick ? ', **quick mode** (shortened workloads)' : ''}.` +
      ' Numbers are medians over the rounds. The client is `@k8ts/etcd-client` over the v3 JSON gateway (HTTP/1.1' +
      ' keep-alive, one request per connection, pre-encoded bodies); requests go round-robin over the three members.' +
      ' Ratios are k8ts / etcd: above 1× is better for ops/s, below 1× is better for p99.' +
      (opts.warmup
        ? ' Before its first workload every cluster, of either side, got the same untimed warm-up (1,500 sequential and' +
          ' 3,000 concurrent puts, 2,000 ranges, 1,000 range + compare-and-swap pairs, with a watch open): k8ts-etcd runs on' +
          ' V8, which optimizes a function only once it has run hot. `--no-warmup` measures cold clusters.'
        : ' No warm-up (`--no-warmup`): the first workload of each cluster ran cold.'),
    '',
    formatSummary(opts.rounds, true),
    '',
    'Workloads (256-byte values):',
    '',
    ...ran.map((w) => `- \`${w.name}\`: ${w.describe}.`),
    '',
    'Reproduce:',
    '',
    '```sh',
    opts.command,
    '```',
    END,
  ].join('\n');
}

/** Replaces the marked section of `file` (or appends it; or creates the file), keeping everything else. */
export async function writeSection(file: string, section: string): Promise<void> {
  let text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '# Benchmarks\n';
    throw err;
  });
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) text = text.slice(0, a) + section + text.slice(b + END.length);
  else text = `${text.replace(/\s*$/, '')}\n\n${section}\n`;
  await writeFile(file, text);
}
