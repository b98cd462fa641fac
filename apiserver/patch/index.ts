/**
 * The patch module the API server calls for PATCH (and for ownership on every write).
 *
 * Pure functions over JSON objects: no storage, no clock of its own, no I/O. Inputs are never
 * modified. Every failure caused by the request — unparsable body, malformed patch, a JSON patch
 * that does not apply, an apply conflict — is an ApiError from the shared catalogue carrying
 * Kubernetes' code and reason (400, 409, 413, 422), so nothing the client sends can surface as a
 * 500.
 *
 * Typical use in the PATCH handler:
 *   const type = patchTypeFromContentType(contentType);   // undefined → unsupportedMediaType(contentType)
 *   const body = parsePatchBody(type, rawBody);
 *   const live = await store.get(key);                     // missing and type !== 'apply' → notFound
 *   const { object, created, changed } = patchObject(type, live, body, { kind, manager, force, now });
 *   // then reset server-owned fields, validate, and store with live's resourceVersion as the
 *   // precondition (retry on conflict); answer 201 when created, else 200.
 * Create and update handlers call `recordUpdate(old, new, {manager, kind, now})` so managedFields
 * stay meaningful for every write.
 */
import { parseAllDocuments } from 'yaml';
import { badRequest, internalError } from '../../shared/api/errors';
import type { KObject } from '../../shared/api/types';
import { recordUpdate, serverSideApply, type ApplyOptions, type FieldConflict } from './apply';
import { applyJsonPatch } from './jsonpatch';
import { applyMergePatch } from './mergepatch';
import { applyStrategicMergePatch } from './strategic';
import type { GroupKind } from './schema';

export { applyJsonPatch, decodeJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './jsonpatch';
export { applyMergePatch, createMergePatch } from './mergepatch';
export { applyStrategicMergePatch, isDirectiveKey } from './strategic';
export { serverSideApply, recordUpdate, BEFORE_FIRST_APPLY } from './apply';
export type { ApplyOptions, ApplyResult, FieldConflict, OwnershipOptions } from './apply';
export { decodeManagedFields, encodeManagedFields } from './managedfields';
export type { ManagedFieldsEntry, Manager } from './managedfields';
export { FieldSet, formatPath } from './fieldset';
export { schemaFor, hasKindSchema } from './schema';
export type { GroupKind, Schema, ObjectSchema, ListSchema } from './schema';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+json': 'apply',
};

/** The patch type for a Content-Type header (parameters such as charset ignored), or undefined → 415. */
export function patchTypeFromContentType(ct: string | undefined): PatchType | undefined {
  if (!ct) return undefined;
  const media = ct.split(';')[0].trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(CONTENT_TYPES, media) ? CONTENT_TYPES[media] : undefined;
}

/**
 * Decodes a PATCH body. JSON for every type; apply bodies may also be YAML (kubectl sends JSON,
 * people with curl send YAML). One YAML document only.
 */
export function parsePatchBody(type: PatchType, body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; a PATCH needs a patch');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (type !== 'apply') throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length !== 1) throw badRequest(`an apply patch must be a single YAML or JSON document, got ${list.length}`);
  const doc = list[0];
  if (doc.errors.length > 0) throw badRequest(`the request body is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export interface PatchOptions {
  kind: GroupKind;
  /** fieldManager; required for apply, optional otherwise (no ownership recorded without it). */
  manager?: string;
  force?: boolean;
  now?: Date | string | number;
  subresource?: string;
  apiVersion?: string;
  ignoredFields?: string[][];
}

export interface PatchOutcome {
  object: KObject;
  /** Apply on a missing object: the caller answers 201 instead of 200. */
  created: boolean;
  /** Apply only: false when nothing changed (object and ownership); the write can be skipped. */
  changed: boolean;
  /** Apply with force: the conflicts that were overridden. */
  conflicts: FieldConflict[];
}

/**
 * Applies a decoded patch of the given type to `live`. `live` may be undefined only for apply,
 * which then creates the object. With a manager, non-apply patches record Update ownership.
 */
export function patchObject(type: PatchType, live: KObject | undefined, patch: unknown, opts: PatchOptions): PatchOutcome {
  const now = opts.now ?? new Date();
  if (type === 'apply') {
    const applyOpts: ApplyOptions = { manager: opts.manager ?? '', kind: opts.kind, now, force: opts.force ?? false };
    if (opts.subresource !== undefined) applyOpts.subresource = opts.subresource;
    if (opts.apiVersion !== undefined) applyOpts.apiVersion = opts.apiVersion;
    if (opts.ignoredFields !== undefined) applyOpts.ignoredFields = opts.ignoredFields;
    const r = serverSideApply(live, patch, applyOpts);
    return { object: r.object, created: live === undefined, changed: r.changed, conflicts: r.conflicts };
  }
  if (!live) throw internalError(`a ${type} patch needs the live object; the caller must answer 404 first`);
  let object: KObject;
  switch (type) {
    case 'json':
      object = applyJsonPatch(live, patch);
      break;
    case 'merge':
      object = applyMergePatch(live, patch);
      break;
    case 'strategic':
      object = applyStrategicMergePatch(live, patch, opts.kind);
      break;
    default:
      throw internalError(`unknown patch type ${String(type)}`);
  }
  if (opts.manager) {
    object = recordUpdate(live, object, {
      manager: opts.manager, kind: opts.kind, now,
      ...(opts.subresource !== undefined ? { subresource: opts.subresource } : {}),
      ...(opts.apiVersion !== undefined ? { apiVersion: opts.apiVersion } : {}),
      ...(opts.ignoredFields !== undefined ? { ignoredFields: opts.ignoredFields } : {}),
    });
  }
  return { object, created: false, changed: true, conflicts: [] };
}
