/**
 * Pure Deployment logic (CONTROLLERS.md §2): maxSurge/maxUnavailable resolution, the
 * rolling-update step sizes, proportional scaling, revisions and annotations, status and
 * conditions. No I/O, no clock reads (time is passed in), so unit tests replay the
 * worked examples of the spec step by step.
 */
import type { Deployment, ReplicaSet } from './util/types';
import { canonicalJson } from './util/template';
import { compactStatus, rfc3339 } from './replicaset-util';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Upstream keeps revision-history under this many characters, dropping the oldest. */
export const MAX_REV_HISTORY_LENGTH = 2000;
/** progressDeadlineSeconds = MaxInt32 means "no deadline". */
const MAX_INT32 = 2147483647;

/** Deployment annotations that are the controller's own and never copied onto a ReplicaSet. */
const SKIP_COPY = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION]);

export type DStatus = NonNullable<Deployment['status']>;
export type DCondition = NonNullable<DStatus['conditions']>[number];

// ---------------------------------------------------------------- counts

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpec = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const sumReady = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const sumAvailable = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
export const filterActive = (rss: ReplicaSet[]) => rss.filter((rs) => specReplicas(rs) > 0);

export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

// ---------------------------------------------------------------- surge / unavailable (2.4)

/** An IntOrString against a total: percentages round up or down, ints as-is. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(v)}`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** surge rounds up, unavailable down; both 0 → unavailable 1 so a rollout can always move. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const isRolling = (d: Deployment) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

function fenceposts(d: Deployment) {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', desiredReplicas(d));
}

export function maxUnavailable(d: Deployment): number {
  const replicas = desiredReplicas(d);
  if (!isRolling(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

export function maxSurge(d: Deployment): number {
  return isRolling(d) ? fenceposts(d).surge : 0;
}

// ---------------------------------------------------------------- rolling steps (2.5)

/** The new RS's next size (NewRSNewReplicas): grow into the room maxSurge leaves. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRolling(d)) return desiredReplicas(d);
  const replicas = desiredReplicas(d);
  const current = sumSpec(allRSs);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
  return specReplicas(newRS) + Math.max(0, scaleUp);
}

const byCreation = (a: ReplicaSet, b: ReplicaSet): number => {
  const ta = a.metadata.creationTimestamp ?? '', tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '', nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
};
export const sortOldestFirst = (rss: ReplicaSet[]) => [...rss].sort(byCreation);

/**
 * Availability an RS may be credited with. A status that has not yet observed the RS's
 * latest spec may still count pods that are being scaled away; capping by spec keeps
 * "never fewer available than replicas − maxUnavailable" true while statuses catch up.
 */
function creditedAvailable(rs: ReplicaSet): number {
  const avail = rs.status?.availableReplicas ?? 0;
  const stale = (rs.status?.observedGeneration ?? 0) < (rs.metadata.generation ?? 0);
  return stale ? Math.min(avail, specReplicas(rs)) : avail;
}

/**
 * reconcileOldReplicaSets as a plan: the new sizes of old RSes (by name) for one sync —
 * first drop unavailable old pods (cleanupUnhealthyReplicas), then scale old RSes down
 * oldest first while availability stays ≥ replicas − maxUnavailable.
 */
export function planOldScaleDown(d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Map<string, number> {
  const plan = new Map<string, number>();
  const active = filterActive(oldRSs);
  if (sumSpec(active) === 0) return plan;
  const allPods = sumSpec(allRSs);
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;
  const size = (rs: ReplicaSet) => plan.get(rs.metadata.name!) ?? specReplicas(rs);

  // cleanupUnhealthyReplicas: unavailable pods of old RSes cost no availability to remove.
  let cleaned = 0;
  for (const rs of sortOldestFirst(active)) {
    if (cleaned >= maxScaledDown) break;
    const spec = size(rs);
    const avail = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec <= avail) continue;
    const n = Math.min(maxScaledDown - cleaned, spec - avail);
    plan.set(rs.metadata.name!, spec - n);
    cleaned += n;
  }

  // scaleDownOldReplicaSetsForRollingUpdate
  const available = allRSs.reduce((n, rs) => n + creditedAvailable(rs), 0);
  if (available <= minAvailable) return plan;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of sortOldestFirst(active)) {
    if (scaled >= total) break;
    const spec = size(rs);
    if (spec === 0) continue;
    const n = Math.min(spec, total - scaled);
    plan.set(rs.metadata.name!, spec - n);
    scaled += n;
  }
  return plan;
}

// ---------------------------------------------------------------- proportional scaling (2.6)

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/** Go's math.Round: half away from zero. */
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** The active RS to scale directly (one active, or the newest when none), else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = sortOldestFirst(oldRSs).reverse();
  const all = filterActive([...newestFirst, ...(newRS ? [newRS] : [])]);
  if (all.length === 0) return newRS ?? newestFirst[0];
  if (all.length === 1) return all[0];
  return undefined;
}

export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const want = desiredReplicas(d);
  return specReplicas(rs) === want && intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** A Deployment scale (not a template change) is pending when an active RS was sized for another replica count. */
export function isScalingEvent(d: Deployment, rss: ReplicaSet[]): boolean {
  return filterActive(rss).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== desiredReplicas(d);
  });
}

/**
 * Proportional scaling across active RSes (RollingUpdate mid-rollout): new sizes by name
 * and the direction word for the events. Largest RS absorbs the rounding leftover.
 */
export function planProportionalScale(d: Deployment, activeRSs: ReplicaSet[]): { sizes: Map<string, number>; op: 'up' | 'down' } {
  const replicas = desiredReplicas(d);
  const surge = maxSurge(d);
  const allowed = replicas > 0 ? replicas + surge : 0;
  const toAdd = allowed - sumSpec(activeRSs);
  const rss = [...activeRSs];
  const op: 'up' | 'down' = toAdd > 0 ? 'up' : 'down';
  if (toAdd > 0) rss.sort((a, b) => specReplicas(b) - specReplicas(a) || -byCreation(a, b));
  else if (toAdd < 0) rss.sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(a, b));
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of rss) {
    if (toAdd === 0) {
      sizes.set(rs.metadata.name!, specReplicas(rs));
      continue;
    }
    let proportion = 0;
    if (specReplicas(rs) !== 0 && toAdd !== added) {
      let fraction: number;
      if (replicas === 0) fraction = -specReplicas(rs);
      else {
        const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
        fraction = annotated > 0 ? roundHalfAway((specReplicas(rs) * (replicas + surge)) / annotated) - specReplicas(rs) : 0;
      }
      const left = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }
    sizes.set(rs.metadata.name!, specReplicas(rs) + proportion);
    added += proportion;
  }
  if (toAdd !== 0 && rss.length) {
    const first = rss[0].metadata.name!;
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return { sizes, op };
}

// ---------------------------------------------------------------- revisions and annotations (2.3)

export function revisionOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs) ?? 0), 0);
}

/** Sets desired/max-replicas annotations; returns whether anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of [[DESIRED_REPLICAS_ANNOTATION, String(desired)], [MAX_REPLICAS_ANNOTATION, String(max)]]) {
    if (a[k] !== v) {
      a[k] = v;
      changed = true;
    }
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's own annotations (change-cause…),
 * raise the revision to `newRevision` when lower (recording the old one in
 * revision-history), and for a fresh RS the replicas annotations. Mutates `rs`.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION_ANNOTATION];
  let oldInt = 0;
  if (oldRevision !== undefined) {
    oldInt = Number(oldRevision);
    if (!Number.isInteger(oldInt)) return changed;
  }
  if (oldInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined && oldRevision !== '') {
      const hist = a[REVISION_HISTORY_ANNOTATION] ? a[REVISION_HISTORY_ANNOTATION].split(',') : [];
      hist.push(oldRevision);
      while (hist.join(',').length > MAX_REV_HISTORY_LENGTH && hist.length > 1) hist.shift();
      a[REVISION_HISTORY_ANNOTATION] = hist.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

// ---------------------------------------------------------------- conditions and status (2.9)

export const hasProgressDeadline = (d: Deployment) => d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== null && d.spec.progressDeadlineSeconds !== MAX_INT32;

export function getCondition(s: DStatus | undefined, type: string): DCondition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Date): DCondition {
  const t = rfc3339(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/** Same status and reason → untouched; same status → keep transition time; the changed one goes last. */
export function setCondition(s: DStatus, c: DCondition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(s: DStatus, type: string): void {
  if (s.conditions) s.conditions = s.conditions.filter((c) => c.type !== type);
}

/** calculateStatus: counts over all RSes, and the Available condition. */
export function calculateStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: Date): DStatus {
  const available = sumAvailable(allRSs);
  const status: DStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(allRSs),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sumReady(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(allRSs) - available),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= desiredReplicas(d) - maxUnavailable(d)) setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  else setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return status;
}

export function deploymentComplete(d: Deployment, s: DStatus): boolean {
  const want = desiredReplicas(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

export function deploymentProgressing(d: Deployment, s: DStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: Deployment, s: DStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return from + d.spec!.progressDeadlineSeconds! * 1000 < now.getTime();
}

const rsOrDeployment = (newRS: ReplicaSet | undefined, d: Deployment) => (newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`);

/** syncRolloutStatus's condition logic: the status to write (Progressing + ReplicaFailure). */
export function rolloutStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: Date): DStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `${rsOrDeployment(newRS, d)} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, s)) {
      // Always rewritten so lastUpdateTime moves: the deadline counts from the last progress.
      const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${rsOrDeployment(newRS, d)} is progressing.`, now);
      if (cur && cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', `${rsOrDeployment(newRS, d)} has timed out progressing.`, now));
    }
  }
  const failure = [newRS, ...allRSs].find((rs) => rs?.status?.conditions?.some((c) => c.type === 'ReplicaFailure'));
  const fc = failure?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (fc) setCondition(s, { type: 'ReplicaFailure', status: fc.status, reason: fc.reason, message: fc.message, lastUpdateTime: fc.lastTransitionTime, lastTransitionTime: fc.lastTransitionTime });
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/** When to look again at a deployment whose status did not change: at the deadline (+1 s). */
export function requeueForDeadline(d: Deployment, s: DStatus, now: Date): number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === 'ProgressDeadlineExceeded') return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + d.spec!.progressDeadlineSeconds! * 1000 - now.getTime();
  return Math.max(0, after) + 1000;
}

/** Go's omitempty on the counts; conditions and collisionCount kept. */
export function normalizeDeploymentStatus(s: DStatus | undefined): DStatus {
  const out = compactStatus({ ...(s ?? {}) }) as DStatus;
  if (s?.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}

export function deploymentStatusEqual(a: DStatus | undefined, b: DStatus | undefined): boolean {
  return canonicalJson(normalizeDeploymentStatus(a)) === canonicalJson(normalizeDeploymentStatus(b));
}

/** Cleanup order (2.10): revision ascending, then creation time, then name. */
export function sortByRevision(rss: ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort((a, b) => (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0) || byCreation(a, b));
}

/** Old RSes revisionHistoryLimit says to delete (only fully scaled-down, settled ones). */
export function historyToDelete(d: Deployment, oldRSs: ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  return sortByRevision(alive)
    .slice(0, excess)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0));
}
