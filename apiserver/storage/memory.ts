/**
 * MemoryStorage: the shared core with no durability. For unit tests, and for anything
 * that wants the store's semantics (revisions, CAS, watch, compaction) without a disk.
 * Everything the core guarantees holds, except that nothing survives the process.
 *
 * Writes still go through the group-commit loop (with a journal that does nothing), so
 * tests against it exercise the same ordering and batching code as LevelStorage.
 */
import { NO_JOURNAL, StoreCore, type StoreOptions } from './core';

export class MemoryStorage extends StoreCore {
  constructor(opts: StoreOptions = {}) {
    super(opts, NO_JOURNAL);
    this.start({ revision: 0, compacted: 0, objects: [], history: [] });
  }
}
