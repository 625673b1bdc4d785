// The defaulting of pkg/apis/core/v1/defaults.go that depends on other fields (the unconditional defaults are
// `default` keywords in pod-schemas.ts). Each hook mutates the object it is given.
import { isJsonObject, type JsonObject } from '../../json.js';
import type { Defaulter } from '../../schema/module.js';
import { obj, str } from './pod-access.js';
import { POD, POD_SPEC, coreV1 } from './pod-schemas.js';

// Docker reference grammar (github.com/distribution/reference), enough to find the tag and digest of an image.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const HOST = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/**
 * The tag kubelet and the API server see in an image reference, as parsers.ParseImageName returns it: the explicit
 * tag, "latest" when there is neither tag nor digest, "" for a digest-only or unparsable reference.
 */
export function imageTag(image: string): string {
  const m = REFERENCE.exec(image);
  if (!m || m[1]!.length > 255) return '';
  const [, , tag, digest] = m;
  if (tag) return tag;
  return digest ? '' : 'latest';
}

/** Always for :latest (or no tag at all), IfNotPresent otherwise, as SetDefaults_Container decides. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

const defaultContainer: Defaulter = (c) => {
  if (!str(c, 'imagePullPolicy')) c.imagePullPolicy = defaultPullPolicy(str(c, 'image') ?? '');
};

/** Go checks `== 0`, so an explicit 0 is replaced too (the schema `default`s only fill absent fields). */
const defaultProbe: Defaulter = (p) => {
  const zeroTo = (k: string, v: number): void => {
    if (p[k] === 0) p[k] = v;
  };
  zeroTo('timeoutSeconds', 1);
  zeroTo('periodSeconds', 10);
  zeroTo('successThreshold', 1);
  zeroTo('failureThreshold', 3);
};

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

/** The volume source fields of a Volume, in Go's declaration order. */
export const volumeSourceFields: readonly string[] = VOLUME_SOURCES;

const defaultVolume: Defaulter = (v) => {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  const image = obj(v, 'image');
  if (image && !str(image, 'pullPolicy')) image.pullPolicy = imageTag(str(image, 'reference') ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
};

/** serviceAccount is the deprecated alias of serviceAccountName: the new field wins, the old one mirrors it. */
const defaultPodSpec: Defaulter = (spec) => {
  const name = str(spec, 'serviceAccountName');
  const alias = str(spec, 'serviceAccount');
  if (!name && alias) spec.serviceAccountName = alias;
  const effective = str(spec, 'serviceAccountName');
  if (effective) spec.serviceAccount = effective;
};

function containers(spec: JsonObject, key: string): JsonObject[] {
  const list = spec[key];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/**
 * SetDefaults_Pod: only pods (not templates) get requests copied from limits, enableServiceLinks, and host ports
 * equal to the container ports under hostNetwork.
 */
const defaultPod: Defaulter = (pod) => {
  const spec = obj(pod, 'spec');
  if (!spec) return;
  for (const c of [...containers(spec, 'containers'), ...containers(spec, 'initContainers')]) {
    const resources = obj(c, 'resources');
    const limits = obj(resources, 'limits');
    if (!resources || !limits) continue;
    const requests = obj(resources, 'requests') ?? {};
    for (const [k, q] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = q;
    resources.requests = requests;
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...containers(spec, 'containers'), ...containers(spec, 'initContainers')]) {
      const ports = c.ports;
      if (!Array.isArray(ports)) continue;
      for (const p of ports) {
        if (isJsonObject(p) && (p.hostPort === undefined || p.hostPort === null || p.hostPort === 0) && p.containerPort !== undefined) {
          p.hostPort = p.containerPort;
        }
      }
    }
  }
};

export const podDefaulters: Record<string, Defaulter> = {
  [POD]: defaultPod,
  [POD_SPEC]: defaultPodSpec,
  [coreV1('Container')]: defaultContainer,
  [coreV1('EphemeralContainer')]: defaultContainer,
  [coreV1('Probe')]: defaultProbe,
  [coreV1('Volume')]: defaultVolume,
};
