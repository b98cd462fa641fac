/**
 * Semantic pod-template equality (CONTROLLERS.md 2.3, KUBECTL-WIRE.md §7 "Undo"):
 * the Deployment's template and a ReplicaSet's template are equal when they differ only
 * by the pod-template-hash label, `creationTimestamp: null`, empty objects/lists
 * (`resources: {}`), key order, or API-server defaults. Both sides are normalised with
 * the API server's own pod-spec defaulting so the comparison cannot drift from it —
 * a raw JSON comparison made `rollout undo` create a third ReplicaSet.
 */
import type { PodTemplateSpec } from '../../shared/api/types';
import { clone } from '../../shared/api/types';
import { defaultPodSpec } from '../../apiserver/validation/defaults';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Drops null/undefined, empty objects and empty lists, recursively. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(prune).filter((x) => x !== undefined);
    return out.length ? out : undefined;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

export function normalizeTemplate(t: PodTemplateSpec | undefined): unknown {
  const c = clone(t ?? {}) as { metadata?: Record<string, unknown> & { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  if (c.metadata) {
    delete c.metadata.creationTimestamp;
    if (c.metadata.labels) delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  if (c.spec) defaultPodSpec(c.spec);
  return prune(c) ?? {};
}

/** JSON with object keys sorted, so equal values print identically. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(normalizeTemplate(a)) === canonicalJson(normalizeTemplate(b));
}
