export * from "./server/index.js";
export { startKubelet, type RunningKubelet } from './kubelet.js';
export { startHollowKubelet, hollowPodStatus } from './hollow/hollow-kubelet.js';
export { parseFlags, KUBELET_FLAGS, type KubeletFlags } from './cli/flags.js';
export { DockerClient, DockerError } from './docker/index.js';
