// A self-signed serving certificate when none is given, made with the openssl command line (Node has no X.509
// generation). Its subject alternative names cover loopback, the advertise address and the kubernetes Service names.
// It is a CA too: it signs the kubelet-client certificate, so kubelets trust the apiserver by the same CA (the
// certificate-authority-data of the kubeconfig this apiserver writes).
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
    `[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=k8ts-apiserver\n[ext]\nsubjectAltName=${san}\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyCertSign\nextendedKeyUsage=serverAuth,clientAuth\n`,
  );
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-keyout', keyFile, '-out', certFile, '-config', config], { stdio: 'ignore' });
  return { certFile, keyFile };
}

/**
 * The certificate the apiserver presents to kubelets (CN kube-apiserver-kubelet-client, O system:masters, client
 * auth), signed by `caCert`/`caKey`, kept in `certDir` like kubeadm's apiserver-kubelet-client.crt.
 */
export function ensureKubeletClientCert(certDir: string, caCert: string, caKey: string): { certFile: string; keyFile: string } {
  const certFile = join(certDir, 'apiserver-kubelet-client.crt');
  const keyFile = join(certDir, 'apiserver-kubelet-client.key');
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile };
  mkdirSync(certDir, { recursive: true });
  const csr = join(certDir, 'apiserver-kubelet-client.csr');
  const ext = join(certDir, 'apiserver-kubelet-client.ext');
  writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', '/O=system:masters/CN=kube-apiserver-kubelet-client'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${Date.now().toString(16)}`, '-days', '3650', '-out', certFile, '-extfile', ext], { stdio: 'ignore' });
  return { certFile, keyFile };
}
