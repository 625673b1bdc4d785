// The apiserver's patch algorithms: JSON Patch, JSON Merge Patch, strategic merge patch and a simple server-side
// apply, plus the schema-derived metadata the last two need. All are pure: inputs are never modified.
export { PatchError, type PatchErrorStatus } from './patch-error.js';
export { NO_PATCH_META, patchMetaFromSchema, type FieldPatchMeta, type PatchMeta } from './patch-meta.js';
export { applyJsonPatch, parseJsonPatch, type JsonPatchOperation } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { applyServerSideApply } from './server-side-apply.js';
