// CronJob schedules as Kubernetes reads them (robfig/cron/v3 ParseStandard): five fields (minute, hour, day of
// month, month, day of week) or a descriptor (@yearly, @monthly, @weekly, @daily, @hourly, @every <duration>), with
// an optional TZ=/CRON_TZ= prefix. Errors carry the parser's own wording, which Kubernetes returns verbatim.

export interface CronField {
  /** Allowed values of the field. */
  values: Set<number>;
  /** The field was `*` or `?` (matters for day-of-month/day-of-week matching). */
  star: boolean;
}

export type CronSchedule =
  | { kind: 'fields'; timeZone?: string; minute: CronField; hour: CronField; dom: CronField; month: CronField; dow: CronField }
  | { kind: 'every'; timeZone?: string; seconds: number };

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

class CronError extends Error {}

/** strconv.Atoi followed by robfig's non-negative check. */
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number.parseInt(expr, 10);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63 - 1) {
    throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`);
  }
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

function parseRange(expr: string, b: Bounds, into: CronField): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, b);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.values.add(v);
  if (star) into.star = true;
}

function parseField(field: string, b: Bounds): CronField {
  const f: CronField = { values: new Set(), star: false };
  for (const expr of field.split(',').filter((x) => x !== '')) parseRange(expr, b, f);
  return f;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** time.ParseDuration, in seconds; throws Go's error text. */
export function parseGoDuration(orig: string): number {
  const quote = (x: string): string => JSON.stringify(x);
  let s = orig;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${quote(orig)}`);
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.[0-9]*)?/.exec(s)!;
    if (m[0] === '' || m[0] === '.') throw new Error(`time: invalid duration ${quote(orig)}`);
    const value = Number(m[0]);
    s = s.slice(m[0].length);
    const u = /^[^0-9.]*/.exec(s)![0];
    if (u === '') throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const mult = DURATION_UNITS[u];
    if (mult === undefined) throw new Error(`time: unknown unit ${quote(u)} in duration ${quote(orig)}`);
    total += value * mult;
    s = s.slice(u.length);
  }
  return neg ? -total : total;
}

function parseDescriptor(d: string): CronSchedule {
  const every = (...v: number[]): CronField => ({ values: new Set(v), star: false });
  const all = (b: Bounds): CronField => {
    const f: CronField = { values: new Set(), star: true };
    for (let v = b.min; v <= b.max; v++) f.values.add(v);
    return f;
  };
  switch (d) {
    case '@yearly':
    case '@annually':
      return { kind: 'fields', minute: every(0), hour: every(0), dom: every(1), month: every(1), dow: all(DOW) };
    case '@monthly':
      return { kind: 'fields', minute: every(0), hour: every(0), dom: every(1), month: all(MONTHS), dow: all(DOW) };
    case '@weekly':
      return { kind: 'fields', minute: every(0), hour: every(0), dom: all(DOM), month: all(MONTHS), dow: every(0) };
    case '@daily':
    case '@midnight':
      return { kind: 'fields', minute: every(0), hour: every(0), dom: all(DOM), month: all(MONTHS), dow: all(DOW) };
    case '@hourly':
      return { kind: 'fields', minute: every(0), hour: all(HOURS), dom: all(DOM), month: all(MONTHS), dow: all(DOW) };
  }
  const prefix = '@every ';
  if (d.startsWith(prefix)) {
    try {
      return { kind: 'every', seconds: parseGoDuration(d.slice(prefix.length)) };
    } catch (e) {
      throw new CronError(`failed to parse duration ${d}: ${(e as Error).message}`);
    }
  }
  throw new CronError(`unrecognized descriptor: ${d}`);
}

/** Whether Go's time.LoadLocation would know this zone name (Node's ICU data stands in for the tz database). */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU ignores case; the tz database (a file tree) does not.
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}

export function parseCronSchedule(input: string): CronParseResult {
  try {
    if (input.length === 0) throw new CronError('empty spec string');
    let spec = input;
    let timeZone: string | undefined;
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const sp = spec.indexOf(' ');
      const eq = spec.indexOf('=');
      timeZone = spec.slice(eq + 1, sp < 0 ? undefined : sp);
      if (!isKnownTimeZone(timeZone)) throw new CronError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
      spec = sp < 0 ? '' : spec.slice(sp).trim();
    }
    if (spec.startsWith('@')) {
      const d = parseDescriptor(spec);
      return { ok: true, schedule: timeZone === undefined ? d : { ...d, timeZone } };
    }
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const schedule: CronSchedule = {
      kind: 'fields',
      minute: parseField(fields[0]!, MINUTES),
      hour: parseField(fields[1]!, HOURS),
      dom: parseField(fields[2]!, DOM),
      month: parseField(fields[3]!, MONTHS),
      dow: parseField(fields[4]!, DOW),
    };
    if (timeZone !== undefined) schedule.timeZone = timeZone;
    return { ok: true, schedule };
  } catch (e) {
    if (e instanceof CronError) return { ok: false, error: e.message };
    throw e;
  }
}
