// The real kubectl against k8ts-apiserver: `kubectl apply -f` of a `kind: List` validates every item client-side
// with the OpenAPI v2 document it fetches as gnostic protobuf from /openapi/v2, so the definitions must parse and be
// findable by group/version/kind. Plus the endpoint's content negotiation and caching as plain HTTP.
import t from 'tap';
import { startControlPlane, type ControlPlane } from '@k8ts/testing';
import { WireReader } from '../../src/protobuf/wire.js';

const PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

function list(opts: { mode: string; replicas: string; extraSpec?: string; name?: string }): string {
  const name = opts.name ?? 'l-web';
  return `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: l-settings
    labels: {suite: openapi-v2}
  data:
    mode: ${opts.mode}
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${name}
    labels: {suite: openapi-v2}
  spec:
    replicas: ${opts.replicas}${opts.extraSpec ?? ''}
    selector:
      matchLabels: {app: ${name}}
    strategy:
      type: RollingUpdate
      rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
    template:
      metadata:
        labels: {app: ${name}}
      spec:
        containers:
        - name: main
          image: busybox:1.36
          ports:
          - containerPort: 8080
            protocol: TCP
          resources:
            limits: {cpu: 100m, memory: 64Mi}
`;
}

t.test('kubectl apply of a kind: List validates with /openapi/v2', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  t.teardown(() => cp.stop());
  const run = (args: string[], input?: string) => cp.kubectl(args, input === undefined ? {} : { input });
  const ok = (args: string[], input?: string): string => {
    const r = run(args, input);
    if (r.code !== 0) t.fail(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}\n${cp.logs().slice(-3000)}`);
    return r.stdout;
  };

  t.test('a List of a ConfigMap and a Deployment is created, then configured', async (t) => {
    const created = run(['apply', '-f', '-', '-v=6'], list({ mode: 'fast', replicas: '2' }));
    t.equal(created.code, 0, created.stderr);
    t.match(created.stderr, /GET https:\/\/\S+\/openapi\/v2\S* 200 OK/, 'kubectl fetched the v2 document');
    t.match(created.stdout, /^configmap\/l-settings created$/m);
    t.match(created.stdout, /^deployment\.apps\/l-web created$/m);
    t.equal(ok(['get', 'deploy', 'l-web', '-o', 'jsonpath={.spec.replicas}']), '2');

    const changed = run(['apply', '-f', '-'], list({ mode: 'slow', replicas: '3' }));
    t.equal(changed.code, 0, changed.stderr);
    t.match(changed.stdout, /^configmap\/l-settings configured$/m);
    t.match(changed.stdout, /^deployment\.apps\/l-web configured$/m);
    t.equal(ok(['get', 'cm', 'l-settings', '-o', 'jsonpath={.data.mode}']), 'slow');
    t.equal(ok(['get', 'deploy', 'l-web', '-o', 'jsonpath={.spec.replicas}']), '3');

    const again = run(['apply', '-f', '-'], list({ mode: 'slow', replicas: '3' }));
    t.equal(again.code, 0, again.stderr);
    t.match(again.stdout, /^configmap\/l-settings unchanged$/m);
    t.match(again.stdout, /^deployment\.apps\/l-web unchanged$/m);
  });

  t.test('`kubectl get -o yaml` output (a List with server-set fields) applies back', async (t) => {
    const yaml = ok(['get', 'cm,deploy', '-l', 'suite=openapi-v2', '-o', 'yaml']);
    t.match(yaml, /^kind: List$/m);
    // Server-set metadata and defaulted fields are part of what kubectl validates.
    for (const field of [/uid: /, /resourceVersion: /, /creationTimestamp: /, /progressDeadlineSeconds: 600/, /terminationMessagePolicy: File/]) t.match(yaml, field);
    const r = run(['apply', '-f', '-'], yaml);
    t.equal(r.code, 0, r.stderr);
    t.notMatch(r.stderr, /error validating/);
    // uid, resourceVersion… now go into the last-applied annotation, so kubectl may report "configured" (as it
    // does against kube-apiserver); what matters is that the file validates and nothing else changes.
    t.match(r.stdout, /^configmap\/l-settings (configured|unchanged)$/m);
    t.match(r.stdout, /^deployment\.apps\/l-web (configured|unchanged)$/m);
    t.equal(ok(['get', 'cm', 'l-settings', '-o', 'jsonpath={.data.mode}']), 'slow');
    t.equal(ok(['get', 'deploy', 'l-web', '-o', 'jsonpath={.spec.replicas}']), '3');
  });

  t.test('an unknown field in a List item is a client-side validation error', async (t) => {
    const bad = list({ mode: 'fast', replicas: '1', name: 'l-unknown', extraSpec: '\n    replicaz: 2' });
    const r = run(['apply', '-f', '-', '-v=6'], bad);
    t.not(r.code, 0, 'kubectl refuses the file');
    t.match(r.stderr, /error validating data: ValidationError\(Deployment\.spec\): unknown field "replicaz" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    t.notMatch(r.stderr, /POST https:/, 'nothing was sent to the server');
    t.not(run(['get', 'deploy', 'l-unknown']).code, 0, 'the deployment was not created');

    const r2 = run(['apply', '-f', '-', '--validate=false'], bad);
    t.equal(r2.code, 0, r2.stderr);
    t.match(r2.stdout, /^deployment\.apps\/l-unknown created$/m);
  });

  t.test('a wrongly typed field in a List item is a client-side validation error', async (t) => {
    const r = run(['apply', '-f', '-'], list({ mode: 'fast', replicas: '"three"', name: 'l-typed' }));
    t.not(r.code, 0);
    t.match(r.stderr, /ValidationError\(Deployment\.spec\.replicas\): invalid type for io\.k8s\.api\.apps\.v1\.DeploymentSpec\.replicas: got "string", expected "integer"/);
    t.not(run(['get', 'deploy', 'l-typed']).code, 0);
  });

  t.test('GET /openapi/v2: protobuf when asked for, JSON otherwise, ETag and 304', async (t) => {
    const pb = await fetch(`${cp.httpUrl}/openapi/v2`, { headers: { accept: PROTOBUF_ACCEPT } });
    t.equal(pb.status, 200);
    t.equal(pb.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    t.match(pb.headers.get('vary') ?? '', /Accept/);
    const body = new Uint8Array(await pb.arrayBuffer());
    const r = new WireReader(body);
    t.same(r.tag(), { field: 1, wireType: 2 }, 'Document.swagger first');
    t.equal(r.string(), '2.0');

    const json = await fetch(`${cp.httpUrl}/openapi/v2`);
    t.equal(json.status, 200);
    t.match(json.headers.get('content-type') ?? '', /^application\/json/);
    const doc = (await json.json()) as { swagger: string; definitions: Record<string, unknown> };
    t.equal(doc.swagger, '2.0');
    t.ok(doc.definitions['io.k8s.api.core.v1.Pod']);

    const etag = json.headers.get('etag');
    t.match(etag ?? '', /^"[0-9A-F]{128}"$/);
    t.equal(pb.headers.get('etag'), etag, 'one ETag for both representations (they vary by Accept)');
    const cached = await fetch(`${cp.httpUrl}/openapi/v2`, { headers: { accept: PROTOBUF_ACCEPT, 'if-none-match': etag ?? '' } });
    t.equal(cached.status, 304);
    t.equal((await cached.arrayBuffer()).byteLength, 0);
    const stale = await fetch(`${cp.httpUrl}/openapi/v2`, { headers: { 'if-none-match': '"OLD"' } });
    t.equal(stale.status, 200);
    await stale.arrayBuffer();

    const html = await fetch(`${cp.httpUrl}/openapi/v2`, { headers: { accept: 'text/html' } });
    t.equal(html.status, 406);
    await html.arrayBuffer();
  });
});
