import t from 'tap';
import { humanDuration, shortHumanDuration } from '../../src/tables/index.js';
import { formatRFC3339, parseTime, timestampSince } from '../../src/tables/duration.js';
import { NOW, ago, d, h, m, s } from './helpers/fixtures.js';

t.test('humanDuration follows apimachinery HumanDuration', async (t) => {
  const cases: [number, string][] = [
    [s(-5), '<invalid>'],
    [s(-2), '<invalid>'],
    [-1999, '0s'], // within a second of skew still counts as now
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [s(45), '45s'],
    [s(119), '119s'],
    [s(120), '2m'],
    [m(5) + s(30), '5m30s'],
    [m(5), '5m'],
    [m(9) + s(59), '9m59s'],
    [m(10) + s(30), '10m'],
    [m(179), '179m'],
    [h(3), '3h'],
    [h(3) + m(5), '3h5m'],
    [h(7) + m(59), '7h59m'],
    [h(8) + m(30), '8h'],
    [h(47), '47h'],
    [d(2), '2d'],
    [d(3) + h(4), '3d4h'],
    [d(7) + h(23), '7d23h'],
    [d(8) + h(5), '8d'],
    [d(729), '729d'],
    [d(730), '2y'],
    [d(365 * 2 + 45), '2y45d'],
    [d(365 * 7 + 364), '7y364d'],
    [d(365 * 9 + 100), '9y'],
  ];
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms}ms`);
});

t.test('shortHumanDuration keeps one unit', async (t) => {
  const cases: [number, string][] = [
    [s(-3), '<invalid>'],
    [-1500, '0s'],
    [s(59), '59s'],
    [s(90), '1m'],
    [m(59), '59m'],
    [h(23), '23h'],
    [d(364), '364d'],
    [d(800), '2y'],
  ];
  for (const [ms, want] of cases) t.equal(shortHumanDuration(ms), want, `${ms}ms`);
});

t.test('timestamps', async (t) => {
  t.equal(timestampSince(ago(m(5) + s(30)), NOW), '5m30s');
  t.equal(timestampSince(undefined, NOW), '<unknown>');
  t.equal(timestampSince(null, NOW), '<unknown>');
  t.equal(timestampSince('not a time', NOW), '<unknown>');
  t.equal(timestampSince('0001-01-01T00:00:00Z', NOW), '<unknown>', "Go's zero time is unset");
  t.equal(timestampSince('2024-06-01T11:59:00.123456Z', NOW), '59s', 'MicroTime precision parses');
  t.equal(parseTime('2024-06-01T12:00:00+02:00'), Date.parse('2024-06-01T10:00:00Z'));
  t.equal(formatRFC3339('2024-06-01T14:00:00.5+02:00'), '2024-06-01T12:00:00Z');
  t.equal(formatRFC3339(undefined), '0001-01-01T00:00:00Z');
});
