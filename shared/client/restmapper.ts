/**
 * RESTMapper: turns what a user types (`po`, `pods`, `Pod`, `deploy`, `deployments.apps`,
 * `deployment.v1.apps`, `all`) or what a manifest says (`apps/v1` + `Deployment`) into
 * the resource to call, using only what the server's discovery documents say. Pure: it
 * is built from discovery data and never calls the server.
 *
 * Resolution rules (kubectl's, as observed):
 * - a name matches a resource's plural, singular, short names or (case-insensitively) kind;
 * - `a.b.c` is first tried as resource.version.group, then as resource.group; a group
 *   may be given by its first segment (`ingresses.networking`);
 * - when several groups serve a name, the first in discovery order wins (core first, then
 *   `/apis` order), and within a group its preferred version;
 * - a category (`all`) expands to its members in discovery order, one per group+resource.
 */

/** One entry of an APIResourceList (`GET /api/v1`, `GET /apis/{g}/{v}`). */
export interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind?: string;
  apiVersion?: string;
  groupVersion: string;
  resources: APIResource[];
}

export interface APIGroupVersion {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  /** "" for the core group. */
  name: string;
  versions: APIGroupVersion[];
  preferredVersion?: APIGroupVersion;
}

/** What the mapper knows about one resource in one group-version. */
export interface ResourceMapping {
  group: string;
  version: string;
  /** Plural, lower-case: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Whether `version` is its group's preferred version. */
  preferred: boolean;
}

export class NoMatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoMatchError';
  }
}

/** `apps/v1` or `v1`. */
export function mappingApiVersion(m: { group: string; version: string }): string {
  return m.group === '' ? m.version : `${m.group}/${m.version}`;
}

/** kubectl's `lower(GroupKind)`: `pod`, `deployment.apps` (used for `pod/web` output). */
export function groupKindName(m: { group: string; kind: string }): string {
  return m.group === '' ? m.kind.toLowerCase() : `${m.kind.toLowerCase()}.${m.group}`;
}

/** `pods` or `deployments.apps` (qualified resource, as error messages spell it). */
export function groupResourceName(m: { group: string; resource: string }): string {
  return m.group === '' ? m.resource : `${m.resource}.${m.group}`;
}

function splitGroupVersion(gv: string): { group: string; version: string } {
  const i = gv.indexOf('/');
  return i < 0 ? { group: '', version: gv } : { group: gv.slice(0, i), version: gv.slice(i + 1) };
}

export class RESTMapper {
  /** Every mapping, in discovery order (group order, preferred version first, server's resource order). */
  readonly mappings: readonly ResourceMapping[];
  readonly groups: readonly APIGroup[];

  /**
   * @param groups groups in discovery order (core first); each group's versions in
   *   server order, `preferredVersion` marking the preferred one.
   * @param lists the APIResourceLists fetched for those group-versions (any order).
   */
  constructor(groups: APIGroup[], lists: APIResourceList[]) {
    this.groups = groups;
    const byGV = new Map(lists.map((l) => [l.groupVersion, l]));
    const out: ResourceMapping[] = [];
    for (const g of groups) {
      const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
      const versions = [...g.versions].sort((a, b) => (a.version === preferred ? -1 : b.version === preferred ? 1 : 0));
      for (const v of versions) {
        const list = byGV.get(v.groupVersion);
        if (!list) continue;
        const { group, version } = splitGroupVersion(list.groupVersion);
        for (const r of list.resources ?? []) {
          if (r.name.includes('/')) continue; // subresources are not things to `get`
          out.push({
            group,
            version,
            resource: r.name,
            singular: r.singularName || r.kind.toLowerCase(),
            kind: r.kind,
            namespaced: r.namespaced,
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            preferred: version === preferred,
          });
        }
      }
    }
    this.mappings = out;
  }

  /** Preferred-version mappings only (what `api-resources` shows). */
  preferredMappings(): ResourceMapping[] {
    return this.mappings.filter((m) => m.preferred);
  }

  /** All group/versions, as `api-versions` prints them. */
  groupVersions(): string[] {
    const out: string[] = [];
    for (const g of this.groups) for (const v of g.versions) out.push(v.groupVersion);
    return out;
  }

  /** Is `name` a category some resource declares (and not itself a resource name)? */
  isCategory(name: string): boolean {
    const n = name.toLowerCase();
    if (this.matchName(n).length > 0) return false;
    return this.mappings.some((m) => m.categories.includes(n));
  }

  /**
   * Expands a type argument: a category → its members (discovery order, one per
   * group/resource, preferred version), anything else → the one resource it names.
   */
  expand(arg: string): ResourceMapping[] {
    if (this.isCategory(arg)) {
      const n = arg.toLowerCase();
      const seen = new Set<string>();
      const out: ResourceMapping[] = [];
      for (const m of this.mappings) {
        if (!m.categories.includes(n)) continue;
        const key = `${m.group}/${m.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(m);
      }
      return out;
    }
    return [this.resourceFor(arg)];
  }

  /** The one resource `arg` names; throws NoMatchError with kubectl's message. */
  resourceFor(arg: string): ResourceMapping {
    const m = this.tryResourceFor(arg);
    if (!m) throw new NoMatchError(`the server doesn't have a resource type "${arg}"`);
    return m;
  }

  tryResourceFor(arg: string): ResourceMapping | undefined {
    const a = arg.trim().toLowerCase();
    if (a === '') return undefined;
    const parts = a.split('.');
    if (parts.length >= 3) {
      // resource.version.group
      const [res, version] = parts;
      const group = parts.slice(2).join('.');
      const hit = this.pick(this.matchName(res).filter((m) => m.version === version && this.groupMatches(m.group, group)), group);
      if (hit) return hit;
    }
    if (parts.length >= 2) {
      // resource.group
      const res = parts[0];
      const group = parts.slice(1).join('.');
      const hit = this.pick(this.matchName(res).filter((m) => this.groupMatches(m.group, group)), group);
      if (hit) return hit;
    }
    return this.pick(this.matchName(a));
  }

  /** The mapping for a manifest's apiVersion + kind (exact group/version, kind case-sensitive first). */
  kindFor(apiVersion: string, kind: string): ResourceMapping {
    const { group, version } = splitGroupVersion(apiVersion);
    const exact = this.mappings.find((m) => m.group === group && m.version === version && m.kind === kind);
    if (exact) return exact;
    const loose = this.mappings.find((m) => m.group === group && m.version === version && m.kind.toLowerCase() === kind.toLowerCase());
    if (loose) return loose;
    throw new NoMatchError(`no matches for kind "${kind}" in version "${apiVersion}"`);
  }

  private matchName(n: string): ResourceMapping[] {
    return this.mappings.filter((m) => m.resource === n || m.singular === n || m.shortNames.includes(n) || m.kind.toLowerCase() === n);
  }

  /** Exact group, or a group whose first dotted segments are `g` (`networking` → `networking.k8s.io`). */
  private groupMatches(have: string, want: string): boolean {
    return have === want || have.startsWith(`${want}.`);
  }

  /**
   * Picks among candidates: exact resource names beat short names and kinds (so `events`
   * in core beats nothing odd), exact group beats a prefix, then discovery order (which
   * already puts preferred versions first).
   */
  private pick(cands: ResourceMapping[], group?: string): ResourceMapping | undefined {
    if (cands.length === 0) return undefined;
    if (group !== undefined) {
      const exact = cands.filter((m) => m.group === group);
      if (exact.length > 0) cands = exact;
    }
    const preferred = cands.filter((m) => m.preferred);
    return (preferred.length > 0 ? preferred : cands)[0];
  }
}
