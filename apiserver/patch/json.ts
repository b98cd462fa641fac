/**
 * JSON value helpers shared by every patch flavour.
 *
 * Patches arrive as parsed request bodies, so any key may be `__proto__`, `constructor` or
 * `toString`. Every read and write of a caller-controlled key goes through `own`/`setOwn`/
 * `deleteOwn`, which only ever touch own data properties: a patch can never reach or replace an
 * object's prototype. Values are treated as immutable; functions here never modify their inputs.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, key: string): boolean {
  return hasOwnProperty.call(o, key);
}

/** The own property `key` of `o`, or undefined; never an inherited member. */
export function own(o: JsonObject, key: string): JsonValue | undefined {
  return hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Sets an own data property, even for `__proto__` (plain assignment would swap the prototype). */
export function setOwn(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function deleteOwn(o: JsonObject, key: string): void {
  if (hasOwnProperty.call(o, key)) delete o[key];
}

/** A shallow copy that keeps `__proto__` as an ordinary key. */
export function copyObject(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) setOwn(out, k, o[k]);
  return out;
}

export function withoutKey(o: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) if (k !== key) setOwn(out, k, o[k]);
  return out;
}

export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as unknown as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k]));
    return out as T;
  }
  return v;
}

/** Structural equality; object key order is irrelevant, array order is significant. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    for (const k of ak) if (!hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** JSON text with object keys sorted at every level: a stable identity for keys and set values. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Compact JSON for error messages, cut so a huge patch cannot make a huge Status. */
export function show(v: unknown, max = 200): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** `spec.containers[0].image` for error messages; numbers are list indices. */
export function pathString(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}
