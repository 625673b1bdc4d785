// core/v1 Pod and PodTemplate: the schemas of a pod and all its parts, their defaulting and validation, and the
// resources served from them.
import type { KindDefinition, SchemaModule } from '../../schema/module.js';
import { podDefaulters } from './pod-defaults.js';
import { podKinds as kinds } from './pod-kinds.js';
import { BINDING, POD, POD_SPEC, POD_TEMPLATE_SPEC, podSchemas } from './pod-schemas.js';
import { podComponentValidators } from './pod-validation-components.js';
import { validateBinding, validatePod, validatePodTemplateSpec } from './pod-validation-pod.js';
import { validatePodSpec } from './pod-validation-spec.js';
import { podVolumeValidators } from './pod-validation-volumes.js';
import { podLegacyVolumeSchemas } from './pod-volume-schemas.js';

export const podModule: SchemaModule = {
  schemas: { ...podSchemas, ...podLegacyVolumeSchemas },
  defaulters: podDefaulters,
  validators: {
    ...podComponentValidators,
    ...podVolumeValidators,
    [POD_SPEC]: validatePodSpec,
    [POD]: validatePod,
    [POD_TEMPLATE_SPEC]: validatePodTemplateSpec,
    [BINDING]: validateBinding,
  },
};

export const podKinds: KindDefinition[] = kinds;

export { BINDING, CORE_V1, POD, POD_SPEC, POD_STATUS, POD_TEMPLATE, POD_TEMPLATE_SPEC, coreV1 } from './pod-schemas.js';
export { podSharedVolumeSourceNames, podSharedVolumeSourceSchemas } from './pod-volume-schemas.js';
export { defaultPullPolicy, imageTag } from './pod-defaults.js';
export { podQOSClass, preparePodForCreate, syncPodStatusIPs, type PodQOSClass } from './pod-strategy.js';
