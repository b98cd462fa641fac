/**
 * The garbage collector's pure parts (CONTROLLERS.md §6.4): the owner → dependents
 * graph kept from informer events, and the decision what to do with one object given
 * what its owners look like. No I/O here, so the rules are unit-tested as tables.
 */
import type { KObject, OwnerReference } from '../shared/api/types';

export const FINALIZER_FOREGROUND = 'foregroundDeletion';
export const FINALIZER_ORPHAN = 'orphan';

/** How one ownerReference resolved. */
export type OwnerState = 'solid' | 'dangling' | 'waitingForDependentsDeletion';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export type Decision =
  | { action: 'keep' }
  /** Keep the object but drop these owner UIDs from its ownerReferences. */
  | { action: 'removeOwnerRefs'; uids: string[] }
  | { action: 'delete'; propagation: Propagation };

/** What an owner looks like to the GC (from the cache or a live GET). */
export interface OwnerLookup {
  /** undefined = NotFound. */
  uid?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
}

export function classifyOwner(ref: OwnerReference, owner: OwnerLookup | undefined): OwnerState {
  // An owner with the same name but another UID is a different object: ours is gone.
  if (!owner || owner.uid !== ref.uid) return 'dangling';
  if (owner.deletionTimestamp && (owner.finalizers ?? []).includes(FINALIZER_FOREGROUND)) return 'waitingForDependentsDeletion';
  return 'solid';
}

/**
 * attemptToDelete's decision for an object with ownerReferences.
 * @param states the state of each ownerReference, by owner UID
 * @param hasDependents whether something names this object as its owner
 */
export function decide(obj: KObject, states: Map<string, OwnerState>, hasDependents: boolean): Decision {
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0) return { action: 'keep' };
  const solid = refs.filter((r) => states.get(r.uid) === 'solid');
  const dangling = refs.filter((r) => states.get(r.uid) === 'dangling');
  const waiting = refs.filter((r) => states.get(r.uid) === 'waitingForDependentsDeletion');
  if (solid.length > 0) {
    const drop = [...dangling, ...waiting].map((r) => r.uid);
    return drop.length > 0 ? { action: 'removeOwnerRefs', uids: drop } : { action: 'keep' };
  }
  if (waiting.length > 0 && hasDependents) return { action: 'delete', propagation: 'Foreground' };
  const fin = obj.metadata.finalizers ?? [];
  if (fin.includes(FINALIZER_ORPHAN)) return { action: 'delete', propagation: 'Orphan' };
  if (fin.includes(FINALIZER_FOREGROUND)) return { action: 'delete', propagation: 'Foreground' };
  return { action: 'delete', propagation: 'Background' };
}

/** Where an object lives, enough to GET, PATCH or DELETE it. */
export interface ObjectAddress {
  /** Collection-independent item path, e.g. `/apis/apps/v1/namespaces/dev/replicasets/web`. */
  path: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface GraphNode {
  uid: string;
  address: ObjectAddress;
  owners: OwnerReference[];
  deletionTimestamp?: string;
  finalizers: string[];
}

/**
 * The owner → dependents graph, keyed by UID. Owners that no informer reported are not
 * nodes (the GC confirms them with a live GET), but their dependents are indexed by the
 * owner UID all the same, so a later delete of such an owner still finds them.
 */
export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  size(): number {
    return this.nodes.size;
  }

  /** Adds or replaces a node; returns the previous one. */
  upsert(node: GraphNode): GraphNode | undefined {
    const prev = this.nodes.get(node.uid);
    if (prev) this.unlink(prev);
    this.nodes.set(node.uid, node);
    for (const o of node.owners) {
      let s = this.dependents.get(o.uid);
      if (!s) this.dependents.set(o.uid, (s = new Set()));
      s.add(node.uid);
    }
    return prev;
  }

  remove(uid: string): GraphNode | undefined {
    const prev = this.nodes.get(uid);
    if (!prev) return undefined;
    this.unlink(prev);
    this.nodes.delete(uid);
    return prev;
  }

  /** Nodes naming `uid` among their owners. */
  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is GraphNode => !!n);
  }

  hasDependents(uid: string): boolean {
    return (this.dependents.get(uid)?.size ?? 0) > 0;
  }

  /** Dependents that still hold a foreground deletion of `uid` (blockOwnerDeletion: true). */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion === true));
  }

  private unlink(node: GraphNode): void {
    for (const o of node.owners) {
      const s = this.dependents.get(o.uid);
      if (!s) continue;
      s.delete(node.uid);
      if (s.size === 0) this.dependents.delete(o.uid);
    }
  }
}
