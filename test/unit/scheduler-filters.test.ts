/** Table-driven tests of the filter plugins: each row is a node, a pod, and the expected failure (or none). */
import type { NodeSelectorRequirement, Toleration } from 'kubernetes-types/core/v1';
import { runFilters, tolerates, ERR_NODE_AFFINITY, ERR_NODE_PORTS, ERR_UNSCHEDULABLE, ERR_NODE_NAME } from '../../scheduler/plugins';
import { node, nodeInfo, pod, podInfoOf } from './scheduler-helpers';

type Row = [string, ReturnType<typeof node>, ReturnType<typeof pod>, string[] | undefined, ReturnType<typeof pod>[]?];

const filter = (n: ReturnType<typeof node>, p: ReturnType<typeof pod>, bound: ReturnType<typeof pod>[] = []) => {
  const f = runFilters(p, podInfoOf(p, ''), nodeInfo(n, bound));
  return f?.reasons;
};

describe('NodeResourcesFit', () => {
  const rows: Row[] = [
    ['fits on an empty node', node('n'), pod('p', { cpu: '1', memory: '1Gi' }), undefined],
    ['exactly the allocatable fits', node('n'), pod('p', { cpu: '2', memory: '4Gi' }), undefined],
    ['too much cpu', node('n'), pod('p', { cpu: '3' }), ['Insufficient cpu']],
    ['millicores add up', node('n', { cpu: '1' }), pod('p', { cpu: '501m' }), ['Insufficient cpu'], [pod('a', { cpu: '500m' })]],
    ['too much memory', node('n'), pod('p', { memory: '5Gi' }), ['Insufficient memory']],
    ['both reported, cpu first', node('n'), pod('p', { cpu: '3', memory: '5Gi' }), ['Insufficient cpu', 'Insufficient memory']],
    ['bound pods use the node', node('n'), pod('p', { cpu: '1500m' }), ['Insufficient cpu'], [pod('a', { cpu: '1' })]],
    ['terminated pods do not count', node('n'), pod('p', { cpu: '1500m' }), undefined, [pod('a', { cpu: '1', phase: 'Succeeded' }), pod('b', { cpu: '1', phase: 'Failed' })]],
    ['pod slots', node('n', { pods: '1' }), pod('p'), ['Too many pods'], [pod('a')]],
    ['a best-effort pod only needs a slot', node('n', { cpu: '0', memory: '0' }), pod('p'), undefined],
    ['init containers: max(init) vs sum(app), init bigger', node('n'), pod('p', { cpu: '1', init: [{ cpu: '3' }] }), ['Insufficient cpu']],
    ['init containers: max(init) vs sum(app), app bigger', node('n'), pod('p', { cpu: '2', init: [{ cpu: '1' }, { cpu: '1500m' }] }), undefined],
    ['memory quantities in decimal units', node('n', { memory: '1G' }), pod('p', { memory: '1000M' }), undefined],
    ['memory 1 byte over', node('n', { memory: '1Gi' }), pod('p', { memory: '1073741825' }), ['Insufficient memory']],
  ];
  test.each(rows)('%s', (...[, n, p, want, bound]: Row) => expect(filter(n, p, bound)).toEqual(want));
});

describe('TaintToleration and readiness', () => {
  const t = (key: string, effect: string, value?: string) => ({ key, value, effect });
  const rows: Row[] = [
    ['NoSchedule taint, no toleration', node('n', { taints: [t('dedicated', 'NoSchedule', 'gpu')] }), pod('p'), ['node(s) had untolerated taint {dedicated: gpu}']],
    ['NoExecute taint, no toleration', node('n', { taints: [t('k', 'NoExecute')] }), pod('p'), ['node(s) had untolerated taint {k: }']],
    ['PreferNoSchedule does not filter', node('n', { taints: [t('k', 'PreferNoSchedule')] }), pod('p'), undefined],
    ['Equal toleration with the value', node('n', { taints: [t('dedicated', 'NoSchedule', 'gpu')] }), pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), undefined],
    ['Equal is the default operator', node('n', { taints: [t('dedicated', 'NoSchedule', 'gpu')] }), pod('p', { tolerations: [{ key: 'dedicated', value: 'gpu' }] }), undefined],
    ['Equal with another value', node('n', { taints: [t('dedicated', 'NoSchedule', 'gpu')] }), pod('p', { tolerations: [{ key: 'dedicated', value: 'cpu' }] }), ['node(s) had untolerated taint {dedicated: gpu}']],
    ['Exists ignores the value', node('n', { taints: [t('dedicated', 'NoSchedule', 'gpu')] }), pod('p', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), undefined],
    ['empty key with Exists tolerates everything', node('n', { taints: [t('a', 'NoSchedule'), t('b', 'NoExecute', 'x')] }), pod('p', { tolerations: [{ operator: 'Exists' }] }), undefined],
    ['effect must match when given', node('n', { taints: [t('k', 'NoSchedule')] }), pod('p', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }] }), ['node(s) had untolerated taint {k: }']],
    ['the first untolerated taint is reported', node('n', { taints: [t('a', 'NoSchedule'), t('b', 'NoSchedule')] }), pod('p', { tolerations: [{ key: 'a', operator: 'Exists' }] }), ['node(s) had untolerated taint {b: }']],
    ['control-plane taint', node('n', { taints: [t('node-role.kubernetes.io/control-plane', 'NoSchedule')] }), pod('p'), ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']],
    ['Ready=False acts as the not-ready taint', node('n', { ready: 'False' }), pod('p'), ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
    ['no Ready condition yet', node('n', { ready: null }), pod('p'), ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
    ['Ready=Unknown', node('n', { ready: 'Unknown' }), pod('p'), ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
    ['not-ready tolerated', node('n', { ready: 'False' }), pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] }), undefined],
    ['the default NoExecute toleration does not tolerate NoSchedule', node('n', { ready: 'False' }), pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }), ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
  ];
  test.each(rows)('%s', (...[, n, p, want, bound]: Row) => expect(filter(n, p, bound)).toEqual(want));

  test.each<[Toleration, boolean]>([
    [{ key: 'k', operator: 'Equal', value: 'v' }, true],
    [{ key: 'k', operator: 'Equal', value: 'w' }, false],
    [{ key: 'k', operator: 'Exists' }, true],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ operator: 'Exists' }, true],
    [{ operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'k', operator: 'Bogus' }, false],
  ])('tolerates(%j, k=v:NoSchedule) = %s', (tol, want) => expect(tolerates(tol, { key: 'k', value: 'v', effect: 'NoSchedule' })).toBe(want));
});

describe('NodeUnschedulable and NodeName', () => {
  test('a cordoned node is filtered', () => expect(filter(node('n', { unschedulable: true }), pod('p'))).toEqual([ERR_UNSCHEDULABLE]));
  test('unless the pod tolerates the unschedulable taint', () =>
    expect(filter(node('n', { unschedulable: true }), pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }))).toBeUndefined());
  test('cordon is checked before resources', () => expect(filter(node('n', { unschedulable: true }), pod('p', { cpu: '9' }))).toEqual([ERR_UNSCHEDULABLE]));
  test('spec.nodeName must match', () => {
    expect(filter(node('n'), pod('p', { nodeName: 'other' }))).toEqual([ERR_NODE_NAME]);
    expect(filter(node('n'), pod('p', { nodeName: 'n' }))).toBeUndefined();
  });
});

describe('NodeAffinity', () => {
  const labelled = node('n', { labels: { disktype: 'ssd', zone: 'a', cores: '8' } });
  const req = (...exprs: NodeSelectorRequirement[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } });
  const rows: [string, Parameters<typeof pod>[1], boolean][] = [
    ['nodeSelector matches', { nodeSelector: { disktype: 'ssd' } }, true],
    ['nodeSelector value differs', { nodeSelector: { disktype: 'hdd' } }, false],
    ['nodeSelector label missing', { nodeSelector: { gpu: 'yes' } }, false],
    ['nodeSelector needs every label', { nodeSelector: { disktype: 'ssd', zone: 'b' } }, false],
    ['In', { affinity: req({ key: 'zone', operator: 'In', values: ['a', 'b'] }) }, true],
    ['In, no value matches', { affinity: req({ key: 'zone', operator: 'In', values: ['b'] }) }, false],
    ['NotIn', { affinity: req({ key: 'zone', operator: 'NotIn', values: ['b'] }) }, true],
    ['NotIn, value listed', { affinity: req({ key: 'zone', operator: 'NotIn', values: ['a'] }) }, false],
    ['NotIn, label missing matches', { affinity: req({ key: 'rack', operator: 'NotIn', values: ['x'] }) }, true],
    ['Exists', { affinity: req({ key: 'disktype', operator: 'Exists' }) }, true],
    ['Exists, missing', { affinity: req({ key: 'gpu', operator: 'Exists' }) }, false],
    ['DoesNotExist', { affinity: req({ key: 'gpu', operator: 'DoesNotExist' }) }, true],
    ['DoesNotExist, present', { affinity: req({ key: 'zone', operator: 'DoesNotExist' }) }, false],
    ['Gt', { affinity: req({ key: 'cores', operator: 'Gt', values: ['4'] }) }, true],
    ['Gt, equal is not greater', { affinity: req({ key: 'cores', operator: 'Gt', values: ['8'] }) }, false],
    ['Lt', { affinity: req({ key: 'cores', operator: 'Lt', values: ['16'] }) }, true],
    ['Lt, not numeric', { affinity: req({ key: 'zone', operator: 'Lt', values: ['16'] }) }, false],
    ['expressions in a term are ANDed', { affinity: req({ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }) }, false],
    ['terms are ORed', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }, true],
    ['an empty term matches nothing', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }, false],
    ['matchFields metadata.name', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } }, true],
    ['matchFields other name', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['m'] }] }] } } } }, false],
    ['nodeSelector and affinity both apply', { nodeSelector: { disktype: 'hdd' }, affinity: req({ key: 'zone', operator: 'In', values: ['a'] }) }, false],
    ['preferred terms never filter', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } }] } } }, true],
  ];
  test.each(rows)('%s', (_name, o, fits) => expect(filter(labelled, pod('p', o))).toEqual(fits ? undefined : [ERR_NODE_AFFINITY]));
});

describe('NodePorts', () => {
  const rows: Row[] = [
    ['free port', node('n'), pod('p', { hostPort: 8080 }), undefined, [pod('a', { hostPort: 9090 })]],
    ['same port taken', node('n'), pod('p', { hostPort: 8080 }), [ERR_NODE_PORTS], [pod('a', { hostPort: 8080 })]],
    ['other protocol is free', node('n'), pod('p', { hostPort: 8080, protocol: 'UDP' }), undefined, [pod('a', { hostPort: 8080 })]],
    ['different specific IPs do not conflict', node('n'), pod('p', { hostPort: 8080, hostIP: '10.0.0.1' }), undefined, [pod('a', { hostPort: 8080, hostIP: '10.0.0.2' })]],
    ['0.0.0.0 conflicts with a specific IP', node('n'), pod('p', { hostPort: 8080 }), [ERR_NODE_PORTS], [pod('a', { hostPort: 8080, hostIP: '10.0.0.2' })]],
    ['a specific IP conflicts with 0.0.0.0', node('n'), pod('p', { hostPort: 8080, hostIP: '10.0.0.1' }), [ERR_NODE_PORTS], [pod('a', { hostPort: 8080 })]],
    ['a finished pod frees its port', node('n'), pod('p', { hostPort: 8080 }), undefined, [pod('a', { hostPort: 8080, phase: 'Succeeded' })]],
  ];
  test.each(rows)('%s', (...[, n, p, want, bound]: Row) => expect(filter(n, p, bound)).toEqual(want));
});
