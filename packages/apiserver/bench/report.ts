// Tables for stdout and the apiserver section of docs/benchmarks.md.
import { readFile, writeFile } from 'node:fs/promises';
import { MUTATING, VERB_DESCRIPTIONS, LIST_MODES, type FanoutResult, type LargeListResult, type VerbResult } from './workloads.js';

export const START = '<!-- bench:apiserver:start -->';
export const END = '<!-- bench:apiserver:end -->';

export interface Machine {
  date: string;
  os: string;
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
}

/** The sizes and limits of the issue's three goals. */
export const GOALS = { mutatingClients: 100, mutatingP99Ms: 50, watchers: 1000, watchP99Ms: 100, listPods: 10_000, listMs: 500 } as const;

export interface BenchReport {
  machine: Machine;
  apiserverVersion: string;
  /** The 3-member store under the apiserver. */
  store: 'k8ts' | 'etcd';
  quick: boolean;
  note?: string | undefined;
  verbs: VerbResult[];
  fanout?: FanoutResult | undefined;
  list?: LargeListResult | undefined;
  command: string;
  totalSeconds: number;
}

const fmtOps = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
export const fmtMs = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)) : '-');
const fmtPct = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)}%` : '-');
const fmtInt = (v: number): string => v.toLocaleString('en-US');
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function table(head: string[], rows: string[][], markdown: boolean, alignLeft: number[] = [0]): string {
  const left = (c: number): boolean => alignLeft.includes(c);
  if (markdown) {
    const md = (r: string[]): string => `| ${r.join(' | ')} |`;
    return [md(head), md(head.map((_, c) => (left(c) ? '---' : '---:'))), ...rows.map(md)].join('\n');
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((cell, c) => (left(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n').replace(/ +$/gm, '');
}

export function verbTable(results: VerbResult[], markdown: boolean): string {
  const head = ['verb', 'clients', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'mean ms', 'in apiserver', 'in etcd', 'apiserver cpu', 'etcd cpu', 'client cpu', 'notes'];
  const rows = results.map((r) => [
    r.transport === 'https' ? `${r.verb} (https)` : r.verb,
    `${r.clients}${r.ratePerSec ? ` @ ${r.ratePerSec}/s` : ''}`,
    String(r.ops),
    fmtOps(r.opsPerSec),
    fmtMs(r.p50),
    fmtMs(r.p99),
    fmtMs(r.mean),
    fmtMs(r.server.requestMs),
    fmtMs(r.server.storeMs),
    fmtPct(r.apiserverCpuPct),
    fmtPct(r.etcdCpuPct),
    fmtPct(r.clientCpuPct),
    [...r.notes, r.errors ? `${r.errors} errors (first: ${r.firstError ?? '?'})` : ''].filter(Boolean).join('; '),
  ]);
  return table(head, rows, markdown, [0, head.length - 1]);
}

export function fanoutTable(f: FanoutResult, markdown: boolean): string {
  const head = ['watchers', 'updates', 'deliveries', 'missing', 'p50 ms', 'p99 ms', 'max ms', 'last watcher p50 / p99 ms', 'after ack p50 / p99 ms', 'update p50 / p99 ms', 'apiserver cpu', 'etcd cpu', 'client cpu'];
  const row = [
    `${fmtInt(f.opened)}${f.opened < f.watchers ? ` of ${fmtInt(f.watchers)}` : ''}`,
    `${f.acked} at ${f.ratePerSec}/s${f.writeErrors ? ` (${f.writeErrors} failed)` : ''}`,
    fmtInt(f.delivered),
    `${fmtInt(f.missing)}${f.watchersMissing ? ` (${f.watchersMissing} watchers)` : ''}${f.endedEarly ? `, ${f.endedEarly} streams ended` : ''}`,
    fmtMs(f.p50),
    fmtMs(f.p99),
    fmtMs(f.max),
    `${fmtMs(f.lastWatcherP50)} / ${fmtMs(f.lastWatcherP99)}`,
    `${fmtMs(f.afterAckP50)} / ${fmtMs(f.afterAckP99)}`,
    `${fmtMs(f.writeP50)} / ${fmtMs(f.writeP99)}`,
    fmtPct(f.apiserverCpuPct),
    fmtPct(f.etcdCpuPct),
    fmtPct(f.clientCpuPct),
  ];
  return table(head, [row], markdown, [0, 1, 3]);
}

export function listTable(l: LargeListResult, markdown: boolean): string {
  const head = ['list', 'items', 'MiB', 'pages', 'runs', 'median ms', 'max ms', 'client decode median ms'];
  const rows = l.modes.map((m) => [m.mode, fmtInt(m.items), mib(m.bytes), String(m.pages), String(m.runs), fmtMs(m.medianMs), fmtMs(m.maxMs), fmtMs(m.decodeMedianMs)]);
  return table(head, rows, markdown);
}

interface GoalRow {
  goal: string;
  target: string;
  measured: string;
  verdict: string;
}

export function goals(rep: BenchReport): GoalRow[] {
  const out: GoalRow[] = [];
  const http = rep.verbs.filter((v) => v.transport === 'http');
  const mutating = (paced: boolean): VerbResult[] => {
    const rows = http.filter((v) => (v.ratePerSec !== undefined) === paced && MUTATING.includes(v.verb) && v.ops > 0);
    const top = Math.max(0, ...rows.map((v) => v.clients));
    return rows.filter((v) => v.clients === top);
  };
  const worstOf = (rows: VerbResult[]): VerbResult => rows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  const each = (rows: VerbResult[]): string => rows.map((v) => `${v.verb} ${fmtMs(v.p99)}`).join(', ');
  const closed = mutating(false);
  const paced = mutating(true);
  if (closed.length) {
    const worst = worstOf(closed);
    const sized = worst.clients === GOALS.mutatingClients;
    out.push({
      goal: `mutating p99 at ${GOALS.mutatingClients} clients, closed loop (worst of ${closed.map((v) => v.verb).join(', ')})`,
      target: `≤ ${GOALS.mutatingP99Ms} ms`,
      measured: `${fmtMs(worst.p99)} ms (${worst.verb}; ${each(closed)})${sized ? '' : ` at ${worst.clients} clients`}`,
      verdict: verdict(worst.p99 <= GOALS.mutatingP99Ms, sized),
    });
  }
  // One row per offered rate: where the goal stops holding is the apiserver's capacity at that latency.
  const rates = [...new Set(paced.map((v) => v.ratePerSec ?? 0))].sort((a, b) => a - b);
  for (const rate of rates) {
    const atRate = paced.filter((v) => v.ratePerSec === rate);
    const worst = worstOf(atRate);
    const sized = worst.clients === GOALS.mutatingClients;
    out.push({
      goal: `mutating p99 at ${GOALS.mutatingClients} clients paced at ${rate}/s in total`,
      target: `≤ ${GOALS.mutatingP99Ms} ms`,
      measured: `${fmtMs(worst.p99)} ms (${worst.verb}; ${each(atRate)})${sized ? '' : ` at ${worst.clients} clients`}`,
      verdict: verdict(worst.p99 <= GOALS.mutatingP99Ms, sized),
    });
  }
  const f = rep.fanout;
  if (f) {
    const sized = f.opened >= GOALS.watchers;
    out.push({
      goal: `watch delivery p99 with ${fmtInt(GOALS.watchers)} watchers`,
      target: `≤ ${GOALS.watchP99Ms} ms, nothing missing`,
      measured: `${fmtMs(f.p99)} ms, ${fmtInt(f.missing)} missing${sized ? '' : ` (${fmtInt(f.opened)} watchers)`}`,
      verdict: verdict(f.p99 <= GOALS.watchP99Ms && f.missing === 0, sized),
    });
  }
  const l = rep.list;
  const etcd = l?.modes.find((m) => m.mode === 'etcd');
  if (l && etcd) {
    const sized = etcd.items >= GOALS.listPods;
    const cache = l.modes.find((m) => m.mode === 'cache');
    out.push({
      goal: `LIST of ${fmtInt(GOALS.listPods)} pods (from etcd, decoded by the client)`,
      target: `≤ ${GOALS.listMs} ms`,
      measured:
        `median ${fmtMs(etcd.medianMs)} ms, max ${fmtMs(etcd.maxMs)} ms${sized ? '' : ` (${fmtInt(etcd.items)} pods)`}` +
        `${cache ? `; from the watch cache (resourceVersion=0): median ${fmtMs(cache.medianMs)} ms` : ''}`,
      verdict: verdict(etcd.medianMs <= GOALS.listMs, sized),
    });
  }
  return out;
}

function verdict(ok: boolean, sized: boolean): string {
  return `${ok ? 'met' : 'missed'}${sized ? '' : ' (smaller run than the goal)'}`;
}

export function goalTable(rep: BenchReport, markdown: boolean): string {
  return table(['goal', 'target', 'measured', 'verdict'], goals(rep).map((g) => [g.goal, g.target, g.measured, g.verdict]), markdown, [0, 1, 2, 3]);
}

export function formatConsole(rep: BenchReport): string {
  const parts = [`goals\n${goalTable(rep, false)}`];
  if (rep.verbs.length) parts.push(`per verb\n${verbTable(rep.verbs, false)}`);
  if (rep.fanout) parts.push(`watch fan-out\n${fanoutTable(rep.fanout, false)}`);
  if (rep.list) parts.push(`LIST of ${fmtInt(rep.list.pods)} pods\n${listTable(rep.list, false)}`);
  return parts.join('\n\n');
}

export function renderSection(rep: BenchReport): string {
  const m = rep.machine;
  const store = rep.store === 'k8ts' ? 'k8ts-etcd' : 'etcd 3.4';
  const lines = [
    START,
    `## apiserver: k8ts-apiserver on a 3-member ${store}`,
    '',
    `Measured ${m.date} on ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memGiB.toFixed(1)} GiB RAM, Node ${m.node}; ` +
      `k8ts-apiserver ${rep.apiserverVersion} on a 3-member ${store}, in ${Math.round(rep.totalSeconds)} s${rep.quick ? ', **quick mode** (shortened workloads)' : ''}.`,
    '',
    `One apiserver and three ${store} members run as child processes of the benchmark, which is also the load` +
      ' generator: all of them share the machine\'s cores. The load goes to the apiserver\'s plain-HTTP loopback' +
      ' listener (rows marked https use its TLS port) over node:http keep-alive pools with one connection per client;' +
      ' every response body is decoded with JSON.parse, as a client would. Latencies are client-side, from sending the' +
      ' request to the decoded answer (the watch rows: to the event line arriving). CPU columns are % of one core over' +
      ' the workload (etcd: the three members together). "mean ms" is the client\'s mean; "in apiserver" and "in etcd"' +
      ' are the apiserver\'s own means over the same loop, from its /metrics (apiserver_request_duration_seconds, and' +
      ' etcd_request_duration_seconds for the store call inside the request): what is left of the client\'s mean was' +
      ' spent before the apiserver read the request or after it wrote the answer.',
  ];
  if (rep.note) lines.push('', `**Note:** ${rep.note}`);
  lines.push('', '### Goals', '', goalTable(rep, true));
  if (rep.verbs.length) {
    lines.push('', '### Per verb', '', verbTable(rep.verbs, true), '');
    for (const [verb, d] of Object.entries(VERB_DESCRIPTIONS)) if (rep.verbs.some((v) => v.verb === verb)) lines.push(`- \`${verb}\`: ${d}.`);
    lines.push(
      '- Each verb runs bounded by a count and 10 s. Closed loop (plain client counts): every client sends its next' +
        ' request as soon as its answer arrives, so latency ≈ clients / throughput once the machine is saturated.' +
        ' Paced (`100 @ R/s`): 100 clients, request i due at i / R seconds, latency counted from when it was due' +
        ' (waiting for a free client included).',
    );
  }
  const f = rep.fanout;
  if (f) {
    lines.push(
      '',
      `### Watch fan-out: ${fmtInt(f.watchers)} watchers`,
      '',
      fanoutTable(f, true),
      '',
      `${fmtInt(f.watchers)} HTTP watches on one namespace (each its own connection, \`?watch=1&resourceVersion=\` of a` +
        ` list), then one writer merge-PATCHes the namespace's 100 pods round-robin at ${f.ratePerSec}/s (open loop), each` +
        ' write carrying its sequence number in an annotation. Latency is per (watcher, event): event line received −' +
        ' PATCH sent; "last watcher" is per event, when its last watcher had it; "after ack" is received − PATCH' +
        ` answered. Opening the watches (50 at a time): p50 ${fmtMs(f.openP50)} ms, p99 ${fmtMs(f.openP99)} ms,` +
        ` ${fmtInt(Math.round(f.openAllMs))} ms for all.`,
    );
  }
  const l = rep.list;
  if (l) {
    lines.push(
      '',
      `### LIST of ${fmtInt(l.pods)} pods`,
      '',
      listTable(l, true),
      '',
      `The pods (the same Pod as \`create\`) were created 50 at a time in ${(l.createMs / 1000).toFixed(1)} s` +
        ` (${fmtOps(l.pods / (l.createMs / 1000))}/s)${l.createErrors ? `, ${l.createErrors} failed` : ''}. Each run times` +
        ' the request until its body is decoded (the "client decode" column is the JSON.parse part). Modes:',
      '',
      ...Object.entries(LIST_MODES).map(([k, d]) => `- \`${k}\`: ${d}.`),
    );
  }
  lines.push('', 'Reproduce:', '', '```sh', rep.command, '```', END);
  return lines.join('\n');
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
