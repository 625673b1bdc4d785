// Own-member access for JSON objects. Patches come from clients, so a key such as `constructor` or `__proto__` must
// read and write as plain data, never reach Object.prototype or change an object's prototype.
import type { JsonObject, JsonValue } from '../json.js';

export function ownMember(target: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

export function setMember(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
