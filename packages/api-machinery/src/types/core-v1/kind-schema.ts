// Shared pieces of the core/v1 (and small-group) kind schemas: component naming and the top-level object shape.
import { s, type GroupVersionKind, type Schema } from '../../schema/schema.js';
import { OBJECT_META } from '../meta-v1/schemas.js';

export const CORE = 'io.k8s.api.core.v1';
/** Component name of a core/v1 type, e.g. core('Service') → io.k8s.api.core.v1.Service. */
export const core = (name: string): string => `${CORE}.${name}`;

/** Verbs of kinds whose REST storage has no deletecollection (services, namespaces). */
export const VERBS_NO_DELETECOLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** A kind's component: apiVersion, kind, metadata, then its own fields, tagged with its group/version/kind. */
export function kindSchema(gvk: GroupVersionKind, description: string, props: Record<string, Schema>, required?: string[]): Schema {
  const schema = s.object(
    {
      apiVersion: s.string('Versioned schema of this representation (group/version, or v1 for the core group).'),
      kind: s.string('Kind of object this representation holds, in CamelCase.'),
      metadata: s.ref(OBJECT_META, 'Standard object metadata.'),
      ...props,
    },
    description,
    required ? { required } : undefined,
  );
  schema['x-kubernetes-group-version-kind'] = [gvk];
  return schema;
}

/** A resource quantity map (ResourceList), e.g. {cpu: "500m", memory: "1Gi"}. */
export const resourceList = (description: string): Schema => s.map(s.quantity(), description);

/** Condition status values used by core/v1 condition types (not enforced by Kubernetes). */
export const CONDITION_STATUS_DESC = 'True, False or Unknown.';
