/**
 * `describe node`: kubectl v1.32's layout, including the lease, the non-terminated pods
 * on the node and the resources they request as a share of the node's allocatable.
 */
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { ageSince, rfc1123z } from '../printers/duration';
import { ZERO, formatQuantity, milliValue, parseQuantity, value, type Quantity } from '../../shared/quantity';
import { describeEvents, podRequestsAndLimits, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline } from './common';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer';

/** Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

export interface NodeDescribeData {
  pods: Pod[] | null;
  events: Event[] | null;
  lease?: Lease | null;
  leaseError?: string;
}

function q(v: unknown): Quantity {
  return parseQuantity(v as string) ?? ZERO;
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.trunc((part / whole) * 100);
}

export function describeNode(node: Node, data: NodeDescribeData, now: Date): string {
  const w = new PrefixWriter();
  const meta = node.metadata ?? {};
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
  const roles = nodeRoles(node);
  w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', spec.taints);
  w.write(LEVEL_0, `Unschedulable:\t${!!spec.unschedulable}\n`);
  if (data.leaseError) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: ${data.leaseError}\n`);
  } else {
    const l = data.lease?.spec;
    w.write(LEVEL_0, 'Lease:\n');
    w.write(LEVEL_1, `HolderIdentity:\t${l?.holderIdentity ?? '<unset>'}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${l?.acquireTime ? rfc1123z(l.acquireTime) : '<unset>'}\n`);
    w.write(LEVEL_1, `RenewTime:\t${l?.renewTime ? rfc1123z(l.renewTime) : '<unset>'}\n`);
  }
  if (status.conditions && status.conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  const printResourceList = (list: Record<string, unknown>) => {
    for (const k of Object.keys(list).sort()) w.write(LEVEL_0, `  ${k}:\t${formatQuantity(q(list[k]))}\n`);
  };
  if (status.capacity && Object.keys(status.capacity).length > 0) {
    w.write(LEVEL_0, 'Capacity:\n');
    printResourceList(status.capacity);
  }
  if (status.allocatable && Object.keys(status.allocatable).length > 0) {
    w.write(LEVEL_0, 'Allocatable:\n');
    printResourceList(status.allocatable);
  }
  const info = status.nodeInfo;
  w.write(LEVEL_0, 'System Info:\n');
  w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs && spec.podCIDRs.length > 0) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
  if (data.pods) describeNodeResource(data.pods, node, w, now);
  else w.write(LEVEL_0, 'Pods:\tnot authorized\n');
  if (data.events) describeEvents(data.events, w, now);
  return w.toString();
}

function describeNodeResource(pods: Pod[], node: Node, w: PrefixWriter, now: Date): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = (node.status?.allocatable && Object.keys(node.status.allocatable).length > 0 ? node.status.allocatable : node.status?.capacity) ?? {};
  const allocCpu = milliValue(q(alloc.cpu));
  const allocMem = value(q(alloc.memory));
  const allocEph = value(q(alloc['ephemeral-storage']));
  const totals = { req: {} as Record<string, Quantity>, lim: {} as Record<string, Quantity> };
  const add = (m: Record<string, Quantity>, k: string, v: Quantity | undefined) => {
    if (!v) return;
    m[k] = m[k] ? { nano: m[k].nano + v.nano, format: m[k].format } : v;
  };
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    const cpuReq = requests.cpu ?? ZERO;
    const cpuLim = limits.cpu ?? ZERO;
    const memReq = requests.memory ?? ZERO;
    const memLim = limits.memory ?? ZERO;
    w.write(
      LEVEL_1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${formatQuantity(cpuReq)} (${pct(milliValue(cpuReq), allocCpu)}%)\t${formatQuantity(cpuLim)} (${pct(milliValue(cpuLim), allocCpu)}%)\t${formatQuantity(memReq)} (${pct(value(memReq), allocMem)}%)\t${formatQuantity(memLim)} (${pct(value(memLim), allocMem)}%)\t${ageSince(pod.metadata?.creationTimestamp, now)}\n`,
    );
    for (const k of Object.keys(requests)) add(totals.req, k, requests[k]);
    for (const k of Object.keys(limits)) add(totals.lim, k, limits[k]);
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const row = (name: string, r: Quantity, l: Quantity, whole: number, milli: boolean) => {
    const val = (x: Quantity) => (milli ? milliValue(x) : value(x));
    w.write(LEVEL_1, `${name}\t${formatQuantity(r)} (${pct(val(r), whole)}%)\t${formatQuantity(l)} (${pct(val(l), whole)}%)\n`);
  };
  row('cpu', totals.req.cpu ?? ZERO, totals.lim.cpu ?? ZERO, allocCpu, true);
  row('memory', totals.req.memory ?? ZERO, totals.lim.memory ?? ZERO, allocMem, false);
  row('ephemeral-storage', totals.req['ephemeral-storage'] ?? ZERO, totals.lim['ephemeral-storage'] ?? ZERO, allocEph, false);
  // Huge pages get a share of allocatable; other extended resources (devices) just totals.
  const extra = Object.keys(alloc).filter((k) => !['cpu', 'memory', 'ephemeral-storage', 'pods', 'storage'].includes(k));
  for (const k of extra.filter((x) => x.startsWith('hugepages-')).sort()) row(k, totals.req[k] ?? ZERO, totals.lim[k] ?? ZERO, value(q(alloc[k])), false);
  for (const k of extra.filter((x) => !x.startsWith('hugepages-')).sort()) {
    w.write(LEVEL_1, `${k}\t${formatQuantity(totals.req[k] ?? ZERO)}\t${formatQuantity(totals.lim[k] ?? ZERO)}\n`);
  }
}
