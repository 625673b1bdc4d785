// Strategic merge patch (application/strategic-merge-patch+json) for built-in types, following apimachinery's
// strategicpatch: maps merge recursively and null deletes; lists with a merge key merge item by item; primitive
// lists with the merge strategy take the union; other lists are replaced. Directives: $patch (replace/delete/merge),
// $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>. Directives are consumed, never stored.
import { cloneJson, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { orderMergedList, type ListItemIdentity } from './list-order.js';
import { ownMember, setMember } from './members.js';
import { NO_PATCH_META, type FieldPatchMeta, type PatchMeta } from './patch-meta.js';
import { LIST_TYPE, MAP_TYPE, smpErrors } from './smp-errors.js';

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
  );
}

function hasPatchDirective(v: JsonValue | undefined): v is JsonObject {
  return isJsonObject(v) && Object.hasOwn(v, PATCH_DIRECTIVE);
}

/** The list or map field a `$prefix/<field>` key names. */
function fieldAfterPrefix(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === SET_ELEMENT_ORDER_PREFIX ? smpErrors.badSetElementOrderFormat() : smpErrors.badPrimitiveListFormat();
  }
  return key.slice(slash + 1);
}

/** The field's strategy apart from retainKeys ('' for none), which applies wherever the directive appears. */
function mergeStrategy(meta: FieldPatchMeta | undefined): string {
  const others = (meta?.strategies ?? []).filter((s) => s !== 'retainKeys');
  if (others.length > 1 || (meta?.strategies.length ?? 0) > 2) throw smpErrors.unexpectedStrategy(meta?.strategies ?? []);
  return others[0] ?? '';
}

/**
 * A patch value stored where the object has nothing to merge with: null members and directive keys are dropped,
 * and so are maps carrying `$patch` (as apimachinery does for values it does not merge).
 */
function materialize(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) return materializeList(value);
  if (!isJsonObject(value)) return value;
  if (hasPatchDirective(value)) return undefined;
  return materializeMembers(value);
}

function materializeMembers(value: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null || isDirectiveKey(key)) continue;
    const stored = materialize(member);
    if (stored !== undefined) setMember(result, key, stored);
  }
  return result;
}

function materializeList(list: JsonValue[]): JsonValue[] {
  const result: JsonValue[] = [];
  for (const item of list) {
    const stored = materialize(item);
    if (stored !== undefined) result.push(stored);
  }
  return result;
}

function store(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete target[key];
  else setMember(target, key, value);
}

/** 'object' or 'primitive' for the items of the given lists, which must all be of one JSON type. */
function elementKind(...lists: JsonValue[][]): 'object' | 'primitive' {
  let kind: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const itemKind = Array.isArray(item) ? 'list' : isJsonObject(item) ? 'object' : item === null ? 'null' : typeof item;
      if (kind === undefined) {
        if (itemKind === 'list') throw smpErrors.listOfLists();
        kind = itemKind;
      } else if (kind !== itemKind) {
        throw smpErrors.mixedElementTypes(lists);
      }
    }
  }
  return kind === 'object' ? 'object' : 'primitive';
}

function sameMergeKey(item: JsonObject, other: JsonValue, mergeKey: string): boolean {
  return isJsonObject(other) && Object.hasOwn(other, mergeKey) && jsonEqual(other[mergeKey], item[mergeKey]);
}

class StrategicMerger {
  /** Merges `patch` into `original`; both are private copies and are modified. */
  mergeObject(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
    if (Object.hasOwn(patch, PATCH_DIRECTIVE)) return this.objectDirective(patch);
    this.applyRetainKeys(original, patch);
    this.applyElementOrders(original, patch, meta);
    const deletions: [string, JsonValue][] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
        deletions.push([fieldAfterPrefix(key, DELETE_FROM_PRIMITIVE_LIST_PREFIX), value]);
      } else {
        this.mergeField(original, key, value, meta);
      }
    }
    // Deletions run after the additions so that a value named by both ends up removed.
    for (const [field, values] of deletions) this.deleteFromPrimitiveList(original, field, values);
    return original;
  }

  private objectDirective(patch: JsonObject): JsonObject {
    const directive = patch[PATCH_DIRECTIVE];
    if (directive === 'replace') {
      delete patch[PATCH_DIRECTIVE];
      return materializeMembers(patch);
    }
    if (directive === 'delete') return {};
    throw smpErrors.unknownPatchType(directive, patch);
  }

  private mergeField(original: JsonObject, key: string, value: JsonValue, meta: PatchMeta): void {
    if (value === null) {
      delete original[key];
      return;
    }
    const current = ownMember(original, key);
    if (current === undefined) {
      store(original, key, materialize(value));
      return;
    }
    const fieldMeta = meta.field(key);
    if (isJsonObject(current) && isJsonObject(value)) {
      const merged =
        mergeStrategy(fieldMeta) === 'replace' ? materialize(value) : this.mergeObject(current, value, fieldMeta?.elem ?? NO_PATCH_META);
      store(original, key, merged);
    } else if (Array.isArray(current) && Array.isArray(value)) {
      store(original, key, mergeStrategy(fieldMeta) === 'merge' ? this.mergeList(current, value, key, fieldMeta) : materializeList(value));
    } else {
      store(original, key, materialize(value));
    }
  }

  /** A list whose field has the merge strategy: union for primitives, item-by-item merge on the merge key for objects. */
  private mergeList(original: JsonValue[], patch: JsonValue[], field: string, meta: FieldPatchMeta | undefined): JsonValue[] {
    if (original.length === 0 && patch.length === 0) return original;
    if (elementKind(original, patch) === 'primitive') {
      const merged: JsonValue[] = [];
      for (const item of [...original, ...patch]) if (!merged.some((m) => jsonEqual(m, item))) merged.push(item);
      return orderMergedList(merged, patch, original, { objects: false });
    }
    const mergeKey = meta?.mergeKey;
    if (mergeKey === undefined) throw smpErrors.noMergeKeyDeclared(field);
    const { remaining, patchItems } = this.applyListDirectives(original, patch, mergeKey);
    const merged = [...remaining];
    for (const item of patchItems) {
      if (!isJsonObject(item)) throw smpErrors.badArgType(MAP_TYPE, item);
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
      const index = merged.findIndex((candidate) => sameMergeKey(item, candidate, mergeKey));
      const existing = merged[index];
      if (isJsonObject(existing)) merged[index] = this.mergeObject(existing, item, meta?.elem ?? NO_PATCH_META);
      else merged.push(materializeMembers(item));
    }
    return orderMergedList(merged, patchItems, remaining, { objects: true, mergeKey });
  }

  /** Handles `$patch` list items: delete removes the server item, replace makes the other items the whole list. */
  private applyListDirectives(
    original: JsonValue[],
    patch: JsonValue[],
    mergeKey: string,
  ): { remaining: JsonValue[]; patchItems: JsonValue[] } {
    let remaining = original;
    let replace = false;
    const patchItems: JsonValue[] = [];
    for (const item of patch) {
      if (!hasPatchDirective(item)) {
        patchItems.push(item);
        continue;
      }
      const directive = item[PATCH_DIRECTIVE];
      if (directive === 'delete') {
        if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
        remaining = remaining.filter((candidate) => !sameMergeKey(item, candidate, mergeKey));
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        throw smpErrors.mergeDirectiveInList();
      } else {
        throw smpErrors.unknownPatchType(directive, item);
      }
    }
    if (replace) return { remaining: materializeList(patchItems), patchItems: [] };
    return { remaining, patchItems };
  }

  /** `$retainKeys`: members of the server map not listed are cleared; every patched member must be listed. */
  private applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
    const keys = patch[RETAIN_KEYS_DIRECTIVE];
    delete patch[RETAIN_KEYS_DIRECTIVE];
    if (!Array.isArray(keys)) throw smpErrors.badRetainKeysFormat();
    const retained = new Set(keys.filter((k): k is string => typeof k === 'string'));
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
      if (!retained.has(key)) throw smpErrors.badRetainKeysFormat();
    }
    for (const key of Object.keys(original)) if (!retained.has(key)) delete original[key];
  }

  /** `$setElementOrder/<list>`: merges that list now (if patched) and puts it in the given order. */
  private applyElementOrders(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
      const order = patch[key];
      delete patch[key];
      if (!Array.isArray(order)) throw smpErrors.badArgType(LIST_TYPE, order);
      const field = fieldAfterPrefix(key, SET_ELEMENT_ORDER_PREFIX);
      const originalList = ownMember(original, field);
      const patchList = ownMember(patch, field);
      if (originalList !== undefined && !Array.isArray(originalList)) throw smpErrors.badArgType(LIST_TYPE, originalList);
      if (Object.hasOwn(patch, field) && !Array.isArray(patchList)) throw smpErrors.badArgType(LIST_TYPE, patchList);
      const serverList = Array.isArray(originalList) ? originalList : undefined;
      const patchedList = Array.isArray(patchList) ? patchList : undefined;
      const fieldMeta = meta.field(field);
      const mergeKey = fieldMeta?.mergeKey;
      this.validateAgainstOrder(patchedList ?? [], order, mergeKey);

      let merged: JsonValue[];
      if (serverList && patchedList) {
        merged = mergeStrategy(fieldMeta) === 'merge' ? this.mergeList(serverList, patchedList, field, fieldMeta) : materializeList(patchedList);
      } else if (serverList) {
        merged = serverList;
      } else if (patchedList) {
        merged = materializeList(patchedList);
      } else {
        continue;
      }
      delete patch[field];
      const lists = [serverList ?? [], patchedList ?? []];
      if (lists.every((list) => list.length === 0)) {
        store(original, field, merged);
        continue;
      }
      const identity: ListItemIdentity = { objects: elementKind(...lists) === 'object', mergeKey };
      store(original, field, orderMergedList(merged, order, serverList ?? [], identity));
    }
  }

  /** The patch list must name its items in the $setElementOrder order (deletions and directives aside). */
  private validateAgainstOrder(patchList: JsonValue[], order: JsonValue[], mergeKey: string | undefined): void {
    if (order.length === 0 || patchList.length === 0) return;
    const candidates =
      mergeKey === undefined
        ? patchList
        : patchList.filter((item) => {
            if (!isJsonObject(item)) throw smpErrors.badArgType(MAP_TYPE, item);
            return item[PATCH_DIRECTIVE] !== 'delete';
          });
    let p = 0;
    let o = 0;
    while (p < candidates.length && o < order.length) {
      const item = candidates[p] ?? null;
      if (hasPatchDirective(item)) {
        p++;
        continue;
      }
      if (this.sameItem(item, order[o] ?? null, mergeKey)) p++;
      o++;
    }
    if (p < candidates.length) throw smpErrors.orderMismatch(patchList, order);
  }

  private sameItem(item: JsonValue, orderItem: JsonValue, mergeKey: string | undefined): boolean {
    if (mergeKey === undefined) return jsonEqual(item, orderItem);
    if (!isJsonObject(item)) throw smpErrors.badArgType(MAP_TYPE, item);
    if (!isJsonObject(orderItem)) throw smpErrors.badArgType(MAP_TYPE, orderItem);
    if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
    if (!Object.hasOwn(orderItem, mergeKey)) throw smpErrors.noMergeKey(orderItem, mergeKey);
    return jsonEqual(item[mergeKey], orderItem[mergeKey]);
  }

  /** `$deleteFromPrimitiveList/<list>`: removes the given values from a primitive list on the server. */
  private deleteFromPrimitiveList(original: JsonObject, field: string, values: JsonValue): void {
    if (values === null) {
      delete original[field];
      return;
    }
    const current = ownMember(original, field);
    if (!Array.isArray(current) || !Array.isArray(values)) return;
    if (current.length === 0 && values.length === 0) return;
    if (elementKind(current, values) === 'object') throw smpErrors.badPrimitiveListFormat();
    store(original, field, current.filter((item) => !values.some((v) => jsonEqual(v, item))));
  }
}

/**
 * Applies a strategic merge patch to `original` using the patch metadata of its type and returns the result;
 * neither argument is modified and the result shares nothing with them. Throws PatchError (400 for a malformed
 * directive, 422 for data that cannot be merged, e.g. a list item without its merge key).
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  return new StrategicMerger().mergeObject(cloneJson(original), cloneJson(patch), meta);
}
