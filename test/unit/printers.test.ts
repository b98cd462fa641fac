/**
 * Server-side printing (apiserver/printers): exact cell strings for the worked examples of
 * /work/shared/PRINTERS.md, the HumanDuration boundaries of §0.4, and the Table envelope
 * of §0.5. Table-driven: each case is an input object and the cells kubectl would show.
 */
import { humanDuration, parseIncludeObject, toTable, hasPrinter } from '../../apiserver/printers';
import type { Cell } from '../../apiserver/printers';
import { canonicalQuantity } from '../../shared/quantity';
import { formatLabelSelector, labelSelectorString } from '../../apiserver/printers/format';
import type { KObject } from '../../shared/api/types';

const NOW = new Date('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** An RFC 3339 timestamp `ms` before NOW. */
function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.000Z$/, 'Z');
}

function table(group: string, resource: string, objs: unknown[], extra: Record<string, unknown> = {}) {
  return toTable(group, resource, objs as KObject[], { now: NOW, ...extra });
}

function cells(group: string, resource: string, obj: unknown): Cell[] {
  return table(group, resource, [obj]).rows[0].cells;
}

/** Cells keyed by column name, for cases that only care about a few columns. */
function byColumn(group: string, resource: string, obj: unknown): Record<string, Cell> {
  const t = table(group, resource, [obj]);
  const out: Record<string, Cell> = {};
  t.columnDefinitions!.forEach((c, i) => (out[c.name] = t.rows[0].cells[i]));
  return out;
}

// ---------------------------------------------------------------------------------------
describe('humanDuration (§0.4)', () => {
  test.each<[string, number, string]>([
    ['-5s', -5 * S, '<invalid>'],
    ['-2s', -2 * S, '<invalid>'],
    ['-1.5s', -1.5 * S, '0s'],
    ['-1s', -1 * S, '0s'],
    ['0s', 0, '0s'],
    ['0.9s', 900, '0s'],
    ['59s', 59 * S, '59s'],
    ['90s', 90 * S, '90s'],
    ['119s', 119 * S, '119s'],
    ['119.9s', 119.9 * S, '119s'],
    ['120s', 120 * S, '2m'],
    ['190s', 190 * S, '3m10s'],
    ['599s', 599 * S, '9m59s'],
    ['600s', 600 * S, '10m'],
    ['2h59m59s', 3 * H - S, '179m'],
    ['3h', 3 * H, '3h'],
    ['3h20m', 3 * H + 20 * M, '3h20m'],
    ['7h59m', 8 * H - M, '7h59m'],
    ['8h', 8 * H, '8h'],
    ['47h59m', 48 * H - M, '47h'],
    ['48h', 48 * H, '2d'],
    ['51h', 51 * H, '2d3h'],
    ['7d23h', 7 * D + 23 * H, '7d23h'],
    ['8d', 8 * D, '8d'],
    ['729d', 729 * D, '729d'],
    ['730d', 730 * D, '2y'],
    ['800d', 800 * D, '2y70d'],
    ['1095d', 1095 * D, '3y'],
    ['2919d', 2919 * D, '7y364d'],
    ['2920d', 2920 * D, '8y'],
    ['3000d', 3000 * D, '8y'],
  ])('%s → %s', (_label, ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------
describe('Pod (§1)', () => {
  const running = (name: string, extra: object = {}) => ({ name, image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(M) } }, ...extra });
  const waiting = (name: string, reason: string, extra: object = {}) => ({ name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra });
  const terminated = (name: string, t: object, extra: object = {}) => ({ name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: t }, ...extra });

  function pod(o: {
    containers?: string[];
    init?: { name: string; restartPolicy?: string }[];
    phase?: string;
    reason?: string;
    statuses?: object[];
    initStatuses?: object[];
    conditions?: object[];
    deletion?: boolean;
    readinessGates?: string[];
  }) {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(5 * M + 10 * S), ...(o.deletion ? { deletionTimestamp: ago(S) } : {}) },
      spec: {
        containers: (o.containers ?? ['app']).map((name) => ({ name, image: 'img' })),
        ...(o.init ? { initContainers: o.init.map((c) => ({ image: 'img', ...c })) } : {}),
        ...(o.readinessGates ? { readinessGates: o.readinessGates.map((conditionType) => ({ conditionType })) } : {}),
      },
      status: {
        phase: o.phase ?? 'Running',
        ...(o.reason ? { reason: o.reason } : {}),
        ...(o.statuses ? { containerStatuses: o.statuses } : {}),
        ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
        ...(o.conditions ? { conditions: o.conditions } : {}),
      },
    };
  }

  test('running pod: full row', () => {
    const p = {
      metadata: { name: 'web-1', creationTimestamp: ago(5 * M + 10 * S) },
      spec: { nodeName: 'node1', containers: [{ name: 'web', image: 'nginx' }] },
      status: { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [running('web')] },
    };
    expect(cells('', 'pods', p)).toEqual(['web-1', '1/1', 'Running', '0', '5m10s', '10.244.0.5', 'node1', '<none>', '<none>']);
  });

  test('pending, unscheduled: placeholders', () => {
    const c = byColumn('', 'pods', pod({ phase: 'Pending' }));
    expect([c.Ready, c.Status, c.Restarts, c.IP, c.Node, c['Nominated Node'], c['Readiness Gates']]).toEqual(['0/1', 'Pending', '0', '<none>', '<none>', '<none>', '<none>']);
  });

  // [label, pod, READY, STATUS, RESTARTS]
  test.each<[string, ReturnType<typeof pod>, string, string, string]>([
    ['ContainerCreating', pod({ phase: 'Pending', statuses: [waiting('app', 'ContainerCreating')] }), '0/1', 'ContainerCreating', '0'],
    ['ImagePullBackOff', pod({ phase: 'Pending', statuses: [waiting('app', 'ImagePullBackOff')] }), '0/1', 'ImagePullBackOff', '0'],
    ['ErrImagePull', pod({ phase: 'Pending', statuses: [waiting('app', 'ErrImagePull')] }), '0/1', 'ErrImagePull', '0'],
    [
      'CrashLoopBackOff with restarts',
      pod({ statuses: [waiting('app', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(45 * S) } } })] }),
      '0/1',
      'CrashLoopBackOff',
      '4 (45s ago)',
    ],
    ['restarts without a last termination time', pod({ statuses: [running('app', { restartCount: 2 })] }), '1/1', 'Running', '2'],
    ['Completed', pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }), '0/1', 'Completed', '0'],
    ['Error', pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 1, reason: 'Error' })] }), '0/1', 'Error', '0'],
    ['ExitCode', pod({ statuses: [terminated('app', { exitCode: 137 })] }), '0/1', 'ExitCode:137', '0'],
    ['Signal', pod({ statuses: [terminated('app', { exitCode: 137, signal: 9 })] }), '0/1', 'Signal:9', '0'],
    ['OOMKilled', pod({ statuses: [terminated('app', { exitCode: 137, reason: 'OOMKilled' })] }), '0/1', 'OOMKilled', '0'],
    [
      'Init:1/2',
      pod({
        phase: 'Pending',
        init: [{ name: 'i0' }, { name: 'i1' }],
        initStatuses: [terminated('i0', { exitCode: 0, reason: 'Completed' }), running('i1', { ready: false })],
        statuses: [waiting('app', 'PodInitializing')],
      }),
      '0/1',
      'Init:1/2',
      '0',
    ],
    ['Init:0/1', pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [running('i0', { ready: false })] }), '0/1', 'Init:0/1', '0'],
    ['Init:0/1 (waiting PodInitializing)', pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [waiting('i0', 'PodInitializing')] }), '0/1', 'Init:0/1', '0'],
    ['Init:Error', pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [terminated('i0', { exitCode: 1, reason: 'Error' })] }), '0/1', 'Init:Error', '0'],
    ['Init:ExitCode', pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [terminated('i0', { exitCode: 2 })] }), '0/1', 'Init:ExitCode:2', '0'],
    ['Init:Signal', pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [terminated('i0', { exitCode: 2, signal: 15 })] }), '0/1', 'Init:Signal:15', '0'],
    [
      'Init:CrashLoopBackOff counts init restarts, not app ones',
      pod({
        phase: 'Pending',
        init: [{ name: 'i0' }],
        initStatuses: [waiting('i0', 'CrashLoopBackOff', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * S) } } })],
        statuses: [waiting('app', 'PodInitializing', { restartCount: 7 })],
      }),
      '0/1',
      'Init:CrashLoopBackOff',
      '3 (20s ago)',
    ],
    [
      'PodInitializing',
      pod({ phase: 'Pending', init: [{ name: 'i0' }], initStatuses: [terminated('i0', { exitCode: 0, reason: 'Completed' })], statuses: [waiting('app', 'PodInitializing')] }),
      '0/1',
      'PodInitializing',
      '0',
    ],
    [
      'sidecar counted in READY and RESTARTS',
      pod({
        init: [{ name: 'proxy', restartPolicy: 'Always' }],
        initStatuses: [running('proxy', { started: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * M) } } })],
        statuses: [running('app', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * M) } } })],
      }),
      '2/2',
      'Running',
      '3 (3m ago)',
    ],
    [
      'sidecar not yet started blocks initialization',
      pod({ phase: 'Pending', init: [{ name: 'proxy', restartPolicy: 'Always' }], initStatuses: [running('proxy', { started: false, ready: false })] }),
      '0/2',
      'Init:0/1',
      '0',
    ],
    [
      'Initialized=True lets app containers decide',
      pod({
        init: [{ name: 'proxy', restartPolicy: 'Always' }],
        initStatuses: [waiting('proxy', 'CrashLoopBackOff', { restartCount: 1 })],
        statuses: [waiting('app', 'CrashLoopBackOff', { restartCount: 2 })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      '0/2',
      'CrashLoopBackOff',
      '3',
    ],
    [
      'Initialized=True, app running: the init reason stays (upstream behaviour)',
      pod({
        init: [{ name: 'proxy', restartPolicy: 'Always' }],
        initStatuses: [waiting('proxy', 'CrashLoopBackOff', { restartCount: 1 })],
        statuses: [running('app')],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      '1/2',
      'Init:CrashLoopBackOff',
      '1',
    ],
    [
      'Completed + running, Ready False → NotReady',
      pod({ containers: ['a', 'b'], statuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')], conditions: [{ type: 'Ready', status: 'False' }] }),
      '1/2',
      'NotReady',
      '0',
    ],
    [
      'Completed + running, Ready True → Running',
      pod({ containers: ['a', 'b'], statuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')], conditions: [{ type: 'Ready', status: 'True' }] }),
      '1/2',
      'Running',
      '0',
    ],
    ['lowest-index container decides', pod({ containers: ['a', 'b'], statuses: [waiting('a', 'ErrImagePull'), waiting('b', 'CrashLoopBackOff')] }), '0/2', 'ErrImagePull', '0'],
    ['Terminating', pod({ deletion: true, statuses: [running('app')] }), '1/1', 'Terminating', '0'],
    ['NodeLost → Unknown', pod({ deletion: true, reason: 'NodeLost', statuses: [running('app')] }), '1/1', 'Unknown', '0'],
    ['deleted Succeeded keeps Completed', pod({ deletion: true, phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }), '0/1', 'Completed', '0'],
    ['Evicted', pod({ phase: 'Failed', reason: 'Evicted' }), '0/1', 'Evicted', '0'],
    ['SchedulingGated', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), '0/1', 'SchedulingGated', '0'],
  ])('%s', (_label, p, ready, status, restarts) => {
    const c = byColumn('', 'pods', p);
    expect([c.Ready, c.Status, c.Restarts]).toEqual([ready, status, restarts]);
  });

  test('terminal pods carry the Completed row condition', () => {
    const t = table('', 'pods', [
      pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }),
      pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 1, reason: 'Error' })] }),
      pod({ statuses: [running('app')] }),
    ]);
    expect(t.rows[0].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    expect(t.rows[1].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
    expect(t.rows[2].conditions).toBeUndefined();
  });

  test('readiness gates count True conditions', () => {
    const p = pod({ readinessGates: ['a', 'b'], conditions: [{ type: 'a', status: 'True' }, { type: 'b', status: 'False' }], statuses: [running('app')] });
    expect(byColumn('', 'pods', p)['Readiness Gates']).toBe('1/2');
  });

  test('IP from status.podIP when podIPs is absent; nominated node', () => {
    const p = { metadata: { name: 'x' }, spec: { containers: [] }, status: { phase: 'Pending', podIP: '10.0.0.9', nominatedNodeName: 'n2' } };
    const c = byColumn('', 'pods', p);
    expect([c.IP, c['Nominated Node'], c.Age]).toEqual(['10.0.0.9', 'n2', '<unknown>']);
  });
});

// ---------------------------------------------------------------------------------------
describe('Node (§2)', () => {
  const node = (o: { labels?: Record<string, string>; ready?: string; unschedulable?: boolean; info?: object; addresses?: object[] }) => ({
    metadata: { name: 'n', creationTimestamp: ago(3 * D), labels: o.labels ?? {} },
    spec: o.unschedulable ? { unschedulable: true } : {},
    status: { conditions: o.ready ? [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: o.ready }] : [], nodeInfo: o.info ?? {}, addresses: o.addresses ?? [] },
  });

  test('kind control plane: full row', () => {
    const n = {
      metadata: { name: 'kind-control-plane', creationTimestamp: ago(3 * D), labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'kind-control-plane' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.24' },
      },
    };
    expect(cells('', 'nodes', n)).toEqual(['kind-control-plane', 'Ready', 'control-plane', '3d', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.8.0', 'containerd://1.7.24']);
  });

  test.each<[string, ReturnType<typeof node>, string]>([
    ['Ready', node({ ready: 'True' }), 'Ready'],
    ['NotReady (False)', node({ ready: 'False' }), 'NotReady'],
    ['NotReady (Unknown)', node({ ready: 'Unknown' }), 'NotReady'],
    ['no Ready condition', node({}), 'Unknown'],
    ['cordoned', node({ ready: 'True', unschedulable: true }), 'Ready,SchedulingDisabled'],
    ['cordoned, no condition', node({ unschedulable: true }), 'Unknown,SchedulingDisabled'],
  ])('STATUS %s', (_l, n, want) => {
    expect(byColumn('', 'nodes', n).Status).toBe(want);
  });

  test.each<[string, Record<string, string>, string]>([
    ['none', {}, '<none>'],
    ['sorted, value ignored', { 'node-role.kubernetes.io/worker': 'x', 'node-role.kubernetes.io/control-plane': '' }, 'control-plane,worker'],
    ['legacy label, deduplicated', { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/worker': '' }, 'worker'],
    ['empty suffix and empty legacy value ignored', { 'node-role.kubernetes.io/': '', 'kubernetes.io/role': '' }, '<none>'],
  ])('ROLES %s', (_l, labels, want) => {
    expect(byColumn('', 'nodes', node({ labels })).Roles).toBe(want);
  });

  test('missing node info → <unknown>; ExternalIP picked', () => {
    const c = byColumn('', 'nodes', node({ addresses: [{ type: 'ExternalIP', address: '1.2.3.4' }] }));
    expect([c.Version, c['Internal-IP'], c['External-IP'], c['OS-Image'], c['Kernel-Version'], c['Container-Runtime']]).toEqual(['', '<none>', '1.2.3.4', '<unknown>', '<unknown>', '<unknown>']);
  });
});

// ---------------------------------------------------------------------------------------
describe('Namespace, ConfigMap, Secret, ServiceAccount (§3–§6)', () => {
  test.each<[string, string, unknown, Cell[]]>([
    ['namespace', 'namespaces', { metadata: { name: 'default', creationTimestamp: ago(3 * D) }, status: { phase: 'Active' } }, ['default', 'Active', '3d']],
    ['namespace terminating', 'namespaces', { metadata: { name: 'x', creationTimestamp: ago(3 * D) }, status: { phase: 'Terminating' } }, ['x', 'Terminating', '3d']],
    ['namespace phase defaulted', 'namespaces', { metadata: { name: 'x', creationTimestamp: ago(3 * D) } }, ['x', 'Active', '3d']],
    ['configmap', 'configmaps', { metadata: { name: 'kube-root-ca.crt', creationTimestamp: ago(3 * D) }, data: { 'ca.crt': '…' } }, ['kube-root-ca.crt', 1, '3d']],
    ['configmap data+binaryData', 'configmaps', { metadata: { name: 'c', creationTimestamp: ago(M) }, data: { a: '1' }, binaryData: { b: 'AA==' } }, ['c', 2, '60s']],
    ['secret', 'secrets', { metadata: { name: 'tls-cert', creationTimestamp: ago(M) }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, ['tls-cert', 'kubernetes.io/tls', 2, '60s']],
    ['secret stringData merged, type defaulted', 'secrets', { metadata: { name: 's', creationTimestamp: ago(M) }, data: { a: 'eA==' }, stringData: { a: 'x', b: 'y' } }, ['s', 'Opaque', 2, '60s']],
    ['serviceaccount', 'serviceaccounts', { metadata: { name: 'default', creationTimestamp: ago(3 * D) } }, ['default', 0, '3d']],
  ])('%s', (_l, resource, obj, want) => {
    expect(cells('', resource, obj)).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------
describe('Event (§7)', () => {
  const base = {
    metadata: { name: 'nginx.17a8b2c3d4e5f6a7', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'nginx', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "nginx" already present on machine',
    source: { component: 'kubelet', host: 'node1' },
  };

  test('kubelet event: full row', () => {
    const e = { ...base, count: 3, firstTimestamp: ago(10 * M), lastTimestamp: ago(2 * M) };
    expect(cells('', 'events', e)).toEqual(['2m', 'Normal', 'Pulled', 'pod/nginx', 'spec.containers{nginx}', 'kubelet, node1', 'Container image "nginx" already present on machine', '10m', 3, 'nginx.17a8b2c3d4e5f6a7']);
  });

  test.each<[string, object, Record<string, Cell>]>([
    ['no lastTimestamp: LAST SEEN = FIRST SEEN', { firstTimestamp: ago(10 * M), count: 1 }, { 'Last Seen': '10m', 'First Seen': '10m', Count: 1 }],
    ['eventTime only, count 0 shown as 1', { eventTime: ago(30 * S) + '', firstTimestamp: null }, { 'Last Seen': '30s', 'First Seen': '30s', Count: 1 }],
    [
      'series wins for LAST SEEN and COUNT',
      { eventTime: ago(10 * M), series: { count: 7, lastObservedTime: ago(5 * S) }, count: 2 },
      { 'Last Seen': '5s', 'First Seen': '10m', Count: 7 },
    ],
    ['no timestamps at all', { count: 0 }, { 'Last Seen': '<unknown>', 'First Seen': '<unknown>', Count: 1 }],
    [
      'reporting controller/instance as source; no name; message trimmed',
      {
        involvedObject: { kind: 'Node' },
        source: {},
        reportingComponent: 'default-scheduler',
        reportingInstance: '',
        message: '  hello\n',
      },
      { Object: 'node', Source: 'default-scheduler', Message: 'hello', Subobject: '' },
    ],
    ['reportingInstance fills the host', { source: { component: 'kubelet' }, reportingInstance: 'node9' }, { Source: 'kubelet, node9' }],
  ])('%s', (_l, patch, want) => {
    const c = byColumn('', 'events', { ...base, ...patch });
    for (const [k, v] of Object.entries(want)) expect([k, c[k]]).toEqual([k, v]);
  });

  test('events.k8s.io/v1 shape prints the same table', () => {
    const e = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      regarding: { kind: 'Deployment', name: 'web', fieldPath: '' },
      note: 'Scaled up replica set web-5d8f9c7b4 to 3',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      eventTime: ago(20 * M),
      reportingController: 'deployment-controller',
      reportingInstance: '',
      deprecatedFirstTimestamp: ago(20 * M),
      deprecatedLastTimestamp: ago(4 * M),
      deprecatedCount: 2,
    };
    expect(cells('events.k8s.io', 'events', e)).toEqual(['4m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d8f9c7b4 to 3', '20m', 2, 'web.1']);
  });

  test('the name column is the wide one with format name', () => {
    const cols = table('', 'events', []).columnDefinitions!;
    expect(cols.map((c) => [c.name, c.priority])).toEqual([
      ['Last Seen', 0], ['Type', 0], ['Reason', 0], ['Object', 0], ['Subobject', 1], ['Source', 1], ['Message', 0], ['First Seen', 1], ['Count', 1], ['Name', 1],
    ]);
    expect(cols.filter((c) => c.format === 'name').map((c) => c.name)).toEqual(['Name']);
  });
});

// ---------------------------------------------------------------------------------------
describe('Service (§8)', () => {
  const svc = (name: string, spec: object, status: object = {}, age = 5 * M) => ({ metadata: { name, creationTimestamp: ago(age) }, spec, status });

  test.each<[string, unknown, Cell[]]>([
    ['kubernetes', svc('kubernetes', { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] }, {}, 3 * D), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '3d', '<none>']],
    [
      'NodePort',
      svc('web', { type: 'NodePort', clusterIPs: ['10.96.12.34'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'web' } }),
      ['web', 'NodePort', '10.96.12.34', '<none>', '80:30080/TCP', '5m', 'app=web'],
    ],
    [
      'LoadBalancer pending',
      svc('lb', { type: 'LoadBalancer', clusterIPs: ['10.96.7.7'], ports: [{ port: 80, nodePort: 31234, protocol: 'TCP' }, { port: 443, nodePort: 31500, protocol: 'TCP' }], selector: { app: 'web' } }, {}, M),
      ['lb', 'LoadBalancer', '10.96.7.7', '<pending>', '80:31234/TCP,443:31500/TCP', '60s', 'app=web'],
    ],
    ['ExternalName', svc('ext', { type: 'ExternalName', externalName: 'example.com' }, {}, M), ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '60s', '<none>']],
  ])('%s', (_l, s, want) => {
    expect(cells('', 'services', s)).toEqual(want);
  });

  test.each<[string, object, object, string]>([
    ['ClusterIP with externalIPs', { type: 'ClusterIP', externalIPs: ['1.1.1.1', '2.2.2.2'] }, {}, '1.1.1.1,2.2.2.2'],
    ['LB ingress sorted and deduplicated, hostname fallback', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'a.elb.example' }, { ip: '1.2.3.4' }, { ip: '9.9.9.9' }] } }, '1.2.3.4,9.9.9.9,a.elb.example'],
    ['LB ingress then externalIPs, no truncation', { type: 'LoadBalancer', externalIPs: ['5.5.5.5'] }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }, { ip: '172.18.255.201' }] } }, '172.18.255.200,172.18.255.201,5.5.5.5'],
    ['LB with only externalIPs', { type: 'LoadBalancer', externalIPs: ['5.5.5.5'] }, {}, '5.5.5.5'],
    ['unknown type', { type: 'Weird' }, {}, '<unknown>'],
  ])('EXTERNAL-IP %s', (_l, spec, status, want) => {
    expect(byColumn('', 'services', svc('s', spec, status))['External-IP']).toBe(want);
  });

  test('defaults: type ClusterIP, protocol TCP; singular clusterIP; headless None; UDP', () => {
    const c = byColumn('', 'services', svc('s', { clusterIP: 'None', ports: [{ port: 53, protocol: 'UDP' }, { port: 8080 }] }));
    expect([c.Type, c['Cluster-IP'], c['Port(s)']]).toEqual(['ClusterIP', 'None', '53/UDP,8080/TCP']);
  });
});

// ---------------------------------------------------------------------------------------
describe('Endpoints (§9) and EndpointSlice (§10)', () => {
  const ep = (subsets: unknown) => ({ metadata: { name: 'e', creationTimestamp: ago(3 * D) }, ...(subsets === undefined ? {} : { subsets }) });
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

  test.each<[string, unknown, string]>([
    ['kubernetes', ep([{ addresses: addrs('172.18.0.2'), ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]), '172.18.0.2:6443'],
    [
      'five pods on port 80',
      ep([{ addresses: addrs('10.244.0.5', '10.244.0.6', '10.244.0.7', '10.244.0.8', '10.244.0.9'), ports: [{ port: 80 }] }]),
      '10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 2 more...',
    ],
    ['exactly three: no suffix', ep([{ addresses: addrs('a', 'b', 'c'), ports: [{ port: 1 }] }]), 'a:1,b:1,c:1'],
    ['no subsets', ep(undefined), '<none>'],
    ['only not-ready addresses', ep([{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }]), ''],
    ['IPv6 bracketed', ep([{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }]), '[fd00::1]:80'],
    ['no ports: bare IPs', ep([{ addresses: addrs('10.0.0.1', '10.0.0.2') }]), '10.0.0.1,10.0.0.2'],
    ['port-major order across subsets', ep([{ addresses: addrs('1.1.1.1', '2.2.2.2'), ports: [{ port: 80 }, { port: 443 }] }, { addresses: addrs('3.3.3.3'), ports: [{ port: 80 }] }]), '1.1.1.1:80,2.2.2.2:80,1.1.1.1:443 + 2 more...'],
  ])('ENDPOINTS %s', (_l, e, want) => {
    expect(cells('', 'endpoints', e)[1]).toBe(want);
  });

  test('endpoints row', () => {
    expect(cells('', 'endpoints', ep([{ addresses: addrs('172.18.0.2'), ports: [{ port: 6443 }] }]))).toEqual(['e', '172.18.0.2:6443', '3d']);
  });

  const slice = (ports: unknown[] | undefined, endpoints: unknown[] | undefined) => ({
    metadata: { name: 'kubernetes', creationTimestamp: ago(3 * D) },
    addressType: 'IPv4',
    ...(ports ? { ports } : {}),
    ...(endpoints ? { endpoints } : {}),
  });

  test.each<[string, unknown, Cell[]]>([
    ['kubernetes', slice([{ name: 'https', port: 6443, protocol: 'TCP' }], [{ addresses: ['172.18.0.2'], conditions: { ready: true } }]), ['kubernetes', 'IPv4', '6443', '172.18.0.2', '3d']],
    ['empty', slice(undefined, undefined), ['kubernetes', 'IPv4', '<unset>', '<unset>', '3d']],
    [
      'name/star fallbacks, + more, readiness ignored',
      slice(
        [{ port: 80 }, { name: 'metrics' }, {}, { port: 9000 }],
        [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'], conditions: { ready: false } }, { addresses: ['10.0.0.4'] }],
      ),
      ['kubernetes', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '3d'],
    ],
  ])('EndpointSlice %s', (_l, s, want) => {
    expect(cells('discovery.k8s.io', 'endpointslices', s)).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------
describe('apps (§11–§14)', () => {
  const template = (containers: [string, string][], extra: object = {}) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: containers.map(([name, image]) => ({ name, image })), ...extra } });

  test('Deployment: ready 2 of 3', () => {
    const d = {
      metadata: { name: 'web', creationTimestamp: ago(10 * M) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template([['nginx', 'nginx:1.25']]) },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(cells('apps', 'deployments', d)).toEqual(['web', '2/3', 3, 2, '10m', 'nginx', 'nginx:1.25', 'app=web']);
  });

  test.each<[string, object, Cell]>([
    ['nil selector → ""', {}, ''],
    ['empty selector → ""', { selector: {} }, ''],
    ['invalid selector → <invalid>', { selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }, '<invalid>'],
  ])('Deployment selector: %s', (_l, spec, want) => {
    expect(byColumn('apps', 'deployments', { metadata: { name: 'd' }, spec })['Selector']).toBe(want);
  });

  test('Deployment without replicas or status: defaulted to 1', () => {
    expect(cells('apps', 'deployments', { metadata: { name: 'd', creationTimestamp: ago(S) }, spec: { template: template([['a', 'x'], ['b', 'y']]) } })).toEqual(['d', '0/1', 0, 0, '1s', 'a,b', 'x,y', '']);
  });

  test('ReplicaSet', () => {
    const rs = {
      metadata: { name: 'web-5d8f9c7b4', creationTimestamp: ago(10 * M) },
      spec: { replicas: 3, selector: { matchLabels: { 'pod-template-hash': '5d8f9c7b4', app: 'web' } }, template: template([['nginx', 'nginx:1.25']]) },
      status: { replicas: 3, readyReplicas: 3 },
    };
    expect(cells('apps', 'replicasets', rs)).toEqual(['web-5d8f9c7b4', 3, 3, 3, '10m', 'nginx', 'nginx:1.25', 'app=web,pod-template-hash=5d8f9c7b4']);
  });

  test('ReplicaSet with empty selector → <none>', () => {
    expect(byColumn('apps', 'replicasets', { metadata: { name: 'r' }, spec: { selector: {} } }).Selector).toBe('<none>');
  });

  test('ReplicationController: selector defaults to template labels', () => {
    const rc = { metadata: { name: 'rc', creationTimestamp: ago(M) }, spec: { replicas: 2, template: template([['nginx', 'nginx']]) }, status: { replicas: 2 } };
    expect(cells('', 'replicationcontrollers', rc)).toEqual(['rc', 2, 2, 0, '60s', 'nginx', 'nginx', 'app=web']);
  });

  test('StatefulSet', () => {
    const ss = { metadata: { name: 'db', creationTimestamp: ago(5 * M) }, spec: { replicas: 3, template: template([['postgres', 'postgres:16']]) }, status: { readyReplicas: 2 } };
    expect(cells('apps', 'statefulsets', ss)).toEqual(['db', '2/3', '5m', 'postgres', 'postgres:16']);
  });

  test('DaemonSet', () => {
    const ds = {
      metadata: { name: 'kube-proxy', creationTimestamp: ago(2 * D + 3 * H) },
      spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: template([['kube-proxy', 'registry.k8s.io/kube-proxy:v1.32.0']], { nodeSelector: { 'kubernetes.io/os': 'linux' } }) },
      status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
    };
    expect(cells('apps', 'daemonsets', ds)).toEqual(['kube-proxy', 1, 1, 1, 1, 1, 'kubernetes.io/os=linux', '2d3h', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.32.0', 'k8s-app=kube-proxy']);
  });

  test('ControllerRevision: lower(Kind.group)/name of the controller', () => {
    const cr = {
      metadata: { name: 'web-7c9f', creationTimestamp: ago(M), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
      revision: 2,
    };
    expect(cells('apps', 'controllerrevisions', cr)).toEqual(['web-7c9f', 'statefulset.apps/web', 2, '60s']);
    expect(cells('apps', 'controllerrevisions', { metadata: { name: 'x' }, revision: 1 })[1]).toBe('<none>');
  });
});

// ---------------------------------------------------------------------------------------
describe('batch (§15, §16)', () => {
  const tpl = { spec: { containers: [{ name: 'pi', image: 'perl:5.34.0' }] } };
  const job = (spec: object, status: object, meta: object = {}) => ({
    metadata: { name: 'pi', creationTimestamp: ago(2 * M), ...meta },
    spec: { template: tpl, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': '3f1c' } }, ...spec },
    status,
  });

  test('complete job: full row', () => {
    const j = job({ completions: 1 }, { succeeded: 1, startTime: ago(2 * M), completionTime: ago(2 * M - 8 * S), conditions: [{ type: 'Complete', status: 'True' }] });
    expect(cells('batch', 'jobs', j)).toEqual(['pi', 'Complete', '1/1', '8s', '2m', 'pi', 'perl:5.34.0', 'batch.kubernetes.io/controller-uid=3f1c']);
  });

  test('running job: duration runs to now', () => {
    const j = { ...job({ completions: 1 }, { startTime: ago(15 * S), active: 1 }), metadata: { name: 'sleep', creationTimestamp: ago(15 * S) } };
    expect(cells('batch', 'jobs', j).slice(0, 5)).toEqual(['sleep', 'Running', '0/1', '15s', '15s']);
  });

  test.each<[string, object, string]>([
    ['completions set', { completions: 5 }, '2/5'],
    ['parallel work queue', { parallelism: 3 }, '2/1 of 3'],
    ['neither set', {}, '2/1'],
    ['parallelism 1', { parallelism: 1 }, '2/1'],
  ])('COMPLETIONS %s', (_l, spec, want) => {
    expect(byColumn('batch', 'jobs', job(spec, { succeeded: 2 })).Completions).toBe(want);
  });

  test.each<[string, object[], boolean, string]>([
    ['Failed', [{ type: 'Failed', status: 'True' }], false, 'Failed'],
    ['Complete beats Terminating', [{ type: 'Complete', status: 'True' }], true, 'Complete'],
    ['Terminating beats Suspended', [{ type: 'Suspended', status: 'True' }], true, 'Terminating'],
    ['Suspended', [{ type: 'Suspended', status: 'True' }], false, 'Suspended'],
    ['FailureTarget', [{ type: 'FailureTarget', status: 'True' }], false, 'FailureTarget'],
    ['first condition of a type decides', [{ type: 'Complete', status: 'False' }, { type: 'Complete', status: 'True' }], false, 'Running'],
    ['no conditions', [], false, 'Running'],
  ])('STATUS %s', (_l, conditions, deleting, want) => {
    expect(byColumn('batch', 'jobs', job({}, { conditions }, deleting ? { deletionTimestamp: ago(S) } : {})).Status).toBe(want);
  });

  test('no startTime → empty duration', () => {
    expect(byColumn('batch', 'jobs', job({}, {})).Duration).toBe('');
  });

  test('CronJob', () => {
    const cj = {
      metadata: { name: 'hello', creationTimestamp: ago(5 * M) },
      spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } } },
      status: { lastScheduleTime: ago(34 * S) },
    };
    expect(cells('batch', 'cronjobs', cj)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 0, '34s', '5m', 'hello', 'busybox:1.28', '<none>']);
  });

  test('CronJob suspended, with time zone, active jobs, never scheduled', () => {
    const cj = { metadata: { name: 'c' }, spec: { schedule: '@daily', timeZone: 'Europe/Paris', suspend: true, jobTemplate: {} }, status: { active: [{ name: 'a' }, { name: 'b' }] } };
    expect(cells('batch', 'cronjobs', cj).slice(0, 7)).toEqual(['c', '@daily', 'Europe/Paris', 'True', 2, '<none>', '<unknown>']);
  });
});

// ---------------------------------------------------------------------------------------
describe('HorizontalPodAutoscaler (§17)', () => {
  const hpa = (spec: object, status: object = {}) => ({
    metadata: { name: 'web', creationTimestamp: ago(5 * M) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, ...spec },
    status: { currentReplicas: 3, ...status },
  });
  const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });

  test('v2 cpu utilisation: full row', () => {
    const h = hpa({ metrics: [cpu(80)] }, { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '6m' } } }] });
    expect(cells('autoscaling', 'horizontalpodautoscalers', h)).toEqual(['web', 'Deployment/web', 'cpu: 12%/80%', '1', 10, 3, '5m']);
  });

  test.each<[string, object, object, string]>([
    ['no current metrics', { metrics: [cpu(80)] }, {}, 'cpu: <unknown>/80%'],
    ['no metrics: defaulted to 80% CPU', {}, {}, 'cpu: <unknown>/80%'],
    ['autoscaling/v1 fields', { targetCPUUtilizationPercentage: 50 }, { currentCPUUtilizationPercentage: 20 }, 'cpu: 20%/50%'],
    [
      'resource averageValue',
      { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } }] },
      { currentMetrics: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '100Mi' } } }] },
      'memory: 100Mi/200Mi',
    ],
    [
      'pods, object (avg), external (value) + more',
      {
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
          { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', averageValue: '50' } } },
          { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
        ],
      },
      { currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '500' } } }] },
      '500/1k, <unknown>/50 (avg) + 1 more...',
    ],
    ['external value with current', { metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '30' } } }] }, { currentMetrics: [{ type: 'External', external: { metric: { name: 'q' }, current: { value: '12' } } }] }, '12/30'],
    ['utilisation target missing → <auto>', { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }, {}, 'cpu: <unknown>/<auto>'],
  ])('TARGETS %s', (_l, spec, status, want) => {
    expect(byColumn('autoscaling', 'horizontalpodautoscalers', hpa(spec, status)).Targets).toBe(want);
  });

  test('minReplicas defaulted to 1', () => {
    const h = hpa({ metrics: [cpu(80)] });
    delete (h.spec as { minReplicas?: number }).minReplicas;
    expect(byColumn('autoscaling', 'horizontalpodautoscalers', h).MinPods).toBe('1');
  });
});

// ---------------------------------------------------------------------------------------
describe('PDB, Lease, Ingress (§18–§20)', () => {
  test.each<[string, string, string, unknown, Cell[]]>([
    ['pdb minAvailable', 'policy', 'poddisruptionbudgets', { metadata: { name: 'web-pdb', creationTimestamp: ago(5 * M) }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, ['web-pdb', '2', 'N/A', 1, '5m']],
    ['pdb maxUnavailable %', 'policy', 'poddisruptionbudgets', { metadata: { name: 'p', creationTimestamp: ago(5 * M) }, spec: { maxUnavailable: '50%' } }, ['p', 'N/A', '50%', 0, '5m']],
    ['lease', 'coordination.k8s.io', 'leases', { metadata: { name: 'kube-scheduler', creationTimestamp: ago(3 * D) }, spec: { holderIdentity: 'kind-control-plane_6f0b' } }, ['kube-scheduler', 'kind-control-plane_6f0b', '3d']],
    ['lease without holder', 'coordination.k8s.io', 'leases', { metadata: { name: 'l', creationTimestamp: ago(3 * D) }, spec: {} }, ['l', '', '3d']],
    [
      'ingress',
      'networking.k8s.io',
      'ingresses',
      { metadata: { name: 'web', creationTimestamp: ago(5 * M) }, spec: { ingressClassName: 'nginx', rules: [{ host: 'foo.example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } } },
      ['web', 'nginx', 'foo.example.com', '192.168.49.2', '80', '5m'],
    ],
    [
      'ingress: no class, no hosts, TLS',
      'networking.k8s.io',
      'ingresses',
      { metadata: { name: 'i', creationTimestamp: ago(5 * M), annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: { rules: [{}], tls: [{ secretName: 's' }] } },
      ['i', '<none>', '*', '', '80, 443', '5m'],
    ],
  ])('%s', (_l, group, resource, obj, want) => {
    expect(cells(group, resource, obj)).toEqual(want);
  });

  test.each<[string, object[], string]>([
    ['four hosts', [{ host: 'a.com' }, { host: 'b.com' }, { host: 'c.com' }, { host: 'd.com' }], 'a.com,b.com,c.com + 1 more...'],
    ['exactly three', [{ host: 'a.com' }, { host: 'b.com' }, { host: 'c.com' }], 'a.com,b.com,c.com'],
    ['"more" counts all rules, hostless ones too', [{}, { host: 'a.com' }, { host: 'b.com' }, { host: 'c.com' }, {}], 'a.com,b.com,c.com + 2 more...'],
  ])('Ingress HOSTS %s', (_l, rules, want) => {
    expect(byColumn('networking.k8s.io', 'ingresses', { metadata: { name: 'i' }, spec: { rules } }).Hosts).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------
describe('PersistentVolume, PersistentVolumeClaim (§21, §22)', () => {
  test('PV bound: full row', () => {
    const pv = {
      metadata: { name: 'pvc-1a2b', creationTimestamp: ago(5 * M) },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' },
      status: { phase: 'Bound' },
    };
    expect(cells('', 'persistentvolumes', pv)).toEqual(['pvc-1a2b', '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '5m', 'Filesystem']);
  });

  test('PV: Terminating, access modes ordered and deduplicated, beta class annotation, canonical capacity, defaults', () => {
    const pv = {
      metadata: { name: 'v', creationTimestamp: ago(M), deletionTimestamp: ago(S), annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
      spec: { capacity: { storage: '1.5Gi' }, accessModes: ['ReadWriteOncePod', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], storageClassName: 'standard', volumeAttributesClassName: 'gold' },
      status: { phase: 'Released', reason: 'Why' },
    };
    expect(cells('', 'persistentvolumes', pv)).toEqual(['v', '1536Mi', 'RWO,RWX,RWOP', 'Retain', 'Terminating', '', 'legacy', 'gold', 'Why', '60s', 'Filesystem']);
  });

  test('PVC bound', () => {
    const pvc = {
      metadata: { name: 'data', creationTimestamp: ago(5 * M) },
      spec: { volumeName: 'pvc-1a2b', storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '500Mi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
    };
    expect(cells('', 'persistentvolumeclaims', pvc)).toEqual(['data', 'Bound', 'pvc-1a2b', '1Gi', 'RWO', 'standard', '<unset>', '5m', 'Filesystem']);
  });

  test('PVC pending: capacity and access modes stay blank', () => {
    const pvc = {
      metadata: { name: 'data', creationTimestamp: ago(5 * S) },
      spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Pending' },
    };
    expect(cells('', 'persistentvolumeclaims', pvc)).toEqual(['data', 'Pending', '', '', '', 'standard', '<unset>', '5s', 'Filesystem']);
  });

  test('PVC terminating, no storage class', () => {
    expect(cells('', 'persistentvolumeclaims', { metadata: { name: 'x', deletionTimestamp: ago(S) }, spec: {}, status: { phase: 'Bound' } }).slice(0, 7)).toEqual(['x', 'Terminating', '', '', '', '', '<unset>']);
  });
});

// ---------------------------------------------------------------------------------------
describe('other printers (§12, §20, §23)', () => {
  test.each<[string, string, string, unknown, Cell[]]>([
    ['storageclass default', 'storage.k8s.io', 'storageclasses', { metadata: { name: 'standard', creationTimestamp: ago(3 * D), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }, ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '3d']],
    [
      'rolebinding',
      'rbac.authorization.k8s.io',
      'rolebindings',
      {
        metadata: { name: 'rb', creationTimestamp: ago(M) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'User', name: 'jane' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', namespace: 'kube-system', name: 'default' }],
      },
      ['rb', 'Role/pod-reader', '60s', 'jane, bob', 'devs', 'kube-system/default'],
    ],
    ['clusterrolebinding', 'rbac.authorization.k8s.io', 'clusterrolebindings', { metadata: { name: 'crb', creationTimestamp: ago(M) }, roleRef: { kind: 'ClusterRole', name: 'admin' } }, ['crb', 'ClusterRole/admin', '60s', '', '', '']],
    ['priorityclass', 'scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'system-node-critical', creationTimestamp: ago(3 * D) }, value: 2000001000 }, ['system-node-critical', 2000001000, false, '3d', 'PreemptLowerPriority']],
    ['resourcequota', '', 'resourcequotas', { metadata: { name: 'q', creationTimestamp: ago(M) }, status: { hard: { pods: '10', 'limits.memory': '2Gi', 'requests.cpu': '1' }, used: { pods: '3', 'requests.cpu': '500m' } } }, ['q', '60s', 'pods: 3/10, requests.cpu: 500m/1', 'limits.memory: 0/2Gi']],
    ['ingressclass', 'networking.k8s.io', 'ingressclasses', { metadata: { name: 'nginx', creationTimestamp: ago(M) }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } } }, ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p', '60s']],
    ['networkpolicy', 'networking.k8s.io', 'networkpolicies', { metadata: { name: 'deny', creationTimestamp: ago(M) }, spec: { podSelector: {} } }, ['deny', '<none>', '60s']],
    ['podtemplate', '', 'podtemplates', { metadata: { name: 'pt' }, template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } }, ['pt', 'c', 'i', 'a=1,b=2']],
    ['componentstatus', '', 'componentstatuses', { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] }, ['etcd-0', 'Healthy', 'ok', '']],
    ['webhook configuration', 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', { metadata: { name: 'w', creationTimestamp: ago(M) }, webhooks: [{}, {}] }, ['w', 2, '60s']],
    [
      'csr',
      'certificates.k8s.io',
      'certificatesigningrequests',
      { metadata: { name: 'csr-1', creationTimestamp: ago(M) }, spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'admin', expirationSeconds: 86400 }, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' } },
      ['csr-1', '60s', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Approved,Issued'],
    ],
    ['apiservice local', 'apiregistration.k8s.io', 'apiservices', { metadata: { name: 'v1.apps', creationTimestamp: ago(M) }, spec: { service: null }, status: { conditions: [{ type: 'Available', status: 'True' }] } }, ['v1.apps', 'Local', 'True', '60s']],
    [
      'apiservice unavailable',
      'apiregistration.k8s.io',
      'apiservices',
      { metadata: { name: 'v1beta1.metrics.k8s.io', creationTimestamp: ago(M) }, spec: { service: { namespace: 'kube-system', name: 'metrics-server' } }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } },
      ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '60s'],
    ],
  ])('%s', (_l, group, resource, obj, want) => {
    expect(cells(group, resource, obj)).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------
describe('default table (§0.9)', () => {
  test('Role: Name + Created At (RFC 3339, UTC)', () => {
    const t = table('rbac.authorization.k8s.io', 'roles', [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader', creationTimestamp: '2025-01-01T10:00:00Z' } }]);
    expect(t.columnDefinitions!.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
    expect(t.rows[0].cells).toEqual(['pod-reader', '2025-01-01T10:00:00Z']);
  });

  test('offsets normalised to UTC; missing timestamp is Go zero time', () => {
    expect(cells('stable.example.com', 'crontabs', { metadata: { name: 'a', creationTimestamp: '2025-01-01T12:00:00+02:00' } })).toEqual(['a', '2025-01-01T10:00:00Z']);
    expect(cells('', 'limitranges', { metadata: { name: 'b' } })).toEqual(['b', '0001-01-01T00:00:00Z']);
  });

  test('hasPrinter', () => {
    expect([hasPrinter('', 'pods'), hasPrinter('apps', 'pods'), hasPrinter('rbac.authorization.k8s.io', 'clusterroles')]).toEqual([true, false, false]);
  });
});

// ---------------------------------------------------------------------------------------
describe('Table envelope (§0.5)', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns1', uid: 'u1', resourceVersion: '42', labels: { a: 'b' }, creationTimestamp: ago(M) }, data: { k: 'v' } };

  test('default includeObject is Metadata: a PartialObjectMetadata with full metadata', () => {
    const t = table('', 'configmaps', [obj], { resourceVersion: '100', continue: 'tok', remainingItemCount: 7 });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '100', continue: 'tok', remainingItemCount: 7 });
    expect(t.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  });

  test('includeObject Object and None', () => {
    expect(table('', 'configmaps', [obj], { includeObject: 'Object' }).rows[0].object).toEqual(obj);
    expect(table('', 'configmaps', [obj], { includeObject: 'None' }).rows[0].object).toBeNull();
  });

  test('noHeaders: column definitions null; metadata empty when nothing given', () => {
    const t = table('', 'configmaps', [obj], { noHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(t.metadata).toEqual({});
    expect(t.rows[0].cells).toEqual(['cm', 1, '60s']);
  });

  test('empty list: rows [] with headers', () => {
    const t = table('', 'pods', []);
    expect(t.rows).toEqual([]);
    expect(t.columnDefinitions!.length).toBe(9);
  });

  test('column definitions carry all five keys, with wide columns at priority 1', () => {
    const cols = table('', 'pods', []).columnDefinitions!;
    for (const c of cols) expect(Object.keys(c).sort()).toEqual(['description', 'format', 'name', 'priority', 'type']);
    expect(cols.map((c) => `${c.name}:${c.type}:${c.format}:${c.priority}`)).toEqual([
      'Name:string:name:0', 'Ready:string::0', 'Status:string::0', 'Restarts:string::0', 'Age:string::0',
      'IP:string::1', 'Node:string::1', 'Nominated Node:string::1', 'Readiness Gates:string::1',
    ]);
  });

  test('column definitions are stable and not shared mutable state', () => {
    const a = table('', 'pods', []).columnDefinitions!;
    a[0].name = 'mutated';
    expect(table('', 'pods', []).columnDefinitions![0].name).toBe('Name');
  });

  test('now defaults to the current time', () => {
    const t = toTable('', 'configmaps', [{ metadata: { name: 'x', creationTimestamp: new Date(Date.now() - 3 * H).toISOString() } }], {});
    expect(t.rows[0].cells[2]).toBe('3h');
  });

  test('parseIncludeObject', () => {
    expect([parseIncludeObject(undefined), parseIncludeObject(''), parseIncludeObject('None'), parseIncludeObject('Object')]).toEqual(['Metadata', 'Metadata', 'None', 'Object']);
    expect(() => parseIncludeObject('Everything')).toThrow(/Unable to convert to Table as requested/);
  });

  // Every printer: name column with format "name" and type string, one cell per column,
  // and no throw on a nearly empty object.
  const RESOURCES: [string, string, string][] = [
    ['', 'pods', 'Name'], ['', 'nodes', 'Name'], ['', 'namespaces', 'Name'], ['', 'configmaps', 'Name'], ['', 'secrets', 'Name'],
    ['', 'serviceaccounts', 'Name'], ['', 'events', 'Name'], ['events.k8s.io', 'events', 'Name'], ['', 'services', 'Name'], ['', 'endpoints', 'Name'],
    ['', 'persistentvolumes', 'Name'], ['', 'persistentvolumeclaims', 'Name'], ['', 'replicationcontrollers', 'Name'], ['', 'podtemplates', 'Name'],
    ['', 'resourcequotas', 'Name'], ['', 'componentstatuses', 'Name'], ['apps', 'deployments', 'Name'], ['apps', 'replicasets', 'Name'],
    ['apps', 'statefulsets', 'Name'], ['apps', 'daemonsets', 'Name'], ['apps', 'controllerrevisions', 'Name'], ['batch', 'jobs', 'Name'],
    ['batch', 'cronjobs', 'Name'], ['autoscaling', 'horizontalpodautoscalers', 'Name'], ['policy', 'poddisruptionbudgets', 'Name'],
    ['coordination.k8s.io', 'leases', 'Name'], ['discovery.k8s.io', 'endpointslices', 'Name'], ['networking.k8s.io', 'ingresses', 'Name'],
    ['networking.k8s.io', 'ingressclasses', 'Name'], ['networking.k8s.io', 'networkpolicies', 'Name'], ['storage.k8s.io', 'storageclasses', 'Name'],
    ['rbac.authorization.k8s.io', 'rolebindings', 'Name'], ['rbac.authorization.k8s.io', 'clusterrolebindings', 'Name'],
    ['scheduling.k8s.io', 'priorityclasses', 'Name'], ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'Name'],
    ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'Name'], ['certificates.k8s.io', 'certificatesigningrequests', 'Name'],
    ['apiregistration.k8s.io', 'apiservices', 'Name'], ['rbac.authorization.k8s.io', 'roles', 'Name'],
  ];
  test.each(RESOURCES)('%s/%s: name column, cell count, tolerates a bare object', (group, resource, nameCol) => {
    const t = table(group, resource, [{ metadata: { name: 'x' } }]);
    const cols = t.columnDefinitions!;
    const first = cols.find((c) => c.format === 'name' && c.type === 'string');
    expect(first?.name).toBe(nameCol);
    expect(t.rows[0].cells).toHaveLength(cols.length);
    expect(t.rows[0].cells[cols.indexOf(first!)]).toBe('x');
    expect(new Set(cols.map((c) => c.name)).size).toBe(cols.length);
  });
});

// ---------------------------------------------------------------------------------------
describe('helpers (§0.8)', () => {
  test.each<[string, unknown, string]>([
    ['nil', undefined, '<none>'],
    ['empty', {}, '<none>'],
    ['matchLabels sorted', { matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [
      'expressions: in/notin values sorted, exists, does-not-exist, all sorted by key',
      {
        matchLabels: { tier: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      },
      'app,!canary,env in (dev,prod),tier=web,zone notin (a,b)',
    ],
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '<error>'],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['1'] }] }, '<error>'],
  ])('formatLabelSelector %s', (_l, sel, want) => {
    expect(formatLabelSelector(sel as never)).toBe(want);
  });

  test('labelSelectorString: raw form for Deployment', () => {
    expect([labelSelectorString(undefined), labelSelectorString({}), labelSelectorString({ matchLabels: { a: 'b' } })]).toEqual(['', '', 'a=b']);
  });

  test.each<[unknown, string]>([
    ['1Gi', '1Gi'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['500Mi', '500Mi'], ['2048Ki', '2Mi'], ['0.5Ki', '512'],
    ['1000', '1k'], ['1500', '1500'], ['10G', '10G'], ['100m', '100m'], ['1000m', '1'], ['1.5', '1500m'], ['0.1m', '100u'],
    ['0.0000000001', '1n'], ['1e3', '1e3'], ['12e1', '120'], ['1E', '1E'], ['-1Gi', '-1Gi'], ['0', '0'], [1000, '1k'], [undefined, '0'], ['bogus', 'bogus'],
  ])('canonicalQuantity(%p) = %s', (q, want) => {
    expect(canonicalQuantity(q)).toBe(want);
  });
});
