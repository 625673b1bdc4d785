// The same raw etcd v3 JSON requests against a fresh real etcd 3.4 and a fresh k8ts-etcd: status codes and bodies
// must be identical once the ids that differ by nature (cluster/member ids, raft term) are normalized.
import t from 'tap';
import { request } from 'undici';
import { ProcessCluster, b64, realEtcdAvailable, type ClusterKind } from './harness.js';

interface Step {
  name: string;
  path: string;
  body?: unknown;
  method?: 'GET' | 'POST' | 'OPTIONS';
  /** Compare only the status and error (for answers whose bodies legitimately differ, e.g. timing). */
  statusOnly?: boolean;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => ({ request_put: { key: b64(`k${i}`), value: b64('v') } }));

const STEPS: Step[] = [
  { name: 'put', path: '/v3/kv/put', body: { key: b64('foo'), value: b64('bar') } },
  { name: 'range one', path: '/v3/kv/range', body: { key: b64('foo') } },
  { name: 'range missing', path: '/v3/kv/range', body: { key: b64('nope') } },
  { name: 'put prev_kv (camelCase)', path: '/v3/kv/put', body: { key: b64('foo'), value: b64('baz'), prevKv: true } },
  { name: 'put empty value', path: '/v3/kv/put', body: { key: b64('empty') } },
  { name: 'range empty value', path: '/v3/kv/range', body: { key: b64('empty') } },
  { name: 'put a/1', path: '/v3/kv/put', body: { key: b64('a/1'), value: b64('1') } },
  { name: 'put a/2', path: '/v3/kv/put', body: { key: b64('a/2'), value: b64('2') } },
  { name: 'put a/3', path: '/v3/kv/put', body: { key: b64('a/3'), value: b64('3') } },
  { name: 'prefix range with limit', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), limit: 2 } },
  { name: 'prefix range limit as string', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), limit: '1' } },
  { name: 'count_only', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), count_only: true } },
  { name: 'keys_only', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), keys_only: true } },
  { name: 'sort descend by key', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), sort_order: 'DESCEND', sort_target: 'KEY' } },
  { name: 'sort by enum numbers', path: '/v3/kv/range', body: { key: b64('a/'), range_end: b64('a0'), sort_order: 2, sort_target: 3 } },
  { name: 'from-key range', path: '/v3/kv/range', body: { key: b64('a/2'), range_end: b64('\0'), keys_only: true } },
  { name: 'historical range', path: '/v3/kv/range', body: { key: b64('foo'), revision: 2 } },
  { name: 'future revision', path: '/v3/kv/range', body: { key: b64('foo'), revision: 1000 } },
  { name: 'deleterange nothing', path: '/v3/kv/deleterange', body: { key: b64('nothing-here') } },
  { name: 'deleterange prefix prev_kv', path: '/v3/kv/deleterange', body: { key: b64('a/'), range_end: b64('a0'), prev_kv: true } },
  {
    name: 'txn success',
    path: '/v3/kv/txn',
    body: {
      compare: [{ key: b64('foo'), target: 'VALUE', result: 'EQUAL', value: b64('baz') }],
      success: [{ request_put: { key: b64('foo'), value: b64('qux') } }, { request_range: { key: b64('foo') } }],
      failure: [{ request_range: { key: b64('foo') } }],
    },
  },
  {
    name: 'txn failure (MOD compare)',
    path: '/v3/kv/txn',
    body: {
      compare: [{ key: b64('foo'), target: 'MOD', result: 'EQUAL', mod_revision: '2' }],
      success: [{ request_put: { key: b64('foo'), value: b64('never') } }],
      failure: [{ request_range: { key: b64('foo') } }],
    },
  },
  {
    name: 'txn compare false, empty failure',
    path: '/v3/kv/txn',
    body: { compare: [{ key: b64('foo'), target: 'VERSION', result: 'GREATER', version: 100 }], success: [{ request_delete_range: { key: b64('foo') } }] },
  },
  {
    name: 'nested txn',
    path: '/v3/kv/txn',
    body: {
      success: [
        { request_put: { key: b64('n1'), value: b64('x') } },
        { request_txn: { compare: [{ key: b64('n1'), target: 'VERSION', result: 'EQUAL', version: 1 }], success: [{ request_put: { key: b64('n2'), value: b64('y') } }] } },
        { request_delete_range: { key: b64('empty'), prev_kv: true } },
      ],
    },
  },
  { name: 'range n1..n3', path: '/v3/kv/range', body: { key: b64('n1'), range_end: b64('n3') } },
  { name: 'put: no key', path: '/v3/kv/put', body: { value: b64('x') } },
  { name: 'put: empty body', path: '/v3/kv/put', body: '' },
  { name: 'put: truncated JSON', path: '/v3/kv/put', body: '{"key":"Zm9v"' },
  { name: 'put: bad base64', path: '/v3/kv/put', body: { key: '!!!!', value: b64('x') } },
  { name: 'put: unknown field ignored', path: '/v3/kv/put', body: { key: b64('unk'), valu: b64('x') } },
  { name: 'range unknown-field put', path: '/v3/kv/range', body: { key: b64('unk') } },
  { name: 'txn: too many ops', path: '/v3/kv/txn', body: { success: many(129) } },
  { name: 'txn: duplicate key', path: '/v3/kv/txn', body: { success: [{ request_put: { key: b64('d'), value: b64('1') } }, { request_put: { key: b64('d'), value: b64('2') } }] } },
  { name: 'put 1.4 MiB value', path: '/v3/kv/put', body: { key: b64('big'), value: Buffer.alloc(1.4 * 1024 * 1024, 1).toString('base64') } },
  { name: 'put 1.6 MiB value: too large', path: '/v3/kv/put', body: { key: b64('big'), value: Buffer.alloc(1.6 * 1024 * 1024, 2).toString('base64') } },
  { name: 'put 2.2 MiB value: over the gRPC limit', path: '/v3/kv/put', body: { key: b64('big'), value: Buffer.alloc(2.2 * 1024 * 1024, 3).toString('base64') } },
  { name: 'range big key unchanged', path: '/v3/kv/range', body: { key: b64('big'), keys_only: true } },
  { name: 'put with unknown lease', path: '/v3/kv/put', body: { key: b64('l'), value: b64('x'), lease: '12345' } },
  { name: 'lease grant with id', path: '/v3/lease/grant', body: { TTL: 60, ID: '4242' } },
  { name: 'lease grant existing id', path: '/v3/lease/grant', body: { TTL: 60, ID: '4242' } },
  { name: 'put with lease', path: '/v3/kv/put', body: { key: b64('leased'), value: b64('x'), lease: '4242' } },
  { name: 'range leased key', path: '/v3/kv/range', body: { key: b64('leased') } },
  { name: 'lease leases', path: '/v3/lease/leases', body: {} },
  { name: 'timetolive unknown', path: '/v3/lease/timetolive', body: { ID: '999' } },
  { name: 'revoke unknown', path: '/v3/lease/revoke', body: { ID: '999' } },
  { name: 'revoke', path: '/v3/lease/revoke', body: { ID: '4242' } },
  { name: 'range revoked key', path: '/v3/kv/range', body: { key: b64('leased') } },
  { name: 'kv/lease alias leases', path: '/v3/kv/lease/leases', body: {} },
  { name: 'compaction', path: '/v3/kv/compaction', body: { revision: '5', physical: true } },
  { name: 'range compacted', path: '/v3/kv/range', body: { key: b64('foo'), revision: 3 } },
  { name: 'compaction again', path: '/v3/kv/compaction', body: { revision: 4 } },
  { name: 'v3beta alias', path: '/v3beta/kv/range', body: { key: b64('foo') } },
  { name: 'GET on an RPC', path: '/v3/kv/range', method: 'GET' },
  { name: 'unknown RPC', path: '/v3/kv/nope', body: {} },
  { name: 'alarm', path: '/v3/maintenance/alarm', body: { action: 'GET' } },
  { name: 'health', path: '/health', method: 'GET' },
  { name: 'version', path: '/version', method: 'GET' },
  { name: 'OPTIONS preflight', path: '/v3/kv/put', method: 'OPTIONS' },
];

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'cluster_id' || k === 'member_id' || k === 'raft_term') out[k] = '<id>';
      else out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

async function runSteps(endpoint: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const step of STEPS) {
    const method = step.method ?? 'POST';
    const res = await request(new URL(step.path, endpoint), {
      method,
      ...(method === 'POST' ? { body: typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? {}) } : {}),
      headers: { 'content-type': 'application/json' },
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = normalize(JSON.parse(text));
    } catch {
      // text/plain answers compare as text
    }
    answers.push({ status: res.statusCode, contentType: String(res.headers['content-type'] ?? '').split(';')[0] ?? '', body });
  }
  return answers;
}

async function answersOf(kind: ClusterKind): Promise<Answer[]> {
  const cluster = await ProcessCluster.start({ kind, size: 1 });
  try {
    return await runSteps(cluster.endpoints()[0] as string);
  } finally {
    await cluster.stop();
  }
}

const skip = realEtcdAvailable() ? false : 'real etcd is not installed (outside CI)';

t.test('k8ts-etcd answers exactly like etcd 3.4', { skip }, async (t) => {
  const [etcd, ours] = [await answersOf('etcd'), await answersOf('k8ts')];
  STEPS.forEach((step, i) => {
    const want = etcd[i] as Answer;
    const got = ours[i] as Answer;
    t.same(
      { status: got.status, contentType: got.contentType, body: step.statusOnly ? undefined : got.body },
      { status: want.status, contentType: want.contentType, body: step.statusOnly ? undefined : want.body },
      `${step.name}: ${step.path}`,
    );
  });
});
