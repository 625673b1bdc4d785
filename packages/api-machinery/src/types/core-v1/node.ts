// core/v1 Node: a worker machine, registered and kept up to date by its kubelet.
import { isJsonObject, jsonEqual, type JsonObject } from '../../json.js';
import type { KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import {
  invalidEach,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDualStack,
  isQualifiedName,
  isValidLabelValue,
  validateCIDR,
  validateResourceQuantityValue,
} from './checks.js';
import { boolAt, objAt, objItems, strAt, strItems, strMapAt } from './json-access.js';
import { CONDITION_STATUS_DESC, core, kindSchema, resourceList } from './kind-schema.js';

const NODE = core('Node');
const NODE_CONFIG_SOURCE = core('NodeConfigSource');

export const nodeSchemas: Record<string, Schema> = {
  [NODE]: kindSchema({ group: '', version: 'v1', kind: 'Node' }, 'A worker machine that runs pods; each node has a unique name in the cluster.', {
    spec: s.ref(core('NodeSpec'), 'How the node should be configured (pod CIDRs, taints, schedulability).', { default: {} }),
    status: s.ref(core('NodeStatus'), 'The most recently observed state of the node, reported by its kubelet.'),
  }),
  [core('NodeSpec')]: s.object(
    {
      podCIDR: s.string('Pod IP range assigned to the node (the first entry of podCIDRs).'),
      podCIDRs: s.array(s.string(), 'Pod IP ranges assigned to the node, at most one per IP family.', { strategy: 'merge', listType: 'set' }),
      providerID: s.string('Identifier of the node in the cloud provider, <ProviderName>://<ProviderSpecificNodeID>.'),
      unschedulable: s.boolean('When true, the scheduler places no new pods on the node (cordon).'),
      taints: s.array(s.ref(core('Taint')), 'Taints that repel pods which do not tolerate them.', { listType: 'atomic' }),
      configSource: s.ref(NODE_CONFIG_SOURCE, 'Deprecated dynamic kubelet configuration source; no longer used.'),
      externalID: s.string('Deprecated external identifier; ignored.'),
    },
    'Desired configuration of a node.',
  ),
  [core('Taint')]: s.object(
    {
      key: s.string('Taint key (a qualified name).'),
      value: s.string('Taint value (a label value).'),
      effect: s.string('What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute.'),
      timeAdded: s.time('When the taint was added; only set for NoExecute taints.'),
    },
    'A mark on a node that keeps pods away unless they tolerate it.',
  ),
  [NODE_CONFIG_SOURCE]: s.object(
    { configMap: s.ref(core('ConfigMapNodeConfigSource'), 'ConfigMap holding the kubelet configuration.') },
    'Deprecated: where a node would take its kubelet configuration from; exactly one source is set.',
  ),
  [core('ConfigMapNodeConfigSource')]: s.object(
    {
      namespace: s.string('Namespace of the ConfigMap.'),
      name: s.string('Name of the ConfigMap.'),
      uid: s.string('UID of the ConfigMap; only reported in status.'),
      resourceVersion: s.string('ResourceVersion of the ConfigMap; only reported in status.'),
      kubeletConfigKey: s.string('Key of the ConfigMap entry holding the KubeletConfiguration.'),
    },
    'Deprecated: reference to a ConfigMap used as a node config source.',
  ),
  [core('NodeStatus')]: s.object(
    {
      capacity: resourceList('Total resources of the node.'),
      allocatable: resourceList('Resources of the node available to pods (capacity minus reservations).'),
      phase: s.enumOf(['Pending', 'Running', 'Terminated'], 'Deprecated lifecycle phase of the node.'),
      conditions: s.array(s.ref(core('NodeCondition')), 'Current health observations, e.g. Ready, MemoryPressure, DiskPressure.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
      addresses: s.array(s.ref(core('NodeAddress')), 'Addresses through which the node is reachable.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
      daemonEndpoints: s.ref(core('NodeDaemonEndpoints'), 'Ports of the daemons (the kubelet) running on the node.'),
      nodeInfo: s.ref(core('NodeSystemInfo'), 'Identifiers and versions of the machine and its software.'),
      images: s.array(s.ref(core('ContainerImage')), 'Container images present on the node.', { listType: 'atomic' }),
      volumesInUse: s.array(s.string(), 'Volumes attached and mounted on the node.', { listType: 'atomic' }),
      volumesAttached: s.array(s.ref(core('AttachedVolume')), 'Volumes attached to the node.', { listType: 'atomic' }),
      config: s.ref(core('NodeConfigStatus'), 'Deprecated status of the dynamic kubelet configuration.'),
      runtimeHandlers: s.array(s.ref(core('NodeRuntimeHandler')), 'Runtime handlers the container runtime offers.', { listType: 'atomic' }),
      features: s.ref(core('NodeFeatures'), 'Optional features the node implements.'),
    },
    'Observed state of a node.',
  ),
  [core('NodeCondition')]: s.object(
    {
      type: s.string('Condition type, e.g. Ready or DiskPressure.'),
      status: s.string(`Whether the condition holds: ${CONDITION_STATUS_DESC}`),
      lastHeartbeatTime: s.time('When the condition was last reported.'),
      lastTransitionTime: s.time('When the condition last changed status.'),
      reason: s.string('Machine-readable CamelCase reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    'One observation about a node.',
  ),
  [core('NodeAddress')]: s.object(
    {
      type: s.string('Address type: Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.'),
      address: s.string('The address itself.'),
    },
    'One address of a node.',
  ),
  [core('NodeDaemonEndpoints')]: s.object(
    { kubeletEndpoint: s.ref(core('DaemonEndpoint'), 'Where the kubelet listens.') },
    'Ports opened by daemons on the node.',
  ),
  [core('DaemonEndpoint')]: s.object(
    { Port: s.int32('Port number (the field name is capitalized for historical reasons).') },
    'A port on which a node daemon listens.',
  ),
  [core('NodeSystemInfo')]: s.object(
    {
      machineID: s.string('Machine id reported by the node (/etc/machine-id).'),
      systemUUID: s.string('System UUID reported by the node.'),
      bootID: s.string('Boot id reported by the node.'),
      kernelVersion: s.string('Kernel version (uname -r).'),
      osImage: s.string('Operating system image (from /etc/os-release).'),
      containerRuntimeVersion: s.string('Container runtime version, <runtime>://<version>.'),
      kubeletVersion: s.string('Kubelet version.'),
      kubeProxyVersion: s.string('Deprecated kube-proxy version; not reliable.'),
      operatingSystem: s.string('Operating system the node runs, e.g. linux.'),
      architecture: s.string('CPU architecture, e.g. amd64.'),
    },
    'Identifiers and versions describing the node.',
  ),
  [core('ContainerImage')]: s.object(
    {
      names: s.array(s.string(), 'Names (tags and digests) the image is known by.', { listType: 'atomic' }),
      sizeBytes: s.int64('Size of the image in bytes.'),
    },
    'A container image stored on the node.',
  ),
  [core('AttachedVolume')]: s.object(
    {
      name: s.string('Unique name of the attached volume.'),
      devicePath: s.string('Where the volume should be available on the node.'),
    },
    'A volume attached to a node.',
  ),
  [core('NodeConfigStatus')]: s.object(
    {
      assigned: s.ref(NODE_CONFIG_SOURCE, 'Config the node will try to use.'),
      active: s.ref(NODE_CONFIG_SOURCE, 'Config the node is actively using.'),
      lastKnownGood: s.ref(NODE_CONFIG_SOURCE, 'Config the node falls back to when the assigned one fails.'),
      error: s.string('Any error reconciling the config.'),
    },
    'Deprecated status of the dynamic kubelet configuration.',
  ),
  [core('NodeRuntimeHandler')]: s.object(
    {
      name: s.string('Runtime handler name; empty for the default handler.'),
      features: s.ref(core('NodeRuntimeHandlerFeatures'), 'Features the handler supports.'),
    },
    'A runtime handler offered by the container runtime.',
  ),
  [core('NodeRuntimeHandlerFeatures')]: s.object(
    {
      recursiveReadOnlyMounts: s.boolean('Whether the handler supports recursive read-only mounts.'),
      userNamespaces: s.boolean('Whether the handler supports user namespaces.'),
    },
    'Features of a runtime handler.',
  ),
  [core('NodeFeatures')]: s.object(
    { supplementalGroupsPolicy: s.boolean('Whether the node honors pod supplementalGroupsPolicy.') },
    'Optional features a node implements.',
  ),
};

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

/** Taint checks; Kubernetes reports them under metadata.taints (its path quirk), which we keep. */
function validateTaints(spec: JsonObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const base = 'metadata.taints';
  const seen = new Map<string, Set<string>>();
  for (const [i, taint] of objItems(spec, 'taints')) {
    const p = index(base, i);
    const key = strAt(taint, 'key') ?? '';
    const value = strAt(taint, 'value') ?? '';
    const effect = strAt(taint, 'effect') ?? '';
    errs.push(...invalidEach(child(p, 'key'), key, isQualifiedName(key)));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(fieldErrors.invalid(child(p, 'value'), value, valueErrs.join(';')));
    if (!effect) errs.push(fieldErrors.required(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(fieldErrors.notSupported(child(p, 'effect'), effect, TAINT_EFFECTS));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errs.push({ ...fieldErrors.duplicate(p, taint), detail: 'taints must be unique by key and effect pair' });
      continue;
    }
    keys.add(key);
    seen.set(effect, keys);
  }
  return errs;
}

function validateResources(status: JsonObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const which of ['capacity', 'allocatable']) {
    for (const [k, v] of Object.entries(strMapAt(status, which) ?? {}))
      errs.push(...validateResourceQuantityValue(k, v, `status.${which}.${k}`));
  }
  return errs;
}

function validatePodCIDRs(spec: JsonObject | undefined): FieldError[] {
  const cidrs = strItems(spec, 'podCIDRs');
  if (!cidrs.length) return [];
  const field = 'spec.podCIDRs';
  const errs = cidrs.flatMap(([i, c]) => validateCIDR(index(field, i), c));
  if (cidrs.length > 1) {
    const values = cidrs.map(([, c]) => c);
    if (!isDualStack(values) || values.length > 2) errs.push(fieldErrors.invalid(field, values, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    for (const [i, c] of cidrs) {
      if (seen.has(c)) errs.push(fieldErrors.duplicate(index(field, i), c));
      seen.add(c);
    }
  }
  return errs;
}

/** Common checks of a ConfigMap reference (spec or status form). */
function validateConfigMapSource(cm: JsonObject, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = strAt(cm, 'namespace') ?? '';
  const name = strAt(cm, 'name') ?? '';
  const key = strAt(cm, 'kubeletConfigKey') ?? '';
  if (!ns) errs.push(fieldErrors.required(child(field, 'namespace'), 'namespace must be set'));
  else errs.push(...invalidEach(child(field, 'namespace'), ns, isDNS1123Label(ns)));
  if (!name) errs.push(fieldErrors.required(child(field, 'name'), 'name must be set'));
  else errs.push(...invalidEach(child(field, 'name'), name, isDNS1123Subdomain(name)));
  if (!key) errs.push(fieldErrors.required(child(field, 'kubeletConfigKey'), 'kubeletConfigKey must be set'));
  else errs.push(...invalidEach(child(field, 'kubeletConfigKey'), key, isConfigMapKey(key)));
  return errs;
}

/** Exactly one source; spec forms must not carry uid/resourceVersion, status forms must. */
function validateConfigSource(source: JsonObject, field: string, inStatus: boolean): FieldError[] {
  const cm = objAt(source, 'configMap');
  if (!cm) return [fieldErrors.invalid(field, source, 'exactly one reference subfield must be non-nil')];
  const p = child(field, 'configMap');
  const errs: FieldError[] = [];
  const uid = strAt(cm, 'uid') ?? '';
  const rv = strAt(cm, 'resourceVersion') ?? '';
  if (inStatus) {
    if (!uid) errs.push(fieldErrors.required(child(p, 'uid'), 'uid must be set in status'));
    if (!rv) errs.push(fieldErrors.required(child(p, 'resourceVersion'), 'resourceVersion must be set in status'));
  } else {
    if (uid) errs.push(fieldErrors.forbidden(child(p, 'uid'), 'uid must not be set in spec'));
    if (rv) errs.push(fieldErrors.forbidden(child(p, 'resourceVersion'), 'resourceVersion must not be set in spec'));
  }
  return [...errs, ...validateConfigMapSource(cm, p)];
}

function validateNodeUpdate(node: JsonObject, old: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objAt(node, 'spec');
  const oldSpec = objAt(old, 'spec');
  const status = objAt(node, 'status');
  const seen: JsonObject[] = [];
  for (const [i, addr] of objItems(status, 'addresses')) {
    if (seen.some((a) => jsonEqual(a, addr))) errs.push(fieldErrors.duplicate(index('status.addresses', i), addr));
    seen.push(addr);
  }
  const oldCIDRs = strItems(oldSpec, 'podCIDRs').map(([, c]) => c);
  if (oldCIDRs.length) {
    const newCIDRs = strItems(spec, 'podCIDRs').map(([, c]) => c);
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== newCIDRs.length) errs.push(fieldErrors.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(fieldErrors.forbidden('spec.podCIDRs', msg)));
  }
  const oldProvider = strAt(oldSpec, 'providerID') ?? '';
  if (oldProvider && oldProvider !== (strAt(spec, 'providerID') ?? ''))
    errs.push(fieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  const configSource = objAt(spec, 'configSource');
  if (configSource) errs.push(...validateConfigSource(configSource, 'spec.configSource', false));
  const config = objAt(status, 'config');
  for (const which of ['assigned', 'active', 'lastKnownGood']) {
    const src = objAt(config, which);
    if (src) errs.push(...validateConfigSource(src, `status.config.${which}`, true));
  }
  if ((strAt(spec, 'externalID') ?? '') !== (strAt(oldSpec, 'externalID') ?? '')) errs.push(fieldErrors.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

export const nodeValidators: Record<string, Validator> = {
  [NODE]: (node, _path, ctx) => {
    const spec = objAt(node, 'spec');
    const errs = [...validateTaints(spec), ...validateResources(objAt(node, 'status'))];
    if (ctx.operation === 'create') return [...errs, ...validatePodCIDRs(spec)];
    return isJsonObject(ctx.old) ? [...errs, ...validateNodeUpdate(node, ctx.old)] : errs;
  },
};

export const nodeKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  schema: NODE,
  statusSubresource: true,
  fieldSelectors: { 'spec.unschedulable': (o) => String(boolAt(objAt(o, 'spec'), 'unschedulable') ?? false) },
};
