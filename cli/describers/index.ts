/**
 * Which describer handles which kind, and the extra reads each needs (events, a node's
 * pods and lease, a deployment's ReplicaSets, a service's endpoints…), done the way
 * kubectl does them. Failures of these extra reads never fail the describe: the section
 * is left out or says why, as kubectl does.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Endpoints, Event, LimitRange, Namespace, Node, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import type { KList, KObject } from '../../shared/api/types';
import type { ResourceMapping } from '../../shared/client/restmapper';
import type { CliContext } from '../context';
import { formatLabelSelector } from './common';
import { describeNode } from './node';
import { describeGeneric, describeNamespace, describeService } from './other';
import { describePod } from './pod';
import { describeDeployment, describeReplicaSet } from './workloads';

export interface DescribeSettings {
  showEvents: boolean;
}

type Describer = (ctx: CliContext, obj: KObject, settings: DescribeSettings) => Promise<string>;

async function listItems<T>(ctx: CliContext, path: string, query: Record<string, string | number | undefined>): Promise<T[]> {
  const list = await ctx.client().list<KList<T & KObject>>(path, { query: { ...query, limit: 500 }, signal: ctx.signal });
  return (list.items ?? []) as T[];
}

/**
 * Events about `obj`: `involvedObject.{name,namespace,uid}` (+ kind where kubectl adds
 * it). Also filtered here, so a server that ignores field selectors cannot show another
 * object's story.
 */
export async function searchEvents(ctx: CliContext, obj: KObject, opts: { kind?: string; uids?: string[] } = {}): Promise<Event[] | null> {
  const name = obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace ?? '';
  const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/events` : '/api/v1/events';
  const uids = opts.uids ?? [obj.metadata?.uid ?? ''];
  try {
    const out: Event[] = [];
    const seen = new Set<string>();
    for (const uid of uids) {
      const parts = [`involvedObject.name=${name}`, `involvedObject.namespace=${namespace}`];
      if (opts.kind) parts.push(`involvedObject.kind=${opts.kind}`);
      if (uid) parts.push(`involvedObject.uid=${uid}`);
      const items = await listItems<Event>(ctx, path, { fieldSelector: parts.join(',') });
      for (const e of items) {
        const io = e.involvedObject ?? {};
        if (io.name !== name || (io.namespace ?? '') !== namespace) continue;
        if (opts.kind && io.kind && io.kind !== opts.kind) continue;
        if (uid && io.uid && io.uid !== uid) continue;
        const key = e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(e);
      }
    }
    return out;
  } catch {
    return null;
  }
}

const describers: Record<string, Describer> = {
  '/Pod': async (ctx, obj, s) => describePod(obj as unknown as Pod, s.showEvents ? await searchEvents(ctx, obj) : null, ctx.now()),

  '/Node': async (ctx, obj, s) => {
    const node = obj as unknown as Node;
    const name = node.metadata?.name ?? '';
    let pods: Pod[] | null = null;
    try {
      pods = await listItems<Pod>(ctx, '/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` });
      // Guard against servers that ignore field selectors.
      pods = pods.filter((p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    } catch {
      pods = null;
    }
    let lease: Lease | null = null;
    let leaseError: string | undefined;
    try {
      lease = await ctx.client().get<Lease & KObject>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`, { signal: ctx.signal });
    } catch (err) {
      leaseError = (err as Error).message;
    }
    // Kubelets record node events with the node's name as uid; kubectl asks both ways.
    const events = s.showEvents ? await searchEvents(ctx, obj, { kind: 'Node', uids: [...new Set([node.metadata?.uid ?? '', name])] }) : null;
    return describeNode(node, { pods, events, lease, leaseError }, ctx.now());
  },

  '/Namespace': async (ctx, obj) => {
    const name = obj.metadata?.name ?? '';
    const base = `/api/v1/namespaces/${encodeURIComponent(name)}`;
    const quotas = await listItems<ResourceQuota>(ctx, `${base}/resourcequotas`, {}).catch(() => null);
    const limits = await listItems<LimitRange>(ctx, `${base}/limitranges`, {}).catch(() => null);
    return describeNamespace(obj as unknown as Namespace, quotas, limits);
  },

  '/Service': async (ctx, obj, s) => {
    const ns = obj.metadata?.namespace ?? '';
    const ep = await ctx.client()
      .get<Endpoints & KObject>(`/api/v1/namespaces/${encodeURIComponent(ns)}/endpoints/${encodeURIComponent(obj.metadata?.name ?? '')}`, { signal: ctx.signal })
      .catch(() => null);
    return describeService(obj as unknown as Service, ep, s.showEvents ? await searchEvents(ctx, obj) : null, ctx.now());
  },

  'apps/Deployment': async (ctx, obj, s) => {
    const d = obj as unknown as Deployment;
    const ns = d.metadata?.namespace ?? '';
    const selector = formatLabelSelector(d.spec?.selector);
    const rss = await listItems<ReplicaSet>(ctx, `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`, { labelSelector: selector || undefined }).catch(() => null);
    return describeDeployment(d, rss, s.showEvents ? await searchEvents(ctx, obj, { kind: 'Deployment' }) : null, ctx.now());
  },

  'apps/ReplicaSet': async (ctx, obj, s) => {
    const rs = obj as unknown as ReplicaSet;
    const ns = rs.metadata?.namespace ?? '';
    let pods: Pod[] | string;
    try {
      pods = await listItems<Pod>(ctx, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: formatLabelSelector(rs.spec?.selector) || undefined });
    } catch (err) {
      pods = (err as Error).message;
    }
    return describeReplicaSet(rs, pods, s.showEvents ? await searchEvents(ctx, obj) : null, ctx.now());
  },
};

export function describerFor(m: ResourceMapping): Describer {
  return (
    describers[`${m.group}/${m.kind}`] ??
    (async (ctx, obj, s) => describeGeneric(obj as KObject & Record<string, unknown>, s.showEvents ? await searchEvents(ctx, obj) : null, ctx.now()))
  );
}
