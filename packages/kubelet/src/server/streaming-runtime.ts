// What the kubelet API server (port 10250) needs from the container runtime: logs, exec, attach, port forwarding
// and stats. The Docker-backed runtime implements it; the server never talks to Docker itself, so it is testable
// with any implementation and the runtime stays ignorant of HTTP and WebSocket framing.
import type { Duplex, Readable, Writable } from 'node:stream';

/** A pod as the kubelet API names it in its paths. */
export interface PodRef {
  namespace: string;
  name: string;
  /** Optional: when a caller knows the uid (e.g. `/containerLogs/{ns}/{pod}/{container}` does not), it narrows the match. */
  uid?: string;
}

export interface LogOptions {
  follow?: boolean;
  /** Only the last N lines (before following). */
  tailLines?: number;
  /** Only lines written in the last N seconds. */
  sinceSeconds?: number;
  /** Only lines written at or after this RFC 3339 time. */
  sinceTime?: string;
  /** Prefix each line with its RFC 3339Nano timestamp, as `kubectl logs --timestamps` shows. */
  timestamps?: boolean;
  /** The previous (terminated) instance of the container, as `kubectl logs --previous`. */
  previous?: boolean;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** A running exec or attach: the caller writes stdin, reads stdout/stderr, and learns the exit code from `done`. */
export interface StreamSession {
  /** Present when `stdin` was requested; end it to close the process's stdin. */
  stdin?: Writable;
  /** With a tty, stdout carries everything (there is no separate stderr). */
  stdout?: Readable;
  stderr?: Readable;
  resize(size: TerminalSize): Promise<void>;
  /** Resolves when the process ends (exec) or the attach ends; exitCode is null when it is unknown. */
  done: Promise<{ exitCode: number | null }>;
  /** Tears the session down (the client went away). */
  close(): void;
}

/** A runtime error the server maps to an HTTP status. */
export class StreamingError extends Error {
  constructor(
    readonly status: 400 | 404 | 500,
    message: string,
  ) {
    super(message);
    this.name = 'StreamingError';
  }
}

/** `/stats/summary` as the kubelet serves it (the fields `kubectl top` and metrics.k8s.io need). */
export interface StatsSummary {
  node: NodeStats;
  pods: PodStats[];
}

export interface CpuStats {
  time: string;
  /** Average usage over the last sample window, in nanocores. */
  usageNanoCores: number;
  /** Cumulative usage since the container started, in core-nanoseconds. */
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  usageBytes: number;
  workingSetBytes: number;
  rssBytes?: number;
  availableBytes?: number;
}

export interface NodeStats {
  nodeName: string;
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface StreamingRuntime {
  /** The container's log as raw bytes (lines joined with `\n`, timestamps prefixed when asked). */
  logs(pod: PodRef, container: string, options: LogOptions, signal: AbortSignal): Promise<Readable>;
  exec(pod: PodRef, container: string, command: string[], options: StreamOptions): Promise<StreamSession>;
  attach(pod: PodRef, container: string, options: StreamOptions): Promise<StreamSession>;
  /** A TCP connection to `port` inside the pod's network namespace. */
  portForward(pod: PodRef, port: number): Promise<Duplex>;
  statsSummary(): Promise<StatsSummary>;
}
