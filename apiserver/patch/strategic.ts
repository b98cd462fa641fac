/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), the patch kubectl sends for
 * client-side `apply`, `set image`, `rollout restart`, `cordon` and plain `kubectl patch`.
 *
 * It is JSON merge patch plus per-type list rules from ./schema (merge keyed lists per element,
 * union primitive sets) and the directives:
 *   - `$patch: replace | delete | merge` on a map or as a list element;
 *   - `$retainKeys: [...]` on a map: drop every live key not listed;
 *   - `$setElementOrder/<list>`: the order of the merged list;
 *   - `$deleteFromPrimitiveList/<list>`: values to remove from a primitive list.
 *
 * Order within a map: `$patch`, then `$retainKeys`, then lists with `$setElementOrder`, then the
 * other keys, then `$deleteFromPrimitiveList` — the order the Go implementation uses.
 *
 * Guarantees: inputs are never modified; no directive key survives into the result (Go leaves
 * some in values that are new to the object and relies on typed decoding to drop them; we store
 * JSON, so we materialise every new value through the same merge); a malformed patch is a 400
 * ApiError naming the path, never an exception of another kind.
 *
 * List order follows Kubernetes: elements named by the patch (or by `$setElementOrder`) take that
 * order, and live elements the patch does not mention keep their place relative to the live
 * elements the patch does mention; elements new to the list go before remaining live-only ones.
 */
import { ApiError, badRequest } from '../../shared/api/errors';
import {
  canonicalJson, copyObject, deepEqual, deleteOwn, hasOwn, isObject, own, pathString, setOwn, show, typeName,
  withoutKey, type JsonObject, type JsonValue,
} from './json';
import { asList, asObject, fieldSchema, schemaFor, type GroupKind, type KeyField, type ListSchema, type Schema } from './schema';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

type Path = (string | number)[];

export function applyStrategicMergePatch<T>(doc: T, patch: unknown, kind: GroupKind): T {
  if (!isObject(patch)) {
    throw badRequest(`invalid strategic merge patch: expected a JSON object, got ${typeName(patch)}`);
  }
  return mergeObject(isObject(doc) ? doc : undefined, patch, schemaFor(kind), []) as T;
}

/** True for keys that are instructions to the merge rather than data. */
export function isDirectiveKey(k: string): boolean {
  return k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST);
}

function fail(path: Path, message: string): ApiError {
  const where = pathString(path);
  return badRequest(`invalid strategic merge patch${where ? ` at ${where}` : ''}: ${message}`);
}

function mergeObject(orig: JsonObject | undefined, patchIn: JsonObject, schema: Schema | undefined, path: Path): JsonObject {
  const objSchema = asObject(schema);
  let patch = patchIn;
  let base = orig;
  if (hasOwn(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    // Go answers `{}` for a deleted map (its typed decoding then drops empty maps).
    if (d === 'delete') return {};
    if (d === 'replace') base = undefined;
    else if (d !== 'merge') throw fail(path, `unknown patch type ${show(d)} in map ${show(patch)}`);
    patch = withoutKey(patch, DIRECTIVE);
  }
  const out = base ? copyObject(base) : {};

  if (hasOwn(patch, RETAIN_KEYS)) {
    const retain = patch[RETAIN_KEYS];
    if (!Array.isArray(retain) || !retain.every((k) => typeof k === 'string')) {
      throw fail(path, `invalid patch format of retainKeys: ${RETAIN_KEYS} must be a list of field names, got ${show(retain)}`);
    }
    const keep = new Set(retain as string[]);
    for (const k of Object.keys(patch)) {
      if (isDirectiveKey(k) || patch[k] === null) continue;
      if (!keep.has(k)) throw fail(path, `invalid patch format of retainKeys: field "${k}" is set by the patch but missing from ${RETAIN_KEYS}`);
    }
    for (const k of Object.keys(out)) if (!keep.has(k)) deleteOwn(out, k);
  }

  // Lists named by $setElementOrder are merged and ordered together, then skipped below.
  const ordered = new Set<string>();
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = k.slice(SET_ELEMENT_ORDER.length);
    const order = patch[k];
    if (field === '' || !Array.isArray(order)) {
      throw fail(path, `invalid patch format of setElementOrder list: "${k}" must name a list and hold a list, got ${show(order)}`);
    }
    const pv = own(patch, field);
    if (pv === null) continue; // the list is being deleted; nothing to order
    if (pv !== undefined && !Array.isArray(pv)) {
      throw fail([...path, field], `expected a list next to ${k}, got ${typeName(pv)}`);
    }
    const cur = own(out, field);
    const live = Array.isArray(cur) ? cur : undefined;
    if (live === undefined && pv === undefined) continue;
    setOwn(out, field, mergeList(live ?? [], pv, asList(fieldSchema(objSchema, field)), [...path, field], order));
    ordered.add(field);
  }

  for (const k of Object.keys(patch)) {
    if (isDirectiveKey(k) || ordered.has(k)) continue;
    const pv = patch[k];
    if (pv === null) {
      deleteOwn(out, k);
      continue;
    }
    const cur = own(out, k);
    // Deleting elements from a list the object does not have leaves it without the list,
    // rather than creating an empty one.
    if (cur === undefined && Array.isArray(pv) && pv.length > 0 && pv.every((e) => isObject(e) && e[DIRECTIVE] === 'delete')) continue;
    setOwn(out, k, mergeValue(cur, pv, fieldSchema(objSchema, k), [...path, k]));
  }

  for (const k of Object.keys(patch)) {
    if (!k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = k.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    const remove = patch[k];
    if (field === '' || !Array.isArray(remove)) {
      throw fail(path, `invalid patch format of primitive list: "${k}" must name a list and hold a list, got ${show(remove)}`);
    }
    const cur = own(out, field);
    // Deleting from a list that is not there is a no-op (Go once added the values instead).
    if (!Array.isArray(cur)) continue;
    setOwn(out, field, cur.filter((v) => !remove.some((r) => deepEqual(r, v))));
  }
  return out;
}

/** Merges a non-null patch value into `orig` (undefined when the key is new). */
function mergeValue(orig: JsonValue | undefined, pv: JsonValue, schema: Schema | undefined, path: Path): JsonValue {
  if (isObject(pv)) return mergeObject(isObject(orig) ? orig : undefined, pv, schema, path);
  if (Array.isArray(pv)) {
    const ls = asList(schema);
    if (ls && ls.strategy === 'merge') return mergeList(Array.isArray(orig) ? orig : [], pv, ls, path, undefined);
    return replaceList(pv, ls, path);
  }
  return pv;
}

/**
 * A list without a merge strategy is taken from the patch as is, apart from directives: a
 * `$patch: delete` element is dropped and other directive markers are stripped.
 */
function replaceList(pv: JsonValue[], ls: ListSchema | undefined, path: Path): JsonValue[] {
  const out: JsonValue[] = [];
  pv.forEach((el, i) => {
    if (isObject(el) && hasOwn(el, DIRECTIVE)) {
      const d = el[DIRECTIVE];
      if (d === 'delete') return;
      if (d !== 'replace' && d !== 'merge') throw fail([...path, i], `unknown patch type ${show(d)} in list element ${show(el)}`);
      const rest = withoutKey(el, DIRECTIVE);
      if (Object.keys(rest).length === 0) return;
      out.push(mergeObject(undefined, rest, ls?.elem, [...path, i]));
      return;
    }
    out.push(materialize(el, ls?.elem, [...path, i]));
  });
  return out;
}

/** A patch value with nothing to merge into: directives applied against an empty value. */
function materialize(v: JsonValue, schema: Schema | undefined, path: Path): JsonValue {
  if (isObject(v)) return mergeObject(undefined, v, schema, path);
  if (Array.isArray(v)) return replaceList(v, asList(schema), path);
  return v;
}

interface Classified {
  replaceAll: boolean;
  deletes: JsonObject[];
  regular: JsonValue[];
}

function classify(patch: JsonValue[], path: Path): Classified {
  const c: Classified = { replaceAll: false, deletes: [], regular: [] };
  patch.forEach((el, i) => {
    if (!isObject(el) || !hasOwn(el, DIRECTIVE)) {
      c.regular.push(el);
      return;
    }
    const d = el[DIRECTIVE];
    if (d === 'replace') {
      c.replaceAll = true;
    } else if (d === 'delete') {
      c.deletes.push(el);
    } else if (d === 'merge') {
      const rest = withoutKey(el, DIRECTIVE);
      if (Object.keys(rest).length > 0) c.regular.push(rest);
    } else {
      throw fail([...path, i], `unknown patch type ${show(d)} in list element ${show(el)}`);
    }
  });
  return c;
}

/**
 * Merges a patch list (undefined when only `$setElementOrder` names the list) into a live list.
 * Keyed lists merge element by element, primitive lists union; `order` is the
 * `$setElementOrder` list when the patch has one.
 */
function mergeList(live: JsonValue[], patch: JsonValue[] | undefined, ls: ListSchema | undefined, path: Path, order: JsonValue[] | undefined): JsonValue[] {
  // Lists without a merge strategy are replaced; an ordering directive has nothing to do there.
  if (!ls || ls.strategy !== 'merge') return patch === undefined ? live : replaceList(patch, ls, path);
  const { replaceAll, deletes, regular } = classify(patch ?? [], path);
  const candidates = replaceAll ? regular : [...live, ...regular];
  if (candidates.some((v) => Array.isArray(v))) throw fail(path, 'lists of lists are not supported');
  const maps = candidates.filter(isObject).length;
  if (maps > 0 && maps < candidates.length) {
    throw fail(path, `list element types are not identical: cannot merge maps with ${typeName(candidates.find((v) => !isObject(v)))} values`);
  }
  const mergeKey = ls.mergeKey;
  const keyedList = maps > 0 || deletes.length > 0 || (order !== undefined && order.some(isObject));

  if (!keyedList) {
    // A set of primitives: union without duplicates, first occurrence wins.
    const merged = dedupe(replaceAll ? regular : [...live, ...regular]);
    const ident = (v: JsonValue) => canonicalJson(v);
    const patchOrder = (order ?? regular).map(ident);
    if (order !== undefined) checkSubsequence(regular.map(ident), patchOrder, path);
    return orderList(merged, patchOrder, (replaceAll ? regular : live).map(ident), ident);
  }

  if (!mergeKey) {
    throw fail(path, `cannot merge lists without merge key for type ${typeName(candidates[0] ?? {})}`);
  }
  const elem = ls.elem;
  const hints = ls.disambiguate ?? [];
  const ident = (v: JsonValue) => (isObject(v) ? canonicalJson(own(v, mergeKey) ?? null) : canonicalJson(v));

  let base = replaceAll ? [] : live.slice();
  if (!replaceAll) {
    for (const d of deletes) {
      if (!hasOwn(d, mergeKey)) throw fail(path, `map: ${show(d)} does not contain declared merge key: ${mergeKey}`);
      base = base.filter((x) => !(isObject(x) && matchesForDelete(x, d, mergeKey, hints)));
    }
  }
  const serverOrder = base.map(ident);
  const result = base.slice();
  regular.forEach((el, i) => {
    if (!isObject(el)) throw fail([...path, i], `expected a map in a list merged by "${mergeKey}", got ${typeName(el)}`);
    if (!hasOwn(el, mergeKey)) throw fail([...path, i], `map: ${show(el)} does not contain declared merge key: ${mergeKey}`);
    const at = replaceAll ? -1 : findMatch(result, el, mergeKey, hints);
    if (at >= 0) result[at] = mergeObject(result[at] as JsonObject, el, elem, [...path, i]);
    else result.push(mergeObject(undefined, el, elem, [...path, i]));
  });

  if (order !== undefined) {
    order.forEach((o, i) => {
      if (!isObject(o) || !hasOwn(o, mergeKey)) {
        throw fail(path, `$setElementOrder element ${i}: map: ${show(o)} does not contain declared merge key: ${mergeKey}`);
      }
    });
  }
  const patchOrder = (order ?? regular).map(ident);
  if (order !== undefined) checkSubsequence(regular.map(ident), patchOrder, path);
  return orderList(result, patchOrder, serverOrder, ident);
}

/** A delete directive removes every element with its key (and, when given, the same protocol). */
function matchesForDelete(x: JsonObject, d: JsonObject, mergeKey: string, hints: readonly KeyField[]): boolean {
  if (!deepEqual(own(x, mergeKey), own(d, mergeKey))) return false;
  return hints.every((h) => !hasOwn(d, h.name) || deepEqual(own(x, h.name) ?? h.default, own(d, h.name)));
}

function findMatch(list: JsonValue[], el: JsonObject, mergeKey: string, hints: readonly KeyField[]): number {
  const key = own(el, mergeKey);
  const hits: number[] = [];
  list.forEach((x, i) => {
    if (isObject(x) && deepEqual(own(x, mergeKey), key)) hits.push(i);
  });
  if (hits.length <= 1 || hints.length === 0) return hits.length ? hits[0] : -1;
  const better = hits.find((i) => hints.every((h) => deepEqual(own(list[i] as JsonObject, h.name) ?? h.default, own(el, h.name) ?? h.default)));
  return better ?? hits[0];
}

function dedupe(list: JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  const out: JsonValue[] = [];
  for (const v of list) {
    const id = canonicalJson(v);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(v);
  }
  return out;
}

/** The patch's own elements must appear in `$setElementOrder` in the same relative order. */
function checkSubsequence(patchIds: string[], orderIds: string[], path: Path): void {
  let j = 0;
  for (const id of patchIds) {
    while (j < orderIds.length && orderIds[j] !== id) j++;
    if (j === orderIds.length) {
      throw fail(path, `the order in the patch list ${show(patchIds.map((s) => JSON.parse(s)))} doesn't match the $setElementOrder list ${show(orderIds.map((s) => JSON.parse(s)))}`);
    }
    j++;
  }
}

/**
 * Kubernetes' list ordering after a merge. Elements whose identity is in `patchOrder` are sorted
 * by it; the others ("server-only") keep their live order. The two runs are then interleaved:
 * a server-only element goes first only while it came before the next patch element in the live
 * list, so untouched elements stay next to their live neighbours.
 */
function orderList(merged: JsonValue[], patchOrder: string[], serverOrder: string[], ident: (v: JsonValue) => string): JsonValue[] {
  const patchRank = firstIndex(patchOrder);
  const serverRank = firstIndex(serverOrder);
  const inPatch: { v: JsonValue; rank: number }[] = [];
  const serverOnly: { v: JsonValue; rank: number }[] = [];
  for (const v of merged) {
    const id = ident(v);
    const p = patchRank.get(id);
    if (p !== undefined) inPatch.push({ v, rank: p });
    else serverOnly.push({ v, rank: serverRank.get(id) ?? Number.MAX_SAFE_INTEGER });
  }
  // Array.prototype.sort is stable, so duplicates keep their relative order.
  inPatch.sort((a, b) => a.rank - b.rank);
  serverOnly.sort((a, b) => a.rank - b.rank);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < inPatch.length) {
    if (j >= inPatch.length) out.push(serverOnly[i++].v);
    else if (i >= serverOnly.length) out.push(inPatch[j++].v);
    else {
      const left = serverRank.get(ident(serverOnly[i].v));
      const right = serverRank.get(ident(inPatch[j].v));
      if (left !== undefined && right !== undefined && left < right) out.push(serverOnly[i++].v);
      else out.push(inPatch[j++].v);
    }
  }
  return out;
}

function firstIndex(ids: string[]): Map<string, number> {
  const m = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!m.has(id)) m.set(id, i);
  });
  return m;
}

