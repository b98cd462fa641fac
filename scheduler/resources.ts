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

/** What the scheduler accounts per pod and per node. */
export interface Resources {
  milliCPU: number;
  memory: number;
}

/** Scoring substitutes these for missing requests (upstream DefaultMilliCPURequest / DefaultMemoryRequest) so best-effort pods still spread. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * `q × 10^scale`, rounded up to an integer (scale 3 → milli-units, 0 → units). BigInt
 * so `1.5Gi` or `0.1` are exact before the single rounding step.
 */
function scaled(q: unknown, scale: number): number {
  if (typeof q === 'number') return Number.isFinite(q) ? Math.ceil(q * 10 ** scale) : 0;
  if (typeof q !== 'string') return 0;
  const m = QUANTITY.exec(q.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 0;
  const [, sign, intPart, frac = '', exp, suffix = ''] = m;
  let digits = BigInt(`${intPart || '0'}${frac}`);
  let exp10 = scale - frac.length;
  if (exp) exp10 += Number(exp.slice(1));
  else if (suffix in BINARY) digits *= BINARY[suffix];
  else exp10 += DECIMAL[suffix];
  let v: bigint;
  if (exp10 >= 0) v = digits * 10n ** BigInt(exp10);
  else {
    const div = 10n ** BigInt(-exp10);
    v = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  return Number(sign === '-' ? -v : v);
}

/** CPU quantity → millicores (`500m` → 500, `2` → 2000). */
export function milliCPU(q: unknown): number {
  return scaled(q, 3);
}

/** Any other quantity → whole units (`4Gi` → 4294967296, `110` → 110). */
export function quantityValue(q: unknown): number {
  return scaled(q, 0);
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const req = (c.resources?.requests ?? {}) as Record<string, unknown>;
  // A container with limits but no requests gets requests = limits from API defaulting;
  // read limits too in case a client bypassed it.
  const lim = (c.resources?.limits ?? {}) as Record<string, unknown>;
  const cpu = req.cpu ?? lim.cpu;
  const mem = req.memory ?? lim.memory;
  return {
    milliCPU: cpu === undefined ? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0) : milliCPU(cpu),
    memory: mem === undefined ? (nonZero ? DEFAULT_MEMORY_REQUEST : 0) : quantityValue(mem),
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
    total = add(total, { milliCPU: milliCPU(overhead.cpu ?? 0), memory: quantityValue(overhead.memory ?? 0) });
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
