/**
 * Waiting on one object the way kubectl's `watchtools.UntilWithSync` does: list it
 * (`fieldSelector=metadata.name=NAME`), judge the listed state, then watch from the
 * list's resourceVersion and judge every event, until the judge says done, the deadline
 * passes or the user interrupts. Used by `wait`, `rollout status` and `run --rm/-i`.
 *
 * A watch the server closes (timeout, restart) is resumed from the last resourceVersion
 * seen; a 410 Expired relists. So a slow condition never misses a change, and a change
 * that happened between the list and the watch is seen in the watch.
 */
import { ApiError } from '../shared/api/errors';
import type { KList, KObject } from '../shared/api/types';
import { watchEventError } from '../shared/client/client';
import type { ResourceMapping } from '../shared/client/restmapper';
import type { CliContext } from './context';
import { collectionPath } from './resources';

/** What the judge sees: the object's current state, or `deleted` (gone / not there). */
export type Observation = { type: 'ADDED' | 'MODIFIED' | 'SYNC'; object: KObject } | { type: 'DELETED'; object?: KObject };

/** Returns a value to stop with it, or undefined to keep waiting. May throw to fail. */
export type Judge<T> = (o: Observation) => T | undefined | Promise<T | undefined>;

export class WaitTimeout extends Error {
  constructor() {
    super('timed out waiting for the condition');
    this.name = 'WaitTimeout';
  }
}

/**
 * Resolves with the judge's value. Rejects with WaitTimeout when `timeoutMs` (> 0)
 * passes first, and resolves undefined when the context's signal aborts (Ctrl-C).
 */
export async function watchUntil<T>(ctx: CliContext, m: ResourceMapping, namespace: string | undefined, name: string, judge: Judge<T>, timeoutMs = 0): Promise<T | undefined> {
  const local = new AbortController();
  const signals = [local.signal];
  if (ctx.signal) signals.push(ctx.signal);
  const signal = AbortSignal.any(signals);
  let timedOut = false;
  const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), local.abort()), timeoutMs) : undefined;
  const client = ctx.client();
  const path = collectionPath(m, namespace);
  const fieldSelector = `metadata.name=${name}`;
  let result: { value: T } | undefined;
  try {
    let rv: string | undefined;
    while (!signal.aborted && !result) {
      if (rv === undefined) {
        const list = await client.list<KList>(path, { query: { fieldSelector }, signal });
        const obj = list.items?.[0];
        const v = await judge(obj ? { type: 'SYNC', object: obj } : { type: 'DELETED' });
        if (v !== undefined) {
          result = { value: v };
          break;
        }
        rv = list.metadata?.resourceVersion;
      }
      try {
        await client.watch<KObject>(
          path,
          { fieldSelector, resourceVersion: rv, allowWatchBookmarks: 'true' },
          async (ev) => {
            const err = watchEventError(ev);
            if (err) throw err;
            if (ev.object?.metadata?.resourceVersion) rv = ev.object.metadata.resourceVersion;
            if (ev.type === 'BOOKMARK') return;
            const obs: Observation = ev.type === 'DELETED' ? { type: 'DELETED', object: ev.object } : { type: ev.type as 'ADDED' | 'MODIFIED', object: ev.object };
            const v = await judge(obs);
            if (v !== undefined) {
              result = { value: v };
              local.abort();
            }
          },
          { signal },
        );
        // The server ended the watch (its timeout): resume from the last version seen.
        if (!result) await sleep(50, signal);
      } catch (err) {
        if (err instanceof ApiError && err.code === 410) {
          rv = undefined;
          continue;
        }
        throw err;
      }
    }
  } catch (err) {
    if (!signal.aborted || result) throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (result) return result.value;
  if (timedOut) throw new WaitTimeout();
  return undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
