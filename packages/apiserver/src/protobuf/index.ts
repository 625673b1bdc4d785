// Decoding of `application/vnd.kubernetes.protobuf` request bodies (kubectl's typed clients have no JSON fallback).
import type { JsonObject } from '@k8ts/api-machinery';
import { decodeEnvelopeObject, decodeMessage, supportedKinds } from './decode.js';

export { ProtobufDecodeError, WireReader } from './wire.js';
export { formatGoDuration, startsWithMagic as hasKubernetesProtobufMagic, validateDescriptors } from './decode.js';

export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** True for a Content-Type naming the Kubernetes protobuf media type (parameters and case ignored). */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === KUBERNETES_PROTOBUF;
}

/**
 * Decode a `k8s\0` + runtime.Unknown envelope into the JSON object Kubernetes would have received as JSON
 * (kind/apiVersion set from typeMeta). Throws ProtobufDecodeError on malformed bodies; when only the kind is
 * unknown, the error's `unsupportedKind` is set (answer 415).
 */
export function decodeKubernetesProtobuf(body: Uint8Array): JsonObject {
  return decodeEnvelopeObject(body);
}

/** Decode a bare message by table name, e.g. ('meta.DeleteOptions', bytes). */
export function decodeProtobufMessage(messageName: string, bytes: Uint8Array): JsonObject {
  return decodeMessage(messageName, bytes);
}

/** 'apps/v1 Deployment', … : the top-level kinds decodeKubernetesProtobuf accepts. */
export function supportedProtobufKinds(): string[] {
  return supportedKinds();
}
