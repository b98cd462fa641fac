/**
 * Pod spec validation — for Pods and for every pod template (Deployment, Job, …) — and
 * the Pod update rules, with kube-apiserver's field paths, messages and error order
 * (volumes, containers, init containers, then pod-level fields).
 *
 * Runs after defaulting, so fields Kubernetes defaults (restartPolicy, dnsPolicy,
 * imagePullPolicy, terminationMessagePolicy, port protocols) are required here exactly
 * as they are upstream.
 */
import { field, type FieldCause } from '../../shared/api/errors';
import { validateAnnotations, validateLabels } from './meta';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum,
} from './names';
import { QUANTITY_FORMAT_ERROR, quantityNumber, quantityText } from '../../shared/quantity';
import { arr, deepEqual, FieldPath, isInt, isObj, obj, objs, str, type J } from './util';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const NONNEG = 'must be greater than or equal to 0';

/** Volume sources in the order kube-apiserver counts them (the 2nd found is the one reported). */
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'azureFile', 'vsphereVolume', 'photonPersistentDisk',
  'portworxVolume', 'azureDisk', 'storageos', 'configMap', 'scaleIO', 'projected', 'csi', 'ephemeral', 'image',
];

/** Field paths `fieldRef` may name in env (and that the downward API converts at all). */
const FIELD_LABELS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.phase', 'status.podIP', 'status.podIPs'];
/** Env may use labels/annotations only with a subscript (`metadata.labels['app']`); volumes may use them whole. */
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

const invalidEach = (path: FieldPath, value: unknown, msgs: string[]): FieldCause[] => msgs.map((m) => field.invalid(path.text, value, m));
const nonNegative = (v: unknown, path: FieldPath): FieldCause[] => (typeof v === 'number' && v < 0 ? [field.invalid(path.text, v, NONNEG)] : []);

/** An int-or-string port: a number in range, or an IANA service name. */
export function validatePortNumOrName(v: unknown, path: FieldPath): FieldCause[] {
  if (typeof v === 'number') return invalidEach(path, v, isValidPortNum(v));
  if (typeof v === 'string') return invalidEach(path, v, isValidPortName(v));
  return [];
}

// ---------------------------------------------------------------- volumes

function validateKeyToPaths(items: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(items).forEach((kp, i) => {
    const p = path.index(i);
    if (!str(kp.key)) errs.push(field.required(p.child('key').text));
    if (!str(kp.path)) errs.push(field.required(p.child('path').text));
    else errs.push(...validateLocalPath(str(kp.path), p.child('path')));
    if (isInt(kp.mode) && (kp.mode > 0o777 || kp.mode < 0)) errs.push(field.invalid(p.child('mode').text, kp.mode, FILE_MODE_ERROR));
  });
  return errs;
}

/** A relative path without `..` elements (volume item paths, subPath). */
function validateLocalPath(p: string, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path.text, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(field.invalid(path.text, p, "must not contain '..'"));
  if (p.startsWith('..')) errs.push(field.invalid(path.text, p, "must not start with '..'"));
  return errs;
}

function validateDefaultMode(v: unknown, path: FieldPath): FieldCause[] {
  return isInt(v) && (v > 0o777 || v < 0) ? [field.invalid(path.text, v, FILE_MODE_ERROR)] : [];
}

function validateVolumeSource(vol: J, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  let count = 0;
  for (const src of VOLUME_SOURCES) {
    if (vol[src] === undefined || vol[src] === null) continue;
    if (count > 0) {
      errs.push(field.forbidden(path.child(src).text, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const s = obj(vol[src]);
    const p = path.child(src);
    switch (src) {
      case 'hostPath':
        if (!str(s.path)) errs.push(field.required(p.child('path').text));
        else if (str(s.path).split('/').includes('..')) errs.push(field.invalid(p.child('path').text, str(s.path), "must not contain '..'"));
        if (typeof s.type === 'string' && !HOST_PATH_TYPES.includes(s.type)) errs.push(field.notSupported(p.child('type').text, s.type, HOST_PATH_TYPES));
        break;
      case 'emptyDir':
        if (s.sizeLimit !== undefined && (quantityNumber(s.sizeLimit) ?? 0) < 0) errs.push(field.forbidden(p.child('sizeLimit').text, 'SizeLimit field must be a valid resource quantity'));
        break;
      case 'secret':
        if (!str(s.secretName)) errs.push(field.required(p.child('secretName').text));
        errs.push(...validateDefaultMode(s.defaultMode, p.child('defaultMode')), ...validateKeyToPaths(s.items, p.child('items')));
        break;
      case 'configMap':
        if (!str(s.name)) errs.push(field.required(p.child('name').text));
        errs.push(...validateDefaultMode(s.defaultMode, p.child('defaultMode')), ...validateKeyToPaths(s.items, p.child('items')));
        break;
      case 'persistentVolumeClaim':
        if (!str(s.claimName)) errs.push(field.required(p.child('claimName').text));
        break;
      case 'nfs':
        if (!str(s.server)) errs.push(field.required(p.child('server').text));
        if (!str(s.path)) errs.push(field.required(p.child('path').text));
        else if (!str(s.path).startsWith('/')) errs.push(field.invalid(p.child('path').text, str(s.path), 'must be an absolute path'));
        break;
      case 'downwardAPI':
        errs.push(...validateDefaultMode(s.defaultMode, p.child('defaultMode')));
        objs(s.items).forEach((item, i) => {
          const ip = p.child('items').index(i);
          if (!str(item.path)) errs.push(field.required(ip.child('path').text));
          else errs.push(...validateLocalPath(str(item.path), ip.child('path')));
          if (isObj(item.fieldRef)) errs.push(...validateObjectFieldSelector(item.fieldRef, VOLUME_FIELD_PATHS, ip.child('fieldRef')));
        });
        break;
      case 'projected':
        errs.push(...validateDefaultMode(s.defaultMode, p.child('defaultMode')));
        break;
      case 'csi':
        if (!str(s.driver)) errs.push(field.required(p.child('driver').text));
        break;
      case 'ephemeral':
        if (!isObj(s.volumeClaimTemplate)) errs.push(field.required(p.child('volumeClaimTemplate').text));
        break;
      case 'image':
        if (!str(s.reference)) errs.push(field.required(p.child('reference').text));
        if (typeof s.pullPolicy === 'string' && !PULL_POLICIES.includes(s.pullPolicy)) errs.push(field.notSupported(p.child('pullPolicy').text, s.pullPolicy, PULL_POLICIES));
        break;
      default:
        break;
    }
  }
  if (count === 0) errs.push(field.required(path.text, 'must specify a volume type'));
  return errs;
}

/** Returns the errors and the names of the volumes that validated (mounts may refer only to those). */
function validateVolumes(volumes: unknown, path: FieldPath): { errs: FieldCause[]; names: Set<string> } {
  const errs: FieldCause[] = [];
  const names = new Set<string>();
  objs(volumes).forEach((vol, i) => {
    const p = path.index(i);
    const name = str(vol.name);
    const el = validateVolumeSource(vol, p);
    if (!name) el.push(field.required(p.child('name').text));
    else el.push(...invalidEach(p.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) el.push(field.duplicate(p.child('name').text, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}

// ---------------------------------------------------------------- containers

function validateContainerPorts(ports: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const names = new Set<string>();
  objs(ports).forEach((port, i) => {
    const p = path.index(i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(p.child('name'), name, msgs));
      else if (names.has(name)) errs.push(field.duplicate(p.child('name').text, name));
      else names.add(name);
    }
    if (!port.containerPort) errs.push(field.required(p.child('containerPort').text));
    else errs.push(...invalidEach(p.child('containerPort'), port.containerPort, isValidPortNum(Number(port.containerPort))));
    if (port.hostPort) errs.push(...invalidEach(p.child('hostPort'), port.hostPort, isValidPortNum(Number(port.hostPort))));
    const proto = str(port.protocol);
    if (!proto) errs.push(field.required(p.child('protocol').text));
    else if (!PROTOCOLS.includes(proto)) errs.push(field.notSupported(p.child('protocol').text, proto, PROTOCOLS));
  });
  return errs;
}

function validateObjectFieldSelector(fs: J, allowed: string[], path: FieldPath): FieldCause[] {
  if (!str(fs.apiVersion)) return [field.required(path.child('apiVersion').text)];
  const fp = str(fs.fieldPath);
  if (!fp) return [field.required(path.child('fieldPath').text)];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fp);
  const base = sub ? sub[1] : fp;
  if (!FIELD_LABELS.includes(base)) return [field.invalid(path.child('fieldPath').text, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  if (sub) {
    const key = base === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2];
    return invalidEach(path, key, isQualifiedName(key));
  }
  return allowed.includes(base) ? [] : [field.notSupported(path.child('fieldPath').text, base, allowed)];
}

function validateKeySelector(sel: J, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const name = str(sel.name);
  if (name) errs.push(...invalidEach(path.child('name'), name, isDNS1123Subdomain(name)));
  const key = str(sel.key);
  if (!key) errs.push(field.required(path.child('key').text));
  else errs.push(...invalidEach(path.child('key'), key, isConfigMapKey(key)));
  return errs;
}

function validateEnv(env: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(env).forEach((ev, i) => {
    const p = path.index(i);
    const name = str(ev.name);
    if (!name) errs.push(field.required(p.child('name').text));
    else errs.push(...invalidEach(p.child('name'), name, isEnvVarName(name)));
    if (!isObj(ev.valueFrom)) return;
    const vf = ev.valueFrom;
    const vp = p.child('valueFrom');
    let sources = 0;
    if (isObj(vf.fieldRef)) {
      sources++;
      errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, vp.child('fieldRef')));
    }
    if (isObj(vf.resourceFieldRef)) {
      sources++;
      if (!str(vf.resourceFieldRef.resource)) errs.push(field.required(vp.child('resourceFieldRef', 'resource').text));
    }
    if (isObj(vf.configMapKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, vp.child('configMapKeyRef')));
    }
    if (isObj(vf.secretKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(vf.secretKeyRef, vp.child('secretKeyRef')));
    }
    if (sources === 0) errs.push(field.invalid(vp.text, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(field.invalid(vp.text, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(field.invalid(vp.text, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(envFrom).forEach((ef, i) => {
    const p = path.index(i);
    const prefix = str(ef.prefix);
    if (prefix) errs.push(...invalidEach(p.child('prefix'), prefix, isEnvVarName(prefix)));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      if (!isObj(ef[k])) continue;
      n++;
      const name = str(ef[k].name);
      if (!name) errs.push(field.required(p.child(k, 'name').text));
      else errs.push(...invalidEach(p.child(k, 'name'), name, isDNS1123Subdomain(name)));
    }
    if (n === 0) errs.push(field.invalid(p.text, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(p.text, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const points = new Set<string>();
  objs(mounts).forEach((m, i) => {
    const p = path.index(i);
    const name = str(m.name);
    if (!name) errs.push(field.required(p.child('name').text));
    if (!volumes.has(name)) errs.push(field.notFound(p.child('name').text, name));
    const mp = str(m.mountPath);
    if (!mp) errs.push(field.required(p.child('mountPath').text));
    if (points.has(mp)) errs.push(field.invalid(p.child('mountPath').text, mp, 'must be unique'));
    points.add(mp);
    if (str(m.subPath)) errs.push(...validateLocalPath(str(m.subPath), p.child('subPath')));
    if (m.mountPropagation !== undefined && !['None', 'HostToContainer', 'Bidirectional'].includes(str(m.mountPropagation))) {
      errs.push(field.notSupported(p.child('mountPropagation').text, m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}

function validateResourceName(name: string, path: FieldPath): FieldCause[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-')) errs.push(field.invalid(path.text, name, 'must be a standard resource for containers'));
  } else if (name.startsWith('kubernetes.io/') || name.startsWith('requests.')) {
    errs.push(field.invalid(path.text, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(q: unknown, path: FieldPath): FieldCause[] {
  const n = quantityNumber(q);
  if (n === undefined) return [field.invalid(path.text, quantityText(q), QUANTITY_FORMAT_ERROR)];
  if (n < 0) return [field.invalid(path.text, quantityText(q), NONNEG)];
  return [];
}

/** Limits and requests: names, non-negative quantities, requests ≤ limits. */
export function validateResourceRequirements(resIn: unknown, path: FieldPath): FieldCause[] {
  const res = obj(resIn);
  const errs: FieldCause[] = [];
  const limits = obj(res.limits);
  const requests = obj(res.requests);
  for (const [name, q] of Object.entries(limits)) {
    const p = path.child('limits').key(name);
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(q, p));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = path.child('requests').key(name);
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(q, p));
    if (!(name in limits)) continue;
    const r = quantityNumber(q);
    const l = quantityNumber(limits[name]);
    if (r === undefined || l === undefined) continue;
    if (name.startsWith('hugepages-') && r !== l) errs.push(field.invalid(path.child('requests').text, quantityText(q), `must be equal to ${name} limit of ${quantityText(limits[name])}`));
    else if (r > l) errs.push(field.invalid(path.child('requests').text, quantityText(q), `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`));
  }
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateHandler(h: J, path: FieldPath, handlers: string[]): FieldCause[] {
  const errs: FieldCause[] = [];
  let n = 0;
  for (const k of handlers) {
    if (!isObj(h[k])) continue;
    if (n > 0) {
      errs.push(field.forbidden(path.child(k).text, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a = h[k] as J;
    const p = path.child(k);
    switch (k) {
      case 'exec':
        if (arr(a.command).length === 0) errs.push(field.required(p.child('command').text));
        break;
      case 'httpGet':
        if (!str(a.path)) errs.push(field.required(p.child('path').text));
        errs.push(...validatePortNumOrName(a.port, p.child('port')));
        if (!['HTTP', 'HTTPS'].includes(str(a.scheme))) errs.push(field.notSupported(p.child('scheme').text, str(a.scheme), ['HTTP', 'HTTPS']));
        objs(a.httpHeaders).forEach((hd, i) => {
          const name = str(hd.name);
          if (!/^[-!#$%&'*+.^_`|~0-9A-Za-z]+$/.test(name)) errs.push(field.invalid(p.child('httpHeaders').index(i).child('name').text, name, 'a valid HTTP header must consist of alphanumeric characters or \'-\' (e.g. \'X-Header-Name\', regex used for validation is \'[-A-Za-z0-9]+\')'));
        });
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, p.child('port')));
        break;
      case 'grpc':
        errs.push(...invalidEach(p.child('port'), a.port, isValidPortNum(Number(a.port))));
        break;
      case 'sleep':
        if (typeof a.seconds === 'number' && a.seconds < 0) errs.push(field.invalid(p.child('seconds').text, a.seconds, NONNEG));
        break;
      default:
        break;
    }
  }
  if (n === 0) errs.push(field.required(path.text, 'must specify a handler type'));
  return errs;
}

function validateProbe(probeIn: unknown, path: FieldPath, mustSucceedOnce: boolean): FieldCause[] {
  if (!isObj(probeIn)) return [];
  const probe = probeIn;
  const errs = validateHandler(probe, path, HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(probe[f], path.child(f)));
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(field.invalid(path.child('terminationGracePeriodSeconds').text, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) errs.push(field.invalid(path.child('successThreshold').text, probe.successThreshold, 'must be 1'));
  return errs;
}

function validateLifecycle(lcIn: unknown, path: FieldPath): FieldCause[] {
  if (!isObj(lcIn)) return [];
  const errs: FieldCause[] = [];
  for (const hook of ['postStart', 'preStop']) if (isObj(lcIn[hook])) errs.push(...validateHandler(lcIn[hook], path.child(hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  return errs;
}

function validatePullPolicy(v: unknown, path: FieldPath): FieldCause[] {
  const p = str(v);
  if (!p) return [field.required(path.text)];
  return PULL_POLICIES.includes(p) ? [] : [field.notSupported(path.text, p, PULL_POLICIES)];
}

/** Checks every container kind shares (validateContainerCommon). */
function validateContainerCommon(c: J, volumes: Set<string>, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const name = str(c.name);
  if (!name) errs.push(field.required(path.child('name').text));
  else errs.push(...invalidEach(path.child('name'), name, isDNS1123Label(name)));
  if (!str(c.image)) errs.push(field.required(path.child('image').text));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(field.required(path.child('terminationMessagePolicy').text, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(field.invalid(path.child('terminationMessagePolicy').text, tmp, "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(...validateContainerPorts(c.ports, path.child('ports')));
  errs.push(...validateEnv(c.env, path.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, path.child('volumeMounts')));
  errs.push(...validatePullPolicy(c.imagePullPolicy, path.child('imagePullPolicy')));
  errs.push(...validateResourceRequirements(c.resources, path.child('resources')));
  return errs;
}

function validateContainers(containers: unknown, volumes: Set<string>, path: FieldPath): FieldCause[] {
  const list = objs(containers);
  if (list.length === 0) return [field.required(path.text)];
  const errs: FieldCause[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, p));
    const name = str(c.name);
    if (names.has(name)) errs.push(field.duplicate(p.child('name').text, name));
    else names.add(name);
    errs.push(...validateLifecycle(c.lifecycle, p.child('lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe'), true));
    errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe'), false));
    errs.push(...validateProbe(c.startupProbe, p.child('startupProbe'), true));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(field.forbidden(p.child('restartPolicy').text, 'may not be set for non-init containers'));
  });
  return errs;
}

function validateInitContainers(inits: unknown, regular: unknown, volumes: Set<string>, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  const names = new Set(objs(regular).map((c) => str(c.name)));
  objs(inits).forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let sidecar = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(p.child('restartPolicy').text, c.restartPolicy, ['Always']));
      sidecar = c.restartPolicy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(field.duplicate(p.child('name').text, name));
    else if (name) names.add(name);
    if (sidecar) {
      errs.push(...validateLifecycle(c.lifecycle, p.child('lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe'), true));
      errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe'), false));
      errs.push(...validateProbe(c.startupProbe, p.child('startupProbe'), true));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(field.forbidden(p.child(f).text, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

// ---------------------------------------------------------------- pod-level fields

export function validateTolerations(tolerations: unknown, path: FieldPath): FieldCause[] {
  const errs: FieldCause[] = [];
  objs(tolerations).forEach((t, i) => {
    const p = path.index(i);
    const key = str(t.key);
    const op = str(t.operator);
    if (key) errs.push(...invalidEach(p.child('key'), key, isQualifiedName(key)));
    if (!key && op !== 'Exists') errs.push(field.invalid(p.child('operator').text, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(field.invalid(p.child('effect').text, str(t.effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(field.invalid(p.child('operator').text, str(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value)) errs.push(field.invalid(p.child('operator').text, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(field.notSupported(p.child('operator').text, op, ['Equal', 'Exists']));
    }
    if (str(t.effect) && !TAINT_EFFECTS.includes(str(t.effect))) errs.push(field.notSupported(p.child('effect').text, str(t.effect), TAINT_EFFECTS));
  });
  return errs;
}

/** ValidatePodSpec: `path` is `spec` for a Pod, `spec.template.spec` for a Deployment, … */
export function validatePodSpec(specIn: unknown, path: FieldPath): FieldCause[] {
  const spec = obj(specIn);
  const errs: FieldCause[] = [];
  const vols = validateVolumes(spec.volumes, path.child('volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainers(spec.containers, vols.names, path.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, vols.names, path.child('initContainers')));

  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(field.required(path.child('restartPolicy').text));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(field.notSupported(path.child('restartPolicy').text, rp, RESTART_POLICIES));

  const dns = str(spec.dnsPolicy);
  if (!dns) errs.push(field.required(path.child('dnsPolicy').text));
  else if (!DNS_POLICIES.includes(dns)) errs.push(field.notSupported(path.child('dnsPolicy').text, dns, DNS_POLICIES));

  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  objs(spec.imagePullSecrets).forEach((s, i) => {
    if (!str(s.name)) errs.push(field.required(path.child('imagePullSecrets').index(i).child('name').text));
  });
  if (dns === 'None') {
    if (!isObj(spec.dnsConfig)) errs.push(field.required(path.child('dnsConfig').text, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (arr(spec.dnsConfig.nameservers).length === 0) errs.push(field.required(path.child('dnsConfig', 'nameservers').text, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  for (const [f, fn] of [['serviceAccountName', isDNS1123Subdomain], ['nodeName', isDNS1123Subdomain], ['priorityClassName', isDNS1123Subdomain], ['hostname', isDNS1123Label], ['subdomain', isDNS1123Label]] as const) {
    const v = str(spec[f]);
    if (v) errs.push(...invalidEach(path.child(f), v, fn(v)));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v === 'number' && (v < 1 || v > 2147483647)) errs.push(field.invalid(path.child('activeDeadlineSeconds').text, v, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && !['PreemptLowerPriority', 'Never'].includes(str(spec.preemptionPolicy))) {
    errs.push(field.notSupported(path.child('preemptionPolicy').text, spec.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations are reported at `<path>.labels`, as upstream. */
export function validatePodTemplateSpec(tplIn: unknown, path: FieldPath): FieldCause[] {
  const tpl = obj(tplIn);
  const meta = obj(tpl.metadata);
  const errs = [...validateLabels(meta.labels, path.child('labels')), ...validateAnnotations(meta.annotations, path.child('annotations'))];
  errs.push(...validatePodSpec(tpl.spec, path.child('spec')));
  if (arr(obj(tpl.spec).ephemeralContainers).length > 0) errs.push(field.forbidden(path.child('spec', 'ephemeralContainers').text, 'ephemeral containers not allowed in pod template'));
  return errs;
}

/** Pod create: spec plus the image whitespace rule kube-apiserver applies to pods only. */
export function validatePod(pod: J): FieldCause[] {
  const spec = obj(pod.spec);
  const errs = validatePodSpec(spec, new FieldPath('spec'));
  for (const [k, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const) {
    objs(list).forEach((c, i) => {
      const img = str(c.image);
      if (img && img.trim() !== img) errs.push(field.invalid(`spec.${k}[${i}].image`, img, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

// ---------------------------------------------------------------- pod update

/** The fields of a Pod's spec that an update may change, in kube-apiserver's words. */
const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/** ValidatePodUpdate's spec rules (metadata and the full spec check run separately). */
export function validatePodSpecUpdate(newPod: J, oldPod: J): FieldCause[] {
  const n = obj(newPod.spec);
  const o = obj(oldPod.spec);
  const specPath = new FieldPath('spec');
  const errs: FieldCause[] = [];
  for (const k of ['containers', 'initContainers']) {
    const nc = objs(n[k]);
    const oc = objs(o[k]);
    if (nc.length !== oc.length) return [field.forbidden(specPath.child(k).text, 'pod updates may not add or remove containers')];
  }
  if (n.activeDeadlineSeconds !== undefined && n.activeDeadlineSeconds !== null) {
    const v = n.activeDeadlineSeconds;
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) return [...errs, field.invalid(specPath.child('activeDeadlineSeconds').text, v, 'must be between 0 and 2147483647, inclusive')];
    if (typeof o.activeDeadlineSeconds === 'number' && typeof v === 'number' && o.activeDeadlineSeconds < v) {
      return [...errs, field.invalid(specPath.child('activeDeadlineSeconds').text, v, 'must be less than or equal to previous value')];
    }
  } else if (o.activeDeadlineSeconds !== undefined && o.activeDeadlineSeconds !== null) {
    errs.push(field.invalid(specPath.child('activeDeadlineSeconds').text, null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations: only additions (and tolerationSeconds changes) are allowed.
  for (const old of objs(o.tolerations)) {
    const found = objs(n.tolerations).some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) {
      errs.push(field.forbidden(specPath.child('tolerations').text, 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  if (deepEqual(n, o)) return errs;
  const munged: J = { ...n };
  for (const k of ['containers', 'initContainers']) {
    if (Array.isArray(n[k])) munged[k] = objs(n[k]).map((c, i) => ({ ...c, image: objs(o[k])[i]?.image }));
  }
  munged.activeDeadlineSeconds = o.activeDeadlineSeconds;
  munged.tolerations = o.tolerations;
  munged.schedulingGates = o.schedulingGates;
  if (typeof o.terminationGracePeriodSeconds === 'number' && o.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, o)) {
    const changed = Object.keys({ ...munged, ...o }).filter((k) => !deepEqual(munged[k], o[k])).sort();
    errs.push(field.forbidden(specPath.text, `pod updates may not change fields other than ${UPDATABLE}\n  changed: ${changed.map((k) => `spec.${k}`).join(', ')}`));
  }
  return errs;
}
