/**
 * Pure ReplicaSet logic (CONTROLLERS.md 1.2): status from the claimed active pods, the
 * ReplicaFailure condition rule, and the "did anything change" test that decides whether
 * a status write is needed. No I/O here, so unit tests pin every case.
 */
import type { Pod, ReplicaSet } from './util/types';
import { isPodAvailable, isPodReady } from './util/pods';
import { canonicalJson } from './util/template';

export type RSStatus = NonNullable<ReplicaSet['status']>;
export type RSCondition = NonNullable<RSStatus['conditions']>[number];

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `manageError` is the error of this sync's create/delete step, with the direction it
 * failed in: too few pods → FailedCreate, too many → FailedDelete.
 */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: Pod[], manageError: { message: string; reason: 'FailedCreate' | 'FailedDelete' } | undefined, now: Date): RSStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0, ready = 0, available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    conditions.push({ type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: rfc3339(now) });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: RSStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
  };
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** Go's omitempty: zero counts are not serialised, so compare (and write) without them. */
export function compactStatus<T extends object>(s: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || v === null || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as T;
}

/** Status is written only when a count, the conditions or observedGeneration differ (1.2). */
export function replicaSetStatusChanged(rs: ReplicaSet, next: RSStatus): boolean {
  const cur: RSStatus = rs.status ?? { replicas: 0 };
  const pick = (s: RSStatus) => canonicalJson(compactStatus({ replicas: s.replicas, fullyLabeledReplicas: s.fullyLabeledReplicas, readyReplicas: s.readyReplicas, availableReplicas: s.availableReplicas, conditions: s.conditions }));
  return pick(cur) !== pick(next) || rs.metadata.generation !== cur.observedGeneration;
}
