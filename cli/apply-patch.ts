/**
 * Client-side apply's patch: a three-way JSON merge patch (RFC 7386) computed from
 * - original: the last-applied configuration (the annotation on the live object),
 * - modified: the manifest being applied (with its new annotation),
 * - current:  the live object.
 *
 * As kubectl's jsonmergepatch.CreateThreeWayJSONMergePatch:
 *   deletions = diff(original → modified), keeping only the nulls (fields the user
 *               removed from the manifest since the last apply);
 *   changes   = diff(current → modified), dropping the nulls (fields the server or other
 *               writers added are left alone);
 *   patch     = deletions merged with changes.
 *
 * One refinement, because the server defaults fields inside list elements (container
 * `imagePullPolicy`, port `protocol`…) and a merge patch replaces lists whole: a list is
 * left out of `changes` when the manifest's list is unchanged since the last apply and
 * every element is still contained in the live element at the same index. Without it
 * every re-apply of an unchanged pod would say `configured`; with it a list is sent
 * (whole) exactly when the user changed it or someone else changed it on the server.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Is everything `m` says also true of `c` (c may have more fields, e.g. server defaults)? */
export function isContainedIn(m: unknown, c: unknown): boolean {
  if (Array.isArray(m)) {
    if (!Array.isArray(c) || m.length !== c.length) return false;
    return m.every((x, i) => isContainedIn(x, c[i]));
  }
  if (isObject(m)) {
    if (!isObject(c)) return false;
    return Object.keys(m).every((k) => (m[k] === null ? !(k in c) || c[k] === null : k in c && isContainedIn(m[k], c[k])));
  }
  return deepEqual(m, c);
}

/** RFC 7386 diff: the merge patch that turns `a` into `b` (nulls delete). */
export function createMergePatch(a: JsonObject, b: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(b)) {
    const av = a[k];
    const bv = b[k];
    if (!(k in a)) {
      patch[k] = bv;
    } else if (isObject(av) && isObject(bv)) {
      const sub = createMergePatch(av, bv);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!deepEqual(av, bv)) {
      patch[k] = bv;
    }
  }
  for (const k of Object.keys(a)) if (!(k in b)) patch[k] = null;
  return patch;
}

/** Keeps only the nulls (deletions) of a patch, or only the non-nulls; empty maps pruned. */
export function filterNulls(patch: JsonObject, keepNull: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNull) out[k] = null;
    } else if (isObject(v)) {
      // An explicitly empty map is a value (set it), not an empty patch.
      if (Object.keys(v).length === 0) {
        if (!keepNull) out[k] = v;
        continue;
      }
      const sub = filterNulls(v, keepNull);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (!keepNull) {
      out[k] = v;
    }
  }
  return out;
}

/** Additions and changes from current to modified, with the list refinement above. */
function changes(current: JsonObject, modified: JsonObject, original: JsonObject | undefined): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(modified)) {
    const cv = current[k];
    const mv = modified[k];
    const ov = original?.[k];
    if (mv === null) continue; // a null in a manifest is not a deletion request here
    if (!(k in current)) {
      patch[k] = mv;
    } else if (isObject(cv) && isObject(mv)) {
      const sub = changes(cv, mv, isObject(ov) ? ov : undefined);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (Array.isArray(mv) && Array.isArray(cv)) {
      const unchangedByUser = ov !== undefined && deepEqual(ov, mv);
      if (!deepEqual(cv, mv) && !(unchangedByUser && isContainedIn(mv, cv))) patch[k] = mv;
    } else if (!deepEqual(cv, mv)) {
      patch[k] = mv;
    }
  }
  return patch;
}

/** Deep-merges patch `b` into patch `a` (both null-free or null-only; b wins). */
function mergePatches(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (isObject(v) && isObject(out[k])) out[k] = mergePatches(out[k] as JsonObject, v);
    else out[k] = v;
  }
  return out;
}

/**
 * The patch to send, `{}` when there is nothing to do. `original` is undefined when the
 * live object has no last-applied annotation (then nothing is deleted).
 */
export function threeWayMergePatch(original: JsonObject | undefined, modified: JsonObject, current: JsonObject): JsonObject {
  const deletions = original ? filterNulls(createMergePatch(original, modified), true) : {};
  const additions = changes(current, modified, original);
  return mergePatches(deletions, additions);
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * kubectl's GetModifiedConfiguration: the manifest without any last-applied annotation,
 * serialised as compact JSON with sorted keys plus "\n" (Go's json.Encoder), and the
 * manifest carrying that as its new annotation. `annotations` is always present, `{}`
 * when empty, exactly as kubectl records it.
 */
export function withLastApplied<T extends { metadata?: object }>(manifest: T, encode: (o: unknown) => string): { modified: T & { metadata: { annotations: Record<string, string> } }; annotation: string } {
  const obj = structuredClone(manifest) as T & { metadata?: { annotations?: Record<string, string> } };
  const meta = (obj.metadata ??= {});
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  meta.annotations = annotations;
  const annotation = encode(obj) + '\n';
  meta.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: annotation };
  return { modified: obj as T & { metadata: { annotations: Record<string, string> } }, annotation };
}
