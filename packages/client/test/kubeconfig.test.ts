// Kubeconfig files as kubectl writes them: contexts, inline and file credentials, relative paths, merging, errors.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError, connectionFromUrl, defaultKubeconfigPaths, inClusterConnection, loadKubeconfig, parseKubeconfig } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
write('ca.crt', CA);
write('client.crt', 'CERT-FROM-FILE');
write('client.key', 'KEY-FROM-FILE');
write('token', 'token-from-file\n');

const main = write(
  'config',
  `apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: k8ts
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(CA)}
- name: files
  cluster:
    server: https://10.0.0.1:6443/prefix
    certificate-authority: ca.crt
    tls-server-name: kubernetes.default
- name: lab
  cluster:
    server: http://127.0.0.1:8080
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: secret-token
- name: certs
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
- name: cert-files
  user:
    client-certificate: client.crt
    client-key: ${join(dir, 'client.key')}
- name: token-file
  user:
    tokenFile: token
- name: exec
  user:
    exec:
      command: aws
contexts:
- name: admin
  context: { cluster: k8ts, user: admin, namespace: team-a }
- name: certs
  context: { cluster: files, user: certs }
- name: cert-files
  context: { cluster: files, user: cert-files }
- name: token-file
  context: { cluster: lab, user: token-file }
- name: no-user
  context: { cluster: lab }
- name: exec
  context: { cluster: k8ts, user: exec }
- name: bad-cluster
  context: { cluster: nowhere, user: admin }
- name: bad-user
  context: { cluster: k8ts, user: nobody }
`,
);

t.test('current context: server, inline CA, token, namespace', async (t) => {
  const c = loadKubeconfig(main);
  t.equal(c.server, 'https://127.0.0.1:6443');
  t.equal(c.ca, CA);
  t.equal(c.token, 'secret-token');
  t.equal(c.namespace, 'team-a');
  t.equal(c.contextName, 'admin');
  t.equal(c.insecureSkipTLSVerify, false);
});

t.test('named contexts: client certificates inline and from files (relative to the kubeconfig), tls-server-name', async (t) => {
  const certs = loadKubeconfig(main, { context: 'certs' });
  t.equal(certs.server, 'https://10.0.0.1:6443/prefix');
  t.equal(certs.ca, CA, 'certificate-authority file, relative path');
  t.equal(certs.tlsServerName, 'kubernetes.default');
  t.equal(certs.clientCertificate, 'CERT');
  t.equal(certs.clientKey, 'KEY');
  t.equal(certs.namespace, 'default', 'no namespace in the context means default');
  const files = loadKubeconfig(main, { context: 'cert-files' });
  t.equal(files.clientCertificate, 'CERT-FROM-FILE');
  t.equal(files.clientKey, 'KEY-FROM-FILE');
});

t.test('token files and insecure clusters; a context without a user', async (t) => {
  const c = loadKubeconfig(main, { context: 'token-file' });
  t.equal(c.tokenFile, join(dir, 'token'));
  t.equal(c.token, undefined);
  t.equal(c.insecureSkipTLSVerify, true);
  t.equal(c.server, 'http://127.0.0.1:8080');
  const anon = loadKubeconfig(main, { context: 'no-user' });
  t.equal(anon.token, undefined);
  t.equal(anon.clientCertificate, undefined);
});

t.test('clear errors', async (t) => {
  t.throws(() => loadKubeconfig(main, { context: 'missing' }), { name: 'KubeconfigError', message: /context "missing" not found \(contexts: admin, certs/ });
  t.throws(() => loadKubeconfig(main, { context: 'bad-cluster' }), /cluster "nowhere" \(of context "bad-cluster"\) not found/);
  t.throws(() => loadKubeconfig(main, { context: 'bad-user' }), /user "nobody" \(of context "bad-user"\) not found/);
  t.throws(() => loadKubeconfig(main, { context: 'exec' }), /exec\/auth-provider credentials/);
  t.throws(() => loadKubeconfig(join(dir, 'nope')), /does not exist/);
  t.throws(() => parseKubeconfig('clusters: []\ncontexts: []\n'), /no current-context/);
  t.throws(() => parseKubeconfig(': : :\n  - ['), KubeconfigError);
  t.throws(() => parseKubeconfig('current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {}\n'), /has no server/);
  t.throws(
    () => parseKubeconfig('current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: "not a url"}\n'),
    /invalid server URL/,
  );
  const badCa = write('bad-ca', 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: "https://h", certificate-authority: missing.crt}\n');
  t.throws(() => loadKubeconfig(badCa), /cannot read certificate-authority/);
});

t.test('several files merge: the first to define a name or current-context wins', async (t) => {
  const overlay = write(
    'overlay',
    `current-context: lab
clusters:
- name: k8ts
  cluster: { server: https://shadowed:1 }
contexts:
- name: lab
  context: { cluster: k8ts, user: admin }
`,
  );
  const c = loadKubeconfig([overlay, join(dir, 'absent'), main]);
  t.equal(c.contextName, 'lab');
  t.equal(c.server, 'https://shadowed:1');
  t.equal(c.token, 'secret-token', 'the user comes from the second file');
  t.same(defaultKubeconfigPaths({ KUBECONFIG: `${overlay}:${main}` }), [overlay, main]);
  t.match(defaultKubeconfigPaths({})[0], /\.kube\/config$/);
});

t.test('connectionFromUrl and in-cluster', async (t) => {
  const c = connectionFromUrl('https://127.0.0.1:1234', { token: 't', ca: CA });
  t.same(c, { server: 'https://127.0.0.1:1234', namespace: 'default', token: 't', ca: CA });
  t.throws(() => connectionFromUrl('nope'));
  const sa = mkdtempSync(join(dir, 'sa-'));
  writeFileSync(join(sa, 'token'), 'sa-token');
  writeFileSync(join(sa, 'ca.crt'), CA);
  writeFileSync(join(sa, 'namespace'), 'kube-system\n');
  const ic = inClusterConnection({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, sa);
  t.same(ic, { server: 'https://10.96.0.1:443', tokenFile: join(sa, 'token'), ca: CA, namespace: 'kube-system' });
  t.equal(inClusterConnection({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, sa).server, 'https://[fd00::1]:443');
  t.throws(() => inClusterConnection({}, sa), /not running in a cluster/);
});
