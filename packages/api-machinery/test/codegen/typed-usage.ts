// Compile-time checks of the generated types: tsc builds this file with the package, so a wrong generated type fails
// the build (each @ts-expect-error line must stay an error). typescript.test.ts also runs the samples through the
// schema engine, so what type-checks here is what the apiserver accepts.
import type {
  appsv1,
  corev1,
  Deployment,
  Event,
  eventsv1,
  Job,
  Lease,
  metav1,
  Node,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodList,
  PodSpec,
  PodTemplateSpec,
} from '../../src/index.js';

/** The minimal shape a client library accepts: generated interfaces must be assignable (no index signatures). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  };
}

const podSpec: PodSpec = {
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 80 } },
    },
  ],
};
const template: PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: podSpec };

export const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
  spec: { ...podSpec, restartPolicy: 'Always', nodeName: 'node-1' },
};

export const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
    template,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
  },
};

export const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
  spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'example.com/dedicated', value: 'db', effect: 'NoSchedule' }] },
};

export const lease: Lease = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-1', namespace: 'kube-node-lease' },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
};

const owner: OwnerReference = { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: '5e1c0c4e-0000-4000-8000-000000000000', controller: true };
const jobMeta: ObjectMeta = { name: 'pi-abcde', namespace: 'default', ownerReferences: [owner] };

export const job: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default' },
  spec: {
    backoffLimit: 2,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-e', 'print 1'] }] } },
  },
};

/** Flat `Event` is core/v1's (events.k8s.io's is eventsv1.Event). */
export const event: Event = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-0.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default' },
  reason: 'Scheduled',
  type: 'Normal',
};

export const podList: PodList = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '7' }, items: [pod] };

export function cpuRequest(p: Pod): string | undefined {
  return p.spec?.containers[0]?.resources?.requests?.['cpu'];
}

/** What a typed client's create() looks like: every generated kind fits the minimal shape. */
export function objectKey<T extends KubeObject>(o: T): string {
  return `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export const asKubeObjects: KubeObject[] = [pod, deployment, node, lease, job, event, { metadata: jobMeta }, ...podList.items];
export const keys: string[] = asKubeObjects.map((o) => objectKey(o));

// Each line below must NOT compile.
// @ts-expect-error Container.name is required
export const noName: corev1.Container = { image: 'nginx' };
// @ts-expect-error PodSpec.containers is required
export const noContainers: corev1.PodSpec = { nodeName: 'node-1' };
// @ts-expect-error the strategy type is a closed union
export const badStrategy: appsv1.DeploymentStrategy = { type: 'BlueGreen' };
// @ts-expect-error IntOrString is number | string
export const badSurge: appsv1.RollingUpdateDeployment = { maxSurge: true };
// @ts-expect-error quantities are strings
export const badQuantity: corev1.ResourceRequirements = { requests: { cpu: 1 } };
// @ts-expect-error the selector operator is a closed union
export const badOperator: metav1.LabelSelectorRequirement = { key: 'a', operator: 'Matches' };
// @ts-expect-error events.k8s.io Event requires eventTime, core Event does not: flat Event is core's
export const notEventsV1: eventsv1.Event = event;
// @ts-expect-error no index signature: unknown fields are rejected in literals
export const unknownField: Pod = { spec: { containers: [] }, extra: 1 };
