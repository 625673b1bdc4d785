// Message construction and classification.
import type { Message, MessageType, NodeId } from './types.js';

/** Marks a vote request from a campaign started by a leader transfer: it bypasses leader stickiness. */
export const CAMPAIGN_TRANSFER_CONTEXT = 'CampaignTransfer';

/** Types that only ever come from the local node, never from a peer. */
const LOCAL_ONLY: ReadonlySet<MessageType> = new Set<MessageType>(['hup', 'beat', 'unreachable', 'snapStatus', 'checkQuorum']);

/** Types that travel without a term: forwarded requests, judged by the leader whatever its term. */
const TERMLESS: ReadonlySet<MessageType> = new Set<MessageType>(['prop', 'readIndex']);

export function isLocalOnly(type: MessageType): boolean {
  return LOCAL_ONLY.has(type);
}

export function isTermless(type: MessageType): boolean {
  return TERMLESS.has(type);
}

export type MessageFields = Partial<Message> & { type: MessageType; to: NodeId; from: NodeId; term: number };

export function makeMessage(fields: MessageFields): Message {
  return {
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: '',
    ...fields,
  };
}
