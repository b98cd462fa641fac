/**
 * A list-watch informer: keeps a local cache of one collection in step with the API
 * server and tells handlers what changed.
 *
 * It owns list → watch → relist (client-go's reflector): it lists, then watches from
 * the list's resourceVersion with bookmarks; when a watch ends it re-watches from the
 * last resourceVersion it saw; on 410 Expired (HTTP or an ERROR event) it relists and
 * turns the difference into add/update/delete notifications, so nothing is missed and
 * nothing vanishes silently. Any other failure retries with jittered exponential
 * back-off — it never stops on an error. `hasSynced()` is true after the first list.
 *
 * Cache objects are shared and read-only: clone before changing one.
 */
import type { KObject, WatchEvent } from '../api/types';
import { ApiError } from '../api/errors';
import type { KubeClient } from '../client';
import type { Logger } from '../logger';

export type Handler<T> = {
  add?: (obj: T) => void;
  update?: (oldObj: T, newObj: T) => void;
  delete?: (obj: T) => void;
};

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  logger?: Logger;
  /** Watches are renewed after a random time in [min, 2·min) so servers rebalance (client-go: 5 min). */
  minWatchTimeoutSeconds?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** `namespace/name`, or `name` for cluster-scoped objects — the work-queue key. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const md = obj.metadata ?? {};
  return md.namespace ? `${md.namespace}/${md.name}` : md.name ?? '';
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export class Informer<T extends KObject = KObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: Handler<T>[] = [];
  private synced = false;
  private stopped = false;
  private abort?: AbortController;
  private lastRV = '';
  private syncWaiters: (() => void)[] = [];
  private loop?: Promise<void>;

  constructor(
    private readonly client: KubeClient,
    /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/namespaces/dev/deployments`. */
    readonly path: string,
    private readonly opts: InformerOptions = {},
  ) {}

  on(h: Handler<T>): this {
    this.handlers.push(h);
    return this;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): this {
    if (!this.loop) this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  private query(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.opts.labelSelector) q.labelSelector = this.opts.labelSelector;
    if (this.opts.fieldSelector) q.fieldSelector = this.opts.fieldSelector;
    return q;
  }

  private async run(): Promise<void> {
    let backoff = this.opts.initialBackoffMs ?? 500;
    const maxBackoff = this.opts.maxBackoffMs ?? 30_000;
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        await this.watchOnce();
        backoff = this.opts.initialBackoffMs ?? 500; // a watch that ended cleanly resets the back-off
      } catch (err) {
        if (this.stopped) break;
        if (isExpired(err)) {
          needList = true;
          continue;
        }
        this.opts.logger?.warn({ err: String(err), path: this.path }, 'list/watch failed; retrying');
        await sleep(backoff * (0.5 + Math.random()));
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }

  /** Lists, replaces the cache, and notifies the differences (deletes for what vanished). */
  private async relist(): Promise<void> {
    const list = await this.client.get<{ metadata: { resourceVersion: string }; items: T[] }>(this.path, { query: this.query() });
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = keyOf(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (!old) this.emit('add', item);
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit('update', item, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    this.lastRV = list.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async watchOnce(): Promise<void> {
    this.abort = new AbortController();
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    const timeoutSeconds = String(Math.floor(min * (1 + Math.random())));
    await this.client.watch<T>(
      this.path,
      { ...this.query(), resourceVersion: this.lastRV, allowWatchBookmarks: 'true', timeoutSeconds },
      (ev) => this.apply(ev as WatchEvent<T>),
      { signal: this.abort.signal },
    );
  }

  private apply(ev: WatchEvent<T>): void {
    if (ev.type === 'ERROR') throw ApiError.fromStatus(ev.object as never);
    const obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (ev.type === 'DELETED') {
      this.cache.delete(key);
      this.emit('delete', obj);
    } else {
      this.cache.set(key, obj);
      if (old) this.emit('update', obj, old);
      else this.emit('add', obj);
    }
    if (rv) this.lastRV = rv;
  }

  private emit(type: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        if (type === 'add') h.add?.(obj);
        else if (type === 'update') h.update?.(old!, obj);
        else h.delete?.(obj);
      } catch (err) {
        this.opts.logger?.error({ err: String(err), path: this.path }, 'informer handler threw');
      }
    }
  }
}

function isExpired(err: unknown): boolean {
  return err instanceof ApiError && err.code === 410;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
