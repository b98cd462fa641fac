/**
 * The generic registry: Kubernetes' create/get/list/update/patch/delete semantics over
 * the Storage interface, for every resource in the resource table. No HTTP here — the
 * HTTP layer decodes requests into calls on this class, so tests can drive it directly.
 *
 * Every write runs the same pipeline: decode → strategy (server-owned fields) →
 * defaulting → validation → admission (namespace exists and is not terminating) →
 * managedFields → size check → storage (compare-and-swap). A failed step throws an
 * ApiError and nothing is written. `dryRun` runs the whole pipeline without storing.
 */
import { randomBytes } from 'node:crypto';
import type { KObject } from '../../shared/api/types';
import { apiVersionOf, clone } from '../../shared/api/types';
import { ApiError, badRequest, conflict, invalid, notFound, forbidden, type ErrorTarget, type FieldCause } from '../../shared/api/errors';
import type { Storage, StoreEvent, Watcher, Preconditions } from '../storage/interface';
import { type ResourceInfo, storageKey, storagePrefix, findResource } from './resources';
import { prepareForCreate, prepareForUpdate, deleteDecision, deepEqual, rfc3339 } from './strategy';
import { applyDefaults } from '../validation/defaults';
import { validate } from '../validation';
import { patchObject, recordUpdate, type PatchType } from '../patch';
import { parseLabelSelector, parseFieldSelector, matchLabels, matchFields, SelectorError, type Requirement, type FieldRequirement } from '../../shared/selectors';
import { supportedFields, objectFields } from './fields';
import { storedResource, toStored, fromStored } from './views';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: Preconditions;
  orphanDependents?: boolean;
  dryRun?: string[];
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface Selection {
  namespace?: string;
  labels: Requirement[];
  fields: FieldRequirement[];
}

/** A namespace that is being deleted refuses new objects (NamespaceLifecycle admission). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += GENERATE_ALPHABET[b % GENERATE_ALPHABET.length];
  return s;
}

export function target(r: ResourceInfo, name?: string): ErrorTarget {
  return { group: r.group || undefined, resource: r.resource, name };
}

export class Registry {
  constructor(
    readonly storage: Storage,
    readonly clock: Clock = systemClock,
  ) {}

  private namespaces = findResource('', 'v1', 'namespaces')!;

  // ------------------------------------------------------------------ reads

  async get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    const obj = await this.storage.get(storageKey(r, namespace, name));
    if (!obj) throw notFound(target(r, name));
    return this.present(r, obj);
  }

  /** Parses selectors once; a bad selector or unsupported field is a 400. */
  selection(r: ResourceInfo, q: ListQuery): Selection {
    try {
      const fields = parseFieldSelector(q.fieldSelector);
      const supported = supportedFields(r);
      for (const f of fields) if (!supported.includes(f.field)) throw badRequest(`field label not supported: ${f.field}`);
      return { namespace: r.namespaced ? q.namespace : undefined, labels: parseLabelSelector(q.labelSelector), fields };
    } catch (err) {
      if (err instanceof SelectorError) throw badRequest(err.message);
      throw err;
    }
  }

  matches(r: ResourceInfo, sel: Selection, obj: KObject): boolean {
    if (sel.namespace && obj.metadata.namespace !== sel.namespace) return false;
    if (!matchLabels(sel.labels, obj.metadata.labels)) return false;
    return sel.fields.length === 0 || matchFields(sel.fields, objectFields(r, obj));
  }

  prefix(r: ResourceInfo, namespace?: string): string {
    return r.namespaced && namespace ? `${storagePrefix(r)}${namespace}/` : storagePrefix(r);
  }

  async list(r: ResourceInfo, q: ListQuery): Promise<{ items: KObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number }> {
    const sel = this.selection(r, q);
    let continueKey: string | undefined;
    if (q.continue) continueKey = decodeContinue(q.continue);
    const res = await this.storage.list(this.prefix(r, sel.namespace), {
      limit: q.limit && q.limit > 0 ? q.limit : undefined,
      continueKey,
      filter: (o) => this.matches(r, sel, o),
    });
    return {
      items: res.items.map((o) => this.present(r, o)),
      resourceVersion: String(res.revision),
      continue: res.continueKey ? encodeContinue(res.continueKey, res.revision) : undefined,
      remainingItemCount: res.remainingItemCount,
    };
  }

  watch(r: ResourceInfo, sel: Selection, fromRevision: number | undefined, cb: (e: StoreEvent) => void): Watcher {
    return this.storage.watch(this.prefix(r, sel.namespace), fromRevision, cb);
  }

  /** Objects leave storage without TypeMeta-dependent defaults; stamp apiVersion/kind. */
  present(r: ResourceInfo, obj: KObject): KObject {
    // A shallow copy: watch and list objects are frozen, shared by every watcher.
    const out = { apiVersion: apiVersionOf(r.group, r.version), kind: r.kind } as KObject;
    Object.assign(out, fromStored(r, obj));
    out.apiVersion = apiVersionOf(r.group, r.version);
    out.kind = r.kind;
    return out;
  }

  // ------------------------------------------------------------------ create

  async create(view: ResourceInfo, namespace: string | undefined, body: KObject, opts: WriteOptions = {}): Promise<KObject> {
    this.checkTypeMeta(view, body);
    const r = storedResource(view);
    const obj = toStored(view, clone(body));
    obj.metadata = obj.metadata ?? {};
    this.checkNamespace(r, namespace, obj);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + generateSuffix();
    const now = this.clock.now();
    prepareForCreate(r, obj, now);
    this.admit(r, obj, undefined);
    if (r.namespaced) await this.checkNamespaceAdmits(obj.metadata.namespace!, r, obj.metadata.name);
    const toStore = opts.fieldManager ? recordUpdate(undefined, obj, { manager: opts.fieldManager, kind: { group: r.group, kind: r.kind }, apiVersion: apiVersionOf(r.group, r.version), now }) : obj;
    if (opts.dryRun) return this.present(view, toStore);
    const stored = await this.storage.create(storageKey(r, obj.metadata.namespace, obj.metadata.name!), toStore, target(r, obj.metadata.name));
    return this.present(view, stored);
  }

  /** Defaulting + validation; throws 422 with every field cause. */
  private admit(r: ResourceInfo, obj: KObject, old: KObject | undefined): void {
    applyDefaults(r, obj);
    const causes: FieldCause[] = validate(r, obj, old);
    if (causes.length) throw invalid(r.kind, obj.metadata?.name ?? '', causes, r.group || undefined);
  }

  private checkTypeMeta(r: ResourceInfo, obj: KObject): void {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
    const want = apiVersionOf(r.group, r.version);
    if (obj.apiVersion !== undefined && obj.apiVersion !== want) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    if (obj.kind !== undefined && obj.kind !== r.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
    if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) throw badRequest('metadata must be an object');
  }

  private checkNamespace(r: ResourceInfo, namespace: string | undefined, obj: KObject): void {
    if (!r.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace ?? obj.metadata.namespace ?? 'default';
  }

  private async checkNamespaceAdmits(ns: string, r: ResourceInfo, name: string | undefined): Promise<void> {
    const nsObj = await this.storage.get(storageKey(this.namespaces, undefined, ns));
    if (!nsObj) throw notFound({ resource: 'namespaces', name: ns });
    if (nsObj.metadata.deletionTimestamp || (nsObj.status as any)?.phase === 'Terminating') {
      throw forbiddenTerminating(r, name, ns);
    }
  }

  // ------------------------------------------------------------------ update / patch

  /** PUT: the body replaces the object; a resourceVersion in the body is a CAS precondition. */
  async update(r: ResourceInfo, namespace: string | undefined, name: string, body: KObject, subresource: string | undefined, opts: WriteOptions = {}): Promise<KObject> {
    const obj = clone(body);
    this.checkTypeMeta(r, obj);
    obj.metadata = obj.metadata ?? {};
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    obj.metadata.name = name;
    this.checkNamespace(r, namespace, obj);
    const rv = obj.metadata.resourceVersion;
    return this.write(r, namespace, name, subresource, opts, () => obj, rv ? { resourceVersion: rv } : undefined);
  }

  async patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource: string | undefined, opts: WriteOptions & { force?: boolean } = {}): Promise<{ object: KObject; created: boolean }> {
    const patchOpts = { kind: { group: r.group, kind: r.kind }, manager: opts.fieldManager, force: !!opts.force, now: this.clock.now(), apiVersion: apiVersionOf(r.group, r.version), subresource };
    const checkName = (o: KObject) => {
      if (o?.metadata?.name !== undefined && o.metadata.name !== name) throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
    };
    if (type === 'apply') {
      if (!opts.fieldManager) throw badRequest('PATCH, application/apply-patch+yaml requests must supply a fieldManager');
      this.checkTypeMeta(r, patch as KObject);
      checkName(patch as KObject);
      const live = await this.storage.get(storageKey(r, namespace, name));
      if (!live) {
        if (subresource) throw notFound(target(r, name));
        const out = patchObject('apply', undefined, patch, patchOpts).object;
        const created = await this.create(r, namespace, { ...out, metadata: { ...out.metadata, name } }, { dryRun: opts.dryRun });
        return { object: created, created: true };
      }
    }
    // patchObject records the manager's ownership itself, so write() must not again.
    const object = await this.write(r, namespace, name, subresource, { dryRun: opts.dryRun }, (cur) => {
      const out = patchObject(type, cur, patch, patchOpts).object;
      checkName(out);
      return out;
    });
    return { object, created: false };
  }

  /**
   * The one read-modify-write path for PUT, PATCH and internal updates: the mutation
   * produces the desired object from a private copy of the current one; strategy,
   * defaulting and validation run on it; storage commits it only if nobody else wrote
   * meanwhile (else the whole thing runs again on the fresh object).
   */
  async write(view: ResourceInfo, namespace: string | undefined, name: string, subresource: string | undefined, opts: WriteOptions, mutate: (cur: KObject) => KObject, pre?: Preconditions): Promise<KObject> {
    const r = storedResource(view);
    const key = storageKey(r, namespace, name);
    const t = target(r, name);
    let dryRunResult: KObject | undefined;
    const now = this.clock.now();
    let finalizeDelete = false;
    const result = await this.storage.guaranteedUpdate(key, t, async (cur) => {
      const old = clone(cur);
      let next = mutate(this.present(view, cur));
      if (typeof next !== 'object' || next === null || Array.isArray(next)) throw badRequest('the patched object must be a JSON object');
      this.checkTypeMeta(view, next);
      next = toStored(view, next);
      // A resourceVersion the client put in its body or patch is a precondition, as in
      // Kubernetes: a merge patch carrying a stale one is a Conflict.
      const wantedRV = next.metadata?.resourceVersion;
      if (wantedRV && wantedRV !== old.metadata.resourceVersion) throw conflict(t);
      next.metadata = next.metadata ?? {};
      next.metadata.name = name;
      if (r.namespaced) next.metadata.namespace = namespace;
      prepareForUpdate(r, next, old, subresource);
      // The binding subresource is the one writer allowed to set a pod's spec.nodeName,
      // which pod update validation (rightly) calls immutable for everyone else.
      this.admit(r, next, subresource === 'binding' ? undefined : old);
      if (opts.fieldManager) next = recordUpdate(old, next, { manager: opts.fieldManager, kind: { group: r.group, kind: r.kind }, apiVersion: apiVersionOf(r.group, r.version), now, subresource });
      next.metadata.resourceVersion = old.metadata.resourceVersion;
      finalizeDelete = !!next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !deletionBlocked(r, next);
      if (opts.dryRun) {
        dryRunResult = next;
        return old; // unchanged: storage writes nothing
      }
      return next;
    }, pre);
    if (dryRunResult) return this.present(view, dryRunResult);
    if (finalizeDelete) {
      // The last finalizer left an object that was being deleted: it goes now.
      try {
        return this.present(view, await this.storage.delete(key, t, { uid: result.metadata.uid }));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return this.present(view, result);
  }


  // ------------------------------------------------------------------ delete

  /**
   * DELETE: objects with finalizers (or pods on a node, or a non-background cascade)
   * get a deletionTimestamp and stay until their finalizers are removed; others go now.
   * Returns the deleted object, or the object now marked for deletion.
   */
  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<{ object: KObject; deleted: boolean }> {
    const key = storageKey(r, namespace, name);
    const t = target(r, name);
    const dryRun = !!opts.dryRun?.includes('All');
    const cur = await this.storage.get(key);
    if (!cur) throw notFound(t);
    checkPreconditions(t, cur, opts.preconditions);
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) throw invalid('DeleteOptions', '', [{ reason: 'FieldValueInvalid', field: 'gracePeriodSeconds', message: 'Invalid value: must be >= 0' }]);
    const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
    const cascadeFinalizer = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
    const decision = deleteDecision(r, cur, opts.gracePeriodSeconds);
    const finalizers = cur.metadata.finalizers ?? [];
    const needsWait = finalizers.length > 0 || !!cascadeFinalizer || !decision.immediate || (r.resource === 'namespaces' && deletionBlocked(r, cur));
    if (!needsWait) {
      if (dryRun) return { object: this.present(r, cur), deleted: true };
      const gone = await this.storage.delete(key, t, { uid: cur.metadata.uid, ...opts.preconditions });
      return { object: this.present(r, gone), deleted: true };
    }
    const now = this.clock.now();
    const updated = await this.storage.guaranteedUpdate(key, t, (obj) => {
      checkPreconditions(t, obj, opts.preconditions);
      const md = obj.metadata;
      if (cascadeFinalizer && !md.finalizers?.includes(cascadeFinalizer)) md.finalizers = [...(md.finalizers ?? []), cascadeFinalizer];
      const grace = decision.gracePeriodSeconds ?? 0;
      if (!md.deletionTimestamp || (md.deletionGracePeriodSeconds ?? 0) > grace) {
        md.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
        md.deletionGracePeriodSeconds = grace;
      }
      if (r.resource === 'namespaces') (obj.status as any) = { ...((obj.status as any) ?? {}), phase: 'Terminating' };
      if (dryRun) return clone(cur);
      return obj;
    });
    return { object: this.present(r, updated), deleted: false };
  }

  /** deletecollection: delete every match, one by one, with the same options. */
  async deleteCollection(r: ResourceInfo, q: ListQuery, opts: DeleteOptions): Promise<KObject[]> {
    const { items } = await this.list(r, { ...q, limit: undefined, continue: undefined });
    const out: KObject[] = [];
    for (const item of items) {
      try {
        out.push((await this.delete(r, item.metadata.namespace, item.metadata.name!, opts)).object);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return out;
  }
}

/**
 * Besides metadata.finalizers, two things hold a deleted object back: a pod on a node
 * waits for its kubelet to confirm (it deletes again with grace 0), and a namespace
 * waits for the namespace controller to empty it and clear spec.finalizers.
 */
function deletionBlocked(r: ResourceInfo, obj: KObject): boolean {
  if (r.resource === 'pods') return !!(obj.spec as any)?.nodeName && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  if (r.resource === 'namespaces') return ((obj.spec as any)?.finalizers ?? []).length > 0;
  return false;
}

function checkPreconditions(t: ErrorTarget, obj: KObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.uid && pre.uid !== obj.metadata.uid) {
    throw conflict(t, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(t, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
  }
}

function forbiddenTerminating(r: ResourceInfo, name: string | undefined, ns: string): ApiError {
  const e = forbidden(target(r, name), '', 'create');
  return new ApiError(403, 'Forbidden', `${r.group ? `${r.resource}.${r.group}` : r.resource} "${name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, e.details);
}

export { IMMORTAL_NAMESPACES };

// The continue token names where the next page starts (the last key returned) and the
// revision of the first page, base64 like Kubernetes' opaque tokens.
function encodeContinue(key: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: key })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.start !== 'string') throw new Error('no start');
    return parsed.start;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or malformed continue token');
  }
}

export { deepEqual };
