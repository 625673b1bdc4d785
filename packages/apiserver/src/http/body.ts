// Request bodies by media type: JSON, YAML, Kubernetes protobuf, and the four patch types. Bodies arrive as raw
// buffers (fastify's parser keeps them) so that duplicate JSON fields can be found for fieldValidation=Strict.
import { findDuplicateFields, type JsonValue } from '@k8ts/api-machinery';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { errors } from '../api/errors.js';
import { decodeKubernetesProtobuf, KUBERNETES_PROTOBUF, ProtobufDecodeError } from '../protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_MEDIA_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', KUBERNETES_PROTOBUF];

export interface ParsedBody {
  value: JsonValue;
  /** Duplicate field paths (JSON bodies only). */
  duplicates: string[];
}

/** The media type without parameters, lower-cased; '' when the header is missing. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseJson(text: string): ParsedBody {
  try {
    const value = JSON.parse(text) as JsonValue;
    return { value, duplicates: findDuplicateFields(text) };
  } catch (e) {
    throw errors.badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

function parseYamlText(text: string): ParsedBody {
  try {
    const value = parseYaml(text, { uniqueKeys: true, version: '1.2' }) as JsonValue | undefined;
    return { value: value ?? null, duplicates: [] };
  } catch (e) {
    if (e instanceof YAMLParseError) throw errors.badRequest(`error converting YAML to JSON: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

/** Body of create/update: JSON (also when the Content-Type is missing), YAML or protobuf. */
export function parseObjectBody(contentType: string | undefined, raw: Buffer | undefined): ParsedBody {
  const type = mediaType(contentType);
  const buf = raw ?? Buffer.alloc(0);
  if (type === KUBERNETES_PROTOBUF) {
    try {
      return { value: decodeKubernetesProtobuf(buf), duplicates: [] };
    } catch (e) {
      if (e instanceof ProtobufDecodeError) throw errors.badRequest(`error decoding protobuf body: ${e.message}`);
      throw e;
    }
  }
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYamlText(buf.toString('utf8'));
  if (type === '' || type === 'application/json' || type === '*/*') {
    if (buf.length === 0) throw errors.badRequest('the body of the request was empty');
    return parseJson(buf.toString('utf8'));
  }
  throw errors.unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
}

/** Body of a PATCH: the patch type comes from the Content-Type. */
export function parsePatchBody(contentType: string | undefined, raw: Buffer | undefined): { type: PatchType; body: ParsedBody } {
  const media = mediaType(contentType);
  const type = PATCH_MEDIA_TYPES[media];
  if (!type) throw errors.unsupportedMediaType(media, Object.keys(PATCH_MEDIA_TYPES));
  const text = (raw ?? Buffer.alloc(0)).toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
  return { type, body: type === 'apply' ? parseYamlText(text) : parseJson(text) };
}

/** DELETE bodies are optional DeleteOptions in JSON (or protobuf from typed clients). */
export function parseOptionalBody(contentType: string | undefined, raw: Buffer | undefined): JsonValue | undefined {
  if (!raw || raw.length === 0) return undefined;
  return parseObjectBody(contentType, raw).value;
}
