/**
 * The storage interface: etcd's semantics over a plain key/value store.
 *
 * Keys look like kube-apiserver's: `/registry/{group}/{resource}/{namespace}/{name}`
 * (core group written as `core` is NOT used: core resources are `/registry/{resource}/...`
 * exactly like kube-apiserver, e.g. `/registry/pods/default/web`, `/registry/deployments/default/web`).
 *
 * Every successful write bumps one global revision. The object a write returns (and
 * every object read back) carries `metadata.resourceVersion` = the revision of its last
 * write, as a decimal string. A list carries the store's current revision.
 *
 * Guarantees every backend must keep (proven by test/unit/storage-conformance):
 *  - a write is acknowledged (its promise resolves) and is visible to watchers only
 *    after it is durable (for LevelDB: written in a batch with `sync: true`);
 *  - revisions are strictly increasing and gap-free in the change log;
 *  - watchers receive every event with revision > fromRevision, in revision order,
 *    exactly once, for keys under their prefix;
 *  - a watch or a revision-pinned read from a compacted revision fails with
 *    `expired()` (410, reason Expired) — etcd's ErrCompacted.
 *
 * Failures (all `ApiError`s from shared/api/errors, `target` filled by the caller's
 * `ErrorTarget`): create on an existing key → AlreadyExists (409); update/delete of a
 * missing key → NotFound (404); a precondition mismatch → Conflict (409); a value over
 * `maxObjectBytes` → 422 Invalid/too long; a compacted revision → Expired (410).
 */
import type { KObject } from '../../shared/api/types';
import type { ErrorTarget } from '../../shared/api/errors';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  key: string;
  /** The object after the write; for DELETED, the last state with resourceVersion = the delete's revision. */
  object: KObject;
  /** The object before the write (MODIFIED and DELETED), so filtered watchers can compute transitions. */
  prevObject?: KObject;
  revision: number;
}

export interface Preconditions {
  /** The stored object's resourceVersion must equal this (compare-and-swap). */
  resourceVersion?: string;
  /** The stored object's uid must equal this. */
  uid?: string;
}

export interface ListOptions {
  /** Return at most this many items (then `continue` is set). */
  limit?: number;
  /** Opaque token from a previous page: the last key returned. */
  continueKey?: string;
  /** A filter applied before `limit` counts, so pages are full. */
  filter?: (obj: KObject) => boolean;
}

export interface ListResult {
  items: KObject[];
  /** The revision the list is consistent at. */
  revision: number;
  /** When more items remain: pass as `continueKey` for the next page. */
  continueKey?: string;
  /** How many matching items remain after this page (only when `limit` cut it). */
  remainingItemCount?: number;
}

export interface Watcher {
  /** Stop delivering events and release resources; idempotent. */
  stop(): void;
}

/** The callback decides per event; it must not block. A slow consumer buffers itself. */
export type WatchCallback = (event: StoreEvent) => void;

export interface UpdateFn {
  /**
   * Given the current object (a private copy, free to mutate), return the new object,
   * or throw an ApiError to abort. Called again with a fresh copy if a concurrent
   * write won the race (guaranteed update loop), so it must be free of side effects.
   */
  (current: KObject): KObject | Promise<KObject>;
}

export interface Storage {
  /** The revision of the last committed write (0 for an empty store). */
  currentRevision(): number;

  /** The oldest revision a watch may start from (exclusive lower bound still served). */
  compactedRevision(): number;

  /** Returns a private copy, or undefined if absent. */
  get(key: string): Promise<KObject | undefined>;

  /** All objects whose key starts with `prefix`, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;

  /** Stores `obj` under `key`; fails with AlreadyExists if the key exists. */
  create(key: string, obj: KObject, target: ErrorTarget): Promise<KObject>;

  /**
   * Read-modify-write under compare-and-swap: reads the current object, checks
   * `preconditions`, calls `fn`, and commits only if nobody wrote the key meanwhile
   * (else retries with the new current object). If `fn` returns an object deep-equal to
   * the current one, nothing is written and the current object is returned (no new revision).
   */
  guaranteedUpdate(key: string, target: ErrorTarget, fn: UpdateFn, preconditions?: Preconditions): Promise<KObject>;

  /** Deletes the key; returns the last state (resourceVersion = the delete's revision). */
  delete(key: string, target: ErrorTarget, preconditions?: Preconditions): Promise<KObject>;

  /**
   * Streams every event under `prefix` with revision > `fromRevision`. `fromRevision`
   * omitted or 0 means "from now" (current revision). Throws expired() if fromRevision is
   * older than the compacted revision. Events of the past are delivered (asynchronously)
   * before new ones, in order, with no gap and no duplicate.
   */
  watch(prefix: string, fromRevision: number | undefined, cb: WatchCallback): Watcher;

  /** Drops change-log entries at or below `revision` (watches from there then get 410). */
  compact(revision: number): Promise<void>;

  /** Flushes and closes; pending writes are committed or rejected, never lost silently. */
  close(): Promise<void>;
}
