/**
 * Printers for networking.k8s.io (Ingress §20, IngressClass §20, NetworkPolicy §23) and
 * discovery.k8s.io (EndpointSlice §10).
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressRule, NetworkPolicy } from 'kubernetes-types/networking/v1';
import { ageSince } from './duration';
import { formatLabelSelector, listWithMore, loadBalancerAddresses } from './format';
import { AGE_COLUMN, NAME_COLUMN, column, definePrinter } from './table';

const MAX_LISTED = 3;

/**
 * HOSTS: up to three non-empty rule hosts; `*` when there are none. The "+ N more" count
 * is over all rules (hostless ones included), an upstream quirk kept for fidelity.
 */
export function formatIngressHosts(rules: readonly IngressRule[] | undefined): string {
  const list = rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const rule of list) {
    if (hosts.length === MAX_LISTED) {
      more = true;
      break;
    }
    if (rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${list.length - MAX_LISTED} more...` : hosts.join(',');
}

export const ingressPrinter = definePrinter<Ingress>(
  [
    NAME_COLUMN,
    column('Class', 'string', 'The ingress class name.'),
    column('Hosts', 'string', 'Hosts the rules match, first three shown.'),
    column('Address', 'string', 'Load-balancer ingress points.'),
    column('Ports', 'string', 'Ports served: 80, plus 443 with TLS.'),
    AGE_COLUMN,
  ],
  (ing, { now }) => [
    ing.metadata?.name ?? '',
    // The legacy kubernetes.io/ingress.class annotation is deliberately ignored.
    ing.spec?.ingressClassName ?? '<none>',
    formatIngressHosts(ing.spec?.rules),
    loadBalancerAddresses(ing.status?.loadBalancer?.ingress).join(','),
    (ing.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80',
    ageSince(ing.metadata?.creationTimestamp, now),
  ],
);

export const ingressClassPrinter = definePrinter<IngressClass>(
  [
    NAME_COLUMN,
    column('Controller', 'string', 'The controller that implements this class.'),
    column('Parameters', 'string', 'Reference to the class parameters, Kind[.apiGroup]/name.'),
    AGE_COLUMN,
  ],
  (ic, { now }) => {
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, ageSince(ic.metadata?.creationTimestamp, now)];
  },
);

export const networkPolicyPrinter = definePrinter<NetworkPolicy>(
  [NAME_COLUMN, column('Pod-Selector', 'string', 'Pods the policy applies to.'), AGE_COLUMN],
  (np, { now }) => [np.metadata?.name ?? '', formatLabelSelector(np.spec?.podSelector ?? {}), ageSince(np.metadata?.creationTimestamp, now)],
);

/** PORTS: number, else name, else `*`, for the first three ports; `<unset>` when none. */
function endpointSlicePorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  const listed = ports.slice(0, MAX_LISTED).map((p) => (typeof p.port === 'number' ? String(p.port) : p.name ? p.name : '*'));
  return listWithMore(listed, ports.length, MAX_LISTED, '<unset>');
}

/** ENDPOINTS: every address of every endpoint, ready or not, first three shown. */
function endpointSliceAddresses(slice: EndpointSlice): string {
  const all = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return listWithMore(all.slice(0, MAX_LISTED), all.length, MAX_LISTED, '<unset>');
}

export const endpointSlicePrinter = definePrinter<EndpointSlice>(
  [
    NAME_COLUMN,
    column('AddressType', 'string', 'IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Ports of the slice, first three shown.'),
    column('Endpoints', 'string', 'Endpoint addresses, first three shown.'),
    AGE_COLUMN,
  ],
  (slice, { now }) => [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    endpointSlicePorts(slice),
    endpointSliceAddresses(slice),
    ageSince(slice.metadata?.creationTimestamp, now),
  ],
);
