/**
 * Filter and score plugins, named and worded after kube-scheduler's in-tree plugins
 * (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
 * NodeResourcesFit, NodeResourcesBalancedAllocation) so that messages read exactly as
 * a Kubernetes user expects them.
 *
 * Pure functions over (pod, PodInfo, NodeInfo): no I/O, no clocks, no allocation beyond
 * the returned reasons, because they run for every (pod, node) pair on the hot path.
 * A filter returns `undefined` when the node passes, else its failure: the reasons
 * (one per failing resource for NodeResourcesFit, one otherwise) and whether preemption
 * could ever help (upstream's Unschedulable vs UnschedulableAndUnresolvable).
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, Pod, Toleration } from 'kubernetes-types/core/v1';
import { matchRequirement, type Operator } from '../shared/selectors';
import { NodeInfo, UNSCHEDULABLE_TAINT_KEY, type PodInfo, type Taint } from './cache';

export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const ERR_TOO_MANY_PODS = 'Too many pods';

export interface FilterFailure {
  reasons: string[];
  /** True when removing pods from the node (preemption) cannot make it fit. */
  unresolvable: boolean;
}

export type Filter = (pod: Pod, podInfo: PodInfo, node: NodeInfo) => FilterFailure | undefined;

const unresolvable = (reason: string): FilterFailure => ({ reasons: [reason], unresolvable: true });

// ------------------------------------------------------------------- TaintToleration

/** Upstream Toleration.ToleratesTaint: empty effect matches every effect; empty key with Exists matches every key. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

const tolerated = (tols: readonly Toleration[], taint: Taint) => tols.some((t) => tolerates(t, taint));

export const nodeUnschedulable: Filter = (pod, _pi, node) => {
  if (!node.unschedulable) return undefined;
  // A pod may opt in to cordoned nodes by tolerating the unschedulable taint (DaemonSets do).
  if (tolerated(pod.spec?.tolerations ?? [], { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' })) return undefined;
  return unresolvable(ERR_UNSCHEDULABLE);
};

export const nodeName: Filter = (pod, _pi, node) => {
  const want = pod.spec?.nodeName;
  return want && want !== node.name ? unresolvable(ERR_NODE_NAME) : undefined;
};

export const taintToleration: Filter = (pod, _pi, node) => {
  const tols = pod.spec?.tolerations ?? [];
  for (const taint of node.taints) {
    // PreferNoSchedule is a scoring matter; only these two keep pods off at filter time.
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(tols, taint)) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }
  return undefined;
};

// ---------------------------------------------------------------------- NodeAffinity

const NODE_SELECTOR_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: 'notexists', Gt: 'gt', Lt: 'lt' };

function matchExpression(e: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const op = NODE_SELECTOR_OPS[e.operator];
  // An unknown operator is rejected by validation; treat it as not matching, like upstream's parse error.
  if (!op) return false;
  return matchRequirement({ key: e.key, op, values: [...(e.values ?? [])] }, labels);
}

/** Upstream: a term with no requirements matches nothing; terms are ORed, requirements within a term ANDed. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, node: NodeInfo): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) if (!matchExpression(e, node.labels)) return false;
  // matchFields supports exactly one field, metadata.name.
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false;
    if (!matchExpression(f, { 'metadata.name': node.name })) return false;
  }
  return true;
}

export const nodeAffinity: Filter = (pod, _pi, node) => {
  const sel = pod.spec?.nodeSelector;
  if (sel) {
    for (const k in sel) if (node.labels[k] !== sel[k]) return unresolvable(ERR_NODE_AFFINITY);
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms.some((t) => matchNodeSelectorTerm(t, node))) return unresolvable(ERR_NODE_AFFINITY);
  return undefined;
};

// ------------------------------------------------------------------------- NodePorts

export const nodePorts: Filter = (_pod, pi, node) => {
  for (const hp of pi.ports) {
    const ips = node.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) continue;
    // 0.0.0.0 conflicts with any address on the same protocol/port, and vice versa.
    if (hp.ip === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(hp.ip)) return { reasons: [ERR_NODE_PORTS], unresolvable: false };
  }
  return undefined;
};

// ------------------------------------------------------------------ NodeResourcesFit

export const nodeResourcesFit: Filter = (_pod, pi, node) => {
  const reasons: string[] = [];
  const a = node.allocatable;
  if (node.podCount + 1 > a.pods) reasons.push(ERR_TOO_MANY_PODS);
  const r = pi.requests;
  // A pod requesting nothing only needs a pod slot (upstream returns early the same way).
  if (r.milliCPU > 0 && r.milliCPU > a.milliCPU - node.requested.milliCPU) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > a.memory - node.requested.memory) reasons.push('Insufficient memory');
  return reasons.length ? { reasons, unresolvable: false } : undefined;
};

/** In kube-scheduler's default order; a node stops at its first failing filter. */
export const FILTERS: readonly Filter[] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

export function runFilters(pod: Pod, pi: PodInfo, node: NodeInfo): FilterFailure | undefined {
  for (const f of FILTERS) {
    const failure = f(pod, pi, node);
    if (failure) return failure;
  }
  return undefined;
}

// -------------------------------------------------------------------------- scoring

export const MAX_NODE_SCORE = 100;

/**
 * NodeResourcesFit LeastAllocated over cpu and memory (weight 1 each): the share of each
 * resource left free after placing the pod, using non-zero requests so best-effort pods
 * still spread. Integer arithmetic like upstream's int64 scores.
 */
export function leastAllocatedScore(pi: PodInfo, node: NodeInfo): number {
  const free = (alloc: number, req: number) => (alloc === 0 || req > alloc ? 0 : Math.floor(((alloc - req) * MAX_NODE_SCORE) / alloc));
  const cpu = free(node.allocatable.milliCPU, node.nonZeroRequested.milliCPU + pi.nonZero.milliCPU);
  const mem = free(node.allocatable.memory, node.nonZeroRequested.memory + pi.nonZero.memory);
  return Math.floor((cpu + mem) / 2);
}

/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in
 * the same proportion, score (1 − std-dev of the utilisation fractions) · 100.
 */
export function balancedAllocationScore(pi: PodInfo, node: NodeInfo): number {
  const frac = (alloc: number, req: number) => (alloc === 0 ? 0 : Math.min(req / alloc, 1));
  const f1 = frac(node.allocatable.milliCPU, node.requested.milliCPU + pi.requests.milliCPU);
  const f2 = frac(node.allocatable.memory, node.requested.memory + pi.requests.memory);
  // The standard deviation of two values is half their distance.
  const std = Math.abs(f1 - f2) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/** Sum of the enabled score plugins (both weight 1, as in the default profile). */
export function scoreNode(pi: PodInfo, node: NodeInfo): number {
  return leastAllocatedScore(pi, node) + balancedAllocationScore(pi, node);
}
