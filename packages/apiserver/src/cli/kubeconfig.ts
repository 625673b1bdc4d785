// An admin kubeconfig for kubectl and client libraries, trusting the serving certificate.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function writeKubeconfig(path: string, server: string, caFile: string | undefined): void {
  const cluster: Record<string, unknown> = { server };
  if (server.startsWith('https://') && caFile) cluster['certificate-authority-data'] = readFileSync(caFile).toString('base64');
  if (server.startsWith('http://')) cluster['insecure-skip-tls-verify'] = true;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster }],
    // A bearer token so kubectl does not prompt for basic auth; authentication is the later RBAC issue's seam.
    users: [{ name: 'k8ts-admin', user: { token: 'k8ts-admin' } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts-admin', namespace: 'default' } }],
    'current-context': 'k8ts',
    preferences: {},
  };
  // Written aside and renamed: whoever waits for the file never reads it half-written.
  const partial = `${path}.partial`;
  writeFileSync(partial, stringify(doc), { mode: 0o600 });
  renameSync(partial, path);
}
