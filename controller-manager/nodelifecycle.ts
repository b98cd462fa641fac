/**
 * Node lifecycle (`node-lifecycle`, including the taint-eviction part; CONTROLLERS.md §7):
 * judges node health from heartbeats, keeps the condition taints in step, and evicts pods
 * from nodes with NoExecute taints they do not tolerate (for long enough).
 *
 * Concurrency model: informers on nodes, pods and kube-node-lease Leases feed two work
 * queues (node names, pod keys). A monitor tick every nodeMonitorPeriod records heartbeat
 * changes, decides the cluster-wide disruption mode, and queues every node. A node
 * reconcile marks it Unknown when no heartbeat came within nodeMonitorGracePeriod and
 * reconciles its managed taints; a pod reconcile schedules or cancels its eviction and
 * returns `requeueAfter` until the deadline. All times come from the injected clock.
 *
 * Guarantees: writes are PUTs of the object we read (resourceVersion-fenced) or
 * UID-preconditioned DELETEs, so a conflict only means "retry with back-off". Heartbeat
 * ages use the controller's own observation time once it has seen a heartbeat change
 * (kubelet clocks are not trusted for that); on first sight of a node the reported
 * timestamps are used, so a node whose lease is already stale is judged at once.
 * If every node is not Ready (full disruption) all NoExecute taints are removed and no pod
 * is evicted; leaving that mode resets every node's heartbeat record to now.
 *
 * NoExecute taints are added through a per-zone token bucket (burst 1) at the zone's
 * rate: --node-eviction-rate normally and in a fully disrupted zone, 0 (or the secondary
 * rate in zones larger than the large-cluster threshold) in a partially disrupted one.
 * Removal and the not-ready ↔ unreachable swap are immediate.
 *
 * Documented deviation: the node startup grace period is the ordinary grace period.
 */
import type { KObject, Lease, Node, Pod } from '../shared/api/types';
import { ApiError } from '../shared/api/errors';
import type { Informer } from '../shared/controller/informer';
import { keyOf, splitKey } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import type { EventRecorder } from '../shared/controller/events';
import type { Controller, ControllerContext } from './controller';
import {
  allNodesNotReady,
  DEFAULT_LARGE_CLUSTER_SIZE_THRESHOLD,
  DEFAULT_NODE_EVICTION_RATE,
  DEFAULT_SECONDARY_NODE_EVICTION_RATE,
  DEFAULT_UNHEALTHY_ZONE_THRESHOLD,
  LABEL_EXCLUDE_DISRUPTION,
  TokenBucket,
  zoneEvictionRate,
  zoneOf,
  zoneState,
  type ZoneState,
  desiredTaints,
  evictionDelaySeconds,
  heartbeatTime,
  markUnknown,
  readyStatus,
  reconcileTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  type NodeCondition,
  type Taint,
  type Toleration,
} from './nodelifecycle-taints';

type NodeObj = Node & KObject;
type PodObj = Pod & KObject;

const LEASE_NAMESPACE = 'kube-node-lease';

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Probe {
  readyHeartbeat?: string;
  leaseRenew?: string;
  /** When this controller last saw either change (ms, injected clock); undefined until it does. */
  lastProbe?: number;
}

/** Rate knobs that ControllerOptions does not carry (kube-controller-manager flags of the same names). */
export interface NodeLifecycleTuning {
  /** --node-eviction-rate: nodes per second whose NoExecute taint may be added, per zone (0.1). */
  nodeEvictionRate: number;
  /** --secondary-node-eviction-rate, for partially disrupted large zones (0.01). */
  secondaryNodeEvictionRate: number;
  /** --large-cluster-size-threshold (50). */
  largeClusterSizeThreshold: number;
  /** --unhealthy-zone-threshold (0.55). */
  unhealthyZoneThreshold: number;
}

export const DEFAULT_NODE_LIFECYCLE_TUNING: NodeLifecycleTuning = {
  nodeEvictionRate: DEFAULT_NODE_EVICTION_RATE,
  secondaryNodeEvictionRate: DEFAULT_SECONDARY_NODE_EVICTION_RATE,
  largeClusterSizeThreshold: DEFAULT_LARGE_CLUSTER_SIZE_THRESHOLD,
  unhealthyZoneThreshold: DEFAULT_UNHEALTHY_ZONE_THRESHOLD,
};

function conditionsOf(n: NodeObj): NodeCondition[] {
  return ((n.status?.conditions ?? []) as NodeCondition[]).map((c) => ({ ...c }));
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private ctx!: ControllerContext;
  private nodeQueue!: WorkQueue;
  private podQueue!: WorkQueue;
  private nodes!: Informer<NodeObj>;
  private pods!: Informer<PodObj>;
  private leases!: Informer<Lease & KObject>;
  private nodeRecorder!: EventRecorder;
  private taintRecorder!: EventRecorder;
  private readonly probes = new Map<string, Probe>();
  private readonly lastReady = new Map<string, string>();
  /** Nodes this controller has registered (RegisteredNode / RemovingNode events). */
  private readonly known = new Set<string>();
  private readonly podsByNode = new Map<string, Set<string>>();
  /** Pod UID → when its eviction countdown started (ms). */
  private readonly evictionStart = new Map<string, number>();
  private fullDisruption = false;
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly tuning: NodeLifecycleTuning;

  constructor(tuning: Partial<NodeLifecycleTuning> = {}) {
    this.tuning = { ...DEFAULT_NODE_LIFECYCLE_TUNING, ...tuning };
  }
  private ticker?: NodeJS.Timeout;
  private ticking = false;
  private workers?: Promise<unknown>;
  /** Resolves on stop(): start-up waits on informer sync race it, so stop never hangs on a server that is down. */
  private stopSignal!: () => void;
  private stopping = new Promise<void>((r) => (this.stopSignal = r));
  private stopped = false;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = { ...ctx, logger: ctx.logger.child({ controller: this.name }) };
    this.nodeRecorder = ctx.recorder('node-controller');
    this.taintRecorder = ctx.recorder('taint-eviction-controller');
    const onError = (what: string) => (key: string, err: unknown) => this.ctx.logger.warn({ object: key, err: String(err) }, `${what} failed; retrying`);
    this.nodeQueue = new WorkQueue({ onError: onError('node health update') });
    this.podQueue = new WorkQueue({ onError: onError('pod eviction') });
    this.nodes = ctx.informers.for<NodeObj>('/api/v1/nodes');
    this.pods = ctx.informers.for<PodObj>('/api/v1/pods');
    this.leases = ctx.informers.for<Lease & KObject>(`/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`);

    this.nodes.on({
      add: (n) => this.nodeQueue.add(keyOf(n)),
      update: (_o, n) => {
        this.nodeQueue.add(keyOf(n));
        this.queuePodsOn(n.metadata.name!);
      },
      delete: (n) => this.nodeQueue.add(keyOf(n)),
    });
    this.leases.on({
      add: (l) => this.nodeQueue.add(l.metadata.name!),
      update: (_o, l) => this.nodeQueue.add(l.metadata.name!),
    });
    this.pods.on({
      add: (p) => this.indexPod(p),
      update: (o, p) => {
        this.unindexPod(o);
        this.indexPod(p);
      },
      delete: (p) => {
        this.unindexPod(p);
        this.evictionStart.delete(p.metadata.uid!);
      },
    });

    const workers = ctx.options.workers;
    this.workers = Promise.race([Promise.all([this.nodes.waitForSync(), this.pods.waitForSync(), this.leases.waitForSync()]), this.stopping]).then(() => {
      if (this.stopped) return;
      this.tick();
      this.ticker = setInterval(() => this.tick(), Math.max(10, ctx.options.nodeMonitorPeriodSeconds * 1000));
      this.ticker.unref?.();
      return Promise.all([
        this.nodeQueue.runWorkers(workers, (k) => this.reconcileNode(k)),
        this.podQueue.runWorkers(workers, (k) => this.reconcilePod(k)),
      ]);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    if (this.ticker) clearInterval(this.ticker);
    this.nodeQueue?.shutdown();
    this.podQueue?.shutdown();
    await this.workers;
  }

  // ------------------------------------------------------------------ indexes

  private indexPod(p: PodObj): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    let s = this.podsByNode.get(node);
    if (!s) this.podsByNode.set(node, (s = new Set()));
    s.add(keyOf(p));
    this.podQueue.add(keyOf(p));
  }

  private unindexPod(p: PodObj): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    const s = this.podsByNode.get(node);
    s?.delete(keyOf(p));
    if (s && s.size === 0) this.podsByNode.delete(node);
  }

  private queuePodsOn(node: string): void {
    for (const k of this.podsByNode.get(node) ?? []) this.podQueue.add(k);
  }

  // ------------------------------------------------------------------ health

  /** Records a heartbeat change (lease renewal or Ready heartbeat) and returns the effective last heartbeat (ms). */
  private observe(node: NodeObj): number {
    const name = node.metadata.name!;
    const ready = conditionsOf(node).find((c) => c.type === 'Ready');
    const lease = this.leases.get(`${LEASE_NAMESPACE}/${name}`);
    const leaseRenew = lease?.spec?.renewTime as string | undefined;
    const readyHeartbeat = ready?.lastHeartbeatTime;
    let p = this.probes.get(name);
    if (!p) this.probes.set(name, (p = { readyHeartbeat, leaseRenew }));
    else if (p.readyHeartbeat !== readyHeartbeat || p.leaseRenew !== leaseRenew) {
      p.readyHeartbeat = readyHeartbeat;
      p.leaseRenew = leaseRenew;
      p.lastProbe = this.ctx.clock.now().getTime();
    }
    return heartbeatTime([readyHeartbeat, leaseRenew], node.metadata.creationTimestamp, p.lastProbe);
  }

  private stale(node: NodeObj): boolean {
    return this.ctx.clock.now().getTime() - this.observe(node) > this.ctx.options.nodeMonitorGracePeriodSeconds * 1000;
  }

  /** One monitor period: update the disruption mode, then look at every node. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const nodes = this.nodes.list();
      const down = allNodesNotReady(nodes, (n) => readyStatus(conditionsOf(n as NodeObj)) === 'True' && !this.stale(n as NodeObj));
      if (down && !this.fullDisruption) {
        this.ctx.logger.warn('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
        this.fullDisruption = true;
      } else if (!down && this.fullDisruption) {
        this.ctx.logger.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
        this.fullDisruption = false;
        // Nodes that were down with the rest get a full grace period before eviction.
        const now = this.ctx.clock.now().getTime();
        for (const p of this.probes.values()) p.lastProbe = now;
      }
      this.updateZones(nodes);
      for (const n of nodes) this.nodeQueue.add(keyOf(n));
    } finally {
      this.ticking = false;
    }
  }

  /** Recomputes each zone's state and sets its bucket's rate (§7.3). */
  private updateZones(nodes: NodeObj[]): void {
    const counts = new Map<string, { ready: number; notReady: number }>();
    for (const n of nodes) {
      if (LABEL_EXCLUDE_DISRUPTION in (n.metadata.labels ?? {})) continue;
      const z = zoneOf(n);
      let c = counts.get(z);
      if (!c) counts.set(z, (c = { ready: 0, notReady: 0 }));
      if (readyStatus(conditionsOf(n)) === 'True' && !this.stale(n)) c.ready++;
      else c.notReady++;
    }
    for (const z of [...this.zoneStates.keys()]) if (!counts.has(z)) this.zoneStates.delete(z);
    for (const [z, c] of counts) {
      const state = zoneState(c.ready, c.notReady, this.tuning.unhealthyZoneThreshold);
      const prev = this.zoneStates.get(z) ?? 'Normal';
      if (state !== prev) this.ctx.logger.info({ zone: z.replace('\x00', ''), from: prev, to: state }, 'zone disruption state changed');
      this.zoneStates.set(z, state);
      const rate = zoneEvictionRate(state, c.ready + c.notReady, { primary: this.tuning.nodeEvictionRate, secondary: this.tuning.secondaryNodeEvictionRate, largeClusterThreshold: this.tuning.largeClusterSizeThreshold });
      const b = this.buckets.get(z);
      if (b) b.rate = rate;
      else this.buckets.set(z, new TokenBucket(rate));
    }
  }

  /** May this node get its first NoExecute taint now? Otherwise, how long until it may. */
  private admitNoExecute(node: NodeObj): { ok: true } | { ok: false; waitMs: number } {
    const z = zoneOf(node);
    let b = this.buckets.get(z);
    if (!b) this.buckets.set(z, (b = new TokenBucket(this.tuning.nodeEvictionRate)));
    return b.tryTake(this.ctx.clock.now().getTime());
  }

  async reconcileNode(name: string): Promise<{ requeueAfter?: number } | void> {
    let node = this.nodes.get(name);
    if (!node) {
      this.probes.delete(name);
      this.lastReady.delete(name);
      if (this.known.delete(name)) {
        this.nodeRecorder.event(nodeRef(name), 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      }
      return;
    }
    if (!this.known.has(name)) {
      this.known.add(name);
      this.nodeRecorder.event(nodeRef(name, node.metadata.uid), 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    }
    const now = this.ctx.clock.now();
    const before = readyStatus(conditionsOf(node));
    if (this.stale(node)) {
      const { conditions, changed } = markUnknown(conditionsOf(node), node.metadata.creationTimestamp, rfc3339(now));
      if (changed) {
        this.ctx.logger.info({ object: name }, 'node stopped posting status; marking Unknown');
        node = await this.ctx.client.update<NodeObj>(`/api/v1/nodes/${encodeURIComponent(name)}/status`, {
          ...node, apiVersion: 'v1', kind: 'Node', status: { ...(node.status ?? {}), conditions },
        });
      }
    }
    const conditions = conditionsOf(node);
    const ready = readyStatus(conditions);
    const prev = this.lastReady.get(name) ?? before;
    if (prev === 'True' && ready !== 'True') {
      this.nodeRecorder.event(nodeRef(name, node.metadata.uid), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.queuePodsOn(name);
    }
    this.lastReady.set(name, ready);

    let want = desiredTaints(conditions, !!node.spec?.unschedulable, { noExecute: !this.fullDisruption });
    const current = (node.spec?.taints ?? []) as Taint[];
    let requeueAfter: number | undefined;
    const hasNoExecute = (ts: Taint[]) => ts.some((t) => t.effect === 'NoExecute' && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY));
    if (hasNoExecute(want) && !hasNoExecute(current)) {
      // A first NoExecute taint is what starts evictions: it goes through the zone's rate limiter.
      const admitted = this.admitNoExecute(node);
      if (!admitted.ok) {
        want = want.filter((t) => t.effect !== 'NoExecute');
        requeueAfter = Math.min(admitted.waitMs, this.ctx.options.nodeMonitorPeriodSeconds * 1000);
      }
    }
    const { taints, changed } = reconcileTaints(current, want, rfc3339(now));
    if (changed) {
      await this.ctx.client.update(`/api/v1/nodes/${encodeURIComponent(name)}`, {
        ...node, apiVersion: 'v1', kind: 'Node', spec: { ...(node.spec ?? {}), taints: taints.length ? taints : undefined },
      });
      this.queuePodsOn(name);
    }
    return requeueAfter !== undefined ? { requeueAfter } : undefined;
  }

  // ------------------------------------------------------------------ eviction

  async reconcilePod(key: string): Promise<{ requeueAfter?: number } | void> {
    const pod = this.pods.get(key);
    if (!pod) return;
    const uid = pod.metadata.uid!;
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? this.nodes.get(nodeName) : undefined;
    if (!node) {
      this.evictionStart.delete(uid);
      return;
    }
    await this.markPodNotReady(pod, node);
    const noExecute = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
    const delay = this.fullDisruption || noExecute.length === 0 ? Infinity : evictionDelaySeconds(pod.spec?.tolerations as Toleration[] | undefined, noExecute, this.ctx.options.podEvictionTimeoutSeconds);
    if (delay === Infinity) {
      if (this.evictionStart.delete(uid)) {
        this.taintRecorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      }
      return;
    }
    const now = this.ctx.clock.now().getTime();
    let start = this.evictionStart.get(uid);
    if (start === undefined) this.evictionStart.set(uid, (start = now));
    const due = start + delay * 1000;
    if (now < due) return { requeueAfter: due - now };

    // Nobody will confirm a graceful delete on an unreachable node: delete with grace 0
    // so the pod's controller replaces it (CONTROLLERS.md §7.4; PodGC's role upstream).
    const unreachable = noExecute.some((t) => t.key === TAINT_UNREACHABLE);
    const { namespace, name } = splitKey(key);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace ?? 'default')}/pods/${encodeURIComponent(name)}`;
    if (pod.metadata.deletionTimestamp) {
      if (unreachable && (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0) await this.deletePod(path, uid, 0);
      return;
    }
    this.taintRecorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      await this.ctx.client.patch(`${path}/status`, {
        status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(new Date(now)) }] },
      }, 'strategic');
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    await this.deletePod(path, uid, unreachable ? 0 : undefined);
    this.ctx.logger.info({ object: key, node: nodeName }, 'evicted pod from tainted node');
  }

  private async deletePod(path: string, uid: string, gracePeriodSeconds: number | undefined): Promise<void> {
    try {
      const opts: Record<string, unknown> = { preconditions: { uid } };
      if (gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = gracePeriodSeconds;
      await this.ctx.client.delete(path, opts);
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  /** Pods on a node that is not Ready are not Ready either (§7.2); the kubelet cannot say so itself. */
  private async markPodNotReady(pod: PodObj, node: NodeObj): Promise<void> {
    if (readyStatus(conditionsOf(node)) === 'True') return;
    if (pod.metadata.deletionTimestamp) return;
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
    if (!cond || cond.status === 'False') return;
    const md = pod.metadata;
    try {
      await this.ctx.client.patch(`/api/v1/namespaces/${encodeURIComponent(md.namespace!)}/pods/${encodeURIComponent(md.name!)}/status`, {
        status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: rfc3339(this.ctx.clock.now()) }] },
      }, 'strategic');
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    this.nodeRecorder.event(podRef(pod), 'Warning', 'NodeNotReady', 'Node is not ready');
  }
}

function nodeRef(name: string, uid?: string): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: uid ?? name } };
}

function podRef(p: PodObj): KObject {
  return { ...p, apiVersion: 'v1', kind: 'Pod' };
}
