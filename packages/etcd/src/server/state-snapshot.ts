// The bytes of a Raft snapshot: the member table and the MVCC store at one applied index.
// Layout: [u32 LE length of the member-table JSON][member-table JSON][MVCC store bytes].
import { ByteWriter, MvccStore } from '../mvcc/index.js';
import { MemberTable } from './membership.js';

export function encodeStateSnapshot(store: MvccStore, members: MemberTable): Uint8Array {
  const steps = encodeStateSnapshotSteps(store, members, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * encodeStateSnapshot of the state as it is at this call, in steps of `chunk` store revisions (see
 * MvccStore.serializeSteps): what is applied while the steps run does not show in the result. One buffer, sized up
 * front, holds the whole snapshot: no copy of it is made at the end.
 */
export function encodeStateSnapshotSteps(store: MvccStore, members: MemberTable, chunk: number): Generator<void, Uint8Array, void> {
  const membersJson = Buffer.from(JSON.stringify(members.toJSON()));
  const w = new ByteWriter(4 + membersJson.length + store.serializedSizeHint());
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32LE(membersJson.length, 0);
  w.raw(length);
  w.raw(membersJson);
  return store.serializeSteps(chunk, w);
}

export function decodeStateSnapshot(data: Uint8Array): { store: MvccStore; members: MemberTable } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 4) throw new Error('snapshot data too short');
  const len = buf.readUInt32LE(0);
  if (4 + len > buf.length) throw new Error('snapshot data truncated');
  const members = MemberTable.fromJSON(JSON.parse(buf.subarray(4, 4 + len).toString()) as Parameters<typeof MemberTable.fromJSON>[0]);
  const store = MvccStore.restore(buf.subarray(4 + len));
  return { store, members };
}
