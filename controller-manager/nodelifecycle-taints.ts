/**
 * Node lifecycle's pure rules (CONTROLLERS.md §7.2–7.4): which taints a node's
 * conditions call for, whether a pod tolerates them and for how long, and how a
 * node's health is judged from heartbeats. No I/O and no clock reads: callers pass
 * `now`, so the timing is table-tested.
 */
import type { KObject } from '../shared/api/types';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
/** Nodes with this label do not count when judging whether the whole cluster is down. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';
/** The tolerationSeconds the DefaultTolerationSeconds admission plugin writes (300 s). */
export const ADMISSION_DEFAULT_TOLERATION_SECONDS = 300;

/** Every taint key this controller manages; taints with other keys are left alone. */
export const MANAGED_TAINT_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_PID_PRESSURE, TAINT_NETWORK_UNAVAILABLE]);

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export function readyStatus(conditions: NodeCondition[] | undefined): 'True' | 'False' | 'Unknown' {
  const c = (conditions ?? []).find((x) => x.type === 'Ready');
  return c?.status === 'True' ? 'True' : c?.status === 'False' ? 'False' : 'Unknown';
}

/** The managed taints a node should carry, given its conditions and spec (§7.3). */
export function desiredTaints(conditions: NodeCondition[] | undefined, unschedulable: boolean, opts: { noExecute: boolean }): Taint[] {
  const status = (type: string) => (conditions ?? []).find((c) => c.type === type)?.status;
  const out: Taint[] = [];
  const ready = readyStatus(conditions);
  if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoSchedule' });
  if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' });
  if (status('MemoryPressure') === 'True') out.push({ key: TAINT_MEMORY_PRESSURE, effect: 'NoSchedule' });
  if (status('DiskPressure') === 'True') out.push({ key: TAINT_DISK_PRESSURE, effect: 'NoSchedule' });
  if (status('PIDPressure') === 'True') out.push({ key: TAINT_PID_PRESSURE, effect: 'NoSchedule' });
  if (status('NetworkUnavailable') === 'True') out.push({ key: TAINT_NETWORK_UNAVAILABLE, effect: 'NoSchedule' });
  if (unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  if (opts.noExecute) {
    if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
    if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  }
  return out;
}

/**
 * The node's taints after reconciling the managed ones with `want`: foreign taints
 * kept as they are, managed ones that still apply kept (with their timeAdded), new
 * ones added with timeAdded = now, the rest removed. `changed` is false when nothing
 * differs, so callers skip the write.
 */
export function reconcileTaints(current: Taint[] | undefined, want: Taint[], now: string): { taints: Taint[]; changed: boolean } {
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const cur = current ?? [];
  const out: Taint[] = [];
  let changed = false;
  for (const t of cur) {
    if (!MANAGED_TAINT_KEYS.has(t.key) || want.some((w) => same(w, t))) out.push(t);
    else changed = true;
  }
  for (const w of want) {
    if (!cur.some((t) => same(t, w))) {
      out.push({ ...w, timeAdded: now });
      changed = true;
    }
  }
  return { taints: out, changed };
}

/** Does `tol` tolerate `taint` (Kubernetes' ToleratesTaint)? */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  const op = tol.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (tol.value ?? '') === (taint.value ?? '');
  return false;
}

/** Is this the toleration DefaultTolerationSeconds admission wrote (so the controller's option may stand in for it)? */
function isAdmissionDefault(tol: Toleration): boolean {
  return (tol.key === TAINT_NOT_READY || tol.key === TAINT_UNREACHABLE) && tol.operator === 'Exists' && tol.effect === 'NoExecute' && tol.tolerationSeconds === ADMISSION_DEFAULT_TOLERATION_SECONDS;
}

/**
 * How long a pod may stay on a node with these NoExecute taints (§7.4): 0 if one is
 * not tolerated; else the smallest tolerationSeconds among the matching tolerations
 * (≤ 0 → 0); Infinity when they all tolerate forever.
 *
 * The admission default (300 s for not-ready/unreachable) is replaced by
 * `defaultSeconds` (the controller's podEvictionTimeoutSeconds), so the flag that
 * shrinks the eviction timeout for tests and operators works on ordinary pods; a pod
 * that chose its own tolerationSeconds keeps it. A pod with no toleration for our own
 * not-ready/unreachable taints (admission normally adds them) also gets `defaultSeconds`.
 */
export function evictionDelaySeconds(tolerations: Toleration[] | undefined, noExecuteTaints: Taint[], defaultSeconds: number): number {
  let min = Infinity;
  for (const taint of noExecuteTaints) {
    const matching = (tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) {
      if (taint.key === TAINT_NOT_READY || taint.key === TAINT_UNREACHABLE) {
        min = Math.min(min, Math.max(0, defaultSeconds));
        continue;
      }
      return 0;
    }
    for (const t of matching) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const secs = isAdmissionDefault(t) ? defaultSeconds : t.tolerationSeconds;
      min = Math.min(min, Math.max(0, secs));
    }
  }
  return min;
}

/**
 * The heartbeat age rule (§7.2). `lastProbe` is the controller's own record of when it
 * last saw a heartbeat change (undefined the first time it sees the node); on first
 * sight the reported Lease renewTime / Ready lastHeartbeatTime stand in (so a node whose
 * lease is already old is judged at once), falling back to the node's creation time.
 */
export function heartbeatTime(reported: (string | undefined)[], creationTimestamp: string | undefined, lastProbe: number | undefined): number {
  const times = reported.filter((t): t is string => !!t).map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
  const rep = times.length > 0 ? Math.max(...times) : creationTimestamp ? Date.parse(creationTimestamp) : 0;
  return lastProbe === undefined ? rep : Math.max(lastProbe, rep);
}

const UNKNOWN_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The conditions after the grace period ran out without a heartbeat: the four watched
 * conditions become Unknown (missing ones are added as NodeStatusNeverUpdated),
 * NetworkUnavailable and others are untouched. `changed` reports whether Ready changed,
 * the only change Kubernetes writes for.
 */
export function markUnknown(conditions: NodeCondition[] | undefined, creationTimestamp: string | undefined, now: string): { conditions: NodeCondition[]; changed: boolean } {
  const out = (conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of UNKNOWN_TYPES) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      out.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: creationTimestamp, lastTransitionTime: now });
      if (type === 'Ready') changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
      if (type === 'Ready') changed = true;
    }
  }
  return { conditions: out, changed };
}

/** Full disruption: there are nodes that count, and none of them is Ready. */
export function allNodesNotReady(nodes: KObject[], isReady: (n: KObject) => boolean): boolean {
  const counted = nodes.filter((n) => !(LABEL_EXCLUDE_DISRUPTION in (n.metadata.labels ?? {})));
  return counted.length > 0 && counted.every((n) => !isReady(n));
}

// ---------------------------------------------------------------- zones and rate limiting

/** kube-controller-manager defaults (§7.1). */
export const DEFAULT_NODE_EVICTION_RATE = 0.1;
export const DEFAULT_SECONDARY_NODE_EVICTION_RATE = 0.01;
export const DEFAULT_LARGE_CLUSTER_SIZE_THRESHOLD = 50;
export const DEFAULT_UNHEALTHY_ZONE_THRESHOLD = 0.55;

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The zone key Kubernetes uses: region and zone labels (empty for unlabelled nodes). */
export function zoneOf(n: KObject): string {
  const l = n.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return `${region}:\x00:${zone}`;
}

/** §7.3: Full if no node is ready; Partial if more than 2 are not ready and they are ≥ threshold of the zone. */
export function zoneState(ready: number, notReady: number, unhealthyThreshold = DEFAULT_UNHEALTHY_ZONE_THRESHOLD): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}

/** Tainting rate (nodes per second) for a zone in a state; 0 stops NoExecute tainting there. */
export function zoneEvictionRate(state: ZoneState, zoneSize: number, rates: { primary: number; secondary: number; largeClusterThreshold: number }): number {
  if (state === 'PartialDisruption') return zoneSize > rates.largeClusterThreshold ? rates.secondary : 0;
  return rates.primary;
}

/** A token bucket with burst 1 (client-go's flowcontrol rate limiter as the node controller uses it). */
export class TokenBucket {
  private tokens = 1;
  private last?: number;

  constructor(public rate: number) {}

  /** Takes a token at `now` (ms); otherwise returns how many ms until one is due (Infinity at rate 0). */
  tryTake(now: number): { ok: true } | { ok: false; waitMs: number } {
    // Rate 0 never admits, not even the burst (client-go's "never" limiter the node controller swaps in).
    if (this.rate <= 0) {
      this.last = now;
      return { ok: false, waitMs: Infinity };
    }
    if (this.last !== undefined) this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil(((1 - this.tokens) / this.rate) * 1000) };
  }
}
