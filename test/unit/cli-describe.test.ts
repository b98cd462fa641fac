import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Node, Pod, Service } from 'kubernetes-types/core/v1';
import { describePod } from '../../cli/describers/pod';
import { describeNode, nodeRoles } from '../../cli/describers/node';
import { classifyReplicaSets, describeDeployment, describeReplicaSet } from '../../cli/describers/workloads';
import { camelSplit, describeGeneric, describeNamespace, describeService, formatEndpoints, smartLabel } from '../../cli/describers/other';
import { describeProbe, formatLabelSelector, podQOSClass } from '../../cli/describers/common';

const savedTZ = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  process.env.TZ = savedTZ;
});

const now = new Date('2025-01-01T10:10:00Z');

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    labels: { run: 'web', app: 'x' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n', note: 'hello' },
    creationTimestamp: '2025-01-01T10:00:00Z',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs1', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'default',
    priority: 0,
    containers: [
      {
        name: 'web',
        image: 'nginx:1.28',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: 'b' },
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
        ],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
      },
    ],
    volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }, { downwardAPI: {} }] } }],
    tolerations: [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '192.168.1.10',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    startTime: '2025-01-01T10:00:00Z',
    qosClass: 'Burstable',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx:1.28', imageID: 'k8ts.local/nginx@sha256:abc', containerID: 'k8ts://123', state: { running: { startedAt: '2025-01-01T10:00:02Z' } } }],
  },
};

const ev = (type: string, reason: string, message: string, component: string, first: string, last = first, count = 1): Event => ({
  metadata: { name: reason },
  involvedObject: {},
  type,
  reason,
  message,
  source: { component },
  firstTimestamp: first,
  lastTimestamp: last,
  count,
});

const events: Event[] = [
  ev('Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', 'kubelet', '2025-01-01T10:05:00Z', '2025-01-01T10:09:00Z', 3),
  ev('Normal', 'Scheduled', 'Successfully assigned default/web to node-1', 'default-scheduler', '2025-01-01T10:00:00Z'),
  ev('Normal', 'Pulled', 'Container image "nginx:1.28" already present on machine', 'kubelet', '2025-01-01T10:00:01Z'),
];

test('describe pod: kubectl layout from Name to Events', () => {
  expect(describePod(pod, events, now)).toBe(`Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.1.10
Start Time:       Wed, 01 Jan 2025 10:00:00 +0000
Labels:           app=x
                  run=web
Annotations:      note: hello
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-abc
Containers:
  web:
    Container ID:   k8ts://123
    Image:          nginx:1.28
    Image ID:       k8ts.local/nginx@sha256:abc
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 10:00:02 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:     250m
      memory:  64Mi
    Liveness:  http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      A:       b
      POD_IP:  10.244.1.5 (v1:status.podIP)
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  kube-api-access-abcde:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  10m               default-scheduler  Successfully assigned default/web to node-1
  Normal   Pulled     9m59s             kubelet            Container image "nginx:1.28" already present on machine
  Warning  Unhealthy  60s (x3 over 5m)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 500
`);
});

test('describe pod: waiting/terminated states, last state, init containers, no events', () => {
  const p: Pod = structuredClone(pod);
  p.spec!.initContainers = [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'echo hi'] }];
  p.status!.initContainerStatuses = [{ name: 'init', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:00:01Z' } } }];
  p.status!.containerStatuses = [{ name: 'web', ready: false, restartCount: 4, image: 'nginx', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2025-01-01T10:08:00Z', finishedAt: '2025-01-01T10:09:00Z' } } }];
  const out = describePod(p, [], now);
  expect(out).toContain('Init Containers:\n  init:\n');
  expect(out).toContain('    Command:\n      sh\n      -c\n      echo hi\n');
  expect(out).toMatch(/    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n/);
  expect(out).toMatch(/    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n/);
  expect(out).toMatch(/Restart Count:  4\n/);
  expect(out.endsWith('Events:                      <none>\n')).toBe(true);
  // No events section at all when events could not be read.
  expect(describePod(p, null, now)).not.toContain('Events:');
});

test('describe pod: terminating, env from secrets/configmaps, probes, volumes', () => {
  const p: Pod = structuredClone(pod);
  Object.assign(p.metadata!, { deletionTimestamp: '2025-01-01T10:10:30Z', deletionGracePeriodSeconds: 30 });
  const c = p.spec!.containers[0];
  c.env = [
    { name: 'PASS', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    { name: 'CFG', valueFrom: { configMapKeyRef: { name: 'cm', key: 'c', optional: true } } },
  ];
  c.envFrom = [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 's' }, prefix: 'S_' }];
  c.readinessProbe = { exec: { command: ['cat', '/tmp/ready'] } };
  c.startupProbe = { tcpSocket: { port: 80 }, periodSeconds: 5 };
  p.spec!.volumes = [
    { name: 'data', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'app-config' } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'pvc-1' } },
  ];
  const out = describePod(p, null, now);
  expect(out).toMatch(/Status:\s+Terminating \(lasts 30s\)\nTermination Grace Period:\s+30s\n/);
  expect(out).toContain("    Environment Variables from:\n      cm  ConfigMap                Optional: false\n      s   Secret with prefix 'S_'  Optional: false\n");
  expect(out).toContain("    Environment:\n      PASS:  <set to the key 'k' in secret 's'>       Optional: false\n      CFG:   <set to the key 'c' of config map 'cm'>  Optional: true\n");
  expect(out).toContain('Readiness:  exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=3');
  expect(out).toContain('Startup:    tcp-socket :80 delay=0s timeout=1s period=5s #success=1 #failure=3');
  expect(out).toContain("  data:\n    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     \n    SizeLimit:  <unset>\n");
  expect(out).toContain('  cfg:\n    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      app-config\n    Optional:  false\n');
  expect(out).toContain('  host:\n    Type:          HostPath (bare host directory volume)\n    Path:          /var/log\n    HostPathType:  Directory\n');
  expect(out).toContain('    ClaimName:   pvc-1\n    ReadOnly:    false\n');
});

test('QoS class when the server did not set it', () => {
  const base = (resources: object) => ({ spec: { containers: [{ name: 'c', resources }] } }) as Pod;
  expect(podQOSClass(base({}))).toBe('BestEffort');
  expect(podQOSClass(base({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
  expect(podQOSClass(base({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } }))).toBe('Burstable');
  expect(podQOSClass(base({ requests: { memory: '1Gi' } }))).toBe('Burstable');
});

test('probe and selector strings', () => {
  expect(describeProbe({ httpGet: { path: 'ready', port: 'http', host: 'h' } })).toBe('http-get http://h:http/ready delay=0s timeout=1s period=10s #success=1 #failure=3');
  expect(formatLabelSelector({ matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['y', 'x'] }, { key: 'c', operator: 'DoesNotExist' }] })).toBe('a in (x,y),b=1,!c');
});

const node: Node = {
  metadata: { name: 'node-1', uid: 'n1', labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '' }, creationTimestamp: '2025-01-01T09:00:00Z' },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T10:09:50Z', lastTransitionTime: '2025-01-01T09:00:10Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-1' }],
    nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', operatingSystem: 'linux', architecture: 'amd64', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', containerRuntimeVersion: 'k8ts://0.1.0' },
  },
};

test('describe node: lease, conditions, capacity, pods and allocated resources', () => {
  expect(nodeRoles(node)).toEqual(['control-plane']);
  expect(describeNode(node, { pods: [pod], events: [], lease: { spec: { holderIdentity: 'node-1', renewTime: '2025-01-01T10:09:55.000000Z' } } }, now)).toBe(`Name:               node-1
Roles:              control-plane
Labels:             kubernetes.io/hostname=node-1
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Wed, 01 Jan 2025 09:00:00 +0000
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  node-1
  AcquireTime:     <unset>
  RenewTime:       Wed, 01 Jan 2025 10:09:55 +0000
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
  ----    ------  -----------------                 ------------------                ------         -------
  Ready   True    Wed, 01 Jan 2025 10:09:50 +0000   Wed, 01 Jan 2025 09:00:10 +0000   KubeletReady   kubelet is posting ready status
Addresses:
  InternalIP:  192.168.1.10
  Hostname:    node-1
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             8Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             8Gi
  pods:               110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  k8ts://0.1.0
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
Non-terminated Pods:          (1 in total)
  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------  ---------------  -------------  ---
  default                     web     250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     10m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests   Limits
  --------           --------   ------
  cpu                250m (6%)  500m (12%)
  memory             64Mi (0%)  128Mi (1%)
  ephemeral-storage  0 (0%)     0 (0%)
Events:              <none>
`);
  const tainted = structuredClone(node);
  tainted.spec!.taints = [{ key: 'b', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoExecute' }];
  tainted.spec!.unschedulable = true;
  const out = describeNode(tainted, { pods: null, events: null, leaseError: 'leases.coordination.k8s.io "node-1" not found' }, now);
  expect(out).toContain('Taints:             a=x:NoExecute\n                    b:NoSchedule\nUnschedulable:      true\nLease:              Failed to get lease: leases.coordination.k8s.io "node-1" not found\n');
  expect(out).toContain('Pods:');
});

const deploy: Deployment = {
  metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: '2025-01-01T10:00:00Z', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
  },
  status: {
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    readyReplicas: 3,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};
const rsFor = (name: string, image: string, created: string, replicas: number): ReplicaSet => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created, labels: { app: 'web', 'pod-template-hash': name.split('-')[1] }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web', 'pod-template-hash': name.split('-')[1] } },
    template: { metadata: { labels: { app: 'web', 'pod-template-hash': name.split('-')[1] } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
  },
  status: { replicas },
});

test('describe deployment: pod template, conditions, old/new ReplicaSets', () => {
  const oldRS = rsFor('web-old', 'nginx:1.27', '2025-01-01T09:00:00Z', 0);
  const newRS = rsFor('web-new', 'nginx:1.28', '2025-01-01T10:00:00Z', 3);
  const stranger = { ...rsFor('web-x', 'nginx:1.28', '2025-01-01T08:00:00Z', 1), metadata: { name: 'web-x', ownerReferences: [] } };
  expect(classifyReplicaSets(deploy, [newRS, stranger, oldRS]).newRS?.metadata?.name).toBe('web-new');
  expect(describeDeployment(deploy, [newRS, oldRS], [], now)).toBe(`Name:                   web
Namespace:              default
CreationTimestamp:      Wed, 01 Jan 2025 10:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.28
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-old (0/0 replicas created)
NewReplicaSet:   web-new (3/3 replicas created)
Events:          <none>
`);
});

test('describe replicaset: controller, pod phase counts', () => {
  const rs = rsFor('web-new', 'nginx:1.28', '2025-01-01T10:00:00Z', 3);
  const owned = (phase: string) => ({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-new', uid: 'uid-web-new', controller: true }] }, status: { phase } }) as Pod;
  const out = describeReplicaSet(rs, [owned('Running'), owned('Running'), owned('Pending'), { metadata: {}, status: { phase: 'Running' } } as Pod], null, now);
  expect(out.split('\n').slice(0, 9).join('\n')).toBe(`Name:           web-new
Namespace:      default
Selector:       app=web,pod-template-hash=new
Labels:         app=web
                pod-template-hash=new
Annotations:    <none>
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed`);
});

test('describe service: ports, endpoints', () => {
  const svc: Service = {
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' },
  };
  const ep = { subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }, { ip: '10.244.2.8' }, { ip: '10.244.2.9' }], ports: [{ name: 'http', port: 8080 }] }] };
  expect(describeService(svc, ep, [], now)).toBe(`Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.10
IPs:                      10.96.0.10
Port:                     http  80/TCP
TargetPort:               8080/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.244.1.5:8080,10.244.2.7:8080,10.244.2.8:8080 + 1 more...
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
`);
  expect(formatEndpoints(null, '')).toBe('<none>');
});

test('describe namespace', () => {
  expect(describeNamespace({ metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } }, status: { phase: 'Active' } }, [], [])).toBe(`Name:         dev
Labels:       kubernetes.io/metadata.name=dev
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
`);
});

test('generic describer: smart labels, nested maps and lists, skipped metadata', () => {
  expect(camelSplit('HTTPServer')).toEqual(['HTTP', 'Server']);
  expect(smartLabel('apiVersion')).toBe('API Version');
  expect(smartLabel('creationTimestamp')).toBe('Creation Timestamp');
  expect(smartLabel('uid')).toBe('UID');
  expect(smartLabel('key.with.dots')).toBe('key.with.dots');
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', uid: 'x1', managedFields: [{ manager: 'k' }], labels: { a: 'b' } }, data: { 'app.properties': 'x=1' }, spec: { items: [{ name: 'a', count: 2 }, 'plain'] } };
  expect(describeGeneric(cm, [], now)).toBe(`Name:         cfg
Namespace:    default
Labels:       a=b
Annotations:  <none>
API Version:  v1
Data:
  app.properties:  x=1
Kind:              ConfigMap
Metadata:
  UID:  x1
Spec:
  Items:
    Count:  2
    Name:   a
    plain
Events:  <none>
`);
});
