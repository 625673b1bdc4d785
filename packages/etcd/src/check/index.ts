// Linearizability checking of etcd client histories: record what clients did while the cluster is being abused,
// then check each key's sub-history against a sequential etcd key (Wing–Gong search with Lowe's memoization).
//
//   const rec = new HistoryRecorder();
//   const h = rec.begin(clientId, key, { type: 'get' });
//   try {
//     const res = await client.range(key);
//     h.ok({ kv: res.kvs[0] ?? null, revision: res.header.revision });
//   } catch (err) {
//     if (classifyError(err) === 'fail') h.fail(); else h.unknown();
//   }
//   ...
//   const verdict = checkLinearizable(rec.history());
//   if (verdict.ok !== true) writeFileSync('history.json', historyToJSON(rec.history()));
//
// Record header revisions and the kv's modRevision / version whenever the client has them: they make the check
// both stronger and much faster. Use a distinct value per write where possible, for the same reasons.
export { checkLinearizable } from './linearizable.js';
export { HistoryRecorder, classifyError, historyFromJSON, historyToJSON } from './recorder.js';
export type { OpHandle, RecorderOptions } from './recorder.js';
export type {
  Bytes,
  CasExpect,
  CasOp,
  CasResult,
  CheckOptions,
  CheckResult,
  ClientId,
  DeleteOp,
  DeleteResult,
  GetOp,
  GetResult,
  History,
  HistoryEntry,
  KeyOp,
  KvObservation,
  OpResult,
  Outcome,
  PutOp,
  PutResult,
  ResultFor,
} from './types.js';
