/**
 * Defaulting: what kube-apiserver 1.32 fills in (checked against `kubectl get -o yaml`
 * of the same manifests), and that applying defaults twice changes nothing.
 */
import { applyDefaults } from '../../apiserver/validation/defaults';
import { defaultPullPolicy } from '../../apiserver/validation/defaults';
import { findByKind } from '../../apiserver/registry/resources';
import type { KObject } from '../../shared/api/types';
import { clone } from '../../shared/api/types';

function defaulted(group: string, kind: string, o: Record<string, unknown>): KObject {
  const r = findByKind(group, group === '' ? 'v1' : group === 'autoscaling' ? 'v2' : 'v1', kind);
  if (!r) throw new Error(`no resource ${group}/${kind}`);
  const obj = clone({ metadata: { name: 'x', namespace: 'default' }, ...o }) as KObject;
  applyDefaults(r, obj);
  // idempotent: a second pass changes nothing
  const again = clone(obj);
  applyDefaults(r, again);
  expect(again).toEqual(obj);
  return obj;
}

const container = { name: 'web', image: 'nginx' };

describe('pod defaults', () => {
  it('fills the pod spec, containers and admission defaults like a real cluster', () => {
    const pod = defaulted('', 'Pod', { spec: { containers: [{ ...container, ports: [{ containerPort: 80 }] }] } });
    expect(pod.spec).toEqual({
      containers: [{
        name: 'web', image: 'nginx', imagePullPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      }],
      dnsPolicy: 'ClusterFirst', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0, restartPolicy: 'Always',
      schedulerName: 'default-scheduler', securityContext: {}, serviceAccount: 'default', serviceAccountName: 'default', terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    });
  });

  it.each([
    ['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.25', 'IfNotPresent'], ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'], ['busybox@sha256:abcd', 'IfNotPresent'], ['gcr.io/kuar-demo/kuard-amd64:blue', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('keeps given values and an explicit toleration for not-ready', () => {
    const pod = defaulted('', 'Pod', {
      spec: {
        restartPolicy: 'Never', serviceAccountName: 'builder', terminationGracePeriodSeconds: 5,
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
        containers: [{ ...container, imagePullPolicy: 'Never' }],
      },
    });
    const spec = pod.spec as Record<string, any>;
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.serviceAccountName).toBe('builder');
    expect(spec.serviceAccount).toBe('builder');
    expect(spec.terminationGracePeriodSeconds).toBe(5);
    expect(spec.containers[0].imagePullPolicy).toBe('Never');
    expect(spec.tolerations.map((t: any) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/not-ready=10', 'node.kubernetes.io/unreachable=300']);
  });

  it('a toleration of everything suppresses the default ones', () => {
    const pod = defaulted('', 'Pod', { spec: { tolerations: [{ operator: 'Exists' }], containers: [container] } });
    expect((pod.spec as any).tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('defaults probes, httpGet, env fieldRef, volumes, init containers and requests from limits', () => {
    const pod = defaulted('', 'Pod', {
      spec: {
        initContainers: [{ name: 'init', image: 'busybox:1.36' }],
        containers: [{
          ...container,
          livenessProbe: { httpGet: { port: 8080 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 3 },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
        }],
        volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', secret: { secretName: 's' } }, { name: 'd' }, { name: 'e', hostPath: { path: '/tmp' } }],
      },
    });
    const spec = pod.spec as any;
    expect(spec.initContainers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', resources: {} });
    expect(spec.containers[0].livenessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(spec.containers[0].readinessProbe.periodSeconds).toBe(3);
    expect(spec.containers[0].env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    expect(spec.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(spec.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
      { name: 'c', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'd', emptyDir: {} },
      { name: 'e', hostPath: { path: '/tmp', type: '' } },
    ]);
  });
});

describe('workload defaults', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } };

  it('Deployment', () => {
    const d = defaulted('apps', 'Deployment', { spec: { selector: { matchLabels: { app: 'web' } }, template } });
    const spec = d.spec as any;
    expect(spec).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    });
    // templates get the pod-spec defaults but none of the pod-only admission ones
    expect(spec.template.spec).toEqual({
      containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
    });
  });

  it('Deployment with Recreate gets no rollingUpdate', () => {
    const d = defaulted('apps', 'Deployment', { spec: { strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } }, template } });
    expect((d.spec as any).strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet, DaemonSet, StatefulSet', () => {
    expect((defaulted('apps', 'ReplicaSet', { spec: { template } }).spec as any).replicas).toBe(1);
    expect(defaulted('apps', 'DaemonSet', { spec: { template } }).spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    expect(defaulted('apps', 'StatefulSet', { spec: { template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] } }).spec).toMatchObject({
      replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
  });

  it.each([
    ['neither set', {}, { completions: 1, parallelism: 1 }],
    ['only parallelism', { parallelism: 3 }, { parallelism: 3 }],
    ['only completions', { completions: 5 }, { completions: 5, parallelism: 1 }],
  ])('Job completions/parallelism: %s', (_name, given, expected) => {
    const job = defaulted('batch', 'Job', { spec: { ...given, template: { spec: { restartPolicy: 'Never', containers: [container] } } } });
    const spec = job.spec as any;
    expect({ completions: spec.completions, parallelism: spec.parallelism }).toEqual({ completions: undefined, ...expected });
    expect(spec).toMatchObject({ backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });

  it('Job selector is generated from the uid, and labels copied from the template', () => {
    const job = defaulted('batch', 'Job', {
      metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
      spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [container] } } },
    });
    expect(job.metadata.labels).toEqual({ app: 'pi' });
    expect((job.spec as any).selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect((job.spec as any).template.metadata.labels).toEqual({
      app: 'pi', 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi',
    });
  });

  it('CronJob', () => {
    const cj = defaulted('batch', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } } } });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((cj.spec as any).jobTemplate.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect((cj.spec as any).jobTemplate.spec.backoffLimit).toBeUndefined();
  });

  it('ReplicationController copies template labels to selector and labels; PodTemplate', () => {
    const rc = defaulted('', 'ReplicationController', { spec: { template } });
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'web' } });
    expect((defaulted('', 'PodTemplate', { template }) as any).template.spec.restartPolicy).toBe('Always');
  });
});

describe('service and other defaults', () => {
  it('ClusterIP service', () => {
    const svc = defaulted('', 'Service', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }] } });
    expect(svc.spec).toEqual({
      selector: { app: 'web' }, type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, protocol: 'TCP', targetPort: 'https' }],
    });
  });

  it('NodePort and LoadBalancer get externalTrafficPolicy; ExternalName gets none of the IP fields', () => {
    expect(defaulted('', 'Service', { spec: { type: 'NodePort', ports: [{ port: 80 }] } }).spec).toMatchObject({ externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' });
    expect(defaulted('', 'Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }).spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    expect(defaulted('', 'Service', { spec: { type: 'ExternalName', externalName: 'example.com' } }).spec).toEqual({ type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
    expect(defaulted('', 'Service', { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } }).spec).toMatchObject({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
  });

  it('Namespace, Secret, PVC, PV, Node, EndpointSlice, NetworkPolicy, StorageClass, PriorityClass, HPA, LimitRange', () => {
    expect(defaulted('', 'Namespace', { metadata: { name: 'team' } })).toEqual({
      metadata: { name: 'team', labels: { 'kubernetes.io/metadata.name': 'team' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
    expect(defaulted('', 'Secret', { stringData: { user: 'admin' } })).toMatchObject({ type: 'Opaque', data: { user: 'YWRtaW4=' } });
    expect(defaulted('', 'Secret', { stringData: { user: 'admin' } }).stringData).toBeUndefined();
    expect(defaulted('', 'PersistentVolumeClaim', { spec: { accessModes: ['ReadWriteOnce'] } })).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(defaulted('', 'PersistentVolume', { spec: { hostPath: { path: '/data' } } })).toMatchObject({ spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { type: '' } } });
    expect(defaulted('', 'Node', { status: { capacity: { cpu: '2' } } }).status).toEqual({ capacity: { cpu: '2' }, allocatable: { cpu: '2' } });
    expect(defaulted('discovery.k8s.io', 'EndpointSlice', { addressType: 'IPv4', ports: [{ port: 80 }] }).ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(defaulted('networking.k8s.io', 'NetworkPolicy', { spec: { podSelector: {}, egress: [{}] } }).spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'] });
    expect(defaulted('storage.k8s.io', 'StorageClass', { provisioner: 'x.io/p' })).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(defaulted('scheduling.k8s.io', 'PriorityClass', { value: 10 })).toMatchObject({ preemptionPolicy: 'PreemptLowerPriority' });
    expect(defaulted('autoscaling', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 3 } }).spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect((defaulted('', 'LimitRange', { spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] } }).spec as any).limits[0]).toEqual({ type: 'Container', max: { cpu: '1' }, default: { cpu: '1' }, defaultRequest: { cpu: '1' } });
  });

  it('Ingress pathType and Lease are left alone', () => {
    const ing = { spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } };
    expect(defaulted('networking.k8s.io', 'Ingress', ing)).toEqual({ metadata: { name: 'x', namespace: 'default' }, ...ing });
    expect(defaulted('coordination.k8s.io', 'Lease', { spec: { holderIdentity: 'a' } })).toEqual({ metadata: { name: 'x', namespace: 'default' }, spec: { holderIdentity: 'a' } });
  });
});
