// A terse way to write histories by hand: times are small integers, `ret: null` means unknown outcome.

import type {
  Bytes,
  CasExpect,
  CasResult,
  ClientId,
  DeleteResult,
  GetResult,
  HistoryEntry,
  KeyOp,
  OpResult,
  PutResult,
} from '../../../src/check/index.js';

export type Draft = Omit<HistoryEntry, 'id'>;

function entry(clientId: ClientId, call: number, ret: number | null, op: KeyOp, result: OpResult): Draft {
  if (ret === null) return { clientId, key: 'k', op, call: BigInt(call), ret: null, outcome: 'unknown' };
  return { clientId, key: 'k', op, call: BigInt(call), ret: BigInt(ret), outcome: 'ok', result };
}

export const put = (c: ClientId, call: number, ret: number | null, value: Bytes, res: PutResult = {}): Draft =>
  entry(c, call, ret, { type: 'put', value }, res);

/** `value` null = the read saw the key absent. */
export const get = (
  c: ClientId,
  call: number,
  ret: number | null,
  value: string | null,
  meta: { mod?: number; ver?: number; rev?: number } = {},
): Draft => {
  const res: GetResult = { kv: null };
  if (value !== null) {
    res.kv = { value };
    if (meta.mod !== undefined) res.kv.modRevision = meta.mod;
    if (meta.ver !== undefined) res.kv.version = meta.ver;
  }
  if (meta.rev !== undefined) res.revision = meta.rev;
  return entry(c, call, ret, { type: 'get' }, res);
};

export const del = (c: ClientId, call: number, ret: number | null, deleted: 0 | 1, res: Omit<DeleteResult, 'deleted'> = {}): Draft =>
  entry(c, call, ret, { type: 'delete' }, { deleted, ...res });

export const cas = (
  c: ClientId,
  call: number,
  ret: number | null,
  expect: CasExpect,
  value: string,
  succeeded: boolean,
  res: Omit<CasResult, 'succeeded'> = {},
): Draft => entry(c, call, ret, { type: 'cas', expect, value }, { succeeded, ...res });

/** The op definitely did not happen. */
export const failed = (d: Draft): Draft => {
  const { result: _r, ...rest } = d;
  return { ...rest, ret: d.ret ?? d.call, outcome: 'fail' };
};

export const onKey = (key: string, d: Draft): Draft => ({ ...d, key });

export function history(...drafts: Draft[]): HistoryEntry[] {
  return drafts.map((d, id) => ({ ...d, id }));
}
