// A simple server-side apply (application/apply-patch+yaml, sent as JSON): the applied configuration's fields are
// set over the live object. Maps and objects merge recursively; associative lists (list-type map, or a patch merge
// key) merge item by item on their keys; set lists take the union; atomic and unknown lists are replaced. Field
// ownership, conflicts and managedFields are not tracked. List order and key errors follow structured-merge-diff.
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { ownMember, setMember } from './members.js';
import { unprocessablePatch } from './patch-error.js';
import { NO_PATCH_META, type FieldPatchMeta, type PatchMeta } from './patch-meta.js';
import { goQuote } from '../json/go-quote.js';

/** How an applied list combines with the live one. */
type ListMerge = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

function listMerge(meta: FieldPatchMeta | undefined): ListMerge {
  if (!meta) return { type: 'atomic' };
  // Without x-kubernetes-list-type, the patch tags decide, as Kubernetes derives its apply schema from them.
  const type = meta.listType ?? (meta.mergeKey !== undefined ? 'map' : meta.strategies.includes('merge') && !meta.itemIsObject ? 'set' : 'atomic');
  if (type !== 'map') return { type };
  const keys = meta.listMapKeys ?? (meta.mergeKey !== undefined ? [meta.mergeKey] : []);
  return keys.length > 0 ? { type: 'map', keys } : { type: 'atomic' };
}

/** The applied value as stored where nothing merges with it: null members mean "not set" and are dropped. */
function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) if (member !== null) setMember(result, key, withoutNulls(member));
  return result;
}

/** One list item's identity: a canonical key for matching and the text Kubernetes prints for it. */
interface ItemKey {
  id: string;
  text: string;
}

function associativeKey(item: JsonValue, keys: string[], defaults: JsonObject | undefined, where: string): ItemKey {
  if (item === null) throw unprocessablePatch(`${where}: associative list with keys may not have a null element`);
  if (!isJsonObject(item)) throw unprocessablePatch(`${where}: associative list with keys may not have non-map elements`);
  const fields: [string, JsonValue][] = [];
  for (const key of keys) {
    const value = ownMember(item, key) ?? (defaults ? ownMember(defaults, key) : undefined);
    // A key field that is absent and has no default is left out: that identifies a different entry.
    if (value !== undefined) fields.push([key, value]);
  }
  if (fields.length === 0) {
    throw unprocessablePatch(
      `${where}: associative list with keys has an element that omits all key fields [${keys.map(goQuote).join(' ')}] (and doesn't have default values for any key fields)`,
    );
  }
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { id: JSON.stringify(fields), text: `[${fields.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}]` };
}

function setKey(item: JsonValue, where: string): ItemKey {
  if (isJsonObject(item)) throw unprocessablePatch(`${where}: associative list without keys has an element that's a map type`);
  if (Array.isArray(item)) throw unprocessablePatch(`${where}: associative list without keys has an element that's a list type`);
  return { id: JSON.stringify(item), text: `[=${JSON.stringify(item)}]` };
}

class ApplyMerger {
  mergeObject(live: JsonObject | undefined, applied: JsonObject, meta: PatchMeta, path: string): JsonObject {
    const result = live ?? {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) {
        delete result[key];
        continue;
      }
      setMember(result, key, this.mergeValue(ownMember(result, key), value, meta.field(key), `${path}.${key}`));
    }
    return result;
  }

  private mergeValue(live: JsonValue | undefined, applied: JsonValue, meta: FieldPatchMeta | undefined, path: string): JsonValue {
    if (isJsonObject(applied)) {
      if (meta?.mapType === 'atomic') return withoutNulls(applied);
      return this.mergeObject(isJsonObject(live) ? live : undefined, applied, meta?.elem ?? NO_PATCH_META, path);
    }
    if (!Array.isArray(applied)) return applied;
    const merge = listMerge(meta);
    const liveList = Array.isArray(live) ? live : [];
    if (merge.type === 'map') {
      const identify = (item: JsonValue, where: string) => associativeKey(item, merge.keys, meta?.listMapKeyDefaults, where);
      return this.mergeList(liveList, applied, identify, meta?.elem ?? NO_PATCH_META, path);
    }
    if (merge.type === 'set') return this.mergeList(liveList, applied, setKey, NO_PATCH_META, path);
    return withoutNulls(applied);
  }

  /**
   * Merges keyed lists the way structured-merge-diff orders them: applied items keep their applied order, items
   * only in the live list stay where they were relative to the items around them.
   */
  private mergeList(
    live: JsonValue[],
    applied: JsonValue[],
    identify: (item: JsonValue, where: string) => ItemKey,
    itemMeta: PatchMeta,
    path: string,
  ): JsonValue[] {
    const appliedKeys = applied.map((item, i) => identify(item, `${path}: element ${i}`));
    const appliedById = new Map<string, JsonValue>();
    appliedKeys.forEach((key, i) => {
      if (appliedById.has(key.id)) throw unprocessablePatch(`${path}: duplicate entries for key ${key.text}`);
      appliedById.set(key.id, applied[i] ?? null);
    });
    const liveIds = live.map((item, i) => identify(item, `${path}: element ${i}`).id);
    // Duplicated live items are not merged: the applied item replaces them all.
    const liveById = new Map<string, JsonValue | undefined>();
    liveIds.forEach((id, i) => liveById.set(id, liveById.has(id) ? undefined : live[i]));

    const mergeItem = (key: ItemKey): JsonValue => {
      const appliedItem = appliedById.get(key.id) ?? null;
      const liveItem = liveById.get(key.id);
      return this.mergeValue(liveItem, appliedItem, { kind: 'object', strategies: [], elem: itemMeta }, `${path}${key.text}`);
    };

    const shared = appliedKeys.filter((key) => liveById.has(key.id)).map((key) => key.id);
    let sharedPosition = 0;
    let nextShared = shared[sharedPosition++];
    const merged = new Set<string>();
    const out: JsonValue[] = [];
    let l = 0;
    let r = 0;
    while (l < live.length || r < applied.length) {
      const liveId = liveIds[l];
      const appliedKey = appliedKeys[r];
      if (liveId !== undefined && appliedKey !== undefined) {
        if (liveId === appliedKey.id) {
          merged.add(liveId);
          out.push(mergeItem(appliedKey));
          l++;
          r++;
          nextShared = shared[sharedPosition++];
          continue;
        }
        if (appliedById.has(liveId) && nextShared !== undefined && nextShared !== liveId) {
          // A shared item, but not the next one in applied order: it is emitted when its turn comes.
          l++;
          continue;
        }
      }
      if (liveId !== undefined) {
        if (!appliedById.has(liveId)) {
          out.push(live[l] ?? null);
          l++;
          continue;
        }
        if (merged.has(liveId)) l++;
      }
      if (appliedKey !== undefined) {
        merged.add(appliedKey.id);
        out.push(mergeItem(appliedKey));
        r++;
        if (nextShared === appliedKey.id) nextShared = shared[sharedPosition++];
      }
    }
    return out;
  }
}

/**
 * Applies a server-side-apply configuration to the live object and returns the result; neither argument is
 * modified. Throws PatchError 422 for list items that cannot be keyed or are applied twice.
 */
export function applyServerSideApply(live: JsonObject, applied: JsonObject, meta: PatchMeta): JsonObject {
  return new ApplyMerger().mergeObject(cloneJson(live), applied, meta, '');
}
