// @kubernetes/client-node's Exec and PortForward through the apiserver to a real kubelet and a real container
// (kubectl-wire.md §11, §12: the JS client speaks WebSocket v5/v4 channels for both).
import { createServer, type AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import t from 'tap';
import { Exec, KubeConfig, PortForward, type V1Status } from '@kubernetes/client-node';
import type { corev1 } from '@k8ts/api-machinery';
import { KubeClient, refs } from '@k8ts/client';
import { eventually, startControlPlane, startKubeletProcess } from '@k8ts/testing';
import { requireDocker } from '../helpers/docker.js';

const NODE = 'client-node-e2e';

t.test('client-node Exec and PortForward reach a container through apiserver and kubelet', async (t) => {
  if (!(await requireDocker(t))) return;
  const cp = await startControlPlane('k8ts', { members: 1 });
  t.teardown(() => cp.stop());
  const kubelet = await startKubeletProcess({ kubeconfig: cp.kubeconfig, nodeName: NODE, podCIDR: '10.244.214.0/24' });
  t.teardown(() => kubelet.stop());

  const pod: corev1.Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', namespace: 'default' },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'k8ts/test-app:0.1', imagePullPolicy: 'IfNotPresent' }] },
  };
  const pods = KubeClient.fromKubeconfig(cp.kubeconfig).resource<corev1.Pod>(refs.pods).namespace('default');
  await pods.create(pod);
  t.teardown(async () => {
    await pods.delete('app', { gracePeriodSeconds: 0 }).catch(() => undefined);
  });
  await eventually('pod app ready', () => pods.get('app'), (p) => p.status?.containerStatuses?.[0]?.ready === true, 60_000);

  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfig);

  const collect = (): { stream: Writable; text: () => string } => {
    let text = '';
    return {
      stream: new Writable({
        write(chunk: Buffer, _enc, cb) {
          text += chunk.toString();
          cb();
        },
      }),
      text: () => text,
    };
  };

  // Exec: output on the right streams, the exit code in the status.
  const out = collect();
  const err = collect();
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc).exec('default', 'app', 'app', ['sh', '-c', 'echo out; echo err >&2; exit 2'], out.stream, err.stream, null, false, resolve).catch(reject);
  });
  t.equal(out.text(), 'out\n');
  t.equal(err.text(), 'err\n');
  t.equal(status.status, 'Failure');
  t.equal(status.reason, 'NonZeroExitCode');
  t.equal(status.details?.causes?.[0]?.message, '2', 'exit code 2');

  // stdin through Exec.
  const catOut = collect();
  const stdin = new PassThrough();
  const catStatus = new Promise<V1Status>((resolve, reject) => {
    new Exec(kc).exec('default', 'app', 'app', ['cat'], catOut.stream, null, stdin, false, resolve).catch(reject);
  });
  stdin.write('hello through stdin\n');
  stdin.end();
  t.equal((await catStatus).status, 'Success');
  t.equal(catOut.text(), 'hello through stdin\n');

  // PortForward: a local listener whose connections are forwarded to the pod's port 8080.
  const forward = new PortForward(kc);
  const server = createServer((socket) => {
    void forward.portForward('default', 'app', [8080], socket, null, socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as AddressInfo).port;
  const res = await fetch(`http://127.0.0.1:${port}/hostname`, { headers: { connection: 'close' } });
  t.equal(res.status, 200);
  t.equal((await res.text()).trim(), 'app', "the test app's hostname is the pod name");
});
