/**
 * LevelStorage: the shared in-memory core made durable with LevelDB (classic-level).
 *
 * On-disk layout (one LevelDB, utf8 keys and values):
 *   /registry/...                    → the object's JSON (carries its resourceVersion)
 *   /changelog/<16-digit revision>   → {"type","key","t","object","prevObject"?} for watches from the past
 *   /meta/revision                   → the store's revision (decimal)
 *   /meta/compacted                  → the compacted revision (decimal; absent = 0)
 *
 * Concurrency model: reads never touch the disk (the core serves them from memory,
 * loaded once in `open()`); the core's commit loop calls `append` for one group commit
 * at a time. Each append is ONE LevelDB batch written with `sync: true` holding the
 * objects, their change-log entries and the new `/meta/revision`.
 *
 * Guarantees: LevelDB applies a batch atomically and a synced batch survives a crash
 * (SIGKILL, power loss), so after any crash the store reopens exactly at some
 * acknowledged-or-later group commit: every acknowledged write is there, the revision
 * never goes backwards, and the change log is contiguous up to `/meta/revision`.
 * Compaction writes `/meta/compacted` (synced) before deleting old entries; entries left
 * behind by a crash in between are ignored and removed on the next open.
 *
 * Only one process may open a directory at a time (LevelDB's LOCK file; a second open
 * fails with LEVEL_LOCKED), which is what makes the in-memory copy authoritative.
 */
import { ClassicLevel } from 'classic-level';
import type { StoreEvent, StoreEventType } from './interface';
import type { KObject } from '../../shared/api/types';
import { KEY_PREFIX, StoreCore, type CommitRecord, type Journal, type LoadedState, type StoreOptions } from './core';

export interface LevelStorageOptions extends StoreOptions {
  /** Directory of the LevelDB database (created if missing). */
  path: string;
}

const META_REVISION = '/meta/revision';
const META_COMPACTED = '/meta/compacted';
const CHANGELOG_PREFIX = '/changelog/';
/** Enough digits for any safe integer, so lexical order of keys is numeric order. */
const REVISION_DIGITS = 16;

/** The first string after every key with `prefix` (prefixes here end in '/', and '0' follows '/'). */
function prefixLimit(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export function changelogKey(revision: number): string {
  return CHANGELOG_PREFIX + String(revision).padStart(REVISION_DIGITS, '0');
}

/** Built by concatenation: the object JSON is already serialised and may be 1.5 MiB. */
function encodeChange(r: CommitRecord): string {
  let s = `{"type":"${r.type}","key":${JSON.stringify(r.key)},"t":${r.time},"object":${r.objectJson}`;
  if (r.prevObjectJson !== undefined) s += `,"prevObject":${r.prevObjectJson}`;
  return s + '}';
}

interface StoredChange {
  type: StoreEventType;
  key: string;
  t: number;
  object: KObject;
  prevObject?: KObject;
}

function parseCounter(value: string | undefined, what: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`storage: corrupt ${what}: ${JSON.stringify(value)}`);
  return n;
}

class LevelJournal implements Journal {
  constructor(readonly db: ClassicLevel<string, string>) {}

  async append(records: CommitRecord[]): Promise<void> {
    const ops: Array<{ type: 'put'; key: string; value: string } | { type: 'del'; key: string }> = [];
    for (const r of records) {
      if (r.type === 'DELETED') ops.push({ type: 'del', key: r.key });
      else ops.push({ type: 'put', key: r.key, value: r.objectJson });
      ops.push({ type: 'put', key: changelogKey(r.revision), value: encodeChange(r) });
    }
    // Same batch as the writes: the revision on disk can never lag or lead its data.
    ops.push({ type: 'put', key: META_REVISION, value: String(records[records.length - 1].revision) });
    await this.db.batch(ops, { sync: true });
  }

  async compact(revision: number): Promise<void> {
    await this.db.put(META_COMPACTED, String(revision), { sync: true });
    await this.db.clear({ gte: CHANGELOG_PREFIX, lte: changelogKey(revision) });
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async load(): Promise<LoadedState> {
    const revision = parseCounter(await this.db.get(META_REVISION), META_REVISION);
    const compacted = parseCounter(await this.db.get(META_COMPACTED), META_COMPACTED);
    // Left behind if a crash interrupted a compaction after it recorded its revision.
    if (compacted > 0) await this.db.clear({ gte: CHANGELOG_PREFIX, lte: changelogKey(compacted) });

    const objects: Array<[string, string]> = [];
    for await (const [key, value] of this.db.iterator({ gte: KEY_PREFIX, lt: prefixLimit(KEY_PREFIX) })) {
      objects.push([key, value]);
    }
    const history: LoadedState['history'] = [];
    for await (const [key, value] of this.db.iterator({ gt: changelogKey(compacted), lt: prefixLimit(CHANGELOG_PREFIX) })) {
      const c = JSON.parse(value) as StoredChange;
      const event: StoreEvent = { type: c.type, key: c.key, object: c.object, revision: Number(key.slice(CHANGELOG_PREFIX.length)) };
      if (c.prevObject !== undefined) event.prevObject = c.prevObject;
      history.push({ event, time: c.t });
    }
    return { revision, compacted, objects, history };
  }
}

export class LevelStorage extends StoreCore {
  readonly path: string;
  private readonly level: LevelJournal;
  private opening: Promise<this> | undefined;

  /** Call `open()` (or use `LevelStorage.open(opts)`) before anything else. */
  constructor(opts: LevelStorageOptions) {
    const journal = new LevelJournal(new ClassicLevel<string, string>(opts.path, { createIfMissing: true }));
    super(opts, journal);
    this.level = journal;
    this.path = opts.path;
  }

  static open(opts: LevelStorageOptions): Promise<LevelStorage> {
    return new LevelStorage(opts).open();
  }

  /** Opens the database and loads it into memory; idempotent. Fails on a corrupt store. */
  open(): Promise<this> {
    this.opening ??= (async () => {
      await this.level.db.open();
      try {
        this.start(await this.level.load());
      } catch (err) {
        await this.level.db.close().catch(() => undefined);
        throw err;
      }
      return this;
    })();
    return this.opening;
  }
}
