/**
 * Pure Deployment logic, table-driven against CONTROLLERS.md §2: pod-template-hash and
 * naming, semantic template equality, maxSurge/maxUnavailable rounding, the rolling
 * update's steps (the 3-replica worked example replayed), proportional scaling (the docs
 * example), status/conditions and revisionHistoryLimit selection.
 */
import { computeHash, fnv32a, safeEncode } from '../../controller-manager/util/hash';
import { equalIgnoreHash } from '../../controller-manager/util/template';
import {
  calculateStatus, deploymentStatusEqual, findActiveOrLatest, historyToDelete, isScalingEvent, maxSurge, maxUnavailable, newRSNewReplicas,
  planOldScaleDown, planProportionalScale, resolveFenceposts, rolloutStatus, setCondition, setNewReplicaSetAnnotations, newCondition, requeueForDeadline,
} from '../../controller-manager/deployment-util';
import type { Deployment, ReplicaSet } from '../../controller-manager/util/types';

const tpl = (image: string, labels: Record<string, string> = { app: 'web' }) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image }] } });

function dep(replicas: number, o: { surge?: number | string; unavail?: number | string; type?: string; generation?: number; status?: any; annotations?: Record<string, string>; limit?: number; deadline?: number } = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', generation: o.generation ?? 1, annotations: o.annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: tpl('nginx'),
      strategy: o.type === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.surge ?? '25%', maxUnavailable: o.unavail ?? '25%' } },
      revisionHistoryLimit: o.limit,
      progressDeadlineSeconds: o.deadline ?? 600,
    },
    status: o.status,
  };
}

let seq = 0;
function rs(name: string, spec: number, o: { avail?: number; replicas?: number; ts?: string; ann?: Record<string, string>; gen?: number; obs?: number } = {}): ReplicaSet {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: o.ts ?? `2026-01-01T00:00:${String(seq++ % 60).padStart(2, '0')}Z`, annotations: o.ann, generation: o.gen ?? 1 },
    spec: { replicas: spec, selector: { matchLabels: { app: 'web' } }, template: tpl('nginx') },
    status: { replicas: o.replicas ?? spec, availableReplicas: o.avail ?? spec, readyReplicas: o.avail ?? spec, observedGeneration: o.obs ?? o.gen ?? 1 },
  };
}

describe('pod-template-hash', () => {
  test('FNV-1a 32 reference vectors', () => {
    expect(fnv32a(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv32a(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv32a(Buffer.from('foobar'))).toBe(0xbf9cf968);
  });
  test('safe encoding maps digits through the fixed table', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });
  test('deterministic, template- and collision-sensitive, only 4-9 b c d f', () => {
    const a = computeHash(tpl('nginx:1.25'));
    expect(a).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash(tpl('nginx:1.25'))).toBe(a);
    expect(computeHash(tpl('nginx:1.26'))).not.toBe(a);
    expect(computeHash(tpl('nginx:1.25'), 1)).not.toBe(a);
    expect(computeHash(tpl('nginx:1.25'), 1)).not.toBe(computeHash(tpl('nginx:1.25'), 2));
  });
  test('defaults and key order do not change the hash', () => {
    const defaulted = { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [{ image: 'nginx:1.25', name: 'c', resources: {}, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } };
    expect(computeHash(defaulted as any)).toBe(computeHash(tpl('nginx:1.25')));
  });
});

describe('semantic template equality', () => {
  const t = tpl('nginx:1.25');
  test.each([
    ['identical', t, true],
    ['hash label on one side', { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': '5d59d67564' } } }, true],
    ['creationTimestamp: null', { ...t, metadata: { ...t.metadata, creationTimestamp: null } }, true],
    ['resources: {} and API defaults', { metadata: t.metadata, spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: {}, imagePullPolicy: 'IfNotPresent' }], terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', securityContext: {} } }, true],
    ['different image', tpl('nginx:1.26'), false],
    ['different label', tpl('nginx:1.25', { app: 'web', tier: 'x' }), false],
    ['non-default pull policy', { metadata: t.metadata, spec: { containers: [{ name: 'c', image: 'nginx:1.25', imagePullPolicy: 'Always' }] } }, false],
    ['restartedAt annotation', { metadata: { ...t.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } }, spec: t.spec }, false],
  ])('%s', (_name, other, equal) => {
    expect(equalIgnoreHash(t as any, other as any)).toBe(equal);
  });
});

describe('maxSurge / maxUnavailable', () => {
  test.each([
    [3, '25%', '25%', 1, 0],
    [10, '25%', '25%', 3, 2],
    [1, '25%', '25%', 1, 0],
    [2, 0, '1%', 0, 1], // both resolve to 0 → unavailable forced to 1
    [4, 2, 1, 2, 1],
    [5, '50%', '50%', 3, 2],
  ])('replicas %d, surge %s, unavailable %s → %d / %d', (replicas, s, u, surge, unavail) => {
    expect(resolveFenceposts(s, u, replicas)).toEqual({ surge, unavailable: unavail });
  });
  test('MaxUnavailable is 0 for Recreate and for 0 replicas, and capped at replicas', () => {
    expect(maxUnavailable(dep(3, { type: 'Recreate' }))).toBe(0);
    expect(maxSurge(dep(3, { type: 'Recreate' }))).toBe(0);
    expect(maxUnavailable(dep(0))).toBe(0);
    expect(maxUnavailable(dep(2, { unavail: 5 }))).toBe(2);
  });
});

describe('rolling update steps', () => {
  /** Replays the worked example of CONTROLLERS.md 2.5: 3 replicas, surge 1, unavailable 0. */
  test('3 replicas @ 25%/25%: (3,0)→(3,1)→(2,1)→(2,2)→(1,2)→(1,3)→(0,3)', () => {
    const d = dep(3);
    let a = rs('web-aaaa', 3, { ts: '2026-01-01T00:00:00Z' });
    let b = rs('web-bbbb', 0, { ts: '2026-01-01T00:01:00Z' });
    const sizes: [number, number][] = [[3, 0]];
    for (let i = 0; i < 10; i++) {
      const all = [a, b];
      const up = newRSNewReplicas(d, all, b);
      if (up !== b.spec!.replicas) {
        b = rs('web-bbbb', up, { ts: b.metadata.creationTimestamp!, avail: up }); // new pods become available promptly
        sizes.push([a.spec!.replicas!, b.spec!.replicas!]);
        continue;
      }
      const plan = planOldScaleDown(d, all, [a], b);
      const next = plan.get('web-aaaa');
      if (next === undefined || next === a.spec!.replicas) break;
      a = rs('web-aaaa', next, { ts: a.metadata.creationTimestamp! });
      sizes.push([a.spec!.replicas!, b.spec!.replicas!]);
    }
    expect(sizes).toEqual([[3, 0], [3, 1], [2, 1], [2, 2], [1, 2], [1, 3], [0, 3]]);
  });

  test('10 replicas @ 25%/25%: new RS starts at 3, old drops to 8 at once', () => {
    const d = dep(10);
    const a = rs('a', 10, { ts: '2026-01-01T00:00:00Z' });
    const b = rs('b', 0, { ts: '2026-01-01T00:01:00Z' });
    expect(newRSNewReplicas(d, [a, b], b)).toBe(3);
    const b3 = rs('b', 3, { ts: '2026-01-01T00:01:00Z', avail: 0 });
    // allPods 13, minAvailable 8, newUnavailable 3 → maxScaledDown 2; available 10 > 8 → 2.
    expect(planOldScaleDown(d, [a, b3], [a], b3).get('a')).toBe(8);
  });

  test('new pods not available: old pods are not scaled down below minAvailable', () => {
    const d = dep(2); // surge 1, unavailable 0
    const a = rs('a', 2, { ts: '2026-01-01T00:00:00Z' });
    const b = rs('b', 1, { ts: '2026-01-01T00:01:00Z', avail: 0 });
    expect(planOldScaleDown(d, [a, b], [a], b).size).toBe(0);
  });

  test('unhealthy old pods are removed first (cleanupUnhealthyReplicas)', () => {
    const d = dep(4, { surge: 1, unavail: 0 });
    const a = rs('a', 4, { ts: '2026-01-01T00:00:00Z', avail: 2 });
    const b = rs('b', 1, { ts: '2026-01-01T00:01:00Z', avail: 1 });
    // allPods 5, minAvailable 4, newUnavailable 0 → maxScaledDown 1; a has 2 unavailable → drop 1.
    expect(planOldScaleDown(d, [a, b], [a], b).get('a')).toBe(3);
  });

  test('a stale old-RS status is not credited with pods it is scaling away', () => {
    const d = dep(3);
    const a = rs('a', 2, { ts: '2026-01-01T00:00:00Z', avail: 3, gen: 2, obs: 1 });
    const b = rs('b', 1, { ts: '2026-01-01T00:01:00Z', avail: 1 });
    // Credited available = min(3, 2) + 1 = 3 = minAvailable → no further scale-down.
    expect(planOldScaleDown(d, [a, b], [a], b).get('a')).toBeUndefined();
  });
});

describe('proportional scaling', () => {
  test('docs example: 10 → 15 mid-rollout (old 8, new 5) → old 11, new 7', () => {
    const d = dep(15, { surge: 3, unavail: 2 });
    const ann = { 'deployment.kubernetes.io/max-replicas': '13', 'deployment.kubernetes.io/desired-replicas': '10' };
    const old = rs('old', 8, { ts: '2026-01-01T00:00:00Z', ann });
    const nw = rs('new', 5, { ts: '2026-01-01T00:01:00Z', ann });
    expect(isScalingEvent(d, [old, nw])).toBe(true);
    const { sizes, op } = planProportionalScale(d, [old, nw]);
    expect(op).toBe('up');
    expect(Object.fromEntries(sizes)).toEqual({ old: 11, new: 7 });
  });
  test('scale down to 0 empties every RS', () => {
    const d = dep(0);
    const ann = { 'deployment.kubernetes.io/max-replicas': '13' };
    const { sizes, op } = planProportionalScale(d, [rs('a', 8, { ann }), rs('b', 5, { ann })]);
    expect(op).toBe('down');
    expect(Object.fromEntries(sizes)).toEqual({ a: 0, b: 0 });
  });
  test('one active RS is scaled directly', () => {
    const a = rs('a', 3, { ts: '2026-01-01T00:00:00Z' });
    const b = rs('b', 0, { ts: '2026-01-01T00:01:00Z' });
    expect(findActiveOrLatest(b, [a])?.metadata.name).toBe('a');
    expect(findActiveOrLatest(undefined, [rs('x', 0, { ts: '2026-01-01T00:00:00Z' }), rs('y', 0, { ts: '2026-01-01T00:05:00Z' })])?.metadata.name).toBe('y');
    expect(findActiveOrLatest(b, [a, rs('c', 1)])).toBeUndefined();
  });
});

describe('revisions and annotations', () => {
  test('copies change-cause, skips controller annotations, records revision history', () => {
    const d = dep(3, { annotations: { 'kubernetes.io/change-cause': 'undo', 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
    const r = rs('web-a', 0, { ann: { 'deployment.kubernetes.io/revision': '1' } });
    expect(setNewReplicaSetAnnotations(d, r, 3, true)).toBe(true);
    expect(r.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'undo', 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(setNewReplicaSetAnnotations(d, r, 3, true)).toBe(false);
    const fresh = rs('web-b', 0);
    setNewReplicaSetAnnotations(d, fresh, 1, false);
    expect(fresh.metadata.annotations).toEqual(expect.objectContaining({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' }));
  });
});

describe('status and conditions', () => {
  const now = new Date('2026-01-01T01:00:00Z');
  test('counts and Available', () => {
    const d = dep(3, { generation: 2 });
    const s = calculateStatus([rs('a', 1, { avail: 1 }), rs('b', 3, { avail: 1, replicas: 3 })], rs('b', 3, { avail: 1, replicas: 3 }), d, now);
    expect(s).toEqual(expect.objectContaining({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 2 }));
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' })]);
  });
  test('complete → NewReplicaSetAvailable; progress → ReplicaSetUpdated; no progress past deadline → ProgressDeadlineExceeded', () => {
    const newRS = rs('web-b', 3);
    const done = rolloutStatus([newRS], newRS, dep(3), now);
    expect(done.conditions?.find((c) => c.type === 'Progressing')).toEqual(expect.objectContaining({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-b" has successfully progressed.' }));

    const stuckRS = rs('web-b', 1, { avail: 0 });
    const old = rs('web-a', 3);
    const prev = { replicas: 4, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3, conditions: [newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "web-b" is progressing.', new Date('2026-01-01T00:59:00Z'))] };
    const within = rolloutStatus([old, stuckRS], stuckRS, dep(3, { status: prev, deadline: 120 }), now);
    expect(within.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    expect(requeueForDeadline(dep(3, { status: prev, deadline: 120 }), within, now)).toBe(61_000);
    const past = rolloutStatus([old, stuckRS], stuckRS, dep(3, { status: prev, deadline: 30 }), now);
    expect(past.conditions?.find((c) => c.type === 'Progressing')).toEqual(expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-b" has timed out progressing.' }));

    const moving = rolloutStatus([old, rs('web-b', 2, { avail: 1 })], rs('web-b', 2, { avail: 1 }), dep(3, { status: prev, deadline: 30 }), now);
    const p = moving.conditions?.find((c) => c.type === 'Progressing');
    expect(p).toEqual(expect.objectContaining({ reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-01-01T01:00:00Z', lastTransitionTime: '2026-01-01T00:59:00Z' }));
  });
  test('setCondition keeps transition time on same status and leaves same reason untouched', () => {
    const s: any = { conditions: [] };
    setCondition(s, newCondition('Available', 'True', 'A', 'm', new Date('2026-01-01T00:00:00Z')));
    setCondition(s, newCondition('Available', 'True', 'A', 'm2', new Date('2026-01-01T00:10:00Z')));
    expect(s.conditions[0].message).toBe('m');
    setCondition(s, newCondition('Available', 'True', 'B', 'm3', new Date('2026-01-01T00:20:00Z')));
    expect(s.conditions[0]).toEqual(expect.objectContaining({ reason: 'B', lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:20:00Z' }));
  });
  test('status equality ignores zero counts (omitempty)', () => {
    expect(deploymentStatusEqual({ replicas: 3, unavailableReplicas: 0 }, { replicas: 3 })).toBe(true);
    expect(deploymentStatusEqual({ replicas: 3 }, { replicas: 2 })).toBe(false);
  });
});

describe('revisionHistoryLimit', () => {
  test('deletes the oldest revisions beyond the limit, only when fully scaled down', () => {
    const d = dep(3, { limit: 1 });
    const r = (name: string, rev: string, spec = 0) => rs(name, spec, { ann: { 'deployment.kubernetes.io/revision': rev } });
    const olds = [r('r3', '3'), r('r1', '1'), r('r2', '2', 1)];
    expect(historyToDelete(d, olds).map((x) => x.metadata.name)).toEqual(['r1']); // r2 still has a replica
    expect(historyToDelete(dep(3), olds)).toEqual([]); // nil limit keeps all
  });
});
