import t from 'tap';
import { commonFlags, FlagError, formatDuration, leaderElectionFlags, leaderElectionFrom, parseDuration, parseFlags, usage } from '../src/index.js';

const SPEC = {
  ...commonFlags(10257),
  ...leaderElectionFlags('kube-test'),
  controllers: { kind: 'list', help: 'Controllers.', default: ['*'] },
  workers: { kind: 'int', help: 'Workers.', default: 5 },
} as const;

t.test('Go durations', async (t) => {
  t.equal(parseDuration('15s'), 15_000);
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('1m30s'), 90_000);
  t.equal(parseDuration('1.5h'), 5_400_000);
  t.equal(parseDuration('0'), 0);
  t.throws(() => parseDuration('15'), /invalid duration/);
  t.throws(() => parseDuration('s'), /invalid duration/);
  t.same(['2s', '5m', '1h', '250ms', '0s'], [2000, 300_000, 3_600_000, 250, 0].map(formatDuration));
});

t.test('parse kube-style flags', async (t) => {
  const f = parseFlags('k8ts-test', SPEC, [
    '--kubeconfig=/tmp/kc',
    '--leader-elect=false',
    '--leader-elect-lease-duration',
    '4s',
    '--controllers',
    '*,-podgc,deployment',
    '--secure-port',
    '0',
    '--workers=2',
  ]);
  t.equal(f.kubeconfig, '/tmp/kc');
  t.equal(f['leader-elect'], false);
  t.equal(f['leader-elect-lease-duration'], 4000);
  t.equal(f['leader-elect-renew-deadline'], 10_000, 'defaults stay');
  t.same(f.controllers, ['*', '-podgc', 'deployment']);
  t.equal(f['secure-port'], 0);
  t.equal(f.workers, 2);
  t.equal(parseFlags('x', SPEC, ['--leader-elect'])['leader-elect'], true, 'a bare boolean is true');
  t.equal(parseFlags('x', SPEC, ['--leader-elect', 'false'])['leader-elect'], false);
  t.equal(leaderElectionFrom(f), undefined, 'election off');
  t.same(leaderElectionFrom(parseFlags('x', SPEC, [])), {
    leaseName: 'kube-test',
    leaseNamespace: 'kube-system',
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
  });
  t.throws(() => leaderElectionFrom(parseFlags('x', SPEC, ['--leader-elect-renew-deadline', '20s'])), /lease-duration must be greater than --leader-elect-renew-deadline/);
});

t.test('bad flags are clear errors', async (t) => {
  t.throws(() => parseFlags('x', SPEC, ['--nope']), new FlagError('unknown flag: --nope'.concat('\n\n', usage('x', SPEC))));
  t.throws(() => parseFlags('x', SPEC, ['--secure-port', '70000']), /invalid value "70000" for flag --secure-port: expected a port number/);
  t.throws(() => parseFlags('x', SPEC, ['--leader-elect-retry-period', 'soon']), /expected a duration such as 15s/);
  t.throws(() => parseFlags('x', SPEC, ['--workers']), /flag needs an argument: --workers/);
  t.throws(() => parseFlags('x', SPEC, ['positional']), /unexpected argument "positional"/);
  try {
    parseFlags('x', SPEC, ['--help']);
    t.fail('--help throws');
  } catch (err) {
    t.ok(err instanceof FlagError && err.help, '--help is a FlagError marked help');
    t.match((err as Error).message, /--leader-elect-lease-duration duration\n\s+How long standbys wait.*\(default 15s\)/);
  }
});
