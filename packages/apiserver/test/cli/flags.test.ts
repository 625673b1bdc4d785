import t from 'tap';
import { parseFlags } from '../../src/cli/flags.js';

t.test('--etcd-compaction-interval takes a Go duration, as kube-apiserver does', async (t) => {
  t.equal(parseFlags([]).etcdCompactionInterval, 300_000, 'default 5m');
  t.equal(parseFlags(['--etcd-compaction-interval', '30s']).etcdCompactionInterval, 30_000);
  t.equal(parseFlags(['--etcd-compaction-interval=1m30s']).etcdCompactionInterval, 90_000);
  t.equal(parseFlags(['--etcd-compaction-interval', '0']).etcdCompactionInterval, 0, '0 turns it off');
  t.throws(() => parseFlags(['--etcd-compaction-interval', '5 minutes']), /invalid value "5 minutes" for flag --etcd-compaction-interval/);
});
