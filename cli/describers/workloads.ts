/**
 * `describe deployment` and `describe replicaset`: kubectl v1.32's layouts, including
 * OldReplicaSets/NewReplicaSet (ReplicaSets the Deployment controls, the new one being
 * the one whose pod template equals the Deployment's, ignoring pod-template-hash) and
 * the pod phase counts of a ReplicaSet.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { deepEqual } from '../apply-patch';
import { rfc1123z } from '../printers/duration';
import { describeEvents, describePodTemplate, formatLabelSelector, formatLabelSelectorOrNone, printAnnotationsMultiline, printController, printLabelsMultiline } from './common';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer';

const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const c = structuredClone(t ?? {}) as PodTemplateSpec;
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  if (c.metadata && (c.metadata as { creationTimestamp?: unknown }).creationTimestamp === null) delete (c.metadata as { creationTimestamp?: unknown }).creationTimestamp;
  return c;
}

/** Splits the ReplicaSets a Deployment controls into the new one and the old ones. */
export function classifyReplicaSets(d: Deployment, all: ReplicaSet[]): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const owned = all.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid));
  const byAge = [...owned].sort((a, b) => (Date.parse(a.metadata?.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata?.creationTimestamp ?? '') || 0));
  const target = withoutHash(d.spec?.template);
  let newRS = byAge.find((rs) => deepEqual(withoutHash(rs.spec?.template), target));
  if (!newRS) {
    const rev = d.metadata?.annotations?.[REVISION];
    if (rev) newRS = byAge.find((rs) => rs.metadata?.annotations?.[REVISION] === rev);
  }
  return { newRS, oldRSs: byAge.filter((rs) => rs !== newRS) };
}

function rsList(list: ReplicaSet[]): string {
  const s = list.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
  return s || '<none>';
}

/** IntOrString as Go's String(): numbers plain, strings as is. */
function intOrString(v: number | string | undefined, dflt: string): string {
  return v === undefined || v === null ? dflt : String(v);
}

export function describeDeployment(d: Deployment, rss: ReplicaSet[] | null, events: Event[] | null, now: Date): string {
  const w = new PrefixWriter();
  const meta = d.metadata ?? {};
  const spec = d.spec;
  const status = d.status ?? {};
  w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec?.selector)}\n`);
  w.write(LEVEL_0, `Replicas:\t${spec?.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`);
  w.write(LEVEL_0, `StrategyType:\t${spec?.strategy?.type ?? ''}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${spec?.minReadySeconds ?? 0}\n`);
  const ru = spec?.strategy?.rollingUpdate;
  if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable, '25%')} max unavailable, ${intOrString(ru.maxSurge, '25%')} max surge\n`);
  describePodTemplate(spec?.template, w);
  if (status.conditions && status.conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(LEVEL_1, '----\t------\t------\n');
    for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  if (rss) {
    const { newRS, oldRSs } = classifyReplicaSets(d, rss);
    if (newRS || oldRSs.length > 0) {
      w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    }
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** Running / Waiting (Pending) / Succeeded / Failed counts of the pods a ReplicaSet controls. */
export function podPhaseCounts(rsUid: string | undefined, pods: Pod[]): { running: number; waiting: number; succeeded: number; failed: number } {
  const counts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    if (rsUid && !p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === rsUid)) continue;
    switch (p.status?.phase) {
      case 'Running': counts.running++; break;
      case 'Pending': counts.waiting++; break;
      case 'Succeeded': counts.succeeded++; break;
      case 'Failed': counts.failed++; break;
    }
  }
  return counts;
}

export function describeReplicaSet(rs: ReplicaSet, pods: Pod[] | string, events: Event[] | null, now: Date): string {
  const w = new PrefixWriter();
  const meta = rs.metadata ?? {};
  w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelectorOrNone(rs.spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  const controlledBy = printController(meta);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(LEVEL_0, 'Pods Status:\t');
  if (typeof pods === 'string') w.write(LEVEL_0, `error in fetching pods: ${pods}\n`);
  else {
    const c = podPhaseCounts(meta.uid, pods);
    w.write(LEVEL_0, `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed\n`);
  }
  describePodTemplate(rs.spec?.template, w);
  const conds = rs.status?.conditions ?? [];
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(LEVEL_1, '----\t------\t------\n');
    for (const c of conds) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}
