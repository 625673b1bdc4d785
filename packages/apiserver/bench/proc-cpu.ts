// CPU used by the bench's child processes (the apiserver, the etcd members) from /proc, so each result can say
// which process was busy. Linux only; elsewhere every figure is NaN.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { REAL_ETCD_BIN } from '@k8ts/testing';

export type Role = 'apiserver' | 'etcd';

export interface CpuSample {
  at: number;
  /** Clock ticks (user + system) per role, summed over that role's processes. */
  ticks: Record<Role, number>;
  ok: boolean;
}

/** USER_HZ: /proc/<pid>/stat counts in 1/100 s on every Linux architecture Node runs on. */
const TICK_MS = 10;

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
  }
  return out;
}

function roleOf(pid: number): Role | undefined {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (argv.some((a) => a.includes('/apiserver/') && a.endsWith('main.js'))) return 'apiserver';
  if (argv.some((a) => a.includes('/etcd/') && a.endsWith('main.js'))) return 'etcd';
  if (argv[0] === REAL_ETCD_BIN) return 'etcd'; // --store etcd

  return undefined;
}

/** utime + stime of one process; the command name (field 2) may contain spaces, so fields count from its ')'. */
function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function sampleCpu(): CpuSample {
  const s: CpuSample = { at: performance.now(), ticks: { apiserver: 0, etcd: 0 }, ok: true };
  try {
    for (const pid of childPids(process.pid)) {
      try {
        const role = roleOf(pid);
        if (role) s.ticks[role] += ticksOf(pid);
      } catch {
        // exited between the listing and the read
      }
    }
  } catch {
    s.ok = false;
  }
  return s;
}

/** CPU per role between two samples, in % of one core (the etcd figure sums the three members). */
export function cpuBetween(a: CpuSample, b: CpuSample): Record<Role, number> {
  const ms = b.at - a.at;
  const pct = (r: Role): number => (a.ok && b.ok && ms > 0 ? (((b.ticks[r] - a.ticks[r]) * TICK_MS) / ms) * 100 : NaN);
  return { apiserver: pct('apiserver'), etcd: pct('etcd') };
}
