// The wire codec of the etcd v3 JSON gateway: parse bodies, decode requests, encode responses, route paths.
export * from './types.js';
export * from './wire-types.js';
export * from './json-body.js';
export * from './decode.js';
export * from './encode.js';
export * from './routes.js';
export { goJsonString } from './go-json.js';
export { isCanonicalBase64 } from './base64.js';
export * from './proto-size.js';
