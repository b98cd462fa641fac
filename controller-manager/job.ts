/**
 * The Job controller (CONTROLLERS.md §3, NonIndexed jobs) together with the
 * ttl-after-finished behaviour (3.8): runs pods from the template until `completions`
 * succeed (at most `parallelism` at once), replaces failed pods after an exponential
 * back-off, fails the Job past `backoffLimit` or `activeDeadlineSeconds`, and deletes a
 * finished Job once `ttlSecondsAfterFinished` has passed.
 *
 * Concurrency: informer handlers only enqueue the owning Job's `ns/name` (pod changes are
 * batched by SYNC_JOB_BATCH_PERIOD_MS like upstream's SyncJobBatchPeriod) and record
 * expectations; reconcile(key) runs on a WorkQueue, one Job at a time per key.
 *
 * Guarantees: creations in flight are never counted twice (expectations, 0.2); terminal
 * conditions follow 1.32's order — the interim SuccessCriteriaMet/FailureTarget is written
 * first, Complete/Failed only once no pod of the Job is still terminating.
 *
 * Simplification (allowed by the brief): no `batch.kubernetes.io/job-tracking` finalizer.
 * succeeded/failed are counted from the pods that exist and kept monotonic in status
 * (max of the written and the counted value). Limitation: if finished pods are removed
 * (PodGC, manual delete) and *new* ones finish, the counter can under-count until the
 * new count exceeds the recorded one. `uncountedTerminatedPods` is therefore always `{}`.
 */
import type { KObject } from '../shared/api/types';
import type { JobStatus } from 'kubernetes-types/batch/v1';
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
  backoffRemaining,
  countJobPods,
  deadlineRemaining,
  decideTarget,
  DEFAULT_JOB_BACKOFF_BASE_MS,
  isJobFinished,
  MAX_JOB_BACKOFF_MS,
  newCondition,
  rfc3339,
  ttlRemaining,
  wantActive,
  type JobObj,
} from './job-util';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './util/batch';
import { Expectations } from './util/expectations';
import { canonicalJson } from './util/template';
import { claimChildren, controllerRefOf, newControllerRef, nonEmptySelector } from './util/owner';
import { isPodActive, podsToDelete, podPath } from './util/pods';
import type { Pod } from './util/types';

export const JOB_EVENT_SOURCE = 'job-controller';
/** Upstream MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Upstream SyncJobBatchPeriod: pod events are coalesced for this long before a sync. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

export interface JobControllerOptions {
  /** Base of the failed-pod back-off (10 s upstream); tests shrink it. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  syncBatchPeriodMs?: number;
}

const JOB_PATH = '/apis/batch/v1/jobs';
const POD_PATH = '/api/v1/pods';
const jobPath = (ns: string, name: string) => `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs/${encodeURIComponent(name)}`;


export class JobController implements Controller {
  readonly name = 'job';
  private queue = new WorkQueue();
  private readonly expectations = new Expectations();
  private jobInf!: Informer<JobObj>;
  private podInf!: Informer<Pod>;
  private client!: KubeClient;
  private recorder!: EventRecorder;
  private logger!: Logger;
  private ctx!: ControllerContext;
  private readonly abort = new AbortController();
  private stopped = false;
  private workers?: Promise<void>;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly batchMs: number;

  constructor(opts: JobControllerOptions = {}) {
    this.backoffBaseMs = opts.backoffBaseMs ?? DEFAULT_JOB_BACKOFF_BASE_MS;
    this.backoffMaxMs = opts.backoffMaxMs ?? MAX_JOB_BACKOFF_MS;
    this.batchMs = opts.syncBatchPeriodMs ?? SYNC_JOB_BATCH_PERIOD_MS;
  }

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = ctx;
    this.client = ctx.client;
    this.logger = ctx.logger.child({ controller: this.name });
    this.recorder = ctx.recorder(JOB_EVENT_SOURCE);
    // Upstream's Job queue backs off 1 s → 60 s; a 409 is only a stale cache, not worth a warning.
    this.queue = new WorkQueue({
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      onError: (key, err) => this.logger[err instanceof ApiError && err.code === 409 ? 'debug' : 'warn']({ object: key, err: String(err) }, 'sync failed; retrying'),
    });
    this.jobInf = ctx.informers.for<JobObj>(JOB_PATH);
    this.podInf = ctx.informers.for<Pod>(POD_PATH);
    this.jobInf.on({
      add: (j) => this.queue.add(keyOf(j)),
      update: (_o, j) => this.queue.add(keyOf(j)),
      delete: (j) => this.expectations.delete(keyOf(j)),
    });
    this.podInf.on({
      add: (p) => this.podChanged(p, 'add'),
      update: (o, p) => {
        if (p.metadata.resourceVersion !== o.metadata.resourceVersion) this.podChanged(p, p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp ? 'delete' : 'update');
      },
      delete: (p) => this.podChanged(p, 'delete'),
    });
    this.workers = (async () => {
      await Promise.all([this.jobInf.waitForSync(), this.podInf.waitForSync()]);
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

  private podChanged(pod: Pod, what: 'add' | 'update' | 'delete'): void {
    const ref = controllerRefOf(pod as KObject);
    if (!ref) {
      // An orphan may be adopted by a Job whose selector matches it.
      if (what === 'delete') return;
      for (const j of this.jobInf.list()) {
        const sel = j.metadata.namespace === pod.metadata.namespace ? nonEmptySelector(j) : null;
        if (sel && matchLabels(sel, pod.metadata.labels)) this.queue.addAfter(keyOf(j), this.batchMs);
      }
      return;
    }
    if (ref.kind !== 'Job') return;
    const key = `${pod.metadata.namespace}/${ref.name}`;
    const job = this.jobInf.get(key);
    if (!job || job.metadata.uid !== ref.uid) return;
    if (what === 'add' && !pod.metadata.deletionTimestamp) this.expectations.creationObserved(key);
    if (what === 'delete' || (what === 'add' && pod.metadata.deletionTimestamp)) this.expectations.deletionObserved(key, keyOf(pod));
    this.queue.addAfter(key, this.batchMs);
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.jobInf.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    let job = clone(cached);
    job.kind = 'Job';
    job.apiVersion = 'batch/v1';
    const ns = job.metadata.namespace!;
    const now = this.ctx.clock.now();

    // A finished Job is left alone apart from its TTL (3.5 last bullet, 3.8).
    if (isJobFinished(job)) return this.handleTtl(job, now);
    if (job.spec?.completionMode === 'Indexed') {
      this.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }

    const sel = nonEmptySelector(job);
    const candidates = this.podInf.list().filter((p) => p.metadata.namespace === ns);
    const pods = await claimChildren<Pod>({
      owner: job,
      apiVersion: 'batch/v1',
      kind: 'Job',
      children: candidates,
      matches: (p) => !!sel && matchLabels(sel, p.metadata.labels),
      pathOf: (p) => podPath(ns, p.metadata.name),
      client: this.client,
      recheck: () => this.client.get<KObject>(jobPath(ns, job.metadata.name!), { signal: this.abort.signal }).catch(() => undefined),
      signal: this.abort.signal,
    });

    const observed = countJobPods(pods);
    const prev = job.status ?? {};
    const counts = { ...observed, succeeded: Math.max(prev.succeeded ?? 0, observed.succeeded), failed: Math.max(prev.failed ?? 0, observed.failed) };
    const status: JobStatus = clone(prev);
    const suspended = !!job.spec?.suspend;
    const conditions = [...(status.conditions ?? [])];
    const events: [type: 'Normal' | 'Warning', reason: string, message: string][] = [];

    // Suspension and resumption (3.2): the Suspended condition flips, startTime restarts on resume.
    const susp = conditions.findIndex((c) => c.type === 'Suspended');
    if (suspended && (susp < 0 || conditions[susp].status !== 'True')) {
      const c = newCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (susp < 0) conditions.push(c);
      else conditions[susp] = c;
      events.push(['Normal', 'Suspended', 'Job suspended']);
    } else if (!suspended && susp >= 0 && conditions[susp].status === 'True') {
      conditions[susp] = newCondition('Suspended', 'False', 'JobResumed', 'Job resumed', now);
      events.push(['Normal', 'Resumed', 'Job resumed']);
      status.startTime = rfc3339(now);
    }
    if (!suspended && !status.startTime) status.startTime = rfc3339(now);
    job.status = { ...status, conditions };

    const target = decideTarget(job, counts, now);
    const active = pods.filter(isPodActive);
    let requeueAfter: number | undefined;
    let manageErr: unknown;
    let deleted = 0;

    if (target) {
      // Both targets end every pod still running (failure: they count as failed; success: lingering pods).
      if (active.length) deleted = await this.deletePods(job, key, active).catch((err) => ((manageErr = err), 0));
      if (!conditions.some((c) => c.type === target.type && c.status === 'True')) conditions.push(newCondition(target.type, 'True', target.reason, target.message, now));
    } else if (suspended || job.metadata.deletionTimestamp) {
      if (suspended && active.length) deleted = await this.deletePods(job, key, active).catch((err) => ((manageErr = err), 0));
    } else if (this.expectations.satisfied(key)) {
      const want = wantActive(job, counts);
      const diff = active.length - want;
      try {
        if (diff > 0) {
          // Job's ordering (0.6) is the RS one without rank: rank 0 for every pod.
          deleted = await this.deletePods(job, key, podsToDelete(active, Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC), () => 0, now));
        } else if (diff < 0) {
          const wait = backoffRemaining(pods, now, this.backoffBaseMs, this.backoffMaxMs);
          if (wait > 0) requeueAfter = Math.max(wait, Math.min(1000, this.backoffBaseMs));
          else await this.createPods(job, key, Math.min(-diff, MAX_POD_CREATE_DELETE_PER_SYNC));
        }
      } catch (err) {
        manageErr = err;
      }
    }

    // Status (3.6). Deleted pods are terminating now; counting them as such avoids a
    // premature terminal condition before their delete events arrive.
    const newStatus: JobStatus = {
      ...job.status,
      conditions: conditions.length ? conditions : undefined,
      active: Math.max(0, observed.active - deleted),
      ready: observed.ready,
      terminating: observed.terminating + deleted,
      succeeded: counts.succeeded,
      failed: counts.failed + (target?.type === 'FailureTarget' ? deleted : 0),
      uncountedTerminatedPods: {},
    };
    if (!newStatus.active) delete newStatus.active;
    if (!newStatus.succeeded) delete newStatus.succeeded;
    if (!newStatus.failed) delete newStatus.failed;
    if (!newStatus.conditions) delete newStatus.conditions;
    job = await this.writeStatus(job, cached.status ?? {}, newStatus);

    // Second write of the same sync: the terminal condition once nothing is left running (3.5).
    if (target && !manageErr && !newStatus.active && !newStatus.terminating) {
      const terminal = target.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed';
      const finalStatus: JobStatus = { ...newStatus, conditions: [...(newStatus.conditions ?? []), newCondition(terminal, 'True', target.reason, target.message, now)] };
      if (terminal === 'Complete') finalStatus.completionTime = rfc3339(now);
      job = await this.writeStatus(job, newStatus, finalStatus);
      if (terminal === 'Complete') {
        events.push(['Normal', 'Completed', 'Job completed']);
        const completions = job.spec?.completions;
        if (completions !== undefined && completions !== null && counts.succeeded > completions) events.push(['Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached']);
      } else {
        events.push(['Warning', target.reason, target.message]);
      }
      const ttl = ttlRemaining(job, now);
      if (ttl !== undefined) requeueAfter = ttl;
    }
    for (const [type, reason, message] of events) this.recorder.event(job, type, reason, message);
    if (manageErr) throw manageErr;

    // The deadline has no event of its own: come back when it passes.
    const dl = target ? undefined : deadlineRemaining(job, now);
    if (dl !== undefined) requeueAfter = Math.min(requeueAfter ?? Infinity, dl + 10);
    if (requeueAfter !== undefined) return { requeueAfter };
  }

  /** Writes `status` unless it equals `current` (key order ignored, so a no-op sync never writes). */
  private async writeStatus(job: JobObj, current: JobStatus, status: JobStatus): Promise<JobObj> {
    if (canonicalJson(current) === canonicalJson(status)) return job;
    const updated = await this.client.update<JobObj>(`${jobPath(job.metadata.namespace!, job.metadata.name!)}/status`, { ...job, status }, { signal: this.abort.signal });
    return { ...updated, kind: 'Job', apiVersion: 'batch/v1' };
  }

  /** 3.8: delete with Foreground propagation and a UID precondition once the TTL has passed. */
  private async handleTtl(job: JobObj, now: Date): Promise<ReconcileResult | void> {
    const remaining = ttlRemaining(job, now);
    if (remaining === undefined || job.metadata.deletionTimestamp) return;
    if (remaining > 0) return { requeueAfter: remaining };
    try {
      await this.client.delete(jobPath(job.metadata.namespace!, job.metadata.name!), { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } }, { signal: this.abort.signal });
    } catch (err) {
      // Gone already, or a namesake with another UID (precondition 409): nothing to do.
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }

  private async createPods(job: JobObj, key: string, n: number): Promise<void> {
    const ns = job.metadata.namespace!;
    const tpl = job.spec?.template ?? {};
    if (!tpl.metadata?.labels || Object.keys(tpl.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    this.expectations.expectCreations(key, n);
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${job.metadata.name}-`,
        labels: { ...tpl.metadata.labels },
        ...(tpl.metadata.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
        ...(tpl.metadata.finalizers ? { finalizers: [...tpl.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(job, 'batch/v1', 'Job')],
      },
      spec: clone(tpl.spec ?? {}),
    };
    const { attempted, error } = await slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      try {
        const pod = await this.client.create<Pod>(podPath(ns), body, { signal: this.abort.signal });
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        this.expectations.creationObserved(key);
        if (!(err instanceof ApiError && /NamespaceTerminating|being terminated/.test(err.message))) {
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        }
        throw err;
      }
    });
    if (error !== undefined) {
      this.expectations.creationObserved(key, n - attempted);
      throw error;
    }
  }

  /** Deletes `victims` in parallel; returns how many deletions the API accepted. */
  private async deletePods(job: JobObj, key: string, victims: Pod[]): Promise<number> {
    const ns = job.metadata.namespace!;
    this.expectations.expectDeletions(key, victims.map((p) => keyOf(p)));
    let firstErr: unknown;
    let ok = 0;
    await Promise.all(
      victims.map(async (p) => {
        try {
          await this.client.delete(podPath(ns, p.metadata.name), undefined, { signal: this.abort.signal });
          ok++;
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(p));
          if (err instanceof ApiError && err.code === 404) return;
          this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
          firstErr ??= err;
        }
      }),
    );
    if (firstErr) throw firstErr;
    return ok;
  }
}

