/**
 * Pure DaemonSet decisions (CONTROLLERS.md §5): node eligibility (selector, affinity,
 * taints vs the standard daemon tolerations), the node-pinned pod spec, maxUnavailable
 * resolution and the rolling-update victims.
 */
import { daemonPodSpec, maxUnavailableOf, nodeShouldRunDaemonPod, rollingUpdateVictims, scaledValue, targetNodeOf, type DaemonSetObj, type NodeObj } from '../../controller-manager/daemonset-util';

function node(name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}): NodeObj {
  return { metadata: { name, labels }, spec } as unknown as NodeObj;
}
function ds(podSpec: Record<string, unknown> = {}, strategy?: Record<string, unknown>): DaemonSetObj {
  return { metadata: { name: 'd', namespace: 'n' }, spec: { selector: {}, template: { spec: { containers: [], ...podSpec } }, ...(strategy ? { updateStrategy: strategy } : {}) } } as unknown as DaemonSetObj;
}
const taint = (key: string, effect: string, value?: string) => ({ key, effect, ...(value ? { value } : {}) });

test.each([
  ['plain node', node('a'), ds(), true, true],
  ['unschedulable node still runs daemons', node('a', {}, { unschedulable: true, taints: [taint('node.kubernetes.io/unschedulable', 'NoSchedule')] }), ds(), true, true],
  ['not-ready NoExecute tolerated', node('a', {}, { taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')] }), ds(), true, true],
  ['unreachable NoExecute tolerated', node('a', {}, { taints: [taint('node.kubernetes.io/unreachable', 'NoExecute')] }), ds(), true, true],
  ['disk/memory/pid pressure tolerated', node('a', {}, { taints: ['disk', 'memory', 'pid'].map((k) => taint(`node.kubernetes.io/${k}-pressure`, 'NoSchedule')) }), ds(), true, true],
  ['network-unavailable only tolerated with hostNetwork', node('a', {}, { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), ds(), false, true],
  ['network-unavailable with hostNetwork', node('a', {}, { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), ds({ hostNetwork: true }), true, true],
  ['foreign NoSchedule: no new pod, existing one stays', node('a', {}, { taints: [taint('dedicated', 'NoSchedule', 'db')] }), ds(), false, true],
  ['foreign NoExecute: existing pod goes too', node('a', {}, { taints: [taint('dedicated', 'NoExecute', 'db')] }), ds(), false, false],
  ['PreferNoSchedule ignored', node('a', {}, { taints: [taint('dedicated', 'PreferNoSchedule')] }), ds(), true, true],
  ['tolerated foreign taint', node('a', {}, { taints: [taint('dedicated', 'NoExecute', 'db')] }), ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] }), true, true],
  ['nodeSelector match', node('a', { role: 'edge' }), ds({ nodeSelector: { role: 'edge' } }), true, true],
  ['nodeSelector mismatch', node('a', { role: 'core' }), ds({ nodeSelector: { role: 'edge' } }), false, false],
  ['required affinity by label', node('a', { zone: 'z1' }), ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }] }] } } } }), true, true],
  ['required affinity by field mismatch', node('a'), ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }] } } } }), false, false],
  ['template nodeName elsewhere', node('a'), ds({ nodeName: 'b' }), false, false],
])('nodeShouldRunDaemonPod: %s', (_n, nd, d, shouldRun, shouldContinueRunning) => {
  expect(nodeShouldRunDaemonPod(nd, d)).toEqual({ shouldRun, shouldContinueRunning });
});

test('daemonPodSpec pins the node by matchFields, keeps preferred terms, adds tolerations once', () => {
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'x', operator: 'Exists' }] } }];
  const spec = daemonPodSpec(
    {
      containers: [],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 } as never, { key: 'mine', operator: 'Exists' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } },
    },
    'node-7',
  );
  expect(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-7'] }] }] });
  expect(spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual(preferred);
  expect(spec.tolerations?.filter((t) => t.key === 'node.kubernetes.io/not-ready')).toEqual([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  expect(spec.tolerations?.map((t) => t.key)).toEqual(['mine', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
  expect(targetNodeOf({ spec } as never)).toBe('node-7');
  expect(targetNodeOf({ spec: { ...spec, nodeName: 'other' } } as never)).toBe('other');
});

test.each([
  [undefined, 3, 1, 1],
  [2, 3, 1, 2],
  ['25%', 3, 1, 1], // rounds up: 0.75 → 1
  ['50%', 3, 1, 2], // 1.5 → 2
  ['10%', 20, 1, 2],
])('scaledValue(%p of %i) = %i→%i', (v, total, dflt, want) => {
  expect(scaledValue(v, total, dflt)).toBe(want);
});

test('maxUnavailableOf: defaults to 1 and never deadlocks at 0/0', () => {
  expect(maxUnavailableOf(ds(), 3)).toBe(1);
  expect(maxUnavailableOf(ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }), 3)).toBe(1);
  expect(maxUnavailableOf(ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } }), 4)).toBe(2);
});

test('rollingUpdateVictims: unavailable old pods go freely, available ones within the budget', () => {
  const st = (node: string, pod: string | undefined, updated: boolean, available: boolean) => ({ node, pod, updated, available });
  // All old and available, budget 1: one at a time.
  expect(rollingUpdateVictims([st('a', 'pa', false, true), st('b', 'pb', false, true), st('c', 'pc', false, true)], 1)).toEqual(['pa']);
  // A new pod not yet available uses the budget: nothing more goes.
  expect(rollingUpdateVictims([st('a', 'pa2', true, false), st('b', 'pb', false, true)], 1)).toEqual([]);
  // A node with no pod counts as unavailable.
  expect(rollingUpdateVictims([st('a', undefined, false, false), st('b', 'pb', false, true)], 1)).toEqual([]);
  // An old unavailable pod is deleted regardless of the budget.
  expect(rollingUpdateVictims([st('a', 'pa', false, false), st('b', 'pb', false, true)], 1)).toEqual(['pa']);
  // Budget 2 with everything updated but one.
  expect(rollingUpdateVictims([st('a', 'pa', true, true), st('b', 'pb', false, true), st('c', 'pc', false, true)], 2)).toEqual(['pb', 'pc']);
});
