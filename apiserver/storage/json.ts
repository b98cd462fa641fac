/**
 * JSON-value helpers for the storage layer: deep equality (for no-op update detection)
 * and deep freezing (for event objects shared between watchers and the change log).
 *
 * Everything here works on JSON-shaped data only (plain objects, arrays, strings,
 * numbers, booleans, null), which is all the store ever holds: objects enter it through
 * a JSON round trip.
 */
import type { KObject } from '../../shared/api/types';

/**
 * Structural equality of two JSON values. Key order does not matter (an update function
 * may rebuild a map in another order and still mean "no change").
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bArr = b as unknown[];
    if (a.length !== bArr.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bArr[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const aKeys = Object.keys(ao);
  if (aKeys.length !== Object.keys(bo).length) return false;
  for (const k of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !jsonEqual(ao[k], bo[k])) return false;
  }
  return true;
}

/** Equality of two stored objects, ignoring `metadata.resourceVersion` (which only the store sets). */
export function equalIgnoringResourceVersion(a: KObject, b: KObject): boolean {
  const strip = (o: KObject): KObject => {
    if (!o.metadata || !('resourceVersion' in o.metadata)) return o;
    const { resourceVersion: _rv, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return jsonEqual(strip(a), strip(b));
}

/**
 * Freezes a JSON value and everything under it. Event objects are shared by every
 * watcher and kept in the change log for later watchers, so one consumer mutating one
 * would silently rewrite history for the others; frozen, the mistake throws at once.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * A private, JSON-normalised copy of a caller's object: `undefined` fields vanish, Dates
 * become strings, and anything not representable in JSON fails here, not half-way
 * through a commit.
 */
export function toStoredShape(obj: KObject): KObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KObject;
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new TypeError('storage: an object must be a JSON object');
  if (typeof copy.metadata !== 'object' || copy.metadata === null) copy.metadata = {};
  return copy;
}
