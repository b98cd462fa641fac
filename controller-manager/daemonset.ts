/**
 * The DaemonSet controller (CONTROLLERS.md §5): one pod per eligible node, pinned to it by
 * a matchFields node affinity and bound by the scheduler; pods of nodes that vanish or stop
 * qualifying are deleted; a template change rolls pods (RollingUpdate, maxSurge 0) at most
 * maxUnavailable at a time, tracked by ControllerRevisions and the controller-revision-hash
 * label.
 *
 * Concurrency: informer handlers only enqueue DaemonSet keys (a node change enqueues every
 * DaemonSet; a pod change its owner) and record expectations; reconcile(key) runs on a
 * WorkQueue, one DaemonSet at a time per key.
 *
 * Guarantees: creates/deletes in flight are never counted twice (expectations, 0.2), so a
 * node never gets a second daemon pod from one process; after a restart the cache listed
 * from the API is the truth, and a surplus pod on a node is trimmed (oldest kept). Rolling
 * deletions only happen in a sync with nothing else to create or delete, so the
 * unavailability budget is computed from a settled view.
 *
 * Not implemented: maxSurge > 0 (treated as 0), OnDelete is honoured by simply not rolling,
 * per-node back-off for failed daemon pods, collisionCount bumps on hash collisions.
 */
import type { KObject } from '../shared/api/types';
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
import {
  daemonPodSpec,
  maxUnavailableOf,
  nodeShouldRunDaemonPod,
  REVISION_HASH_LABEL,
  rollingUpdateVictims,
  targetNodeOf,
  TEMPLATE_GENERATION_ANNOTATION,
  TEMPLATE_GENERATION_LABEL,
  type DaemonSetObj,
  type NodeObj,
  type NodeRollState,
} from './daemonset-util';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './util/batch';
import { Expectations } from './util/expectations';
import { computeHash } from './util/hash';
import { claimChildren, controllerRefOf, newControllerRef, nonEmptySelector } from './util/owner';
import { isPodAvailable, isPodReady, podPath } from './util/pods';
import { canonicalJson } from './util/template';
import type { Pod } from './util/types';

export const DS_EVENT_SOURCE = 'daemonset-controller';
/** Upstream's per-sync cap on daemon pod creations (burstReplicas). */
export const DS_BURST_REPLICAS = 250;

const DS_PATH = '/apis/apps/v1/daemonsets';
const POD_PATH = '/api/v1/pods';
const NODE_PATH = '/api/v1/nodes';
const CR_PATH = '/apis/apps/v1/controllerrevisions';
const dsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets/${encodeURIComponent(name)}`;
const crPath = (ns: string, name?: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions${name ? `/${encodeURIComponent(name)}` : ''}`;

type Revision = KObject & { revision?: number; data?: unknown };


const creationOrder = (a: Pod, b: Pod) =>
  Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') || (a.metadata.name! < b.metadata.name! ? -1 : 1);

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private queue = new WorkQueue();
  private readonly expectations = new Expectations();
  private dsInf!: Informer<DaemonSetObj>;
  private podInf!: Informer<Pod>;
  private nodeInf!: Informer<NodeObj>;
  private crInf!: Informer<Revision>;
  private client!: KubeClient;
  private recorder!: EventRecorder;
  private logger!: Logger;
  private ctx!: ControllerContext;
  private readonly abort = new AbortController();
  private stopped = false;
  private workers?: Promise<void>;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = ctx;
    this.client = ctx.client;
    this.logger = ctx.logger.child({ controller: this.name });
    this.recorder = ctx.recorder(DS_EVENT_SOURCE);
    this.queue = new WorkQueue({ onError: (key, err) => this.logger[err instanceof ApiError && err.code === 409 ? 'debug' : 'warn']({ object: key, err: String(err) }, 'sync failed; retrying') });
    this.dsInf = ctx.informers.for<DaemonSetObj>(DS_PATH);
    this.podInf = ctx.informers.for<Pod>(POD_PATH);
    this.nodeInf = ctx.informers.for<NodeObj>(NODE_PATH);
    this.crInf = ctx.informers.for<Revision>(CR_PATH);
    this.dsInf.on({
      add: (d) => this.queue.add(keyOf(d)),
      update: (_o, d) => this.queue.add(keyOf(d)),
      delete: (d) => this.expectations.delete(keyOf(d)),
    });
    const allDs = () => this.dsInf.list().forEach((d) => this.queue.add(keyOf(d)));
    this.nodeInf.on({
      add: allDs,
      // Only what eligibility reads matters; status heartbeats would otherwise resync everything.
      update: (o, n) => {
        if (canonicalJson([o.metadata.labels, o.spec]) !== canonicalJson([n.metadata.labels, n.spec])) allDs();
      },
      delete: allDs,
    });
    this.podInf.on({
      add: (p) => this.podChanged(p, p.metadata.deletionTimestamp ? 'delete' : 'add'),
      update: (o, p) => {
        if (p.metadata.resourceVersion !== o.metadata.resourceVersion) this.podChanged(p, p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp ? 'delete' : 'update', o);
      },
      delete: (p) => this.podChanged(p, 'delete'),
    });
    this.workers = (async () => {
      await Promise.all([this.dsInf.waitForSync(), this.podInf.waitForSync(), this.nodeInf.waitForSync(), this.crInf.waitForSync()]);
      if (this.stopped) return;
      await this.queue.runWorkers(ctx.options.workers, (key) => this.reconcile(key));
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.queue.shutdown();
    await this.workers?.catch(() => undefined);
  }

  // ---------------------------------------------------------------- event handlers (enqueue only)

  private podChanged(pod: Pod, what: 'add' | 'update' | 'delete', old?: Pod): void {
    const ref = controllerRefOf(pod as KObject);
    if (!ref) {
      if (what === 'delete') return;
      for (const d of this.dsInf.list()) {
        const sel = d.metadata.namespace === pod.metadata.namespace ? nonEmptySelector(d) : null;
        if (sel && matchLabels(sel, pod.metadata.labels)) this.queue.add(keyOf(d));
      }
      return;
    }
    if (ref.kind !== 'DaemonSet') return;
    const key = `${pod.metadata.namespace}/${ref.name}`;
    const ds = this.dsInf.get(key);
    if (!ds || ds.metadata.uid !== ref.uid) return;
    if (what === 'add') this.expectations.creationObserved(key);
    if (what === 'delete') this.expectations.deletionObserved(key, keyOf(pod));
    this.queue.add(key);
    // Availability has no event of its own (0.5).
    const mrs = ds.spec?.minReadySeconds ?? 0;
    if (mrs > 0 && old && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(key, (mrs + 1) * 1000);
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.dsInf.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const ds = clone(cached);
    ds.kind = 'DaemonSet';
    ds.apiVersion = 'apps/v1';
    const ns = ds.metadata.namespace!;
    const now = this.ctx.clock.now();
    // Being deleted: the garbage collector removes the pods; creating more would fight it.
    if (ds.metadata.deletionTimestamp) return;

    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount ?? undefined);
    await this.syncRevisions(ds, hash);

    const sel = nonEmptySelector(ds);
    const candidates = this.podInf.list().filter((p) => p.metadata.namespace === ns);
    const pods = await claimChildren<Pod>({
      owner: ds,
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      children: candidates,
      matches: (p) => !!sel && matchLabels(sel, p.metadata.labels),
      pathOf: (p) => podPath(ns, p.metadata.name),
      client: this.client,
      recheck: () => this.client.get<KObject>(dsPath(ns, ds.metadata.name!), { signal: this.abort.signal }).catch(() => undefined),
      signal: this.abort.signal,
    });

    // Terminating pods are already on their way out: they neither count nor block.
    const byNode = new Map<string, Pod[]>();
    const orphanedByNode: Pod[] = [];
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const n = targetNodeOf(p);
      if (!n) {
        orphanedByNode.push(p);
        continue;
      }
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    for (const l of byNode.values()) l.sort(creationOrder);

    const nodes = this.nodeInf.list();
    const nodeNames = new Set(nodes.map((n) => n.metadata.name!));
    const toCreate: string[] = [];
    const toDelete: { pod: Pod; event?: [type: 'Normal' | 'Warning', reason: string, message: string] }[] = [];
    const mrs = ds.spec?.minReadySeconds ?? 0;
    const roll: NodeRollState<Pod>[] = [];
    const status = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
    const isUpdated = (p: Pod) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash;

    for (const node of nodes) {
      const name = node.metadata.name!;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const daemonPods = byNode.get(name) ?? [];
      const live: Pod[] = [];
      for (const p of daemonPods) {
        // 5.2: finished daemon pods are deleted and (below) replaced.
        if (p.status?.phase === 'Failed') toDelete.push({ pod: p, event: ['Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${p.metadata.name} on node ${name}, will try to kill it`] });
        else if (p.status?.phase === 'Succeeded') toDelete.push({ pod: p, event: ['Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${ns}/${p.metadata.name} on node ${name}, will try to delete it`] });
        else live.push(p);
      }
      if (shouldRun && live.length === 0) toCreate.push(name);
      else if (!shouldContinueRunning) live.forEach((pod) => toDelete.push({ pod }));
      else if (live.length > 1) live.slice(1).forEach((pod) => toDelete.push({ pod })); // keep the oldest

      // Status (5.4) from the oldest pod of each node.
      if (shouldRun) {
        status.desiredNumberScheduled++;
        const pod = live[0];
        if (daemonPods.length) status.currentNumberScheduled++;
        if (pod) {
          if (isPodReady(pod)) status.numberReady++;
          if (isPodAvailable(pod, mrs, now)) status.numberAvailable++;
          if (isUpdated(pod)) status.updatedNumberScheduled++;
        }
        roll.push({ node: name, pod, updated: !!pod && isUpdated(pod), available: !!pod && isPodAvailable(pod, mrs, now) });
      } else if (daemonPods.length) {
        status.numberMisscheduled++;
      }
    }
    // Pods for nodes that no longer exist, or that name no node at all.
    for (const [n, l] of byNode) if (!nodeNames.has(n)) l.forEach((pod) => toDelete.push({ pod }));
    orphanedByNode.forEach((pod) => toDelete.push({ pod }));

    let manageErr: unknown;
    if (this.expectations.satisfied(key)) {
      try {
        if (toDelete.length) await this.deletePods(ds, key, toDelete);
        if (toCreate.length) await this.createPods(ds, key, hash, toCreate.slice(0, DS_BURST_REPLICAS));
        if (!toDelete.length && !toCreate.length && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
          const victims = rollingUpdateVictims(roll, maxUnavailableOf(ds, status.desiredNumberScheduled));
          if (victims.length) await this.deletePods(ds, key, victims.map((pod) => ({ pod })));
        }
      } catch (err) {
        manageErr = err;
      }
    }

    const prev = ds.status ?? {};
    const next: Record<string, unknown> = { ...prev, ...status, observedGeneration: ds.metadata.generation };
    const unavailable = status.desiredNumberScheduled - status.numberAvailable;
    if (unavailable > 0) next.numberUnavailable = unavailable;
    else delete next.numberUnavailable;
    for (const k of ['numberReady', 'numberAvailable', 'updatedNumberScheduled'] as const) if (!next[k]) delete next[k];
    if (canonicalJson(prev) !== canonicalJson(next)) {
      await this.client.update(`${dsPath(ns, ds.metadata.name!)}/status`, { ...ds, status: next }, { signal: this.abort.signal });
    }
    if (manageErr) throw manageErr;
    if (mrs > 0 && status.numberReady !== status.numberAvailable) return { requeueAfter: mrs * 1000 };
  }

  /**
   * 5.2 history: one ControllerRevision `<ds>-<hash>` per template, owned by the DaemonSet;
   * the current one carries the highest revision number; unused old ones beyond
   * revisionHistoryLimit are deleted, oldest first.
   */
  private async syncRevisions(ds: DaemonSetObj, hash: string): Promise<void> {
    const ns = ds.metadata.namespace!;
    const mine = this.crInf.list().filter((r) => r.metadata.namespace === ns && controllerRefOf(r)?.uid === ds.metadata.uid);
    const name = `${ds.metadata.name}-${hash}`;
    const maxRev = Math.max(0, ...mine.map((r) => r.revision ?? 0));
    const current = mine.find((r) => r.metadata.name === name);
    if (!current) {
      const tpl = clone(ds.spec?.template ?? {});
      const body = {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name, namespace: ns, labels: { ...(tpl.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash }, ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')] },
        // Upstream stores a strategic-merge patch that replaces the template.
        data: { spec: { template: { ...tpl, $patch: 'replace' } } },
        revision: maxRev + 1,
      };
      try {
        await this.client.create(crPath(ns), body, { signal: this.abort.signal });
      } catch (err) {
        // Created by a previous sync whose event has not arrived yet: fine.
        if (!(err instanceof ApiError && err.code === 409)) throw err;
      }
    } else if ((current.revision ?? 0) < maxRev) {
      // Rolled back to an old template: it becomes the newest revision again.
      await this.client.patch(crPath(ns, name), { revision: maxRev + 1 }, 'merge', { signal: this.abort.signal });
    }
    const inUse = new Set(this.podInf.list().filter((p) => controllerRefOf(p as KObject)?.uid === ds.metadata.uid).map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
    const old = mine.filter((r) => r.metadata.name !== name && !inUse.has(r.metadata.labels?.[REVISION_HASH_LABEL])).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    for (const r of old.slice(0, Math.max(0, old.length - limit))) {
      await this.client.delete(crPath(ns, r.metadata.name), undefined, { signal: this.abort.signal }).catch((err) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      });
    }
  }

  private async createPods(ds: DaemonSetObj, key: string, hash: string, nodes: string[]): Promise<void> {
    const ns = ds.metadata.namespace!;
    const tpl = ds.spec?.template ?? {};
    if (!tpl.metadata?.labels || Object.keys(tpl.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    const labels: Record<string, string> = { ...tpl.metadata.labels, [REVISION_HASH_LABEL]: hash };
    const gen = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    if (gen) labels[TEMPLATE_GENERATION_LABEL] = gen;
    this.expectations.expectCreations(key, nodes.length);
    const queue = [...nodes];
    const { attempted, error } = await slowStartBatch(nodes.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      const node = queue.shift()!;
      const body = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${ds.metadata.name}-`,
          labels,
          ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
          ...(tpl.metadata?.finalizers ? { finalizers: [...tpl.metadata.finalizers] } : {}),
          ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
        },
        spec: daemonPodSpec(tpl.spec ?? { containers: [] }, node),
      };
      try {
        const pod = await this.client.create<Pod>(podPath(ns), body, { signal: this.abort.signal });
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        this.expectations.creationObserved(key);
        if (!(err instanceof ApiError && /NamespaceTerminating|being terminated/.test(err.message))) {
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        }
        throw err;
      }
    });
    if (error !== undefined) {
      this.expectations.creationObserved(key, nodes.length - attempted);
      throw error;
    }
  }

  private async deletePods(ds: DaemonSetObj, key: string, victims: { pod: Pod; event?: [type: 'Normal' | 'Warning', reason: string, message: string] }[]): Promise<void> {
    const ns = ds.metadata.namespace!;
    this.expectations.expectDeletions(key, victims.map((v) => keyOf(v.pod)));
    let firstErr: unknown;
    await Promise.all(
      victims.map(async ({ pod, event }) => {
        if (event) this.recorder.event(ds, ...event);
        try {
          await this.client.delete(podPath(ns, pod.metadata.name), undefined, { signal: this.abort.signal });
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(pod));
          if (err instanceof ApiError && err.code === 404) return;
          this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
          firstErr ??= err;
        }
      }),
    );
    if (firstErr) throw firstErr;
  }
}
