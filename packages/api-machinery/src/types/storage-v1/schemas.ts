// storage.k8s.io/v1 component schemas: StorageClass, plus the core/v1 topology selector types its
// allowedTopologies uses (defined here because only StorageClasses use them).
import { s, type Schema } from '../../schema/schema.js';
import { kindSchema, listSchema } from '../apps-v1/helpers.js';

export const STORAGE = 'io.k8s.api.storage.v1';
export const GROUP = 'storage.k8s.io';
export const VERSION = 'v1';

export const STORAGE_CLASS = `${STORAGE}.StorageClass`;
export const TOPOLOGY_SELECTOR_TERM = 'io.k8s.api.core.v1.TopologySelectorTerm';
export const TOPOLOGY_SELECTOR_LABEL_REQUIREMENT = 'io.k8s.api.core.v1.TopologySelectorLabelRequirement';

export const storageSchemas: Record<string, Schema> = {
  [STORAGE_CLASS]: kindSchema(
    GROUP,
    VERSION,
    'StorageClass',
    'A class of storage: the provisioner and parameters used to create PersistentVolumes on demand.',
    {
      provisioner: s.string('Name of the volume plugin or CSI driver that provisions the volumes; cannot change.'),
      parameters: s.map(s.string(), 'Settings passed to the provisioner; cannot change.'),
      reclaimPolicy: s.enumOf(['Delete', 'Retain'], 'What happens to provisioned volumes when their claim is released.', { default: 'Delete' }),
      mountOptions: s.array(s.string(), 'Mount options of the provisioned volumes, e.g. ro or soft; not validated.', { listType: 'atomic' }),
      allowVolumeExpansion: s.boolean('Whether claims of this class may be resized.'),
      volumeBindingMode: s.enumOf(
        ['Immediate', 'WaitForFirstConsumer'],
        'Immediate binds and provisions at once; WaitForFirstConsumer waits until a pod uses the claim.',
        { default: 'Immediate', immutable: true },
      ),
      allowedTopologies: s.array(s.ref(TOPOLOGY_SELECTOR_TERM), 'Topologies (e.g. zones) volumes may be provisioned in; empty means anywhere.', {
        listType: 'atomic',
      }),
    },
    ['provisioner'],
  ),
  [`${STORAGE}.StorageClassList`]: listSchema(GROUP, VERSION, 'StorageClass', STORAGE_CLASS),
  [TOPOLOGY_SELECTOR_TERM]: s.object(
    {
      matchLabelExpressions: s.array(s.ref(TOPOLOGY_SELECTOR_LABEL_REQUIREMENT), 'Requirements on topology labels; all must hold.', {
        listType: 'atomic',
      }),
    },
    'A topology selector term: its label requirements are ANDed.',
    { mapType: 'atomic' },
  ),
  [TOPOLOGY_SELECTOR_LABEL_REQUIREMENT]: s.object(
    {
      key: s.string('Topology label key, e.g. topology.kubernetes.io/zone.', { validate: ['qualified-name'] }),
      values: s.array(s.string(), 'Accepted values of the label; any one matches.', { listType: 'atomic' }),
    },
    'A topology label with the values it may have.',
    { required: ['values'] },
  ),
};
