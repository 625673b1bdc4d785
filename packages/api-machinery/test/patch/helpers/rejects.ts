// Asserts that a patch function throws a PatchError with the given HTTP status and exact message.
import type { Test } from 'tap';
import { PatchError } from '../../../src/patch/index.js';

export function rejectsWith(t: Test, fn: () => unknown, status: 400 | 422, message: string | RegExp): void {
  try {
    fn();
    t.fail(`expected a ${status} PatchError: ${String(message)}`);
  } catch (error) {
    t.type(error, PatchError);
    t.equal((error as PatchError).status, status, 'status');
    if (typeof message === 'string') t.equal((error as PatchError).message, message);
    else t.match((error as PatchError).message, message);
  }
}
