/**
 * A rate-limited work queue with client-go's guarantees: a key is never processed by
 * two workers at once; adding a key while it is being processed means it runs once
 * more afterwards; adding a key already waiting is a no-op (dedup); failures requeue
 * with per-key exponential back-off (`retryDelay` is the one place holding the policy),
 * and success forgets the key's failure count.
 *
 * `runWorkers(n, reconcile)` drives it: reconcile(key) returns `{requeueAfter}` or
 * throws; the queue does the rest.
 */
export interface ReconcileResult {
  requeueAfter?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface QueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly waiting = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirtyWhileProcessing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private readonly wakers: (() => void)[] = [];
  private shuttingDown = false;

  constructor(private readonly opts: QueueOptions = {}) {}

  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirtyWhileProcessing.add(key);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    this.queue.push(key);
    this.wakers.shift()?.();
  }

  /** Adds after a delay; of several pending delayed adds for one key, the soonest wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.due <= due) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.timers.set(key, { timer, due });
  }

  /** Per-key exponential back-off: base · 2^failures, capped. */
  retryDelay(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min((this.opts.baseDelayMs ?? 5) * 2 ** n, this.opts.maxDelayMs ?? 1000_000);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  len(): number {
    return this.queue.length;
  }

  private async next(): Promise<string | undefined> {
    while (this.queue.length === 0) {
      if (this.shuttingDown) return undefined;
      await new Promise<void>((r) => this.wakers.push(r));
    }
    const key = this.queue.shift()!;
    this.waiting.delete(key);
    this.processing.add(key);
    return key;
  }

  private done(key: string): void {
    this.processing.delete(key);
    if (this.dirtyWhileProcessing.delete(key)) this.add(key);
  }

  /** Runs `n` workers until shutdown. */
  async runWorkers(n: number, reconcile: Reconcile): Promise<void> {
    await Promise.all(
      Array.from({ length: n }, async () => {
        for (;;) {
          const key = await this.next();
          if (key === undefined) return;
          try {
            const res = await reconcile(key);
            this.forget(key);
            if (res?.requeueAfter !== undefined) this.addAfter(key, res.requeueAfter);
          } catch (err) {
            this.opts.onError?.(key, err);
            this.addAfter(key, this.retryDelay(key));
          } finally {
            this.done(key);
          }
        }
      }),
    );
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.wakers.splice(0)) w();
  }
}
