// @k8ts/api-machinery: the Kubernetes API machinery every k8ts component shares.
export * from './json.js';
export * from './schema/schema.js';
export * from './schema/module.js';
export * from './schema/registry.js';
export * from './schema/decode.js';
export * from './schema/defaulting.js';
export * from './schema/validation.js';
export * from './resources/registry.js';
export * from './validation/field-error.js';
export * from './validation/names.js';
export * from './validation/formats.js';
export * from './validation/object-meta.js';
export * from './selectors/index.js';
export * from './quantity/index.js';
export * from './patch/index.js';
export * from './json/duplicate-keys.js';
export * from './types/index.js';
export * from './types/meta-v1/schemas.js';
// Types generated from the schemas (src/codegen/typescript.ts): namespaces corev1, appsv1, metav1, ... and the
// common core/apps/batch/coordination/meta names flat (Pod, Deployment, ObjectMeta). Types only: nothing at runtime.
export type * from './generated/index.js';
