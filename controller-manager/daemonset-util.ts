/**
 * Pure decisions of the DaemonSet controller (CONTROLLERS.md §5): which nodes should run
 * a daemon pod (node selector / required node affinity, taints vs the tolerations every
 * daemon pod gets), the pod spec pinned to a node through matchFields affinity, and how
 * many old pods a RollingUpdate may take down. No I/O; daemonset.ts feeds objects in.
 *
 * Node matching reuses the scheduler's own predicates (`matchNodeSelectorTerm`,
 * `tolerates`) so the controller and the scheduler cannot disagree about a node.
 */
import type { DaemonSet, KObject, Node, Pod as K8sPod, PodSpec } from '../shared/api/types';
import type { NodeSelectorTerm, Toleration } from 'kubernetes-types/core/v1';
import { clone } from '../shared/api/types';
import type { NodeInfo } from '../scheduler/cache';
import { matchNodeSelectorTerm, tolerates } from '../scheduler/plugins';

export type DaemonSetObj = DaemonSet & KObject;
export type NodeObj = Node & KObject;

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The tolerations the DaemonSet controller adds to every daemon pod (5.1): forever, operator Exists. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** Template spec + the daemon tolerations; an existing toleration with the same key/effect/operator/value is replaced. */
export function withDaemonTolerations(spec: PodSpec): PodSpec {
  const out = clone(spec);
  const same = (a: Toleration, b: Toleration) => a.key === b.key && a.effect === b.effect && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '');
  const add = daemonTolerations(!!spec.hostNetwork);
  out.tolerations = [...(out.tolerations ?? []).filter((t) => !add.some((a) => same(a, t))), ...add];
  return out;
}

/** The pod spec for `nodeName`: daemon tolerations, and required affinity pinning it to that node (5.2). */
export function daemonPodSpec(spec: PodSpec, nodeName: string): PodSpec {
  const out = withDaemonTolerations(spec);
  const affinity = out.affinity ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  // Replaces any required terms: the node has already been checked against them.
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  out.affinity = { ...affinity, nodeAffinity };
  return out;
}

/** The node a daemon pod is for: its nodeName, or the node its matchFields affinity pins it to. */
export function targetNodeOf(pod: K8sPod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

export interface NodeVerdict {
  /** A daemon pod should be created here if missing. */
  shouldRun: boolean;
  /** An existing daemon pod may stay. */
  shouldContinueRunning: boolean;
}

/**
 * 5.1 NodeShouldRunDaemonPod. `spec.unschedulable` is deliberately not checked: daemon
 * pods tolerate the unschedulable taint, and readiness is not a filter either.
 */
export function nodeShouldRunDaemonPod(node: NodeObj, ds: DaemonSetObj): NodeVerdict {
  const no = { shouldRun: false, shouldContinueRunning: false };
  const spec = ds.spec?.template?.spec;
  if (!spec) return no;
  const name = node.metadata.name!;
  if (spec.nodeName && spec.nodeName !== name) return no;
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return no;
  const terms: NodeSelectorTerm[] | undefined = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const info = { name, labels } as unknown as NodeInfo;
  if (terms && !terms.some((t) => matchNodeSelectorTerm(t, info))) return no;
  const tols = withDaemonTolerations(spec).tolerations ?? [];
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tols.some((t) => tolerates(t, taint as never))) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') shouldContinueRunning = false;
  }
  return { shouldRun, shouldContinueRunning };
}

/** intstr resolution against `total`, rounding up (5.3: DaemonSets round up, unlike Deployments). */
export function scaledValue(v: number | string | undefined, total: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(v);
  return Number.isInteger(n) ? n : dflt;
}

/** maxUnavailable for this rollout: both limits 0 with desired > 0 would deadlock, so 1. */
export function maxUnavailableOf(ds: DaemonSetObj, desired: number): number {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const mu = scaledValue(ru?.maxUnavailable as number | string | undefined, desired, 1);
  const ms = scaledValue(ru?.maxSurge as number | string | undefined, desired, 0);
  return mu === 0 && ms === 0 && desired > 0 ? 1 : mu;
}

export interface NodeRollState<P> {
  node: string;
  /** The node's current daemon pod (oldest active one), if any. */
  pod?: P;
  updated: boolean;
  available: boolean;
}

/**
 * 5.3 with maxSurge 0: old pods that are not available go freely; available old pods go
 * up to maxUnavailable − (nodes already unavailable: no pod, or a pod not yet available).
 * Returns the pods to delete; the manage pass then creates the new pod on the emptied node.
 */
export function rollingUpdateVictims<P>(nodes: NodeRollState<P>[], maxUnavailable: number): P[] {
  let unavailable = 0;
  const victims: P[] = [];
  const candidates: P[] = [];
  for (const n of [...nodes].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))) {
    if (!n.pod || !n.available) {
      unavailable++;
      if (n.pod && !n.updated) victims.push(n.pod);
      continue;
    }
    if (!n.updated) candidates.push(n.pod);
  }
  const budget = Math.max(0, maxUnavailable - unavailable);
  return [...victims, ...candidates.slice(0, budget)];
}
