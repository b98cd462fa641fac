/**
 * The ReplicaSet controller (CONTROLLERS.md §1): keeps `spec.replicas` active pods that
 * match the selector and carry this ReplicaSet's ControllerRef.
 *
 * Concurrency: informer handlers only enqueue `ns/name` of the owning ReplicaSet (and
 * bump expectations); `reconcile(key)` runs on a WorkQueue, so one ReplicaSet is never
 * synced twice at once. Reconcile is level-triggered: it reads the RS and every pod in
 * its namespace from the informer cache, claims (adopt/release), creates or deletes the
 * difference, and writes status through /status.
 *
 * Guarantees: a pod creation in flight is never counted twice (expectations, 0.2), and
 * the count of existing pods always comes from the cache listed from the API — after a
 * crash the new process lists, sees what its predecessor created and tops up (or trims)
 * to exactly N. Pod names are server-generated (`<rs>-xxxxx`), so a surplus left by
 * creates that were in flight during a crash is deleted by the normal scale-down.
 */
import type { KObject } from '../shared/api/types';
import type { Pod, ReplicaSet } from './util/types';
import { ApiError } from '../shared/api/errors';
import { clone } from '../shared/api/types';
import type { KubeClient } from '../shared/client';
import type { EventRecorder } from '../shared/controller/events';
import type { Informer } from '../shared/controller/informer';
import { keyOf } from '../shared/controller/informer';
import { WorkQueue, type ReconcileResult } from '../shared/controller/workqueue';
import type { Logger } from '../shared/logger';
import { matchLabels } from '../shared/selectors';
import type { Controller, ControllerContext } from './controller';
import { calculateReplicaSetStatus, compactStatus, replicaSetStatusChanged } from './replicaset-util';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './util/batch';
import { Expectations } from './util/expectations';
import { claimChildren, controllerRefOf, newControllerRef, nonEmptySelector } from './util/owner';
import { isPodActive, isPodReady, podsToDelete, podPath } from './util/pods';

/** Upstream's per-sync cap on creates/deletes for ReplicaSets (burstReplicas). */
export const BURST_REPLICAS = 500;
export const RS_EVENT_SOURCE = 'replicaset-controller';

const RS_PATH = '/apis/apps/v1/replicasets';
const POD_PATH = '/api/v1/pods';
const rsPath = (ns: string, name?: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets${name ? `/${encodeURIComponent(name)}` : ''}`;


export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  private queue = new WorkQueue();
  private readonly expectations = new Expectations();
  private rsInf!: Informer<ReplicaSet>;
  private podInf!: Informer<Pod>;
  private client!: KubeClient;
  private recorder!: EventRecorder;
  private logger!: Logger;
  private ctx!: ControllerContext;
  private readonly abort = new AbortController();
  private stopped = false;
  private workers?: Promise<void>;

  constructor(private readonly burstReplicas = BURST_REPLICAS) {}

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = ctx;
    this.client = ctx.client;
    this.logger = ctx.logger.child({ controller: this.name });
    this.recorder = ctx.recorder(RS_EVENT_SOURCE);
    // A 409 only means our cached view was stale: the retry reads the fresh one. Not worth a warning.
    this.queue = new WorkQueue({ onError: (key, err) => this.logger[err instanceof ApiError && err.code === 409 ? 'debug' : 'warn']({ object: key, err: String(err) }, 'sync failed; retrying') });
    this.rsInf = ctx.informers.for<ReplicaSet>(RS_PATH);
    this.podInf = ctx.informers.for<Pod>(POD_PATH);
    this.rsInf.on({
      add: (rs) => this.queue.add(keyOf(rs)),
      update: (_o, rs) => this.queue.add(keyOf(rs)),
      delete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.queue.add(keyOf(rs));
      },
    });
    this.podInf.on({ add: (p) => this.podAdded(p), update: (o, p) => this.podUpdated(o, p), delete: (p) => this.podDeleted(p) });
    this.workers = (async () => {
      await Promise.all([this.rsInf.waitForSync(), this.podInf.waitForSync()]);
      if (this.stopped) return;
      await this.queue.runWorkers(ctx.options.workers, (key) => this.reconcile(key));
    })();
  }

  /** Abrupt by design: in-flight requests are aborted, nothing is flushed — state lives in the API. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.queue.shutdown();
    await this.workers?.catch(() => undefined);
  }

  // ---------------------------------------------------------------- event handlers (enqueue only)

  /** The RS controlling `pod`, if it is a ReplicaSet we know with that UID. */
  private ownerOf(pod: Pod): ReplicaSet | undefined {
    const ref = controllerRefOf(pod as KObject);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsInf.get(`${pod.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  private enqueueMatching(pod: Pod): void {
    for (const rs of this.rsInf.list()) {
      if (rs.metadata.namespace !== pod.metadata.namespace) continue;
      const sel = nonEmptySelector(rs);
      if (sel && matchLabels(sel, pod.metadata.labels)) this.queue.add(keyOf(rs));
    }
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const rs = this.ownerOf(pod);
    if (rs) {
      this.expectations.creationObserved(keyOf(rs));
      this.queue.add(keyOf(rs));
    } else if (!controllerRefOf(pod as KObject)) {
      this.enqueueMatching(pod);
    }
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.podDeleted(pod);
    const oldRs = this.ownerOf(old);
    const rs = this.ownerOf(pod);
    if (oldRs && oldRs !== rs) this.queue.add(keyOf(oldRs));
    if (rs) {
      this.queue.add(keyOf(rs));
      // Availability has no event of its own: look again once minReadySeconds has passed.
      const mrs = rs.spec?.minReadySeconds ?? 0;
      if (mrs > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(keyOf(rs), (mrs + 1) * 1000);
    } else if (!controllerRefOf(pod as KObject)) {
      this.enqueueMatching(pod);
    }
  }

  private podDeleted(pod: Pod): void {
    const rs = this.ownerOf(pod);
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.queue.add(keyOf(rs));
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.rsInf.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = clone(cached);
    rs.kind = 'ReplicaSet';
    rs.apiVersion = 'apps/v1';
    const ns = rs.metadata.namespace!;
    const needsSync = this.expectations.satisfied(key);
    const sel = nonEmptySelector(rs);
    const now = this.ctx.clock.now();

    const candidates = this.podInf.list().filter((p) => p.metadata.namespace === ns && isPodActive(p));
    const pods = await claimChildren<Pod>({
      owner: rs as KObject,
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      children: candidates,
      matches: (p) => !!sel && matchLabels(sel, p.metadata.labels),
      pathOf: (p) => podPath(ns, p.metadata.name),
      client: this.client,
      recheck: () => this.client.get<KObject>(rsPath(ns, rs.metadata.name), { signal: this.abort.signal }).catch(() => undefined),
      signal: this.abort.signal,
    });

    let manageError: { message: string; reason: 'FailedCreate' | 'FailedDelete'; err: unknown } | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      const diff = pods.length - (rs.spec?.replicas ?? 1);
      try {
        if (diff < 0) await this.createPods(rs, key, Math.min(-diff, this.burstReplicas));
        else if (diff > 0) await this.deletePods(rs, key, pods, Math.min(diff, this.burstReplicas), now);
      } catch (err) {
        manageError = { message: err instanceof Error ? err.message : String(err), reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', err };
      }
    }

    const status = calculateReplicaSetStatus(rs, pods, manageError, now);
    if (replicaSetStatusChanged(rs, status)) {
      const body = { ...rs, status: compactStatus(status) };
      await this.client.update(`${rsPath(ns, rs.metadata.name)}/status`, body, { signal: this.abort.signal });
    }
    if (manageError) throw manageError.err;
    const mrs = rs.spec?.minReadySeconds ?? 0;
    const want = rs.spec?.replicas ?? 1;
    if (mrs > 0 && status.readyReplicas === want && status.availableReplicas !== want) return { requeueAfter: mrs * 1000 };
  }

  private async createPods(rs: ReplicaSet, key: string, n: number): Promise<void> {
    const ns = rs.metadata.namespace!;
    const tpl = rs.spec?.template ?? {};
    if (!tpl.metadata?.labels || Object.keys(tpl.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    // Expectations first: the add events may arrive before the POSTs return.
    this.expectations.expectCreations(key, n);
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        labels: { ...tpl.metadata.labels },
        ...(tpl.metadata.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
        ...(tpl.metadata.finalizers ? { finalizers: [...tpl.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(rs as KObject, 'apps/v1', 'ReplicaSet')],
      },
      spec: clone(tpl.spec ?? {}),
    };
    const { attempted, error } = await slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      try {
        const pod = await this.client.create<Pod>(podPath(ns), body, { signal: this.abort.signal });
        this.recorder.event(rs as KObject, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        // The informer will never see this pod: lower the expectation now.
        this.expectations.creationObserved(key);
        if (!(err instanceof ApiError && /NamespaceTerminating|being terminated/.test(err.message))) {
          this.recorder.event(rs as KObject, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        }
        throw err;
      }
    });
    if (error !== undefined) {
      // Creations slow start never attempted will never be observed either.
      this.expectations.creationObserved(key, n - attempted);
      throw error;
    }
  }

  private async deletePods(rs: ReplicaSet, key: string, pods: Pod[], n: number, now: Date): Promise<void> {
    const ns = rs.metadata.namespace!;
    const rank = this.relatedRank(rs, pods);
    const victims = podsToDelete(pods, n, rank, now);
    this.expectations.expectDeletions(key, victims.map((p) => keyOf(p)));
    let firstErr: unknown;
    await Promise.all(
      victims.map(async (p) => {
        try {
          await this.client.delete(podPath(ns, p.metadata.name), undefined, { signal: this.abort.signal });
          this.recorder.event(rs as KObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(p));
          if (err instanceof ApiError && err.code === 404) return;
          this.recorder.event(rs as KObject, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
          firstErr ??= err;
        }
      }),
    );
    if (firstErr) throw firstErr;
  }

  /**
   * Rule 5 of the ranking: how many related active pods share a pod's node. Related =
   * pods of every ReplicaSet with the same controller as this one (all RSes of one
   * Deployment), or only this RS's pods when it has no owner.
   */
  private relatedRank(rs: ReplicaSet, pods: Pod[]): (p: Pod) => number {
    const owner = controllerRefOf(rs as KObject);
    let related = pods;
    if (owner) {
      const siblings = new Set(
        this.rsInf
          .list()
          .filter((r) => r.metadata.namespace === rs.metadata.namespace && controllerRefOf(r as KObject)?.uid === owner.uid)
          .map((r) => r.metadata.uid),
      );
      related = this.podInf.list().filter((p) => p.metadata.namespace === rs.metadata.namespace && isPodActive(p) && siblings.has(controllerRefOf(p as KObject)?.uid));
    }
    const perNode = new Map<string, number>();
    for (const p of related) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    return (p) => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  }
}

