// The Endpoints and EndpointSlice controllers in a real k8ts-controller-manager against a real apiserver: a Service's
// Endpoints and EndpointSlices follow its pods (ready, not ready, deleted), named target ports, headless Services and
// publishNotReadyAddresses; a deleted Service's slices go with it (garbage collector).
import t from 'tap';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';



interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace: string; uid: string };
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Array<{ name?: string; port: number; protocol: string }>;
}
interface EndpointsJson {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  subsets?: Subset[];
}
interface SliceJson {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  addressType: string;
  endpoints?: Array<{ addresses: string[]; conditions: { ready?: boolean; serving?: boolean; terminating?: boolean }; targetRef?: { name: string }; nodeName?: string; zone?: string; hostname?: string }>;
  ports?: Array<{ name?: string; port: number; protocol: string }>;
}

const podYaml = (name: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec:
  nodeName: n1${extra}
  containers: [{name: c, image: busybox, ports: [{name: http, containerPort: 8080}]}]
`;

t.test('endpoint and endpointslice controllers', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  let manager: ComponentProcess | undefined;
  let node: HollowNode | undefined;
  t.teardown(async () => {
    await node?.stop();
    if (process.env['K8TS_SHOW_LOGS'] && manager) process.stderr.write(manager.logs());
    await manager?.kill();
    await cp.stop();
  });
  const ok = (args: string[], input?: string): string => {
    const r = cp.kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = <T>(args: string[]): T | undefined => {
    const r = cp.kubectl([...args, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
  };
  const endpoints = (name: string): EndpointsJson | undefined => json<EndpointsJson>(['get', 'endpoints', name]);
  const slices = (service: string): SliceJson[] => json<{ items: SliceJson[] }>(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`])?.items ?? [];
  const names = (addrs: Address[] | undefined): string[] => (addrs ?? []).map((a) => a.targetRef?.name ?? '').sort();
  const setPodReady = async (pod: string, status: 'True' | 'False'): Promise<void> => {
    const res = await fetch(`${cp.httpUrl}/api/v1/namespaces/default/pods/${pod}/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({ status: { conditions: [{ type: 'Ready', status, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }] } }),
    });
    if (!res.ok) throw new Error(`pod status patch: ${res.status} ${await res.text()}`);
  };

  node = await startHollowNode({ apiUrl: cp.httpUrl, name: 'n1', zone: 'zone-a' });
  manager = await startComponent('controller-manager', { kubeconfig: cp.kubeconfig, args: ['--controllers', 'endpoint,endpointslice,garbagecollector'] });

  ok(['apply', '-f', '-'], podYaml('web-0') + '---\n' + podYaml('web-1'));
  await node.waitForPods((p) => p.filter((x) => x.phase === 'Running').length === 2, 20_000);
  ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {team: blue}}\nspec:\n  selector: {app: web}\n  ports: [{name: web, port: 80, targetPort: http}]\n');

  t.test('Endpoints and EndpointSlices of ready pods, on the named target port', async (t) => {
    const ep = await eventually('2 ready addresses', () => endpoints('web'), (e) => names(e?.subsets?.[0]?.addresses).length === 2);
    t.same(names(ep!.subsets![0]!.addresses), ['web-0', 'web-1']);
    t.same(ep!.subsets![0]!.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }], 'the named port resolved to the container port');
    t.equal(ep!.subsets![0]!.addresses![0]!.nodeName, 'n1');
    t.match(ep!.subsets![0]!.addresses![0]!.ip, /^10\.244\./);
    t.equal(ep!.metadata.labels?.['team'], 'blue', "the Service's labels");
    t.match(ep!.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT/);

    const [slice] = await eventually('a slice with 2 endpoints', () => slices('web'), (s) => s.length === 1 && (s[0]!.endpoints ?? []).length === 2);
    t.equal(slice!.addressType, 'IPv4');
    t.match(slice!.metadata.name, /^web-[a-z0-9]{5}$/);
    t.equal(slice!.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    t.equal(slice!.metadata.labels?.['team'], 'blue');
    t.same(slice!.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.controller]), [['Service', 'web', true]]);
    t.same(slice!.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    for (const e of slice!.endpoints!) {
      t.same(e.conditions, { ready: true, serving: true, terminating: false });
      t.equal(e.nodeName, 'n1');
      t.equal(e.zone, 'zone-a', "the Node's zone");
    }
    const table = ok(['get', 'endpoints', 'web']);
    t.match(table, /web\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080/, 'kubectl get endpoints');
  });

  t.test('a pod turning not ready moves to notReadyAddresses; ready: false in its slice', async (t) => {
    await setPodReady('web-1', 'False');
    const ep = await eventually('web-1 not ready', () => endpoints('web'), (e) => (e?.subsets ?? []).some((s) => names(s.notReadyAddresses).includes('web-1')));
    t.same(names(ep!.subsets!.flatMap((s) => s.addresses ?? [])), ['web-0']);
    const [slice] = await eventually('slice not ready', () => slices('web'), (s) => (s[0]?.endpoints ?? []).some((e) => e.targetRef?.name === 'web-1' && e.conditions.ready === false));
    t.same(slice!.endpoints!.find((e) => e.targetRef?.name === 'web-1')!.conditions, { ready: false, serving: false, terminating: false });
    await setPodReady('web-1', 'True');
    await eventually('web-1 ready again', () => endpoints('web'), (e) => names(e?.subsets?.[0]?.addresses).length === 2);
  });

  t.test('a deleted pod leaves both', async (t) => {
    // --wait=false: kubectl runs synchronously here, and the hollow node (in this process) must finish the deletion.
    ok(['delete', 'pod', 'web-0', '--wait=false']);
    const ep = await eventually('only web-1', () => endpoints('web'), (e) => names((e?.subsets ?? []).flatMap((s) => s.addresses ?? [])).join() === 'web-1');
    t.equal((ep!.subsets ?? []).length, 1);
    const s = await eventually('slice without web-0', () => slices('web'), (x) => x.length === 1 && (x[0]!.endpoints ?? []).length === 1);
    t.equal(s[0]!.endpoints![0]!.targetRef?.name, 'web-1');
  });

  t.test('publishNotReadyAddresses lists not-ready pods as ready', async (t) => {
    ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: web-pub}\nspec:\n  publishNotReadyAddresses: true\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n');
    await setPodReady('web-1', 'False');
    await eventually('web still sees it not ready', () => endpoints('web'), (e) => (e?.subsets ?? []).some((s) => names(s.notReadyAddresses).includes('web-1')));
    const ep = await eventually('web-pub lists web-1 as ready', () => endpoints('web-pub'), (e) => names(e?.subsets?.[0]?.addresses).includes('web-1'));
    t.notOk(ep!.subsets![0]!.notReadyAddresses, 'no not-ready addresses');
    const [slice] = await eventually('web-pub slice', () => slices('web-pub'), (s) => (s[0]?.endpoints ?? []).length === 1);
    t.same(slice!.endpoints![0]!.conditions, { ready: true, serving: false, terminating: false }, 'ready because published, not serving');
    await setPodReady('web-1', 'True');
  });

  t.test('a headless Service without ports; pod hostnames', async (t) => {
    ok(['apply', '-f', '-'], podYaml('web-2', '\n  hostname: web-2\n  subdomain: web-headless'));
    await node!.waitForPods((p) => p.some((x) => x.name === 'web-2' && x.phase === 'Running'), 20_000);
    ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: web-headless}\nspec:\n  clusterIP: None\n  selector: {app: web}\n');
    const ep = await eventually('headless endpoints', () => endpoints('web-headless'), (e) => names(e?.subsets?.[0]?.addresses).length === 2);
    t.notOk(ep!.subsets![0]!.ports, 'no ports');
    t.equal(ep!.metadata.labels?.['service.kubernetes.io/headless'], '', 'the headless label');
    t.equal(ep!.subsets![0]!.addresses!.find((a) => a.targetRef?.name === 'web-2')?.hostname, 'web-2', 'hostname from the pod naming the Service as subdomain');
    const [slice] = await eventually('headless slice', () => slices('web-headless'), (s) => (s[0]?.endpoints ?? []).length === 2);
    t.equal(slice!.metadata.labels?.['service.kubernetes.io/headless'], '');
    t.same(slice!.ports ?? [], []);
    t.equal(slice!.endpoints!.find((e) => e.targetRef?.name === 'web-2')?.hostname, 'web-2');
  });

  t.test('a Service without pods has an empty placeholder slice; a deleted Service takes its slices along', async (t) => {
    ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec:\n  selector: {app: nobody}\n  ports: [{port: 80}]\n');
    const [placeholder] = await eventually('placeholder slice', () => slices('lonely'), (s) => s.length === 1);
    t.same(placeholder!.endpoints ?? [], [], 'no endpoints');
    const ep = await eventually('empty endpoints', () => endpoints('lonely'), (e) => e !== undefined);
    t.same(ep!.subsets ?? [], []);
    ok(['delete', 'service', 'web']);
    await eventually('Endpoints deleted', () => endpoints('web'), (e) => e === undefined);
    await eventually('slices garbage-collected', () => slices('web'), (s) => s.length === 0);
    t.pass('gone');
    const kubernetes = endpoints('kubernetes');
    t.ok((kubernetes?.subsets?.[0]?.addresses ?? []).length > 0, "the apiserver's own kubernetes Endpoints are left alone");
    // The apiserver keeps the kubernetes EndpointSlice itself; the controller does not manage (or fight over) it.
    const apiserverSlices = slices('kubernetes');
    t.equal(apiserverSlices.length, 1, "the apiserver's kubernetes EndpointSlice");
    t.notOk(
      (apiserverSlices[0] as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'],
      'not claimed by the endpointslice controller',
    );
  });

  t.test('a slice deleted by hand is recreated', async (t) => {
    const [before] = slices('web-pub');
    ok(['delete', 'endpointslice', before!.metadata.name]);
    const after = await eventually('recreated', () => slices('web-pub'), (s) => s.length === 1 && s[0]!.metadata.name !== before!.metadata.name);
    t.equal((after[0]!.endpoints ?? []).length, 2);
  });
});
