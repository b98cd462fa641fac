/**
 * The object side of field ownership: which field paths an object (or a change between two
 * objects) touches under a kind's schema, and the `metadata.managedFields` encoding.
 *
 * Two ways of turning values into field sets, mirroring structured-merge-diff:
 *   - `appliedFieldSet`: what an apply configuration claims — every leaf, every associative-list
 *     element and set value, atomic fields and empty objects/lists as single members. Non-empty
 *     containers are not members (Kubernetes' Apply entries read `f:labels: {f:app: {}}`).
 *   - `compareObjects`: added / modified / removed paths between two versions. A container that
 *     appears or disappears whole is itself a member too (`f:labels: {".": {}, …}` in Update
 *     entries), except top-level spec/status/metadata, which Go's typed objects always carry.
 *
 * Server-managed metadata (name, uid, resourceVersion, …) and apiVersion/kind are never owned.
 * Everything here is pure; the only failures are 400 ApiErrors for an apply configuration whose
 * associative-list elements lack or repeat their keys.
 */
import { badRequest } from '../../shared/api/errors';
import { FieldSet, fieldElement, keyElement, valueElement, type FieldPath, type PathElement } from './fieldset';
import { deepEqual, isObject, own, type JsonObject, type JsonValue } from './json';
import { asList, asObject, fieldSchema, type ListSchema, type ObjectSchema, type Schema } from './schema';

export type Operation = 'Apply' | 'Update';

/** One `metadata.managedFields` entry, as Kubernetes serialises it. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: JsonObject;
  subresource?: string;
}

/** A decoded entry: who, how, and the fields they own. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/**
 * Kubernetes identifies a manager by name, operation and subresource, plus the API version for
 * Update (so one controller writing through two versions keeps two entries) but not for Apply
 * (an applier keeps one entry across version bumps).
 */
export function managerKey(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Update' ? m.apiVersion : '', m.subresource ?? '']);
}

/** `"kubectl"`, `"kubectl-client-side-apply" using apps/v1`: the spelling of conflict messages. */
export function describeManager(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/**
 * Reads managedFields leniently: an entry that cannot be understood is dropped rather than
 * failing the write (Kubernetes resets undecodable managedFields the same way).
 */
export function decodeManagedFields(v: unknown): Manager[] {
  if (!Array.isArray(v)) return [];
  const out: Manager[] = [];
  for (const e of v) {
    if (!isObject(e) || typeof e.manager !== 'string') continue;
    if (e.operation !== 'Apply' && e.operation !== 'Update') continue;
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch {
      continue;
    }
    const m: Manager = { manager: e.manager, operation: e.operation, apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '', set };
    if (typeof e.time === 'string') m.time = e.time;
    if (typeof e.subresource === 'string' && e.subresource !== '') m.subresource = e.subresource;
    // Two entries with one identity (hand-edited data): their sets are merged.
    const twin = out.find((o) => managerKey(o) === managerKey(m));
    if (twin) twin.set = twin.set.union(m.set);
    else out.push(m);
  }
  return out;
}

/** Entries in Kubernetes' order (operation, time, manager, apiVersion, subresource); empty sets dropped. */
export function encodeManagedFields(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const live = managers.filter((m) => !m.set.isEmpty());
  live.sort((p, q) => cmp(p.operation, q.operation) || cmp(p.time ?? '', q.time ?? '') || cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource ?? '', q.subresource ?? ''));
  return live.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time !== undefined) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function formatTime(now: Date | string | number): string {
  const d = now instanceof Date ? now : new Date(now);
  // An unparsable string is kept as given rather than failing a write over a timestamp.
  if (Number.isNaN(d.getTime())) return typeof now === 'string' ? now : '';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------
// Paths that nobody owns

const STRIP_SUBTREES: FieldPath[] = [
  ['f:apiVersion'], ['f:kind'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => ['f:metadata', fieldElement(f)]),
];

/** Removes server-managed fields and the endpoint's ignored subtrees (e.g. status) from a set. */
export function stripUnowned(s: FieldSet, ignored: readonly FieldPath[]): FieldSet {
  let out = s.withoutMember(['f:metadata']);
  for (const p of STRIP_SUBTREES) out = out.withoutSubtree(p);
  for (const p of ignored) out = out.withoutSubtree(p);
  return out;
}

/** `[['status']]` → `[['f:status']]`. */
export function toFieldPaths(paths: readonly (readonly string[])[]): FieldPath[] {
  return paths.map((p) => p.map(fieldElement));
}

// ---------------------------------------------------------------------------------------------
// Associative-list keys

/**
 * The key of an associative-list element, `k:{…}` ready; undefined when a key field is missing
 * and has no default. Key values are kept as found (numbers stay numbers).
 */
export function itemKey(item: JsonValue, ls: ListSchema): PathElement | undefined {
  if (!isObject(item) || !ls.keys || ls.keys.length === 0) return undefined;
  const key: JsonObject = {};
  for (const kf of ls.keys) {
    const v = own(item, kf.name) ?? kf.default;
    if (v === undefined || v === null || isObject(v) || Array.isArray(v)) return undefined;
    key[kf.name] = v;
  }
  return keyElement(key);
}

/** Set lists only work on primitives; anything else is owned as one value. */
function isPrimitiveSet(list: JsonValue[]): boolean {
  return list.every((v) => v === null || typeof v !== 'object');
}

function isGranularList(ls: ListSchema | undefined, list: JsonValue[]): ls is ListSchema {
  if (!ls || ls.listType === 'atomic') return false;
  if (ls.listType === 'set') return isPrimitiveSet(list);
  return true;
}

/** Top-level containers that Go's typed objects always carry, so an update never "adds" them. */
function alwaysPresent(path: FieldPath): boolean {
  return path.length === 1 && (path[0] === 'f:spec' || path[0] === 'f:status' || path[0] === 'f:metadata');
}

interface WalkMode {
  /** Containers are members too (compare semantics) rather than only their leaves (apply). */
  containers: boolean;
  /** Missing/duplicate list keys are the caller's error (apply configs) instead of skipped. */
  strict: boolean;
}

function walk(v: JsonValue, schema: Schema | undefined, path: PathElement[], set: FieldSet, mode: WalkMode): void {
  if (isObject(v)) {
    const os = asObject(schema);
    const keys = Object.keys(v);
    if (os?.atomic || keys.length === 0) {
      if (path.length > 0) set.insert(path);
      return;
    }
    if (mode.containers && path.length > 0 && !alwaysPresent(path)) set.insert(path);
    for (const k of keys) walk(v[k], fieldSchema(os, k), [...path, fieldElement(k)], set, mode);
    return;
  }
  if (Array.isArray(v)) {
    const ls = asList(schema);
    if (!isGranularList(ls, v)) {
      set.insert(path);
      return;
    }
    if (v.length === 0) {
      // An explicit empty list is a value someone chose, like an empty object: it is owned, so
      // pruning other elements never takes the `[]` its owner asked for.
      set.insert(path);
      return;
    }
    if (mode.containers) set.insert(path);
    if (ls.listType === 'set') {
      for (const x of v) set.insert([...path, valueElement(x)]);
      return;
    }
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const pe = itemKey(item, ls);
      if (pe === undefined || seen.has(pe)) {
        if (mode.strict) throw listKeyError(path, i, item, ls, pe !== undefined);
        return;
      }
      seen.add(pe);
      set.insert([...path, pe]);
      const item2 = item as JsonObject;
      for (const k of Object.keys(item2)) walk(item2[k], fieldSchema(ls.elem, k), [...path, pe, fieldElement(k)], set, mode);
    });
    return;
  }
  if (path.length > 0) set.insert(path);
}

function listKeyError(path: FieldPath, i: number, item: JsonValue, ls: ListSchema, duplicate: boolean): Error {
  const at = `${path.map((pe) => `.${pe.slice(2)}`).join('')}[${i}]`;
  const keys = (ls.keys ?? []).map((k) => k.name).join(', ');
  if (duplicate) return badRequest(`invalid apply configuration: ${at}: duplicate entries for key ${itemKey(item, ls)?.slice(2)}`);
  return badRequest(`invalid apply configuration: ${at}: associative list element must be an object with key field(s) ${keys}`);
}

/** The fields an apply configuration sets. */
export function appliedFieldSet(config: JsonObject, schema: ObjectSchema): FieldSet {
  const s = new FieldSet();
  walk(config, schema, [], s, { containers: false, strict: true });
  return s;
}

/** Every path of a value with container members (what an update creating it would own). */
export function fullFieldSet(v: JsonValue, schema: Schema | undefined, path: PathElement[] = []): FieldSet {
  const s = new FieldSet();
  walk(v, schema, path, s, { containers: true, strict: false });
  return s;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(a: JsonObject, b: JsonObject, schema: ObjectSchema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareValues(a, b, schema, [], c);
  return c;
}

function addAll(target: FieldSet, v: JsonValue, schema: Schema | undefined, path: PathElement[]): void {
  walk(v, schema, path, target, { containers: true, strict: false });
}

function compareValues(a: JsonValue | undefined, b: JsonValue | undefined, schema: Schema | undefined, path: PathElement[], c: Comparison): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return addAll(c.added, b!, schema, path);
  if (b === undefined) return addAll(c.removed, a, schema, path);

  if (isObject(a) && isObject(b) && !asObject(schema)?.atomic && (Object.keys(a).length > 0 || Object.keys(b).length > 0)) {
    const os = asObject(schema);
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compareValues(own(a, k), own(b, k), fieldSchema(os, k), [...path, fieldElement(k)], c);
    return;
  }

  const ls = asList(schema);
  if (Array.isArray(a) && Array.isArray(b) && (a.length > 0 || b.length > 0) && isGranularList(ls, a) && isGranularList(ls, b)) {
    const ia = indexItems(a, ls);
    const ib = indexItems(b, ls);
    for (const [pe, item] of ia) {
      if (!ib.has(pe)) addAll(c.removed, item, ls.elem, [...path, pe]);
    }
    for (const [pe, item] of ib) {
      const old = ia.get(pe);
      if (old === undefined) {
        if (ls.listType === 'set') c.added.insert([...path, pe]);
        else addAll(c.added, item, ls.elem, [...path, pe]);
      } else if (ls.listType === 'map') {
        // Same element: compare its fields; the element itself neither appeared nor vanished.
        const oa = old as JsonObject;
        const ob = item as JsonObject;
        const keys = new Set([...Object.keys(oa), ...Object.keys(ob)]);
        for (const k of keys) compareValues(own(oa, k), own(ob, k), fieldSchema(ls.elem, k), [...path, pe, fieldElement(k)], c);
      }
    }
    return;
  }

  if (deepEqual(a, b)) return;
  // A leaf, an atomic value, or a change of shape: the path itself changed. When a container
  // turns into something else its old insides are gone and its new insides are new.
  c.modified.insert(path);
  if (isContainer(a)) c.removed = c.removed.union(fullFieldSet(a, schema, path).withoutMember(path));
  if (isContainer(b)) c.added = c.added.union(fullFieldSet(b, schema, path).withoutMember(path));
}

function isContainer(v: JsonValue): boolean {
  return (isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);
}

/** Elements of a granular list by path element; later duplicates are ignored, as in SMD. */
export function indexItems(list: JsonValue[], ls: ListSchema): Map<PathElement, JsonValue> {
  const m = new Map<PathElement, JsonValue>();
  for (const item of list) {
    const pe = ls.listType === 'set' ? valueElement(item) : itemKey(item, ls);
    if (pe !== undefined && !m.has(pe)) m.set(pe, item);
  }
  return m;
}
