/**
 * Protobuf request bodies (apiserver/protobuf). Three layers:
 *   1. Fixtures captured from the real kubectl v1.32 (fixtures/protobuf/capture.js): each
 *      body must decode to exactly the JSON kubectl itself prints for the same object
 *      (`--dry-run=client -o json`), and re-encode to the identical bytes.
 *   2. Round trips for every supported kind, plus the special types (Time, IntOrString,
 *      Quantity, bytes, RawExtension) and pointer-vs-omitempty zero values.
 *   3. Malformed input: always an ApiError (400, or 415 for an unknown kind), never a crash.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { Writer } from 'protobufjs';
import { ApiError } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import {
  PROTOBUF_MAGIC, ProtobufCodecError, decodeProtobufObject, encodeProtobufObject, isProtobufContentType,
  isProtobufKindSupported,
} from '../../apiserver/protobuf';
import { hasMessage } from '../../apiserver/protobuf/codec';
import { KINDS } from '../../apiserver/protobuf/schema';

const FIXTURES = path.join(__dirname, 'fixtures', 'protobuf');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, `${name}.bin`));
const fixtureJson = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
const captured = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4)).sort();
const withJson = captured.filter((n) => fs.existsSync(path.join(FIXTURES, `${n}.json`)));

/** Runs `fn`, expecting an ApiError; returns it for further assertions. */
function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}

function roundTrip(obj: KObject): KObject {
  return decodeProtobufObject(encodeProtobufObject(obj));
}

/** Hand-assembles protobuf bytes: [field, wireType, payload] where payload is a number (varint) or bytes. */
function pb(...fields: Array<[number, number, number | Buffer | string]>): Buffer {
  const out: number[] = [];
  const varint = (n: number): void => {
    let v = n;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  };
  for (const [id, wire, payload] of fields) {
    varint(id * 8 + wire);
    if (wire === 0) varint(payload as number);
    else if (wire === 1 || wire === 5) out.push(...Buffer.alloc(wire === 1 ? 8 : 4));
    else {
      const b = typeof payload === 'string' ? Buffer.from(payload) : (payload as Buffer);
      varint(b.length);
      out.push(...b);
    }
  }
  return Buffer.from(out);
}

function envelope(apiVersion: string, kind: string, raw: Buffer, extra: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([PROTOBUF_MAGIC, pb([1, 2, pb([1, 2, apiVersion], [2, 2, kind])], [2, 2, raw]), extra]);
}

describe('isProtobufContentType', () => {
  it.each([
    ['application/vnd.kubernetes.protobuf', true],
    ['application/vnd.kubernetes.protobuf; charset=utf-8', true],
    ['Application/VND.Kubernetes.Protobuf', true],
    ['application/vnd.kubernetes.protobuf;stream=watch', false],
    ['application/json', false],
    ['application/vnd.kubernetes.protobuf+json', false],
    ['', false],
  ])('%j → %s', (ct, want) => {
    expect(isProtobufContentType(ct)).toBe(want);
  });
});

describe('bodies captured from kubectl v1.32', () => {
  it('has the fixtures (regenerate with node test/unit/fixtures/protobuf/capture.js)', () => {
    expect(withJson.length).toBeGreaterThanOrEqual(24);
  });

  it.each(withJson)('%s decodes to the JSON kubectl prints for the same object', (name) => {
    expect(decodeProtobufObject(fixture(name))).toEqual(fixtureJson(name));
  });

  it.each(captured)('%s re-encodes to the identical bytes', (name) => {
    const body = fixture(name);
    expect(encodeProtobufObject(decodeProtobufObject(body)).equals(body)).toBe(true);
  });

  it('starts with the envelope prefix documented in KUBECTL-WIRE.md §4.4', () => {
    // 6b387300 0a15 0a07"apps/v1" 120a"Deployment" 12<len>
    const prefix = Buffer.concat([Buffer.from('6b3873000a150a07', 'hex'), Buffer.from('apps/v1'), Buffer.from('120a', 'hex'), Buffer.from('Deployment'), Buffer.from('12', 'hex')]);
    expect(fixture('deployment').subarray(0, prefix.length).equals(prefix)).toBe(true);
  });

  it('kubectl create deployment web --image=nginx', () => {
    const d = decodeProtobufObject(fixture('deployment')) as KObject & { spec: any; status: unknown };
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.kind).toBe('Deployment');
    expect(d.metadata).toEqual({ name: 'web', creationTimestamp: null, labels: { app: 'web' } });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(d.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx', resources: {} }]);
    expect(d.spec.strategy).toEqual({});
    expect(d.status).toEqual({});
  });

  it('keeps a pointer field set to zero: --replicas=0', () => {
    const d = decodeProtobufObject(fixture('deployment-replicas0')) as any;
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080 }]);
  });

  it('turns Secret and ConfigMap bytes into base64', () => {
    const s = decodeProtobufObject(fixture('secret-generic')) as any;
    expect(Buffer.from(s.data.password, 'base64').toString()).toBe('s3cr3t');
    expect(s.data.empty).toBe('');
    expect(Buffer.from(s.data['blob.bin'], 'base64')).toEqual(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0x0a]));
    const cm = decodeProtobufObject(fixture('configmap')) as any;
    expect(cm.data).toEqual({ a: '1', greeting: 'hello world' });
    expect(Buffer.from(cm.binaryData['blob.bin'], 'base64')).toEqual(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0x0a]));
  });

  it('decodes IntOrString both ways', () => {
    expect((decodeProtobufObject(fixture('service-clusterip')) as any).spec.ports).toEqual([{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
    expect((decodeProtobufObject(fixture('service-nodeport')) as any).spec.ports[0].targetPort).toBe('http');
    expect((decodeProtobufObject(fixture('pdb')) as any).spec.minAvailable).toBe('50%');
  });

  it('keeps fields Go prints without omitempty: priorityclass --value=0', () => {
    expect((decodeProtobufObject(fixture('priorityclass-zero')) as any).value).toBe(0);
  });

  it('carries a rich pod template through create job --from=cronjob', () => {
    const job = decodeProtobufObject(fixture('job-from-cronjob')) as any;
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: '5e3c1f1e-1111-4222-8333-444455556666', controller: true }]);
    expect(job.spec).toMatchObject({ parallelism: 0, completions: 3, backoffLimit: 0, ttlSecondsAfterFinished: 0, manualSelector: false, suspend: false });
    const pod = job.spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(0);
    expect(pod.hostAliases).toEqual([{ ip: '', hostnames: ['blank.local'] }]);
    expect(pod.hostNetwork).toBeUndefined(); // omitempty bool false is dropped
    expect(pod.volumes[2]).toEqual({ name: 'cfg', configMap: { name: 'app-config', items: [{ key: 'a', path: 'a.txt', mode: 0 }], defaultMode: 420, optional: false } });
    const main = pod.containers[0];
    expect(main.livenessProbe.httpGet.port).toBe(8080);
    expect(main.readinessProbe).toEqual({ tcpSocket: { port: 'http' } });
    expect(main.env.find((e: any) => e.name === 'K').valueFrom).toEqual({ configMapKeyRef: { name: 'app-config', key: 'k', optional: false } });
    expect(main.env.find((e: any) => e.name === 'CPU').valueFrom.resourceFieldRef.divisor).toBe('0');
    expect(main.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } });
  });

  it('decodes the TokenRequest of kubectl create token', () => {
    expect(decodeProtobufObject(fixture('token'))).toEqual({
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      metadata: { creationTimestamp: null }, spec: { expirationSeconds: 3600 }, status: { token: '', expirationTimestamp: null },
    });
  });
});

// Go prints `creationTimestamp: null`, which the ObjectMeta type does not allow: typed loosely on purpose.
const meta = (name: string, extra: Record<string, unknown> = {}): KObject['metadata'] => ({ name, creationTimestamp: null, ...extra }) as unknown as KObject['metadata'];
const podSpec = {
  containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
  restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
};
const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: podSpec };

/** One object per supported kind, shaped like the JSON Go would print for it. */
const KIND_SAMPLES: KObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team-a'), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg', { namespace: 'default' }), immutable: false, data: { a: '1' }, binaryData: { b: 'AAE=' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { password: Buffer.from('hunter2').toString('base64') }, stringData: { plain: 'x' }, type: 'kubernetes.io/basic-auth' },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('builder'), secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'regcred' }], automountServiceAccountToken: false },
  {
    apiVersion: 'v1', kind: 'Service', metadata: meta('web', { labels: { app: 'web' } }),
    spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }, { protocol: 'UDP', port: 53, targetPort: 5353 }], selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, externalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP', error: '' }] }] }, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-06T07:08:09Z', reason: '', message: '' }] },
  },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q'), spec: { hard: { cpu: '1', memory: '1Gi', pods: '10' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }, status: { hard: { cpu: '1' }, used: { cpu: '0' } } },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'c0ffee', resourceVersion: '42', generation: 1, creationTimestamp: '2024-01-02T03:04:05Z', deletionTimestamp: '2024-01-02T03:05:05Z', deletionGracePeriodSeconds: 0, finalizers: ['x/y'], managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } }] },
    spec: { ...podSpec, nodeName: 'node-1', volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } }, { name: 'tok', secret: { secretName: 'tok', optional: true } }, { name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } }], ephemeralContainers: [{ name: 'debugger', image: 'busybox', resources: {}, targetContainerName: 'app', stdin: true, tty: true }] },
    status: {
      phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-02T03:04:10Z' }], hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }], podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], startTime: '2024-01-02T03:04:06Z', qosClass: 'BestEffort',
      containerStatuses: [{ name: 'app', state: { running: { startedAt: '2024-01-02T03:04:08Z' } }, lastState: { terminated: { exitCode: 0, reason: 'Completed', startedAt: null, finishedAt: '2024-01-02T03:04:07Z', containerID: 'containerd://a' } }, ready: true, restartCount: 1, image: 'nginx:1.27', imageID: '', containerID: 'containerd://b', started: true }],
    },
  },
  { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta('tpl'), template },
  { apiVersion: 'v1', kind: 'Binding', metadata: meta('web-1', { namespace: 'default' }), target: { kind: 'Node', name: 'node-1' } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', { generation: 3, annotations: { 'deployment.kubernetes.io/revision': '2' } }),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } }, minReadySeconds: 5, revisionHistoryLimit: 0, paused: true, progressDeadlineSeconds: 600 },
    status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }], collisionCount: 0 },
  },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d4c', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }] }), spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 0 } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 }, status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0 } },
  { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('agent-7f'), data: { spec: { template: { $patch: 'replace' } } }, revision: 1 },
  {
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta('once'),
    spec: { parallelism: 1, completions: 1, activeDeadlineSeconds: 60, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, manualSelector: true, template: { metadata: { creationTimestamp: null }, spec: { ...podSpec, restartPolicy: 'Never' } }, ttlSecondsAfterFinished: 100, completionMode: 'NonIndexed', suspend: true, podReplacementPolicy: 'TerminatingOrFailed', successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 1 }] } },
    status: { conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2024-01-01T00:00:01Z', lastTransitionTime: '2024-01-01T00:00:01Z' }], startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:00:01Z', succeeded: 1, terminating: 0, ready: 0, uncountedTerminatedPods: {} },
  },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('tick'), spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null }, spec: { ...podSpec, restartPolicy: 'OnFailure' } } } }, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, concurrencyPolicy: 'Allow', suspend: false }, status: { active: [{ kind: 'Job', namespace: 'default', name: 'tick-1', uid: 'u', apiVersion: 'batch/v1', resourceVersion: '5' }], lastScheduleTime: '2024-01-01T00:05:00Z' } },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('pdb'), spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, status: { observedGeneration: 1, disruptedPods: { 'web-1': '2024-01-01T00:00:00Z' }, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'InsufficientPods', message: '' }] } },
  { apiVersion: 'policy/v1', kind: 'Eviction', metadata: meta('web-1', { namespace: 'default' }), deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'c0ffee' }, propagationPolicy: 'Background', dryRun: ['All'] } },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('simple'),
    spec: { ingressClassName: 'nginx', defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } }, tls: [{ hosts: ['foo.com'], secretName: 'cert' }], rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }, { host: 'bare.com' }] },
    status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com', ports: [{ port: 443, protocol: 'TCP' }] }] } },
  },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta('web', { namespace: 'default' }), spec: { replicas: 5 }, status: { replicas: 0, selector: 'app=web' } },
  { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 }, status: { observedGeneration: 0, currentReplicas: 0, desiredReplicas: 0 } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('pod-reader'), rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('agg'), rules: [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('rb'), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }, { kind: 'ServiceAccount', name: 'builder', namespace: 'default' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('crb'), subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agg' } },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: meta('high'), value: 1000000, globalDefault: true, description: 'important', preemptionPolicy: 'PreemptLowerPriority' },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: meta('builder'), spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-1', uid: 'c0ffee' } }, status: { token: 'eyJ...', expirationTimestamp: '2024-01-01T01:00:00Z' } },
  { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }], retryAfterSeconds: 1 }, code: 404 },
  { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', metadata: {}, gracePeriodSeconds: 30, orphanDependents: false, propagationPolicy: 'Foreground' },
];

describe('round trip of every supported kind', () => {
  it('covers every entry of the kind table', () => {
    const sampled = new Set(KIND_SAMPLES.map((o) => `${o.apiVersion}/${o.kind}`));
    for (const k of KINDS.keys()) expect(sampled).toContain(k);
    for (const message of KINDS.values()) expect(hasMessage(message)).toBe(true);
  });

  it.each(KIND_SAMPLES.map((o) => [`${o.apiVersion} ${o.kind}`, o] as const))('%s', (_name, obj) => {
    const decoded = roundTrip(obj);
    // DeleteOptions has no ObjectMeta; the decoder still promises `metadata`.
    expect(decoded).toEqual(obj);
    expect(isProtobufKindSupported(obj.apiVersion as string, obj.kind as string)).toBe(true);
  });
});

describe('zero values: pointer and non-omitempty fields survive, omitempty ones go', () => {
  it('keeps pointer zeros and drops omitempty zeros of gogo-written fields', () => {
    const d: KObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'z', generation: 0, namespace: '' },
      spec: { replicas: 0, minReadySeconds: 0, paused: false, revisionHistoryLimit: 0, template: { metadata: {}, spec: { containers: [{ name: '', image: '', ports: [{ containerPort: 0, hostPort: 0, name: '' }] }] } } },
    };
    expect(roundTrip(d)).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'z' },
      spec: { replicas: 0, revisionHistoryLimit: 0, template: { metadata: {}, spec: { containers: [{ name: '', ports: [{ containerPort: 0 }] }] } } },
    });
  });

  it('tells absent from zero for Job counts', () => {
    const job = (spec: Record<string, unknown>): KObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { ...spec, template: { metadata: {}, spec: {} } } });
    expect((roundTrip(job({})) as any).spec).toEqual({ template: { metadata: {}, spec: {} } });
    expect((roundTrip(job({ parallelism: 0, completions: 0, backoffLimit: 0 })) as any).spec).toEqual({ parallelism: 0, completions: 0, backoffLimit: 0, template: { metadata: {}, spec: {} } });
  });

  it('drops empty lists and maps', () => {
    const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {}, finalizers: [] }, data: {} };
    expect(roundTrip(cm)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});

describe('special types', () => {
  const ns = (creationTimestamp: unknown): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', creationTimestamp } as KObject['metadata'] });
  const created = (obj: KObject) => decodeProtobufObject(encodeProtobufObject(obj)).metadata.creationTimestamp;

  it.each([
    ['2024-02-29T12:34:56Z', '2024-02-29T12:34:56Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
    ['2024-03-01T01:02:03.123456789+02:00', '2024-02-29T23:02:03Z'],
    ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'],
  ])('Time %s → %s (RFC3339, whole seconds, UTC)', (input, want) => {
    expect(created(ns(input))).toBe(want);
  });

  it('Time: null stays null (an empty message), absent stays absent', () => {
    expect(created(ns(null))).toBeNull();
    expect('creationTimestamp' in roundTrip({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).metadata).toBe(false);
  });

  it("Time: Go's zero time (0001-01-01) on the wire is null", () => {
    const goZero = Writer.create().uint32(0x08).int64(-62135596800).finish();
    const raw = pb([1, 2, pb([1, 2, 'n'], [8, 2, Buffer.from(goZero)])]);
    expect(decodeProtobufObject(envelope('v1', 'Namespace', raw)).metadata.creationTimestamp).toBeNull();
  });

  it('Time: impossible dates are refused when encoding', () => {
    expect(() => encodeProtobufObject(ns('2024-02-30T00:00:00Z'))).toThrow(ProtobufCodecError);
    expect(() => encodeProtobufObject(ns('yesterday'))).toThrow(/RFC3339/);
  });

  it('IntOrString: wire type 0 → number, 1 → string, empty message → 0', () => {
    const svc = (port: Buffer) => envelope('v1', 'Service', pb([2, 2, pb([1, 2, pb([3, 0, 80], [4, 2, port])])]));
    expect((decodeProtobufObject(svc(pb([1, 0, 0], [2, 0, 8080]))) as any).spec.ports[0].targetPort).toBe(8080);
    expect((decodeProtobufObject(svc(pb([1, 0, 1], [3, 2, 'http']))) as any).spec.ports[0].targetPort).toBe('http');
    expect((decodeProtobufObject(svc(Buffer.alloc(0))) as any).spec.ports[0].targetPort).toBe(0);
    const err = apiError(() => decodeProtobufObject(svc(pb([1, 0, 7]))));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(/spec\.ports\[0\]\.targetPort: IntOrString type 7/);
  });

  it('Quantity: a map of strings; the empty message is "0"', () => {
    const limits = (q: Buffer) => envelope('v1', 'ResourceQuota', pb([2, 2, pb([1, 2, pb([1, 2, 'cpu'], [2, 2, q])])]));
    expect((decodeProtobufObject(limits(pb([1, 2, '250m']))) as any).spec.hard).toEqual({ cpu: '250m' });
    expect((decodeProtobufObject(limits(Buffer.alloc(0))) as any).spec.hard).toEqual({ cpu: '0' });
  });

  it('RawExtension and FieldsV1 carry embedded JSON', () => {
    const cr: KObject = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r', managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }] }, data: { a: [1, 'two', null] }, revision: 2 };
    expect(roundTrip(cr)).toEqual(cr);
    const notJson = envelope('apps/v1', 'ControllerRevision', pb([2, 2, pb([1, 2, Buffer.concat([PROTOBUF_MAGIC, Buffer.from('x')])])]));
    expect(apiError(() => decodeProtobufObject(notJson)).message).toMatch(/data: embedded raw object is not JSON/);
  });

  it('bytes are validated as base64 when encoding', () => {
    expect(() => encodeProtobufObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'not base64!' } })).toThrow(/data\.k: expected a base64 string/);
  });
});

describe('wire details', () => {
  const deploymentRaw = (...spec: Array<[number, number, number | Buffer | string]>) => pb([1, 2, pb([1, 2, 'web'])], [2, 2, pb(...spec)]);

  it('decodes a hand-built body with the observed prefix', () => {
    const body = envelope('apps/v1', 'Deployment', deploymentRaw([1, 0, 0]));
    expect(body.subarray(0, 6).toString('hex')).toBe('6b3873000a15');
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 0 } });
  });

  it('skips unknown fields of every wire type', () => {
    const raw = Buffer.concat([deploymentRaw([1, 0, 2], [99, 0, 5], [100, 1, 0], [101, 2, 'future'], [102, 5, 0]), pb([77, 2, 'x'])]);
    expect(decodeProtobufObject(envelope('apps/v1', 'Deployment', raw))).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } });
  });

  it('accepts packed repeated integers as well as the unpacked form gogo writes', () => {
    const packed = Buffer.from([0x01, 0x02, 0x96, 0x01]); // 1, 2, 150
    const sc = pb([4, 2, packed]);
    const raw = pb([2, 2, pb([14, 2, sc])]);
    expect((decodeProtobufObject(envelope('v1', 'Pod', raw)) as any).spec.securityContext.supplementalGroups).toEqual([1, 2, 150]);
  });

  it('merges inline (embedded) structs into the parent object', () => {
    const vol = pb([1, 2, 'data'], [2, 2, pb([2, 2, pb([1, 2, 'Memory'])])]);
    const raw = pb([2, 2, pb([1, 2, vol])]);
    expect((decodeProtobufObject(envelope('v1', 'Pod', raw)) as any).spec.volumes).toEqual([{ name: 'data', emptyDir: { medium: 'Memory' } }]);
  });

  it('keeps a "__proto__" map key as plain data', () => {
    const raw = pb([1, 2, pb([1, 2, 'n'], [11, 2, pb([1, 2, '__proto__'], [2, 2, 'x'])])]);
    const obj = decodeProtobufObject(envelope('v1', 'Namespace', raw));
    expect(Object.getPrototypeOf(obj.metadata.labels)).toBe(Object.prototype);
    expect(Object.keys(obj.metadata.labels as object)).toEqual(['__proto__']);
  });

  it('writes empty contentEncoding and contentType, like client-go', () => {
    const body = encodeProtobufObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
    expect(body.subarray(-4).toString('hex')).toBe('1a002200');
  });

  it('accepts DeleteOptions under any group version', () => {
    const body = envelope('apps/v1', 'DeleteOptions', pb([1, 0, 0], [4, 2, 'Orphan']));
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'apps/v1', kind: 'DeleteOptions', metadata: {}, gracePeriodSeconds: 0, propagationPolicy: 'Orphan' });
  });
});

describe('malformed input is a 400 (or 415), never a crash', () => {
  const valid = () => fixture('deployment');

  it.each([
    ['an empty body', Buffer.alloc(0), /magic bytes 6b387300.*an empty body/],
    ['no magic', Buffer.from('0a0b0c0d0e0f', 'hex'), /magic bytes/],
    ['a JSON body', Buffer.from('{"kind":"Pod"}'), /looks like JSON/],
    ['only the magic', PROTOBUF_MAGIC, /lacks typeMeta/],
    ['a truncated body', valid().subarray(0, 60), /malformed protobuf/],
    ['garbage after the magic', Buffer.concat([PROTOBUF_MAGIC, Buffer.from('ffffffffffffffffffff', 'hex')]), /malformed protobuf envelope/],
    ['a field number 0', Buffer.concat([PROTOBUF_MAGIC, Buffer.from('0001', 'hex')]), /malformed protobuf envelope/],
    ['a missing kind', Buffer.concat([PROTOBUF_MAGIC, pb([1, 2, pb([1, 2, 'v1'])])]), /lacks typeMeta/],
    ['a gzip contentEncoding', envelope('v1', 'Namespace', Buffer.alloc(0), pb([3, 2, 'gzip'])), /contentEncoding "gzip"/],
    ['a JSON contentType', envelope('v1', 'Namespace', Buffer.alloc(0), pb([4, 2, 'application/json'])), /contentType "application\/json"/],
  ])('%s', (_name, body, message) => {
    const err = apiError(() => decodeProtobufObject(body));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(message);
  });

  it('names the field whose wire type is wrong', () => {
    const raw = pb([1, 2, pb([1, 0, 5])]); // metadata.name as a varint
    expect(apiError(() => decodeProtobufObject(envelope('v1', 'Namespace', raw))).message).toBe('malformed protobuf v1, Kind=Namespace: metadata.name: wire type 0 where the schema expects 2');
  });

  it('names the nested field whose length overruns', () => {
    const raw = Buffer.concat([pb([1, 2, pb([1, 2, 'n'])]), Buffer.from([0x12, 0x05, 0x0a, 0x10])]);
    expect(apiError(() => decodeProtobufObject(envelope('v1', 'Namespace', raw))).message).toMatch(/spec.*runs past the end|index out of range/);
  });

  it('refuses an int64 beyond what JSON numbers hold exactly', () => {
    const raw = pb([1, 2, Buffer.from([0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]); // generation = 2^63-1
    expect(apiError(() => decodeProtobufObject(envelope('v1', 'Namespace', raw))).message).toMatch(/metadata\.generation: int64 value/);
  });

  it('answers an unknown kind with 415 and tells the client to send JSON', () => {
    const err = apiError(() => decodeProtobufObject(envelope('apps/v1', 'StatefulSet', Buffer.alloc(0))));
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toBe('unsupported kind for protobuf decoding: apps/v1, Kind=StatefulSet; send JSON');
  });

  it('survives deeply nested unknown groups', () => {
    // Unknown field 9 opens a group holding 500 nested groups: past protobufjs' recursion limit.
    const nested = Buffer.concat([Buffer.from([0x4b]), Buffer.alloc(500, 0x1b), Buffer.alloc(500, 0x1c), Buffer.from([0x4c])]);
    const raw = Buffer.concat([pb([1, 2, pb([1, 2, 'n'])]), nested]);
    const err = apiError(() => decodeProtobufObject(envelope('v1', 'Namespace', raw)));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(/max depth exceeded/);
  });

  it('every truncation of every captured body fails cleanly or decodes', () => {
    for (const name of captured) {
      const body = fixture(name);
      for (let n = 0; n < body.length; n++) {
        try {
          decodeProtobufObject(body.subarray(0, n));
        } catch (err) {
          if (!(err instanceof ApiError)) throw new Error(`${name} cut at ${n}: ${String(err)}`);
          expect([400, 415]).toContain(err.code);
        }
      }
    }
  });

  it('random bytes and random corruptions never escape as anything but ApiError', () => {
    const bodies = captured.map(fixture);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bodies.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.uint8Array({ maxLength: 64 }), (i, flips, tail) => {
        const body = Buffer.from(bodies[i]);
        for (const [pos, byte] of flips) body[4 + (pos % (body.length - 4))] = byte;
        for (const candidate of [body, Buffer.concat([PROTOBUF_MAGIC, Buffer.from(tail)])]) {
          try {
            const obj = decodeProtobufObject(candidate);
            expect(typeof obj.metadata).toBe('object');
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
          }
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});

describe('encodeProtobufObject refuses what it cannot represent', () => {
  it('fails on a field the schema lacks, naming its path', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1, fancyNewField: true } };
    expect(() => encodeProtobufObject(d)).toThrow('spec.fancyNewField: field not in the protobuf schema for apps.v1.DeploymentSpec');
    expect(decodeProtobufObject(encodeProtobufObject(d, { dropUnknownFields: true }))).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1 } });
  });

  it('fails on wrongly typed values', () => {
    const bad = (spec: unknown) => () => encodeProtobufObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec });
    expect(bad({ replicas: '3' })).toThrow('spec.replicas: expected a 32-bit integer, got string "3"');
    expect(bad({ replicas: 2 ** 31 })).toThrow(/32-bit integer/);
    expect(bad({ paused: 1 })).toThrow('spec.paused: expected a boolean, got number 1');
    expect(bad({ strategy: { rollingUpdate: { maxSurge: 1.5 } } })).toThrow('spec.strategy.rollingUpdate.maxSurge: expected an integer or a string');
    expect(bad({ template: { spec: { containers: { name: 'x' } } } })).toThrow('spec.template.spec.containers: expected a list, got an object');
  });

  it('fails on an unsupported kind or a missing apiVersion/kind', () => {
    expect(() => encodeProtobufObject({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: {} })).toThrow(/unsupported kind for protobuf encoding/);
    expect(() => encodeProtobufObject({ metadata: {} })).toThrow(/needs apiVersion and kind/);
  });
});
