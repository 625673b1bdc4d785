// --runtime=hollow: a Node that registers, heartbeats and reports its pods Running without any container, labelled
// as hollow so nobody mistakes it for a real one.
import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import { KubeClient, refs, type Lease } from '@k8ts/client';
import { eventually, startControlPlane, startKubeletProcess } from '@k8ts/testing';

t.test('a hollow kubelet registers, renews its lease, runs and deletes pods', async (t) => {
  const cp = await startControlPlane('k8ts', { members: 1 });
  t.teardown(() => cp.stop());
  const kubelet = await startKubeletProcess({
    kubeconfig: cp.kubeconfig,
    nodeName: 'hollow-1',
    podCIDR: '10.244.216.0/24',
    args: ['--runtime', 'hollow', '--node-lease-duration-seconds', '4'],
  });
  t.teardown(() => kubelet.stop());
  const client = KubeClient.fromKubeconfig(cp.kubeconfig);

  const node = await eventually('node registered', () => client.resource<corev1.Node>(refs.nodes).get('hollow-1').catch(() => undefined), (n) => n !== undefined, 20_000);
  t.equal(node?.metadata?.labels?.['k8ts.io/hollow-node'], 'true');
  t.match(node?.status?.nodeInfo?.kubeletVersion, /-hollow$/);
  t.equal(node?.status?.nodeInfo?.containerRuntimeVersion, 'hollow://k8ts');
  t.ok(node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), 'Ready');

  const leases = client.resource<Lease>(refs.leases).namespace('kube-node-lease');
  const first = (await eventually('lease', () => leases.get('hollow-1').catch(() => undefined), (l) => l !== undefined, 10_000))?.spec?.renewTime;
  await eventually('lease renewed', () => leases.get('hollow-1'), (l) => l.spec?.renewTime !== first, 10_000);

  const pods = client.resource<corev1.Pod>(refs.pods).namespace('default');
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ghost', namespace: 'default' }, spec: { nodeName: 'hollow-1', containers: [{ name: 'c', image: 'nothing:real' }] } });
  const running = await eventually('pod Running', () => pods.get('ghost'), (p) => p.status?.phase === 'Running', 20_000);
  t.match(running.status?.podIP, /^10\.244\.216\./, 'an IP from the podCIDR');
  t.equal(running.status?.containerStatuses?.[0]?.ready, true);

  await pods.delete('ghost');
  await eventually('pod gone', () => pods.get('ghost').then(() => false, () => true), (gone) => gone, 20_000);
});
