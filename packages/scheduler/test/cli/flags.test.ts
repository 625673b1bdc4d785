import t from 'tap';
import { parseDuration } from '@k8ts/component-base';
import { parseFlags } from '../../src/cli/flags.js';

t.test('Go durations', async (t) => {
  t.equal(parseDuration('15s'), 15_000);
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('1m30s'), 90_000);
  t.equal(parseDuration('1.5h'), 5_400_000);
  t.equal(parseDuration('0'), 0);
  t.throws(() => parseDuration('15'), /invalid duration/);
  t.throws(() => parseDuration('s'), /invalid duration/);
});

t.test("kube-scheduler's defaults and flag names", async (t) => {
  const d = parseFlags([]);
  t.match(d, {
    bindAddress: '0.0.0.0',
    securePort: 10259,
    leaderElect: true,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    leaseName: 'kube-scheduler',
    leaseNamespace: 'kube-system',
    podInitialBackoffMs: 1000,
    podMaxBackoffMs: 10_000,
    podMaxInUnschedulablePodsDurationMs: 300_000,
    schedulerName: 'default-scheduler',
    logLevel: 'info',
  });
  const f = parseFlags(
    [
      '--kubeconfig', '/tmp/kc',
      '--leader-elect-lease-duration=3s',
      '--leader-elect-renew-deadline', '2s',
      '--leader-elect-retry-period', '500ms',
      '--leader-elect-resource-name', 'sched',
      '--leader-elect-resource-namespace=default',
      '--pod-initial-backoff-seconds', '0.2',
      '--pod-max-backoff-seconds', '1',
      '--pod-max-in-unschedulable-pods-duration', '10s',
      '--secure-port', '0',
      '--v', '4',
    ],
  );
  t.match(f, { kubeconfig: '/tmp/kc', leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500, leaseName: 'sched', leaseNamespace: 'default' });
  t.match(f, { podInitialBackoffMs: 200, podMaxBackoffMs: 1000, podMaxInUnschedulablePodsDurationMs: 10_000, securePort: 0, logLevel: 'debug' });
});

t.test('booleans and errors', async (t) => {
  t.equal(parseFlags(['--leader-elect=false']).leaderElect, false);
  t.equal(parseFlags(['--leader-elect', 'false']).leaderElect, false);
  t.equal(parseFlags(['--leader-elect', '--v', '1']).leaderElect, true);
  t.throws(() => parseFlags(['--nope']), /unknown flag: --nope/);
  t.throws(() => parseFlags(['--secure-port', 'x']), /expected a port number/);
  t.throws(() => parseFlags(['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '5s']), /must be greater than/);
  t.throws(() => parseFlags(['--pod-initial-backoff-seconds', '5', '--pod-max-backoff-seconds', '1']), /must not be less/);
  t.throws(() => parseFlags(['--leader-elect-resource-lock', 'endpoints']), /only "leases"/);
  t.throws(() => parseFlags(['--help']), /Usage: k8ts-scheduler/);
  t.throws(() => parseFlags(['--pod-initial-backoff-seconds', '0']), /expected seconds greater than 0/);
});
