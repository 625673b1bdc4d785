// etcd's command-line flags (and their ETCD_* environment variables), with etcd's defaults.
// Accepts `--flag value` and `--flag=value`; unknown flags are an error naming the flag, as in etcd.

export interface EtcdFlags {
  name: string;
  dataDir: string;
  listenClientUrls: string[];
  advertiseClientUrls: string[];
  listenPeerUrls: string[];
  initialAdvertisePeerUrls: string[];
  initialCluster: string;
  initialClusterState: 'new' | 'existing';
  initialClusterToken: string;
  heartbeatInterval: number;
  electionTimeout: number;
  snapshotCount: number;
  snapshotCatchUpEntries: number;
  quotaBackendBytes: number;
  maxRequestBytes: number;
  maxTxnOps: number;
  logLevel: string;
  watchProgressNotifyIntervalMs: number;
}

interface FlagSpec {
  key: keyof EtcdFlags;
  kind: 'string' | 'urls' | 'int' | 'state' | 'duration';
  help: string;
}

const SPECS: Record<string, FlagSpec> = {
  name: { key: 'name', kind: 'string', help: 'Human-readable name for this member.' },
  'data-dir': { key: 'dataDir', kind: 'string', help: 'Path to the data directory.' },
  'listen-client-urls': { key: 'listenClientUrls', kind: 'urls', help: 'URLs to listen on for client traffic.' },
  'advertise-client-urls': { key: 'advertiseClientUrls', kind: 'urls', help: 'Client URLs to advertise to the cluster.' },
  'listen-peer-urls': { key: 'listenPeerUrls', kind: 'urls', help: 'URLs to listen on for peer traffic.' },
  'initial-advertise-peer-urls': { key: 'initialAdvertisePeerUrls', kind: 'urls', help: "This member's peer URLs to advertise." },
  'initial-cluster': { key: 'initialCluster', kind: 'string', help: 'Initial cluster configuration: name=peerURL,...' },
  'initial-cluster-state': { key: 'initialClusterState', kind: 'state', help: "'new' or 'existing'." },
  'initial-cluster-token': { key: 'initialClusterToken', kind: 'string', help: 'Initial cluster token, mixed into ids.' },
  'heartbeat-interval': { key: 'heartbeatInterval', kind: 'int', help: 'Time (ms) of a heartbeat interval.' },
  'election-timeout': { key: 'electionTimeout', kind: 'int', help: 'Time (ms) for an election to timeout.' },
  'snapshot-count': { key: 'snapshotCount', kind: 'int', help: 'Committed entries between snapshots.' },
  'experimental-snapshot-catchup-entries': { key: 'snapshotCatchUpEntries', kind: 'int', help: 'Entries kept after a snapshot for slow followers.' },
  'quota-backend-bytes': { key: 'quotaBackendBytes', kind: 'int', help: 'Raise an alarm when the store exceeds this size (0 = default 2 GiB).' },
  'max-request-bytes': { key: 'maxRequestBytes', kind: 'int', help: 'Maximum client request size in bytes.' },
  'max-txn-ops': { key: 'maxTxnOps', kind: 'int', help: 'Maximum operations per txn.' },
  'log-level': { key: 'logLevel', kind: 'string', help: 'debug, info, warn, error, fatal.' },
  'experimental-watch-progress-notify-interval': { key: 'watchProgressNotifyIntervalMs', kind: 'duration', help: 'Interval of progress notifications to idle watchers (e.g. 10m, 5s).' },
};

export function defaultFlags(): EtcdFlags {
  return {
    name: 'default',
    dataDir: '',
    listenClientUrls: ['http://localhost:2379'],
    advertiseClientUrls: ['http://localhost:2379'],
    listenPeerUrls: ['http://localhost:2380'],
    initialAdvertisePeerUrls: ['http://localhost:2380'],
    initialCluster: '',
    initialClusterState: 'new',
    initialClusterToken: 'etcd-cluster',
    heartbeatInterval: 100,
    electionTimeout: 1000,
    snapshotCount: 100_000,
    snapshotCatchUpEntries: 5000,
    quotaBackendBytes: 0,
    maxRequestBytes: 1.5 * 1024 * 1024,
    maxTxnOps: 128,
    logLevel: process.env['K8TS_LOG_LEVEL'] ?? 'info',
    watchProgressNotifyIntervalMs: 10 * 60 * 1000,
  };
}

export class FlagError extends Error {}

function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new FlagError(`invalid value "${text}" for flag --${flag}: expected a duration such as 500ms, 5s or 10m`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return n * unit;
}

function assign(flags: EtcdFlags, flag: string, spec: FlagSpec, raw: string): void {
  const target = flags as unknown as Record<string, unknown>;
  switch (spec.kind) {
    case 'string':
      target[spec.key] = raw;
      return;
    case 'urls': {
      const urls = raw.split(',').map((s) => s.trim()).filter(Boolean);
      for (const u of urls) {
        let parsed: URL;
        try {
          parsed = new URL(u);
        } catch {
          throw new FlagError(`invalid value "${u}" for flag --${flag}: not a URL`);
        }
        if (parsed.protocol !== 'http:') throw new FlagError(`invalid value "${u}" for flag --${flag}: only http:// URLs are supported`);
      }
      if (urls.length === 0) throw new FlagError(`flag --${flag} needs at least one URL`);
      target[spec.key] = urls;
      return;
    }
    case 'int': {
      if (!/^\d+$/.test(raw)) throw new FlagError(`invalid value "${raw}" for flag --${flag}: expected a non-negative integer`);
      target[spec.key] = Number(raw);
      return;
    }
    case 'duration':
      target[spec.key] = parseDuration(flag, raw);
      return;
    case 'state':
      if (raw !== 'new' && raw !== 'existing') throw new FlagError(`invalid value "${raw}" for flag --${flag}: expected new or existing`);
      target[spec.key] = raw;
      return;
  }
}

export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): EtcdFlags {
  const flags = defaultFlags();
  // Environment first (ETCD_DATA_DIR, ...), flags override, as in etcd.
  for (const [flag, spec] of Object.entries(SPECS)) {
    const envName = `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
    const v = env[envName];
    if (v !== undefined && v !== '') assign(flags, flag, spec, v);
  }
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) throw new FlagError(`unexpected argument "${arg}"`);
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const flag = eq >= 0 ? body.slice(0, eq) : body;
    const spec = SPECS[flag];
    if (!spec) throw new FlagError(`flag provided but not defined: -${flag}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new FlagError(`flag needs an argument: --${flag}`);
      value = next;
      i++;
    }
    assign(flags, flag, spec, value);
    explicit.add(flag);
  }
  if (flags.dataDir === '') flags.dataDir = `${flags.name}.etcd`;
  if (flags.initialCluster === '') flags.initialCluster = `${flags.name}=${flags.initialAdvertisePeerUrls.join(`,${flags.name}=`)}`;
  if (flags.heartbeatInterval <= 0) throw new FlagError('--heartbeat-interval must be > 0');
  if (flags.electionTimeout < 5 * flags.heartbeatInterval) {
    throw new FlagError(`--election-timeout[${flags.electionTimeout}ms] should be at least 5 times as --heartbeat-interval[${flags.heartbeatInterval}ms]`);
  }
  if (flags.quotaBackendBytes === 0) flags.quotaBackendBytes = 2 * 1024 * 1024 * 1024;
  if (flags.snapshotCount === 0) throw new FlagError('--snapshot-count must be > 0');
  return flags;
}

export function usage(): string {
  const lines = Object.entries(SPECS).map(([flag, spec]) => `  --${flag.padEnd(44)} ${spec.help}`);
  return [
    'Usage: k8ts-etcd [flags]',
    '       k8ts-etcd snapshot save <file> --endpoints <client-url>',
    '       k8ts-etcd snapshot restore <file> --data-dir <dir> --name <name> --initial-cluster <...> [--initial-cluster-token <t>] [--initial-advertise-peer-urls <urls>]',
    '       k8ts-etcd snapshot status <file>',
    '',
    'Flags (also as ETCD_<FLAG> environment variables):',
    ...lines,
  ].join('\n');
}
