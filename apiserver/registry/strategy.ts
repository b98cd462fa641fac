/**
 * Per-resource rules the generic registry applies around every write, as
 * kube-apiserver's registry strategies do: what a create resets, what an update may
 * change (main resource vs /status), when `metadata.generation` bumps, and how a
 * delete is carried out (at once, or graceful with a deletionTimestamp).
 *
 * Everything here is pure: given objects and a clock, return decisions.
 */
import { randomUUID } from 'node:crypto';
import type { KObject } from '../../shared/api/types';
import type { ResourceInfo } from './resources';

export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** Fields that are not "spec" for the purpose of generation and status-only writes. */
const NON_SPEC = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Kinds whose writes never bump generation (they have no spec/status split). */
const NO_GENERATION = new Set(['events', 'configmaps', 'secrets', 'endpoints', 'leases', 'serviceaccounts', 'endpointslices']);

export function specOf(obj: KObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!NON_SPEC.has(k)) out[k] = v;
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

/** Server-owned metadata set on create; client values for these are ignored. */
export function prepareForCreate(r: ResourceInfo, obj: KObject, now: Date): void {
  const md = obj.metadata;
  md.uid = randomUUID();
  md.creationTimestamp = rfc3339(now);
  delete md.resourceVersion;
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete (md as any).selfLink;
  if (!NO_GENERATION.has(r.resource)) md.generation = 1;
  else delete md.generation;
  if (r.hasStatus) obj.status = initialStatus(r, obj);
}

function initialStatus(r: ResourceInfo, obj: KObject): Record<string, unknown> {
  switch (r.resource) {
    case 'pods':
      return { phase: 'Pending', qosClass: qosClass(obj) };
    case 'namespaces':
      return { phase: 'Active' };
    case 'persistentvolumeclaims':
    case 'persistentvolumes':
      return { phase: 'Pending' };
    case 'nodes':
      // A kubelet registers its Node with a status; keep what it sent.
      return (obj.status as Record<string, unknown>) ?? {};
    case 'services':
      return { loadBalancer: {} };
    default:
      return {};
  }
}

/** The pod's QoS class from its containers' requests and limits (Guaranteed/Burstable/BestEffort). */
export function qosClass(pod: KObject): string {
  const spec = (pod.spec ?? {}) as any;
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (lim[res] === undefined) guaranteed = false;
      else if (req[res] !== undefined && req[res] !== lim[res]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * A write to the main resource keeps the stored status; a write to /status keeps
 * everything but status (and metadata labels/annotations changes are allowed there too,
 * as Kubernetes' status strategies only reset spec). Identity fields never change.
 */
export function prepareForUpdate(r: ResourceInfo, obj: KObject, old: KObject, subresource: string | undefined): void {
  const md = obj.metadata;
  md.uid = old.metadata.uid;
  md.creationTimestamp = old.metadata.creationTimestamp;
  md.deletionTimestamp = old.metadata.deletionTimestamp;
  md.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  if (md.deletionTimestamp === undefined) delete md.deletionTimestamp;
  if (md.deletionGracePeriodSeconds === undefined) delete md.deletionGracePeriodSeconds;
  if (subresource === 'status') {
    for (const k of Object.keys(obj)) if (!NON_SPEC.has(k)) delete obj[k];
    for (const [k, v] of Object.entries(old)) if (!NON_SPEC.has(k)) obj[k] = v;
    md.generation = old.metadata.generation;
    if (md.generation === undefined) delete md.generation;
    return;
  }
  if (r.hasStatus) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  if (NO_GENERATION.has(r.resource)) {
    delete md.generation;
    return;
  }
  const gen = old.metadata.generation ?? 1;
  md.generation = deepEqual(specOf(obj), specOf(old)) ? gen : gen + 1;
}

export interface DeleteDecision {
  /** Remove from storage now. */
  immediate: boolean;
  /** Otherwise: the grace period to record in deletionGracePeriodSeconds. */
  gracePeriodSeconds?: number;
}

/**
 * Pods are deleted gracefully: kept with a deletionTimestamp until the kubelet confirms
 * the containers are gone (it deletes again with grace 0). A pod that never reached a
 * node, or already finished, goes at once.
 */
export function deleteDecision(r: ResourceInfo, obj: KObject, requestedGrace: number | undefined): DeleteDecision {
  if (r.resource !== 'pods') return { immediate: true };
  const spec = (obj.spec ?? {}) as any;
  const phase = (obj.status as any)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return { immediate: true };
  let grace = requestedGrace ?? spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  // A grace period can only be shortened once deletion started.
  if (obj.metadata.deletionGracePeriodSeconds !== undefined) grace = Math.min(grace, obj.metadata.deletionGracePeriodSeconds);
  if (grace <= 0) return { immediate: true };
  return { immediate: false, gracePeriodSeconds: grace };
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
