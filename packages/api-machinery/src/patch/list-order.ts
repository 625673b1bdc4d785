// The order of a merged list, as apimachinery's strategic merge patch settles it ("preserve order in SMP"):
// items named by the patch (or by $setElementOrder) follow that order, items only on the server follow their
// server order, and the two are interleaved using the server positions. A consequence kubectl users see: an item
// added by a patch without $setElementOrder lands before the server-only items that follow no patched item.
import { isJsonObject, jsonEqual, type JsonValue } from '../json.js';
import { MAP_TYPE, smpErrors } from './smp-errors.js';

/** How items are told apart: by their merge key value for lists of objects, by value for primitive lists. */
export interface ListItemIdentity {
  /** Set for lists of objects. */
  mergeKey?: string | undefined;
  objects: boolean;
}

function identityOf(item: JsonValue | undefined, identity: ListItemIdentity): JsonValue | undefined {
  if (!identity.objects) return item;
  // A non-object or an object without the key has no identity; two such items compare equal, as nil == nil in Go.
  return isJsonObject(item) && identity.mergeKey !== undefined ? item[identity.mergeKey] : undefined;
}

function positionIn(list: readonly JsonValue[], item: JsonValue, identity: ListItemIdentity): number {
  const wanted = identityOf(item, identity);
  return list.findIndex((candidate) => jsonEqual(identityOf(candidate, identity), wanted));
}

/** Splits `items` into those `reference` names (by identity) and the others, keeping their order. */
export function partitionByPresence(
  items: readonly JsonValue[],
  reference: readonly JsonValue[],
  identity: ListItemIdentity,
): { named: JsonValue[]; others: JsonValue[] } {
  const named: JsonValue[] = [];
  const others: JsonValue[] = [];
  for (const item of items) {
    if (identity.objects) {
      if (!isJsonObject(item)) throw smpErrors.badArgType(MAP_TYPE, item);
      if (identity.mergeKey === undefined || !Object.hasOwn(item, identity.mergeKey)) {
        throw smpErrors.noMergeKey(item, identity.mergeKey ?? '');
      }
    }
    (positionIn(reference, item, identity) >= 0 ? named : others).push(item);
  }
  return { named, others };
}

function requireMergeKeys(lists: readonly (readonly JsonValue[])[], mergeKey: string): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw smpErrors.badArgType(MAP_TYPE, item);
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
    }
  }
}

/** Stable sort by position in `order`; items `order` does not name keep their relative order at the end. */
function sortByReference(items: readonly JsonValue[], order: readonly JsonValue[], identity: ListItemIdentity): JsonValue[] {
  let toSort = [...items];
  let deleted: JsonValue[] = [];
  if (identity.objects) {
    requireMergeKeys([items, order], identity.mergeKey ?? '');
    // Deletion directives carry no position: they go last.
    deleted = toSort.filter((item) => isJsonObject(item) && item.$patch === 'delete');
    toSort = toSort.filter((item) => !(isJsonObject(item) && item.$patch === 'delete'));
  }
  const ranked = toSort.map((item, index) => ({ item, index, rank: positionIn(order, item, identity) }));
  ranked.sort((a, b) => {
    const ra = a.rank < 0 ? Number.MAX_SAFE_INTEGER : a.rank;
    const rb = b.rank < 0 ? Number.MAX_SAFE_INTEGER : b.rank;
    return ra - rb || a.index - b.index;
  });
  return [...ranked.map((r) => r.item), ...deleted];
}

/**
 * Interleaves server-only items into the ordered patch items: a server-only item is taken first only when both it
 * and the next patch item are on the server and it comes earlier there; otherwise the patch item goes first.
 */
function interleave(
  serverOnly: readonly JsonValue[],
  patchItems: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  identity: ListItemIdentity,
): JsonValue[] {
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    const left = serverOnly[i];
    const right = patchItems[j];
    if (right === undefined || (left !== undefined && comesFirst(left, right, serverOrder, identity))) {
      result.push(left as JsonValue);
      i++;
    } else {
      result.push(right);
      j++;
    }
  }
  return result;
}

function comesFirst(left: JsonValue, right: JsonValue, serverOrder: readonly JsonValue[], identity: ListItemIdentity): boolean {
  const leftPosition = positionIn(serverOrder, left, identity);
  const rightPosition = positionIn(serverOrder, right, identity);
  return leftPosition >= 0 && rightPosition >= 0 && leftPosition < rightPosition;
}

/**
 * The final order of a merged list: `patchItems` sorted by `patchOrder`, `serverOnly` sorted by `serverOrder`
 * (the list as it was on the server), then interleaved.
 */
export function orderMergedItems(
  patchItems: readonly JsonValue[],
  serverOnly: readonly JsonValue[],
  patchOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  identity: ListItemIdentity,
): JsonValue[] {
  const sortedPatchItems = sortByReference(patchItems, patchOrder, identity);
  const sortedServerOnly = sortByReference(serverOnly, serverOrder, identity);
  return interleave(sortedServerOnly, sortedPatchItems, serverOrder, identity);
}

/** Splits `merged` by presence in `patchOrder`, then orders it (see orderMergedItems). */
export function orderMergedList(
  merged: readonly JsonValue[],
  patchOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  identity: ListItemIdentity,
): JsonValue[] {
  const partitionIdentity: ListItemIdentity = identity.mergeKey === undefined ? { objects: false } : identity;
  const { named, others } = partitionByPresence(merged, patchOrder, partitionIdentity);
  return orderMergedItems(named, others, patchOrder, serverOrder, identity);
}
