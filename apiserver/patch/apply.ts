/**
 * Server-side apply (`application/apply-patch+yaml`) and field-ownership bookkeeping for every
 * other write, recorded in `metadata.managedFields` the way Kubernetes does.
 *
 * Apply, for manager M with configuration C on live object L:
 *   1. merged = L ⊕ C under the kind's schema (keyed lists per key, sets as unions, atomic
 *      values replaced, live-only list elements kept in place);
 *   2. prune: fields M applied last time but not now are removed, unless some manager (M's new
 *      configuration included) still owns them;
 *   3. every field that changes between L and the result and is owned by another manager is a
 *      conflict: 409 listing them, unless `force`, in which case they move to M;
 *   4. M's Apply entry becomes exactly the fields of C; removed fields leave every entry.
 * An object with no managedFields is first given a `before-first-apply` Update entry owning all
 * its fields, so applying over values set by older writers still conflicts.
 *
 * Non-apply writes (`recordUpdate`): the manager gains the fields the write added or changed;
 * other managers lose them; fields the write removed leave every entry.
 *
 * Both functions are pure: inputs are never modified, time comes from the caller, and every
 * failure is an ApiError (400 for a malformed configuration, 409 for conflicts).
 */
import { ApiError, badRequest } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import { FieldSet, formatPath, type FieldPath, type PathElement } from './fieldset';
import { cloneJson, copyObject, deleteOwn, isObject, own, setOwn, canonicalJson, type JsonObject, type JsonValue } from './json';
import {
  appliedFieldSet, compareObjects, decodeManagedFields, describeManager, encodeManagedFields, formatTime, itemKey,
  managerKey, stripUnowned, toFieldPaths, type Comparison, type Manager,
} from './managedfields';
import { asList, asObject, fieldSchema, schemaFor, type GroupKind, type Schema } from './schema';

/** The manager Kubernetes credits with fields that existed before anyone applied. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface OwnershipOptions {
  /** The fieldManager of the request. */
  manager: string;
  kind: GroupKind;
  /** The request time; managedFields record it to the second. */
  now: Date | string | number;
  /** apiVersion recorded in the entry; defaults to the object's. */
  apiVersion?: string;
  /** Set when writing through a subresource, e.g. 'status'. */
  subresource?: string;
  /**
   * Top-level field paths this endpoint resets and nobody owns through it. Defaults to
   * [['status']] for the main resource and [['spec']] for the status subresource, as for the
   * built-in kinds; pass [] for a custom resource without a status subresource.
   */
  ignoredFields?: string[][];
}

export interface ApplyOptions extends OwnershipOptions {
  force?: boolean;
}

export interface FieldConflict {
  /** `"kubectl-client-side-apply" using apps/v1` */
  manager: string;
  /** `.spec.replicas` */
  field: string;
}

export interface ApplyResult {
  object: KObject;
  /** False when the apply changed neither the object nor its ownership (safe to skip the write). */
  changed: boolean;
  /** With `force`, the conflicts that were overridden. */
  conflicts: FieldConflict[];
}

function ignoredPaths(opts: OwnershipOptions): FieldPath[] {
  const paths = opts.ignoredFields ?? (opts.subresource === 'status' ? [['spec']] : opts.subresource ? [] : [['status']]);
  return toFieldPaths(paths);
}

function withoutManagedFields(o: JsonObject): JsonObject {
  const meta = own(o, 'metadata');
  if (!isObject(meta) || own(meta, 'managedFields') === undefined) return o;
  const out = copyObject(o);
  const m = copyObject(meta);
  deleteOwn(m, 'managedFields');
  setOwn(out, 'metadata', m);
  return out;
}

function withManagedFields(o: JsonObject, managers: Manager[]): KObject {
  const out = copyObject(o);
  const meta = isObject(own(out, 'metadata')) ? copyObject(own(out, 'metadata') as JsonObject) : {};
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) setOwn(meta, 'managedFields', entries as unknown as JsonValue);
  else deleteOwn(meta, 'managedFields');
  setOwn(out, 'metadata', meta);
  return out as unknown as KObject;
}

function stripComparison(c: Comparison, ignored: FieldPath[]): Comparison {
  return { added: stripUnowned(c.added, ignored), modified: stripUnowned(c.modified, ignored), removed: stripUnowned(c.removed, ignored) };
}

// ---------------------------------------------------------------------------------------------
// Server-side apply

export function serverSideApply(live: KObject | undefined, applied: unknown, opts: ApplyOptions): ApplyResult {
  if (!opts.manager) throw badRequest('PATCH with application/apply-patch+yaml requires the fieldManager query parameter');
  if (!isObject(applied)) throw badRequest(`invalid apply configuration: expected an object, got ${applied === null ? 'null' : Array.isArray(applied) ? 'a list' : typeof applied}`);
  const schema = schemaFor(opts.kind);
  const ignored = ignoredPaths(opts);
  const config = prepareConfig(applied, ignored);
  const apiVersion = opts.apiVersion ?? (typeof config.apiVersion === 'string' ? config.apiVersion : live?.apiVersion ?? '');
  const now = formatTime(opts.now);
  const self: Manager = { manager: opts.manager, operation: 'Apply', apiVersion, set: stripUnowned(appliedFieldSet(config, schema), ignored) };
  if (opts.subresource) self.subresource = opts.subresource;
  const selfKey = managerKey(self);

  const liveBody = live ? withoutManagedFields(live as unknown as JsonObject) : undefined;
  let managers = live ? decodeManagedFields(live.metadata?.managedFields) : [];
  if (liveBody && managers.length === 0) {
    // Fields nobody has claimed yet belong to whoever wrote them before apply was used.
    const seed = stripUnowned(compareObjects({}, liveBody, schema).added, ignored);
    if (!seed.isEmpty()) managers = [{ manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: live?.apiVersion ?? apiVersion, set: seed }];
  }
  const previous = managers.find((m) => managerKey(m) === selfKey);
  const others = managers.filter((m) => m !== previous);

  let merged = cloneJson(liveBody ? (mergeValues(liveBody, config, schema) as JsonObject) : config);
  if (previous) {
    const owned = others.reduce((acc, m) => acc.union(m.set), self.set);
    prune(merged, previous.set.difference(self.set), owned, schema);
  }

  const diff = stripComparison(compareObjects(liveBody ?? {}, merged, schema), ignored);
  const changedFields = diff.added.union(diff.modified);
  const conflicts: FieldConflict[] = [];
  for (const m of others) {
    for (const p of m.set.intersection(changedFields).members()) conflicts.push({ manager: describeManager(m), field: formatPath(p) });
  }
  if (conflicts.length > 0 && !opts.force) throw applyConflict(conflicts);

  const objectChanged = !(diff.added.isEmpty() && diff.modified.isEmpty() && diff.removed.isEmpty());
  if (live && !objectChanged && previous && previous.set.equals(self.set) && previous.apiVersion === self.apiVersion) {
    return { object: cloneJson(live), changed: false, conflicts: [] };
  }

  const next: Manager[] = [];
  for (const m of others) {
    const set = m.set.difference(changedFields).difference(diff.removed);
    next.push({ ...m, set });
  }
  self.time = now;
  next.push(self);
  merged = withoutManagedFields(merged);
  return { object: withManagedFields(merged, next), changed: true, conflicts };
}

/**
 * An apply configuration loses null fields (Kubernetes drops them when decoding), must not
 * carry managedFields, and loses the subtrees this endpoint ignores.
 */
function prepareConfig(applied: JsonObject, ignored: FieldPath[]): JsonObject {
  const config = dropNulls(applied) as JsonObject;
  const meta = own(config, 'metadata');
  if (meta !== undefined && !isObject(meta)) throw badRequest('invalid apply configuration: metadata must be an object');
  if (isObject(meta)) {
    const mf = own(meta, 'managedFields');
    if (Array.isArray(mf) && mf.length > 0) throw badRequest('metadata.managedFields must be nil');
    deleteOwn(meta, 'managedFields');
  }
  for (const p of ignored) {
    if (p.length === 1) deleteOwn(config, p[0].slice(2));
  }
  return config;
}

function dropNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) if (v[k] !== null) setOwn(out, k, dropNulls(v[k]));
    return out;
  }
  return v;
}

/**
 * Structured merge of `config` over `live`: objects merge per key unless atomic; associative
 * lists merge per key and sets per value, keeping live-only elements where they were; anything
 * else is replaced by the configuration. Shares unchanged subtrees with its inputs.
 */
function mergeValues(live: JsonValue | undefined, config: JsonValue | undefined, schema: Schema | undefined): JsonValue | undefined {
  if (config === undefined) return live;
  if (live === undefined) return config;
  if (isObject(live) && isObject(config) && !asObject(schema)?.atomic) {
    const os = asObject(schema);
    const out = copyObject(live);
    for (const k of Object.keys(config)) setOwn(out, k, mergeValues(own(live, k), config[k], fieldSchema(os, k)) as JsonValue);
    return out;
  }
  const ls = asList(schema);
  if (Array.isArray(live) && Array.isArray(config) && ls && ls.listType !== 'atomic') {
    if (ls.listType === 'set' && [...live, ...config].every((v) => v === null || typeof v !== 'object')) {
      const unique = config.filter((v, i) => config.findIndex((w) => canonicalJson(w) === canonicalJson(v)) === i);
      return mergeOrdered(live, unique, (v) => canonicalJson(v), (_l, r) => r);
    }
    if (ls.listType === 'map') {
      return mergeOrdered(live, config, (v) => itemKey(v, ls), (l, r) => (l === undefined ? r : (mergeValues(l, r, ls.elem) as JsonValue)));
    }
  }
  return config;
}

/**
 * Kubernetes' list merge order: walk both lists; elements only in the live list stay where
 * they are, elements in the configuration come in its order, and a live element the
 * configuration also has is emitted when the configuration reaches it — unless it is the next
 * shared one, in which case configuration-only elements before it are emitted first.
 * Live elements without a usable identity (or repeating one) are kept as they are.
 */
function mergeOrdered(
  live: JsonValue[],
  config: JsonValue[],
  ident: (v: JsonValue) => string | undefined,
  merge: (l: JsonValue | undefined, r: JsonValue) => JsonValue,
): JsonValue[] {
  const liveIds = live.map(ident);
  const firstLive = new Map<string, number>();
  liveIds.forEach((id, i) => {
    if (id !== undefined && !firstLive.has(id)) firstLive.set(id, i);
  });
  const configIds = config.map(ident);
  const inConfig = new Set(configIds.filter((id): id is string => id !== undefined));
  const isShared = (id: string | undefined, i: number) => id !== undefined && firstLive.get(id) === i && inConfig.has(id);
  const sharedOrder = configIds.filter((id): id is string => id !== undefined && firstLive.has(id));
  let nextShared = 0;
  const emitted = new Set<string>();
  const out: JsonValue[] = [];
  let l = 0;
  let r = 0;
  const takeConfig = () => {
    const id = configIds[r];
    const lv = id !== undefined && firstLive.has(id) ? live[firstLive.get(id)!] : undefined;
    out.push(merge(lv, config[r]));
    if (id !== undefined) emitted.add(id);
    if (id !== undefined && sharedOrder[nextShared] === id) nextShared++;
    r++;
  };
  while (l < live.length || r < config.length) {
    if (l < live.length) {
      const id = liveIds[l];
      if (!isShared(id, l)) {
        out.push(live[l++]);
        continue;
      }
      if (emitted.has(id!)) {
        l++;
        continue;
      }
      if (r < config.length && configIds[r] === id) {
        takeConfig();
        l++;
        continue;
      }
      if (sharedOrder[nextShared] !== id) {
        // Shared, but the configuration puts it later: it is emitted when we get there.
        l++;
        continue;
      }
    }
    if (r < config.length) takeConfig();
    else l++;
  }
  return out;
}

/**
 * Removes from `obj` (in place) the paths in `candidates` that nobody in `owned` claims. A
 * field also survives when someone owns something inside it; list elements and set values
 * survive only if owned themselves. Key fields of surviving elements are never removed. A map
 * or list emptied by a removal goes too unless owned (one level: structured-merge-diff leaves it
 * null, which typed decoding drops).
 */
function prune(obj: JsonObject, candidates: FieldSet, owned: FieldSet, schema: Schema): void {
  for (const p of candidates.members()) {
    if (owned.has(p)) continue;
    const last = p[p.length - 1];
    if (last.startsWith('f:') && owned.hasBelow(p)) continue;
    const parent = p[p.length - 2];
    if (parent !== undefined && parent.startsWith('k:') && last.startsWith('f:')) {
      const key = JSON.parse(parent.slice(2)) as JsonObject;
      if (Object.prototype.hasOwnProperty.call(key, last.slice(2))) continue;
    }
    removePath(obj, p, schema, owned);
  }
}

interface Located {
  container: JsonObject | JsonValue[];
  at: string | number;
  schema: Schema | undefined;
}

function locate(container: JsonValue, pe: PathElement, schema: Schema | undefined): Located | undefined {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      if (!isObject(container) || own(container, body) === undefined) return undefined;
      return { container, at: body, schema: fieldSchema(schema, body) };
    case 'k:': {
      const ls = asList(schema);
      if (!Array.isArray(container) || !ls) return undefined;
      const i = container.findIndex((item) => itemKey(item, ls) === pe);
      return i < 0 ? undefined : { container, at: i, schema: ls.elem };
    }
    case 'v:': {
      if (!Array.isArray(container)) return undefined;
      const i = container.findIndex((v) => canonicalJson(v) === body);
      return i < 0 ? undefined : { container, at: i, schema: undefined };
    }
    case 'i:': {
      const i = Number(body);
      if (!Array.isArray(container) || !(i < container.length)) return undefined;
      return { container, at: i, schema: asList(schema)?.elem };
    }
    default:
      return undefined;
  }
}

function removePath(root: JsonObject, path: FieldPath, rootSchema: Schema, owned: FieldSet): void {
  const trail: Located[] = [];
  let cur: JsonValue = root;
  let schema: Schema | undefined = rootSchema;
  for (const pe of path) {
    const loc = locate(cur, pe, schema);
    if (!loc) return;
    trail.push(loc);
    cur = Array.isArray(loc.container) ? loc.container[loc.at as number] : (loc.container as JsonObject)[loc.at as string];
    schema = loc.schema;
  }
  detach(trail[trail.length - 1]);
  // Tidy the direct container if the removal emptied it and nobody owns it (an applied `{}`
  // is owned). spec, status and metadata always stay: typed objects always have them.
  const holderPath = path.slice(0, -1);
  const structural = holderPath.length === 1 && ['f:spec', 'f:status', 'f:metadata'].includes(holderPath[0]);
  if (trail.length >= 2 && !structural && !owned.has(holderPath)) {
    const holder = trail[trail.length - 1].container;
    const empty = Array.isArray(holder) ? holder.length === 0 : Object.keys(holder).length === 0;
    if (empty) detach(trail[trail.length - 2]);
  }
}

function detach(loc: Located): void {
  if (Array.isArray(loc.container)) loc.container.splice(loc.at as number, 1);
  else deleteOwn(loc.container, loc.at as string);
}

function applyConflict(conflicts: FieldConflict[]): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const f of byManager.get(m)!) lines.push(`- ${f}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })),
  });
}

// ---------------------------------------------------------------------------------------------
// Ownership for create / update / patch

/**
 * Returns `updated` with managedFields brought up to date for a non-apply write by
 * `opts.manager` (old is undefined for a create). managedFields sent by the client are
 * replaced: ownership is derived from the stored object only.
 */
export function recordUpdate(old: KObject | undefined, updated: KObject, opts: OwnershipOptions): KObject {
  const schema = schemaFor(opts.kind);
  const ignored = ignoredPaths(opts);
  const before = old ? withoutManagedFields(old as unknown as JsonObject) : {};
  const after = withoutManagedFields(updated as unknown as JsonObject);
  const diff = stripComparison(compareObjects(before, after, schema), ignored);
  const changed = diff.added.union(diff.modified);
  const managers = old ? decodeManagedFields(old.metadata?.managedFields) : [];
  const apiVersion = opts.apiVersion ?? updated.apiVersion ?? old?.apiVersion ?? '';
  const self: Manager = { manager: opts.manager, operation: 'Update', apiVersion, set: new FieldSet() };
  if (opts.subresource) self.subresource = opts.subresource;
  const selfKey = managerKey(self);

  const next: Manager[] = [];
  let previous: Manager | undefined;
  for (const m of managers) {
    if (managerKey(m) === selfKey) {
      previous = m;
      continue;
    }
    next.push({ ...m, set: m.set.difference(changed).difference(diff.removed) });
  }
  if (!changed.isEmpty()) {
    self.set = (previous?.set ?? new FieldSet()).difference(diff.removed).union(changed);
    self.time = formatTime(opts.now);
    next.push(self);
  } else if (previous) {
    next.push({ ...previous, set: previous.set.difference(diff.removed) });
  }
  return withManagedFields(after, next);
}

