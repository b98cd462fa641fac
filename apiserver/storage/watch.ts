/**
 * Watch fan-out: one `WatchStream` per watcher, fed by the commit loop.
 *
 * Concurrency model. The commit loop only ever *pushes* events onto a stream's queue
 * (O(1), never calls user code); the stream hands them to its callback from a microtask
 * it schedules itself. So a watcher's callback never runs inside a commit, a throwing
 * or slow callback cannot stall the commit loop or delay other watchers' queues, and the
 * callback is never invoked before `watch()` has returned the handle that can stop it.
 *
 * Slow consumers. The callback is synchronous and must return quickly: it should hand
 * the event to its own buffer (for the API server, the HTTP response stream) and decide
 * there what to do when that buffer grows (Kubernetes closes such a watch and lets the
 * client resume from its last resourceVersion). Because the queue is drained within the
 * same turn of the event loop in which events are pushed, the store itself never
 * accumulates a backlog for a slow consumer.
 *
 * Guarantees: events reach the callback in the order pushed (the store pushes in
 * revision order), each at most once; after `stop()` returns, the callback is not called
 * again. A callback that throws stops its own watcher (a later event would otherwise
 * reach it after a gap) and the error goes to the store's `onWatchError`.
 */
import type { StoreEvent, WatchCallback, Watcher } from './interface';

export class WatchStream implements Watcher {
  private queue: StoreEvent[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(
    readonly prefix: string,
    /** Events at or below this revision are not for this watcher (already seen or replayed). */
    private lastRevision: number,
    private readonly cb: WatchCallback,
    private readonly onError: (err: unknown) => void,
    private readonly onStop: (w: WatchStream) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Called by the store for every committed event (and for each replayed one, in order). */
  offer(event: StoreEvent): void {
    if (this.stopped || event.revision <= this.lastRevision || !event.key.startsWith(this.prefix)) return;
    this.lastRevision = event.revision;
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.onStop(this);
  }

  private drain(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const event of batch) {
      if (this.stopped) return;
      try {
        this.cb(event);
      } catch (err) {
        this.stop();
        this.onError(err);
        return;
      }
    }
  }
}
