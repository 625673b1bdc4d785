export * from './etcd-process.js';
export * from './control-plane.js';
export * from './components.js';
export * from './hollow-node.js';
export * from './wait.js';
export * from './kubelet.js';
export * from './rejection.js';
