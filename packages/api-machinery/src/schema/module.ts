// What each type module (src/types/<group>-<version>/) exports: its component schemas, the defaulting and
// validation that a schema cannot express, and the resources (kinds) served from them.
import type { JsonObject, JsonValue } from '../json.js';
import type { FieldError } from '../validation/field-error.js';
import type { Schema } from './schema.js';

/**
 * Conditional defaulting for one component schema, run wherever that component appears (a PodSpec inside a
 * Deployment's template too), after the schema's own `default`s were filled in at that level and before its children
 * are visited. Mutates `obj` in place. Example: Container.imagePullPolicy from the image tag.
 */
export type Defaulter = (obj: JsonObject) => void;

export interface ValidationContext {
  operation: 'create' | 'update';
  /** The same component in the stored object, on update (undefined if absent there). */
  old?: JsonValue | undefined;
}

/**
 * Semantic validation for one component schema that the schema keywords cannot express (cross-field rules,
 * uniqueness, "selector must match template labels"), run wherever the component appears. `path` is the field path
 * of `obj` (e.g. `spec.template.spec`). Required fields, enums, limits, named formats and `x-k8ts-immutable` are
 * checked by the engine and must not be repeated here.
 */
export type Validator = (obj: JsonObject, path: string, ctx: ValidationContext) => FieldError[];

export interface SchemaModule {
  schemas: Record<string, Schema>;
  defaulters?: Record<string, Defaulter>;
  validators?: Record<string, Validator>;
}

/** How a kind's metadata.name is validated. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment-name';

export interface ScaleSubresource {
  /** JSON paths (dotted) of spec replicas, status replicas and the label selector (a LabelSelector object). */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string;
}

/** One REST resource as discovery, the REST handlers, storage and kubectl see it. */
export interface KindDefinition {
  group: string; // '' for core
  version: string;
  kind: string;
  /** Resource name (lowercase plural), also the etcd key segment: /registry/<plural>/... */
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  /** Component schema name of the object, e.g. 'io.k8s.api.core.v1.Pod'. */
  schema: string;
  /** Verbs served; default: create delete deletecollection get list patch update watch. */
  verbs?: string[];
  nameRule?: NameRule; // default dns1123-subdomain
  /** Has a `status` subresource: the main resource ignores status changes, /status ignores everything else. */
  statusSubresource?: boolean;
  scale?: ScaleSubresource;
  /** metadata.generation is bumped when anything but metadata and status changes. */
  generation?: boolean;
  /** Extra field selectors beyond metadata.name / metadata.namespace: field label → value of the object. */
  fieldSelectors?: Record<string, (obj: JsonObject) => string | undefined>;
  /** Storage key resource if it differs from `plural` (events.k8s.io Events live with core Events). */
  storageResource?: string;
}
