// One pino logger per component; JSON lines on stdout. The level comes from a flag, else K8TS_LOG_LEVEL, else info.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function isLogLevel(value: string): value is LevelWithSilent {
  return (LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
  /** Component name, e.g. "etcd" or "apiserver"; becomes the `component` field of every line. */
  component: string;
  level?: string;
  /** Extra fields on every line (member name, node name, ...). */
  base?: Record<string, string>;
  /** Write somewhere other than stdout (tests). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? process.env['K8TS_LOG_LEVEL'] ?? 'info';
  if (!isLogLevel(level)) {
    throw new Error(`invalid log level "${level}": expected one of ${LEVELS.join(', ')}`);
  }
  const options = { level, base: { component: opts.component, ...opts.base }, timestamp: pino.stdTimeFunctions.isoTime };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
