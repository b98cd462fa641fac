/** Quantities, effective pod requests, and the cache's incremental accounting with assume/forget. */
import { podRequests, DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from '../../scheduler/resources';
import { milliValueRoundedUp as milliCPU, valueRoundedUp as quantityValue } from '../../shared/quantity';
import { SchedulerCache } from '../../scheduler/cache';
import { nodeChangeMayHelp } from '../../scheduler/scheduler';
import { node, pod } from './scheduler-helpers';

test.each<[string, number]>([['1', 1000], ['500m', 500], ['0.5', 500], ['1.5', 1500], ['100m', 100], ['1m', 1], ['0.0001', 1], ['2e3', 2_000_000], ['2e3m', 0], ['1k', 1_000_000]])('milliCPU(%s) = %d', (q, want) => expect(milliCPU(q)).toBe(want));

test.each<[string | number, number]>([['4Gi', 4 * 2 ** 30], ['1G', 1e9], ['128974848', 128974848], ['129M', 129e6], ['123Mi', 123 * 2 ** 20], ['1.5Gi', 1.5 * 2 ** 30], ['110', 110], [2, 2], ['junk', 0]])('quantityValue(%s) = %d', (q, want) => expect(quantityValue(q)).toBe(want));

describe('effective requests', () => {
  test('app containers add up', () => {
    const p = pod('p', { cpu: '250m', memory: '64Mi' });
    p.spec!.containers.push({ name: 'b', image: 'x', resources: { requests: { cpu: '250m', memory: '64Mi' } } });
    expect(podRequests(p)).toEqual({ milliCPU: 500, memory: 128 * 2 ** 20 });
  });
  test('init containers: the max of each init vs the sum of apps, per resource', () => {
    expect(podRequests(pod('p', { cpu: '1', memory: '1Gi', init: [{ cpu: '2' }, { memory: '512Mi' }] }))).toEqual({ milliCPU: 2000, memory: 2 ** 30 });
  });
  test('sidecars add to the apps and to later init containers', () => {
    const p = pod('p', { cpu: '1' });
    p.spec!.initContainers = [
      { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
      { name: 'init', image: 'x', resources: { requests: { cpu: '2' } } },
    ];
    // init runs beside the sidecar: 2.5; apps + sidecar: 1.5.
    expect(podRequests(p).milliCPU).toBe(2500);
  });
  test('overhead is added', () => {
    const p = pod('p', { cpu: '1' });
    p.spec!.overhead = { cpu: '250m', memory: '120Mi' };
    expect(podRequests(p)).toEqual({ milliCPU: 1250, memory: 120 * 2 ** 20 });
  });
  test('limits stand in for missing requests', () => {
    const p = pod('p');
    p.spec!.containers[0].resources = { limits: { cpu: '2', memory: '1Gi' } };
    expect(podRequests(p)).toEqual({ milliCPU: 2000, memory: 2 ** 30 });
  });
  test('non-zero requests for scoring', () => expect(podRequests(pod('p'), true)).toEqual({ milliCPU: DEFAULT_MILLI_CPU_REQUEST, memory: DEFAULT_MEMORY_REQUEST }));
});

describe('cache accounting', () => {
  const bound = (name: string, nodeName: string, o: Parameters<typeof pod>[1] = {}) => {
    const p = pod(name, o);
    return { ...p, spec: { ...p.spec!, nodeName } };
  };

  test('adds, updates and removes pods incrementally', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    c.updatePod(bound('x', 'a', { cpu: '1', memory: '1Gi', hostPort: 80 }));
    c.updatePod(bound('x', 'a', { cpu: '1', memory: '1Gi', hostPort: 80 })); // a repeated update counts once
    c.updatePod(bound('y', 'a', { cpu: '500m' }));
    const ni = c.nodeInfo('a')!;
    expect(ni.requested).toEqual({ milliCPU: 1500, memory: 2 ** 30 });
    expect(ni.podCount).toBe(2);
    expect(ni.usedPorts.get('TCP/80')?.get('0.0.0.0')).toBe(1);
    c.updatePod(bound('x', 'a', { cpu: '1', memory: '1Gi', hostPort: 80, phase: 'Succeeded' }));
    expect(ni.requested).toEqual({ milliCPU: 500, memory: 0 });
    expect(ni.usedPorts.size).toBe(0);
    expect(c.removePod(bound('y', 'a'))).toBe(true);
    expect(ni.requested).toEqual({ milliCPU: 0, memory: 0 });
    expect(ni.podCount).toBe(0);
  });

  test('an assumed pod counts until confirmed or forgotten', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    c.setNode(node('b'));
    const p = pod('p', { cpu: '1' });
    c.assume(p, 'a');
    expect(c.isAssumed('default/p')).toBe(true);
    expect(c.nodeInfo('a')!.requested.milliCPU).toBe(1000);
    // The informer's status-only update of the still-unbound pod keeps the assumption.
    c.updatePod(p);
    expect(c.nodeInfo('a')!.requested.milliCPU).toBe(1000);
    // Confirmed (even on another node, if someone else bound it): the observed state wins.
    c.updatePod({ ...p, spec: { ...p.spec!, nodeName: 'b' } });
    expect(c.isAssumed('default/p')).toBe(false);
    expect(c.nodeInfo('a')!.requested.milliCPU).toBe(0);
    expect(c.nodeInfo('b')!.requested.milliCPU).toBe(1000);
    c.forget('default/p'); // no-op once confirmed
    expect(c.nodeInfo('b')!.requested.milliCPU).toBe(1000);

    const q = pod('q', { cpu: '1' });
    c.assume(q, 'a');
    c.forget('default/q');
    expect(c.nodeInfo('a')!.requested.milliCPU).toBe(0);
    expect(c.isAssumed('default/q')).toBe(false);
  });

  test('pods seen before their node are kept; removing a node hides it from scheduling', () => {
    const c = new SchedulerCache();
    c.updatePod(bound('x', 'late', { cpu: '1' }));
    expect(c.nodeList()).toHaveLength(0);
    c.setNode(node('late'));
    expect(c.nodeList().map((n) => n.name)).toEqual(['late']);
    expect(c.nodeInfo('late')!.requested.milliCPU).toBe(1000);
    c.removeNode('late');
    expect(c.nodeList()).toHaveLength(0);
    c.removePod(bound('x', 'late'));
    expect(c.nodeInfo('late')).toBeUndefined();
  });

  test('node changes that can help parked pods', () => {
    const n = node('a');
    expect(nodeChangeMayHelp(n, { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'later' }] } })).toBe(false);
    expect(nodeChangeMayHelp(n, node('a', { cpu: '4' }))).toBe(true);
    expect(nodeChangeMayHelp(n, node('a', { labels: { x: 'y' } }))).toBe(true);
    expect(nodeChangeMayHelp(n, node('a', { unschedulable: true }))).toBe(true);
    expect(nodeChangeMayHelp(n, node('a', { ready: 'False' }))).toBe(true);
    expect(nodeChangeMayHelp(n, node('a', { taints: [{ key: 'k', effect: 'NoSchedule' }] }))).toBe(true);
  });
});
