/**
 * Pure decisions of the Job controller (CONTROLLERS.md §3): how a Job's pods are counted,
 * how long to wait before replacing failed pods, how many pods should be active, and which
 * terminal target (SuccessCriteriaMet / FailureTarget) a Job has reached. No I/O: the
 * controller (job.ts) feeds pods and the time in, tests pin both.
 *
 * Counting is done from the pods that still exist (no `batch.kubernetes.io/job-tracking`
 * finalizer). The controller keeps `status.succeeded`/`status.failed` monotonic (max of the
 * written value and the pod count) so a pod that disappears after it was counted is not
 * forgotten; see job.ts for the known limitation this leaves.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';
import type { KObject } from '../shared/api/types';
import type { Pod } from './util/types';
import { isPodReady } from './util/pods';

export type JobObj = Job & KObject;

/** Upstream DefaultJobPodFailureBackOff: 10 s, doubling per failure after the last success. */
export const DEFAULT_JOB_BACKOFF_BASE_MS = 10_000;
/**
 * Upstream MaxJobPodFailureBackOff. CONTROLLERS.md 3.4: the v1.32 code caps at 10 minutes
 * (the docs' "six minutes" is the pre-1.28 value); the spec wins.
 */
export const MAX_JOB_BACKOFF_MS = 10 * 60_000;
/** Upstream backoffLimit default (normally applied by the API server). */
export const DEFAULT_BACKOFF_LIMIT = 6;

export const REASON_BACKOFF = 'BackoffLimitExceeded';
export const MSG_BACKOFF = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MSG_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_COMPLETIONS = 'CompletionsReached';
export const MSG_COMPLETIONS = 'Reached expected number of succeeded pods';

export interface JobPodCounts {
  /** Not finished and not being deleted. */
  active: number;
  ready: number;
  /** Being deleted and not finished. */
  terminating: number;
  succeeded: number;
  /** Phase Failed, or deleted while not Succeeded (3.3: a deleted running pod counts as a failure). */
  failed: number;
  /** Sum of container restarts (init + regular) of Pending/Running pods: OnFailure's failure measure. */
  restarts: number;
}

export function countJobPods(pods: Pod[]): JobPodCounts {
  const c: JobPodCounts = { active: 0, ready: 0, terminating: 0, succeeded: 0, failed: 0, restarts: 0 };
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded') c.succeeded++;
    else if (phase === 'Failed' || p.metadata.deletionTimestamp) c.failed++;
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      if (p.metadata.deletionTimestamp) c.terminating++;
      else {
        c.active++;
        if (isPodReady(p)) c.ready++;
      }
      for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) c.restarts += s.restartCount ?? 0;
    }
  }
  return c;
}

/** 3.4: latest container finishedAt (all terminated), else Ready=False transition, else deletion − grace, else creation. */
export function podFinishTime(p: Pod): number {
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  if (statuses.length && statuses.every((s) => s.state?.terminated?.finishedAt)) {
    return Math.max(...statuses.map((s) => Date.parse(s.state!.terminated!.finishedAt as unknown as string)));
  }
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime as unknown as string);
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

/** Delay after n consecutive failures: base·2^(n−1), capped; 0 when n = 0. */
export function backoffDelay(n: number, baseMs = DEFAULT_JOB_BACKOFF_BASE_MS, maxMs = MAX_JOB_BACKOFF_MS): number {
  if (n <= 0) return 0;
  // Exponent clamped so 2^(n−1) cannot overflow to Infinity before the cap applies.
  return Math.min(baseMs * 2 ** Math.min(n - 1, 40), maxMs);
}

/**
 * How long (ms) the controller must still wait before creating replacement pods. The
 * record upstream keeps in memory (failures after the last success, last failure time)
 * is derived from the pods instead, which survives a controller restart.
 */
export function backoffRemaining(pods: Pod[], now: Date, baseMs = DEFAULT_JOB_BACKOFF_BASE_MS, maxMs = MAX_JOB_BACKOFF_MS): number {
  let lastSuccess = -Infinity;
  for (const p of pods) if (p.status?.phase === 'Succeeded') lastSuccess = Math.max(lastSuccess, podFinishTime(p));
  let n = 0;
  let lastFailure = -Infinity;
  for (const p of pods) {
    if (p.status?.phase !== 'Failed') continue;
    const t = podFinishTime(p);
    if (t <= lastSuccess) continue;
    n++;
    lastFailure = Math.max(lastFailure, t);
  }
  if (n === 0) return 0;
  return Math.max(0, backoffDelay(n, baseMs, maxMs) - (now.getTime() - lastFailure));
}

/** 3.2 wantActive: completions unset → parallelism until the first success, then nothing new. */
export function wantActive(job: JobObj, c: { active: number; succeeded: number }): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return c.succeeded > 0 ? c.active : parallelism;
  return Math.max(0, Math.min(completions - c.succeeded, parallelism));
}

export function findCondition(job: JobObj, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export function isJobFinished(job: JobObj): JobCondition | undefined {
  return findCondition(job, 'Complete') ?? findCondition(job, 'Failed');
}

export interface Target {
  type: 'SuccessCriteriaMet' | 'FailureTarget';
  reason: string;
  message: string;
}

/**
 * 3.5's order: existing SuccessCriteriaMet → existing FailureTarget → backoff limit →
 * activeDeadlineSeconds → completions. Pod failure policy, success policy and indexed
 * jobs are not implemented.
 */
export function decideTarget(job: JobObj, c: JobPodCounts, now: Date): Target | undefined {
  const sc = findCondition(job, 'SuccessCriteriaMet');
  if (sc) return { type: 'SuccessCriteriaMet', reason: sc.reason ?? REASON_COMPLETIONS, message: sc.message ?? MSG_COMPLETIONS };
  const ft = findCondition(job, 'FailureTarget');
  if (ft) return { type: 'FailureTarget', reason: ft.reason ?? REASON_BACKOFF, message: ft.message ?? MSG_BACKOFF };
  const limit = job.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  const onFailure = job.spec?.template?.spec?.restartPolicy === 'OnFailure';
  const restartsExceeded = onFailure && (limit === 0 ? c.restarts > 0 : c.restarts >= limit);
  if (c.failed > limit || restartsExceeded) return { type: 'FailureTarget', reason: REASON_BACKOFF, message: MSG_BACKOFF };
  if (deadlineRemaining(job, now) === 0) return { type: 'FailureTarget', reason: REASON_DEADLINE, message: MSG_DEADLINE };
  const completions = job.spec?.completions;
  const done = completions === undefined || completions === null ? c.succeeded >= 1 && c.active === 0 : c.succeeded >= completions;
  if (done) return { type: 'SuccessCriteriaMet', reason: REASON_COMPLETIONS, message: MSG_COMPLETIONS };
  return undefined;
}

/** ms until activeDeadlineSeconds passes (0 = passed), undefined when no deadline applies (unset, suspended, not started). */
export function deadlineRemaining(job: JobObj, now: Date): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (ads === undefined || ads === null || !start || job.spec?.suspend) return undefined;
  return Math.max(0, Date.parse(start as unknown as string) + ads * 1000 - now.getTime());
}

/** ms until the TTL after finishing passes (0 = due), undefined when no TTL or not finished. */
export function ttlRemaining(job: JobObj, now: Date): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const fin = isJobFinished(job);
  if (ttl === undefined || ttl === null || !fin?.lastTransitionTime) return undefined;
  return Math.max(0, Date.parse(fin.lastTransitionTime as unknown as string) + ttl * 1000 - now.getTime());
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: Date): JobCondition {
  const t = rfc3339(now);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t } as unknown as JobCondition;
}
