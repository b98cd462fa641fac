import { ApiError } from '../../shared/api/errors';
import { applyStrategicMergePatch, type GroupKind } from '../../apiserver/patch';

const POD: GroupKind = { group: '', kind: 'Pod' };
const NODE: GroupKind = { group: '', kind: 'Node' };
const SERVICE: GroupKind = { group: '', kind: 'Service' };
const DEPLOYMENT: GroupKind = { group: 'apps', kind: 'Deployment' };
const CRONJOB: GroupKind = { group: 'batch', kind: 'CronJob' };
const WIDGET: GroupKind = { group: 'example.com', kind: 'Widget' };

type Obj = Record<string, unknown>;

function pod(spec: Obj, extra: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec, ...extra };
}

function deployment(podSpec: Obj, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
      ...extra,
    },
  };
}

interface Case {
  name: string;
  kind: GroupKind;
  live: Obj;
  patch: unknown;
  want: Obj;
}

const cases: Case[] = [
  {
    name: 'kubectl apply (2nd run): $setElementOrder, ports: null, new container',
    kind: POD,
    live: pod({ containers: [{ name: 'main', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'main' }, { name: 'side' }], containers: [{ name: 'main', ports: null }, { image: 'busybox:2', name: 'side' }] } },
    want: pod({ containers: [{ name: 'main', image: 'nginx' }, { name: 'side', image: 'busybox:2' }] }),
  },
  {
    name: 'kubectl cordon',
    kind: NODE,
    live: { kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } },
    patch: { spec: { unschedulable: true } },
    want: { kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24', unschedulable: true } },
  },
  {
    name: 'kubectl uncordon',
    kind: NODE,
    live: { kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: true } },
    patch: { spec: { unschedulable: null } },
    want: { kind: 'Node', metadata: { name: 'n1' }, spec: {} },
  },
  {
    name: 'kubectl rollout restart adds the template annotation and keeps the others',
    kind: DEPLOYMENT,
    live: deployment({ containers: [{ name: 'web', image: 'nginx' }] }, {}),
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } },
    want: (() => {
      const d = deployment({ containers: [{ name: 'web', image: 'nginx' }] });
      ((d.spec as Obj).template as Obj).metadata = { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } };
      return d;
    })(),
  },
  {
    name: 'kubectl set image touches one container by name',
    kind: DEPLOYMENT,
    live: deployment({ containers: [{ name: 'web', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }, { name: 'log', image: 'fluentbit' }] }),
    patch: { spec: { template: { spec: { containers: [{ image: 'nginx:1.27', name: 'web' }] } } } },
    want: deployment({ containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'log', image: 'fluentbit' }] }),
  },
  {
    name: 'three-way apply patch removes a container and an env var',
    kind: DEPLOYMENT,
    live: deployment({
      containers: [
        { name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        { name: 'sidecar', image: 'envoy' },
      ],
    }),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              { '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], name: 'web' },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    },
    want: deployment({ containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }] }),
  },
  {
    name: 'CronJob pod template containers merge by name too',
    kind: CRONJOB,
    live: { kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } } } } },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }] } } } } } },
    want: { kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }] } } } } } },
  },
  {
    name: 'finalizers are a merged set without duplicates',
    kind: POD,
    live: pod({}, { metadata: { name: 'web', finalizers: ['a', 'b'] } }),
    patch: { metadata: { finalizers: ['b', 'c'] } },
    want: pod({}, { metadata: { name: 'web', finalizers: ['a', 'b', 'c'] } }),
  },
  {
    name: '$deleteFromPrimitiveList/finalizers removes values',
    kind: WIDGET,
    live: { kind: 'Widget', metadata: { name: 'w', finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zzz'] } },
    want: { kind: 'Widget', metadata: { name: 'w', finalizers: ['a', 'c'] } },
  },
  {
    name: 'three-way primitive list patch: order, add and delete together',
    kind: POD,
    live: pod({}, { metadata: { name: 'web', finalizers: ['1', '2', '3', '4'] } }),
    patch: { metadata: { '$setElementOrder/finalizers': ['1', '2', '5'], '$deleteFromPrimitiveList/finalizers': ['3'], finalizers: ['5'] } },
    want: pod({}, { metadata: { name: 'web', finalizers: ['1', '2', '5', '4'] } }),
  },
  {
    name: 'primitive list keeps server-only values next to their neighbours',
    kind: POD,
    live: pod({}, { metadata: { name: 'web', finalizers: ['1', '2', '3'] } }),
    patch: { metadata: { finalizers: ['3', '1'] } },
    want: pod({}, { metadata: { name: 'web', finalizers: ['2', '3', '1'] } }),
  },
  {
    name: 'ownerReferences merge by uid',
    kind: POD,
    live: pod({}, { metadata: { name: 'web', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', controller: true }] } }),
    patch: { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }, { uid: 'u2', kind: 'Node', name: 'n' }] } },
    want: pod({}, { metadata: { name: 'web', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', controller: true, blockOwnerDeletion: true }, { uid: 'u2', kind: 'Node', name: 'n' }] } }),
  },
  {
    name: 'pod conditions merge by type',
    kind: POD,
    live: pod({}, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] } }),
    patch: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null }] } },
    want: pod({}, { status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }] } }),
  },
  {
    name: 'node addresses merge by type; podCIDRs union; taints replaced',
    kind: NODE,
    live: { kind: 'Node', metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.1.1.1' }, { type: 'Hostname', address: 'n' }] } },
    patch: { spec: { podCIDRs: ['fd00::/64'], taints: [{ key: 'b', effect: 'NoExecute' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.1.1.2' }] } },
    // A value new to the list goes ahead of live values the patch does not mention (Kubernetes' order).
    want: { kind: 'Node', metadata: { name: 'n' }, spec: { podCIDRs: ['fd00::/64', '10.0.0.0/24'], taints: [{ key: 'b', effect: 'NoExecute' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.1.1.2' }, { type: 'Hostname', address: 'n' }] } },
  },
  {
    name: 'Service ports merge by port',
    kind: SERVICE,
    live: { kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443, targetPort: 8443, protocol: 'TCP' }] } },
    want: { kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 443, targetPort: 8443, protocol: 'TCP' }] } },
  },
  {
    name: 'container ports sharing a number are told apart by protocol',
    kind: POD,
    live: pod({ containers: [{ name: 'dns', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }] }] }),
    patch: { spec: { containers: [{ name: 'dns', ports: [{ containerPort: 53, protocol: 'TCP', hostPort: 5353 }] }] } },
    want: pod({ containers: [{ name: 'dns', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp', hostPort: 5353 }] }] }),
  },
  {
    name: 'volumeMounts merge by mountPath, env by name, tolerations replaced',
    kind: POD,
    live: pod({
      tolerations: [{ key: 'x', operator: 'Exists' }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'a', mountPath: '/a' }], env: [{ name: 'X', value: '1' }] }],
    }),
    patch: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }], containers: [{ name: 'c', volumeMounts: [{ name: 'b', mountPath: '/a', readOnly: true }], env: [{ name: 'Y', value: '2' }] }] } },
    want: pod({
      tolerations: [{ key: 'y', operator: 'Exists' }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'b', mountPath: '/a', readOnly: true }], env: [{ name: 'Y', value: '2' }, { name: 'X', value: '1' }] }],
    }),
  },
  {
    name: 'envFrom has no key and is replaced',
    kind: POD,
    live: pod({ containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'a' } }] }] }),
    patch: { spec: { containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'b' } }] }] } },
    want: pod({ containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'b' } }] }] }),
  },
  {
    name: '$patch: replace on a map replaces it',
    kind: DEPLOYMENT,
    live: deployment({ containers: [{ name: 'web', image: 'nginx' }] }),
    patch: { spec: { template: { metadata: { labels: { $patch: 'replace', tier: 'front' } } } } },
    want: (() => {
      const d = deployment({ containers: [{ name: 'web', image: 'nginx' }] });
      ((d.spec as Obj).template as Obj).metadata = { labels: { tier: 'front' } };
      return d;
    })(),
  },
  {
    name: '$patch: delete on a map empties it',
    kind: POD,
    live: pod({ nodeSelector: { disk: 'ssd' }, containers: [] }),
    patch: { spec: { nodeSelector: { $patch: 'delete' } } },
    want: pod({ nodeSelector: {}, containers: [] }),
  },
  {
    name: 'a {"$patch":"replace"} element replaces the whole list',
    kind: POD,
    live: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }),
    patch: { spec: { containers: [{ name: 'c', image: 'z' }, { $patch: 'replace' }] } },
    want: pod({ containers: [{ name: 'c', image: 'z' }] }),
  },
  {
    name: '$retainKeys on Deployment spec.strategy drops rollingUpdate',
    kind: DEPLOYMENT,
    live: deployment({ containers: [] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: deployment({ containers: [] }, { strategy: { type: 'Recreate' } }),
  },
  {
    name: '$retainKeys on a volume switches its source',
    kind: POD,
    live: pod({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'other', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }] } },
    want: pod({ volumes: [{ name: 'data', configMap: { name: 'cfg' } }, { name: 'other', emptyDir: {} }] }),
  },
  {
    // As in the Kubernetes docs' "kubectl patch" walkthrough: the added container comes first.
    name: 'a plain patch puts a new element ahead of the live ones',
    kind: DEPLOYMENT,
    live: deployment({ containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] }),
    patch: { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } },
    want: deployment({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }, { name: 'patch-demo-ctr', image: 'nginx' }] }),
  },
  {
    name: 'patch order wins; unmentioned live elements keep their neighbours',
    kind: POD,
    live: pod({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] }),
    patch: { spec: { containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] } },
    want: pod({ containers: [{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }] }),
  },
  {
    name: '$setElementOrder keeps an injected sidecar in place and appends the new container',
    kind: POD,
    live: pod({ containers: [{ name: 'a' }, { name: 'injected' }, { name: 'b' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [{ name: 'c', image: 'new' }] } },
    want: pod({ containers: [{ name: 'a' }, { name: 'injected' }, { name: 'b' }, { name: 'c', image: 'new' }] }),
  },
  {
    name: '$setElementOrder alone reorders and ignores names that are not there',
    kind: POD,
    live: pod({ containers: [{ name: '1' }, { name: '3' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }] } },
    want: pod({ containers: [{ name: '3' }, { name: '1' }] }),
  },
  {
    name: 'a new element ahead of remaining live-only ones (Go "nested patch merge with empty list")',
    kind: POD,
    live: pod({ containers: [{ name: 'hello2' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'hello' }, { name: 'gone' }], containers: [{ name: 'hello' }, { $patch: 'delete', name: 'gone' }] } },
    want: pod({ containers: [{ name: 'hello' }, { name: 'hello2' }] }),
  },
  {
    name: 'directives inside values new to the object do not survive',
    kind: POD,
    live: pod({ containers: [{ name: 'a' }] }),
    patch: {
      metadata: { labels: { $patch: 'replace', x: '1' } },
      spec: {
        containers: [{ name: 'b', env: [{ name: 'E', value: 'v' }, { $patch: 'delete', name: 'F' }], '$setElementOrder/env': [{ name: 'E' }], resources: { $retainKeys: ['limits'], limits: { cpu: '1' } } }],
        '$deleteFromPrimitiveList/nothing': ['x'],
      },
    },
    want: pod({ containers: [{ name: 'b', env: [{ name: 'E', value: 'v' }], resources: { limits: { cpu: '1' } } }, { name: 'a' }] }, { metadata: { name: 'web', namespace: 'default', labels: { x: '1' } } }),
  },
  {
    name: 'deleting from a list the object lacks does not create the list',
    kind: POD,
    live: pod({ containers: [{ name: 'a' }] }),
    patch: { spec: { containers: [{ name: 'a', env: [{ $patch: 'delete', name: 'X' }] }] } },
    want: pod({ containers: [{ name: 'a' }] }),
  },
  {
    name: 'nulls for keys the object lacks are dropped',
    kind: POD,
    live: pod({ containers: [] }),
    patch: { metadata: { annotations: { a: null, b: 'x' } } },
    want: pod({ containers: [] }, { metadata: { name: 'web', namespace: 'default', annotations: { b: 'x' } } }),
  },
  {
    name: 'unknown kinds fall back to merge semantics: lists are replaced',
    kind: WIDGET,
    live: { kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a', v: 1 }, { name: 'b', v: 2 }], config: { x: 1, y: 2 } } },
    patch: { spec: { items: [{ name: 'a', v: 3 }], config: { y: null, z: 3 } } },
    want: { kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a', v: 3 }], config: { x: 1, z: 3 } } },
  },
  {
    name: 'a list element type change replaces a merged list with the patch list',
    kind: POD,
    live: pod({ containers: 'garbage' }),
    patch: { spec: { containers: [{ name: 'a' }] } },
    want: pod({ containers: [{ name: 'a' }] }),
  },
];

describe('strategic merge patch', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = JSON.stringify(c.live);
    const patchBefore = JSON.stringify(c.patch);
    expect(applyStrategicMergePatch(c.live, c.patch, c.kind)).toEqual(c.want);
    // Inputs are never modified.
    expect(JSON.stringify(c.live)).toBe(before);
    expect(JSON.stringify(c.patch)).toBe(patchBefore);
  });

  test('a __proto__ key is data, not the prototype', () => {
    const patch = JSON.parse('{"spec":{"__proto__":{"polluted":true}}}');
    const out = applyStrategicMergePatch(pod({}), patch, POD) as { spec: Obj };
    expect(Object.prototype.hasOwnProperty.call(out.spec, '__proto__')).toBe(true);
    expect(({} as Obj).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.spec)).toBe(Object.prototype);
  });
});

interface ErrorCase {
  name: string;
  live?: Obj;
  patch: unknown;
  message: RegExp;
}

const errorCases: ErrorCase[] = [
  { name: 'patch is not an object', patch: [{ op: 'add' }], message: /expected a JSON object, got array/ },
  { name: 'element without the merge key', patch: { spec: { containers: [{ image: 'x' }] } }, message: /at spec\.containers\[0\].*does not contain declared merge key: name/ },
  { name: 'delete directive without the merge key', patch: { spec: { containers: [{ $patch: 'delete' }] } }, message: /does not contain declared merge key: name/ },
  { name: 'unknown $patch on a map', patch: { spec: { $patch: 'explode' } }, message: /at spec: unknown patch type "explode"/ },
  { name: 'unknown $patch in a list', patch: { spec: { containers: [{ name: 'a', $patch: 'explode' }] } }, message: /unknown patch type "explode"/ },
  { name: '$retainKeys not a list of names', patch: { spec: { $retainKeys: 'containers' } }, message: /invalid patch format of retainKeys/ },
  { name: 'patch field outside $retainKeys', patch: { spec: { $retainKeys: ['a'], b: 1 } }, message: /field "b" is set by the patch but missing from \$retainKeys/ },
  { name: '$setElementOrder not a list', patch: { spec: { '$setElementOrder/containers': { name: 'a' } } }, message: /invalid patch format of setElementOrder list/ },
  {
    name: '$setElementOrder disagreeing with the patch order',
    live: pod({ containers: [{ name: '1' }, { name: '2' }, { name: '3' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3' }, { name: '1' }] } },
    message: /doesn't match the \$setElementOrder list/,
  },
  { name: '$deleteFromPrimitiveList not a list', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, message: /invalid patch format of primitive list/ },
  { name: 'mixed element types in a merged list', patch: { metadata: { finalizers: ['a', { b: 1 }] } }, message: /list element types are not identical/ },
  { name: 'lists of lists', patch: { metadata: { finalizers: [['a']] } }, message: /lists of lists are not supported/ },
];

describe('strategic merge patch errors are 400 BadRequest with the path', () => {
  test.each(errorCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let err: unknown;
    try {
      applyStrategicMergePatch(c.live ?? pod({ containers: [{ name: 'a' }] }), c.patch, POD);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const api = err as ApiError;
    expect(api.code).toBe(400);
    expect(api.reason).toBe('BadRequest');
    expect(api.message).toMatch(c.message);
  });
});
