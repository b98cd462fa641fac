/**
 * Pure Job decisions (CONTROLLERS.md §3): pod counting, failure back-off, wantActive,
 * and the order in which terminal targets are chosen.
 */
import { backoffDelay, backoffRemaining, countJobPods, decideTarget, deadlineRemaining, MAX_JOB_BACKOFF_MS, podFinishTime, ttlRemaining, wantActive, type JobObj } from '../../controller-manager/job-util';
import type { Pod } from '../../controller-manager/util/types';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(phase: string, opts: { finishedAt?: number; deleting?: boolean; ready?: boolean; restarts?: number } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'd', creationTimestamp: iso(T0), ...(opts.deleting ? { deletionTimestamp: iso(T0 + 5000), deletionGracePeriodSeconds: 30 } : {}) },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase,
      conditions: opts.ready !== undefined ? [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: iso(T0 + 1000) }] : [],
      containerStatuses: [
        {
          name: 'c', image: 'i', imageID: '', ready: !!opts.ready, restartCount: opts.restarts ?? 0,
          state: opts.finishedAt !== undefined ? { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt: iso(opts.finishedAt) } } : { running: {} },
        },
      ],
    },
  } as unknown as Pod;
}

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}): JobObj {
  return { metadata: { name: 'j', namespace: 'd' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [] } }, ...spec }, status } as unknown as JobObj;
}

test('countJobPods: active/ready/terminating/succeeded/failed; a deleted running pod counts as failed', () => {
  const c = countJobPods([pod('Running', { ready: true }), pod('Pending'), pod('Succeeded', { finishedAt: T0 }), pod('Failed', { finishedAt: T0 }), pod('Running', { deleting: true, restarts: 2 })]);
  expect(c).toEqual({ active: 2, ready: 1, terminating: 1, succeeded: 1, failed: 2, restarts: 2 });
});

test.each([
  [0, 0],
  [1, 10_000],
  [2, 20_000],
  [3, 40_000],
  [6, 320_000],
  [7, 600_000], // 640 s capped at 10 min (the v1.32 code's cap)
  [100, MAX_JOB_BACKOFF_MS],
])('backoffDelay(%i) = %i ms', (n, want) => {
  expect(backoffDelay(n)).toBe(want);
});

test('podFinishTime: container finishedAt, else Ready=False transition, else deletion − grace, else creation', () => {
  expect(podFinishTime(pod('Failed', { finishedAt: T0 + 7000 }))).toBe(T0 + 7000);
  expect(podFinishTime(pod('Failed', { ready: false }))).toBe(T0 + 1000);
  expect(podFinishTime(pod('Running', { deleting: true }))).toBe(T0 + 5000 - 30_000);
  expect(podFinishTime(pod('Pending'))).toBe(T0);
});

test('backoffRemaining counts only failures after the last success', () => {
  const now = new Date(T0 + 15_000);
  // Two failures (last at T0+10s): delay 20 s → 15 s left at T0+15s.
  expect(backoffRemaining([pod('Failed', { finishedAt: T0 }), pod('Failed', { finishedAt: T0 + 10_000 })], now)).toBe(15_000);
  // A success after the first failure resets the count: one failure → 10 s from T0+10s → 5 s left.
  expect(backoffRemaining([pod('Failed', { finishedAt: T0 }), pod('Succeeded', { finishedAt: T0 + 5000 }), pod('Failed', { finishedAt: T0 + 10_000 })], now)).toBe(5000);
  expect(backoffRemaining([pod('Succeeded', { finishedAt: T0 })], now)).toBe(0);
  // Shrunk base for tests.
  expect(backoffRemaining([pod('Failed', { finishedAt: T0 + 15_000 })], now, 100)).toBe(100);
});

test.each([
  [{ completions: 3, parallelism: 2 }, 0, 0, 2],
  [{ completions: 3, parallelism: 2 }, 0, 2, 1],
  [{ completions: 3, parallelism: 2 }, 1, 3, 0],
  [{ parallelism: 4 }, 0, 0, 4], // work queue: parallelism until the first success
  [{ parallelism: 4 }, 3, 1, 3], // then keep what is active, create nothing
])('wantActive(%j, active %i, succeeded %i) = %i', (spec, active, succeeded, want) => {
  expect(wantActive(job(spec), { active, succeeded })).toBe(want);
});

const counts = (o: Partial<ReturnType<typeof countJobPods>>) => ({ active: 0, ready: 0, terminating: 0, succeeded: 0, failed: 0, restarts: 0, ...o });
const now = new Date(T0 + 100_000);

test.each([
  ['nothing yet', {}, {}, counts({ active: 1 }), undefined],
  ['failed > backoffLimit', { backoffLimit: 2 }, {}, counts({ failed: 3 }), ['FailureTarget', 'BackoffLimitExceeded']],
  ['failed = backoffLimit is still fine', { backoffLimit: 2 }, {}, counts({ failed: 2, active: 1 }), undefined],
  ['backoffLimit 0 fails on the first', { backoffLimit: 0 }, {}, counts({ failed: 1 }), ['FailureTarget', 'BackoffLimitExceeded']],
  ['OnFailure: restarts ≥ limit', { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } }, {}, counts({ active: 1, restarts: 2 }), ['FailureTarget', 'BackoffLimitExceeded']],
  ['deadline passed', { activeDeadlineSeconds: 10 }, { startTime: iso(T0) }, counts({ active: 1 }), ['FailureTarget', 'DeadlineExceeded']],
  ['backoff beats deadline', { activeDeadlineSeconds: 10, backoffLimit: 0 }, { startTime: iso(T0) }, counts({ failed: 1 }), ['FailureTarget', 'BackoffLimitExceeded']],
  ['completions reached', { completions: 3 }, {}, counts({ succeeded: 3 }), ['SuccessCriteriaMet', 'CompletionsReached']],
  ['work queue: a success and nothing active', { parallelism: 2 }, {}, counts({ succeeded: 1 }), ['SuccessCriteriaMet', 'CompletionsReached']],
  ['work queue: a success but others still running', { parallelism: 2 }, {}, counts({ succeeded: 1, active: 1 }), undefined],
  ['an existing FailureTarget sticks', { completions: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'm' }] }, counts({ succeeded: 1 }), ['FailureTarget', 'DeadlineExceeded']],
  ['an existing SuccessCriteriaMet sticks', { backoffLimit: 0 }, { conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'm' }] }, counts({ failed: 5 }), ['SuccessCriteriaMet', 'CompletionsReached']],
])('decideTarget: %s', (_name, spec, status, c, want) => {
  const t = decideTarget(job(spec, status), c, now);
  expect(t ? [t.type, t.reason] : undefined).toEqual(want);
});

test('target messages are the upstream strings', () => {
  expect(decideTarget(job({ backoffLimit: 0 }), counts({ failed: 1 }), now)?.message).toBe('Job has reached the specified backoff limit');
  expect(decideTarget(job({ activeDeadlineSeconds: 1 }, { startTime: iso(T0) }), counts({}), now)?.message).toBe('Job was active longer than specified deadline');
  expect(decideTarget(job({ completions: 1 }), counts({ succeeded: 1 }), now)?.message).toBe('Reached expected number of succeeded pods');
});

test('deadlineRemaining and ttlRemaining', () => {
  expect(deadlineRemaining(job({ activeDeadlineSeconds: 200 }, { startTime: iso(T0) }), now)).toBe(100_000);
  expect(deadlineRemaining(job({ activeDeadlineSeconds: 200, suspend: true }, { startTime: iso(T0) }), now)).toBeUndefined();
  expect(deadlineRemaining(job({}, { startTime: iso(T0) }), now)).toBeUndefined();
  const done = { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(T0 + 90_000) }] };
  expect(ttlRemaining(job({ ttlSecondsAfterFinished: 30 }, done), now)).toBe(20_000);
  expect(ttlRemaining(job({ ttlSecondsAfterFinished: 0 }, done), now)).toBe(0);
  expect(ttlRemaining(job({ ttlSecondsAfterFinished: 30 }, {}), now)).toBeUndefined();
  expect(ttlRemaining(job({}, done), now)).toBeUndefined();
});

test('both controllers are registered under kube-controller-manager names', () => {
  // Imported here so the pure tests above do not load the manager.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CONTROLLERS, selectControllers } = require('../../controller-manager/manager') as typeof import('../../controller-manager/manager');
  expect(CONTROLLERS.job().name).toBe('job');
  expect(CONTROLLERS.daemonset().name).toBe('daemonset');
  expect(selectControllers(['*', '-daemonset'])).toContain('job');
  expect(selectControllers(['*', '-daemonset'])).not.toContain('daemonset');
});
