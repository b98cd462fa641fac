/**
 * The table of every resource the API server serves: its group/version, names, scope,
 * short names, categories and subresources. Discovery, routing, storage keys, printing
 * and validation all read this one table, so adding a resource is one entry here.
 */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface SubresourceInfo {
  name: 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'finalize';
  /** Kind the subresource returns/accepts (Scale, Binding, Eviction…). */
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower-case: `pods`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
  /** Does a spec change bump metadata.generation (and status writes only go through /status)? */
  hasStatus: boolean;
}

function sub(name: SubresourceInfo['name'], kind: string, group: string, version: string, verbs: string[]): SubresourceInfo {
  return { name, kind, group, version, verbs };
}

const statusSub = (group: string, version: string, kind: string) => sub('status', kind, group, version, ['get', 'patch', 'update']);
const scaleSub = () => sub('scale', 'Scale', 'autoscaling', 'v1', ['get', 'patch', 'update']);

interface Def {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced?: boolean;
  shortNames?: string[];
  all?: boolean;
  status?: boolean;
  scale?: boolean;
  extra?: SubresourceInfo[];
  verbs?: Verb[];
}

const defs: Def[] = [
  // core/v1
  { group: '', version: 'v1', resource: 'bindings', kind: 'Binding', verbs: ['create'] },
  { group: '', version: 'v1', resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', shortNames: ['ep'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'] },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', shortNames: ['limits'] },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], status: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], extra: [sub('finalize', 'Namespace', '', 'v1', ['update'])] },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], status: true, extra: [sub('proxy', 'NodeProxyOptions', '', 'v1', ['create', 'delete', 'get', 'patch', 'update'])] },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], status: true },
  { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], status: true },
  {
    group: '', version: 'v1', resource: 'pods', kind: 'Pod', shortNames: ['po'], all: true, status: true,
    extra: [
      sub('attach', 'PodAttachOptions', '', 'v1', ['create', 'get']),
      sub('binding', 'Binding', '', 'v1', ['create']),
      sub('eviction', 'Eviction', 'policy', 'v1', ['create']),
      sub('exec', 'PodExecOptions', '', 'v1', ['create', 'get']),
      sub('log', 'Pod', '', 'v1', ['get']),
      sub('portforward', 'PodPortForwardOptions', '', 'v1', ['create', 'get']),
      sub('proxy', 'PodProxyOptions', '', 'v1', ['create', 'delete', 'get', 'patch', 'update']),
    ],
  },
  { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate' },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', shortNames: ['rc'], all: true, status: true, scale: true },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', shortNames: ['quota'], status: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret' },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', shortNames: ['svc'], all: true, status: true, extra: [sub('proxy', 'ServiceProxyOptions', '', 'v1', ['create', 'delete', 'get', 'patch', 'update'])] },
  // apps/v1
  { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision' },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], all: true, status: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], all: true, status: true, scale: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', shortNames: ['rs'], all: true, status: true, scale: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], all: true, status: true, scale: true },
  // batch/v1
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', shortNames: ['cj'], all: true, status: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', all: true, status: true },
  // others
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease' },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice' },
  { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'] },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', shortNames: ['ing'], status: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'] },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], status: true },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], all: true, status: true },
  { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
  { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
];

function build(d: Def): ResourceInfo {
  const subresources: SubresourceInfo[] = [];
  if (d.status) subresources.push(statusSub(d.group, d.version, d.kind));
  if (d.scale) subresources.push(scaleSub());
  if (d.extra) subresources.push(...d.extra);
  subresources.sort((a, b) => a.name.localeCompare(b.name));
  return {
    group: d.group,
    version: d.version,
    resource: d.resource,
    singular: d.kind.toLowerCase(),
    kind: d.kind,
    namespaced: d.namespaced ?? true,
    shortNames: d.shortNames ?? [],
    categories: d.all ? ['all'] : [],
    verbs: d.verbs ?? ALL_VERBS,
    subresources,
    hasStatus: d.status ?? false,
  };
}

export const RESOURCES: readonly ResourceInfo[] = defs.map(build);

/** Group → versions served, preferred first. */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out = new Map<string, string[]>();
  for (const r of RESOURCES) {
    const vs = out.get(r.group) ?? [];
    if (!vs.includes(r.version)) vs.push(r.version);
    out.set(r.group, vs);
  }
  return [...out].map(([group, versions]) => ({ group, versions }));
}

const byGVR = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.resource}`, r]));
const byGVK = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.kind}`, r]));

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byGVR.get(`${group}/${version}/${resource}`);
}

export function findByKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return byGVK.get(`${group}/${version}/${kind}`);
}

/**
 * The storage key prefix, as kube-apiserver lays out etcd: `/registry/pods/`,
 * `/registry/deployments/` (kube-apiserver keeps most groups' resources without a group
 * segment). The two `events` resources (core and events.k8s.io) share one store, as in
 * Kubernetes: they are two views of the same objects.
 */
export function storagePrefix(r: ResourceInfo): string {
  return `/registry/${r.resource}/`;
}

export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${storagePrefix(r)}${namespace}/${name}` : `${storagePrefix(r)}${name}`;
}
