/**
 * URL paths of the Kubernetes REST API, built in one place so every component spells
 * them the same way: `/api/v1/...` for the core group, `/apis/{group}/{version}/...`
 * otherwise; `namespaces/{ns}/` only for namespaced resources; then resource, name,
 * subresource. Names are percent-encoded (they may not contain `/`, but a hostile
 * argument must not be able to climb the path).
 */

export interface ResourcePathParts {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource, e.g. `pods`. */
  resource: string;
  /** Omit (or empty) for cluster-scoped resources and for cross-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

export function resourcePath(p: ResourcePathParts): string {
  let path = groupVersionPath(p.group, p.version);
  if (p.namespace) path += `/namespaces/${encodeURIComponent(p.namespace)}`;
  path += `/${p.resource}`;
  if (p.name !== undefined && p.name !== '') {
    path += `/${encodeURIComponent(p.name)}`;
    if (p.subresource) path += `/${p.subresource}`;
  } else if (p.subresource) {
    throw new Error(`resourcePath: subresource ${p.subresource} needs a name`);
  }
  return path;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];
export type Query = Record<string, QueryValue>;

/**
 * `?a=1&b=x+y` — undefined/null values are dropped, arrays repeat the key (as Go's
 * url.Values does for `command=` in exec). Spaces become `+`, which Kubernetes decodes.
 */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, String(v));
    } else {
      params.append(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
