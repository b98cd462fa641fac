/**
 * Back-off bookkeeping as the kubelet does it (client-go util/flowcontrol/backoff.go):
 * per key, a duration that starts at `initial`, doubles on every advance up to `max`,
 * and expires when the event being judged is more than 2 × max after the entry's last
 * update (so a container that ran for 10 minutes restarts at once and backs off 10 s
 * again). Used twice: container restarts (CrashLoopBackOff) and image pulls
 * (ImagePullBackOff). State is in memory only — a kubelet restart clears it, as upstream.
 *
 * `scale` shrinks both bounds for tests (`--backoff-scale 0.01` → 100 ms … 3 s).
 * Pure apart from the injected clock; single-threaded, no timers.
 */

/** Upstream `backOffPeriod` (kubelet.go): first crash/image back-off and the pod-worker retry period. */
export const BACKOFF_INITIAL_MS = 10_000;
/** Upstream `MaxContainerBackOff` / `MaxImageBackOff`. */
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  readonly initialMs: number;
  readonly maxMs: number;

  constructor(opts: { scale?: number; initialMs?: number; maxMs?: number; now?: () => number } = {}) {
    const scale = opts.scale ?? 1;
    this.initialMs = (opts.initialMs ?? BACKOFF_INITIAL_MS) * scale;
    this.maxMs = (opts.maxMs ?? BACKOFF_MAX_MS) * scale;
    this.now = opts.now ?? Date.now;
  }

  private readonly now: () => number;

  /** The current window for `key` (0 when there is none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** True when `eventTime` is within the window that started at the entry's last update… as upstream `IsInBackOffSince`. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.hasExpired(eventTime, e.lastUpdate)) return false;
    return this.now() - eventTime < e.backoffMs;
  }

  /** Upstream IsInBackOffSinceUpdate: still inside the window opened by the last `next` (image pulls). */
  isInBackOffSinceUpdate(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.hasExpired(this.now(), e.lastUpdate)) return false;
    return this.now() - e.lastUpdate < e.backoffMs;
  }

  /** Milliseconds left in the window opened by the last `next`. */
  remainingSinceUpdate(key: string): number {
    const e = this.entries.get(key);
    if (!e || !this.isInBackOffSinceUpdate(key)) return 0;
    return Math.max(0, e.lastUpdate + e.backoffMs - this.now());
  }

  /** Starts the entry at `initial`, doubles it (capped), or resets it when expired. */
  next(key: string, eventTime = this.now()): void {
    const e = this.entries.get(key);
    const now = this.now();
    if (!e || this.hasExpired(eventTime, e.lastUpdate)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = now;
  }

  /** Milliseconds left in the window measured from `eventTime` (0 when not backing off). */
  remaining(key: string, eventTime: number): number {
    if (!this.isInBackOffSince(key, eventTime)) return 0;
    return Math.max(0, eventTime + this.entries.get(key)!.backoffMs - this.now());
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops entries whose prefix matches (a pod that went away). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Upstream GC(): entries not touched for 2 × max are forgotten. */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(k);
  }

  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }
}

/**
 * Go's `time.Duration.String()` for a millisecond count: `100ms`, `10s`, `1m20s`,
 * `5m0s`, `1.5s`. Upstream prints the back-off this way in the CrashLoopBackOff message.
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  ms = Math.abs(ms);
  let out: string;
  if (ms < 1000) {
    out = `${trimFloat(ms)}ms`;
  } else {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const s = (ms % 60_000) / 1000;
    out = `${trimFloat(s)}s`;
    if (h > 0 || m > 0) out = `${m}m${out}`;
    if (h > 0) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
