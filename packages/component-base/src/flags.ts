// Kubernetes-style command-line flags, declared once: `--flag value` or `--flag=value`, booleans bare or with
// true/false, durations as Go writes them ("15s", "500ms", "1m30s"), lists comma-separated. The declaration is the
// parser, the validation and the --help text.

export type FlagKind = 'string' | 'boolean' | 'port' | 'int' | 'number' | 'duration' | 'list';

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** The value when the flag is absent: a string, number (ms for durations), boolean or string[] by kind. */
  default: string | number | boolean | readonly string[];
}

type ValueOf<F extends FlagSpec> = F['kind'] extends 'string'
  ? string
  : F['kind'] extends 'boolean'
    ? boolean
    : F['kind'] extends 'list'
      ? string[]
      : number;

export type FlagValues<S extends Record<string, FlagSpec>> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** A flag-parsing failure or --help: the message is what to print; `help` says to exit 0. */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly help = false,
  ) {
    super(message);
    this.name = 'FlagError';
  }
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds ("0" alone needs no unit). */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`time: invalid duration "${text}"`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos === 0) throw new Error(`time: invalid duration "${text}"`);
  return total;
}

/** How a duration default reads in --help. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function defaultText(spec: FlagSpec): string {
  const d = spec.default;
  if (spec.kind === 'duration') return formatDuration(d as number);
  if (Array.isArray(d)) return d.join(',');
  return String(d);
}

export function usage<S extends Record<string, FlagSpec>>(component: string, spec: S): string {
  const lines = Object.entries(spec).map(([name, f]) => {
    const dflt = defaultText(f);
    return `  --${name}${f.kind === 'boolean' ? '' : ` ${f.kind}`}\n        ${f.help}${dflt === '' ? '' : ` (default ${dflt})`}`;
  });
  return `Usage: ${component} [flags]\n\n${lines.join('\n')}\n`;
}

function convert(name: string, f: FlagSpec, value: string): string | number | boolean | string[] {
  const bad = (expected: string): FlagError => new FlagError(`invalid value "${value}" for flag --${name}: ${expected}`);
  switch (f.kind) {
    case 'string':
      return value;
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw bad('expected true or false');
      return value === 'true';
    case 'port': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw bad('expected a port number');
      return n;
    }
    case 'int': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw bad('expected an integer');
      return n;
    }
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw bad('expected a number');
      return n;
    }
    case 'duration':
      try {
        return parseDuration(value);
      } catch {
        throw bad('expected a duration such as 15s or 500ms');
      }
    case 'list':
      return value.split(',').map((s) => s.trim()).filter(Boolean);
  }
}

/** Parses `argv` against `spec`; unknown flags, bad values and --help throw FlagError. */
export function parseFlags<S extends Record<string, FlagSpec>>(component: string, spec: S, argv: string[]): FlagValues<S> {
  const values: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [name, f] of Object.entries(spec)) values[name] = Array.isArray(f.default) ? [...f.default] : f.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'help' || name === 'h') throw new FlagError(usage(component, spec), true);
    const f = spec[name];
    if (!f) throw new FlagError(`unknown flag: --${name}\n\n${usage(component, spec)}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (f.kind === 'boolean') value = argv[i + 1] === 'true' || argv[i + 1] === 'false' ? argv[++i] : 'true';
    else value = argv[++i];
    if (value === undefined) throw new FlagError(`flag needs an argument: --${name}`);
    values[name] = convert(name, f, value);
  }
  return values as FlagValues<S>;
}
