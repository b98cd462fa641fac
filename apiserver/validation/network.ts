/**
 * Validation of the non-core kinds without pod templates: Ingress, IngressClass,
 * NetworkPolicy (networking.k8s.io), EndpointSlice (discovery.k8s.io), Lease
 * (coordination.k8s.io), PriorityClass (scheduling.k8s.io), StorageClass
 * (storage.k8s.io). Paths and wording follow kube-apiserver.
 */
import { field, GoValue, type FieldCause } from '../../shared/api/errors';
import { validateLabelSelector } from './meta';
import {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isIP, isIPv4, isIPv6, isQualifiedName, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain,
} from './names';
import { validatePortNumOrName } from './pod';
import { arr, deepEqual, FieldPath, isObj, obj, objs, str, type J } from './util';

const spec = new FieldPath('spec');
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const invalidEach = (path: FieldPath, value: unknown, msgs: string[]): FieldCause[] => msgs.map((m) => field.invalid(path.text, value, m));

// ---------------------------------------------------------------- Ingress

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngressBackend(b: J, path: FieldPath): FieldCause[] {
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [field.invalid(path.text, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = b.resource as J;
    const errs: FieldCause[] = [];
    if (!str(r.kind)) errs.push(field.required(path.child('resource', 'kind').text));
    if (!str(r.name)) errs.push(field.required(path.child('resource', 'name').text));
    return errs;
  }
  if (!hasService) return [field.invalid(path.text, '', 'resource or service backend is required')];
  const svc = b.service as J;
  const errs: FieldCause[] = [];
  const name = str(svc.name);
  if (!name) errs.push(field.required(path.child('service', 'name').text));
  else errs.push(...invalidEach(path.child('service', 'name'), name, isDNS1035Label(name)));
  const port = obj(svc.port);
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) errs.push(field.invalid(path.text, '', 'cannot set both port name & port number'));
  else if (portName) errs.push(...invalidEach(path.child('service', 'port', 'name'), portName, isValidPortName(portName)));
  else if (portNumber) errs.push(...invalidEach(path.child('service', 'port', 'number'), portNumber, isValidPortNum(portNumber)));
  else errs.push(field.required(path.text, 'port name or number is required'));
  return errs;
}

function validateIngressPath(p: J, path: FieldPath): FieldCause[] {
  if (p.pathType === undefined || p.pathType === null) return [field.required(path.child('pathType').text, 'pathType must be specified')];
  const errs: FieldCause[] = [];
  const pt = str(p.pathType);
  const value = str(p.path);
  if (pt === 'Exact' || pt === 'Prefix') {
    if (!value.startsWith('/')) errs.push(field.invalid(path.child('path').text, value, 'must be an absolute path'));
    if (value) {
      for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(seq)) errs.push(field.invalid(path.child('path').text, value, `must not contain '${seq}'`));
      for (const suffix of ['/..', '/.']) if (value.endsWith(suffix)) errs.push(field.invalid(path.child('path').text, value, `cannot end with '${suffix}'`));
    }
  } else if (pt === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(field.invalid(path.child('path').text, value, 'must be an absolute path'));
  } else {
    errs.push(field.notSupported(path.child('pathType').text, pt, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(obj(p.backend), path.child('backend')));
  return errs;
}

export function validateIngress(ing: J): FieldCause[] {
  const s = obj(ing.spec);
  const errs: FieldCause[] = [];
  const rules = objs(s.rules);
  if (rules.length === 0 && !isObj(s.defaultBackend)) {
    errs.push(field.invalid(spec.text, new GoValue(Array.isArray(s.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(s.defaultBackend)) errs.push(...validateIngressBackend(s.defaultBackend, spec.child('defaultBackend')));
  rules.forEach((r, i) => {
    const rp = spec.child('rules').index(i);
    const host = str(r.host);
    if (host) {
      if (isIP(host)) errs.push(field.invalid(rp.child('host').text, host, 'must be a DNS name, not an IP address'));
      errs.push(...invalidEach(rp.child('host'), host, host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host)));
    }
    if (isObj(r.http)) {
      const paths = objs(r.http.paths);
      if (paths.length === 0) errs.push(field.required(rp.child('http', 'paths').text));
      paths.forEach((p, j) => errs.push(...validateIngressPath(p, rp.child('http', 'paths').index(j))));
    }
  });
  objs(s.tls).forEach((t, i) => {
    arr(t.hosts).forEach((h, j) => {
      const host = str(h);
      errs.push(...invalidEach(spec.child('tls').index(i).child('hosts').index(j), host, host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host)));
    });
    const secret = str(t.secretName);
    if (secret) errs.push(...invalidEach(spec.child('tls').index(i).child('secretName'), secret, isDNS1123Subdomain(secret)));
  });
  if (s.ingressClassName !== undefined && s.ingressClassName !== null) {
    errs.push(...invalidEach(spec.child('ingressClassName'), str(s.ingressClassName), isDNS1123Subdomain(str(s.ingressClassName))));
  }
  return errs;
}

export function validateIngressClass(ic: J, old?: J): FieldCause[] {
  const s = obj(ic.spec);
  const errs: FieldCause[] = [];
  const controller = str(s.controller);
  if (!controller) errs.push(field.required(spec.child('controller').text));
  else if (controller.length > 250) errs.push(field.tooLong(spec.child('controller').text, 250));
  else {
    const slash = controller.indexOf('/');
    const domain = slash < 0 ? controller : controller.slice(0, slash);
    if (slash < 0 || isDNS1123Subdomain(domain).length) errs.push(field.invalid(spec.child('controller').text, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  }
  if (old && str(obj(old.spec).controller) !== controller) errs.push(field.invalid(spec.child('controller').text, controller, 'field is immutable'));
  return errs;
}

export function validateNetworkPolicy(np: J): FieldCause[] {
  const s = obj(np.spec);
  const errs = validateLabelSelector(s.podSelector, spec.child('podSelector'));
  const types = arr(s.policyTypes).map(str);
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(spec.child('policyTypes').index(i).text, t, ['Egress', 'Ingress']));
  });
  if (types.length > 2) errs.push(field.invalid(spec.child('policyTypes').text, new GoValue(`[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes'));
  for (const dir of ['ingress', 'egress']) {
    objs(s[dir]).forEach((rule, i) => {
      const rp = spec.child(dir).index(i);
      objs(rule.ports).forEach((p, j) => {
        const pp = rp.child('ports').index(j);
        if (p.protocol !== undefined && !PROTOCOLS.includes(str(p.protocol))) errs.push(field.notSupported(pp.child('protocol').text, p.protocol, PROTOCOLS));
        if (p.port !== undefined) errs.push(...validatePortNumOrName(p.port, pp.child('port')));
        if (p.endPort !== undefined) {
          if (typeof p.port !== 'number') errs.push(field.required(pp.child('port').text, 'must be specified when endPort is set'));
          else if (p.endPort < p.port) errs.push(field.invalid(pp.child('endPort').text, p.endPort, 'must be greater than or equal to `port`'));
        }
      });
      objs(rule[dir === 'ingress' ? 'from' : 'to']).forEach((peer, j) => {
        const pp = rp.child(dir === 'ingress' ? 'from' : 'to').index(j);
        if (isObj(peer.podSelector)) errs.push(...validateLabelSelector(peer.podSelector, pp.child('podSelector')));
        if (isObj(peer.namespaceSelector)) errs.push(...validateLabelSelector(peer.namespaceSelector, pp.child('namespaceSelector')));
        const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => isObj(peer[k])).length;
        if (n === 0) errs.push(field.required(pp.text, 'must specify a peer'));
        else if (isObj(peer.ipBlock) && n > 1) errs.push(field.forbidden(pp.text, 'may not specify both ipBlock and another peer'));
      });
    });
  }
  return errs;
}

// ---------------------------------------------------------------- EndpointSlice

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(es: J, old?: J): FieldCause[] {
  const errs: FieldCause[] = [];
  const at = str(es.addressType);
  const endpoints = objs(es.endpoints);
  if (endpoints.length > 1000) errs.push(field.tooMany('endpoints', endpoints.length, 1000));
  endpoints.forEach((ep, i) => {
    const p = new FieldPath('endpoints').index(i);
    const addrs = arr(ep.addresses).map(str);
    if (addrs.length === 0) errs.push(field.required(p.child('addresses').text, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(field.tooMany(p.child('addresses').text, addrs.length, 100));
    addrs.forEach((a, j) => {
      const ap = p.child('addresses').index(j);
      if (at === 'IPv4' && !isIPv4(a)) errs.push(field.invalid(ap.text, a, 'must be a valid IPv4 address'));
      else if (at === 'IPv6' && !isIPv6(a)) errs.push(field.invalid(ap.text, a, 'must be a valid IPv6 address'));
      else if (at === 'FQDN') errs.push(...invalidEach(ap, a, isDNS1123Subdomain(a.replace(/\.$/, ''))));
    });
    if (ep.nodeName !== undefined && ep.nodeName !== null) errs.push(...invalidEach(p.child('nodeName'), str(ep.nodeName), isDNS1123Subdomain(str(ep.nodeName))));
    if (ep.hostname !== undefined && ep.hostname !== null) errs.push(...invalidEach(p.child('hostname'), str(ep.hostname), isDNS1123Label(str(ep.hostname))));
  });
  const names = new Set<string>();
  objs(es.ports).forEach((port, i) => {
    const p = new FieldPath('ports').index(i);
    const name = str(port.name);
    if (name) errs.push(...invalidEach(p.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(field.duplicate(p.child('name').text, name));
    else names.add(name);
    if (port.protocol === undefined || port.protocol === null) errs.push(field.required(p.child('protocol').text));
    else if (!PROTOCOLS.includes(str(port.protocol))) errs.push(field.notSupported(p.child('protocol').text, port.protocol, PROTOCOLS));
  });
  if (!at) errs.push(field.required('addressType'));
  else if (!ADDRESS_TYPES.includes(at)) errs.push(field.notSupported('addressType', at, ADDRESS_TYPES));
  if (old && str(old.addressType) !== at) errs.push(field.invalid('addressType', at, 'field is immutable'));
  return errs;
}

// ---------------------------------------------------------------- Lease / PriorityClass / StorageClass

export function validateLease(lease: J): FieldCause[] {
  const s = obj(lease.spec);
  const errs: FieldCause[] = [];
  if (typeof s.leaseDurationSeconds === 'number' && s.leaseDurationSeconds <= 0) errs.push(field.invalid(spec.child('leaseDurationSeconds').text, s.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof s.leaseTransitions === 'number' && s.leaseTransitions < 0) errs.push(field.invalid(spec.child('leaseTransitions').text, s.leaseTransitions, 'must be greater than or equal to 0'));
  if (s.strategy !== undefined && s.strategy !== null) errs.push(...invalidEach(spec.child('strategy'), s.strategy, isQualifiedName(str(s.strategy))));
  return errs;
}

/** User-defined priority classes stay below the system range (scheduling.HighestUserDefinablePriority). */
export const HIGHEST_USER_PRIORITY = 1000000000;

export function validatePriorityClass(pc: J, old?: J): FieldCause[] {
  const errs: FieldCause[] = [];
  const name = str(obj(pc.metadata).name);
  if (typeof pc.value !== 'number') errs.push(field.required('value'));
  else if (!name.startsWith('system-') && pc.value > HIGHEST_USER_PRIORITY) errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  if (name.startsWith('system-') && !['system-node-critical', 'system-cluster-critical'].includes(name)) {
    errs.push(field.forbidden('metadata.name', 'priority class names with \'system-\' prefix are reserved for system use only'));
  }
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== null && !['PreemptLowerPriority', 'Never'].includes(str(pc.preemptionPolicy))) {
    errs.push(field.notSupported('preemptionPolicy', pc.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  if (old) {
    if (pc.value !== old.value) errs.push(field.forbidden('value', 'may not be changed in an update.'));
    if (!deepEqual(pc.preemptionPolicy, old.preemptionPolicy)) errs.push(field.invalid('preemptionPolicy', pc.preemptionPolicy ?? null, 'field is immutable'));
  }
  return errs;
}

export function validateStorageClass(sc: J, old?: J): FieldCause[] {
  const errs: FieldCause[] = [];
  const prov = str(sc.provisioner);
  if (!prov) errs.push(field.required('provisioner'));
  else if (prov.length > 63) errs.push(field.tooLong('provisioner', 63));
  else errs.push(...invalidEach(new FieldPath('provisioner'), prov, isQualifiedName(prov.toLowerCase())));
  if (sc.reclaimPolicy !== undefined && sc.reclaimPolicy !== null && !['Delete', 'Retain'].includes(str(sc.reclaimPolicy))) {
    errs.push(field.notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  }
  if (sc.volumeBindingMode !== undefined && sc.volumeBindingMode !== null && !['Immediate', 'WaitForFirstConsumer'].includes(str(sc.volumeBindingMode))) {
    errs.push(field.notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  if (old) {
    if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {})) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (prov !== str(old.provisioner)) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (!deepEqual(sc.reclaimPolicy, old.reclaimPolicy)) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (!deepEqual(sc.volumeBindingMode, old.volumeBindingMode)) errs.push(field.invalid('volumeBindingMode', sc.volumeBindingMode ?? null, 'field is immutable'));
  }
  return errs;
}
