// The bytes of a Raft snapshot: the member table and the MVCC store at one applied index.
// Layout: [u32 LE length of the member-table JSON][member-table JSON][MVCC store bytes].
import { MvccStore } from '../mvcc/index.js';
import { MemberTable } from './membership.js';

export function encodeStateSnapshot(store: MvccStore, members: MemberTable): Uint8Array {
  const membersJson = Buffer.from(JSON.stringify(members.toJSON()));
  const storeBytes = store.serialize();
  const out = Buffer.allocUnsafe(4 + membersJson.length + storeBytes.byteLength);
  out.writeUInt32LE(membersJson.length, 0);
  membersJson.copy(out, 4);
  out.set(storeBytes, 4 + membersJson.length);
  return out;
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
