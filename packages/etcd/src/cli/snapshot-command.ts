// `k8ts-etcd snapshot save|restore|status`: backups, like etcdctl's snapshot commands.
//
// A backup file is the member's state-machine snapshot (MVCC store with its history, leases, member table):
//   [8 bytes magic "K8TSSNP1"][u32 LE crc32 of the data][data]
// `restore` makes a fresh data dir for a NEW cluster from it (new member ids from --initial-cluster), as etcd does.
import { mkdir, readFile, writeFile, rename, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Pool } from 'undici';
import { MemberTable, clusterIdFor, memberIdFor, parseInitialCluster, type Member } from '../server/membership.js';
import { decodeStateSnapshot, encodeStateSnapshot } from '../server/state-snapshot.js';
import { Snapshotter, Wal } from '../storage/index.js';
import { rangeRequest } from '../api/types.js';
import { FlagError } from './flags.js';

const MAGIC = Buffer.from('K8TSSNP1');

export function encodeBackup(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(crc32(data), 8);
  return Buffer.concat([header, data]);
}

export function decodeBackup(file: string, bytes: Buffer): Buffer {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) throw new Error(`${file}: not a k8ts-etcd snapshot file`);
  const data = bytes.subarray(12);
  const want = bytes.readUInt32LE(8);
  if (crc32(data) !== want) throw new Error(`${file}: checksum mismatch (file is corrupt or truncated)`);
  return data;
}

function options(args: string[]): { positional: string[]; opts: Map<string, string> } {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const v = args[i + 1];
        if (v === undefined) throw new FlagError(`flag needs an argument: ${a}`);
        opts.set(a.slice(2), v);
        i++;
      }
    } else positional.push(a);
  }
  return { positional, opts };
}

async function save(file: string, endpoint: string): Promise<void> {
  const url = new URL(endpoint);
  const pool = new Pool(url.origin, { connections: 1 });
  try {
    const res = await pool.request({ path: '/v3/maintenance/snapshot', method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${endpoint}: HTTP ${res.statusCode}: ${text}`);
    const chunks: Buffer[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const frame = JSON.parse(line) as { result?: { blob?: string }; error?: { message?: string } };
      if (frame.error) throw new Error(`${endpoint}: ${frame.error.message ?? 'snapshot failed'}`);
      if (frame.result?.blob) chunks.push(Buffer.from(frame.result.blob, 'base64'));
    }
    const data = Buffer.concat(chunks);
    decodeStateSnapshot(data); // refuse to write a backup we could not restore
    const tmp = `${file}.part`;
    await writeFile(tmp, encodeBackup(data));
    const fh = await open(tmp, 'r');
    await fh.sync();
    await fh.close();
    await rename(tmp, file);
    process.stdout.write(`Snapshot saved at ${file}\n`);
  } finally {
    await pool.close();
  }
}

async function status(file: string): Promise<void> {
  const data = decodeBackup(file, await readFile(file));
  const { store, members } = decodeStateSnapshot(data);
  const hash = store.hashKV(0);
  const keys = store.range(rangeRequest('\0', { rangeEnd: '\0', serializable: true, countOnly: true })).count;
  process.stdout.write(
    `${JSON.stringify({ hash: hash.hash, revision: store.revision, compactRevision: store.compactRevision, totalKey: keys, members: members.list().length, totalSize: data.length })}\n`,
  );
}

async function restore(file: string, opts: Map<string, string>): Promise<void> {
  const dataDir = opts.get('data-dir');
  const name = opts.get('name') ?? 'default';
  const token = opts.get('initial-cluster-token') ?? 'etcd-cluster';
  const advertise = opts.get('initial-advertise-peer-urls') ?? 'http://localhost:2380';
  const clusterSpec = opts.get('initial-cluster') ?? `${name}=${advertise}`;
  if (!dataDir) throw new FlagError('snapshot restore needs --data-dir');
  if (existsSync(`${dataDir}/member`)) throw new Error(`data-dir "${dataDir}" already exists`);
  const data = decodeBackup(file, await readFile(file));
  const { store } = decodeStateSnapshot(data);
  const initial: Member[] = [...parseInitialCluster(clusterSpec).entries()].map(([n, urls]) => ({
    id: memberIdFor(urls, token),
    name: n,
    peerURLs: urls,
    clientURLs: [],
    isLearner: false,
  }));
  const self = initial.find((m) => m.name === name);
  if (!self) throw new FlagError(`--initial-cluster has no member named "${name}"`);
  const table = new MemberTable();
  for (const m of initial) table.add(m);
  const clusterId = clusterIdFor(initial.map((m) => m.id));
  // The restored state becomes the snapshot at index n, term 1, with the new members as the configuration.
  const index = initial.length;
  const snapshot = {
    metadata: { index, term: 1, confState: { voters: initial.map((m) => m.id), learners: [] } },
    data: encodeStateSnapshot(store, table),
  };
  await mkdir(`${dataDir}/member`, { recursive: true });
  await new Snapshotter(`${dataDir}/member/snap`).save(snapshot);
  const wal = await Wal.create(`${dataDir}/member/wal`, { memberId: self.id, clusterId });
  await wal.saveSnapshot(snapshot.metadata);
  await wal.save({ term: 1, vote: '0', commit: index }, []);
  await wal.close();
  process.stdout.write(`restored snapshot to ${dataDir} (member ${name}, id ${self.id}, revision ${store.revision})\n`);
}

export async function runSnapshotCommand(args: string[]): Promise<number> {
  const { positional, opts } = options(args);
  const [verb, file] = positional;
  if (!file) throw new FlagError('snapshot needs a file argument');
  switch (verb) {
    case 'save': {
      const endpoint = (opts.get('endpoints') ?? 'http://127.0.0.1:2379').split(',')[0] as string;
      await save(file, endpoint);
      return 0;
    }
    case 'restore':
      await restore(file, opts);
      return 0;
    case 'status':
      await status(file);
      return 0;
    default:
      throw new FlagError(`unknown snapshot command "${verb ?? ''}" (save, restore or status)`);
  }
}
