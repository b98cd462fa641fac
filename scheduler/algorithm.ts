/**
 * One scheduling decision: filter the nodes, score the feasible ones, pick the best
 * (ties broken at random so equal nodes share the load), or explain the failure in
 * kube-scheduler's words.
 *
 * Synchronous and side-effect free (the caller assumes the result in the cache), so a
 * decision always sees one consistent cache state. Like kube-scheduler, on large
 * clusters it stops filtering once it has found enough feasible nodes
 * (percentageOfNodesToScore) and starts each search where the last one stopped, so every
 * node gets considered over time; when nothing fits it has looked at every node, so the
 * failure message always counts all of them.
 */
import type { Pod } from '../shared/api/types';
import { podInfoOf, type NodeInfo } from './cache';
import { runFilters, scoreNode, type FilterFailure } from './plugins';

/** Upstream defaults: below this many nodes all are scored; above, an adaptive share, never under 5 %. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export type ScheduleResult =
  | { nodeName: string; evaluated: number; feasible: number }
  | { nodeName?: undefined; message: string; failures: Map<string, FilterFailure> };

/** Upstream numFeasibleNodesToFind with percentageOfNodesToScore unset (adaptive: 50 % − nodes/125). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

/** Go's sort.Strings order (byte-wise; our messages are ASCII, where UTF-16 order agrees). */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function histogram(values: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Upstream sorts the formatted "<count> <reason>" strings, not the reasons.
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder).join(', ');
}

/**
 * The FailedScheduling message of kube-scheduler 1.32: the filter histogram, then what
 * preemption found. k8ts does not preempt, which is what upstream reports when no node
 * has lower-priority victims — the usual case (every pod at priority 0).
 */
export function fitErrorMessage(pod: Pod, numAllNodes: number, failures: Map<string, FilterFailure>): string {
  const reasons: string[] = [];
  for (const f of failures.values()) reasons.push(...f.reasons);
  let msg = `0/${numAllNodes} nodes are available: ${histogram(reasons)}.`;
  if (pod.spec?.preemptionPolicy === 'Never') {
    msg += ' preemption: not eligible due to preemptionPolicy=Never.';
  } else {
    const post = [...failures.values()].map((f) => (f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod'));
    msg += ` preemption: 0/${numAllNodes} nodes are available: ${histogram(post)}.`;
  }
  return msg;
}

export class Algorithm {
  /** Where the next search starts (upstream nextStartNodeIndex). */
  private nextStart = 0;

  constructor(private readonly random: () => number = Math.random) {}

  schedule(pod: Pod, nodes: readonly NodeInfo[]): ScheduleResult {
    const n = nodes.length;
    if (n === 0) return { message: NO_NODES_AVAILABLE, failures: new Map() };
    const pi = podInfoOf(pod, '');
    const want = numFeasibleNodesToFind(n);
    const failures = new Map<string, FilterFailure>();
    let best: NodeInfo | undefined;
    let bestScore = -1;
    let ties = 0;
    let feasible = 0;
    let i = 0;
    for (; i < n && feasible < want; i++) {
      const node = nodes[(this.nextStart + i) % n];
      const failure = runFilters(pod, pi, node);
      if (failure) {
        failures.set(node.name, failure);
        continue;
      }
      feasible++;
      const score = scoreNode(pi, node);
      if (score > bestScore) {
        best = node;
        bestScore = score;
        ties = 1;
      } else if (score === bestScore) {
        // Reservoir sampling: each of the k tied nodes ends up chosen with probability 1/k.
        ties++;
        if (this.random() * ties < 1) best = node;
      }
    }
    this.nextStart = (this.nextStart + i) % n;
    if (!best) return { message: fitErrorMessage(pod, n, failures), failures };
    return { nodeName: best.name, evaluated: i, feasible };
  }
}
