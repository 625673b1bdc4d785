// kube-apiserver's flag names (where k8ts has the feature), `--flag value` or `--flag=value`.
import { parseDuration } from '@k8ts/component-base';

export interface ApiServerFlags {
  etcdServers: string[];
  bindAddress: string;
  securePort: number;
  insecurePort?: number | undefined;
  tlsCertFile?: string | undefined;
  tlsPrivateKeyFile?: string | undefined;
  certDir: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  advertiseAddress: string;
  logLevel: string;
  writeKubeconfig?: string | undefined;
  minRequestTimeout: number;
  /** Milliseconds between store compactions (0: never). */
  etcdCompactionInterval: number;
  defaultWatchCacheSize: number;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  kubeletClientCertificate?: string | undefined;
  kubeletClientKey?: string | undefined;
  kubeletCertificateAuthority?: string | undefined;
  kubeletPreferredAddressTypes: string[];
  serviceAccountSigningKeyFile?: string | undefined;
  serviceAccountIssuer: string;
}

const HELP: Record<string, string> = {
  'etcd-servers': 'Comma-separated etcd client URLs (k8ts-etcd or etcd 3.4+); requests fail over between them.',
  'bind-address': 'Address to listen on (default 0.0.0.0).',
  'secure-port': 'HTTPS port (default 6443; 0 picks a free port).',
  'insecure-port': 'Also serve plain HTTP on this port (for loopback tests; off by default).',
  'tls-cert-file': 'Serving certificate (PEM). Without it a self-signed one is generated in --cert-dir.',
  'tls-private-key-file': 'Key of --tls-cert-file (PEM).',
  'cert-dir': 'Where generated certificates are kept (default ./data/apiserver).',
  'service-cluster-ip-range': 'CIDR Service ClusterIPs come from (default 10.96.0.0/12).',
  'service-node-port-range': 'NodePort range (default 30000-32767).',
  'advertise-address': 'Address other components and the kubernetes Service use to reach this apiserver (default 127.0.0.1).',
  v: 'Log verbosity as in Kubernetes: 0-2 info, 3+ debug.',
  'log-level': 'Log level: trace, debug, info, warn, error, fatal.',
  'write-kubeconfig': 'k8ts: write an admin kubeconfig for this apiserver to this path.',
  'default-not-ready-toleration-seconds':
    'Seconds pods tolerate the node.kubernetes.io/not-ready:NoExecute taint unless they say otherwise (default 300).',
  'default-unreachable-toleration-seconds':
    'Seconds pods tolerate the node.kubernetes.io/unreachable:NoExecute taint unless they say otherwise (default 300).',
  'default-watch-cache-size':
    'Events each resource\'s watch cache keeps for watches resuming from an older resourceVersion (default 10000); older ones get 410 Gone.',
  'kubelet-client-certificate':
    'Client certificate (PEM) the apiserver presents to kubelets. Without it one is generated in --cert-dir, signed by the serving certificate.',
  'kubelet-client-key': 'Key of --kubelet-client-certificate (PEM).',
  'kubelet-certificate-authority': 'CA bundle to verify kubelets\' serving certificates (not verified without it).',
  'kubelet-preferred-address-types': 'Order of Node address types to reach kubelets by (default InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP).',
  'service-account-signing-key-file': 'RSA private key (PEM) that signs service-account tokens (default: the serving key).',
  'service-account-issuer': 'The iss claim of service-account tokens (default https://kubernetes.default.svc.cluster.local).',
  'etcd-compaction-interval':
    'How often the store is compacted to the revision of one interval earlier, as a Go duration (default 5m; 0 never): without it the store keeps every revision and only grows.',
  'min-request-timeout':
    'Seconds a watch without timeoutSeconds stays open at least: it ends after a random 1-2x this (default 1800), so clients re-watch and spread over apiservers.',
};

export function usage(): string {
  return `Usage: k8ts-apiserver [flags]\n\n${Object.entries(HELP).map(([f, h]) => `  --${f}\n        ${h}`).join('\n')}\n`;
}

export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): ApiServerFlags {
  const f: ApiServerFlags = {
    etcdServers: ['http://127.0.0.1:2379'],
    bindAddress: '0.0.0.0',
    securePort: 6443,
    certDir: 'data/apiserver',
    serviceClusterIpRange: '10.96.0.0/12',
    serviceNodePortRange: '30000-32767',
    advertiseAddress: '127.0.0.1',
    logLevel: env['K8TS_LOG_LEVEL'] ?? 'info',
    minRequestTimeout: 1800,
    etcdCompactionInterval: 5 * 60_000,
    defaultWatchCacheSize: 10_000,
    defaultNotReadyTolerationSeconds: 300,
    defaultUnreachableTolerationSeconds: 300,
    kubeletPreferredAddressTypes: ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS', 'ExternalIP'],
    serviceAccountIssuer: 'https://kubernetes.default.svc.cluster.local',
  };
  const int = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid value "${v}" for flag --${name}: expected a port number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'help' || name === 'h') throw new Error(usage());
    if (!(name in HELP)) throw new Error(`unknown flag: --${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
    switch (name) {
      case 'etcd-servers':
        f.etcdServers = value.split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case 'bind-address':
        f.bindAddress = value;
        break;
      case 'secure-port':
        f.securePort = int(name, value);
        break;
      case 'insecure-port':
        f.insecurePort = int(name, value);
        break;
      case 'tls-cert-file':
        f.tlsCertFile = value;
        break;
      case 'tls-private-key-file':
        f.tlsPrivateKeyFile = value;
        break;
      case 'cert-dir':
        f.certDir = value;
        break;
      case 'service-cluster-ip-range':
        f.serviceClusterIpRange = value;
        break;
      case 'service-node-port-range':
        f.serviceNodePortRange = value;
        break;
      case 'advertise-address':
        f.advertiseAddress = value;
        break;
      case 'v': {
        const v = Number(value);
        f.logLevel = v >= 3 ? 'debug' : 'info';
        break;
      }
      case 'log-level':
        f.logLevel = value;
        break;
      case 'write-kubeconfig':
        f.writeKubeconfig = value;
        break;
      case 'default-not-ready-toleration-seconds':
      case 'default-unreachable-toleration-seconds': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`invalid value "${value}" for flag --${name}: expected whole seconds`);
        if (name === 'default-not-ready-toleration-seconds') f.defaultNotReadyTolerationSeconds = n;
        else f.defaultUnreachableTolerationSeconds = n;
        break;
      }
      case 'default-watch-cache-size': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new Error(`invalid value "${value}" for flag --${name}: expected a positive integer`);
        f.defaultWatchCacheSize = n;
        break;
      }
      case 'kubelet-client-certificate':
        f.kubeletClientCertificate = value;
        break;
      case 'kubelet-client-key':
        f.kubeletClientKey = value;
        break;
      case 'kubelet-certificate-authority':
        f.kubeletCertificateAuthority = value;
        break;
      case 'kubelet-preferred-address-types': {
        const known = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'];
        const types = value.split(',').map((s) => s.trim()).filter(Boolean);
        const bad = types.find((t) => !known.includes(t));
        if (bad || types.length === 0) throw new Error(`invalid value "${value}" for flag --${name}: expected a list of ${known.join(', ')}`);
        f.kubeletPreferredAddressTypes = types;
        break;
      }
      case 'service-account-signing-key-file':
        f.serviceAccountSigningKeyFile = value;
        break;
      case 'service-account-issuer':
        f.serviceAccountIssuer = value;
        break;
      case 'etcd-compaction-interval': {
        let ms: number;
        try {
          ms = parseDuration(value);
        } catch {
          throw new Error(`invalid value "${value}" for flag --${name}: expected a duration such as 5m or 30s`);
        }
        f.etcdCompactionInterval = ms;
        break;
      }
      case 'min-request-timeout': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`invalid value "${value}" for flag --${name}: expected whole seconds`);
        f.minRequestTimeout = n;
        break;
      }
    }
  }
  if (f.etcdServers.length === 0) throw new Error('--etcd-servers must name at least one server');
  return f;
}
