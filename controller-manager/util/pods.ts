/**
 * Pod predicates every workload controller shares (CONTROLLERS.md 0.5, 0.6): active,
 * ready, available(minReadySeconds), and the order in which surplus pods are deleted.
 * Pure functions over API objects; time is passed in so tests pin it.
 */
import { resourcePath } from '../../shared/client/paths';
import type { Pod } from './types';

/** Kubernetes' annotation that lets users steer scale-down (lower cost goes first). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** Not finished and not being deleted: the pods a controller counts toward its replicas. */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

export function podReadyCondition(p: Pod) {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(p: Pod): boolean {
  return podReadyCondition(p)?.status === 'True';
}

/** Ready, and ready for strictly more than minReadySeconds (no event marks this moment: callers requeue). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const t = podReadyCondition(p)?.lastTransitionTime;
  if (!t) return false;
  return Date.parse(t) + minReadySeconds * 1000 < now.getTime();
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[POD_DELETION_COST];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

function maxRestarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** floor(log2(age in seconds)) — LogarithmicScaleDown buckets so near-equal ages tie and UIDs break ties randomly-but-stably. */
function logBucket(t: string | undefined, now: Date): number {
  if (!t) return Number.NEGATIVE_INFINITY; // no time counts as "most recent" → deleted first
  const age = Math.max(0, (now.getTime() - Date.parse(t)) / 1000);
  return age < 1 ? -1 : Math.floor(Math.log2(age));
}

/**
 * Comparator for scale-down: negative when `a` should be deleted before `b`
 * (CONTROLLERS.md 0.6). `rank` maps a pod's `ns/name` to the number of related active
 * pods on its node (doubled-up pods go first).
 */
export function compareForDeletion(a: Pod, b: Pod, rank: (p: Pod) => number, now: Date): number {
  const an = a.spec?.nodeName ?? '', bn = b.spec?.nodeName ?? '';
  if (!an !== !bn) return !an ? -1 : 1;
  const ap = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0, bp = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a), br = isPodReady(b);
  if (ar !== br) return ar ? 1 : -1;
  const ac = deletionCost(a), bc = deletionCost(b);
  if (ac !== bc) return ac - bc;
  const ak = rank(a), bk = rank(b);
  if (ak !== bk) return bk - ak;
  const uidTie = () => ((a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : (a.metadata.uid ?? '') > (b.metadata.uid ?? '') ? 1 : 0);
  if (ar && br) {
    const at = logBucket(podReadyCondition(a)?.lastTransitionTime, now), bt = logBucket(podReadyCondition(b)?.lastTransitionTime, now);
    // Shorter-ready (smaller age bucket) goes first.
    if (at !== bt) return at < bt ? -1 : 1;
    const u = uidTie();
    if (u !== 0) return u;
  }
  const arc = maxRestarts(a), brc = maxRestarts(b);
  if (arc !== brc) return brc - arc;
  const ab = logBucket(a.metadata.creationTimestamp, now), bb = logBucket(b.metadata.creationTimestamp, now);
  if (ab !== bb) return ab < bb ? -1 : 1;
  return uidTie();
}

/** The `n` pods to delete first, by the ranking above; all of them when n covers every pod. */
export function podsToDelete(pods: Pod[], n: number, rank: (p: Pod) => number, now: Date): Pod[] {
  if (n >= pods.length) return [...pods];
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank, now)).slice(0, n);
}

/** `/api/v1/namespaces/{ns}/pods[/{name}]` */
export function podPath(namespace: string, name?: string): string {
  return resourcePath({ group: '', version: 'v1', resource: 'pods', namespace, name });
}
