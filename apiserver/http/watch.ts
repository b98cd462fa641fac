/**
 * Serving one watch: turns storage events into Kubernetes watch events for a client,
 * over chunked NDJSON or WebSocket (the `WatchSink`).
 *
 * Filtering follows the watch cache's rules: an object that starts matching the
 * selector arrives as ADDED, one that stops matching as DELETED. With no
 * resourceVersion (or "0") the client first gets ADDED for every current object, then
 * changes after that list's revision — no gap, no duplicate. A revision older than the
 * compacted one ends the stream with an ERROR event carrying a 410 Expired Status.
 *
 * Back-pressure: the sink reports how many bytes are queued; a watcher that falls more
 * than MAX_PENDING_BYTES behind is closed (as kube-apiserver drops slow watchers) so it
 * never stalls the API server or other watchers. The client then re-watches from its
 * last resourceVersion.
 */
import type { KObject } from '../../shared/api/types';
import { ApiError, badRequest, internalError } from '../../shared/api/errors';
import type { Registry, Selection } from '../registry/generic';
import type { ResourceInfo } from '../registry/resources';
import type { StoreEvent, Watcher } from '../storage/interface';
import { toTable } from '../printers';

export const MAX_PENDING_BYTES = 64 * 1024 * 1024;
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

export interface WatchSink {
  /** Writes one event (a JSON text). */
  send(text: string): void;
  /** Bytes queued but not yet taken by the client. */
  pending(): number;
  /** Ends the stream. */
  end(): void;
}

export interface WatchParams {
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  table: boolean;
  includeObject?: 'None' | 'Metadata' | 'Object';
  bookmarkIntervalMs?: number;
}

export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '' || rv === '0') return undefined;
  if (!/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  return Number(rv);
}

/**
 * One event object is delivered to every watcher of its collection: encode it once per
 * API view, not once per watcher (100 watchers would otherwise stringify every event
 * 100 times). Store event objects are frozen and shared, so they key a WeakMap safely.
 */
const encodedObjects = new WeakMap<object, Map<ResourceInfo, string>>();

function objectJson(registry: Registry, r: ResourceInfo, obj: KObject): string {
  let byView = encodedObjects.get(obj);
  if (!byView) {
    byView = new Map();
    encodedObjects.set(obj, byView);
  }
  let json = byView.get(r);
  if (json === undefined) {
    json = JSON.stringify(registry.present(r, obj));
    byView.set(r, json);
  }
  return json;
}

/** Starts a watch and returns a function that stops it. Errors before the first event throw. */
export async function serveWatch(registry: Registry, r: ResourceInfo, sel: Selection, params: WatchParams, sink: WatchSink): Promise<() => void> {
  let stopped = false;
  let watcher: Watcher | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let headerSent = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    watcher?.stop();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    sink.end();
  };

  const encode = (type: string, obj: KObject): string => {
    if (type === 'ERROR' || type === 'BOOKMARK') return JSON.stringify({ type, object: obj });
    if (!params.table) return `{"type":"${type}","object":${objectJson(registry, r, obj)}}`;
    const table = toTable(r.group, r.resource, [registry.present(r, obj)], { includeObject: params.includeObject ?? 'Metadata', noHeaders: headerSent, resourceVersion: obj.metadata?.resourceVersion });
    headerSent = true;
    return JSON.stringify({ type, object: table });
  };

  const emit = (type: string, obj: KObject) => {
    if (stopped) return;
    if (sink.pending() > MAX_PENDING_BYTES) {
      stop();
      return;
    }
    sink.send(encode(type, obj));
  };

  let fromRevision = parseResourceVersion(params.resourceVersion);
  let lastRevision = fromRevision ?? 0;

  if (fromRevision === undefined) {
    // Synthetic ADDED events for the current state, then changes after it.
    const list = await registry.list(r, { namespace: sel.namespace });
    fromRevision = Number(list.resourceVersion);
    lastRevision = fromRevision;
    for (const item of list.items) if (registry.matches(r, sel, item)) emit('ADDED', item);
  }

  const onEvent = (e: StoreEvent) => {
    lastRevision = e.revision;
    const now = e.type !== 'DELETED' && registry.matches(r, sel, e.object);
    const before = e.type !== 'ADDED' && e.prevObject !== undefined && registry.matches(r, sel, e.prevObject);
    let type: string | undefined;
    if (e.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (e.type === 'DELETED') type = registry.matches(r, sel, e.object) || before ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (type) emit(type, e.object);
  };

  try {
    watcher = registry.watch(r, sel, fromRevision, onEvent);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : internalError(String(err));
    sink.send(JSON.stringify({ type: 'ERROR', object: apiErr.toStatus() }));
    stop();
    return stop;
  }

  if (params.allowWatchBookmarks) {
    bookmarkTimer = setInterval(() => {
      emit('BOOKMARK', { kind: r.kind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata: { resourceVersion: String(lastRevision) } });
    }, params.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS);
    bookmarkTimer.unref();
  }
  if (params.timeoutSeconds !== undefined && params.timeoutSeconds > 0) {
    timeoutTimer = setTimeout(stop, params.timeoutSeconds * 1000);
    timeoutTimer.unref();
  }
  return stop;
}
