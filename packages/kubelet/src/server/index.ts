export { startKubeletServer, type KubeletServer, type KubeletServerOptions } from './kubelet-server.js';
export * from './channel-protocol.js';
export * from './streaming-runtime.js';
