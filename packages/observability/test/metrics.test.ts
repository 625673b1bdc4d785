import t from 'tap';
import { Registry, registerProcessMetrics } from '../src/index.js';

t.test('counter with labels renders in exposition format', async (t) => {
  const r = new Registry();
  const c = r.counter('requests_total', 'Requests.', ['method', 'code']);
  c.inc({ method: 'put', code: '200' });
  c.inc({ method: 'put', code: '200' }, 2);
  c.inc({ method: 'range', code: '400' });
  t.equal(c.get({ method: 'put', code: '200' }), 3);
  const text = r.render();
  t.match(text, '# TYPE requests_total counter');
  t.match(text, 'requests_total{method="put",code="200"} 3\n');
  t.match(text, 'requests_total{method="range",code="400"} 1\n');
  t.throws(() => c.inc({ bogus: 'x' }), /unknown label/);
  t.throws(() => c.inc({}, -1), /only goes up/);
});

t.test('label values are escaped', async (t) => {
  const r = new Registry();
  r.gauge('g', 'G.', ['path']).set({ path: 'a"b\\c\nd' }, 1);
  t.match(r.render(), 'g{path="a\\"b\\\\c\\nd"} 1');
});

t.test('histogram buckets are cumulative and include +Inf, sum and count', async (t) => {
  const r = new Registry();
  const h = r.histogram('lat_seconds', 'Latency.', ['op'], [0.1, 1]);
  h.observe({ op: 'x' }, 0.05);
  h.observe({ op: 'x' }, 0.5);
  h.observe({ op: 'x' }, 5);
  const text = r.render();
  t.match(text, 'lat_seconds_bucket{op="x",le="0.1"} 1\n');
  t.match(text, 'lat_seconds_bucket{op="x",le="1"} 2\n');
  t.match(text, 'lat_seconds_bucket{op="x",le="+Inf"} 3\n');
  t.match(text, 'lat_seconds_sum{op="x"} 5.55\n');
  t.match(text, 'lat_seconds_count{op="x"} 3\n');
});

t.test('duplicate registration and bad names are refused', async (t) => {
  const r = new Registry();
  r.counter('a_total', 'A.');
  t.throws(() => r.counter('a_total', 'A.'), /registered twice/);
  t.throws(() => r.counter('bad-name', 'x'), /invalid metric name/);
});

t.test('process metrics are collected at render time', async (t) => {
  const r = new Registry();
  registerProcessMetrics(r);
  const text = r.render();
  t.match(text, /process_resident_memory_bytes \d+/);
  t.match(text, /process_cpu_seconds_total [\d.]+/);
});
