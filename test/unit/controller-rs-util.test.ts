/**
 * Pure ReplicaSet pieces: the scale-down ranking (CONTROLLERS.md 0.6), status
 * computation with minReadySeconds and ReplicaFailure (1.2), expectations (0.2), slow
 * start (0.3) and the controller-manager's --controllers / duration parsing.
 */
import { compareForDeletion, isPodActive, isPodAvailable, podsToDelete } from '../../controller-manager/util/pods';
import { calculateReplicaSetStatus, replicaSetStatusChanged } from '../../controller-manager/replicaset-util';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from '../../controller-manager/util/expectations';
import { slowStartBatch } from '../../controller-manager/util/batch';
import { selectControllers } from '../../controller-manager/manager';
import { parseDurationSeconds } from '../../controller-manager/main';
import type { Pod, ReplicaSet } from '../../controller-manager/util/types';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; cost?: number; restarts?: number; createdAgo?: number; uid?: string; labels?: Record<string, string>; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name, namespace: 'default', uid: o.uid ?? name, labels: o.labels ?? { app: 'web' }, creationTimestamp: ago(o.createdAgo ?? 1000),
      annotations: o.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } : undefined,
      deletionTimestamp: o.deleting ? ago(0) : undefined,
    },
    spec: { nodeName: o.node, containers: [{ name: 'c', image: 'i' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready === false ? [{ type: 'Ready', status: 'False' }] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readyAgo ?? 500) }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: o.ready !== false, restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('scale-down ranking', () => {
  const rank0 = () => 0;
  test.each([
    ['unassigned before assigned', pod('a'), pod('b', { node: 'n' })],
    ['Pending before Running', pod('a', { node: 'n', phase: 'Pending' }), pod('b', { node: 'n' })],
    ['Unknown before Running', pod('a', { node: 'n', phase: 'Unknown' }), pod('b', { node: 'n' })],
    ['not ready before ready', pod('a', { node: 'n', ready: false }), pod('b', { node: 'n' })],
    ['lower deletion cost first', pod('a', { node: 'n', cost: -5 }), pod('b', { node: 'n' })],
    ['ready for a shorter time first', pod('a', { node: 'n', readyAgo: 10 }), pod('b', { node: 'n', readyAgo: 5000 })],
    ['more restarts first', pod('a', { node: 'n', ready: false, restarts: 3 }), pod('b', { node: 'n', ready: false })],
    ['newer first', pod('a', { node: 'n', ready: false, createdAgo: 10 }), pod('b', { node: 'n', ready: false, createdAgo: 5000 })],
    ['same log2 bucket: smaller uid first', pod('z', { node: 'n', readyAgo: 100, uid: 'a-uid' }), pod('y', { node: 'n', readyAgo: 110, uid: 'b-uid' })],
  ])('%s', (_n, first, second) => {
    expect(compareForDeletion(first, second, rank0, now)).toBeLessThan(0);
    expect(compareForDeletion(second, first, rank0, now)).toBeGreaterThan(0);
  });
  test('doubled-up nodes go first', () => {
    const rank = (p: Pod) => (p.spec!.nodeName === 'busy' ? 3 : 1);
    expect(compareForDeletion(pod('a', { node: 'busy' }), pod('b', { node: 'quiet' }), rank, now)).toBeLessThan(0);
  });
  test('podsToDelete picks the n lowest', () => {
    const ps = [pod('ready', { node: 'n' }), pod('pending', { node: 'n', phase: 'Pending' }), pod('unbound'), pod('notready', { node: 'n', ready: false })];
    expect(podsToDelete(ps, 3, () => 0, now).map((p) => p.metadata.name)).toEqual(['unbound', 'pending', 'notready']);
  });
});

describe('active / available', () => {
  test('terminating and finished pods are not active', () => {
    expect(isPodActive(pod('a'))).toBe(true);
    expect(isPodActive(pod('a', { deleting: true }))).toBe(false);
    expect(isPodActive(pod('a', { phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive(pod('a', { phase: 'Failed' }))).toBe(false);
  });
  test('available needs ready for strictly more than minReadySeconds', () => {
    expect(isPodAvailable(pod('a', { readyAgo: 10 }), 0, now)).toBe(true);
    expect(isPodAvailable(pod('a', { readyAgo: 10 }), 10, now)).toBe(false);
    expect(isPodAvailable(pod('a', { readyAgo: 11 }), 10, now)).toBe(true);
    expect(isPodAvailable(pod('a', { ready: false }), 0, now)).toBe(false);
  });
});

describe('ReplicaSet status', () => {
  const rs = (o: { minReady?: number; conditions?: any[]; observed?: number } = {}): ReplicaSet => ({
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec: { replicas: 3, minReadySeconds: o.minReady, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
    status: { replicas: 0, conditions: o.conditions, observedGeneration: o.observed },
  });
  test('counts fully labelled, ready and available pods', () => {
    const pods = [pod('a', { labels: { app: 'web', tier: 'fe' }, readyAgo: 100 }), pod('b', { labels: { app: 'web' }, readyAgo: 5 }), pod('c', { ready: false })];
    expect(calculateReplicaSetStatus(rs({ minReady: 30 }), pods, undefined, now)).toEqual({ replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2 });
  });
  test('ReplicaFailure added on a manage error, kept unchanged, removed on success', () => {
    const s = calculateReplicaSetStatus(rs(), [], { reason: 'FailedCreate', message: 'quota' }, now);
    expect(s.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2026-01-01T12:00:00Z' }]);
    const again = calculateReplicaSetStatus(rs({ conditions: s.conditions }), [], { reason: 'FailedCreate', message: 'other' }, new Date());
    expect(again.conditions).toEqual(s.conditions);
    expect(calculateReplicaSetStatus(rs({ conditions: s.conditions }), [], undefined, now).conditions).toBeUndefined();
  });
  test('written only when something changed', () => {
    const base: ReplicaSet = { ...rs(), status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 } };
    expect(replicaSetStatusChanged(base, { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 })).toBe(false);
    expect(replicaSetStatusChanged(base, { replicas: 2, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 })).toBe(true);
    const stale: ReplicaSet = { ...base, status: { ...base.status!, observedGeneration: 1 } };
    expect(replicaSetStatusChanged(stale, { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 })).toBe(true);
  });
});

describe('expectations', () => {
  test('creations and deletions must be observed before the next manage step', () => {
    let t = 0;
    const e = new Expectations(() => t);
    expect(e.satisfied('a')).toBe(true);
    e.expectCreations('a', 2);
    e.creationObserved('a');
    expect(e.satisfied('a')).toBe(false);
    e.creationObserved('a');
    expect(e.satisfied('a')).toBe(true);
    e.expectDeletions('a', ['ns/p1', 'ns/p2']);
    e.deletionObserved('a', 'ns/p1');
    e.deletionObserved('a', 'ns/p1'); // counted once (timestamp then delete event)
    expect(e.satisfied('a')).toBe(false);
    t += EXPECTATIONS_TIMEOUT_MS + 1;
    expect(e.satisfied('a')).toBe(true); // expired
  });
});

describe('slow start', () => {
  test('batches 1, 2, 4, 3 for 10; stops after the first failing batch', async () => {
    // Record how many calls are in flight together: that is the batch size.
    const batches: number[] = [];
    let inFlight = 0;
    const r = await slowStartBatch(10, 1, async () => {
      if (inFlight++ === 0) batches.push(0);
      batches[batches.length - 1]++;
      await new Promise((res) => setTimeout(res, 1));
      inFlight--;
    });
    expect(batches).toEqual([1, 2, 4, 3]);
    expect(r).toEqual({ successes: 10, attempted: 10 });
    let calls = 0;
    const f = await slowStartBatch(10, 1, async () => {
      calls++;
      if (calls === 3) throw new Error('boom');
    });
    expect(f.successes).toBe(2);
    expect(f.attempted).toBe(3);
    expect(String(f.error)).toContain('boom');
  });
});

describe('controller-manager flags', () => {
  test('--controllers', () => {
    const known = ['replicaset', 'deployment', 'namespace'];
    expect(selectControllers(undefined, known)).toEqual(known);
    expect(selectControllers(['*', '-namespace'], known)).toEqual(['replicaset', 'deployment']);
    expect(selectControllers(['deployment'], known)).toEqual(['deployment']);
    expect(() => selectControllers(['nope'], known)).toThrow('unknown controller');
  });
  test('durations', () => {
    expect(parseDurationSeconds('50s')).toBe(50);
    expect(parseDurationSeconds('5m')).toBe(300);
    expect(parseDurationSeconds('1m30s')).toBe(90);
    expect(parseDurationSeconds('500ms')).toBe(0.5);
    expect(parseDurationSeconds('7')).toBe(7);
    expect(() => parseDurationSeconds('5x')).toThrow();
  });
});
