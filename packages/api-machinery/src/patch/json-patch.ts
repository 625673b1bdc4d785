// RFC 6902 JSON Patch (application/json-patch+json), as kube-apiserver applies it through evanphx/json-patch v4:
// the same error texts, negative array indices counted from the end, and the patch applied to a copy so a failing
// operation leaves nothing half-done. A malformed patch document is a 400; an operation that does not apply, a 422.
import { cloneJson, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { goQuote } from '../json/go-quote.js';
import { ownMember, setMember } from './members.js';
import { badPatch, unprocessablePatch } from './patch-error.js';

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: JsonValue };

type Container = JsonObject | JsonValue[];

/** Where a pointer lands: the container that holds (or will hold) the target, and the last, decoded, token. */
interface Location {
  container: Container;
  key: string;
}

/** How Go's encoding/json names a JSON value's kind in "cannot unmarshal X into ..." errors. */
function jsonKindName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** RFC 6901 token decoding: '~1' is '/', then '~0' is '~' (left to right, so '~01' is '~1'). */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));
}

/** strconv.Atoi: optional sign and decimal digits. */
function parseIndex(token: string): number | undefined {
  return /^[+-]?\d+$/.test(token) ? Number(token) : undefined;
}

function atoiError(token: string): string {
  return `strconv.Atoi: parsing ${goQuote(token)}: invalid syntax`;
}

function invalidIndex(index: number): string {
  return `Unable to access invalid index: ${index}: invalid index referenced`;
}

/** An existing element's position, or an error text: negative indices count from the end. */
function elementIndex(list: JsonValue[], token: string): number | string {
  const index = parseIndex(token);
  if (index === undefined) return atoiError(token);
  if (index >= list.length || index < -list.length) return invalidIndex(index);
  return index < 0 ? index + list.length : index;
}

function childOf(container: Container, token: string): JsonValue | undefined {
  if (Array.isArray(container)) {
    const index = elementIndex(container, token);
    return typeof index === 'number' ? container[index] : undefined;
  }
  return ownMember(container, token);
}

/** The parent container of `pointer`'s target, or undefined when some step on the way does not exist. */
function locate(document: JsonValue, pointer: string): Location | undefined {
  // A pointer is '' (the whole document, handled by the callers that allow it) or starts with '/'.
  if (!pointer.startsWith('/')) return undefined;
  const tokens = pointer.split('/');
  if (!isContainer(document)) return undefined;
  let current: Container = document;
  for (const raw of tokens.slice(1, -1)) {
    const next = childOf(current, decodeToken(raw));
    if (!isContainer(next)) return undefined;
    current = next;
  }
  return { container: current, key: decodeToken(tokens[tokens.length - 1] ?? '') };
}

function isContainer(v: JsonValue | undefined): v is Container {
  return Array.isArray(v) || isJsonObject(v);
}

/** Inserts (arrays) or sets (objects) a value; returns an error text when the array index is not usable. */
function insert(location: Location, value: JsonValue): string | undefined {
  const { container, key } = location;
  if (!Array.isArray(container)) {
    setMember(container, key, value);
    return undefined;
  }
  if (key === '-') {
    container.push(value);
    return undefined;
  }
  const index = parseIndex(key);
  if (index === undefined) return `value was not a proper array index: '${key}': ${atoiError(key)}`;
  const size = container.length + 1;
  if (index >= size || index < -size) return invalidIndex(index);
  container.splice(index < 0 ? index + size : index, 0, value);
  return undefined;
}

/** Removes the target and returns it, or returns an error text. */
function extract(location: Location): { value: JsonValue } | string {
  const { container, key } = location;
  if (Array.isArray(container)) {
    const index = elementIndex(container, key);
    if (typeof index === 'string') return index;
    const [value] = container.splice(index, 1);
    return { value: value ?? null };
  }
  if (!Object.hasOwn(container, key)) return `Unable to remove nonexistent key: ${key}: missing value`;
  const value = container[key] ?? null;
  delete container[key];
  return { value };
}

/** The target's value; `absent` for a missing object member, an error text for an unusable array index. */
type Lookup = { value: JsonValue } | { absent: true } | { error: string };

function read(location: Location): Lookup {
  const { container, key } = location;
  if (Array.isArray(container)) {
    const index = elementIndex(container, key);
    return typeof index === 'string' ? { error: index } : { value: container[index] ?? null };
  }
  return Object.hasOwn(container, key) ? { value: container[key] ?? null } : { absent: true };
}

type PatchOp = JsonPatchOperation['op'];
const OPS: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
// evanphx/json-patch reports a bad path of add, remove and copy without the underlying cause.
const PATH_ERROR_HIDES_CAUSE: ReadonlySet<PatchOp> = new Set(['add', 'remove', 'copy']);

function isPatchOp(op: unknown): op is PatchOp {
  return typeof op === 'string' && (OPS as readonly string[]).includes(op);
}

/** A string member (`path` or `from`); `describe` turns the cause into the 400 message. */
function readPointer(operation: JsonObject, member: 'path' | 'from', describe: (cause: string) => string): string {
  const value = operation[member];
  if (value === undefined || value === null) {
    throw badPatch(describe(member === 'path' ? 'operation missing path field: missing value' : 'operation, missing from field: missing value'));
  }
  if (typeof value !== 'string') throw badPatch(describe(`json: cannot unmarshal ${jsonKindName(value)} into Go value of type string`));
  return value;
}

function readValue(operation: JsonObject): JsonValue {
  if (!Object.hasOwn(operation, 'value')) throw badPatch('operation, missing value field: missing value');
  return operation.value ?? null;
}

function parseOperation(raw: unknown): JsonPatchOperation {
  if (raw !== null && !isJsonObject(raw)) {
    throw badPatch(`json: cannot unmarshal ${jsonKindName(raw)} into Go value of type jsonpatch.Operation`);
  }
  const operation: JsonObject = raw ?? {};
  const op = operation.op;
  if (!isPatchOp(op)) throw badPatch(`Unexpected kind: ${typeof op === 'string' ? op : 'unknown'}`);
  const from = () => readPointer(operation, 'from', (cause) => `${op} operation failed to decode from: ${cause}`);
  const path = () =>
    readPointer(operation, 'path', (cause) => `${op} operation failed to decode path: ${PATH_ERROR_HIDES_CAUSE.has(op) ? 'missing value' : cause}`);
  switch (op) {
    case 'remove':
      return { op, path: path() };
    case 'move':
    case 'copy': {
      const source = from();
      return { op, from: source, path: path() };
    }
    default: {
      const target = path();
      return { op, path: target, value: readValue(operation) };
    }
  }
}

/** Validates a decoded JSON Patch document; throws a 400 PatchError naming the first problem. */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  // Go decodes a JSON null into an empty patch.
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw badPatch(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type jsonpatch.Patch`);
  }
  return patch.map(parseOperation);
}

function applyOperation(document: JsonValue, operation: JsonPatchOperation): JsonValue {
  const { path } = operation;
  switch (operation.op) {
    case 'add': {
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`add operation does not apply: doc is missing path: "${path}": missing value`);
      const error = insert(target, cloneJson(operation.value));
      if (error) throw unprocessablePatch(`error in add for path: '${path}': ${error}`);
      return document;
    }
    case 'remove': {
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      const removed = extract(target);
      if (typeof removed === 'string') throw unprocessablePatch(`error in remove for path: '${path}': ${removed}`);
      return document;
    }
    case 'replace': {
      if (path === '') {
        if (!isContainer(operation.value)) throw unprocessablePatch('replace operation value must be object or array');
        return cloneJson(operation.value);
      }
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      const { container, key } = target;
      const value = cloneJson(operation.value);
      const index = Array.isArray(container) ? elementIndex(container, key) : undefined;
      if (typeof index === 'string' || (index === undefined && !Object.hasOwn(container, key))) {
        throw unprocessablePatch(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      }
      if (Array.isArray(container)) container[index as number] = value;
      else setMember(container, key, value);
      return document;
    }
    case 'move': {
      const source = locate(document, operation.from);
      if (!source) throw unprocessablePatch(`move operation does not apply: doc is missing from path: ${operation.from}: missing value`);
      const moved = extract(source);
      if (typeof moved === 'string') throw unprocessablePatch(`error in move for path: '${source.key}': ${moved}`);
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
      const error = insert(target, moved.value);
      if (error) throw unprocessablePatch(`error in move for path: '${path}': ${error}`);
      return document;
    }
    case 'copy': {
      const source = locate(document, operation.from);
      const copied = source ? read(source) : { absent: true as const };
      if ('absent' in copied) {
        throw unprocessablePatch(`copy operation does not apply: doc is missing from path: ${operation.from}: missing value`);
      }
      if ('error' in copied) throw unprocessablePatch(`error in copy for from: '${operation.from}': ${copied.error}`);
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
      const error = insert(target, cloneJson(copied.value));
      if (error) throw unprocessablePatch(`error while adding value during copy: ${error}`);
      return document;
    }
    case 'test': {
      const failed = unprocessablePatch(`testing value ${path} failed: test failed`);
      if (path === '') {
        if (!jsonEqual(document, operation.value)) throw failed;
        return document;
      }
      const target = locate(document, path);
      if (!target) throw unprocessablePatch(`test operation does not apply: is missing path: ${path}: missing value`);
      const found = read(target);
      if ('error' in found) throw unprocessablePatch(`error in test for path: '${path}': ${found.error}`);
      // Like the real server, an absent object member compares equal to null.
      const actual = 'absent' in found ? null : found.value;
      if (!jsonEqual(actual, operation.value)) throw failed;
      return document;
    }
  }
}

/**
 * Applies an RFC 6902 patch (decoded JSON, validated here) and returns the new document; `document` is not
 * modified. Throws PatchError: 400 for a malformed patch, 422 when an operation does not apply.
 */
export function applyJsonPatch(document: JsonValue, patch: unknown): JsonValue {
  const operations = parseJsonPatch(patch);
  let result = cloneJson(document);
  for (const operation of operations) result = applyOperation(result, operation);
  return result;
}
