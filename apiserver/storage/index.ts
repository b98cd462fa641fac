/**
 * The storage layer's public face: the interface, both backends and their options.
 * The API server imports from here, never from a backend's file directly.
 */
export * from './interface';
export { StoreCore, DEFAULT_MAX_OBJECT_BYTES, DEFAULT_RETAIN_REVISIONS, DEFAULT_RETAIN_MS, DEFAULT_COMPACTION_INTERVAL_MS, KEY_PREFIX, systemClock } from './core';
export type { Clock, StoreOptions, CommitStats, Journal, CommitRecord, LoadedState } from './core';
export { MemoryStorage } from './memory';
export { LevelStorage, type LevelStorageOptions } from './level';
