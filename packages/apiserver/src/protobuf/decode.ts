// Table-driven decoding of Kubernetes protobuf messages into the JSON a JSON client would have sent.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { MESSAGE_TABLE } from './descriptors.js';
import { ProtobufDecodeError, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader } from './wire.js';

const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'bytes', 'double', 'float']);
const SPECIALS = new Set(['Time', 'MicroTime', 'Duration', 'FieldsV1', 'IntOrString', 'Quantity', 'RawExtension', 'StringList']);

interface FieldDesc {
  number: number;
  json: string;
  /** Embedded Go struct without a JSON name: its fields are merged into the parent object. */
  inline: boolean;
  repeated: boolean;
  map: boolean;
  /** Go pointer: written only when set, so zero values are meaningful and kept. */
  pointer: boolean;
  /** Scalar, special or message name. */
  type: string;
}

interface MessageDesc {
  name: string;
  fields: Map<number, FieldDesc>;
  /** Field numbers in ascending order, so JSON keys come out in declaration order. */
  order: number[];
}

const parsed = new Map<string, MessageDesc>();

function parseField(message: string, num: number, spec: string): FieldDesc {
  const m = /^(\S+) (\[\])?(\{)?([\w.]+)(\})?(\?)?$/.exec(spec);
  if (!m || Boolean(m[3]) !== Boolean(m[5])) throw new Error(`bad descriptor ${message}.${num}: ${spec}`);
  const type = m[4]!;
  if (!SCALARS.has(type) && !SPECIALS.has(type) && !(type in MESSAGE_TABLE)) {
    throw new Error(`descriptor ${message}.${num} refers to unknown type ${type}`);
  }
  return { number: num, json: m[1]!, inline: m[1] === '..', repeated: Boolean(m[2]), map: Boolean(m[3]), pointer: Boolean(m[6]), type };
}

function descriptor(name: string): MessageDesc {
  let d = parsed.get(name);
  if (d) return d;
  const table = MESSAGE_TABLE[name];
  if (!table) throw new ProtobufDecodeError(`no descriptor for message ${name}`);
  const fields = new Map<number, FieldDesc>();
  for (const [k, spec] of Object.entries(table)) fields.set(Number(k), parseField(name, Number(k), spec));
  d = { name, fields, order: [...fields.keys()].sort((a, b) => a - b) };
  parsed.set(name, d);
  return d;
}

/** Parses every table entry once; throws on a malformed table (used by tests). */
export function validateDescriptors(): number {
  for (const name of Object.keys(MESSAGE_TABLE)) descriptor(name);
  return parsed.size;
}

function expectedWireType(type: string): number {
  switch (type) {
    case 'int32':
    case 'int64':
    case 'bool':
      return WIRE_VARINT;
    case 'double':
      return WIRE_FIXED64;
    case 'float':
      return WIRE_FIXED32;
    default:
      return WIRE_LEN;
  }
}

function readScalar(r: WireReader, type: string): JsonValue {
  switch (type) {
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'bool':
      return r.bool();
    case 'double':
      return r.double();
    case 'float':
      return r.float();
    default:
      throw new Error(`not a scalar: ${type}`);
  }
}

/** Zero value of a scalar, for map entries whose value the encoder left out. */
function scalarZero(type: string): JsonValue {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  return 0;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Go's time.RFC3339 in UTC (seconds), or RFC3339Micro for MicroTime. */
function formatTime(seconds: number, micros: number | undefined): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new ProtobufDecodeError(`timestamp out of range: ${seconds}`);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros === undefined ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

/** Go's time.Duration.String(), e.g. 1h2m3.5s, 150ms, 0s. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = fraction(u, div) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u %= 60_000_000_000n;
    out = `${fraction(u, 1_000_000_000n)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  const rest = v % div;
  if (rest === 0n) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

function parseEmbeddedJson(raw: Uint8Array, what: string): JsonValue {
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as JsonValue;
  } catch {
    throw new ProtobufDecodeError(`${what} is not valid JSON`);
  }
}

/** Reads a message made of scalar fields into a number → value map (for the special types). */
function readFlat(bytes: Uint8Array, types: Record<number, string>, what: string): Map<number, JsonValue | Uint8Array | bigint> {
  const r = new WireReader(bytes);
  const out = new Map<number, JsonValue | Uint8Array | bigint>();
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    const type = types[field];
    if (type === undefined) {
      r.skip(wireType);
      continue;
    }
    const expected = type === 'raw' || type === 'string' || type === 'repeated' ? WIRE_LEN : WIRE_VARINT;
    if (wireType !== expected) throw new ProtobufDecodeError(`${what} field ${field}: wire type ${wireType}, expected ${expected}`);
    if (type === 'raw') out.set(field, r.bytes());
    else if (type === 'string') out.set(field, r.string());
    else if (type === 'bigint') out.set(field, BigInt.asIntN(64, r.varint()));
    else if (type === 'repeated') {
      const list = out.get(field);
      if (Array.isArray(list)) list.push(r.string());
      else out.set(field, [r.string()]);
    }
    else out.set(field, r.int64());
  }
  return out;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** Special types; `undefined` means Go's zero value that JSON shows as null (dropped by the caller). */
function decodeSpecial(type: string, bytes: Uint8Array): JsonValue | undefined {
  switch (type) {
    case 'Time':
    case 'MicroTime': {
      // An empty message is Go's zero time (e.g. creationTimestamp {}); Time keeps whole seconds only, like Go's Unmarshal.
      if (bytes.length === 0) return undefined;
      const f = readFlat(bytes, { 1: 'int', 2: 'int' }, type);
      const seconds = Number(f.get(1) ?? 0);
      return formatTime(seconds, type === 'MicroTime' ? Math.floor(Number(f.get(2) ?? 0) / 1000) : undefined);
    }
    case 'Duration': {
      const f = readFlat(bytes, { 1: 'bigint' }, type);
      const v = f.get(1);
      return formatGoDuration(typeof v === 'bigint' ? v : 0n);
    }
    case 'IntOrString': {
      const f = readFlat(bytes, { 1: 'int', 2: 'int', 3: 'string' }, type);
      return f.get(1) === 1 ? String(f.get(3) ?? '') : Number(f.get(2) ?? 0);
    }
    case 'Quantity':
      return String(readFlat(bytes, { 1: 'string' }, type).get(1) ?? '');
    case 'StringList':
      return asStrings(readFlat(bytes, { 1: 'repeated' }, type).get(1));
    case 'FieldsV1':
    case 'RawExtension': {
      const raw = readFlat(bytes, { 1: 'raw' }, type).get(1);
      if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
      // An embedded object may itself be protobuf-encoded when the outer object was.
      if (type === 'RawExtension' && startsWithMagic(raw)) return decodeEnvelopeObject(raw);
      return parseEmbeddedJson(raw, type);
    }
    default:
      throw new Error(`unknown special type ${type}`);
  }
}

function decodeValue(type: string, r: WireReader): JsonValue | undefined {
  return SCALARS.has(type) ? readScalar(r, type) : decodeEmbedded(type, r.bytes());
}

function decodeEmbedded(type: string, bytes: Uint8Array): JsonValue | undefined {
  return SPECIALS.has(type) ? decodeSpecial(type, bytes) : decodeMessage(type, bytes);
}

function decodeMapEntry(f: FieldDesc, bytes: Uint8Array, target: JsonObject, where: string): void {
  const r = new WireReader(bytes);
  let key = '';
  let value: JsonValue | undefined;
  let haveValue = false;
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      if (wireType !== WIRE_LEN) throw new ProtobufDecodeError(`${where} map key: wire type ${wireType}, expected ${WIRE_LEN}`);
      key = r.string();
    } else if (field === 2) {
      const expected = expectedWireType(f.type);
      if (wireType !== expected) throw new ProtobufDecodeError(`${where} map value: wire type ${wireType}, expected ${expected}`);
      value = decodeValue(f.type, r);
      haveValue = true;
    } else r.skip(wireType);
  }
  if (!haveValue) value = SCALARS.has(f.type) ? scalarZero(f.type) : decodeEmbedded(f.type, new Uint8Array(0));
  target[key] = value ?? null;
}

function isZero(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Decodes one message by table name (e.g. 'apps.Deployment') into its JSON form, applying Go's omitempty rules. */
export function decodeMessage(name: string, bytes: Uint8Array): JsonObject {
  const d = descriptor(name);
  const r = new WireReader(bytes);
  const values = new Map<number, JsonValue | undefined>();
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    const f = d.fields.get(field);
    if (!f) {
      r.skip(wireType);
      continue;
    }
    const where = `${name}.${f.json === '..' ? f.type : f.json} (field ${field})`;
    const expected = expectedWireType(f.type);
    if (f.map) {
      if (wireType !== WIRE_LEN) throw new ProtobufDecodeError(`${where}: wire type ${wireType}, expected ${WIRE_LEN}`);
      let target = values.get(field);
      if (typeof target !== 'object' || target === null || Array.isArray(target)) values.set(field, (target = {}));
      decodeMapEntry(f, r.bytes(), target, where);
    } else if (f.repeated) {
      let list = values.get(field);
      if (!Array.isArray(list)) values.set(field, (list = []));
      if (wireType === WIRE_LEN && expected !== WIRE_LEN) {
        // Packed repeated scalars: accepted although gogo's proto2 output never packs.
        const sub = new WireReader(r.bytes());
        while (!sub.eof()) list.push(readScalar(sub, f.type));
      } else {
        if (wireType !== expected) throw new ProtobufDecodeError(`${where}: wire type ${wireType}, expected ${expected}`);
        list.push(decodeValue(f.type, r) ?? null);
      }
    } else {
      if (wireType !== expected) throw new ProtobufDecodeError(`${where}: wire type ${wireType}, expected ${expected}`);
      // Last one wins; gogo never writes a singular field twice.
      values.set(field, decodeValue(f.type, r));
    }
  }
  const out: JsonObject = {};
  for (const num of d.order) {
    if (!values.has(num)) continue;
    const f = d.fields.get(num)!;
    const v = values.get(num);
    if (v === undefined || v === null) continue;
    // Non-pointer fields are always on the wire, zero or not; drop zeros as Go's JSON omitempty would.
    if (!f.pointer && isZero(v)) continue;
    if (f.inline) {
      if (typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
      continue;
    }
    out[f.json] = v;
  }
  return out;
}

// --- runtime.Unknown envelope -----------------------------------------------------------------------------

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

export function startsWithMagic(body: Uint8Array): boolean {
  return body.length >= 4 && MAGIC.every((b, i) => body[i] === b);
}

const API_VERSIONS: Record<string, string> = {
  core: 'v1',
  apps: 'apps/v1',
  batch: 'batch/v1',
  rbac: 'rbac.authorization.k8s.io/v1',
  networking: 'networking.k8s.io/v1',
  policy: 'policy/v1',
  scheduling: 'scheduling.k8s.io/v1',
  authorization: 'authorization.k8s.io/v1',
  authentication: 'authentication.k8s.io/v1',
  autoscaling: 'autoscaling/v1',
  autoscalingv2: 'autoscaling/v2',
};

/** Top-level kinds we accept, keyed 'apiVersion Kind'. */
const KINDS = new Map<string, string>();
for (const name of [
  'core.Namespace', 'core.ConfigMap', 'core.Secret', 'core.Service', 'core.ServiceAccount', 'core.ResourceQuota',
  'core.Pod', 'core.Binding', 'core.Event',
  'apps.Deployment', 'apps.ControllerRevision',
  'batch.Job', 'batch.CronJob',
  'rbac.Role', 'rbac.ClusterRole', 'rbac.RoleBinding', 'rbac.ClusterRoleBinding',
  'networking.Ingress', 'networking.IngressClass',
  'policy.PodDisruptionBudget', 'policy.Eviction',
  'scheduling.PriorityClass',
  'authorization.SelfSubjectAccessReview', 'authorization.SelfSubjectRulesReview',
  'authorization.SubjectAccessReview', 'authorization.LocalSubjectAccessReview',
  'authentication.TokenRequest', 'authentication.TokenReview', 'authentication.SelfSubjectReview',
  'autoscaling.HorizontalPodAutoscaler', 'autoscalingv2.HorizontalPodAutoscaler',
]) {
  const [alias, kind] = name.split('.') as [string, string];
  KINDS.set(`${API_VERSIONS[alias]} ${kind}`, name);
}
// Eviction has the same layout in policy/v1beta1, which older drains still post.
KINDS.set('policy/v1beta1 Eviction', 'policy.Eviction');

/** Kind-agnostic option types: typed clients stamp them with the resource's group version (or meta.k8s.io/v1). */
const OPTION_KINDS: Record<string, string> = { DeleteOptions: 'meta.DeleteOptions' };

export function supportedKinds(): string[] {
  return [...KINDS.keys(), 'meta.k8s.io/v1 DeleteOptions (any apiVersion)'].sort();
}

export function messageForKind(apiVersion: string, kind: string): string | undefined {
  return KINDS.get(`${apiVersion} ${kind}`) ?? OPTION_KINDS[kind];
}

/** Envelopes nested through RawExtension; bounded so a crafted body cannot exhaust the stack. */
let envelopeDepth = 0;
const MAX_ENVELOPE_DEPTH = 8;

export function decodeEnvelopeObject(body: Uint8Array): JsonObject {
  if (envelopeDepth >= MAX_ENVELOPE_DEPTH) throw new ProtobufDecodeError(`objects nested deeper than ${MAX_ENVELOPE_DEPTH} levels`);
  envelopeDepth++;
  try {
    return decodeEnvelope(body);
  } finally {
    envelopeDepth--;
  }
}

function decodeEnvelope(body: Uint8Array): JsonObject {
  if (!startsWithMagic(body)) throw new ProtobufDecodeError('body does not start with the k8s\\0 protobuf magic');
  const r = new WireReader(body, 4);
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    if (field >= 1 && field <= 4 && wireType !== WIRE_LEN) {
      throw new ProtobufDecodeError(`runtime.Unknown field ${field}: wire type ${wireType}, expected ${WIRE_LEN}`);
    }
    if (field === 1) {
      const tm = new WireReader(r.bytes());
      while (!tm.eof()) {
        const t = tm.tag();
        if ((t.field === 1 || t.field === 2) && t.wireType !== WIRE_LEN) {
          throw new ProtobufDecodeError(`TypeMeta field ${t.field}: wire type ${t.wireType}, expected ${WIRE_LEN}`);
        }
        if (t.field === 1) apiVersion = tm.string();
        else if (t.field === 2) kind = tm.string();
        else tm.skip(t.wireType);
      }
    } else if (field === 2) raw = r.bytes();
    else if (field === 3) contentEncoding = r.string();
    else r.skip(wireType);
  }
  if (contentEncoding !== '') throw new ProtobufDecodeError(`unsupported contentEncoding ${JSON.stringify(contentEncoding)}`);
  if (kind === '') throw new ProtobufDecodeError('protobuf envelope has no kind');
  const message = messageForKind(apiVersion, kind);
  if (!message) throw new ProtobufDecodeError(`protobuf decoding of ${apiVersion} ${kind} is not supported`, `${apiVersion} ${kind}`);
  return { ...(apiVersion ? { apiVersion } : {}), kind, ...decodeMessage(message, raw) };
}
