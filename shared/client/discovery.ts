/**
 * Discovery: asks the server which groups, versions and resources it serves, in the
 * legacy form (`GET /api` → APIVersions, `GET /apis` → APIGroupList, then one
 * APIResourceList per group-version, fetched in parallel), and builds a RESTMapper.
 *
 * If a server answers `/api` or `/apis` with an aggregated `APIGroupDiscoveryList` anyway,
 * that is understood too and the per-version requests are skipped.
 *
 * A group-version whose list fails (e.g. an aggregated API that is down) is left out and
 * reported in `failed`, as kubectl does ("couldn't get resource list for …"); failing
 * `/api` or `/apis` fails discovery.
 */
import type { KubeClient } from './client';
import { RESTMapper, type APIGroup, type APIResourceList, type APIResource } from './restmapper';

export interface DiscoveryResult {
  groups: APIGroup[];
  resourceLists: APIResourceList[];
  failed: { groupVersion: string; error: Error }[];
}

interface APIVersions {
  kind?: string;
  versions?: string[];
}

interface APIGroupList {
  kind?: string;
  groups?: APIGroup[];
}

/** apidiscovery.k8s.io/v2 shapes (only what we read). */
interface AggregatedList {
  kind: 'APIGroupDiscoveryList';
  items: {
    metadata: { name?: string };
    versions: {
      version: string;
      resources?: {
        resource: string;
        responseKind?: { group?: string; version?: string; kind?: string };
        scope?: string;
        singularResource?: string;
        shortNames?: string[];
        categories?: string[];
        verbs?: string[];
      }[];
    }[];
  }[];
}

function fromAggregated(list: AggregatedList): { groups: APIGroup[]; lists: APIResourceList[] } {
  const groups: APIGroup[] = [];
  const lists: APIResourceList[] = [];
  for (const item of list.items ?? []) {
    const name = item.metadata?.name ?? '';
    const versions = (item.versions ?? []).map((v) => ({ version: v.version, groupVersion: name === '' ? v.version : `${name}/${v.version}` }));
    groups.push({ name, versions, preferredVersion: versions[0] });
    for (const v of item.versions ?? []) {
      const resources: APIResource[] = (v.resources ?? []).map((r) => ({
        name: r.resource,
        singularName: r.singularResource ?? '',
        namespaced: r.scope === 'Namespaced',
        kind: r.responseKind?.kind ?? '',
        verbs: r.verbs ?? [],
        shortNames: r.shortNames,
        categories: r.categories,
      }));
      lists.push({ groupVersion: name === '' ? v.version : `${name}/${v.version}`, resources });
    }
  }
  return { groups, lists };
}

/** Fetches the legacy discovery documents. */
export async function fetchDiscovery(client: KubeClient, opts: { signal?: AbortSignal } = {}): Promise<DiscoveryResult> {
  const [core, apis] = await Promise.all([
    client.get<APIVersions | AggregatedList>('/api', { accept: 'application/json', signal: opts.signal }),
    client.get<APIGroupList | AggregatedList>('/apis', { accept: 'application/json', signal: opts.signal }),
  ]);
  const groups: APIGroup[] = [];
  const lists: APIResourceList[] = [];
  const toFetch: string[] = [];

  if (core.kind === 'APIGroupDiscoveryList') {
    const agg = fromAggregated(core as AggregatedList);
    groups.push(...agg.groups);
    lists.push(...agg.lists);
  } else {
    const versions = (core as APIVersions).versions ?? [];
    groups.push({ name: '', versions: versions.map((v) => ({ groupVersion: v, version: v })), preferredVersion: versions[0] ? { groupVersion: versions[0], version: versions[0] } : undefined });
    toFetch.push(...versions);
  }
  if (apis.kind === 'APIGroupDiscoveryList') {
    const agg = fromAggregated(apis as AggregatedList);
    groups.push(...agg.groups);
    lists.push(...agg.lists);
  } else {
    for (const g of (apis as APIGroupList).groups ?? []) {
      groups.push(g);
      for (const v of g.versions ?? []) toFetch.push(v.groupVersion);
    }
  }

  const failed: DiscoveryResult['failed'] = [];
  const fetched = await Promise.all(
    toFetch.map(async (gv) => {
      const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
      try {
        const list = await client.get<APIResourceList>(path, { accept: 'application/json', signal: opts.signal });
        return { ...list, groupVersion: list.groupVersion || gv, resources: list.resources ?? [] };
      } catch (err) {
        failed.push({ groupVersion: gv, error: err as Error });
        return undefined;
      }
    }),
  );
  for (const l of fetched) if (l) lists.push(l);
  return { groups, resourceLists: lists, failed };
}

export function mapperFromDiscovery(d: DiscoveryResult): RESTMapper {
  return new RESTMapper(d.groups, d.resourceLists);
}

/** Discovery + RESTMapper in one call. */
export async function discover(client: KubeClient, opts: { signal?: AbortSignal } = {}): Promise<RESTMapper & { discovery: DiscoveryResult }> {
  const d = await fetchDiscovery(client, opts);
  const mapper = mapperFromDiscovery(d) as RESTMapper & { discovery: DiscoveryResult };
  mapper.discovery = d;
  return mapper;
}
