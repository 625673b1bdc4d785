// The garbage collector's dependency graph (pkg/controller/garbagecollector graph.go + graph_builder.go): one node
// per object uid with its ownerReferences and the nodes that name it as owner. Owners not observed yet are "virtual"
// nodes, whose existence the collector verifies with the API. No I/O here: changes go in, and out come the uids to
// attempt deletion of, the owners to orphan, and invalid references to report.
import type { OwnerReference } from '@k8ts/api-machinery';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Where an object is: its coordinates and uid (objectReference). Cluster-scoped objects have namespace ''. */
export interface Identity {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
}

export function identityKey(i: Identity): string {
  return JSON.stringify([i.apiVersion, i.kind, i.namespace, i.name, i.uid]);
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  return identityKey(a) === identityKey(b);
}

/** The reference's coordinates match the identity (namespace aside). */
export function matchesCoordinates(ref: OwnerReference, i: Identity): boolean {
  return ref.uid === i.uid && ref.name === i.name && ref.kind === i.kind && ref.apiVersion === i.apiVersion;
}

export class GraphNode {
  owners: OwnerReference[] = [];
  readonly dependents = new Set<GraphNode>();
  beingDeleted = false;
  deletingDependents = false;

  constructor(
    public identity: Identity,
    public virtual: boolean,
  ) {}

  get uid(): string {
    return this.identity.uid;
  }

  /** Dependents whose reference to this node blocks its deletion (blockOwnerDeletion: true). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((r) => r.uid === this.uid && r.blockOwnerDeletion === true));
  }
}

/** The absent-owner cache: references verified not to exist (an LRU, as Kubernetes' ReferenceCache of 500). */
export class ReferenceCache {
  private readonly items = new Map<string, true>();

  constructor(private readonly max = 500) {}

  add(i: Identity): void {
    const key = identityKey(i);
    this.items.delete(key);
    this.items.set(key, true);
    if (this.items.size > this.max) this.items.delete(this.items.keys().next().value!);
  }

  has(i: Identity): boolean {
    const key = identityKey(i);
    if (!this.items.has(key)) return false;
    this.items.delete(key);
    this.items.set(key, true);
    return true;
  }
}

/** What an informer (or a verified absence, `virtual`) says about one object. */
export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  identity: Identity;
  /** The object as now: owners, deletionTimestamp set or not, finalizers. */
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
  /** The previous state for updates. */
  old?: { deleting: boolean; finalizers: string[] } | undefined;
  /** A delete the collector inferred from a 404 rather than an informer observed. */
  virtual?: boolean | undefined;
}

export interface GraphActions {
  /** uids to attempt deletion of (the attemptToDelete queue). */
  attemptToDelete: Set<string>;
  /** uids to attempt deletion of after a rate-limited pause. */
  attemptToDeleteLater: Set<string>;
  /** uids of owners whose dependents must be orphaned (the attemptToOrphan queue). */
  attemptToOrphan: Set<string>;
  /** A dependent naming an owner in another namespace (the OwnerRefInvalidNamespace event). */
  invalidNamespaceRefs: Array<{ dependent: Identity; owner: OwnerReference }>;
}

const newActions = (): GraphActions => ({ attemptToDelete: new Set(), attemptToDeleteLater: new Set(), attemptToOrphan: new Set(), invalidNamespaceRefs: [] });

function referencesDiff(old: OwnerReference[], now: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: Array<[OwnerReference, OwnerReference]> } {
  const byUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: Array<[OwnerReference, OwnerReference]> = [];
  for (const ref of now) {
    const before = byUid.get(ref.uid);
    if (!before) added.push(ref);
    else {
      if (JSON.stringify(before) !== JSON.stringify(ref)) changed.push([before, ref]);
      byUid.delete(ref.uid);
    }
  }
  return { added, removed: [...byUid.values()], changed };
}

/** Dependents that reference `owner` with exactly its coordinates, and those that reference its uid otherwise. */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: Identity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (matchesCoordinates(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** getAlternateOwnerIdentity: another way dependents name a uid verified absent under `absent`, in a stable order. */
function alternateIdentity(dependents: GraphNode[], absent: Identity): Identity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set([identityKey(absent)]);
  const candidates: Identity[] = [];
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (matchesCoordinates(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const id: Identity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
      if (clusterScoped && id.apiVersion === absent.apiVersion && id.kind === absent.kind) id.namespace = '';
      const key = identityKey(id);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(id);
    }
  }
  const order = (i: Identity): string => JSON.stringify([i.kind, i.apiVersion, i.namespace, i.name, i.uid]);
  candidates.sort((a, b) => order(a).localeCompare(order(b)));
  return candidates.find((c) => order(c) > order(absent)) ?? candidates[0];
}

export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();

  constructor(readonly absentOwners: ReferenceCache = new ReferenceCache()) {}

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** processGraphChanges for one event. */
  process(ev: GraphEvent): GraphActions {
    const acts = newActions();
    let existing = this.nodes.get(ev.identity.uid);
    if (existing && !ev.virtual && existing.virtual) {
      // A virtual owner is now observed: dependents naming it by other coordinates may be wrong.
      if (!sameIdentity(existing.identity, ev.identity)) {
        const { nonmatching } = partitionDependents(existing.dependents, ev.identity);
        for (const dep of nonmatching) {
          if (ev.identity.namespace !== '' && dep.identity.namespace !== ev.identity.namespace) this.reportInvalid(acts, dep, ev.identity.uid);
          acts.attemptToDelete.add(dep.uid);
        }
        existing.identity = ev.identity;
      }
      existing.virtual = false;
    }

    if (ev.type !== 'delete') {
      if (!existing) {
        const node = new GraphNode(ev.identity, false);
        node.owners = ev.owners;
        node.beingDeleted = ev.deleting;
        node.deletingDependents = ev.deleting && ev.finalizers.includes(FOREGROUND_FINALIZER);
        this.nodes.set(node.uid, node);
        this.addDependentToOwners(acts, node, node.owners);
        this.processTransitions(acts, ev, node);
        return acts;
      }
      if (!ev.virtual && (existing.identity.apiVersion !== ev.identity.apiVersion || existing.identity.kind !== ev.identity.kind)) {
        existing.identity = { ...existing.identity, apiVersion: ev.identity.apiVersion, kind: ev.identity.kind };
      }
      const { added, removed, changed } = referencesDiff(existing.owners, ev.owners);
      if (added.length || removed.length || changed.length) {
        // An owner waiting for its blocking dependents may be free to go now.
        for (const ref of removed) if (ref.blockOwnerDeletion === true && this.nodes.has(ref.uid)) acts.attemptToDelete.add(ref.uid);
        for (const [before, after] of changed) {
          if (before.blockOwnerDeletion === true && after.blockOwnerDeletion !== true && this.nodes.has(after.uid)) acts.attemptToDelete.add(after.uid);
        }
        existing.owners = ev.owners;
        this.addDependentToOwners(acts, existing, added);
        for (const ref of removed) this.nodes.get(ref.uid)?.dependents.delete(existing);
      }
      if (ev.deleting) existing.beingDeleted = true;
      this.processTransitions(acts, ev, existing);
      return acts;
    }

    if (!existing) return acts;
    let remove = true;
    if (ev.virtual) {
      const deleted = ev.identity;
      if (existing.virtual) {
        const { matching, nonmatching } = partitionDependents(existing.dependents, deleted);
        if (nonmatching.length > 0) {
          // Dependents disagree on the owner's coordinates: keep the node for the other identities.
          remove = false;
          if (matching.length > 0) {
            this.absentOwners.add(deleted);
            for (const dep of matching) acts.attemptToDelete.add(dep.uid);
          }
          if (sameIdentity(existing.identity, deleted)) {
            const replacement = alternateIdentity(nonmatching, deleted);
            if (replacement) {
              existing.identity = replacement;
              acts.attemptToDeleteLater.add(existing.uid);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        // A real, observed node is never removed on a virtual delete of other coordinates.
        remove = false;
        const { matching } = partitionDependents(existing.dependents, deleted);
        if (matching.length > 0) {
          this.absentOwners.add(deleted);
          for (const dep of matching) acts.attemptToDelete.add(dep.uid);
        }
      }
    }
    if (remove) {
      existing = existing!;
      this.nodes.delete(existing.uid);
      for (const ref of existing.owners) this.nodes.get(ref.uid)?.dependents.delete(existing);
      if (existing.dependents.size > 0) this.absentOwners.add(ev.identity);
      for (const dep of existing.dependents) acts.attemptToDelete.add(dep.uid);
      // An owner deleting its dependents may be done now.
      for (const ref of existing.owners) {
        const owner = this.nodes.get(ref.uid);
        if (owner?.deletingDependents) acts.attemptToDelete.add(owner.uid);
      }
    }
    return acts;
  }

  /** A verified absence (the object's GET said 404 or another uid), as processGraphChanges gets it. */
  virtualDelete(identity: Identity): GraphActions {
    return this.process({ type: 'delete', identity, owners: [], deleting: false, finalizers: [], virtual: true });
  }

  private addDependentToOwners(acts: GraphActions, node: GraphNode, owners: OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        // Unknown owner: a virtual node the collector checks against the API.
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: node.identity.namespace }, true);
        this.nodes.set(owner.uid, owner);
        owner.dependents.add(node);
        acts.attemptToDelete.add(owner.uid);
        continue;
      }
      owner.dependents.add(node);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) this.reportInvalid(acts, node, ref.uid);
        suspicious = true;
      } else if (!matchesCoordinates(ref, owner.identity)) {
        suspicious = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && owner.virtual) {
        suspicious = true;
      }
    }
    // The collector verifies the references of a dependent that may name its owner wrongly.
    if (suspicious) acts.attemptToDelete.add(node.uid);
  }

  private reportInvalid(acts: GraphActions, dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((r) => r.uid === ownerUid);
    if (ref) acts.invalidNamespaceRefs.push({ dependent: dependent.identity, owner: ref });
  }

  /** The deletion of an owner with the orphan or foregroundDeletion finalizer starts (or the node just appeared so). */
  private processTransitions(acts: GraphActions, ev: GraphEvent, node: GraphNode): void {
    const starts = (finalizer: string): boolean =>
      ev.deleting && ev.finalizers.includes(finalizer) && (!ev.old || !ev.old.deleting || !ev.old.finalizers.includes(finalizer));
    if (starts(ORPHAN_FINALIZER)) {
      acts.attemptToOrphan.add(node.uid);
      return;
    }
    if (starts(FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) acts.attemptToDelete.add(dep.uid);
      acts.attemptToDelete.add(node.uid);
    }
  }
}
