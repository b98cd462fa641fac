/**
 * Discovery documents, computed once from the resource table: aggregated discovery
 * (apidiscovery.k8s.io/v2, served only when the client asks for it with the exact media
 * type — kubectl misreads it as legacy otherwise) and the legacy APIVersions /
 * APIGroupList / APIGroup / APIResourceList, which kubectl still reads (drain needs
 * `GET /api/v1` for pods/eviction).
 */
import { RESOURCES, groupVersions, type ResourceInfo } from '../registry/resources';
import { apiVersionOf } from '../../shared/api/types';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-k8ts',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** Does the Accept header ask for aggregated discovery v2 (or v2beta1)? */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('as=APIGroupDiscoveryList') && (params.includes('v=v2') || params.includes('v=v2beta1'));
  });
}

function aggregatedResource(r: ResourceInfo, all: readonly ResourceInfo[]) {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs].sort(),
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs }));
  }
  void all;
  return out;
}

function aggregatedList(groups: string[]) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groupVersions()
      .filter((g) => groups.includes(g.group) || (groups.length === 0 && g.group !== ''))
      .map((g) => ({
        metadata: { name: g.group },
        versions: g.versions.map((v) => ({
          version: v,
          freshness: 'Current',
          resources: RESOURCES.filter((r) => r.group === g.group && r.version === v).map((r) => aggregatedResource(r, RESOURCES)),
        })),
      })),
  };
}

export const discovery = {
  aggregatedCore: aggregatedList(['']),
  aggregatedGroups: aggregatedList([]),
  apiVersions: (serverAddress: string) => ({
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  }),
  groupList: {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.versions)),
  },
};

function apiGroup(group: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function groupDocument(group: string) {
  const g = groupVersions().find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) } : undefined;
}

const resourceLists = new Map<string, object>();
for (const { group, versions } of groupVersions()) {
  for (const version of versions) {
    const resources: object[] = [];
    for (const r of RESOURCES.filter((x) => x.group === group && x.version === version)) {
      const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs].sort() };
      if (r.shortNames.length) entry.shortNames = r.shortNames;
      if (r.categories.length) entry.categories = r.categories;
      entry.storageVersionHash = '';
      resources.push(entry);
      for (const s of r.subresources) {
        const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
        if (s.group !== group || s.version !== version) {
          sub.group = s.group;
          sub.version = s.version;
        }
        resources.push(sub);
      }
    }
    resourceLists.set(apiVersionOf(group, version), { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources });
  }
}

export function resourceList(group: string, version: string): object | undefined {
  return resourceLists.get(apiVersionOf(group, version));
}
