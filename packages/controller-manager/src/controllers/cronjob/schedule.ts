// When a CronJob's schedule fires (robfig/cron/v3 SpecSchedule.Next and ConstantDelaySchedule.Next, as the CronJob
// controller uses them), in a time zone: wall-clock fields are matched in the zone and the search moves in wall-clock
// steps the way Go's time.Date/AddDate/Add do, so daylight-saving gaps and repeats behave as in Kubernetes.
import { parseCronSchedule, type CronField, type CronSchedule } from '@k8ts/api-machinery';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Wall-clock fields of an instant in one zone (month 1-12, weekday 0 = Sunday). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The time zone this process runs in (Go's time.Local: TZ, else the system zone). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError for a zone the time zone database does not know. */
export class TimeZone {
  readonly name: string;

  constructor(name: string | undefined) {
    this.name = name === undefined || name === '' || name === 'Local' ? localTimeZone() : name;
    formatterFor(this.name).format(0);
  }

  /** Wall clock at `ms` (milliseconds since the epoch). */
  wall(ms: number): WallClock {
    const parts: Record<string, string> = {};
    for (const p of formatterFor(this.name).formatToParts(ms)) parts[p.type] = p.value;
    let year = Number(parts['year']);
    if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
    const month = Number(parts['month']);
    const day = Number(parts['day']);
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return { year, month, day, hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second']), weekday };
  }

  /** Offset from UTC at `ms`, in milliseconds (east positive). */
  offsetMs(ms: number): number {
    const whole = Math.floor(ms / SECOND) * SECOND;
    const w = this.wall(whole);
    return utcOf(w.year, w.month, w.day, w.hour, w.minute, w.second) - whole;
  }

  /**
   * Go's time.Date in this zone: fields out of range are normalised (month 13 is January of the next year), and a
   * wall time that does not exist or exists twice around a transition resolves the way Go resolves it.
   */
  instantOf(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const asUtc = utcOf(year, month, day, hour, minute, second);
    let offset = this.offsetMs(asUtc);
    const guess = asUtc - offset;
    const atGuess = this.offsetMs(guess);
    if (atGuess !== offset) offset = atGuess;
    return asUtc - offset;
  }
}

function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** A parsed schedule and the zone it is read in. `next` returns undefined when no time matches within five years. */
export interface Schedule {
  readonly zone: TimeZone;
  next(afterMs: number): number | undefined;
}

function dayMatches(s: { dom: CronField; dow: CronField }, w: WallClock): boolean {
  const domMatch = s.dom.values.has(w.day);
  const dowMatch = s.dow.values.has(w.weekday);
  // As cron does: with either day field a star, both must match; with both restricted, either may.
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

type FieldsSchedule = Extract<CronSchedule, { kind: 'fields' }>;

/** SpecSchedule.Next: the first whole second strictly after `afterMs` matching every field (seconds field = 0). */
export function nextFieldsTime(s: FieldsSchedule, zone: TimeZone, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = zone.wall(t).year + 5;
  wrap: for (;;) {
    let w = zone.wall(t);
    if (w.year > yearLimit) return undefined;
    while (!s.month.values.has(w.month)) {
      if (!added) {
        added = true;
        t = zone.instantOf(w.year, w.month, 1, 0, 0, 0);
        w = zone.wall(t);
      }
      t = zone.instantOf(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = zone.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = zone.instantOf(w.year, w.month, w.day, 0, 0, 0);
        w = zone.wall(t);
      }
      t = zone.instantOf(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = zone.wall(t);
      // A day that starts in a daylight-saving gap or repeat lands off midnight: move back to it.
      if (w.hour !== 0) {
        t += w.hour > 12 ? (24 - w.hour) * HOUR : -w.hour * HOUR;
        w = zone.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour.values.has(w.hour)) {
      if (!added) {
        added = true;
        t = zone.instantOf(w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += HOUR;
      w = zone.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute.values.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      w = zone.wall(t);
      if (w.minute === 0) continue wrap;
    }
    if (w.second !== 0) {
      // The seconds field of a standard schedule is 0: step to the next minute and check everything again.
      t = Math.floor(t / MINUTE) * MINUTE + MINUTE;
      added = true;
      continue wrap;
    }
    return t;
  }
}

/** Parses `spec.schedule` (with `timeZone`, or the process's zone) as the controller does; an error text otherwise. */
export function scheduleFor(schedule: string, timeZone: string | undefined): { ok: true; schedule: Schedule } | { ok: false; error: string } {
  const parsed = parseCronSchedule(schedule);
  if (!parsed.ok) return parsed;
  const s = parsed.schedule;
  let zone: TimeZone;
  try {
    zone = new TimeZone(s.timeZone ?? timeZone);
  } catch {
    const name = s.timeZone ?? timeZone ?? '';
    return { ok: false, error: `provided bad location ${name}: unknown time zone ${name}` };
  }
  if (s.kind === 'every') {
    // ConstantDelaySchedule: at least one second, whole seconds, counted from the last whole second.
    const delay = Math.max(SECOND, Math.floor(s.seconds) * SECOND);
    return { ok: true, schedule: { zone, next: (afterMs) => Math.floor(afterMs / SECOND) * SECOND + delay } };
  }
  return { ok: true, schedule: { zone, next: (afterMs) => nextFieldsTime(s, zone, afterMs) } };
}

/** Go's time.RFC3339 of `ms` in `zone` ("Z" for a zero offset). */
export function formatRfc3339In(ms: number, zone: TimeZone): string {
  const w = zone.wall(ms);
  const offsetMin = Math.round(zone.offsetMs(ms) / MINUTE);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (offsetMin === 0) return `${date}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${date}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z of `ms` in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRfc1123zUtc(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
