// The pod volume manager: set-up, container mounts and teardown of one pod's volumes.
export * from './types.js';
export { writeAtomically, validatePayloadPath, type FileProjection, type Payload, type WriteOptions, type WriteResult } from './atomic-writer.js';
export { checkHostPathType, type HostPathType } from './host-path.js';
export { configMapPayload, secretPayload, downwardApiPayload, projectedPayload, forgetPodTokens } from './payloads.js';
export { setUpPodVolumes, tearDownPodVolumes, memoryVolumeName, DEFAULT_MEMORY_EMPTY_DIR_SIZE } from './manager.js';
export { containerMounts, terminationLogPath, type ContainerMounts, type ContainerMountOptions } from './mounts.js';
export { podDir, volumeDir, containerDir } from './paths.js';
export { KubeletVolumes, type KubeletVolumesOptions } from './kubelet-volumes.js';
