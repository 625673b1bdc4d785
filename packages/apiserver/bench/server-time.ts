// The apiserver's own view of a workload, from its /metrics before and after: the mean time it spent on a request
// (apiserver_request_duration_seconds) and on the etcd call inside it (etcd_request_duration_seconds). Set beside the
// client's latency, they show where a request waited: in the store, in the apiserver, or before the apiserver read it.
import type { HttpClient } from './http-client.js';

/** The histogram series that one benchmark verb feeds, by their label sets as the apiserver renders them. */
export interface ServerSeries {
  request: string;
  store: string;
}

export interface ServerTimes {
  /** Mean seconds the apiserver spent per request (its request histogram), in ms; NaN without requests. */
  requestMs: number;
  /** Mean of the matching etcd calls, in ms; NaN without calls. */
  storeMs: number;
}

export const podsSeries = (verb: string, operation: string): ServerSeries => ({
  request: `apiserver_request_duration_seconds{verb="${verb}",group="",resource="pods"}`,
  store: `etcd_request_duration_seconds{operation="${operation}",type="pods"}`,
});

export async function scrapeMetrics(c: HttpClient): Promise<string> {
  return (await c.expect('GET', '/metrics', [200])).body;
}

/** The value of `<name>_<suffix>{labels}` in a Prometheus text exposition, 0 when absent. */
export function sampleOf(text: string, series: string, suffix: 'sum' | 'count'): number {
  const brace = series.indexOf('{');
  const line = `${series.slice(0, brace)}_${suffix}${series.slice(brace)} `;
  const at = text.indexOf(line);
  if (at < 0) return 0;
  const end = text.indexOf('\n', at);
  return Number(text.slice(at + line.length, end < 0 ? undefined : end));
}

/** Mean of a histogram's observations between two scrapes, in ms. */
export function meanMsBetween(before: string, after: string, series: string): number {
  const count = sampleOf(after, series, 'count') - sampleOf(before, series, 'count');
  if (count <= 0) return Number.NaN;
  return ((sampleOf(after, series, 'sum') - sampleOf(before, series, 'sum')) / count) * 1000;
}

export function serverTimesBetween(before: string, after: string, s: ServerSeries): ServerTimes {
  return { requestMs: meanMsBetween(before, after, s.request), storeMs: meanMsBetween(before, after, s.store) };
}
