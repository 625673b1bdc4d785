// Small hand-written component schemas shaped like the real Kubernetes types (patch tags as in k8s.io/api), for
// building patch metadata in tests. References go through `$ref` and described `allOf` wrappers like the real ones.
import { s, type Schema } from '../../../src/schema/schema.js';
import { patchMetaFromSchema, type PatchMeta } from '../../../src/patch/index.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';

export const components: Record<string, Schema> = {
  [META + 'OwnerReference']: s.object({
    apiVersion: s.string(),
    kind: s.string(),
    name: s.string(),
    uid: s.string(),
    controller: s.boolean(),
  }),
  [META + 'ObjectMeta']: s.object({
    name: s.string(),
    namespace: s.string(),
    labels: s.map(s.string()),
    annotations: s.map(s.string()),
    finalizers: s.array(s.string(), 'Finalizers.', { strategy: 'merge', listType: 'set' }),
    ownerReferences: s.array(s.ref(META + 'OwnerReference'), 'Owners.', {
      mergeKey: 'uid',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['uid'],
    }),
  }),
  [META + 'LabelSelector']: s.object({ matchLabels: s.map(s.string()) }, 'A label selector.', { mapType: 'atomic' }),
  [CORE + 'EnvVar']: s.object({
    name: s.string(),
    value: s.string(),
    valueFrom: s.object({ fieldRef: s.object({ fieldPath: s.string() }) }),
  }),
  [CORE + 'ContainerPort']: s.object({
    name: s.string(),
    containerPort: s.int32(),
    protocol: s.string('Protocol.', { default: 'TCP' }),
  }),
  [CORE + 'VolumeMount']: s.object({ name: s.string(), mountPath: s.string() }),
  [CORE + 'Container']: s.object({
    name: s.string(),
    image: s.string(),
    command: s.array(s.string()),
    args: s.array(s.string()),
    env: s.array(s.ref(CORE + 'EnvVar'), 'Env.', { mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
    ports: s.array(s.ref(CORE + 'ContainerPort'), 'Ports.', {
      mergeKey: 'containerPort',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    }),
    volumeMounts: s.array(s.ref(CORE + 'VolumeMount'), 'Mounts.', { mergeKey: 'mountPath', strategy: 'merge' }),
    resources: s.object({ limits: s.map(s.quantity()), requests: s.map(s.quantity()) }),
  }),
  [CORE + 'ConfigMapVolumeSource']: s.object({ name: s.string(), defaultMode: s.int32() }),
  [CORE + 'Volume']: s.object({
    name: s.string(),
    emptyDir: s.object({ medium: s.string(), sizeLimit: s.quantity() }),
    configMap: s.ref(CORE + 'ConfigMapVolumeSource', 'A config map volume.'),
    secret: s.object({ secretName: s.string() }),
  }),
  [CORE + 'Toleration']: s.object({ key: s.string(), operator: s.string(), effect: s.string() }),
  [CORE + 'PodSpec']: s.object({
    containers: s.array(s.ref(CORE + 'Container'), 'Containers.', { mergeKey: 'name', strategy: 'merge', listType: 'map', listMapKeys: ['name'] }),
    initContainers: s.array(s.ref(CORE + 'Container'), 'Init containers.', { mergeKey: 'name', strategy: 'merge' }),
    volumes: s.array(s.ref(CORE + 'Volume'), 'Volumes.', { mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
    tolerations: s.array(s.ref(CORE + 'Toleration'), 'Tolerations.', { listType: 'atomic' }),
    nodeSelector: s.map(s.string()),
    restartPolicy: s.string(),
  }),
  [CORE + 'PodTemplateSpec']: s.object({
    metadata: s.ref(META + 'ObjectMeta', 'Template metadata.'),
    spec: s.ref(CORE + 'PodSpec', 'Pod spec.'),
  }),
  [CORE + 'Pod']: s.object({
    apiVersion: s.string(),
    kind: s.string(),
    metadata: s.ref(META + 'ObjectMeta'),
    spec: s.ref(CORE + 'PodSpec'),
  }),
  [APPS + 'RollingUpdateDeployment']: s.object({ maxSurge: s.intOrString(), maxUnavailable: s.intOrString() }),
  [APPS + 'DeploymentStrategy']: s.object({ type: s.string(), rollingUpdate: s.ref(APPS + 'RollingUpdateDeployment', 'Rolling update.') }),
  [APPS + 'DeploymentSpec']: s.object({
    replicas: s.int32(),
    selector: s.ref(META + 'LabelSelector', 'Selector.'),
    template: s.ref(CORE + 'PodTemplateSpec', 'Template.'),
    strategy: s.ref(APPS + 'DeploymentStrategy', 'The deployment strategy.', { strategy: 'retainKeys' }),
  }),
  [APPS + 'Deployment']: s.object({
    apiVersion: s.string(),
    kind: s.string(),
    metadata: s.ref(META + 'ObjectMeta', 'Standard object metadata.'),
    spec: s.ref(APPS + 'DeploymentSpec', 'Spec.'),
  }),
  [CORE + 'Taint']: s.object({ key: s.string(), value: s.string(), effect: s.string() }),
  [CORE + 'NodeSpec']: s.object({
    unschedulable: s.boolean(),
    podCIDR: s.string(),
    podCIDRs: s.array(s.string(), 'CIDRs.', { strategy: 'merge' }),
    taints: s.array(s.ref(CORE + 'Taint'), 'Taints.', { listType: 'atomic' }),
  }),
  [CORE + 'Node']: s.object({ metadata: s.ref(META + 'ObjectMeta'), spec: s.ref(CORE + 'NodeSpec') }),
  // Recursive, like apiextensions' JSONSchemaProps.
  JSONSchemaProps: s.object({
    type: s.string(),
    required: s.array(s.string()),
    properties: s.map(s.ref('JSONSchemaProps')),
    items: s.ref('JSONSchemaProps', 'Items.'),
  }),
  Widget: s.object({ metadata: s.ref(META + 'ObjectMeta'), spec: s.any('Free-form.'), schema: s.ref('JSONSchemaProps') }),
};

function metaOf(name: string): PatchMeta {
  const root = components[name];
  if (!root) throw new Error(`no fixture schema ${name}`);
  return patchMetaFromSchema(root, components);
}

export const podMeta = metaOf(CORE + 'Pod');
export const deploymentMeta = metaOf(APPS + 'Deployment');
export const nodeMeta = metaOf(CORE + 'Node');
export const widgetMeta = metaOf('Widget');
