// Human-readable durations and timestamp ages, matching apimachinery's pkg/util/duration so that
// `kubectl get` output from k8ts reads exactly like a real cluster's.
import type { JsonValue } from '@k8ts/api-machinery';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(x) conversion truncates toward zero; durations are compared in whole units. */
const trunc = (x: number): number => Math.trunc(x);

/**
 * ~2-3 significant figures: "45s", "119s", "5m30s", "42m", "3h5m", "20h", "3d4h", "30d", "2y45d", "9y".
 * Up to 1s in the future still reads "0s" (clock skew between machines); further ahead is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** One unit only: "45s", "5m", "3h", "12d", "2y". Used by kubectl client-side; exported for completeness. */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(hours / 24 / 365)}y`;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z) counts as "unset" just like a missing field. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/** Epoch milliseconds of an RFC 3339 timestamp, or undefined when absent, unparsable or Go's zero time. */
export function parseTime(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms) || ms === GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/** Age of a timestamp relative to `now`: HumanDuration, or "<unknown>" when the timestamp is unset. */
export function timestampSince(v: JsonValue | undefined, now: Date): string {
  const t = parseTime(v);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 prints it; unset times print as Go's zero time. */
export function formatRFC3339(v: JsonValue | undefined): string {
  const t = parseTime(v);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
