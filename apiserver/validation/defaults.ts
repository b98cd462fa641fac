/**
 * Defaulting, as kube-apiserver 1.32 applies it on create and update before validation:
 * the scheme's SetDefaults_* functions, the few registry/admission steps whose results
 * every client sees (ServiceAccount, Priority and DefaultTolerationSeconds admission on
 * Pods, Namespace finalizers, the Job selector, Secret `stringData` folding), so that
 * `kubectl get -o yaml` and `describe` print what they print against a real cluster.
 *
 * `applyDefaults` mutates its argument and is idempotent: every default is "set when
 * absent", so running it twice, or on an object that was already defaulted, changes
 * nothing. Not here: ClusterIP/NodePort allocation, uid/resourceVersion/timestamps.
 */
import type { KObject } from '../../shared/api/types';
import type { ResourceInfo } from '../registry/resources';
import { arr, child, isObj, obj, objs, setDefault, str, type J } from './util';

/** Upstream values, named as Kubernetes names them. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const DEFAULT_TOLERATION_SECONDS = 300;
export const TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** 0644: the default file mode of secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 0o644;

const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

// ---------------------------------------------------------------- containers

/**
 * Always for `:latest` or no tag (and no digest), IfNotPresent otherwise — including for
 * an empty or unparseable reference, as upstream ignores the parse error there.
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (!image || image.includes('@') || /[A-Z\s]/.test(image.split(':')[0])) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    setDefault(h.httpGet, 'path', '/');
    setDefault(h.httpGet, 'scheme', 'HTTP');
  }
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  defaultHandler(p);
}

function defaultContainer(c: J): void {
  setDefault(c, 'terminationMessagePath', TERMINATION_MESSAGE_PATH);
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(str(c.image)));
  // Container.resources is a struct, not a pointer, in Go: it always serializes.
  setDefault(c, 'resources', {});
  for (const p of objs(c.ports)) setDefault(p, 'protocol', 'TCP');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
  for (const e of objs(c.env)) {
    const vf = obj(e.valueFrom);
    if (isObj(vf.fieldRef)) setDefault(vf.fieldRef, 'apiVersion', 'v1');
    if (isObj(vf.resourceFieldRef)) setDefault(vf.resourceFieldRef, 'divisor', '0');
  }
}

function defaultVolume(v: J): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  // A volume with no source is an emptyDir (SetDefaults_Volume).
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) if (isObj(v[k])) setDefault(v[k], 'defaultMode', DEFAULT_VOLUME_MODE);
  if (isObj(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObj(v.downwardAPI)) for (const item of objs(v.downwardAPI.items)) if (isObj(item.fieldRef)) setDefault(item.fieldRef, 'apiVersion', 'v1');
  if (isObj(v.iscsi)) setDefault(v.iscsi, 'iscsiInterface', 'default');
  if (isObj(v.projected)) {
    for (const src of objs(v.projected.sources)) {
      if (isObj(src.serviceAccountToken)) setDefault(src.serviceAccountToken, 'expirationSeconds', 3600);
      if (isObj(src.downwardAPI)) for (const item of objs(src.downwardAPI.items)) if (isObj(item.fieldRef)) setDefault(item.fieldRef, 'apiVersion', 'v1');
    }
  }
}

/** SetDefaults_PodSpec and its nested defaulters: applies to Pods and every pod template. */
export function defaultPodSpec(spec: J): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  setDefault(spec, 'schedulerName', DEFAULT_SCHEDULER_NAME);
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers), ...objs(spec.ephemeralContainers)]) defaultContainer(c);
  for (const v of objs(spec.volumes)) defaultVolume(v);
}

function defaultTemplate(tpl: unknown): void {
  if (!isObj(tpl)) return;
  if (isObj(tpl.spec)) defaultPodSpec(tpl.spec);
}

/** SetDefaults_Pod plus the admission plugins every real cluster runs on pod create. */
function defaultPod(pod: J): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  // Requests default to limits where only limits are given.
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) {
    const res = obj(c.resources);
    if (!isObj(res.limits)) continue;
    const requests = isObj(res.requests) ? res.requests : {};
    for (const [name, q] of Object.entries(res.limits)) setDefault(requests, name, q);
    res.requests = requests;
  }
  if (spec.hostNetwork === true) {
    for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) for (const p of objs(c.ports)) setDefault(p, 'hostPort', p.containerPort);
  }
  // ServiceAccount admission: the namespace's `default` account, mirrored into the deprecated field.
  setDefault(spec, 'serviceAccountName', str(spec.serviceAccount) || 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  // Priority admission, with no PriorityClass in play.
  if (!str(spec.priorityClassName)) setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  // DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 300s.
  const tolerations = objs(spec.tolerations);
  const tolerates = (key: string) => tolerations.some((t) => (t.key === key || !str(t.key)) && (t.effect === 'NoExecute' || !str(t.effect)));
  const add: J[] = [];
  if (!tolerates(TAINT_NOT_READY)) add.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  if (!tolerates(TAINT_UNREACHABLE)) add.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  if (add.length) spec.tolerations = [...arr(spec.tolerations), ...add];
}

// ---------------------------------------------------------------- workloads

function defaultDeployment(d: J): void {
  const spec = child(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec.template);
}

function defaultDaemonSet(ds: J): void {
  const spec = child(ds, 'spec');
  const us = child(spec, 'updateStrategy');
  setDefault(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(spec.template);
}

function defaultStatefulSet(sts: J): void {
  const spec = child(sts, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const us = child(spec, 'updateStrategy');
  setDefault(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') setDefault(child(us, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  for (const pvc of objs(spec.volumeClaimTemplates)) {
    setDefault(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(pvc, 'status'), 'phase', 'Pending');
  }
  defaultTemplate(spec.template);
}

/**
 * The selector and labels the Job registry generates when `manualSelector` is not set.
 * Needs `metadata.uid`, so the registry must assign the uid before defaulting a Job.
 */
export function generateJobSelector(job: J): void {
  const spec = child(job, 'spec');
  const uid = str(obj(job.metadata).uid);
  if (spec.manualSelector === true || !uid || isObj(spec.selector)) return;
  const name = str(obj(job.metadata).name);
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const meta = child(child(spec, 'template'), 'metadata');
  const labels = child(meta, 'labels');
  setDefault(labels, 'batch.kubernetes.io/controller-uid', uid);
  setDefault(labels, 'batch.kubernetes.io/job-name', name);
  setDefault(labels, 'controller-uid', uid);
  setDefault(labels, 'job-name', name);
}

function defaultJobSpecCommon(spec: J): void {
  defaultTemplate(spec.template);
}

function defaultJob(job: J): void {
  const spec = child(job, 'spec');
  // A non-parallel job may leave both unset; then both are 1. Setting only one leaves the other alone
  // (completions stays unset for a work-queue job that sets only parallelism).
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  for (const rule of objs(obj(spec.podFailurePolicy).rules)) for (const c of objs(rule.onPodConditions)) setDefault(c, 'status', 'True');
  // Job labels default to the template's (before the generated selector labels are added).
  const tplLabels = obj(obj(obj(spec.template).metadata).labels);
  const meta = child(job, 'metadata');
  if (Object.keys(tplLabels).length && Object.keys(obj(meta.labels)).length === 0) meta.labels = { ...tplLabels };
  generateJobSelector(job);
  defaultJobSpecCommon(spec);
}

function defaultCronJob(cj: J): void {
  const spec = child(cj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  defaultJobSpecCommon(obj(obj(spec.jobTemplate).spec));
}

function defaultReplicationController(rc: J): void {
  const spec = child(rc, 'spec');
  const tplLabels = obj(obj(obj(spec.template).metadata).labels);
  if (Object.keys(tplLabels).length) {
    if (Object.keys(obj(spec.selector)).length === 0) spec.selector = { ...tplLabels };
    const meta = child(rc, 'metadata');
    if (Object.keys(obj(meta.labels)).length === 0) meta.labels = { ...tplLabels };
  }
  setDefault(spec, 'replicas', 1);
  defaultTemplate(spec.template);
}

function defaultHPA(hpa: J): void {
  const spec = child(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (arr(spec.metrics).length === 0) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
}

// ---------------------------------------------------------------- core / networking / storage

function defaultService(svc: J): void {
  const spec = child(svc, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') setDefault(child(child(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  for (const p of objs(spec.ports)) {
    setDefault(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  if (type === 'ExternalName') return;
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && arr(spec.externalIPs).length > 0);
  if (externallyAccessible) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  // Single-stack IPv4 cluster: what the IP allocator records. Selector-less headless
  // services ask for dual-stack (there is no ClusterIP to constrain them).
  const headlessNoSelector = spec.clusterIP === 'None' && Object.keys(obj(spec.selector)).length === 0;
  setDefault(spec, 'ipFamilyPolicy', headlessNoSelector ? 'RequireDualStack' : 'SingleStack');
  setDefault(spec, 'ipFamilies', ['IPv4']);
}

function defaultNamespace(ns: J): void {
  const meta = child(ns, 'metadata');
  // SetDefaults_Namespace: every namespace is selectable by its own name.
  if (str(meta.name)) setDefault(child(meta, 'labels'), 'kubernetes.io/metadata.name', meta.name);
  const spec = child(ns, 'spec');
  setDefault(spec, 'finalizers', ['kubernetes']);
  setDefault(child(ns, 'status'), 'phase', 'Active');
}

/** `stringData` is write-only: folded into base64 `data` on decode, as kube-apiserver converts it. */
function defaultSecret(secret: J): void {
  setDefault(secret, 'type', 'Opaque');
  if (isObj(secret.stringData)) {
    const data = child(secret, 'data');
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
    delete secret.stringData;
  }
}

function defaultPVC(pvc: J): void {
  setDefault(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
  setDefault(child(pvc, 'status'), 'phase', 'Pending');
}

function defaultPV(pv: J): void {
  const spec = child(pv, 'spec');
  setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
  if (isObj(spec.hostPath)) setDefault(spec.hostPath, 'type', '');
  setDefault(child(pv, 'status'), 'phase', 'Pending');
}

function defaultNode(node: J): void {
  const status = obj(node.status);
  if (isObj(status.capacity) && !isObj(status.allocatable)) status.allocatable = { ...status.capacity };
}

function defaultEndpoints(ep: J): void {
  for (const ss of objs(ep.subsets)) for (const p of objs(ss.ports)) setDefault(p, 'protocol', 'TCP');
}

function defaultEndpointSlice(es: J): void {
  for (const p of objs(es.ports)) {
    setDefault(p, 'name', '');
    setDefault(p, 'protocol', 'TCP');
  }
}

function defaultNetworkPolicy(np: J): void {
  const spec = child(np, 'spec');
  for (const dir of ['ingress', 'egress']) for (const rule of objs(spec[dir])) for (const p of objs(rule.ports)) setDefault(p, 'protocol', 'TCP');
  if (arr(spec.policyTypes).length === 0) spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function defaultLimitRange(lr: J): void {
  // A container limit's max is its default limit, and the default limit its default request.
  for (const item of objs(obj(lr.spec).limits)) {
    if (item.type !== 'Container') continue;
    const def = child(item, 'default');
    for (const [r, q] of Object.entries(obj(item.max))) setDefault(def, r, q);
    const req = child(item, 'defaultRequest');
    for (const [r, q] of Object.entries(def)) setDefault(req, r, q);
    for (const [r, q] of Object.entries(obj(item.min))) setDefault(req, r, q);
    if (Object.keys(def).length === 0) delete item.default;
    if (Object.keys(req).length === 0) delete item.defaultRequest;
  }
}

const DEFAULTERS: Record<string, (o: J) => void> = {
  '/Pod': defaultPod,
  '/PodTemplate': (pt) => defaultTemplate(pt.template),
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/PersistentVolumeClaim': defaultPVC,
  '/PersistentVolume': defaultPV,
  '/Node': defaultNode,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': (rs) => {
    setDefault(child(rs, 'spec'), 'replicas', 1);
    defaultTemplate(rs.spec.template);
  },
  'apps/DaemonSet': defaultDaemonSet,
  'apps/StatefulSet': defaultStatefulSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'autoscaling/HorizontalPodAutoscaler': defaultHPA,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'scheduling.k8s.io/PriorityClass': (pc) => setDefault(pc, 'preemptionPolicy', 'PreemptLowerPriority'),
  'storage.k8s.io/StorageClass': (sc) => {
    setDefault(sc, 'reclaimPolicy', 'Delete');
    setDefault(sc, 'volumeBindingMode', 'Immediate');
  },
};

/** Fill in Kubernetes' defaults for resource `r` in place. Idempotent. */
export function applyDefaults(r: ResourceInfo, o: KObject): void {
  const fn = DEFAULTERS[`${r.group}/${r.kind}`];
  if (fn) fn(o as J);
}
