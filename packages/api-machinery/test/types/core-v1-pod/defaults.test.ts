import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import { defaultPullPolicy, imageTag, podModule } from '../../../src/types/core-v1/pod.js';
import { podRegistry, V1 } from './helpers/pod-test-kit.js';

const hook = (name: string): ((o: JsonObject) => void) => {
  const d = podModule.defaulters?.[`${V1}.${name}`];
  if (!d) throw new Error(`no defaulter for ${name}`);
  return d;
};

t.test('image tags as ParseImageName sees them', async (t) => {
  t.equal(imageTag('nginx'), 'latest', 'no tag means latest');
  t.equal(imageTag('nginx:1.27'), '1.27');
  t.equal(imageTag('nginx:latest'), 'latest');
  t.equal(imageTag('registry.example:5000/team/app'), 'latest', 'a registry port is not a tag');
  t.equal(imageTag('registry.example:5000/team/app:v2'), 'v2');
  t.equal(imageTag(`nginx@sha256:${'a'.repeat(64)}`), '', 'digest only: no tag');
  t.equal(imageTag(`nginx:latest@sha256:${'a'.repeat(64)}`), 'latest');
  t.equal(imageTag('Nginx:1.0'), '', 'uppercase repository names do not parse');
  t.equal(imageTag(''), '');
  t.equal(defaultPullPolicy('nginx'), 'Always');
  t.equal(defaultPullPolicy('nginx:latest'), 'Always');
  t.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
  t.equal(defaultPullPolicy(`nginx@sha256:${'b'.repeat(64)}`), 'IfNotPresent');
  t.equal(defaultPullPolicy(''), 'IfNotPresent');
});

t.test('Container and EphemeralContainer: imagePullPolicy from the image, kept when set', async (t) => {
  for (const kind of ['Container', 'EphemeralContainer']) {
    const c: JsonObject = { name: 'a', image: 'busybox' };
    hook(kind)(c);
    t.equal(c.imagePullPolicy, 'Always', kind);
    const pinned: JsonObject = { name: 'a', image: 'busybox:1.36' };
    hook(kind)(pinned);
    t.equal(pinned.imagePullPolicy, 'IfNotPresent', kind);
    const explicit: JsonObject = { name: 'a', image: 'busybox', imagePullPolicy: 'Never' };
    hook(kind)(explicit);
    t.equal(explicit.imagePullPolicy, 'Never', kind);
  }
});

t.test('Probe: zero values are replaced like absent ones', async (t) => {
  const p: JsonObject = { timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0, initialDelaySeconds: 0 };
  hook('Probe')(p);
  t.same(p, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 0 });
  const set: JsonObject = { timeoutSeconds: 5, periodSeconds: 7, successThreshold: 2, failureThreshold: 9 };
  hook('Probe')(set);
  t.same(set, { timeoutSeconds: 5, periodSeconds: 7, successThreshold: 2, failureThreshold: 9 });
});

t.test('Volume: emptyDir when no source, image pull policy', async (t) => {
  const none: JsonObject = { name: 'scratch' };
  hook('Volume')(none);
  t.same(none, { name: 'scratch', emptyDir: {} });
  const secret: JsonObject = { name: 's', secret: { secretName: 'x' } };
  hook('Volume')(secret);
  t.same(secret, { name: 's', secret: { secretName: 'x' } });
  const image: JsonObject = { name: 'i', image: { reference: 'quay.io/tools:latest' } };
  hook('Volume')(image);
  t.same(image, { name: 'i', image: { reference: 'quay.io/tools:latest', pullPolicy: 'Always' } });
  const pinned: JsonObject = { name: 'i', image: { reference: 'quay.io/tools:1.0' } };
  hook('Volume')(pinned);
  t.equal((pinned.image as JsonObject).pullPolicy, 'IfNotPresent');
});

t.test('PodSpec: serviceAccount mirrors serviceAccountName', async (t) => {
  const fromNew: JsonObject = { serviceAccountName: 'builder' };
  hook('PodSpec')(fromNew);
  t.same(fromNew, { serviceAccountName: 'builder', serviceAccount: 'builder' });
  const fromOld: JsonObject = { serviceAccount: 'legacy' };
  hook('PodSpec')(fromOld);
  t.same(fromOld, { serviceAccountName: 'legacy', serviceAccount: 'legacy' });
  const both: JsonObject = { serviceAccountName: 'new', serviceAccount: 'old' };
  hook('PodSpec')(both);
  t.same(both, { serviceAccountName: 'new', serviceAccount: 'new' }, 'the new field wins');
  const neither: JsonObject = {};
  hook('PodSpec')(neither);
  t.same(neither, {});
});

t.test('Pod: requests from limits, enableServiceLinks, host ports under hostNetwork', async (t) => {
  const pod: JsonObject = {
    spec: {
      hostNetwork: true,
      containers: [
        { name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }, ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 9081 }] },
        { name: 'b', resources: {} },
      ],
      initContainers: [{ name: 'i', resources: { limits: { cpu: '2' } }, ports: [{ containerPort: 53, hostPort: 0 }] }],
      ephemeralContainers: [{ name: 'e', resources: { limits: { cpu: '1' } } }],
    },
  };
  hook('Pod')(pod);
  const spec = pod.spec as JsonObject;
  const [a, b] = spec.containers as JsonObject[];
  t.same(a!.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }, 'only missing requests are filled');
  t.same(b!.resources, {}, 'no limits, no requests');
  t.same((spec.initContainers as JsonObject[])[0]!.resources, { limits: { cpu: '2' }, requests: { cpu: '2' } });
  t.same((spec.ephemeralContainers as JsonObject[])[0]!.resources, { limits: { cpu: '1' } }, 'ephemeral containers are left alone');
  t.same(a!.ports, [{ containerPort: 80, hostPort: 80 }, { containerPort: 81, hostPort: 9081 }]);
  t.same((spec.initContainers as JsonObject[])[0]!.ports, [{ containerPort: 53, hostPort: 53 }]);
  t.equal(spec.enableServiceLinks, true);

  const noHostNet: JsonObject = { spec: { enableServiceLinks: false, containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } };
  hook('Pod')(noHostNet);
  const s = noHostNet.spec as JsonObject;
  t.equal(s.enableServiceLinks, false, 'an explicit false stays');
  t.same((s.containers as JsonObject[])[0]!.ports, [{ containerPort: 80 }]);
  const noSpec: JsonObject = {};
  hook('Pod')(noSpec);
  t.same(noSpec, {});
});

t.test('a minimal pod is defaulted as the API server does for `kubectl run x --image=nginx`', async (t) => {
  const reg = podRegistry();
  const pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } };
  applyDefaults(reg, `${V1}.Pod`, pod);
  t.same(pod.spec, {
    containers: [
      {
        name: 'x',
        image: 'nginx',
        imagePullPolicy: 'Always',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
});

t.test('nested defaults: ports, probes, volumes, env field refs', async (t) => {
  const reg = podRegistry();
  const pod: JsonObject = {
    spec: {
      containers: [
        {
          name: 'x',
          image: 'app:v1',
          ports: [{ containerPort: 8080 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          readinessProbe: { httpGet: { port: 8080 } },
          livenessProbe: { grpc: { port: 9000 } },
        },
      ],
      volumes: [
        { name: 'cfg', configMap: { name: 'c' } },
        { name: 'sec', secret: { secretName: 's' } },
        { name: 'host', hostPath: { path: '/var/log' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        { name: 'tmp' },
      ],
    },
  };
  applyDefaults(reg, `${V1}.Pod`, pod);
  const spec = pod.spec as JsonObject;
  const c = (spec.containers as JsonObject[])[0]!;
  t.same(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  t.same(c.env, [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }]);
  t.same(c.readinessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.same((c.livenessProbe as JsonObject).grpc, { port: 9000, service: '' });
  t.equal(c.imagePullPolicy, 'IfNotPresent');
  const vols = spec.volumes as JsonObject[];
  t.same(vols[0], { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } });
  t.same(vols[1], { name: 'sec', secret: { secretName: 's', defaultMode: 420 } });
  t.same(vols[2], { name: 'host', hostPath: { path: '/var/log', type: '' } });
  t.same(vols[3], { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }], defaultMode: 420 } });
  t.same(vols[4], { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }], defaultMode: 420 } });
  t.same(vols[5], { name: 'tmp', emptyDir: {} });
});

t.test('a pod template gets PodSpec defaults but not the pod-only ones', async (t) => {
  const reg = podRegistry();
  const tpl: JsonObject = { template: { spec: { containers: [{ name: 'x', image: 'nginx:1', resources: { limits: { cpu: '1' } } }] } } };
  applyDefaults(reg, `${V1}.PodTemplate`, tpl);
  const spec = (tpl.template as JsonObject).spec as JsonObject;
  t.equal(spec.restartPolicy, 'Always');
  t.equal(spec.enableServiceLinks, undefined);
  t.same((spec.containers as JsonObject[])[0]!.resources, { limits: { cpu: '1' } });
});
