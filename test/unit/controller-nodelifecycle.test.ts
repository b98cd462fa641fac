/** Node lifecycle's pure rules: condition taints, toleration timing, heartbeat age, Unknown marking. */
import {
  allNodesNotReady,
  desiredTaints,
  evictionDelaySeconds,
  heartbeatTime,
  markUnknown,
  reconcileTaints,
  tolerates,
  TokenBucket,
  zoneEvictionRate,
  zoneOf,
  zoneState,
  type NodeCondition,
  type Taint,
} from '../../controller-manager/nodelifecycle-taints';

const cond = (type: string, status: string, extra: Partial<NodeCondition> = {}): NodeCondition => ({ type, status, ...extra });
const unreachableNE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReadyNE: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const admissionDefaults = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('desiredTaints', () => {
  test('Ready=True → none', () => expect(desiredTaints([cond('Ready', 'True')], false, { noExecute: true })).toEqual([]));
  test('Ready=Unknown → unreachable NoSchedule + NoExecute', () =>
    expect(desiredTaints([cond('Ready', 'Unknown')], false, { noExecute: true })).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      unreachableNE,
    ]));
  test('Ready=False → not-ready pair; NoExecute off in full disruption', () => {
    expect(desiredTaints([cond('Ready', 'False')], false, { noExecute: true })).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, notReadyNE]);
    expect(desiredTaints([cond('Ready', 'False')], false, { noExecute: false })).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
  });
  test('pressure conditions and cordon', () =>
    expect(desiredTaints([cond('Ready', 'True'), cond('MemoryPressure', 'True'), cond('DiskPressure', 'False'), cond('PIDPressure', 'True')], true, { noExecute: true }).map((t) => t.key)).toEqual([
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/pid-pressure',
      'node.kubernetes.io/unschedulable',
    ]));
});

describe('reconcileTaints', () => {
  test('adds with timeAdded, keeps foreign and still-wanted ones, removes stale managed ones', () => {
    const cur: Taint[] = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'old' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: 'kept' }];
    const { taints, changed } = reconcileTaints(cur, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, unreachableNE], 'now');
    expect(changed).toBe(true);
    expect(taints).toEqual([cur[0], cur[2], { ...unreachableNE, timeAdded: 'now' }]);
  });
  test('no change → changed false', () => {
    const cur: Taint[] = [{ ...unreachableNE, timeAdded: 't' }];
    expect(reconcileTaints(cur, [unreachableNE], 'now')).toEqual({ taints: cur, changed: false });
  });
});

describe('toleration timing', () => {
  test('tolerates: Exists, Equal, effect and key wildcards', () => {
    expect(tolerates({ key: 'k', operator: 'Exists' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ key: 'k', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, { key: 'k', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ operator: 'Exists' }, { key: 'anything', effect: 'NoExecute' })).toBe(true);
  });
  test.each([
    ['own tolerationSeconds wins', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }], [unreachableNE], 1],
    ['admission default 300 → controller option', admissionDefaults, [unreachableNE], 7],
    ['no toleration for our taint → option', [], [unreachableNE], 7],
    ['foreign NoExecute taint not tolerated → now', admissionDefaults, [{ key: 'x', effect: 'NoExecute' }], 0],
    ['tolerated forever', [{ operator: 'Exists' }], [unreachableNE], Infinity],
    ['negative → 0', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -5 }], [unreachableNE], 0],
    ['minimum over taints', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, { key: 'x', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], [unreachableNE, { key: 'x', effect: 'NoExecute' }], 10],
  ])('%s', (_n, tols, taints, want) => {
    expect(evictionDelaySeconds(tols as never, taints, 7)).toBe(want);
  });
});

describe('heartbeat and Unknown marking', () => {
  test('first sight uses reported times (newest of lease and Ready), then the local probe', () => {
    const lease = '2026-01-01T00:00:10.000000Z';
    const hb = '2026-01-01T00:00:05Z';
    expect(heartbeatTime([hb, lease], undefined, undefined)).toBe(Date.parse(lease));
    expect(heartbeatTime([undefined, undefined], '2026-01-01T00:00:00Z', undefined)).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(heartbeatTime([hb], undefined, Date.parse('2026-01-02T00:00:00Z'))).toBe(Date.parse('2026-01-02T00:00:00Z'));
  });
  test('marks the four conditions Unknown, adds missing ones, leaves NetworkUnavailable', () => {
    const { conditions, changed } = markUnknown(
      [cond('Ready', 'True', { lastHeartbeatTime: 'hb', reason: 'KubeletReady' }), cond('MemoryPressure', 'False'), cond('NetworkUnavailable', 'False')],
      'created',
      'now',
    );
    expect(changed).toBe(true);
    expect(conditions.find((c) => c.type === 'Ready')).toEqual({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 'hb', lastTransitionTime: 'now' });
    expect(conditions.find((c) => c.type === 'NetworkUnavailable')?.status).toBe('False');
    expect(conditions.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: 'created' });
    expect(markUnknown(conditions, 'created', 'later').changed).toBe(false);
  });
  test('full disruption: every counted node not ready', () => {
    const n = (name: string, labels?: Record<string, string>) => ({ metadata: { name, labels } });
    expect(allNodesNotReady([n('a'), n('b')], () => false)).toBe(true);
    expect(allNodesNotReady([n('a'), n('b')], (x) => x.metadata.name === 'a')).toBe(false);
    expect(allNodesNotReady([n('a', { 'node.kubernetes.io/exclude-disruption': '' }), n('b')], (x) => x.metadata.name === 'a')).toBe(true);
    expect(allNodesNotReady([], () => false)).toBe(false);
  });
});


describe('zones and the tainting rate', () => {
  test.each([
    [3, 0, 'Normal'],
    [0, 1, 'FullDisruption'],
    [1, 2, 'Normal'], // not more than 2 not ready
    [2, 3, 'PartialDisruption'], // 3/5 = 0.6 ≥ 0.55
    [3, 3, 'Normal'], // 0.5 < 0.55
    [0, 0, 'Normal'],
  ])('ready %i, not ready %i → %s', (ready, notReady, want) => expect(zoneState(ready, notReady)).toBe(want));
  test('rates by state and size', () => {
    const r = { primary: 0.1, secondary: 0.01, largeClusterThreshold: 50 };
    expect(zoneEvictionRate('Normal', 3, r)).toBe(0.1);
    expect(zoneEvictionRate('FullDisruption', 3, r)).toBe(0.1);
    expect(zoneEvictionRate('PartialDisruption', 10, r)).toBe(0);
    expect(zoneEvictionRate('PartialDisruption', 51, r)).toBe(0.01);
  });
  test('zone key from region+zone labels', () => {
    expect(zoneOf({ metadata: { labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' } } })).not.toBe(zoneOf({ metadata: {} }));
  });
  test('token bucket: first at once, then one per 1/rate seconds; rate 0 never, not even the first', () => {
    const b = new TokenBucket(0.1);
    expect(b.tryTake(0)).toEqual({ ok: true });
    expect(b.tryTake(1000)).toEqual({ ok: false, waitMs: 9000 });
    expect(b.tryTake(10_000)).toEqual({ ok: true });
    const z = new TokenBucket(0);
    expect(z.tryTake(0)).toEqual({ ok: false, waitMs: Infinity });
    expect(z.tryTake(1e9)).toEqual({ ok: false, waitMs: Infinity });
  });
});
