import { TabWriter, tabify, GET_TABLE_OPTIONS, DESCRIBE_OPTIONS } from '../../cli/printers/tabwriter';
import { TablePrinter, formatCell, formatLabels, formatTable, labelColumnHeader, type Table } from '../../cli/printers/table';
import { humanDuration, ageSince, rfc1123z } from '../../cli/printers/duration';
import { parseQuantity, formatQuantity, addQuantities, sumResourceLists } from '../../shared/quantity';
import { asList, objectName, printObjects, toCompactJson, toJson, toYaml } from '../../cli/printers/output';

const podColumns = [
  { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
  { name: 'Ready', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Status', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Restarts', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
  { name: 'IP', type: 'string', format: '', description: '', priority: 1 },
  { name: 'Node', type: 'string', format: '', description: '', priority: 1 },
  { name: 'Nominated Node', type: 'string', format: '', description: '', priority: 1 },
  { name: 'Readiness Gates', type: 'string', format: '', description: '', priority: 1 },
];

function podRow(name: string, ns: string, labels: Record<string, string>, status = 'Running', restarts: unknown = 0) {
  return {
    cells: [name, '1/1', status, restarts, '5m', '10.244.1.5', 'node-1', '<none>', '<none>'],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name, namespace: ns, labels } },
  };
}

const podTable: Table = {
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { resourceVersion: '10' },
  columnDefinitions: podColumns,
  rows: [podRow('web', 'default', { run: 'web', env: 'prod' }), podRow('kubia-manual', 'dev', {}, 'CrashLoopBackOff', 12)],
};

describe('tab writer (Go text/tabwriter semantics)', () => {
  test('kubectl get layout: 3 spaces padding, min width 6, last column unpadded', () => {
    expect(tabify('NAME\tREADY\tAGE\nweb\t1/1\t5m\n', GET_TABLE_OPTIONS)).toBe('NAME   READY   AGE\nweb    1/1     5m\n');
    // Narrow columns still take the minimum width of 6.
    expect(tabify('A\tB\nx\ty\n', GET_TABLE_OPTIONS)).toBe('A     B\nx     y\n');
  });

  test('a line with fewer cells ends the column block (describe sections align separately)', () => {
    const text = 'Name:\tweb\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/x\n';
    expect(tabify(text, DESCRIBE_OPTIONS)).toBe('Name:             web\nService Account:  default\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/x\n');
  });

  test('widths count characters, not bytes', () => {
    expect(tabify('é✓\tx\nab\ty\n', { minwidth: 0, tabwidth: 8, padding: 1 })).toBe('é✓ x\nab y\n');
  });

  test('nested columns: deeper columns only span lines that have them', () => {
    expect(tabify('a\tb\tc\naaaa\tb\n', { minwidth: 0, tabwidth: 8, padding: 1 })).toBe('a    b c\naaaa b\n');
  });

  test('remembered widths never shrink (get -w rows stay aligned)', () => {
    const w = new TabWriter({ ...GET_TABLE_OPTIONS, rememberWidths: true });
    w.write('NAME\tSTATUS\tAGE\nlong-pod-name\tRunning\t5m\n');
    expect(w.flush()).toBe('NAME            STATUS    AGE\nlong-pod-name   Running   5m\n');
    w.write('a\tPending\t0s\n');
    expect(w.flush()).toBe('a               Pending   0s\n');
  });
});

describe('Table printing (kubectl get)', () => {
  test('default columns, upper-cased headers', () => {
    expect(formatTable(podTable, {})).toBe(
      'NAME           READY   STATUS             RESTARTS   AGE\n' +
        'web            1/1     Running            0          5m\n' +
        'kubia-manual   1/1     CrashLoopBackOff   12         5m\n',
    );
  });

  test('-o wide shows priority-1 columns', () => {
    expect(formatTable(podTable, { wide: true }).split('\n')[0]).toBe('NAME           READY   STATUS             RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES');
  });

  test('-A prepends NAMESPACE from the row object', () => {
    expect(formatTable(podTable, { withNamespace: true })).toBe(
      'NAMESPACE   NAME           READY   STATUS             RESTARTS   AGE\n' +
        'default     web            1/1     Running            0          5m\n' +
        'dev         kubia-manual   1/1     CrashLoopBackOff   12         5m\n',
    );
  });

  test('--show-labels and -L', () => {
    const out = formatTable(podTable, { labelColumns: ['env', 'example.com/tier'], showLabels: true }).split('\n');
    expect(out[0]).toBe('NAME           READY   STATUS             RESTARTS   AGE   ENV    TIER   LABELS');
    expect(out[1]).toBe('web            1/1     Running            0          5m    prod          env=prod,run=web');
    expect(out[2]).toBe('kubia-manual   1/1     CrashLoopBackOff   12         5m                  <none>');
  });

  test('multi-type output prefixes the name column; --no-headers drops the header', () => {
    expect(formatTable(podTable, { kindPrefix: 'pod', noHeaders: true })).toBe('pod/web            1/1   Running            0     5m\npod/kubia-manual   1/1   CrashLoopBackOff   12    5m\n');
    const deploy: Table = {
      kind: 'Table',
      columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', priority: 0 }, { name: 'Up-to-date', type: 'string', format: '', priority: 0 }],
      rows: [{ cells: ['web', 3] }],
    };
    expect(formatTable(deploy, { kindPrefix: 'deployment.apps' })).toBe('NAME                  UP-TO-DATE\ndeployment.apps/web   3\n');
  });

  test('no rows → nothing at all (not even a header)', () => {
    expect(formatTable({ kind: 'Table', columnDefinitions: podColumns, rows: [] }, {})).toBe('');
  });

  test('watch events without column definitions reuse the last ones', () => {
    const p = new TablePrinter({}, true);
    expect(p.print(podTable).split('\n')[0]).toMatch(/^NAME/);
    const ev: Table = { kind: 'Table', columnDefinitions: null, rows: [podRow('web', 'default', {}, 'Terminating')] };
    expect(p.print(ev)).toBe('web            1/1     Terminating        0          5m\n');
  });

  test('cells: strings cut at line breaks, numbers, booleans, null', () => {
    expect(formatCell('a\nb')).toBe('a...');
    expect(formatCell(3)).toBe('3');
    expect(formatCell(true)).toBe('true');
    expect(formatCell(null)).toBe('');
    expect(formatCell('\x1b[31mred')).toBe('^[[31mred');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(labelColumnHeader('app.kubernetes.io/name')).toBe('NAME');
  });
});

describe('HumanDuration', () => {
  const s = 1000;
  test.each([
    [-5 * s, '<invalid>'],
    [-1.5 * s, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [190 * s, '3m10s'],
    [599 * s, '9m59s'],
    [600 * s, '10m'],
    [(2 * 3600 + 59 * 60 + 59) * s, '179m'],
    [3 * 3600 * s, '3h'],
    [(3 * 3600 + 20 * 60) * s, '3h20m'],
    [(7 * 3600 + 59 * 60) * s, '7h59m'],
    [8 * 3600 * s, '8h'],
    [(47 * 3600 + 59 * 60) * s, '47h'],
    [48 * 3600 * s, '2d'],
    [51 * 3600 * s, '2d3h'],
    [(7 * 24 + 23) * 3600 * s, '7d23h'],
    [8 * 24 * 3600 * s, '8d'],
    [729 * 24 * 3600 * s, '729d'],
    [800 * 24 * 3600 * s, '2y70d'],
    [1095 * 24 * 3600 * s, '3y'],
    [3000 * 24 * 3600 * s, '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  test('ages and describe timestamps', () => {
    expect(ageSince(undefined, new Date())).toBe('<unknown>');
    expect(ageSince('2025-01-01T00:00:00Z', new Date('2025-01-01T00:05:00Z'))).toBe('5m');
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    expect(rfc1123z('2025-01-01T10:00:00Z')).toBe('Wed, 01 Jan 2025 10:00:00 +0000');
    process.env.TZ = tz;
    expect(rfc1123z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });
});

describe('quantities', () => {
  test.each([
    ['100m', '100m'],
    ['0.5', '500m'],
    ['1', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['512', '512'],
    ['128974848', '128974848'],
    ['129e6', '129M'],
    ['0', '0'],
  ])('%s → %s', (input, want) => {
    expect(formatQuantity(parseQuantity(input)!)).toBe(want);
  });

  test('sums keep the first format', () => {
    expect(formatQuantity(addQuantities(parseQuantity('64Mi')!, parseQuantity('64Mi')!))).toBe('128Mi');
    expect(formatQuantity(addQuantities(parseQuantity('250m')!, parseQuantity('1')!))).toBe('1250m');
    const t = sumResourceLists([{ cpu: '100m', memory: '1Gi' }, { cpu: '200m' }]);
    expect(formatQuantity(t.cpu)).toBe('300m');
    expect(formatQuantity(t.memory)).toBe('1Gi');
    expect(parseQuantity('abc')).toBeUndefined();
  });
});

describe('-o json/yaml/name', () => {
  const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web', labels: { b: '1', a: '2' }, annotations: { note: '<b>&' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } };

  test('json: sorted keys, 4-space indent, Go HTML escaping', () => {
    const out = toJson(pod);
    expect(out.startsWith('{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n        "annotations": {\n            "note": "\\u003cb\\u003e\\u0026"')).toBe(true);
    expect(out.endsWith('}\n')).toBe(true);
    expect(toCompactJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });

  test('yaml: kubectl/go-yaml style', () => {
    expect(toYaml({ ...pod, metadata: { ...pod.metadata, creationTimestamp: '2025-01-01T00:00:00Z', annotations: { x: 'yes', y: '0644', z: '{"a":1}\n' } } })).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  annotations:',
        '    x: "yes"',
        '    "y": "0644"',
        '    z: |',
        '      {"a":1}',
        '  creationTimestamp: "2025-01-01T00:00:00Z"',
        '  labels:',
        '    a: "2"',
        '    b: "1"',
        '  name: web',
        'spec:',
        '  containers:',
        '  - image: nginx',
        '    name: c',
        '    ports:',
        '    - containerPort: 80',
        '',
      ].join('\n'),
    );
  });

  test('several objects are a List; one named object is itself; names', () => {
    expect(asList([])).toEqual({ apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
    expect(printObjects([pod], 'yaml', true).startsWith('apiVersion: v1\nkind: Pod\n')).toBe(true);
    expect(printObjects([pod], 'yaml', false).startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n')).toBe(true);
    expect(printObjects([], 'yaml', false)).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(objectName({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe('deployment.apps/web');
    expect(printObjects([pod, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } }], 'name', false)).toBe('pod/web\nservice/svc\n');
  });
});
