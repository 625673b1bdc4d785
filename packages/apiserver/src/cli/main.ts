#!/usr/bin/env node
// k8ts-apiserver: the Kubernetes API over an etcd v3 JSON store.
import { exitOnSignals, flagsOrExit } from '@k8ts/component-base';
import { createLogger } from '@k8ts/observability';
import { startApiServer } from '../server.js';
import { ensureKubeletClientCert, ensureServingCert } from './certs.js';
import { parseFlags } from './flags.js';
import { writeKubeconfig } from './kubeconfig.js';

async function main(): Promise<void> {
  const flags = flagsOrExit(() => parseFlags(process.argv.slice(2)));
  const logger = createLogger({ component: 'apiserver', level: flags.logLevel });
  let certFile = flags.tlsCertFile;
  let keyFile = flags.tlsPrivateKeyFile;
  if (!certFile || !keyFile) {
    const generated = ensureServingCert(flags.certDir, ['127.0.0.1', flags.advertiseAddress, '10.96.0.1']);
    certFile = generated.certFile;
    keyFile = generated.keyFile;
  }
  let kubeletClientCert = flags.kubeletClientCertificate;
  let kubeletClientKey = flags.kubeletClientKey;
  if (!kubeletClientCert || !kubeletClientKey) {
    const generated = ensureKubeletClientCert(flags.certDir, certFile, keyFile);
    kubeletClientCert = generated.certFile;
    kubeletClientKey = generated.keyFile;
  }
  const server = await startApiServer({
    etcdServers: flags.etcdServers,
    bindAddress: flags.bindAddress,
    securePort: flags.securePort,
    tlsCertFile: certFile,
    tlsKeyFile: keyFile,
    insecurePort: flags.insecurePort,
    serviceClusterIpRange: flags.serviceClusterIpRange,
    serviceNodePortRange: flags.serviceNodePortRange,
    advertiseAddress: flags.advertiseAddress,
    minRequestTimeoutSeconds: flags.minRequestTimeout,
    etcdCompactionIntervalMs: flags.etcdCompactionInterval,
    watchCacheSize: flags.defaultWatchCacheSize,
    defaultTolerationSeconds: { notReady: flags.defaultNotReadyTolerationSeconds, unreachable: flags.defaultUnreachableTolerationSeconds },
    kubeletClientCertFile: kubeletClientCert,
    kubeletClientKeyFile: kubeletClientKey,
    kubeletCertificateAuthority: flags.kubeletCertificateAuthority,
    kubeletPreferredAddressTypes: flags.kubeletPreferredAddressTypes,
    serviceAccountSigningKeyFile: flags.serviceAccountSigningKeyFile,
    serviceAccountIssuer: flags.serviceAccountIssuer,
    logger,
  });
  if (flags.writeKubeconfig) {
    const host = flags.bindAddress === '0.0.0.0' ? '127.0.0.1' : flags.bindAddress;
    const port = new URL(server.secureUrl ?? server.url).port;
    writeKubeconfig(flags.writeKubeconfig, `https://${host}:${port}`, certFile);
    logger.info({ path: flags.writeKubeconfig }, 'wrote kubeconfig');
  }
  exitOnSignals(logger, () => server.close());
}

main().catch((e: unknown) => {
  process.stderr.write(`k8ts-apiserver: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
