/**
 * The scheduler cache: per node, what is already requested (by bound pods and by pods
 * this scheduler has just assumed onto it), kept up to date incrementally from informer
 * events so a scheduling attempt never recomputes node usage from all pods.
 *
 * Concurrency: single-threaded (the Node event loop). Informer handlers and the
 * scheduling cycle mutate it between awaits; a scheduling decision (filter, score,
 * assume) runs synchronously, so two decisions never interleave — the same "one pod at
 * a time" cycle kube-scheduler has, with bindings in flight concurrently.
 *
 * Guarantees:
 * - A pod counts on at most one node, once: its contribution is remembered per pod key
 *   and removed exactly as it was added (integer arithmetic, no drift).
 * - Pods count while bound and not terminal (phase Succeeded/Failed frees resources),
 *   including pods being deleted, which still hold their resources until gone.
 * - An assumed pod (binding POSTed, informer not caught up) counts on its chosen node
 *   until the informer reports it bound (the observed state then replaces it) or
 *   `forget` drops it after a failed binding.
 */
import type { Node, Pod } from '../shared/api/types';
import { keyOf } from '../shared/controller/informer';
import { milliValueRoundedUp, valueRoundedUp } from '../shared/quantity';
import { podHostPorts, podRequests, type HostPort, type Resources } from './resources';

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';
export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** What a pod contributes to its node, computed once when it is added. */
export interface PodInfo {
  key: string;
  uid?: string;
  nodeName: string;
  requests: Resources;
  /** Requests with scoring defaults for missing values (upstream NonZeroRequested). */
  nonZero: Resources;
  ports: HostPort[];
}

/** A node as the filters and scores read it; derived fields are refreshed on every Node update. */
export class NodeInfo {
  node?: Node;
  allocatable: Resources & { pods: number } = { milliCPU: 0, memory: 0, pods: 0 };
  /** spec.taints, plus the not-ready taint when the Ready condition is not True. */
  taints: Taint[] = [];
  unschedulable = false;
  labels: Record<string, string> = {};
  requested: Resources = { milliCPU: 0, memory: 0 };
  nonZeroRequested: Resources = { milliCPU: 0, memory: 0 };
  podCount = 0;
  /** `protocol/port` → host IP → how many pods hold it. */
  readonly usedPorts = new Map<string, Map<string, number>>();

  constructor(readonly name: string) {}

  setNode(node: Node): void {
    this.node = node;
    const alloc = (node.status?.allocatable ?? {}) as Record<string, unknown>;
    this.allocatable = { milliCPU: milliValueRoundedUp(alloc.cpu ?? 0), memory: valueRoundedUp(alloc.memory ?? 0), pods: valueRoundedUp(alloc.pods ?? 0) };
    this.labels = { ...(node.metadata?.labels ?? {}) };
    this.unschedulable = node.spec?.unschedulable === true;
    const taints: Taint[] = (node.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
    // The node lifecycle controller taints a node whose Ready condition is not True with
    // not-ready:NoSchedule; we apply the same rule ourselves so a node that never
    // reported Ready (or stopped) gets no pods, whoever runs the taint manager.
    if (!isNodeReady(node) && !taints.some((t) => t.key === NOT_READY_TAINT_KEY && t.effect === 'NoSchedule')) {
      taints.push({ key: NOT_READY_TAINT_KEY, effect: 'NoSchedule' });
    }
    this.taints = taints;
  }

  addPod(p: PodInfo): void {
    this.apply(p, 1);
  }

  removePod(p: PodInfo): void {
    this.apply(p, -1);
  }

  private apply(p: PodInfo, sign: 1 | -1): void {
    this.requested.milliCPU += sign * p.requests.milliCPU;
    this.requested.memory += sign * p.requests.memory;
    this.nonZeroRequested.milliCPU += sign * p.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * p.nonZero.memory;
    this.podCount += sign;
    for (const hp of p.ports) {
      const k = `${hp.protocol}/${hp.port}`;
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      const n = (ips.get(hp.ip) ?? 0) + sign;
      if (n > 0) ips.set(hp.ip, n);
      else ips.delete(hp.ip);
      if (ips.size === 0) this.usedPorts.delete(k);
    }
  }
}

export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podInfoOf(pod: Pod, nodeName: string): PodInfo {
  return { key: keyOf(pod), uid: pod.metadata?.uid, nodeName, requests: podRequests(pod), nonZero: podRequests(pod, true), ports: podHostPorts(pod) };
}

interface PodState {
  info: PodInfo;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  /** Nodes that exist as Node objects, in a stable order for round-robin filtering; rebuilt only when the node set changes. */
  private list: NodeInfo[] = [];
  private listDirty = false;

  /** The schedulable universe: NodeInfos that have a Node object. */
  nodeList(): NodeInfo[] {
    if (this.listDirty) {
      this.list = [...this.nodes.values()].filter((n) => n.node);
      this.listDirty = false;
    }
    return this.list;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  private infoFor(name: string): NodeInfo {
    let ni = this.nodes.get(name);
    if (!ni) {
      // Pods can be seen bound to a node before the Node itself arrives: keep their usage.
      ni = new NodeInfo(name);
      this.nodes.set(name, ni);
    }
    return ni;
  }

  setNode(node: Node): void {
    const ni = this.infoFor(node.metadata!.name!);
    if (!ni.node) this.listDirty = true;
    ni.setNode(node);
  }

  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.listDirty = true;
    // Keep the usage of pods still bound to it (they will be deleted by the node
    // lifecycle controller); drop the entry entirely once it carries nothing.
    if (ni.podCount === 0) this.nodes.delete(name);
    else ni.node = undefined;
  }

  /** Observed state of a pod from the informer (add or update). */
  updatePod(pod: Pod): void {
    const key = keyOf(pod);
    const nodeName = pod.spec?.nodeName;
    const prev = this.pods.get(key);
    if (!nodeName || isTerminal(pod)) {
      // Unbound (an assumed pod's binding not yet visible) keeps the assumption; a
      // terminal pod frees its node.
      if (prev && (!prev.assumed || isTerminal(pod))) this.drop(key, prev);
      return;
    }
    if (prev && !prev.assumed && prev.info.nodeName === nodeName && prev.info.uid === pod.metadata?.uid) return; // nothing we account changed
    if (prev) this.drop(key, prev);
    const info = podInfoOf(pod, nodeName);
    this.pods.set(key, { info, assumed: false });
    this.infoFor(nodeName).addPod(info);
  }

  /** The pod is gone. Returns whether it was holding resources on a node. */
  removePod(pod: Pod): boolean {
    const key = keyOf(pod);
    const prev = this.pods.get(key);
    if (!prev) return false;
    this.drop(key, prev);
    return true;
  }

  /** Counts `pod` on `nodeName` before the binding is confirmed (kube-scheduler's assume). */
  assume(pod: Pod, nodeName: string): void {
    const key = keyOf(pod);
    const prev = this.pods.get(key);
    if (prev) this.drop(key, prev);
    const info = podInfoOf(pod, nodeName);
    this.pods.set(key, { info, assumed: true });
    this.infoFor(nodeName).addPod(info);
  }

  /** Drops an assumption after a failed binding. No-op when the informer already confirmed the pod. */
  forget(key: string): void {
    const prev = this.pods.get(key);
    if (prev?.assumed) this.drop(key, prev);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  /** The node the pod counts on (assumed or confirmed), if any. */
  nodeOf(key: string): string | undefined {
    return this.pods.get(key)?.info.nodeName;
  }

  private drop(key: string, st: PodState): void {
    this.pods.delete(key);
    const ni = this.nodes.get(st.info.nodeName);
    if (!ni) return;
    ni.removePod(st.info);
    if (!ni.node && ni.podCount === 0) this.nodes.delete(ni.name);
  }
}
