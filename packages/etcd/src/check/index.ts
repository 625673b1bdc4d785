// Linearizability checking of etcd client histories (per key, Wing–Gong search with Lowe's memoization).
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
