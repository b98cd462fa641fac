/**
 * The storage interface: etcd's semantics over a plain key/value store.
 *
 * Keys look like kube-apiserver's: `/registry/{group}/{resource}/{namespace}/{name}`
 * (core group written as `core` is NOT used: core resources are `/registry/{resource}/...`
 * exactly like kube-apiserver, e.g. `/registry/pods/default/web`, `/registry/deployments/default/web`).
 * Writes to a key outside `/registry/` are refused: the rest of the key space belongs to
 * the backend (revision counter, change log).
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
 *  - a watch from before the compacted revision fails with `expired()` (410, reason
 *    Expired) — etcd's ErrCompacted;
 *  - reads never wait for writes: get/list/watch are served from memory and always see
 *    a whole number of committed group commits.
 *
 * Objects handed out: `get`, `list` items and write results are private copies (free
 * to mutate). Watch events, their `object`/`prevObject`, and the object a list `filter`
 * sees are SHARED with other watchers and the change log, and deep-frozen: treat them as
 * read-only and clone before changing (assigning to one throws a TypeError).
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
  /** The object after the write; for DELETED, the last state with resourceVersion = the delete's revision. Frozen, shared. */
  object: KObject;
  /** The object before the write (MODIFIED and DELETED), so filtered watchers can compute transitions. Frozen, shared. */
  prevObject?: KObject;
  revision: number;
}

/**
 * Conditions on the stored object; a mismatch is 409 Conflict with Kubernetes' message
 * (update, stale resourceVersion: "the object has been modified; please apply your
 * changes to the latest version and try again"; a uid mismatch, or a delete's stale
 * resourceVersion: "Precondition failed: UID in precondition: …"). An undefined or empty
 * value is no condition.
 */
export interface Preconditions {
  /** The stored object's resourceVersion must equal this (compare-and-swap). */
  resourceVersion?: string;
  /** The stored object's uid must equal this. */
  uid?: string;
}

export interface ListOptions {
  /** Return at most this many items (then `continue` is set). */
  limit?: number;
  /**
   * Opaque token from a previous page: the last key returned. The next page starts
   * after it and reflects the store as it is then (pages are not one snapshot).
   */
  continueKey?: string;
  /** A filter applied before `limit` counts, so pages are full. Gets the shared, frozen object: read only. */
  filter?: (obj: KObject) => boolean;
}

export interface ListResult {
  items: KObject[];
  /** The revision the list is consistent at. */
  revision: number;
  /** Set only when more matching items remain: pass as `continueKey` for the next page. */
  continueKey?: string;
  /** How many items remain after this page: only when `limit` cut it and there is no filter (as Kubernetes with selectors). */
  remainingItemCount?: number;
}

export interface Watcher {
  /** Stop delivering events and release resources; idempotent. */
  stop(): void;
}

/**
 * Called once per event, in revision order, never from inside a commit and never before
 * `watch()` returned. It must return quickly and never block: hand the event to your own
 * buffer (e.g. the HTTP response) and, if that buffer grows too far, stop the watcher and
 * let the client resume from its last revision (as kube-apiserver drops slow watchers).
 * If it throws, its watcher is stopped (a later event would follow a gap) and the error
 * is reported through the store's `onError`.
 */
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

  /**
   * The oldest revision a watch may start from: every event after it is retained, so a
   * watch from exactly this revision is whole; one from below it gets 410.
   */
  compactedRevision(): number;

  /** Returns a private copy, or undefined if absent. */
  get(key: string): Promise<KObject | undefined>;

  /** All objects whose key starts with `prefix`, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;

  /**
   * Stores `obj` under `key`; fails with AlreadyExists if the key exists, with 422
   * Invalid (cause FieldValueTooLong, "Request entity too large: limit is …") if its JSON
   * is over `maxObjectBytes`. Returns the stored object (a private copy, with its
   * resourceVersion); the caller's `obj` is not modified.
   */
  create(key: string, obj: KObject, target: ErrorTarget): Promise<KObject>;

  /**
   * Read-modify-write under compare-and-swap: reads the current object, checks
   * `preconditions`, calls `fn`, and commits only if nobody wrote the key meanwhile
   * (else retries with the new current object). If `fn` returns an object deep-equal to
   * the current one (ignoring metadata.resourceVersion), nothing is written and the
   * current object is returned (no new revision). Missing key → NotFound; precondition
   * mismatch (checked against each fresh read) → Conflict; too large → 422.
   */
  guaranteedUpdate(key: string, target: ErrorTarget, fn: UpdateFn, preconditions?: Preconditions): Promise<KObject>;

  /** Deletes the key; returns the last state (resourceVersion = the delete's revision). Missing → NotFound; precondition mismatch → Conflict. */
  delete(key: string, target: ErrorTarget, preconditions?: Preconditions): Promise<KObject>;

  /**
   * Streams every event under `prefix` with revision > `fromRevision`. `fromRevision`
   * omitted or 0 means "from now" (current revision). Throws expired() ("too old
   * resource version: X (compacted)") if fromRevision is below the compacted revision.
   * Events of the past are delivered (asynchronously) before new ones, in order, with no
   * gap and no duplicate. A fromRevision beyond the current one waits for it. See
   * `WatchCallback` for the callback's contract.
   */
  watch(prefix: string, fromRevision: number | undefined, cb: WatchCallback): Watcher;

  /**
   * Drops change-log entries at or below `revision` (clamped to the current revision);
   * watches from below it then get 410. Never goes backwards. Backends also compact on a
   * timer to their retention window.
   */
  compact(revision: number): Promise<void>;

  /** Flushes and closes; pending writes are committed or rejected, never lost silently. */
  close(): Promise<void>;
}
