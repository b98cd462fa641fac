/**
 * Resource arithmetic for scheduling: quantities as integers (CPU in millicores, memory
 * in bytes) and a pod's effective requests the way Kubernetes computes them.
 *
 * Pure functions, no I/O. Guarantees: integer results (CPU rounds up to the next
 * millicore, like Quantity.MilliValue; bytes round up, like Quantity.Value), so sums
 * kept incrementally in the cache never drift; an unparsable quantity counts as 0
 * because the API server already rejected malformed ones.
 */
import type { Container, Pod } from '../shared/api/types';
import { milliValueRoundedUp, valueRoundedUp } from '../shared/quantity';

/** What the scheduler accounts per pod and per node. */
export interface Resources {
  milliCPU: number;
  memory: number;
}

/** Scoring substitutes these for missing requests (upstream DefaultMilliCPURequest / DefaultMemoryRequest) so best-effort pods still spread. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function containerRequests(c: Container, nonZero: boolean): Resources {
  const req = (c.resources?.requests ?? {}) as Record<string, unknown>;
  // A container with limits but no requests gets requests = limits from API defaulting;
  // read limits too in case a client bypassed it.
  const lim = (c.resources?.limits ?? {}) as Record<string, unknown>;
  const cpu = req.cpu ?? lim.cpu;
  const mem = req.memory ?? lim.memory;
  return {
    milliCPU: cpu === undefined ? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0) : milliValueRoundedUp(cpu),
    memory: mem === undefined ? (nonZero ? DEFAULT_MEMORY_REQUEST : 0) : valueRoundedUp(mem),
  };
}

const add = (a: Resources, b: Resources): Resources => ({ milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory });
const max = (a: Resources, b: Resources): Resources => ({ milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory) });

/**
 * The pod's effective requests, as Kubernetes' resource helpers compute them: app
 * containers run together (sum), init containers run one at a time before them (max),
 * sidecars (init containers with restartPolicy Always) keep running so they add to
 * everything after them; then the pod overhead. `nonZero` substitutes the scoring
 * defaults for missing requests.
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  let apps: Resources = { milliCPU: 0, memory: 0 };
  for (const c of spec?.containers ?? []) apps = add(apps, containerRequests(c, nonZero));
  let sidecars: Resources = { milliCPU: 0, memory: 0 };
  let inits: Resources = { milliCPU: 0, memory: 0 };
  for (const c of spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, r);
      inits = max(inits, sidecars);
    } else {
      inits = max(inits, add(r, sidecars));
    }
  }
  let total = max(add(apps, sidecars), inits);
  const overhead = (spec?.overhead ?? {}) as Record<string, unknown>;
  if (overhead.cpu !== undefined || overhead.memory !== undefined) {
    total = add(total, { milliCPU: milliValueRoundedUp(overhead.cpu ?? 0), memory: valueRoundedUp(overhead.memory ?? 0) });
  }
  return total;
}

/** One requested host port: `hostIP` '' and '0.0.0.0' both mean every address. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The pod's host ports (app containers and sidecars, which hold them for the pod's life). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP && p.hostIP !== '' ? p.hostIP : '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}
