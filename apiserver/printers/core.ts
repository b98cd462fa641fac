/**
 * Printers for core/v1 kinds other than Pod and Event (PRINTERS.md §2–§6, §8, §9, §12
 * for ReplicationController, §21, §22, §23 for PodTemplate, ResourceQuota and
 * ComponentStatus).
 *
 * Upstream prints the *internal* object after API defaulting, so where a default changes
 * a cell (Service type ClusterIP, port protocol TCP, Namespace phase Active, PV reclaim
 * policy Retain and volumeMode Filesystem, …) the printer applies it to an absent field
 * rather than trusting that our storage defaulted it.
 */
import type {
  ComponentStatus,
  ConfigMap,
  Endpoints,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
  ServicePort,
} from 'kubernetes-types/core/v1';
import { ageSince } from './duration';
import { containerCells, formatAccessModes, formatLabelMap, joinHostPort, listWithMore, loadBalancerAddresses } from './format';
import { canonicalQuantity } from '../../shared/quantity';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, SELECTOR_COLUMN, column, definePrinter, wide } from './table';

// ---------------------------------------------------------------------------------------
// Node (§2)

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** Only the Ready condition counts; a kubelet that never reported one reads Unknown. */
function nodeStatus(node: Node): string {
  // Upstream indexes conditions by type, so the last Ready condition wins.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` keys (value ignored) and `kubernetes.io/role=<role>`. */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

function orUnknown(s: string | undefined): string {
  return s ? s : '<unknown>';
}

export const nodePrinter = definePrinter<Node>(
  [
    NAME_COLUMN,
    column('Status', 'string', 'Ready, NotReady or Unknown from the Ready condition; SchedulingDisabled when cordoned.'),
    column('Roles', 'string', 'Roles from node-role.kubernetes.io/<role> labels.'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet version reported by the node.'),
    wide('Internal-IP', 'string', 'First InternalIP address of the node.'),
    wide('External-IP', 'string', 'First ExternalIP address of the node.'),
    wide('OS-Image', 'string', 'Operating system image reported by the node.'),
    wide('Kernel-Version', 'string', 'Kernel version reported by the node.'),
    wide('Container-Runtime', 'string', 'Container runtime name and version reported by the node.'),
  ],
  (node, { now }) => {
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      ageSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      orUnknown(info?.osImage),
      orUnknown(info?.kernelVersion),
      orUnknown(info?.containerRuntimeVersion),
    ];
  },
);

// ---------------------------------------------------------------------------------------
// Namespace, ConfigMap, Secret, ServiceAccount (§3–§6)

export const namespacePrinter = definePrinter<Namespace>(
  [NAME_COLUMN, column('Status', 'string', 'The namespace phase: Active or Terminating.'), AGE_COLUMN],
  // Defaulting sets an absent phase to Active.
  (ns, { now }) => [ns.metadata?.name ?? '', ns.status?.phase || 'Active', ageSince(ns.metadata?.creationTimestamp, now)],
);

export const configMapPrinter = definePrinter<ConfigMap>(
  [NAME_COLUMN, column('Data', 'string', 'Number of keys in data and binaryData.'), AGE_COLUMN],
  (cm, { now }) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    ageSince(cm.metadata?.creationTimestamp, now),
  ],
);

export const secretPrinter = definePrinter<Secret>(
  [NAME_COLUMN, column('Type', 'string', 'The secret type, e.g. Opaque or kubernetes.io/tls.'), column('Data', 'string', 'Number of keys in data.'), AGE_COLUMN],
  (secret, { now }) => {
    // The server merges stringData into data on write; count the union in case it did not.
    const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
    return [secret.metadata?.name ?? '', secret.type || 'Opaque', keys.size, ageSince(secret.metadata?.creationTimestamp, now)];
  },
);

export const serviceAccountPrinter = definePrinter<ServiceAccount>(
  [NAME_COLUMN, column('Secrets', 'string', 'Number of secrets listed on the service account.'), AGE_COLUMN],
  (sa, { now }) => [sa.metadata?.name ?? '', sa.secrets?.length ?? 0, ageSince(sa.metadata?.creationTimestamp, now)],
);

// ---------------------------------------------------------------------------------------
// Service (§8)

/** PORT(S): `80/TCP`, or `80:30080/TCP` when a node port is allocated; `<none>` if no ports. */
export function formatServicePorts(ports: readonly ServicePort[] | undefined): string {
  const list = ports ?? [];
  if (list.length === 0) return '<none>';
  return list
    .map((p) => {
      const protocol = p.protocol || 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
}

function serviceExternalIP(svc: Service, type: string): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const servicePrinter = definePrinter<Service>(
  [
    NAME_COLUMN,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The primary cluster IP, None for headless services.'),
    column('External-IP', 'string', 'External IPs and load-balancer ingress points.'),
    column('Port(s)', 'string', 'Service ports as port[:nodePort]/protocol.'),
    AGE_COLUMN,
    wide('Selector', 'string', 'Label selector choosing the service backends.'),
  ],
  (svc, { now }) => {
    const type = svc.spec?.type || 'ClusterIP';
    // v1 → internal conversion fills clusterIPs from the singular clusterIP when absent.
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      svc.metadata?.name ?? '',
      type,
      clusterIP,
      serviceExternalIP(svc, type),
      formatServicePorts(svc.spec?.ports),
      ageSince(svc.metadata?.creationTimestamp, now),
      formatLabelMap(svc.spec?.selector),
    ];
  },
);

// ---------------------------------------------------------------------------------------
// Endpoints (§9)

const MAX_LISTED = 3;

/** Ready addresses only, port-major (every address for port 1, then port 2 …), first 3 shown. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const listed: string[] = [];
  let total = 0;
  const offer = (entry: string): void => {
    total++;
    if (listed.length < MAX_LISTED) listed.push(entry);
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may publish addresses without ports.
      for (const a of addresses) offer(a.ip);
      continue;
    }
    for (const port of ports) for (const a of addresses) offer(joinHostPort(a.ip, port.port));
  }
  // Subsets with only not-ready addresses give "", deliberately not `<none>`.
  return listWithMore(listed, total, MAX_LISTED);
}

export const endpointsPrinter = definePrinter<Endpoints>(
  [NAME_COLUMN, column('Endpoints', 'string', 'Ready endpoint addresses as ip:port, first three shown.'), AGE_COLUMN],
  (ep, { now }) => [ep.metadata?.name ?? '', formatEndpoints(ep), ageSince(ep.metadata?.creationTimestamp, now)],
);

// ---------------------------------------------------------------------------------------
// PersistentVolume / PersistentVolumeClaim (§21, §22)

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The legacy annotation, when present (even empty), wins over spec.storageClassName. */
function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  const annotations = obj.metadata?.annotations ?? {};
  if (Object.prototype.hasOwnProperty.call(annotations, BETA_STORAGE_CLASS_ANNOTATION)) return annotations[BETA_STORAGE_CLASS_ANNOTATION];
  return obj.spec?.storageClassName ?? '';
}

export const persistentVolumePrinter = definePrinter<PersistentVolume>(
  [
    NAME_COLUMN,
    column('Capacity', 'string', 'Storage capacity of the volume.'),
    column('Access Modes', 'string', 'Access modes: RWO, ROX, RWX, RWOP.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
    column('Status', 'string', 'The volume phase, or Terminating when being deleted.'),
    column('Claim', 'string', 'namespace/name of the bound claim.'),
    column('StorageClass', 'string', 'Storage class of the volume.'),
    column('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    column('Reason', 'string', 'Reason for the current phase.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  (pv, { now }) => {
    const spec = pv.spec ?? {};
    const claimRef = spec.claimRef;
    return [
      pv.metadata?.name ?? '',
      canonicalQuantity(spec.capacity?.storage),
      formatAccessModes(spec.accessModes),
      // Defaulting: an unspecified reclaim policy is Retain, an unspecified phase Pending.
      spec.persistentVolumeReclaimPolicy || 'Retain',
      pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase || 'Pending',
      claimRef ? `${claimRef.namespace ?? ''}/${claimRef.name ?? ''}` : '',
      storageClassOf(pv),
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      ageSince(pv.metadata?.creationTimestamp, now),
      spec.volumeMode ?? 'Filesystem',
    ];
  },
);

export const persistentVolumeClaimPrinter = definePrinter<PersistentVolumeClaim>(
  [
    NAME_COLUMN,
    column('Status', 'string', 'The claim phase (Pending, Bound, Lost), or Terminating when being deleted.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'Capacity of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume.'),
    column('StorageClass', 'string', 'Storage class requested by the claim.'),
    column('VolumeAttributesClass', 'string', 'Volume attributes class requested by the claim.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  (pvc, { now }) => {
    const spec = pvc.spec ?? {};
    const volumeName = spec.volumeName ?? '';
    // Capacity and access modes describe the bound volume, so they stay blank until binding.
    const bound = volumeName !== '';
    return [
      pvc.metadata?.name ?? '',
      pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase || 'Pending',
      volumeName,
      bound ? canonicalQuantity(pvc.status?.capacity?.storage) : '',
      bound ? formatAccessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      spec.volumeAttributesClassName ? spec.volumeAttributesClassName : '<unset>',
      ageSince(pvc.metadata?.creationTimestamp, now),
      spec.volumeMode ?? 'Filesystem',
    ];
  },
);

// ---------------------------------------------------------------------------------------
// ReplicationController (§12), PodTemplate, ResourceQuota, ComponentStatus (§23)

export const replicationControllerPrinter = definePrinter<ReplicationController>(
  [
    NAME_COLUMN,
    column('Desired', 'integer', 'Desired number of replicas.'),
    column('Current', 'integer', 'Number of replicas that exist.'),
    column('Ready', 'integer', 'Number of ready replicas.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (rc, { now }) => {
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    // Defaulting: replicas 1; an empty selector is copied from the template's labels.
    const selector = rc.spec?.selector && Object.keys(rc.spec.selector).length > 0 ? rc.spec.selector : rc.spec?.template?.metadata?.labels;
    return [
      rc.metadata?.name ?? '',
      rc.spec?.replicas ?? 1,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      ageSince(rc.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelMap(selector),
    ];
  },
);

export const podTemplatePrinter = definePrinter<PodTemplate>(
  [
    NAME_COLUMN,
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images of the containers in the template.'),
    column('Pod Labels', 'string', 'Labels of the pod template.'),
  ],
  (pt) => {
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata?.name ?? '', names, images, formatLabelMap(pt.template?.metadata?.labels)];
  },
);

/** `<res>: <used>/<hard>` for every hard limit, sorted; `limits.*` go to LIMIT, the rest to REQUEST. */
function quotaCells(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${canonicalQuantity(used[name])}/${canonicalQuantity(hard[name])}`;
    (name.startsWith('limits.') ? limit : request).push(entry);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaPrinter = definePrinter<ResourceQuota>(
  // v1.32 order: AGE second (it moved to the end only in v1.33).
  [NAME_COLUMN, AGE_COLUMN, column('Request', 'string', 'Used/hard for every non-limit resource.'), column('Limit', 'string', 'Used/hard for every limits.* resource.')],
  (rq, { now }) => [rq.metadata?.name ?? '', ageSince(rq.metadata?.creationTimestamp, now), ...quotaCells(rq)],
);

export const componentStatusPrinter = definePrinter<ComponentStatus>(
  [
    NAME_COLUMN,
    column('Status', 'string', 'Healthy, Unhealthy or Unknown.'),
    column('Message', 'string', 'Message of the Healthy condition.'),
    column('Error', 'string', 'Error of the Healthy condition.'),
  ],
  (cs) => {
    const healthy = (cs.conditions ?? []).find((c) => c.type === 'Healthy');
    const status = healthy === undefined ? 'Unknown' : healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
    return [cs.metadata?.name ?? '', status, healthy?.message ?? '', healthy?.error ?? ''];
  },
);
