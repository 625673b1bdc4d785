// The k8ts-etcd command: flag errors as etcd words them, graceful SIGTERM, and backups (snapshot save/status/restore).
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessCluster, b64, freePorts, k8tsEtcdBin, post, sleep } from './harness.js';

const run = (args: string[]) => spawnSync(process.execPath, [k8tsEtcdBin(), ...args], { encoding: 'utf8', timeout: 20_000 });

t.test('bad flags are refused with etcd-style messages and exit code 2', async (t) => {
  const unknown = run(['--bogus-flag', 'x']);
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, 'flag provided but not defined: -bogus-flag');
  const timing = run(['--heartbeat-interval', '100', '--election-timeout', '200']);
  t.equal(timing.status, 2);
  t.match(timing.stderr, 'should be at least 5 times');
  const url = run(['--listen-client-urls', 'not a url']);
  t.equal(url.status, 2);
  t.match(url.stderr, 'not a URL');
  const help = run(['--help']);
  t.equal(help.status, 0);
  t.match(help.stdout, '--initial-cluster-state');
});

t.test('snapshot save, status and restore into a new cluster; SIGTERM stops cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-backup-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cluster = await ProcessCluster.start({ kind: 'k8ts', size: 1 });
  t.teardown(() => cluster.stop());
  const ep = cluster.endpoints()[0] as string;
  for (let i = 0; i < 50; i++) await post(ep, '/v3/kv/put', { key: b64(`b/${i}`), value: b64(`v${i}`) });
  const file = join(dir, 'backup.snap');
  const saved = run(['snapshot', 'save', file, '--endpoints', ep]);
  t.equal(saved.status, 0, saved.stderr);
  const status = run(['snapshot', 'status', file]);
  t.equal(status.status, 0, status.stderr);
  const info = JSON.parse(status.stdout) as { revision: number; totalKey: number };
  t.equal(info.revision, 51, 'the backup is at the last revision');
  t.equal(info.totalKey, 50, 'and holds every key');

  // Graceful stop: SIGTERM exits 0 promptly.
  const member = cluster.members[0]!;
  const started = Date.now();
  member.proc?.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => member.proc?.once('exit', (c) => resolve(c)));
  t.equal(code, 0, 'exit code 0 on SIGTERM');
  t.ok(Date.now() - started < 5000, 'within 5 s');

  // Restore into a fresh data dir as a new single-member cluster and serve the same data.
  const [client, peer] = await freePorts(2);
  const dataDir = join(dir, 'restored');
  const peerURL = `http://127.0.0.1:${peer}`;
  const restored = run(['snapshot', 'restore', file, '--data-dir', dataDir, '--name', 'r1', '--initial-cluster', `r1=${peerURL}`, '--initial-advertise-peer-urls', peerURL, '--initial-cluster-token', 'restored']);
  t.equal(restored.status, 0, restored.stderr);
  const again = run(['snapshot', 'restore', file, '--data-dir', dataDir, '--name', 'r1', '--initial-cluster', `r1=${peerURL}`]);
  t.not(again.status, 0, 'restoring over an existing data dir is refused');
  const proc = spawn(process.execPath, [k8tsEtcdBin(), '--name', 'r1', '--data-dir', dataDir, '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`, '--listen-peer-urls', peerURL, '--initial-advertise-peer-urls', peerURL, '--initial-cluster', `r1=${peerURL}`, '--initial-cluster-token', 'restored'], { stdio: 'ignore' });
  t.teardown(() => {
    proc.kill('SIGKILL');
  });
  const rep = `http://127.0.0.1:${client}`;
  let count = -1;
  for (let i = 0; i < 100 && count !== 50; i++) {
    await sleep(100);
    try {
      const r = await post(rep, '/v3/kv/range', { key: b64('b/'), range_end: b64('b0'), count_only: true });
      count = Number((r.json as { count?: string }).count ?? -1);
    } catch {
      // not up yet
    }
  }
  t.equal(count, 50, 'the restored cluster serves every key');
  const put = await post(rep, '/v3/kv/put', { key: b64('after'), value: b64('x') });
  t.equal((put.json as { header: { revision: string } }).header.revision, '52', 'and continues from the backup revision');

  // A damaged backup is refused with a clear message.
  const bytes = readFileSync(file);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0xff;
  writeFileSync(join(dir, 'bad.snap'), bytes);
  const bad = run(['snapshot', 'status', join(dir, 'bad.snap')]);
  t.not(bad.status, 0);
  t.match(bad.stderr, 'checksum mismatch');
});
