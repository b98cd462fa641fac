/**
 * RFC 7386 JSON Merge Patch (`application/merge-patch+json`): objects merge key by key, `null`
 * deletes, anything else (lists included) replaces. Used by `kubectl label/annotate/scale` and
 * `patch --type=merge`, and as the fallback shape of strategic merge for kinds without a schema.
 *
 * The API server only ever patches objects, so a patch that is not a JSON object is rejected
 * with 400 instead of replacing the whole resource (which the RFC would allow but no valid object
 * could come out of). Inputs are never modified.
 */
import { badRequest } from '../../shared/api/errors';
import { cloneJson, copyObject, deepEqual, deleteOwn, isObject, own, setOwn, typeName, type JsonObject } from './json';

export function applyMergePatch<T>(doc: T, patch: unknown): T {
  if (!isObject(patch)) {
    throw badRequest(`invalid JSON merge patch: expected a JSON object, got ${typeName(patch)}`);
  }
  return mergeInto(isObject(doc) ? doc : {}, patch) as T;
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  const out = copyObject(target);
  for (const k of Object.keys(patch)) {
    const pv = patch[k];
    if (pv === null) {
      deleteOwn(out, k);
    } else if (isObject(pv)) {
      const cur = own(out, k);
      setOwn(out, k, mergeInto(isObject(cur) ? cur : {}, pv));
    } else {
      // Lists and scalars replace wholesale, exactly as sent (RFC 7386 §2).
      setOwn(out, k, cloneJson(pv));
    }
  }
  return out;
}

/**
 * The smallest merge patch that turns `from` into `to`. Null values inside `to` cannot be
 * expressed by RFC 7386 (null means delete), so callers must not rely on them surviving.
 */
export function createMergePatch(from: unknown, to: unknown): JsonObject {
  const a = isObject(from) ? from : {};
  if (!isObject(to)) throw badRequest(`cannot build a merge patch to ${typeName(to)}: the target must be a JSON object`);
  return diffObjects(a, to);
}

function diffObjects(a: JsonObject, b: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(a)) {
    if (own(b, k) === undefined) setOwn(patch, k, null);
  }
  for (const k of Object.keys(b)) {
    const av = own(a, k);
    const bv = b[k];
    if (av !== undefined && deepEqual(av, bv)) continue;
    if (isObject(av) && isObject(bv)) {
      const sub = diffObjects(av, bv);
      if (Object.keys(sub).length > 0) setOwn(patch, k, sub);
    } else {
      setOwn(patch, k, cloneJson(bv));
    }
  }
  return patch;
}
