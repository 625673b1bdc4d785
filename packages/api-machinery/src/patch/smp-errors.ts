// The strategic-merge-patch errors, worded as apimachinery's strategicpatch/mergepatch packages word them.
// kube-apiserver answers 400 for the "invalid patch format" family and 422 for lists of lists; the remaining errors
// reach clients as a 500 there, which we narrow to 400 (a malformed directive) or 422 (data the patch cannot merge).
import type { JsonValue } from '../json.js';
import { goString, goTypeName, goValue } from './go-format.js';
import { badPatch, unprocessablePatch, type PatchError } from './patch-error.js';

export const smpErrors = {
  badPrimitiveListFormat: (): PatchError => badPatch('invalid patch format of primitive list'),
  badRetainKeysFormat: (): PatchError => badPatch('invalid patch format of retainKeys'),
  badSetElementOrderFormat: (): PatchError => badPatch('invalid patch format of setElementOrder list'),
  listOfLists: (): PatchError => unprocessablePatch('lists of lists are not supported'),
  unknownPatchType: (directive: JsonValue | undefined, map: JsonValue): PatchError =>
    badPatch(`unknown patch type: ${goString(directive)} in map: ${goValue(map)}`),
  mergeDirectiveInList: (): PatchError => badPatch('merging lists cannot yet be specified in the patch'),
  /** `expected` is a Go type name such as `[]interface {}` or `map[string]interface {}`. */
  badArgType: (expected: string, actual: JsonValue | undefined): PatchError =>
    badPatch(`expected a ${expected}, but received a ${goTypeName(actual)}`),
  noMergeKey: (item: JsonValue, mergeKey: string): PatchError =>
    unprocessablePatch(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`),
  mixedElementTypes: (lists: JsonValue[][]): PatchError =>
    unprocessablePatch(`list element types are not identical: ${goValue(lists)}`),
  noMergeKeyDeclared: (field: string): PatchError => unprocessablePatch(`cannot merge lists without merge key for ${field}`),
  orderMismatch: (patchList: JsonValue[], order: JsonValue[]): PatchError =>
    badPatch(`The order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(order)}\n`),
  unexpectedStrategy: (strategies: string[]): PatchError => unprocessablePatch(`unexpected patch strategy: ${goValue(strategies)}`),
};

export const MAP_TYPE = 'map[string]interface {}';
export const LIST_TYPE = '[]interface {}';
