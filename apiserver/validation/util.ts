/**
 * Small helpers shared by defaulting and validation: tolerant readers for JSON-shaped
 * objects, Kubernetes field paths, and Go-style value printing for error messages.
 *
 * Validation must never throw on odd input (bad input is a 422, never a 500), so every
 * reader here returns an empty value of the expected type when the JSON has another
 * shape; type mismatches are the decoder's (openapi/strict.ts) to report.
 */
import { GoValue } from '../../shared/api/errors';

/** A JSON object as validation reads it. `any` values: the shape is checked field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = Record<string, any>;

export function isObj(v: unknown): v is J {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `v`, or an empty object (never shared: callers may not mutate it). */
export function obj(v: unknown): J {
  return isObj(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function objs(v: unknown): J[] {
  return arr(v).map(obj);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Set `o[k] = v` when absent (undefined or null); the building block of idempotent defaults. */
export function setDefault(o: J, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** Ensure `o[k]` is an object and return it. */
export function child(o: J, k: string): J {
  if (!isObj(o[k])) o[k] = {};
  return o[k] as J;
}

/**
 * A field path printed like Kubernetes' field.Path: `spec.containers[0].name`,
 * `data[key]`, `metadata.labels`.
 */
export class FieldPath {
  constructor(readonly text = '') {}

  child(...names: string[]): FieldPath {
    let t = this.text;
    for (const n of names) t = t ? `${t}.${n}` : n;
    return new FieldPath(t);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

export const root = new FieldPath();

// ---------------------------------------------------------------- Go %#v spelling

const goStr = (s: string) => JSON.stringify(s);

/** `map[string]string{"a":"b"}` (keys sorted, as Go prints maps), or `map[string]string(nil)`. */
export function goStringMap(m: unknown): GoValue {
  if (!isObj(m)) return new GoValue('map[string]string(nil)');
  const keys = Object.keys(m).sort();
  return new GoValue(`map[string]string{${keys.map((k) => `${goStr(k)}:${goStr(str(m[k]))}`).join(', ')}}`);
}

/** `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}` as Go's %#v prints a label selector. */
export function goLabelSelector(sel: unknown): GoValue {
  if (!isObj(sel)) return new GoValue('null');
  const labels = isObj(sel.matchLabels) ? goStringMap(sel.matchLabels).text : 'map[string]string(nil)';
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${objs(sel.matchExpressions)
        .map((e) => `v1.LabelSelectorRequirement{Key:${goStr(str(e.key))}, Operator:${goStr(str(e.operator))}, Values:${Array.isArray(e.values) ? `[]string{${arr(e.values).map((v) => goStr(str(v))).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`);
}

/** `[]string{"a", "b"}`. */
export function goStringSlice(v: unknown): GoValue {
  return new GoValue(`[]string{${arr(v).map((x) => goStr(str(x))).join(', ')}}`);
}

/** Structural equality of JSON values (key order ignored; undefined members ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
