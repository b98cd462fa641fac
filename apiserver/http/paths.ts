/**
 * REST path parsing: `/api/v1/...` and `/apis/{group}/{version}/...` into what the
 * request addresses. The one subtle case (KUBECTL-WIRE §1): `/api/v1/namespaces/x` is
 * the Namespace object and `/api/v1/namespaces/x/status|finalize` its subresources,
 * while `/api/v1/namespaces/x/pods/...` is a namespaced resource.
 */
import { findResource, type ResourceInfo } from '../registry/resources';

export type Target =
  | { type: 'groupList' } // /apis
  | { type: 'group'; group: string } // /apis/apps
  | { type: 'resourceList'; group: string; version: string } // /api/v1, /apis/apps/v1
  | { type: 'resource'; resource: ResourceInfo; namespace?: string; name?: string; subresource?: string; rest?: string[] }
  | { type: 'unknown'; group: string; version: string; resource: string };

export function parsePath(path: string): Target | undefined {
  const parts = path.split('/').filter((p) => p.length > 0).map(safeDecode);
  if (parts[0] === 'api') {
    if (parts.length === 1) return undefined; // /api is served by discovery directly
    if (parts[1] !== 'v1') return undefined;
    return parseRest('', 'v1', parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groupList' };
    if (parts.length === 2) return { type: 'group', group: parts[1] };
    return parseRest(parts[1], parts[2], parts.slice(3));
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseRest(group: string, version: string, rest: string[]): Target {
  if (rest.length === 0) return { type: 'resourceList', group, version };
  let namespace: string | undefined;
  // namespaces/{ns}/{resource}/... is namespaced unless the resource segment is a
  // subresource of the namespace itself (status, finalize).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && (rest[2] === 'status' || rest[2] === 'finalize') && rest.length === 3)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resourceName, name, subresource, ...more] = rest;
  const resource = findResource(group, version, resourceName);
  if (!resource) return { type: 'unknown', group, version, resource: resourceName };
  if (namespace !== undefined && !resource.namespaced) return { type: 'unknown', group, version, resource: resourceName };
  return { type: 'resource', resource, namespace, name, subresource, rest: more.length ? more : undefined };
}
