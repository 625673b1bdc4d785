// The REST resources served from the pod schemas: pods and podtemplates (Binding is only a pods/binding body).
import type { JsonObject } from '../../json.js';
import type { KindDefinition } from '../../schema/module.js';
import { bool, items, obj, str } from './pod-access.js';
import { POD, POD_TEMPLATE } from './pod-schemas.js';

const spec = (pod: JsonObject): JsonObject | undefined => obj(pod, 'spec');
const status = (pod: JsonObject): JsonObject | undefined => obj(pod, 'status');

/** The field labels pods can be selected by (pod strategy ToSelectableFields); absent fields read as "". */
export const podFieldSelectors: Record<string, (pod: JsonObject) => string> = {
  'spec.nodeName': (p) => str(spec(p), 'nodeName') ?? '',
  'spec.restartPolicy': (p) => str(spec(p), 'restartPolicy') ?? '',
  'spec.schedulerName': (p) => str(spec(p), 'schedulerName') ?? '',
  'spec.serviceAccountName': (p) => str(spec(p), 'serviceAccountName') ?? '',
  'spec.hostNetwork': (p) => String(bool(spec(p), 'hostNetwork') === true),
  'status.phase': (p) => str(status(p), 'phase') ?? '',
  // Kubernetes reads the first of status.podIPs (which mirrors status.podIP).
  'status.podIP': (p) => str(items(status(p), 'podIPs')[0]?.[1], 'ip') ?? str(status(p), 'podIP') ?? '',
  'status.nominatedNodeName': (p) => str(status(p), 'nominatedNodeName') ?? '',
};

export const podKinds: KindDefinition[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    namespaced: true,
    schema: POD,
    nameRule: 'dns1123-subdomain',
    statusSubresource: true,
    // Pods only get metadata.generation from Kubernetes 1.33 on.
    generation: false,
    fieldSelectors: podFieldSelectors,
  },
  {
    group: '',
    version: 'v1',
    kind: 'PodTemplate',
    plural: 'podtemplates',
    singular: 'podtemplate',
    namespaced: true,
    schema: POD_TEMPLATE,
    nameRule: 'dns1123-subdomain',
  },
];
