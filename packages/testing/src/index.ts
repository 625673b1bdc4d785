export * from './etcd-process.js';
export * from './control-plane.js';
