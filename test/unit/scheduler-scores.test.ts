/** Score plugins (LeastAllocated, BalancedAllocation) and the selection of a node. */
import { Algorithm, numFeasibleNodesToFind } from '../../scheduler/algorithm';
import { SchedulerCache } from '../../scheduler/cache';
import { balancedAllocationScore, leastAllocatedScore } from '../../scheduler/plugins';
import { node, nodeInfo, pod, podInfoOf } from './scheduler-helpers';

type P = ReturnType<typeof pod>;
const score = (f: typeof leastAllocatedScore, p: P, bound: P[] = [], n = node('n')) => f(podInfoOf(p, ''), nodeInfo(n, bound));

describe('LeastAllocated', () => {
  test.each<[string, P, P[], number]>([
    ['half of both', pod('p', { cpu: '1', memory: '2Gi' }), [], 50],
    ['bound pods count', pod('p', { cpu: '500m', memory: '1Gi' }), [pod('a', { cpu: '500m', memory: '1Gi' })], 50],
    ['best-effort pods count as 100m / 200Mi', pod('p'), [], 95],
    ['more than allocatable scores 0 for that resource', pod('p', { cpu: '3', memory: '2Gi' }), [], 25],
    ['an empty request of the other resource uses the default', pod('p', { cpu: '2' }), [], 47],
  ])('%s', (_n, p, bound, want) => expect(score(leastAllocatedScore, p, bound)).toBe(want));

  test('a node with nothing allocatable scores 0', () => expect(score(leastAllocatedScore, pod('p'), [], node('n', { cpu: '0', memory: '0' }))).toBe(0));
});

describe('BalancedAllocation', () => {
  test.each<[string, P, P[], number]>([
    ['same fraction of cpu and memory', pod('p', { cpu: '1', memory: '2Gi' }), [], 100],
    ['nothing requested is balanced', pod('p'), [], 100],
    ['cpu 75 %, memory 25 %', pod('p', { cpu: '500m', memory: '1Gi' }), [pod('a', { cpu: '1' })], 75],
    ['all cpu, no memory', pod('p', { cpu: '2' }), [], 50],
  ])('%s', (_n, p, bound, want) => expect(score(balancedAllocationScore, p, bound)).toBe(want));
});

describe('selection', () => {
  const cacheWith = (...nodes: ReturnType<typeof node>[]) => {
    const c = new SchedulerCache();
    for (const n of nodes) c.setNode(n);
    return c;
  };

  test('the least allocated node wins', () => {
    const c = cacheWith(node('a'), node('b'));
    c.updatePod({ ...pod('x', { cpu: '1', memory: '1Gi' }), spec: { ...pod('x', { cpu: '1', memory: '1Gi' }).spec!, nodeName: 'a' } });
    const r = new Algorithm(() => 0).schedule(pod('p', { cpu: '100m', memory: '100Mi' }), c.nodeList());
    expect(r.nodeName).toBe('b');
  });

  test('a bigger node wins over a smaller one', () => {
    const c = cacheWith(node('small'), node('big', { cpu: '8', memory: '16Gi' }));
    expect(new Algorithm().schedule(pod('p', { cpu: '1', memory: '1Gi' }), c.nodeList()).nodeName).toBe('big');
  });

  test('ties are broken at random, so equal nodes share pods', () => {
    const c = cacheWith(node('a'), node('b'), node('c'));
    const seen = new Set<string>();
    const alg = new Algorithm();
    for (let i = 0; i < 60; i++) seen.add(alg.schedule(pod('p', { cpu: '100m' }), c.nodeList()).nodeName!);
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  test('assuming pods spreads a burst over equal nodes', () => {
    const c = cacheWith(node('a'), node('b'));
    const alg = new Algorithm(() => 0.99);
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = pod(`p${i}`, { cpu: '500m', memory: '1Gi' });
      const r = alg.schedule(p, c.nodeList());
      c.assume(p, r.nodeName!);
      placed.push(r.nodeName!);
    }
    expect(placed.filter((n) => n === 'a')).toHaveLength(2);
    // The nodes are now full for a 1-cpu pod: no overcommit before any informer event.
    const r = alg.schedule(pod('q', { cpu: '1001m' }), c.nodeList());
    expect(r.nodeName).toBeUndefined();
  });

  test('numFeasibleNodesToFind follows the upstream adaptive percentage', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(200)).toBe(100);
  });

  test('on a large cluster searches rotate so every node is used', () => {
    const c = new SchedulerCache();
    for (let i = 0; i < 300; i++) c.setNode(node(`n${i}`));
    const alg = new Algorithm(() => 0.99);
    const used = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = alg.schedule(pod(`p${i}`), c.nodeList());
      if (r.nodeName === undefined) throw new Error(r.message);
      expect(r.evaluated).toBe(numFeasibleNodesToFind(300));
      used.add(r.nodeName);
    }
    expect(used.size).toBeGreaterThan(1);
  });
});
