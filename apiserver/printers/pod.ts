/**
 * The Pod printer (PRINTERS.md §1): NAME READY STATUS RESTARTS AGE, wide IP NODE
 * NOMINATED-NODE READINESS-GATES.
 *
 * STATUS is not a field: it is derived by a small state machine over the phase, the
 * pod's reason, scheduling gates, the init-container statuses (with restartable "sidecar"
 * init containers counted as regular ones), the container statuses walked last-to-first,
 * and deletion. The order of those steps is what makes `Init:CrashLoopBackOff`,
 * `PodInitializing`, `NotReady` and `Terminating` appear exactly when kubectl users expect
 * them, so the steps below follow §1's numbering.
 */
import type { Container, ContainerStatus, Pod, PodCondition } from '../../shared/api/types';
import { ageSince, humanDuration, timestampMs } from './duration';
import { findCondition, orNone } from './format';
import { AGE_COLUMN, NAME_COLUMN, TableRowCondition, column, definePrinter, wide } from './table';

export const podColumns = [
  NAME_COLUMN,
  column('Ready', 'string', 'Ready containers out of all (regular and sidecar) containers.'),
  column('Status', 'string', 'The aggregate status of the pod, derived from its phase and container states.'),
  column('Restarts', 'string', 'Container restarts, with the time since the most recent one.'),
  AGE_COLUMN,
  wide('IP', 'string', 'The first pod IP.'),
  wide('Node', 'string', 'The node the pod is bound to.'),
  wide('Nominated Node', 'string', 'The node the scheduler nominated for this pod after preemption.'),
  wide('Readiness Gates', 'string', 'Readiness gates whose condition is True, out of all gates.'),
] as const;

const SUCCEEDED_CONDITION: TableRowCondition = { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' };
const FAILED_CONDITION: TableRowCondition = { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' };

/** A "sidecar": an init container that keeps running alongside the app containers. */
function isRestartable(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** The reason text of a terminated container that gave none: Signal:<n> beats ExitCode:<n>. */
function exitText(t: { signal?: number; exitCode: number }): string {
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

/** Tracks a restart counter and the latest `lastState.terminated.finishedAt` seen with it. */
class RestartTally {
  count = 0;
  last: number | undefined;

  add(status: ContainerStatus): void {
    this.count += status.restartCount ?? 0;
    const finished = timestampMs(status.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished;
  }

  copy(): RestartTally {
    const t = new RestartTally();
    t.count = this.count;
    t.last = this.last;
    return t;
  }
}

/** The STATUS/READY/RESTARTS computation: §1 steps 1–8. */
export function podStatus(pod: Pod): { reason: string; ready: number; total: number; restarts: RestartTally; conditions?: TableRowCondition[] } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  const podConditions: PodCondition[] = status.conditions ?? [];

  // 1. Counters.
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = new RestartTally();
  const sidecarRestarts = new RestartTally();

  // 2. A pod-level reason (Evicted, NodeLost, …) replaces the phase.
  let reason = status.reason ? status.reason : phase;

  // 3. Scheduling gates hold the pod before it is even Pending in any interesting way.
  if (podConditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  // 4. Row conditions for terminal pods.
  let conditions: TableRowCondition[] | undefined;
  if (phase === 'Succeeded') conditions = [SUCCEEDED_CONDITION];
  else if (phase === 'Failed') conditions = [FAILED_CONDITION];

  // 5. Sidecars count toward READY's denominator.
  const initSpecs = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isRestartable(c)) total++;
  }
  const initCount = spec?.initContainers?.length ?? 0;

  // 6. Init containers, in order, until one is still running or failing.
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const restartable = isRestartable(initSpecs.get(cs.name));
    restarts.add(cs);
    if (restartable) sidecarRestarts.add(cs);

    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason ? `Init:${terminated.reason}` : `Init:${exitText(terminated)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  // 7. Regular containers, unless still initializing. A pod already marked Initialized=True
  //    gets here even when an init status looks unfinished (e.g. a sidecar restarting), so
  //    its app containers, not the init phase, decide the status.
  if (!initializing || findCondition(podConditions, 'Initialized')?.status === 'True') {
    // Only sidecar restarts carry over: plain init containers' restarts belong to the init phase.
    restarts = sidecarRestarts.copy();
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walked backwards so that the lowest-index container with a notable state wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts.add(cs);
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = exitText(terminated);
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container next to a running one does not make the pod Completed.
    if (reason === 'Completed' && hasRunning) {
      reason = podConditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  // 8. Deletion. A terminal pod being deleted keeps its final reason.
  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  return { reason, ready, total, restarts, conditions };
}

/** READINESS GATES: gates whose condition (first match) is True, over all gates. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const passed = gates.filter((g) => findCondition(pod.status?.conditions, g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

/**
 * The first pod IP. On the v1 → internal conversion `status.podIP` is authoritative and
 * becomes podIPs[0], so a status that only carries podIP still shows it.
 */
function firstPodIP(pod: Pod): string {
  return orNone(pod.status?.podIP || pod.status?.podIPs?.[0]?.ip);
}

export const podPrinter = definePrinter<Pod>(podColumns, (pod, { now }) => {
  const { reason, ready, total, restarts, conditions } = podStatus(pod);
  const restartsText =
    restarts.count !== 0 && restarts.last !== undefined ? `${restarts.count} (${humanDuration(now - restarts.last)} ago)` : String(restarts.count);
  return {
    cells: [
      pod.metadata?.name ?? '',
      `${ready}/${total}`,
      reason,
      restartsText,
      ageSince(pod.metadata?.creationTimestamp, now),
      firstPodIP(pod),
      orNone(pod.spec?.nodeName),
      orNone(pod.status?.nominatedNodeName),
      readinessGates(pod),
    ],
    ...(conditions ? { conditions } : {}),
  };
});
