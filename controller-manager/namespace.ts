/**
 * Namespace controller (`namespace`; CONTROLLERS.md §8): empties a namespace that is
 * being deleted, then removes the `kubernetes` finalizer from `spec.finalizers` through
 * `PUT /api/v1/namespaces/<ns>/finalize`, after which the API server removes it.
 *
 * One reconcile = one pass over every namespaced resource type the server's discovery
 * lists with `delete` (deletecollection with Background propagation where served, else
 * list + delete each), then a recount. Content still there (pods waiting for their
 * kubelet, objects with finalizers) makes the pass return an estimate to requeue after;
 * the five NamespaceDeletion* status conditions are written as the pass found things.
 *
 * Level-triggered and idempotent: every pass starts from what the API server says, so
 * a restart, a retry or two passes in a row only repeat DELETEs that answer 404.
 */
import type { KObject, Namespace } from '../shared/api/types';
import { ApiError } from '../shared/api/errors';
import type { Informer } from '../shared/controller/informer';
import { keyOf } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import { discover, groupResourceName, type ResourceMapping } from '../shared/client';
import type { Controller, ControllerContext } from './controller';

/** The finalizer the namespace controller owns (spec.finalizers, not metadata.finalizers). */
export const NAMESPACE_FINALIZER = 'kubernetes';
/** Kubernetes' estimate when content with finalizers remains. */
const FINALIZER_ESTIMATE_SECONDS = 15;

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** What one deletion pass found; turned into conditions by `namespaceConditions`. */
export interface DeletionPassResult {
  discoveryErrors: string[];
  deleteErrors: string[];
  /** `<resource>.<group>` → remaining instances. */
  remaining: Map<string, number>;
  /** finalizer → instances carrying it. */
  finalizers: Map<string, number>;
}

/** The five NamespaceDeletion* conditions for a pass (without lastTransitionTime). */
export function namespaceConditions(r: DeletionPassResult): NamespaceCondition[] {
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const c = (type: string, failed: boolean, ok: [string, string], bad: [string, string]): NamespaceCondition =>
    failed ? { type, status: 'True', reason: bad[0], message: bad[1] } : { type, status: 'False', reason: ok[0], message: ok[1] };
  return [
    c('NamespaceDeletionDiscoveryFailure', r.discoveryErrors.length > 0, ['ResourcesDiscovered', 'All resources successfully discovered'],
      ['DiscoveryFailed', `Discovery failed for some groups, ${r.discoveryErrors.length} failing: ${r.discoveryErrors.join(', ')}`]),
    c('NamespaceDeletionGroupVersionParsingFailure', false, ['ParsedGroupVersions', 'All legacy kube types successfully parsed'], ['GroupVersionParsingFailed', '']),
    c('NamespaceDeletionContentFailure', r.deleteErrors.length > 0, ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['ContentDeletionFailed', `Failed to delete all resource types, ${r.deleteErrors.length} remaining: ${[...r.deleteErrors].sort().join(', ')}`]),
    c('NamespaceContentRemaining', r.remaining.size > 0, ['ContentRemoved', 'All content successfully removed'],
      ['SomeResourcesRemain', `Some resources are remaining: ${sorted(r.remaining).map(([k, n]) => `${k} has ${n} resource instances`).join(', ')}`]),
    c('NamespaceFinalizersRemaining', r.finalizers.size > 0, ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
      ['SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${sorted(r.finalizers).map(([k, n]) => `${k} in ${n} resource instances`).join(', ')}`]),
  ];
}

/** Merges new conditions into old ones; lastTransitionTime moves only when status flips. */
export function mergeConditions(old: NamespaceCondition[], next: NamespaceCondition[], now: string): NamespaceCondition[] {
  const byType = new Map(old.map((c) => [c.type, c]));
  const out = next.map((c) => {
    const prev = byType.get(c.type);
    byType.delete(c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  });
  return [...out, ...byType.values()];
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function collectionPath(m: ResourceMapping, ns: string): string {
  const prefix = m.group === '' ? `/api/${m.version}` : `/apis/${m.group}/${m.version}`;
  return `${prefix}/namespaces/${encodeURIComponent(ns)}/${m.resource}`;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private ctx!: ControllerContext;
  private queue!: WorkQueue;
  private namespaces!: Informer<Namespace & KObject>;
  private workers?: Promise<void>;
  /** Resolves on stop(): start-up waits on informer sync race it, so stop never hangs on a server that is down. */
  private stopSignal!: () => void;
  private stopping = new Promise<void>((r) => (this.stopSignal = r));
  private stopped = false;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = { ...ctx, logger: ctx.logger.child({ controller: this.name }) };
    this.queue = new WorkQueue({ onError: (key, err) => this.ctx.logger.warn({ object: key, err: String(err) }, 'namespace deletion pass failed; retrying') });
    this.namespaces = ctx.informers.for<Namespace & KObject>('/api/v1/namespaces');
    const enqueue = (n: KObject) => {
      if (n.metadata.deletionTimestamp) this.queue.add(keyOf(n));
    };
    this.namespaces.on({ add: enqueue, update: (_o, n) => enqueue(n) });
    // Pods are what a namespace usually waits for (their kubelets confirm deletion): a
    // pod vanishing from a terminating namespace starts the next pass at once instead of
    // after the grace-period estimate. Other content is still found by the requeue.
    ctx.informers.for<KObject>('/api/v1/pods').on({
      delete: (p) => {
        const ns = p.metadata.namespace && this.namespaces.get(p.metadata.namespace);
        if (ns && ns.metadata.deletionTimestamp) this.queue.add(keyOf(ns));
      },
    });
    const workers = ctx.options.workers;
    this.workers = Promise.race([this.namespaces.waitForSync(), this.stopping]).then(() =>
      this.stopped ? undefined : this.queue.runWorkers(workers, (key) => this.reconcile(key)),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    this.queue?.shutdown();
    await this.workers;
  }

  async reconcile(name: string): Promise<{ requeueAfter?: number } | void> {
    const cached = this.namespaces.get(name);
    if (!cached?.metadata.deletionTimestamp) return;
    if (!(cached.spec?.finalizers ?? []).includes(NAMESPACE_FINALIZER)) return;

    const { result, estimateSeconds } = await this.deleteContent(name);
    await this.updateConditions(name, namespaceConditions(result));
    if (result.deleteErrors.length > 0) throw new Error(`namespace ${name}: ${result.deleteErrors.join('; ')}`);
    if (result.remaining.size > 0) {
      if (estimateSeconds > 0) return { requeueAfter: estimateSeconds * 1000 };
      // Things remain that nothing is expected to remove: retry with back-off.
      throw new Error(`namespace ${name}: content remains without finalizers or graceful deletion`);
    }
    await this.finalize(name);
  }

  /** One pass: delete every namespaced type, then count what is left. */
  private async deleteContent(ns: string): Promise<{ result: DeletionPassResult; estimateSeconds: number }> {
    const result: DeletionPassResult = { discoveryErrors: [], deleteErrors: [], remaining: new Map(), finalizers: new Map() };
    const mapper = await discover(this.ctx.client);
    for (const f of mapper.discovery.failed) result.discoveryErrors.push(`${f.groupVersion}: ${f.error.message}`);
    // One version per group/resource: other versions are views of the same objects.
    const seen = new Set<string>();
    const types = mapper.mappings.filter((m) => {
      if (!m.namespaced || !m.verbs.includes('delete') || !m.verbs.includes('list')) return false;
      const k = `${m.group}/${m.resource}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const now = this.ctx.clock.now().getTime();
    let estimate = 0;
    await Promise.all(
      types.map(async (m) => {
        const path = collectionPath(m, ns);
        const gr = groupResourceName(m);
        try {
          if (m.verbs.includes('deletecollection')) {
            await this.ctx.client.delete(path, { propagationPolicy: 'Background' });
          } else {
            const list = await this.ctx.client.list<{ items: KObject[] }>(path);
            for (const item of list.items) await this.deleteOne(`${path}/${encodeURIComponent(item.metadata.name!)}`);
          }
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 404 || err.code === 405))) {
            result.deleteErrors.push(`${gr}: ${(err as Error).message}`);
            return;
          }
        }
        let items: KObject[];
        try {
          items = (await this.ctx.client.list<{ items: KObject[] }>(path)).items ?? [];
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return;
          result.deleteErrors.push(`${gr}: ${(err as Error).message}`);
          return;
        }
        if (items.length === 0) return;
        // The status message names the group even when it is empty (`pods.`).
        result.remaining.set(`${m.resource}.${m.group}`, items.length);
        for (const item of items) {
          for (const f of item.metadata.finalizers ?? []) {
            result.finalizers.set(f, (result.finalizers.get(f) ?? 0) + 1);
            estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
          }
          const dt = item.metadata.deletionTimestamp;
          if (m.group === '' && m.resource === 'pods' && dt) {
            // A pod on a node stays until its kubelet confirms: wait out its grace period.
            estimate = Math.max(estimate, Math.ceil((Date.parse(dt) - now) / 1000), 1);
          }
        }
      }),
    );
    return { result, estimateSeconds: estimate };
  }

  private async deleteOne(path: string): Promise<void> {
    try {
      await this.ctx.client.delete(path, { propagationPolicy: 'Background' });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  /** Writes the conditions (and phase Terminating) when they changed. */
  private async updateConditions(name: string, next: NamespaceCondition[]): Promise<void> {
    let ns: Namespace & KObject;
    try {
      ns = await this.ctx.client.get<Namespace & KObject>(`/api/v1/namespaces/${encodeURIComponent(name)}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    const status = (ns.status ?? {}) as { phase?: string; conditions?: NamespaceCondition[] };
    const old = status.conditions ?? [];
    const merged = mergeConditions(old, next, rfc3339(this.ctx.clock.now()));
    if (status.phase === 'Terminating' && JSON.stringify(merged) === JSON.stringify(old)) return;
    const body = { ...ns, status: { ...status, phase: 'Terminating', conditions: merged } };
    // resourceVersion in the body fences the write; a conflict just retries the pass.
    await this.ctx.client.update(`/api/v1/namespaces/${encodeURIComponent(name)}/status`, body);
  }

  private async finalize(name: string): Promise<void> {
    const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
    let ns: Namespace & KObject;
    try {
      ns = await this.ctx.client.get<Namespace & KObject>(path);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
    await this.ctx.client.update(`${path}/finalize`, { ...ns, spec: { ...(ns.spec ?? {}), finalizers } });
    this.ctx.logger.info({ object: name }, 'namespace emptied and finalized');
  }
}
