/**
 * The scheduler loop: informers on all pods and all nodes feed the cache and a work
 * queue of pending pods (`namespace/name`); `reconcile(key)` makes one decision, assumes
 * it in the cache, and POSTs the Binding.
 *
 * Concurrency model: one Node event loop. The decision itself (filter, score, assume) is
 * synchronous, so decisions are serial and each sees the effect of the previous one even
 * before the API server confirms it; bindings then run concurrently across `workers`.
 * The work queue guarantees a pod is never handled twice at once.
 *
 * Retry policy (kube-scheduler's scheduling queue, reduced to what we need):
 * - A pod that fits nowhere is *parked*: it gets a FailedScheduling event and
 *   PodScheduled=False, and is not retried on its own. It is released when the cluster
 *   changes in a way that could help (a node added, or updated in allocatable, labels,
 *   taints, cordon or readiness; a bound pod deleted or finished; a binding given up) or
 *   when its own spec/labels change — but never before its back-off (1 s doubling per
 *   failed attempt, capped at 10 s) has passed since its last attempt. Parked pods
 *   nobody released are retried after 5 min anyway (upstream's leftover flush), so a
 *   missed event cannot strand a pod. Nothing loops while the cluster is still.
 * - A failed API call (binding other than 409/404) throws; the work queue retries with
 *   the same back-off bounds.
 *
 * Guarantees: a binding is fenced by the API server (409 when already bound, pod uid as
 * precondition), so a stale cache or a second scheduler can never double-bind; the
 * cache counts an assumed pod until the informer shows it bound or the binding fails.
 */
import type { KObject, Node, Pod } from '../shared/api/types';
import { ApiError } from '../shared/api/errors';
import type { KubeClient } from '../shared/client';
import { EventRecorder } from '../shared/controller/events';
import { InformerFactory } from '../shared/controller/factory';
import { keyOf, splitKey, type Informer } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import { objectRef, type Logger } from '../shared/logger';
import { Algorithm } from './algorithm';
import { isNodeReady, isTerminal, SchedulerCache } from './cache';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** Upstream podInitialBackoffSeconds / podMaxBackoffSeconds. */
export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
/** Upstream podMaxInUnschedulablePodsDuration and the period of its flush. */
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;
/** Bindings in flight at once; decisions stay serial whatever this is. */
export const DEFAULT_WORKERS = 16;

export interface SchedulerOptions {
  client: KubeClient;
  schedulerName?: string;
  logger?: Logger;
  workers?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  flushIntervalMs?: number;
  /** Injected for tests: the clock for back-offs, the tie breaker for equal scores. */
  now?: () => number;
  random?: () => number;
  /** Informer tuning (tests shorten watch renewals); shared with nothing else. */
  informerFactory?: InformerFactory;
}

interface Attempts {
  count: number;
  last: number;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly name: string;
  private readonly client: KubeClient;
  private readonly log?: Logger;
  private readonly queue: WorkQueue;
  private readonly factory: InformerFactory;
  private readonly recorder: EventRecorder;
  private readonly algorithm: Algorithm;
  private readonly now: () => number;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly flushInterval: number;
  private pods!: Informer<Pod & KObject>;
  private nodes!: Informer<Node & KObject>;
  /** Failed attempts per pending pod, for its back-off; dropped once it is bound or gone. */
  private readonly attempts = new Map<string, Attempts>();
  /** Unschedulable pods waiting for a helpful change → when they were parked. */
  private readonly parked = new Map<string, number>();
  private flushTimer?: NodeJS.Timeout;
  private workers?: Promise<void>;

  constructor(private readonly opts: SchedulerOptions) {
    this.client = opts.client;
    this.name = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.log = opts.logger;
    this.now = opts.now ?? Date.now;
    this.initialBackoff = opts.initialBackoffMs ?? POD_INITIAL_BACKOFF_MS;
    this.maxBackoff = opts.maxBackoffMs ?? POD_MAX_BACKOFF_MS;
    this.maxUnschedulable = opts.maxUnschedulableMs ?? MAX_UNSCHEDULABLE_MS;
    this.flushInterval = opts.flushIntervalMs ?? UNSCHEDULABLE_FLUSH_INTERVAL_MS;
    this.algorithm = new Algorithm(opts.random);
    this.factory = opts.informerFactory ?? new InformerFactory(this.client, this.log);
    this.recorder = new EventRecorder(this.client, { component: this.name }, this.log);
    this.queue = new WorkQueue({
      baseDelayMs: this.initialBackoff,
      maxDelayMs: this.maxBackoff,
      onError: (key, err) => this.log?.warn({ object: key, err: String(err) }, 'scheduling attempt failed; retrying'),
    });
  }

  /** Starts the informers, waits for their first lists, then runs the workers. */
  async start(): Promise<void> {
    // One informer on every pod: pending pods to schedule, bound ones to account usage.
    this.pods = this.factory.for<Pod & KObject>('/api/v1/pods');
    this.nodes = this.factory.for<Node & KObject>('/api/v1/nodes');
    this.pods.on({
      add: (pod) => this.onPodAdd(pod),
      update: (old, pod) => this.onPodUpdate(old, pod),
      delete: (pod) => this.onPodDelete(pod),
    });
    this.nodes.on({
      add: (node) => {
        this.cache.setNode(node);
        this.clusterChanged('NodeAdd');
      },
      update: (old, node) => {
        this.cache.setNode(node);
        if (nodeChangeMayHelp(old, node)) this.clusterChanged('NodeUpdate');
      },
      delete: (node) => this.cache.removeNode(node.metadata.name!),
    });
    await this.factory.waitForSync();
    // A shared informer may have listed before our handlers were added: replay its
    // cache (both cache updates are idempotent, the queue dedups).
    for (const node of this.nodes.list()) this.cache.setNode(node);
    for (const pod of this.pods.list()) this.onPodAdd(pod);
    this.flushTimer = setInterval(() => this.flushLeftovers(), this.flushInterval);
    this.flushTimer.unref?.();
    this.workers = this.queue.runWorkers(this.opts.workers ?? DEFAULT_WORKERS, (key) => this.reconcile(key));
    this.log?.info({ schedulerName: this.name, nodes: this.cache.nodeList().length }, 'scheduler started');
  }

  /** Stops taking work, lets bindings in flight finish, stops the informers. */
  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.queue.shutdown();
    await this.workers;
    await this.factory.stop();
  }

  /** Whether this scheduler should place the pod now. */
  responsibleFor(pod: Pod): boolean {
    const spec = pod.spec;
    if (!spec || spec.nodeName) return false;
    if ((spec.schedulerName || DEFAULT_SCHEDULER_NAME) !== this.name) return false;
    if (pod.metadata?.deletionTimestamp || isTerminal(pod)) return false;
    // Scheduling gates hold a pod back until whoever set them removes them (upstream PreEnqueue).
    return !(spec.schedulingGates && spec.schedulingGates.length > 0);
  }

  // ------------------------------------------------------------------ informer events

  private onPodAdd(pod: Pod): void {
    this.cache.updatePod(pod);
    if (this.responsibleFor(pod)) this.queue.add(keyOf(pod));
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    this.cache.updatePod(pod);
    const key = keyOf(pod);
    if (old.spec?.nodeName && !isTerminal(old) && isTerminal(pod)) this.clusterChanged('PodTerminated');
    if (!this.responsibleFor(pod)) {
      // Bound (by us or another scheduler), being deleted, or finished: nothing left to retry.
      this.attempts.delete(key);
      this.parked.delete(key);
      return;
    }
    if (this.attempts.has(key)) {
      // A pod that already failed is parked or waiting out its back-off; our own
      // PodScheduled patch and other status writes change nothing a filter reads, so
      // only a spec or label change earns it another attempt (still after its back-off).
      if (JSON.stringify(old.spec) !== JSON.stringify(pod.spec) || JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) this.release(key);
      return;
    }
    this.queue.add(key);
  }

  private onPodDelete(pod: Pod): void {
    const key = keyOf(pod);
    const held = this.cache.removePod(pod);
    this.attempts.delete(key);
    this.parked.delete(key);
    if (held) this.clusterChanged('PodDelete');
  }

  /** Something happened that may let parked pods fit: release them (subject to back-off). */
  private clusterChanged(why: string): void {
    if (this.parked.size === 0) return;
    this.log?.debug({ event: why, parked: this.parked.size }, 'cluster changed; retrying unschedulable pods');
    for (const key of [...this.parked.keys()]) this.release(key);
  }

  private release(key: string): void {
    this.parked.delete(key);
    const a = this.attempts.get(key);
    const due = a ? a.last + this.backoffFor(a.count) - this.now() : 0;
    if (due > 0) this.queue.addAfter(key, due);
    else this.queue.add(key);
  }

  private flushLeftovers(): void {
    const now = this.now();
    for (const [key, since] of [...this.parked]) if (now - since >= this.maxUnschedulable) this.release(key);
  }

  /** 1 s · 2^(attempts−1), capped: the least time between two attempts for one pod. */
  backoffFor(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.initialBackoff * 2 ** Math.min(attempts - 1, 30), this.maxBackoff);
  }

  // ------------------------------------------------------------------- the decision

  /** Schedules one pending pod; safe to run for any key at any time. */
  async reconcile(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !this.responsibleFor(pod)) {
      this.attempts.delete(key);
      this.parked.delete(key);
      return;
    }
    // Parked pods wait for release; assumed ones for their binding to show up.
    if (this.parked.has(key) || this.cache.isAssumed(key)) return;

    const result = this.algorithm.schedule(pod, this.cache.nodeList());
    const a = this.attempts.get(key) ?? { count: 0, last: 0 };
    if (result.nodeName === undefined) {
      a.count++;
      a.last = this.now();
      this.attempts.set(key, a);
      // Parked before any await, so a change arriving while we report releases it.
      this.parked.set(key, a.last);
      this.log?.info({ object: key, attempts: a.count, reason: result.message }, 'unable to schedule pod');
      this.recorder.event(podRef(pod), 'Warning', 'FailedScheduling', result.message);
      await this.setUnschedulable(pod, result.message);
      return;
    }

    const nodeName = result.nodeName;
    this.cache.assume(pod, nodeName);
    const { namespace = 'default', name } = splitKey(key);
    try {
      await this.client.create(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    } catch (err) {
      this.cache.forget(key);
      // The resources we held back are free again for parked pods.
      this.clusterChanged('BindingFailed');
      if (err instanceof ApiError && (err.code === 409 || err.code === 404)) {
        // Already bound (by us earlier, or another scheduler), being deleted, or gone:
        // the informer will tell the truth; nothing to retry.
        this.log?.debug({ object: key, err: err.message }, 'binding skipped');
        return;
      }
      this.recorder.event(podRef(pod), 'Warning', 'FailedScheduling', `Binding rejected: ${String((err as Error).message ?? err)}`);
      throw err;
    }
    this.attempts.delete(key);
    this.log?.debug({ object: key, node: nodeName, evaluated: result.evaluated, feasible: result.feasible }, 'bound pod');
    this.recorder.event(podRef(pod), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
  }

  /** PodScheduled=False/Unschedulable with the message, written only when it changes. */
  private async setUnschedulable(pod: Pod, message: string): Promise<void> {
    const cur = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (cur && cur.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null,
      // Upstream moves lastTransitionTime only when the status flips.
      lastTransitionTime: cur && cur.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : ts,
    };
    const ns = pod.metadata?.namespace ?? 'default';
    try {
      await this.client.patch(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}/status`, { status: { conditions: [condition] } }, 'strategic');
    } catch (err) {
      // Reporting must not block scheduling; the next attempt writes it again.
      if (!(err instanceof ApiError && err.code === 404)) this.log?.warn({ object: objectRef(pod), err: String(err) }, 'could not update PodScheduled condition');
    }
  }
}

/** Informer list items may lack kind/apiVersion; events need them on the involved object. */
function podRef(pod: Pod): KObject {
  return { ...pod, apiVersion: 'v1', kind: 'Pod', metadata: { ...pod.metadata } };
}

/** Only these node changes can turn a failing filter into a passing one. */
export function nodeChangeMayHelp(old: Node, node: Node): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (
    !same(old.status?.allocatable, node.status?.allocatable) ||
    !same(old.metadata?.labels, node.metadata?.labels) ||
    !same(old.spec?.taints, node.spec?.taints) ||
    (old.spec?.unschedulable ?? false) !== (node.spec?.unschedulable ?? false) ||
    isNodeReady(old) !== isNodeReady(node)
  );
}
