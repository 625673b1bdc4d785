// Helpers for tests that drive a single RawNode by hand (messages in, Readies out), for rules that are easier to
// pin down precisely than through a whole simulated cluster.
import {
  NONE,
  RawNode,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type MessageType,
  type NodeId,
  type Ready,
  type Snapshot,
} from '../../src/raft/index.js';

export interface NodeSetup {
  id?: NodeId;
  voters?: NodeId[];
  learners?: NodeId[];
  hardState?: HardState;
  entries?: Entry[];
  snapshot?: Snapshot;
  electionTick?: number;
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  maxSizePerMsg?: number;
  maxInflightMsgs?: number;
  /** Fixed offset returned by config.random (default 0: election timeout = electionTick). */
  randomOffset?: number;
}

export function newNode(setup: NodeSetup = {}): RawNode {
  const confState: ConfState = { voters: setup.voters ?? ['1', '2', '3'], learners: setup.learners ?? [] };
  return new RawNode({
    id: setup.id ?? '1',
    electionTick: setup.electionTick ?? 10,
    heartbeatTick: setup.heartbeatTick ?? 1,
    storage: {
      hardState: setup.hardState ?? { term: 0, vote: NONE, commit: 0 },
      entries: setup.entries ?? [],
      confState,
      ...(setup.snapshot ? { snapshot: setup.snapshot } : {}),
    },
    maxSizePerMsg: setup.maxSizePerMsg ?? 1024 * 1024,
    maxInflightMsgs: setup.maxInflightMsgs ?? 256,
    preVote: setup.preVote ?? false,
    checkQuorum: setup.checkQuorum ?? false,
    random: () => setup.randomOffset ?? 0,
  });
}

/** Entries 1..n with the given terms and data "e<index>". */
export function entriesWithTerms(...terms: number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: i + 1, type: 'normal', data: `e${i + 1}` }));
}

export function msg(fields: Partial<Message> & { type: MessageType; from: NodeId; to: NodeId }): Message {
  return { term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: '', ...fields };
}

/** Takes a Ready and advances it (as if persisted, sent and applied); returns it for inspection. */
export function drain(node: RawNode): Ready {
  const rd = node.ready();
  node.advance(rd);
  return rd;
}

/** Drains every pending Ready, returning all messages they carried. */
export function drainMessages(node: RawNode): Message[] {
  const out: Message[] = [];
  while (node.hasReady()) out.push(...drain(node).messages);
  return out;
}

/** Makes `node` (id '1' by default) leader of a 3-node cluster by feeding it a granted vote from '2'. */
export function becomeLeader(node: RawNode, voter: NodeId = '2'): void {
  node.campaign();
  const term = node.status().term;
  drainMessages(node);
  node.step(msg({ type: 'voteResp', from: voter, to: node.status().id, term }));
  if (node.status().role !== 'leader') throw new Error('did not become leader');
}
