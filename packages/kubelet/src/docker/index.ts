export * from './docker-client.js';
export * from './docker-error.js';
export * from './hijack.js';
export * from './http.js';
export * from './json-lines.js';
export * from './stream-demux.js';
export * from './types.js';
