import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import {
  containerLabels,
  containerName,
  hashContainer,
  parseContainerLabels,
  parseContainerName,
  sandboxLabels,
  sandboxName,
} from '../../src/pods/naming.js';

const pod: corev1.Pod = {
  metadata: { name: 'web-0', namespace: 'shop', uid: 'u-123', annotations: { note: 'x' } },
  spec: {
    terminationGracePeriodSeconds: 5,
    initContainers: [{ name: 'setup', image: 'busybox:1.36' }],
    containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '1'] }],
  },
};

t.test('docker names follow k8s_<container>_<pod>_<ns>_<uid>_<attempt>', async (t) => {
  t.equal(containerName(pod, { name: 'app' }, 3), 'k8s_app_web-0_shop_u-123_3');
  t.equal(sandboxName(pod), 'k8s_POD_web-0_shop_u-123_0');
  t.same(parseContainerName('/k8s_app_web-0_shop_u-123_3'), { containerName: 'app', podName: 'web-0', namespace: 'shop', podUid: 'u-123', attempt: 3, isSandbox: false });
  t.equal(parseContainerName('/k8s_POD_web-0_shop_u-123_1')?.isSandbox, true);
  t.equal(parseContainerName('/my_container'), undefined);
  t.equal(parseContainerName('/k8s_a_b_c_d_x'), undefined);
});

t.test('labels round-trip into a ContainerKey', async (t) => {
  const app = pod.spec!.containers[0]!;
  const labels = containerLabels(pod, app, { nodeName: 'node-1', attempt: 2 });
  t.equal(labels['io.kubernetes.docker.type'], 'container');
  t.equal(labels['io.kubernetes.pod.terminationGracePeriod'], '5');
  t.equal(labels['k8ts.node'], 'node-1');
  t.equal(labels['annotation.note'], 'x');
  t.same(parseContainerLabels(labels), {
    podUid: 'u-123', podName: 'web-0', namespace: 'shop', containerName: 'app', attempt: 2, isSandbox: false, isInit: false,
    hash: hashContainer(app), nodeName: 'node-1', terminationGracePeriodSeconds: 5,
  });
  const init = parseContainerLabels(containerLabels(pod, pod.spec!.initContainers![0]!, { nodeName: 'node-1', attempt: 0 }));
  t.equal(init?.isInit, true);
  const sandbox = parseContainerLabels(sandboxLabels(pod, 'node-1', 1));
  t.match(sandbox, { isSandbox: true, containerName: 'POD', attempt: 1, hash: '', isInit: false });
  t.equal(parseContainerLabels({ 'com.example': 'x' }), undefined);
  t.equal(parseContainerLabels(null), undefined);
});

t.test('the container hash is stable across key order and changes with the spec', async (t) => {
  const a: corev1.Container = { name: 'app', image: 'busybox:1.36', env: [{ name: 'A', value: '1' }] };
  const reordered = JSON.parse('{"env":[{"value":"1","name":"A"}],"image":"busybox:1.36","name":"app"}') as corev1.Container;
  t.equal(hashContainer(a), hashContainer(reordered));
  t.match(hashContainer(a), /^[0-9a-f]{1,8}$/);
  t.not(hashContainer(a), hashContainer({ ...a, image: 'busybox:1.37' }));
  t.not(hashContainer(a), hashContainer({ ...a, env: [{ name: 'A', value: '2' }] }));
});
