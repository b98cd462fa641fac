/**
 * Garbage collector (`garbage-collector`; CONTROLLERS.md §6.4): deletes objects whose
 * owners are gone, and finishes Foreground and Orphan deletions the API server started.
 *
 * The graph comes from informers on every listable, watchable, deletable resource the
 * server's discovery lists (events excepted: they carry no ownerReferences and churn
 * the most); discovery is repeated periodically so resources that appear later are
 * watched too. One work queue, keyed by object UID, runs `reconcile(uid)`:
 *   - object deleting with `orphan` → strip its UID from every dependent's
 *     ownerReferences, then drop the finalizer;
 *   - object deleting with `foregroundDeletion` → queue its dependents (each decides by
 *     attemptToDelete, seeing this owner as "waiting"); when no dependent with
 *     blockOwnerDeletion remains, drop the finalizer (the API server then removes it);
 *   - object with ownerReferences → classify each owner (cache, else a live GET; a UID
 *     mismatch is "gone") and keep it, drop refs, or delete it (garbagecollector-graph.ts).
 *
 * Guarantees: level-triggered (every reconcile re-reads; repeating one is harmless);
 * deletes carry a UID precondition so a same-named successor is never hit; list edits
 * (ownerReferences, finalizers) are json-patches that `test` the list they replace, so
 * a concurrent writer makes them fail and retry rather than be overwritten. An owner
 * absent from the cache is confirmed by a live GET before anything is deleted, so a slow
 * informer never gets dependents collected.
 */
import type { KObject, OwnerReference } from '../shared/api/types';
import { ApiError } from '../shared/api/errors';
import type { Informer } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import type { EventRecorder } from '../shared/controller/events';
import { discover, mappingApiVersion, type RESTMapper, type ResourceMapping } from '../shared/client';
import type { Controller, ControllerContext } from './controller';
import {
  classifyOwner,
  decide,
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  OwnerGraph,
  type GraphNode,
  type ObjectAddress,
  type OwnerLookup,
  type OwnerState,
} from './garbagecollector-graph';

/** How often discovery is repeated to pick up resource types that appeared later. */
const REDISCOVERY_INTERVAL_MS = 30_000;
/** Resources never watched: no ownerReferences in practice, and the highest churn. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

function resourcePrefix(m: { group: string; version: string }): string {
  return m.group === '' ? `/api/${m.version}` : `/apis/${m.group}/${m.version}`;
}

function itemPath(m: ResourceMapping, namespace: string | undefined, name: string): string {
  const ns = m.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? '')}` : '';
  return `${resourcePrefix(m)}${ns}/${m.resource}/${encodeURIComponent(name)}`;
}

function isCode(err: unknown, ...codes: number[]): boolean {
  return err instanceof ApiError && codes.includes(err.code);
}

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private ctx!: ControllerContext;
  private queue!: WorkQueue;
  private recorder!: EventRecorder;
  private mapper?: RESTMapper;
  readonly graph = new OwnerGraph();
  private readonly watched = new Map<string, Informer<KObject>>();
  private rediscovery?: NodeJS.Timeout;
  private workers?: Promise<void>;
  /** Resolves on stop(): start-up waits on informer sync race it, so stop never hangs on a server that is down. */
  private stopSignal!: () => void;
  private stopping = new Promise<void>((r) => (this.stopSignal = r));
  private stopped = false;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = { ...ctx, logger: ctx.logger.child({ controller: this.name }) };
    this.recorder = ctx.recorder('garbage-collector-controller');
    this.queue = new WorkQueue({ onError: (key, err) => this.ctx.logger.warn({ uid: key, err: String(err) }, 'garbage collection failed; retrying') });
    const workers = ctx.options.workers;
    // Workers start once discovery worked and every informer listed, so the first
    // decisions see the whole graph.
    this.workers = this.initialDiscovery()
      .then(() => Promise.race([Promise.all([...this.watched.values()].map((i) => i.waitForSync())), this.stopping]))
      .then(() => (this.stopped ? undefined : this.queue.runWorkers(workers, (uid) => this.reconcile(uid))));
    this.rediscovery = setInterval(() => {
      this.syncMonitors().catch((err) => this.ctx.logger.warn({ err: String(err) }, 'garbage collector rediscovery failed'));
    }, REDISCOVERY_INTERVAL_MS);
    this.rediscovery.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    if (this.rediscovery) clearInterval(this.rediscovery);
    this.queue?.shutdown();
    await this.workers;
  }

  /** Discovery until it works (the API server may still be starting), with capped back-off. */
  private async initialDiscovery(): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 30_000)) {
      try {
        await this.syncMonitors();
        return;
      } catch (err) {
        this.ctx.logger.warn({ err: String(err) }, 'garbage collector discovery failed; retrying');
        await Promise.race([new Promise((r) => setTimeout(r, delay).unref?.()), this.stopping]);
      }
    }
  }

  /** Discovers resources and starts an informer for each one not yet watched. */
  private async syncMonitors(): Promise<void> {
    const mapper = await discover(this.ctx.client);
    this.mapper = mapper;
    for (const m of mapper.mappings) {
      if (!m.preferred) continue;
      if (IGNORED.has(`${m.group}/${m.resource}`)) continue;
      if (!['list', 'watch', 'delete'].every((v) => m.verbs.includes(v))) continue;
      const path = `${resourcePrefix(m)}/${m.resource}`;
      const gr = `${m.group}/${m.resource}`;
      if (this.watched.has(gr)) continue;
      const inf = this.ctx.informers.for<KObject>(path);
      this.watched.set(gr, inf);
      inf.on({
        add: (o) => this.onUpsert(m, o),
        update: (_old, o) => this.onUpsert(m, o),
        delete: (o) => this.onDelete(o),
      });
    }
  }

  private toNode(m: ResourceMapping, o: KObject): GraphNode {
    const md = o.metadata;
    const address: ObjectAddress = { path: itemPath(m, md.namespace, md.name!), apiVersion: mappingApiVersion(m), kind: m.kind, namespace: md.namespace, name: md.name! };
    return { uid: md.uid!, address, owners: [...(md.ownerReferences ?? [])], deletionTimestamp: md.deletionTimestamp, finalizers: [...(md.finalizers ?? [])] };
  }

  private onUpsert(m: ResourceMapping, o: KObject): void {
    if (!o.metadata.uid) return;
    const node = this.toNode(m, o);
    const prev = this.graph.upsert(node);
    const deleting = !!node.deletionTimestamp && (node.finalizers.includes(FINALIZER_ORPHAN) || node.finalizers.includes(FINALIZER_FOREGROUND));
    if (node.owners.length > 0 || deleting) this.queue.add(node.uid);
    // An owner waiting in Foreground may have been waiting for exactly this edit.
    for (const o2 of prev?.owners ?? []) if (!node.owners.some((x) => x.uid === o2.uid)) this.queue.add(o2.uid);
    if (node.deletionTimestamp) for (const o2 of node.owners) this.queue.add(o2.uid);
  }

  private onDelete(o: KObject): void {
    const uid = o.metadata.uid;
    if (!uid) return;
    const prev = this.graph.remove(uid);
    // Its dependents may now be dangling; its owners may have been waiting for it.
    for (const d of this.graph.dependentsOf(uid)) this.queue.add(d.uid);
    for (const ow of prev?.owners ?? o.metadata.ownerReferences ?? []) this.queue.add(ow.uid);
  }

  async reconcile(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.deletionTimestamp) {
      if (node.finalizers.includes(FINALIZER_ORPHAN)) return this.orphanDependents(node);
      if (node.finalizers.includes(FINALIZER_FOREGROUND)) return this.deleteDependentsInForeground(node);
      return; // being deleted some other way (e.g. a pod waiting for its kubelet)
    }
    if (node.owners.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of node.owners) states.set(ref.uid, await this.ownerState(node, ref));
    const decision = decide({ metadata: { ownerReferences: node.owners, finalizers: node.finalizers } }, states, this.graph.hasDependents(uid));
    if (decision.action === 'keep') return;
    if (decision.action === 'removeOwnerRefs') {
      await this.removeOwnerRefs(node, new Set(decision.uids));
      return;
    }
    this.ctx.logger.info({ object: `${node.address.kind}/${node.address.namespace ? `${node.address.namespace}/` : ''}${node.address.name}`, propagation: decision.propagation }, 'deleting object whose owners are gone');
    try {
      await this.ctx.client.delete(node.address.path, { propagationPolicy: decision.propagation, preconditions: { uid } });
    } catch (err) {
      // Gone already, or the name now belongs to another object: nothing of ours to delete.
      if (!isCode(err, 404, 409)) throw err;
    }
  }

  private async ownerState(node: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    let m: ResourceMapping;
    try {
      m = this.mapper!.kindFor(ref.apiVersion, ref.kind);
    } catch {
      // Types unknown at the last discovery: look again before judging the owner.
      this.mapper = await discover(this.ctx.client);
      m = this.mapper.kindFor(ref.apiVersion, ref.kind);
    }
    if (m.namespaced && !node.address.namespace) {
      // A cluster-scoped object cannot have a namespaced owner: the ref counts as absent.
      this.recorder.event(
        { apiVersion: node.address.apiVersion, kind: node.address.kind, metadata: { name: node.address.name, uid: node.uid } },
        'Warning',
        'OwnerRefInvalidNamespace',
        `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: , name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace ""`,
      );
      return 'dangling';
    }
    const cached = this.graph.get(ref.uid);
    if (cached && cached.address.kind === m.kind && cached.address.name === ref.name && cached.address.namespace === (m.namespaced ? node.address.namespace : undefined)) {
      return classifyOwner(ref, { uid: cached.uid, deletionTimestamp: cached.deletionTimestamp, finalizers: cached.finalizers });
    }
    return classifyOwner(ref, await this.getLive(itemPath(m, node.address.namespace, ref.name)));
  }

  private async getLive(path: string): Promise<OwnerLookup | undefined> {
    try {
      const o = await this.ctx.client.get<KObject>(path);
      return { uid: o.metadata.uid, deletionTimestamp: o.metadata.deletionTimestamp, finalizers: o.metadata.finalizers };
    } catch (err) {
      if (isCode(err, 404)) return undefined;
      throw err;
    }
  }

  /** Drops the given owner UIDs from the live object's ownerReferences (fenced by a json-patch test). */
  private async removeOwnerRefs(node: GraphNode, uids: Set<string>): Promise<void> {
    let live: KObject;
    try {
      live = await this.ctx.client.get<KObject>(node.address.path);
    } catch (err) {
      if (isCode(err, 404)) return;
      throw err;
    }
    if (live.metadata.uid !== node.uid) return;
    const refs = live.metadata.ownerReferences ?? [];
    const keep = refs.filter((r) => !uids.has(r.uid));
    if (keep.length === refs.length) return;
    const ops: unknown[] = [{ op: 'test', path: '/metadata/uid', value: node.uid }, { op: 'test', path: '/metadata/ownerReferences', value: refs }];
    ops.push(keep.length > 0 ? { op: 'replace', path: '/metadata/ownerReferences', value: keep } : { op: 'remove', path: '/metadata/ownerReferences' });
    try {
      await this.ctx.client.patch(node.address.path, ops, 'json');
    } catch (err) {
      if (!isCode(err, 404)) throw err;
    }
  }

  /** Removes one finalizer from the live object (fenced by a json-patch test of the list). */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    let live: KObject;
    try {
      live = await this.ctx.client.get<KObject>(node.address.path);
    } catch (err) {
      if (isCode(err, 404)) return;
      throw err;
    }
    if (live.metadata.uid !== node.uid) return;
    const fins = live.metadata.finalizers ?? [];
    if (!fins.includes(finalizer)) return;
    const keep = fins.filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(node.address.path, [
        { op: 'test', path: '/metadata/uid', value: node.uid },
        { op: 'test', path: '/metadata/finalizers', value: fins },
        keep.length > 0 ? { op: 'replace', path: '/metadata/finalizers', value: keep } : { op: 'remove', path: '/metadata/finalizers' },
      ], 'json');
    } catch (err) {
      if (!isCode(err, 404)) throw err;
    }
  }

  private async orphanDependents(owner: GraphNode): Promise<void> {
    const dependents = this.graph.dependentsOf(owner.uid);
    await Promise.all(dependents.map((d) => this.removeOwnerRefs(d, new Set([owner.uid]))));
    await this.removeFinalizer(owner, FINALIZER_ORPHAN);
    this.ctx.logger.info({ object: `${owner.address.kind}/${owner.address.name}`, dependents: dependents.length }, 'orphaned dependents');
  }

  private async deleteDependentsInForeground(owner: GraphNode): Promise<void> {
    // Each dependent decides for itself: it sees this owner as waiting, so it is deleted
    // (Foreground if it has dependents of its own) unless another owner still holds it.
    for (const d of this.graph.dependentsOf(owner.uid)) if (!d.deletionTimestamp) this.queue.add(d.uid);
    const blocking = this.graph.blockingDependentsOf(owner.uid);
    if (blocking.length > 0) return; // their delete events queue this owner again
    await this.removeFinalizer(owner, FINALIZER_FOREGROUND);
  }
}
