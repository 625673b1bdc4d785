// Cluster membership: member ids, the cluster id, and the member table that every member applies identically
// (changed only by committed conf-change entries, carried in snapshots).
import { createHash } from 'node:crypto';
import type { NodeId } from '../raft/types.js';

export interface Member {
  id: NodeId;
  /** '' until the member has started and published its name (etcd shows unstarted members with no name). */
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

/** The first 8 bytes of a SHA-1, as an unsigned 64-bit decimal string: etcd derives its ids the same way. */
function hashToId(text: string): NodeId {
  const digest = createHash('sha1').update(text).digest();
  return digest.readBigUInt64BE(0).toString();
}

/**
 * A member id from its peer URLs and the cluster token, like etcd (so restarting with the same flags gives the same
 * id). Members added at runtime also mix in a time so a re-added URL gets a new id.
 */
export function memberIdFor(peerURLs: readonly string[], clusterToken: string, addedAtMs?: number): NodeId {
  const urls = [...peerURLs].sort().join('');
  return hashToId(urls + clusterToken + (addedAtMs === undefined ? '' : String(addedAtMs)));
}

export function clusterIdFor(memberIds: readonly NodeId[]): string {
  const sorted = [...memberIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return hashToId(sorted.join(''));
}

/** Parses `--initial-cluster m1=http://127.0.0.1:2380,m2=http://...` (a name may repeat for several URLs). */
export function parseInitialCluster(spec: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new Error(`--initial-cluster: "${part}" is not name=url`);
    const name = part.slice(0, eq);
    const url = part.slice(eq + 1);
    try {
      new URL(url);
    } catch {
      throw new Error(`--initial-cluster: "${url}" is not a URL`);
    }
    const urls = byName.get(name) ?? [];
    urls.push(url);
    byName.set(name, urls);
  }
  if (byName.size === 0) throw new Error('--initial-cluster is empty');
  return byName;
}

/** The applied member table. Mutated only while applying committed entries, so it is identical on every member. */
export class MemberTable {
  private readonly members = new Map<NodeId, Member>();

  list(): Member[] {
    return [...this.members.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }
  get(id: NodeId): Member | undefined {
    return this.members.get(id);
  }
  has(id: NodeId): boolean {
    return this.members.has(id);
  }
  add(member: Member): void {
    this.members.set(member.id, { ...member, peerURLs: [...member.peerURLs], clientURLs: [...member.clientURLs] });
  }
  remove(id: NodeId): void {
    this.members.delete(id);
  }
  update(id: NodeId, patch: Partial<Omit<Member, 'id'>>): void {
    const m = this.members.get(id);
    if (m) this.members.set(id, { ...m, ...patch });
  }
  findByPeerURL(url: string): Member | undefined {
    for (const m of this.members.values()) if (m.peerURLs.includes(url)) return m;
    return undefined;
  }
  toJSON(): { members: Member[] } {
    return { members: this.list() };
  }
  static fromJSON(data: { members: Member[] }): MemberTable {
    const table = new MemberTable();
    for (const m of data.members) table.add(m);
    return table;
  }
}
