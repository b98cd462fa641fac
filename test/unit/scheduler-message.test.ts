/** FailedScheduling messages, worded and grouped like kube-scheduler 1.32's FitError. */
import { Algorithm, fitErrorMessage, NO_NODES_AVAILABLE } from '../../scheduler/algorithm';
import { SchedulerCache } from '../../scheduler/cache';
import type { FilterFailure } from '../../scheduler/plugins';
import { node, pod } from './scheduler-helpers';

const schedule = (p: ReturnType<typeof pod>, ...nodes: ReturnType<typeof node>[]) => {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  const r = new Algorithm().schedule(p, c.nodeList());
  if (r.nodeName !== undefined) throw new Error(`unexpectedly scheduled to ${r.nodeName}`);
  return r.message;
};

describe('FailedScheduling message', () => {
  test('insufficient cpu on both nodes (the issue\'s example, word for word)', () => {
    expect(schedule(pod('p', { cpu: '3' }), node('a'), node('b'))).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
  });

  test('reasons are grouped with counts and sorted', () => {
    const msg = schedule(pod('p', { memory: '8Gi' }), node('cp', { memory: '16Gi', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), node('a'), node('b'));
    expect(msg).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  test('one node can fail on several resources', () => {
    expect(schedule(pod('p', { cpu: '3', memory: '8Gi' }), node('a'), node('b'))).toMatch(/^0\/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory\. /);
  });

  test('selector, cordon and not-ready', () => {
    const msg = schedule(pod('p', { nodeSelector: { disktype: 'ssd' } }), node('a'), node('b', { unschedulable: true }), node('c', { ready: 'False', labels: { disktype: 'ssd' } }));
    expect(msg).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  test('host ports are resolvable by preemption', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    c.updatePod({ ...pod('x', { hostPort: 80 }), spec: { ...pod('x', { hostPort: 80 }).spec!, nodeName: 'a' } });
    const r = new Algorithm().schedule(pod('p', { hostPort: 80 }), c.nodeList());
    expect(r.nodeName === undefined && r.message).toBe(
      "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
  });

  test('counts sort as strings, like Go sort.Strings', () => {
    const failures = new Map<string, FilterFailure>();
    for (let i = 0; i < 10; i++) failures.set(`m${i}`, { reasons: ['Insufficient memory'], unresolvable: false });
    for (let i = 0; i < 2; i++) failures.set(`c${i}`, { reasons: ['Insufficient cpu'], unresolvable: false });
    expect(fitErrorMessage(pod('p'), 12, failures)).toMatch(/^0\/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu\. /);
  });

  test('preemptionPolicy Never', () => {
    const p = pod('p', { cpu: '3' });
    p.spec!.preemptionPolicy = 'Never';
    expect(schedule(p, node('a'))).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });

  test('no nodes at all', () => expect(schedule(pod('p'))).toBe(NO_NODES_AVAILABLE));

  test('too many pods', () => {
    const c = new SchedulerCache();
    c.setNode(node('a', { pods: '0' }));
    const r = new Algorithm().schedule(pod('p'), c.nodeList());
    expect(r.nodeName === undefined && r.message).toMatch(/^0\/1 nodes are available: 1 Too many pods\. /);
  });
});
