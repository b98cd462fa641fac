/**
 * Validation of the core/v1 kinds without a pod template: Service, ConfigMap, Secret,
 * Namespace, Node, Event (and events.k8s.io Event), PersistentVolume(Claim), Endpoints,
 * ServiceAccount, LimitRange, ResourceQuota, Binding. Paths and wording follow
 * kube-apiserver's core validation.
 */
import { field, GoValue, type FieldCause } from '../../shared/api/errors';
import { validateFinalizerName, validateLabels, validateLabelSelector } from './meta';
import { isCIDR, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidLabelValue, isValidPortNum } from './names';
import { validatePortNumOrName } from './pod';
import { quantityNumber, quantityText } from '../../shared/quantity';
import { arr, deepEqual, FieldPath, goStringSlice, isObj, obj, objs, str, type J } from './util';

const spec = new FieldPath('spec');
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const invalidEach = (path: FieldPath, value: unknown, msgs: string[]): FieldCause[] => msgs.map((m) => field.invalid(path.text, value, m));
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Allocator's NodePort range (kube-apiserver --service-node-port-range default). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
/** Largest Secret/ConfigMap payload (core.MaxSecretSize). */
export const MAX_DATA_SIZE = 1024 * 1024;

// ---------------------------------------------------------------- Service

const isHeadless = (s: J) => s.clusterIP === 'None';
const externallyAccessible = (s: J) => s.type === 'NodePort' || s.type === 'LoadBalancer' || (s.type === 'ClusterIP' && arr(s.externalIPs).length > 0);

export function validateService(svc: J, old?: J): FieldCause[] {
  const s = obj(svc.spec);
  const errs: FieldCause[] = [];
  const type = str(s.type);
  const ports = objs(s.ports);
  if (ports.length === 0 && !isHeadless(s) && type !== 'ExternalName') errs.push(field.required(spec.child('ports').text));
  const clusterIPs: string[] = Array.isArray(s.clusterIPs) ? s.clusterIPs.map(str) : str(s.clusterIP) ? [str(s.clusterIP)] : [];
  if (type === 'LoadBalancer' || type === 'NodePort') {
    if (isHeadless(s)) errs.push(field.invalid(spec.child('clusterIPs').index(0).text, 'None', `may not be set to 'None' for ${type} services`));
    if (type === 'LoadBalancer') {
      ports.forEach((p, i) => {
        if (p.port === 10250) errs.push(field.invalid(spec.child('ports').index(i).text, 10250, 'may not expose port 10250 externally since it is used by kubelet'));
      });
    }
  } else if (type === 'ExternalName') {
    if (clusterIPs.length > 0) errs.push(field.forbidden(spec.child('clusterIPs').text, 'may not be set for ExternalName services'));
    if (arr(s.ipFamilies).length > 0) errs.push(field.forbidden(spec.child('ipFamilies').text, 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) errs.push(field.forbidden(spec.child('ipFamilyPolicy').text, 'may not be set for ExternalName services'));
    const cname = str(s.externalName).replace(/\.$/, '');
    if (cname) errs.push(...invalidEach(spec.child('externalName'), cname, isDNS1123Subdomain(cname)));
    else errs.push(field.required(spec.child('externalName').text));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = spec.child('ports').index(i);
    const name = str(p.name);
    if (ports.length > 1 && !name) errs.push(field.required(pp.child('name').text));
    else if (name) {
      errs.push(...invalidEach(pp.child('name'), name, isDNS1123Label(name)));
      if (names.has(name)) errs.push(field.duplicate(pp.child('name').text, name));
      else names.add(name);
    }
    errs.push(...invalidEach(pp.child('port'), p.port ?? 0, isValidPortNum(Number(p.port ?? 0))));
    const proto = str(p.protocol);
    if (!proto) errs.push(field.required(pp.child('protocol').text));
    else if (!PROTOCOLS.includes(proto)) errs.push(field.notSupported(pp.child('protocol').text, proto, PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, pp.child('targetPort')));
    if (p.nodePort) {
      if (type === 'ClusterIP') errs.push(field.forbidden(pp.child('nodePort').text, "may not be used when `type` is 'ClusterIP'"));
      else if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
        errs.push(field.invalid(pp.child('nodePort').text, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
      }
    }
  });
  errs.push(...validateLabels(s.selector, spec.child('selector')));
  const aff = str(s.sessionAffinity);
  if (!aff) errs.push(field.required(spec.child('sessionAffinity').text));
  else if (aff !== 'ClientIP' && aff !== 'None') errs.push(field.notSupported(spec.child('sessionAffinity').text, aff, ['ClientIP', 'None']));
  if (aff === 'ClientIP') {
    const t = obj(obj(s.sessionAffinityConfig).clientIP).timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) errs.push(field.invalid(spec.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds').text, t ?? 0, 'must be greater than 0 and less than 86400'));
  } else if (isObj(s.sessionAffinityConfig)) {
    errs.push(field.forbidden(spec.child('sessionAffinityConfig').text, `must not be set when session affinity is ${aff}`));
  }
  if (Array.isArray(s.clusterIPs) && s.clusterIP !== undefined && str(s.clusterIPs[0]) !== str(s.clusterIP)) {
    errs.push(field.invalid(spec.child('clusterIPs').text, goStringSlice(s.clusterIPs), 'first value must match `clusterIP`'));
  }
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') return;
    if (!isIP(ip)) errs.push(field.invalid(spec.child('clusterIPs').index(i).text, ip, IP_MESSAGE));
  });
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(str(s.ipFamilyPolicy))) {
    errs.push(field.notSupported(spec.child('ipFamilyPolicy').text, s.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  arr(s.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(spec.child('ipFamilies').index(i).text, f, ['IPv4', 'IPv6']));
  });
  arr(s.externalIPs).forEach((ip, i) => {
    if (!isIP(str(ip))) errs.push(field.invalid(spec.child('externalIPs').index(i).text, str(ip), IP_MESSAGE));
  });
  if (!type) errs.push(field.required(spec.child('type').text));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type)) errs.push(field.notSupported(spec.child('type').text, type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  // (protocol, nodePort) and (protocol, port) pairs are unique.
  const seenNode = new Set<string>();
  const seenPort = new Set<string>();
  ports.forEach((p, i) => {
    const pp = spec.child('ports').index(i);
    if (p.nodePort) {
      const k = `${str(p.protocol)}/${p.nodePort}`;
      if (seenNode.has(k)) errs.push(field.duplicate(pp.child('nodePort').text, p.nodePort));
      seenNode.add(k);
    }
    const k = `${str(p.protocol)}/${p.port}`;
    if (seenPort.has(k)) errs.push(field.duplicate(pp.text, new GoValue(`core.ServicePort{Name:"", Protocol:${JSON.stringify(str(p.protocol))}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)));
    seenPort.add(k);
  });
  const etp = s.externalTrafficPolicy;
  if (!externallyAccessible(s)) {
    if (etp) errs.push(field.invalid(spec.child('externalTrafficPolicy').text, str(etp), 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(field.required(spec.child('externalTrafficPolicy').text));
  else if (etp !== 'Cluster' && etp !== 'Local') errs.push(field.notSupported(spec.child('externalTrafficPolicy').text, etp, ['Cluster', 'Local']));
  const itp = s.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(field.required(spec.child('internalTrafficPolicy').text));
  } else if (itp !== 'Cluster' && itp !== 'Local') errs.push(field.notSupported(spec.child('internalTrafficPolicy').text, itp, ['Cluster', 'Local']));
  if (old) errs.push(...validateServiceUpdate(s, obj(old.spec)));
  return errs;
}

/** The primary ClusterIP may not change once allocated (except to/from ExternalName). */
function validateServiceUpdate(n: J, o: J): FieldCause[] {
  if (n.type === 'ExternalName' || o.type === 'ExternalName') return [];
  const primary = (s: J) => (Array.isArray(s.clusterIPs) && s.clusterIPs.length ? str(s.clusterIPs[0]) : str(s.clusterIP));
  const np = primary(n);
  const op = primary(o);
  if (np && op && np !== op) {
    const shown = Array.isArray(n.clusterIPs) ? n.clusterIPs : [np];
    return [field.invalid(spec.child('clusterIPs').index(0).text, goStringSlice(shown), 'may not change once set')];
  }
  return [];
}

// ---------------------------------------------------------------- ConfigMap / Secret

function validateDataKeys(data: unknown, path: FieldPath): { errs: FieldCause[]; size: number } {
  const errs: FieldCause[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(obj(data))) {
    errs.push(...invalidEach(path.key(k), k, isConfigMapKey(k)));
    size += str(v).length;
  }
  return { errs, size };
}

function immutableData(n: J, o: J, fields: string[]): FieldCause[] {
  if (o.immutable !== true) return [];
  const errs: FieldCause[] = [];
  if (n.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(n[f] ?? {}, o[f] ?? {})) errs.push(field.forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMap(cm: J, old?: J): FieldCause[] {
  const data = validateDataKeys(cm.data, new FieldPath('data'));
  const errs = [...data.errs];
  let size = data.size;
  for (const [k, v] of Object.entries(obj(cm.binaryData))) {
    errs.push(...invalidEach(new FieldPath('binaryData').key(k), k, isConfigMapKey(k)));
    if (k in obj(cm.data)) errs.push(field.invalid(new FieldPath('binaryData').key(k).text, k, 'duplicate of key present in data'));
    size += Math.floor((str(v).length * 3) / 4);
  }
  if (size > MAX_DATA_SIZE) errs.push(field.tooLong('', MAX_DATA_SIZE));
  if (old) errs.push(...immutableData(cm, old, ['data', 'binaryData']));
  return errs;
}

export function validateSecret(secret: J, old?: J): FieldCause[] {
  const dataPath = new FieldPath('data');
  const data = obj(secret.data);
  const { errs, size } = validateDataKeys(data, dataPath);
  // data values are base64; their decoded size is what counts
  if (Math.floor((size * 3) / 4) > MAX_DATA_SIZE) errs.push(field.tooLong(dataPath.text, MAX_DATA_SIZE));
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (str(secret.type)) {
    case 'kubernetes.io/service-account-token':
      if (!str(obj(obj(secret.metadata).annotations)['kubernetes.io/service-account.name'])) errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(field.required(dataPath.key('.dockercfg').text));
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(field.required(dataPath.key('.dockerconfigjson').text));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(field.required(dataPath.key('username').text), field.required(dataPath.key('password').text));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!str(data['ssh-privatekey'])) errs.push(field.required(dataPath.key('ssh-privatekey').text));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(field.required(dataPath.key('tls.crt').text));
      if (!has('tls.key')) errs.push(field.required(dataPath.key('tls.key').text));
      break;
    default:
      break;
  }
  if (old) {
    if (str(secret.type) !== str(old.type)) errs.push(field.invalid('type', str(secret.type), 'field is immutable'));
    errs.push(...immutableData(secret, old, ['data']));
  }
  return errs;
}

// ---------------------------------------------------------------- Namespace / Node / ServiceAccount

export function validateNamespace(ns: J): FieldCause[] {
  const errs: FieldCause[] = [];
  for (const f of arr(obj(ns.spec).finalizers)) errs.push(...validateFinalizerName(str(f), spec.child('finalizers')));
  const phase = obj(ns.status).phase;
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') errs.push(field.notSupported('status.phase', phase, ['Active', 'Terminating']));
  return errs;
}

export function validateTaints(taints: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const seen = new Set<string>();
  objs(taints).forEach((t, i) => {
    const p = path.index(i);
    const key = str(t.key);
    if (!key) errs.push(field.required(p.child('key').text));
    else errs.push(...invalidEach(p.child('key'), key, isQualifiedName(key)));
    if (t.value !== undefined) errs.push(...invalidEach(p.child('value'), str(t.value), isValidLabelValue(str(t.value))));
    const effect = str(t.effect);
    if (!effect) errs.push(field.required(p.child('effect').text));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) errs.push(field.notSupported(p.child('effect').text, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    const k = `${key}:${effect}`;
    if (seen.has(k)) errs.push(field.duplicate(p.text, new GoValue(`core.Taint{Key:${JSON.stringify(key)}, Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(effect)}, TimeAdded:<nil>}`)));
    seen.add(k);
  });
  return errs;
}

export function validateNode(node: J): FieldCause[] {
  const s = obj(node.spec);
  const errs = validateTaints(s.taints, spec.child('taints'));
  const cidrs: string[] = Array.isArray(s.podCIDRs) ? s.podCIDRs.map(str) : str(s.podCIDR) ? [str(s.podCIDR)] : [];
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) errs.push(field.invalid(spec.child('podCIDRs').index(i).text, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if (cidrs.length > 2) errs.push(field.invalid(spec.child('podCIDRs').text, goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
  const st = obj(node.status);
  for (const f of ['capacity', 'allocatable']) {
    for (const [r, q] of Object.entries(obj(st[f]))) {
      const n = quantityNumber(q);
      if (n === undefined || n < 0) errs.push(field.invalid(new FieldPath('status').child(f).key(r).text, quantityText(q), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

export function validateServiceAccount(sa: J): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(sa.secrets).forEach((s, i) => {
    const name = str(s.name);
    if (name) errs.push(...invalidEach(new FieldPath('secrets').index(i).child('name'), name, isDNS1123Subdomain(name)));
  });
  return errs;
}

export function validateBinding(b: J): FieldCause[] {
  const t = obj(b.target);
  const errs: FieldCause[] = [];
  if (str(t.kind) && t.kind !== 'Node') errs.push(field.notSupported('target.kind', t.kind, ['Node', '<empty>']));
  if (!str(t.name)) errs.push(field.required('target.name'));
  return errs;
}

// ---------------------------------------------------------------- Events

/** core/v1 Event (legacyValidateEvent). Stricter than upstream on one point: involvedObject must be present. */
export function validateCoreEvent(ev: J): FieldCause[] {
  const errs: FieldCause[] = [];
  const ns = str(obj(ev.metadata).namespace);
  if (!isObj(ev.involvedObject)) errs.push(field.required('involvedObject'));
  const io = obj(ev.involvedObject);
  const ioNs = str(io.namespace);
  if (!ev.eventTime) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') errs.push(field.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    } else if (ns !== ioNs) errs.push(field.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') errs.push(field.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    if (!str(ev.reportingComponent)) errs.push(field.required('reportingComponent'));
    else errs.push(...invalidEach(new FieldPath('reportingComponent'), ev.reportingComponent, isQualifiedName(str(ev.reportingComponent))));
    if (!str(ev.reportingInstance)) errs.push(field.required('reportingInstance'));
    else if (str(ev.reportingInstance).length > 128) errs.push(field.invalid('reportingInstance', '', 'can have at most 128 characters'));
    if (!str(ev.action)) errs.push(field.required('action'));
    else if (str(ev.action).length > 128) errs.push(field.invalid('action', '', 'can have at most 128 characters'));
    if (!str(ev.reason)) errs.push(field.required('reason'));
    else if (str(ev.reason).length > 128) errs.push(field.invalid('reason', '', 'can have at most 128 characters'));
    if (str(ev.message).length > 1024) errs.push(field.invalid('message', '', 'can have at most 1024 characters'));
  }
  if (ev.type !== undefined && ev.type !== 'Normal' && ev.type !== 'Warning' && ev.eventTime) errs.push(field.invalid('type', '', `has invalid value: ${str(ev.type)}`));
  return errs;
}

/** events.k8s.io/v1 Event: the new-style fields are required. */
export function validateEventsV1Event(ev: J, old?: J): FieldCause[] {
  const errs: FieldCause[] = [];
  if (!ev.eventTime && !old) errs.push(field.required('eventTime'));
  if (!str(ev.reportingController)) errs.push(field.required('reportingController'));
  else errs.push(...invalidEach(new FieldPath('reportingController'), ev.reportingController, isQualifiedName(str(ev.reportingController))));
  if (!str(ev.reportingInstance)) errs.push(field.required('reportingInstance'));
  if (!str(ev.action)) errs.push(field.required('action'));
  if (!str(ev.reason)) errs.push(field.required('reason'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${str(ev.type)}`));
  if (str(ev.note).length > 1024) errs.push(field.invalid('note', '', 'can have at most 1024 characters'));
  if (old) {
    for (const f of ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason', 'regarding', 'related', 'type']) {
      if (!deepEqual(ev[f], old[f])) errs.push(field.invalid(f, ev[f] ?? '', 'field is immutable'));
    }
  }
  return errs;
}

// ---------------------------------------------------------------- PersistentVolume(Claim)

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs', 'iscsi', 'fc',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'local', 'storageos', 'csi',
];

function validateAccessModes(modes: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  let rwop = false;
  let other = false;
  for (const m of arr(modes)) {
    if (!ACCESS_MODES.includes(str(m))) errs.push(field.notSupported(path.text, m, ACCESS_MODES));
    else if (m === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(field.forbidden(path.text, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function goResourceList(v: unknown): GoValue {
  const entries = Object.entries(obj(v)).sort(([a], [b]) => (a < b ? -1 : 1));
  return new GoValue(`core.ResourceList{${entries.map(([k, q]) => `${JSON.stringify(k)}:${JSON.stringify(quantityText(q))}`).join(', ')}}`);
}

export function validatePersistentVolume(pv: J): FieldCause[] {
  const s = obj(pv.spec);
  const errs: FieldCause[] = [];
  if (arr(s.accessModes).length === 0) errs.push(field.required(spec.child('accessModes').text));
  errs.push(...validateAccessModes(s.accessModes, spec.child('accessModes')));
  const capacity = obj(s.capacity);
  if (Object.keys(capacity).length === 0) errs.push(field.required(spec.child('capacity').text));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(field.notSupported(spec.child('capacity').text, goResourceList(capacity), ['storage']));
  for (const [r, q] of Object.entries(capacity)) {
    const n = quantityNumber(q);
    if (n === undefined || n <= 0) errs.push(field.invalid(spec.child('capacity').key(r).text, quantityText(q), 'must be greater than zero'));
  }
  const sc = str(s.storageClassName);
  if (sc) errs.push(...invalidEach(spec.child('storageClassName'), sc, isDNS1123Subdomain(sc)));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !['Block', 'Filesystem'].includes(str(s.volumeMode))) errs.push(field.notSupported(spec.child('volumeMode').text, s.volumeMode, ['Block', 'Filesystem']));
  const rp = str(s.persistentVolumeReclaimPolicy);
  if (rp && !['Delete', 'Recycle', 'Retain'].includes(rp)) errs.push(field.notSupported(spec.child('persistentVolumeReclaimPolicy').text, rp, ['Delete', 'Recycle', 'Retain']));
  let n = 0;
  for (const src of PV_SOURCES) {
    if (s[src] === undefined || s[src] === null) continue;
    if (n > 0) {
      errs.push(field.forbidden(spec.child(src).text, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const v = obj(s[src]);
    if ((src === 'hostPath' || src === 'local') && !str(v.path)) errs.push(field.required(spec.child(src, 'path').text));
    if (src === 'nfs') {
      if (!str(v.server)) errs.push(field.required(spec.child('nfs', 'server').text));
      if (!str(v.path)) errs.push(field.required(spec.child('nfs', 'path').text));
    }
    if (src === 'csi') {
      if (!str(v.driver)) errs.push(field.required(spec.child('csi', 'driver').text));
      if (!str(v.volumeHandle)) errs.push(field.required(spec.child('csi', 'volumeHandle').text));
    }
  }
  if (n === 0) errs.push(field.required(spec.text, 'must specify a volume type'));
  return errs;
}

export function validatePersistentVolumeClaim(pvc: J, old?: J): FieldCause[] {
  const s = obj(pvc.spec);
  const errs: FieldCause[] = [];
  if (arr(s.accessModes).length === 0) errs.push(field.required(spec.child('accessModes').text, 'at least 1 access mode is required'));
  if (isObj(s.selector)) errs.push(...validateLabelSelector(s.selector, spec.child('selector')));
  errs.push(...validateAccessModes(s.accessModes, spec.child('accessModes')));
  const requests = obj(obj(s.resources).requests);
  const storagePath = spec.child('resources').key('storage');
  if (!('storage' in requests)) errs.push(field.required(storagePath.text));
  else {
    const n = quantityNumber(requests.storage);
    if (n === undefined || n <= 0) errs.push(field.invalid(storagePath.text, quantityText(requests.storage), 'must be greater than zero'));
  }
  const sc = str(s.storageClassName);
  if (sc) errs.push(...invalidEach(spec.child('storageClassName'), sc, isDNS1123Subdomain(sc)));
  if (s.volumeMode !== undefined && s.volumeMode !== null && !['Block', 'Filesystem'].includes(str(s.volumeMode))) errs.push(field.notSupported(spec.child('volumeMode').text, s.volumeMode, ['Block', 'Filesystem']));
  if (old) {
    const o = obj(old.spec);
    const nClone: J = { ...s };
    const oClone: J = { ...o };
    if (!str(o.volumeName)) oClone.volumeName = s.volumeName;
    const bound = obj(pvc.status).phase === 'Bound';
    if (bound) {
      nClone.resources = { ...obj(s.resources), requests: { ...requests, storage: obj(obj(o.resources).requests).storage } };
      nClone.volumeAttributesClassName = o.volumeAttributesClassName;
    }
    if (!deepEqual(nClone, oClone)) errs.push(field.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    const newSize = quantityNumber(requests.storage);
    const oldSize = quantityNumber(obj(obj(o.resources).requests).storage);
    if (newSize !== undefined && oldSize !== undefined && newSize < oldSize) errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

// ---------------------------------------------------------------- Endpoints / quotas

export function validateEndpoints(ep: J): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(ep.subsets).forEach((ss, i) => {
    const sp = new FieldPath('subsets').index(i);
    if (arr(ss.addresses).length === 0 && arr(ss.notReadyAddresses).length === 0) {
      errs.push(field.required(sp.text, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const k of ['addresses', 'notReadyAddresses']) {
      objs(ss[k]).forEach((a, j) => {
        const ip = str(a.ip);
        if (!isIP(ip)) errs.push(field.invalid(sp.child(k).index(j).child('ip').text, ip, IP_MESSAGE));
        if (str(a.hostname)) errs.push(...invalidEach(sp.child(k).index(j).child('hostname'), a.hostname, isDNS1123Label(str(a.hostname))));
      });
    }
    const ports = objs(ss.ports);
    ports.forEach((p, j) => {
      const pp = sp.child('ports').index(j);
      if (ports.length > 1 && !str(p.name)) errs.push(field.required(pp.child('name').text));
      else if (str(p.name)) errs.push(...invalidEach(pp.child('name'), p.name, isDNS1123Label(str(p.name))));
      errs.push(...invalidEach(pp.child('port'), p.port ?? 0, isValidPortNum(Number(p.port ?? 0))));
      const proto = str(p.protocol);
      if (!proto) errs.push(field.required(pp.child('protocol').text));
      else if (!PROTOCOLS.includes(proto)) errs.push(field.notSupported(pp.child('protocol').text, proto, PROTOCOLS));
    });
  });
  return errs;
}

function validateQuantityMap(m: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  for (const [r, q] of Object.entries(obj(m))) {
    errs.push(...invalidEach(path.key(r), r, isQualifiedName(r)));
    const n = quantityNumber(q);
    if (n === undefined || n < 0) errs.push(field.invalid(path.key(r).text, quantityText(q), 'must be greater than or equal to 0'));
  }
  return errs;
}

export function validateResourceQuota(rq: J): FieldCause[] {
  const s = obj(rq.spec);
  const errs = validateQuantityMap(s.hard, spec.child('hard'));
  for (const [i, sc] of arr(s.scopes).entries()) {
    if (!['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'].includes(str(sc))) {
      errs.push(field.invalid(spec.child('scopes').index(i).text, sc, 'unsupported scope'));
    }
  }
  return errs;
}

export function validateLimitRange(lr: J): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(obj(lr.spec).limits).forEach((item, i) => {
    const p = spec.child('limits').index(i);
    if (!str(item.type)) errs.push(field.required(p.child('type').text));
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) errs.push(...validateQuantityMap(item[f], p.child(f)));
    for (const [r, q] of Object.entries(obj(item.min))) {
      const max = obj(item.max)[r];
      const mn = quantityNumber(q);
      const mx = quantityNumber(max);
      if (mx !== undefined && mn !== undefined && mn > mx) errs.push(field.invalid(p.child('min').key(r).text, quantityText(q), `min value ${quantityText(q)} is greater than max value ${quantityText(max)}`));
    }
  });
  return errs;
}

