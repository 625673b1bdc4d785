// A self-signed serving certificate when none is given, made with the openssl command line (Node has no X.509
// generation). Its subject alternative names cover loopback, the advertise address and the kubernetes Service names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function ensureServingCert(certDir: string, ips: string[]): { certFile: string; keyFile: string } {
  const certFile = join(certDir, 'apiserver.crt');
  const keyFile = join(certDir, 'apiserver.key');
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile };
  mkdirSync(certDir, { recursive: true });
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const san = [...new Set(ips)].map((ip) => `IP:${ip}`).concat(dns.map((d) => `DNS:${d}`)).join(',');
  const config = join(certDir, 'openssl.cnf');
  writeFileSync(
    config,
    `[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=k8ts-apiserver\n[ext]\nsubjectAltName=${san}\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyCertSign\nextendedKeyUsage=serverAuth\n`,
  );
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-keyout', keyFile, '-out', certFile, '-config', config], { stdio: 'ignore' });
  return { certFile, keyFile };
}
