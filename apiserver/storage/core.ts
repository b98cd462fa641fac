/**
 * The in-memory core shared by every storage backend: current objects, the change log,
 * the group-commit loop, compare-and-swap, watch fan-out and compaction. A backend adds
 * only durability, through the `Journal` it hands to the core (MemoryStorage: none;
 * LevelStorage: one synced LevelDB batch per group commit, and loading on open).
 *
 * Concurrency model (one Node thread, so "atomic" means "within one synchronous run"):
 *  - Reads (get, list, watch registration) are served from memory synchronously and
 *    always see a whole number of committed batches.
 *  - Writes are queued. A single commit loop takes everything pending, checks each op in
 *    order against the committed state plus the earlier ops of the same batch, gives
 *    the survivors consecutive revisions, hands them to the journal as ONE durable write,
 *    and only when that resolved applies them to memory, appends them to the change log,
 *    offers them to watchers (revision order) and settles the callers' promises — all in
 *    one synchronous run. While a batch is being synced, new writes queue for the next.
 *  - guaranteedUpdate reads the committed object, runs the caller's function outside the
 *    loop (it may be async), then queues a write that carries the revision it read; the
 *    loop commits it only if the key still has that revision, else the caller re-reads
 *    and re-runs the function (optimistic concurrency, like etcd's txn on mod_revision).
 *
 * Guarantees:
 *  - a write's promise resolves, and watchers see it, only after the journal made it
 *    durable; a journal failure rejects every op of that batch and changes nothing;
 *  - an op that fails (AlreadyExists, NotFound, Conflict, too large) takes no revision,
 *    so the change log is gap-free: `log[i].revision === compacted + 1 + i`, always;
 *  - watch registration copies the retained history and subscribes in the same
 *    synchronous run, so no commit can fall between replay and live delivery.
 *
 * Objects are held twice on purpose: as their stored JSON (parsed into a private copy
 * for every reader, which is faster than structuredClone) and as one frozen parsed
 * object shared by the change log, watch events and list filters.
 */
import type { KObject } from '../../shared/api/types';
import { alreadyExists, badRequest, conflict, expired, internalError, invalid, isApiError, notFound, serviceUnavailable, type ErrorTarget } from '../../shared/api/errors';
import type { ListOptions, ListResult, Preconditions, Storage, StoreEvent, StoreEventType, UpdateFn, Watcher, WatchCallback } from './interface';
import { deepFreeze, equalIgnoringResourceVersion, toStoredShape } from './json';
import { SortedKeys } from './sorted-keys';
import { WatchStream } from './watch';

/** etcd's default request limit (--max-request-bytes), which bounds a Kubernetes object. */
export const DEFAULT_MAX_OBJECT_BYTES = 1572864;
/** Keep at least this many revisions of change log... */
export const DEFAULT_RETAIN_REVISIONS = 10_000;
/** ...and at least this much time of it (both must have passed before an entry is dropped). */
export const DEFAULT_RETAIN_MS = 5 * 60 * 1000;
/** kube-apiserver's --etcd-compaction-interval default. */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

/** Every key the store holds lives under this prefix (the rest of the key space is the backends'). */
export const KEY_PREFIX = '/registry/';

/** Either shape of clock the project uses: epoch milliseconds, or a Date (the registry's). */
export interface Clock {
  now(): number | Date;
}

export const systemClock: Clock = { now: () => Date.now() };

function millis(clock: Clock): number {
  const t = clock.now();
  return typeof t === 'number' ? t : t.getTime();
}

export interface StoreOptions {
  /** Time source for the compaction window and change-log timestamps (tests step a fake one). */
  clock?: Clock;
  /** Largest stored object, in bytes of its JSON (default 1.5 MiB). */
  maxObjectBytes?: number;
  /** The change log keeps at least this many most recent revisions (default 10,000). */
  retainRevisions?: number;
  /** The change log keeps at least this much recent history in ms (default 5 minutes). */
  retainMs?: number;
  /** How often the window compaction runs; 0 disables the timer (default 5 minutes). */
  compactionIntervalMs?: number;
  /** Where background failures go (a throwing watch callback, a failed periodic compaction). */
  onError?: (err: unknown, context: string) => void;
}

/** One committed write as the journal must persist it. */
export interface CommitRecord {
  revision: number;
  type: StoreEventType;
  key: string;
  /**
   * The object after the write, as JSON. For ADDED/MODIFIED this is also the key's new
   * value; for DELETED it is the last state carrying the delete's revision (the key goes).
   */
  objectJson: string;
  /** The object before the write (MODIFIED, DELETED). */
  prevObjectJson?: string;
  /** Clock time of the commit in ms, kept so the compaction window survives a restart. */
  time: number;
}

/**
 * Durability, as a backend provides it. The core calls `append` and `compact` one at a
 * time each (never two appends concurrently), in revision order.
 */
export interface Journal {
  /** Persists all records atomically and durably; resolve means "on disk", reject means "none of it". */
  append(records: CommitRecord[]): Promise<void>;
  /** Records that history at or below `revision` is gone and may drop it. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** What a backend hands the core when it opens: the state its journal recorded. */
export interface LoadedState {
  revision: number;
  compacted: number;
  /** Current objects: key → stored JSON (carrying its resourceVersion). */
  objects: Iterable<[string, string]>;
  /** The retained change log, revisions compacted+1 … revision, in order. */
  history: Array<{ event: StoreEvent; time: number }>;
}

export const NO_JOURNAL: Journal = {
  append: async () => {},
  compact: async () => {},
  close: async () => {},
};

interface Entry {
  json: string;
  /** Frozen, shared (change log, events, list filters). */
  obj: KObject;
  modRevision: number;
}

interface LogEntry {
  event: StoreEvent;
  time: number;
}

const RETRY = Symbol('retry');
type UpdateOutcome = KObject | typeof RETRY;

interface OpBase {
  key: string;
  target: ErrorTarget;
  reject(err: unknown): void;
}
interface CreateOp extends OpBase {
  kind: 'create';
  obj: KObject;
  resolve(v: KObject): void;
}
interface UpdateOp extends OpBase {
  kind: 'update';
  obj: KObject;
  /** The key's revision when the update function read it: the compare of compare-and-swap. */
  expectRevision: number;
  resolve(v: UpdateOutcome): void;
}
interface DeleteOp extends OpBase {
  kind: 'delete';
  preconditions?: Preconditions;
  resolve(v: KObject): void;
}
type Op = CreateOp | UpdateOp | DeleteOp;
type OpInput = Omit<CreateOp, 'resolve' | 'reject'> | Omit<UpdateOp, 'resolve' | 'reject'> | Omit<DeleteOp, 'resolve' | 'reject'>;

interface Staged {
  op: Op;
  record: CommitRecord;
  /** The key's entry after the write; null for a delete. */
  entry: Entry | null;
  event: StoreEvent;
}

export interface CommitStats {
  /** Journal writes (group commits) that succeeded. */
  batches: number;
  /** Revisions they carried. */
  writes: number;
}

export class StoreCore implements Storage {
  protected readonly clock: Clock;
  private readonly maxObjectBytes: number;
  private readonly retainRevisions: number;
  private readonly retainMs: number;
  private readonly compactionIntervalMs: number;
  private readonly onError: (err: unknown, context: string) => void;

  private readonly objects = new Map<string, Entry>();
  private readonly keys = new SortedKeys();
  private log: LogEntry[] = [];
  private revision = 0;
  private compacted = 0;
  private readonly watchers = new Set<WatchStream>();

  private pending: Op[] = [];
  private loopRunning = false;
  private idleWaiters: Array<() => void> = [];
  private compaction: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly stats: CommitStats = { batches: 0, writes: 0 };

  constructor(opts: StoreOptions, private readonly journal: Journal) {
    this.clock = opts.clock ?? systemClock;
    this.maxObjectBytes = opts.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
    this.retainRevisions = opts.retainRevisions ?? DEFAULT_RETAIN_REVISIONS;
    this.retainMs = opts.retainMs ?? DEFAULT_RETAIN_MS;
    this.compactionIntervalMs = opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    this.onError = opts.onError ?? ((err, context) => process.emitWarning(`storage: ${context}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
  }

  /** Installs the loaded state and starts serving. Called once by the backend. */
  protected start(state: LoadedState): void {
    if (this.started) throw new Error('storage: already started');
    const keys: string[] = [];
    for (const [key, json] of state.objects) {
      const obj = deepFreeze(JSON.parse(json) as KObject);
      const modRevision = Number(obj.metadata?.resourceVersion);
      if (!Number.isSafeInteger(modRevision) || modRevision <= 0 || modRevision > state.revision) {
        throw new Error(`storage: corrupt object at ${key}: resourceVersion ${String(obj.metadata?.resourceVersion)} (store revision ${state.revision})`);
      }
      this.objects.set(key, { json, obj, modRevision });
      keys.push(key);
    }
    this.keys.reset(keys);
    state.history.forEach((h, i) => {
      if (h.event.revision !== state.compacted + 1 + i) throw new Error(`storage: change log is not contiguous at revision ${h.event.revision} (expected ${state.compacted + 1 + i})`);
      deepFreeze(h.event);
    });
    if (state.compacted + state.history.length !== state.revision) {
      throw new Error(`storage: change log ends at ${state.compacted + state.history.length}, store revision is ${state.revision}`);
    }
    this.log = state.history.map((h) => ({ event: h.event, time: h.time }));
    this.revision = state.revision;
    this.compacted = state.compacted;
    this.started = true;
    if (this.compactionIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.compactToWindow().catch((err) => this.onError(err, 'periodic compaction'));
      }, this.compactionIntervalMs);
      this.timer.unref();
    }
  }

  currentRevision(): number {
    return this.revision;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  /** Counters of the group-commit loop (tests use them to see that writes were batched). */
  commitStats(): CommitStats {
    return { ...this.stats };
  }

  async get(key: string): Promise<KObject | undefined> {
    this.checkStarted();
    const e = this.objects.get(key);
    return e ? (JSON.parse(e.json) as KObject) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkStarted();
    const { filter, continueKey } = opts;
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const end = this.keys.prefixEnd(prefix);
    let i = this.keys.lowerBound(prefix);
    if (continueKey !== undefined) i = Math.max(i, this.keys.upperBound(continueKey));
    const items: KObject[] = [];
    let lastKey: string | undefined;
    for (; i < end && items.length < limit; i++) {
      const key = this.keys.at(i);
      const e = this.objects.get(key)!;
      if (filter && !filter(e.obj)) continue;
      items.push(JSON.parse(e.json) as KObject);
      lastKey = key;
    }
    const result: ListResult = { items, revision: this.revision };
    if (items.length === limit && lastKey !== undefined) {
      if (!filter) {
        // Kubernetes reports remainingItemCount only for unfiltered lists: counting matches
        // would mean filtering the whole rest of the range.
        if (i < end) {
          result.continueKey = lastKey;
          result.remainingItemCount = end - i;
        }
      } else {
        // Look ahead for one more match so a last page never carries a useless token.
        for (; i < end; i++) {
          if (filter(this.objects.get(this.keys.at(i))!.obj)) {
            result.continueKey = lastKey;
            break;
          }
        }
      }
    }
    return result;
  }

  async create(key: string, obj: KObject, target: ErrorTarget): Promise<KObject> {
    this.checkKey(key);
    return this.enqueue<KObject>({ kind: 'create', key, target, obj: toStoredShape(obj) });
  }

  async guaranteedUpdate(key: string, target: ErrorTarget, fn: UpdateFn, preconditions?: Preconditions): Promise<KObject> {
    this.checkKey(key);
    for (;;) {
      const cur = this.objects.get(key);
      if (!cur) throw notFound(target);
      checkUpdatePreconditions(key, cur, target, preconditions);
      const next = toStoredShape(await fn(JSON.parse(cur.json) as KObject));
      if (equalIgnoringResourceVersion(next, cur.obj)) {
        // Nothing to write — unless someone wrote meanwhile, in which case fn must see that.
        if (this.objects.get(key) === cur) return JSON.parse(cur.json) as KObject;
        continue;
      }
      const out = await this.enqueue<UpdateOutcome>({ kind: 'update', key, target, obj: next, expectRevision: cur.modRevision });
      if (out !== RETRY) return out;
    }
  }

  async delete(key: string, target: ErrorTarget, preconditions?: Preconditions): Promise<KObject> {
    this.checkKey(key);
    return this.enqueue<KObject>({ kind: 'delete', key, target, preconditions });
  }

  watch(prefix: string, fromRevision: number | undefined, cb: WatchCallback): Watcher {
    this.checkStarted();
    if (this.closing) throw serviceUnavailable('storage is closed');
    let from = fromRevision ?? 0;
    if (!Number.isSafeInteger(from) || from < 0) throw badRequest(`invalid resource version: ${String(fromRevision)}`);
    if (from === 0) from = this.revision;
    // Events after `compacted` are all retained, so a watch from exactly the compacted
    // revision is still whole; only one from before it would miss events.
    if (from < this.compacted) throw expired(`too old resource version: ${from} (${this.compacted})`);
    const w = new WatchStream(prefix, from, cb, (err) => this.onError(err, `watch callback for ${prefix}`), (s) => this.watchers.delete(s));
    // Replay and subscribe in one synchronous run: no commit can slip in between.
    for (let i = from - this.compacted; i < this.log.length; i++) w.offer(this.log[i].event);
    this.watchers.add(w);
    return w;
  }

  compact(revision: number): Promise<void> {
    this.checkStarted();
    if (this.closing) return Promise.reject(serviceUnavailable('storage is closed'));
    // Serialised, so the journal never sees two compactions at once.
    const run = this.compaction.then(() => this.compactNow(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /**
   * Compacts to the window: drops change-log entries that are both more than
   * `retainRevisions` revisions behind the current one and older than `retainMs`. The
   * periodic timer calls this; tests call it directly with a fake clock. Returns the
   * compacted revision after the run.
   */
  async compactToWindow(): Promise<number> {
    this.checkStarted();
    const byCount = this.revision - this.retainRevisions;
    const cutoff = millis(this.clock) - this.retainMs;
    let target = this.compacted;
    // Stop at the first entry that must stay: even if a clock step backwards left an
    // older-looking entry after it, keeping a prefix keeps the log contiguous.
    for (const { event, time } of this.log) {
      if (event.revision > byCount || time > cutoff) break;
      target = event.revision;
    }
    if (target > this.compacted) await this.compact(target);
    return this.compacted;
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closing = true;
      this.closed = (async () => {
        if (this.timer) clearInterval(this.timer);
        await this.idle();
        await this.compaction;
        for (const w of [...this.watchers]) w.stop();
        await this.journal.close();
      })();
    }
    return this.closed;
  }

  // ---- commit loop -------------------------------------------------------------------

  private enqueue<T>(input: OpInput): Promise<T> {
    this.checkStarted();
    if (this.closing) return Promise.reject(serviceUnavailable('storage is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ ...input, resolve, reject } as Op);
      if (!this.loopRunning) {
        this.loopRunning = true;
        // Start on a microtask so that writes issued in the same turn share the first batch.
        queueMicrotask(() => void this.runLoop());
      }
    });
  }

  private async runLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const ops = this.pending;
        this.pending = [];
        await this.commitBatch(ops);
      }
    } finally {
      this.loopRunning = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private idle(): Promise<void> {
    if (!this.loopRunning) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async commitBatch(ops: Op[]): Promise<void> {
    try {
      // The batch's own effects, so op N is checked against ops 0…N-1 as well as memory.
      const overlay = new Map<string, Entry | null>();
      const staged: Staged[] = [];
      const failed: Array<[Op, unknown]> = [];
      const retry: UpdateOp[] = [];
      const time = millis(this.clock);
      let revision = this.revision;
      for (const op of ops) {
        const cur = overlay.has(op.key) ? overlay.get(op.key) ?? undefined : this.objects.get(op.key);
        try {
          const s = this.stage(op, cur, revision + 1, time);
          if (s === RETRY) {
            retry.push(op as UpdateOp);
            continue;
          }
          revision += 1;
          staged.push(s);
          overlay.set(op.key, s.entry);
        } catch (err) {
          failed.push([op, err]);
        }
      }
      if (staged.length > 0) {
        try {
          await this.journal.append(staged.map((s) => s.record));
        } catch (err) {
          const e = isApiError(err) ? err : internalError(`storage write failed: ${err instanceof Error ? err.message : String(err)}`);
          for (const op of ops) op.reject(e);
          return;
        }
        this.apply(staged);
      }
      // Settle only after the batch's fate is known: a failure that depended on an earlier
      // op of the batch (e.g. AlreadyExists) would be a lie if that op were never written.
      for (const s of staged) s.op.resolve(JSON.parse(s.record.objectJson) as KObject);
      for (const [op, err] of failed) op.reject(err);
      // Retries re-read only now, when memory holds the write that beat them.
      for (const op of retry) op.resolve(RETRY);
    } catch (err) {
      // A bug here must not strand callers; settled promises ignore the extra reject.
      for (const op of ops) op.reject(err);
    }
  }

  /** Checks one op against the key's current entry; returns its write, or RETRY, or throws its failure. */
  private stage(op: Op, cur: Entry | undefined, revision: number, time: number): Staged | typeof RETRY {
    const rv = String(revision);
    switch (op.kind) {
      case 'create': {
        if (cur) throw alreadyExists(op.target);
        return this.stageWrite(op, 'ADDED', op.obj, undefined, revision, time);
      }
      case 'update': {
        if (!cur) throw notFound(op.target);
        if (cur.modRevision !== op.expectRevision) return RETRY;
        return this.stageWrite(op, 'MODIFIED', op.obj, cur, revision, time);
      }
      case 'delete': {
        if (!cur) throw notFound(op.target);
        checkDeletePreconditions(op.key, cur, op.target, op.preconditions);
        const last = Object.freeze({ ...cur.obj, metadata: Object.freeze({ ...cur.obj.metadata, resourceVersion: rv }) });
        const objectJson = JSON.stringify(last);
        const event: StoreEvent = Object.freeze({ type: 'DELETED', key: op.key, object: last, prevObject: cur.obj, revision });
        return { op, entry: null, event, record: { revision, type: 'DELETED', key: op.key, objectJson, prevObjectJson: cur.json, time } };
      }
    }
  }

  private stageWrite(op: CreateOp | UpdateOp, type: 'ADDED' | 'MODIFIED', obj: KObject, cur: Entry | undefined, revision: number, time: number): Staged {
    // kubernetes-types marks resourceVersion readonly (for clients); the store is its writer.
    (obj.metadata as { resourceVersion?: string }).resourceVersion = String(revision);
    const json = JSON.stringify(obj);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxObjectBytes) throw this.tooLarge(op, obj, bytes);
    deepFreeze(obj);
    const entry: Entry = { json, obj, modRevision: revision };
    const event: StoreEvent = cur
      ? Object.freeze({ type, key: op.key, object: obj, prevObject: cur.obj, revision })
      : Object.freeze({ type, key: op.key, object: obj, revision });
    const record: CommitRecord = { revision, type, key: op.key, objectJson: json, time };
    if (cur) record.prevObjectJson = cur.json;
    return { op, entry, event, record };
  }

  /** Applies a durable batch to memory and offers its events, in revision order. */
  private apply(staged: Staged[]): void {
    for (const s of staged) {
      const { key } = s.op;
      if (s.entry) {
        if (!this.objects.has(key)) this.keys.insert(key);
        this.objects.set(key, s.entry);
      } else {
        this.objects.delete(key);
        this.keys.remove(key);
      }
      this.revision = s.record.revision;
      this.log.push({ event: s.event, time: s.record.time });
      for (const w of this.watchers) w.offer(s.event);
    }
    this.stats.batches += 1;
    this.stats.writes += staged.length;
  }

  private async compactNow(revision: number): Promise<void> {
    const target = Math.min(Math.floor(revision), this.revision);
    if (!(target > this.compacted)) return;
    await this.journal.compact(target);
    // Commits may have appended meanwhile; the entries to drop are still the first ones.
    this.log.splice(0, target - this.compacted);
    this.compacted = target;
  }

  private tooLarge(op: Op, obj: KObject, bytes: number) {
    const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : op.target.resource;
    const name = obj.metadata.name ?? op.target.name ?? '';
    return invalid(kind, name, [{ reason: 'FieldValueTooLong', field: '', message: `Request entity too large: limit is ${this.maxObjectBytes} (object is ${bytes} bytes)` }], op.target.group);
  }

  private checkStarted(): void {
    if (!this.started) throw new Error('storage: not open (call open() first)');
  }

  private checkKey(key: string): void {
    this.checkStarted();
    // The rest of the key space belongs to the backend (revision counter, change log).
    if (typeof key !== 'string' || !key.startsWith(KEY_PREFIX) || key.length === KEY_PREFIX.length) {
      throw new Error(`storage: key must start with ${KEY_PREFIX}: ${String(key)}`);
    }
  }
}

/**
 * Kubernetes' wording: a stale resourceVersion on update is the optimistic-lock message;
 * a uid mismatch is storage's "invalid object" error, both surfacing as 409 Conflict.
 * An empty precondition is no precondition (a stored object never has an empty one).
 */
function checkUpdatePreconditions(key: string, cur: Entry, target: ErrorTarget, p?: Preconditions): void {
  if (!p) return;
  if (p.uid && p.uid !== cur.obj.metadata.uid) throw conflict(target, preconditionFailed(key, 'UID', p.uid, cur.obj.metadata.uid));
  if (p.resourceVersion && p.resourceVersion !== cur.obj.metadata.resourceVersion) throw conflict(target);
}

/** Delete preconditions fail as Kubernetes' `Preconditions.Check` does (uid first, then resourceVersion). */
function checkDeletePreconditions(key: string, cur: Entry, target: ErrorTarget, p?: Preconditions): void {
  if (!p) return;
  if (p.uid && p.uid !== cur.obj.metadata.uid) throw conflict(target, preconditionFailed(key, 'UID', p.uid, cur.obj.metadata.uid));
  if (p.resourceVersion && p.resourceVersion !== cur.obj.metadata.resourceVersion) {
    throw conflict(target, preconditionFailed(key, 'ResourceVersion', p.resourceVersion, cur.obj.metadata.resourceVersion));
  }
}

function preconditionFailed(key: string, what: 'UID' | 'ResourceVersion', wanted: string, actual: string | undefined): string {
  return `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ${what} in precondition: ${wanted}, ${what} in object meta: ${actual ?? ''}`;
}
