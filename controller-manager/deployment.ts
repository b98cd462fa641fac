/**
 * The Deployment controller (CONTROLLERS.md §2): owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, rolls from old to new with RollingUpdate or
 * Recreate, scales proportionally, keeps revision history, and reports the status and
 * conditions `kubectl rollout status` reads.
 *
 * Concurrency: informer handlers map Deployments, ReplicaSets and pods to the owning
 * Deployment's key and enqueue it; `reconcile(key)` runs on a WorkQueue (one key at a
 * time). Each sync makes at most one "step" of writes (scale up the new RS, or scale
 * down old ones) and then ends; the RS status changes that follow trigger the next sync.
 *
 * Guarantees: every RS write is a PUT carrying the cached resourceVersion (a stale view
 * fails with 409 and is retried from fresh state); the new RS's name is deterministic, so
 * a crash between "create RS" and "record revision" finds the same RS again; the new RS
 * is found by semantic template equality, so `rollout undo` reactivates the old RS.
 */
import type { KObject } from '../shared/api/types';
import { ApiError } from '../shared/api/errors';
import { clone } from '../shared/api/types';
import type { KubeClient } from '../shared/client';
import type { EventRecorder } from '../shared/controller/events';
import { keyOf, type Informer } from '../shared/controller/informer';
import { WorkQueue, type ReconcileResult } from '../shared/controller/workqueue';
import type { Logger } from '../shared/logger';
import { fromLabelSelector, matchLabels, type Requirement } from '../shared/selectors';
import type { Controller, ControllerContext } from './controller';
import {
  calculateStatus, deploymentComplete, deploymentStatusEqual, desiredReplicas, filterActive, findActiveOrLatest, getCondition, hasProgressDeadline,
  historyToDelete, isSaturated, isScalingEvent, maxRevision, maxSurge, newCondition, newRSNewReplicas, normalizeDeploymentStatus, planOldScaleDown,
  planProportionalScale, REVISION_ANNOTATION, requeueForDeadline, rolloutStatus, ROLLBACK_TO_ANNOTATION, setCondition, setNewReplicaSetAnnotations,
  setReplicasAnnotations, sortOldestFirst, specReplicas, type DStatus,
} from './deployment-util';
import { computeHash } from './util/hash';
import { claimChildren, controllerRefOf, newControllerRef } from './util/owner';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './util/template';
import type { Deployment, Pod, ReplicaSet } from './util/types';

export const DEPLOYMENT_EVENT_SOURCE = 'deployment-controller';

const D_PATH = '/apis/apps/v1/deployments';
const RS_PATH = '/apis/apps/v1/replicasets';
const POD_PATH = '/api/v1/pods';
const dPath = (ns: string, name?: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments${name ? `/${encodeURIComponent(name)}` : ''}`;
const rsPath = (ns: string, name?: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets${name ? `/${encodeURIComponent(name)}` : ''}`;

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private queue = new WorkQueue();
  private dInf!: Informer<Deployment>;
  private rsInf!: Informer<ReplicaSet>;
  private podInf!: Informer<Pod>;
  private client!: KubeClient;
  private recorder!: EventRecorder;
  private logger!: Logger;
  private ctx!: ControllerContext;
  private readonly abort = new AbortController();
  private stopped = false;
  private workers?: Promise<void>;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = ctx;
    this.client = ctx.client;
    this.logger = ctx.logger.child({ controller: this.name });
    this.recorder = ctx.recorder(DEPLOYMENT_EVENT_SOURCE);
    // A 409 only means our cached view was stale: the retry reads the fresh one. Not worth a warning.
    this.queue = new WorkQueue({ onError: (key, err) => this.logger[err instanceof ApiError && err.code === 409 ? 'debug' : 'warn']({ object: key, err: String(err) }, 'sync failed; retrying') });
    this.dInf = ctx.informers.for<Deployment>(D_PATH);
    this.rsInf = ctx.informers.for<ReplicaSet>(RS_PATH);
    this.podInf = ctx.informers.for<Pod>(POD_PATH);
    const enq = (d: Deployment) => this.queue.add(keyOf(d));
    this.dInf.on({ add: enq, update: (_o, d) => enq(d), delete: enq });
    this.rsInf.on({
      add: (rs) => this.enqueueForRS(rs),
      update: (o, rs) => {
        if (controllerRefOf(o)?.uid !== controllerRefOf(rs)?.uid) this.enqueueForRS(o);
        this.enqueueForRS(rs);
      },
      delete: (rs) => this.enqueueForRS(rs),
    });
    // Recreate waits for old pods to be gone: their deletion is what lets it continue.
    this.podInf.on({ delete: (p) => this.enqueueForPod(p), update: (o, p) => o.status?.phase !== p.status?.phase && this.enqueueForPod(p) });
    this.workers = (async () => {
      await Promise.all([this.dInf.waitForSync(), this.rsInf.waitForSync(), this.podInf.waitForSync()]);
      if (this.stopped) return;
      await this.queue.runWorkers(ctx.options.workers, (key) => this.reconcile(key));
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.queue.shutdown();
    await this.workers?.catch(() => undefined);
  }

  // ---------------------------------------------------------------- event mapping

  private enqueueForRS(rs: ReplicaSet): void {
    const ref = controllerRefOf(rs);
    if (ref) {
      if (ref.kind !== 'Deployment') return;
      const d = this.dInf.get(`${rs.metadata.namespace}/${ref.name}`);
      if (d && d.metadata.uid === ref.uid) this.queue.add(keyOf(d));
      return;
    }
    // Orphan: every Deployment that would adopt it.
    for (const d of this.dInf.list()) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const sel = selectorOf(d);
      if (sel && sel.length && matchLabels(sel, rs.metadata.labels)) this.queue.add(keyOf(d));
    }
  }

  private enqueueForPod(p: Pod): void {
    const ref = controllerRefOf(p);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsInf.get(`${p.metadata.namespace}/${ref.name}`);
    if (rs && rs.metadata.uid === ref.uid) this.enqueueForRS(rs);
  }

  // ---------------------------------------------------------------- reconcile (2.2)

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.dInf.get(key);
    if (!cached) return;
    const d = clone(cached);
    d.kind = 'Deployment';
    d.apiVersion = 'apps/v1';
    const sel = selectorOf(d);
    if (!sel || sel.length === 0) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await this.writeStatus(d, { ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await this.claimReplicaSets(d, sel);
    if (d.metadata.deletionTimestamp) return this.sync(d, rsList, false);
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.sync(d, rsList, true);
    if (isScalingEvent(d, rsList)) return this.sync(d, rsList, false);
    if (d.spec?.strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  private async claimReplicaSets(d: Deployment, sel: Requirement[]): Promise<ReplicaSet[]> {
    const ns = d.metadata.namespace!;
    const candidates = this.rsInf.list().filter((rs) => rs.metadata.namespace === ns);
    const claimed = await claimChildren<ReplicaSet>({
      owner: d,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      children: candidates,
      matches: (rs) => matchLabels(sel, rs.metadata.labels),
      pathOf: (rs) => rsPath(ns, rs.metadata.name),
      client: this.client,
      recheck: () => this.client.get<KObject>(dPath(ns, d.metadata.name), { signal: this.abort.signal }).catch(() => undefined),
      signal: this.abort.signal,
    });
    return claimed.map((rs) => ({ ...clone(rs), kind: 'ReplicaSet', apiVersion: 'apps/v1' }));
  }

  // ---------------------------------------------------------------- new / old RS (2.3)

  /** Splits RSes into the new one (oldest whose template matches) and the old ones; creates or updates the new RS when asked. */
  private async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const sorted = sortOldestFirst(rsList);
    const existing = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
    const oldRSs = sorted.filter((rs) => rs !== existing);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, existing, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, all: ReplicaSet[], oldRSs: ReplicaSet[], existing: ReplicaSet | undefined, create: boolean): Promise<ReplicaSet | undefined> {
    const ns = d.metadata.namespace!;
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.ctx.clock.now();
    if (existing) {
      const rs = clone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rs, newRevision, true);
      const mrs = d.spec?.minReadySeconds ?? 0;
      if (annotationsChanged || (rs.spec?.minReadySeconds ?? 0) !== mrs) {
        rs.spec = { ...rs.spec!, minReadySeconds: mrs };
        return await this.client.update<ReplicaSet>(rsPath(ns, rs.metadata.name), rs, { signal: this.abort.signal });
      }
      await this.setDeploymentRevision(d, rs.metadata.annotations?.[REVISION_ANNOTATION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const s = clone(d.status ?? {});
        setCondition(s, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`, now));
        await this.writeStatus(d, s);
      }
      return rs;
    }
    if (!create) return undefined;

    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = clone(d.spec!.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = clone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: ns, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')] },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    let created: ReplicaSet;
    try {
      created = await this.client.create<ReplicaSet>(rsPath(ns), rs, { signal: this.abort.signal });
    } catch (err) {
      if (err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists') {
        const cur = await this.client.get<ReplicaSet>(rsPath(ns, name), { signal: this.abort.signal });
        // Ours, with our template: a previous sync (or process) created it; use it.
        if (controllerRefOf(cur)?.uid === d.metadata.uid && equalIgnoreHash(cur.spec?.template, d.spec?.template)) return { ...cur, kind: 'ReplicaSet', apiVersion: 'apps/v1' };
        // A genuine hash collision: bump collisionCount so the next sync picks another name.
        const s = clone(d.status ?? {});
        s.collisionCount = (s.collisionCount ?? 0) + 1;
        await this.writeStatus(d, s);
        throw err;
      }
      const msg = `Failed to create new replica set "${name}": ${err instanceof Error ? err.message : String(err)}`;
      this.recorder.event(d, 'Warning', 'ReplicaSetCreateError', msg);
      if (hasProgressDeadline(d)) {
        const s = clone(d.status ?? {});
        setCondition(s, newCondition('Progressing', 'False', 'ReplicaSetCreateError', msg, now));
        await this.writeStatus(d, s).catch(() => undefined);
      }
      throw err;
    }
    created = { ...created, kind: 'ReplicaSet', apiVersion: 'apps/v1' };
    if (specReplicas(created) > 0) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${specReplicas(created)}`);
    await this.setDeploymentRevision(d, String(newRevision));
    if (hasProgressDeadline(d)) {
      const s = clone(d.status ?? {});
      setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, now));
      await this.writeStatus(d, s);
    }
    all.push(created);
    return created;
  }

  /** The Deployment mirrors its new RS's revision (what `rollout status --revision` checks). */
  private async setDeploymentRevision(d: Deployment, revision: string | undefined): Promise<void> {
    if (revision === undefined || d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    const updated = await this.client.patch<Deployment>(dPath(d.metadata.namespace!, d.metadata.name), { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } }, 'merge', { signal: this.abort.signal });
    d.metadata = updated.metadata;
  }

  // ---------------------------------------------------------------- scaling helpers

  /** Sets size + replicas annotations; emits ScalingReplicaSet when the size changed. */
  private async scaleReplicaSet(rs: ReplicaSet, size: number, d: Deployment, op: 'up' | 'down'): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const copy = clone(rs);
    const sizeChanged = specReplicas(rs) !== size;
    const annChanged = setReplicasAnnotations(copy, desiredReplicas(d), desiredReplicas(d) + maxSurge(d));
    if (!sizeChanged && !annChanged) return { scaled: false, rs };
    copy.spec = { ...copy.spec!, replicas: size };
    const updated = await this.client.update<ReplicaSet>(rsPath(rs.metadata.namespace!, rs.metadata.name), copy, { signal: this.abort.signal });
    if (sizeChanged) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${specReplicas(rs)} to ${size}`);
    return { scaled: sizeChanged, rs: { ...updated, kind: 'ReplicaSet', apiVersion: 'apps/v1' } };
  }

  private async scaleAndRecord(rs: ReplicaSet, size: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === size) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, size, d, specReplicas(rs) < size ? 'up' : 'down');
  }

  private replace(list: ReplicaSet[], rs: ReplicaSet): ReplicaSet[] {
    return list.map((x) => (x.metadata.name === rs.metadata.name ? rs : x));
  }

  // ---------------------------------------------------------------- sync(): scaling and paused (2.6)

  private async sync(d: Deployment, rsList: ReplicaSet[], paused: boolean): Promise<ReconcileResult | void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let all = [...oldRSs, ...(newRS ? [newRS] : [])];
    let nrs = newRS;
    if (!d.metadata.deletionTimestamp) {
      const one = findActiveOrLatest(newRS, oldRSs);
      if (one) {
        const r = await this.scaleAndRecord(one, desiredReplicas(d), d);
        all = this.replace(all, r.rs);
      } else if (isSaturated(d, newRS)) {
        for (const rs of filterActive(oldRSs)) all = this.replace(all, (await this.scaleAndRecord(rs, 0, d)).rs);
      } else if ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        const active = filterActive(all);
        const { sizes, op } = planProportionalScale(d, active);
        for (const rs of active) all = this.replace(all, (await this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d, op)).rs);
      }
      nrs = newRS && all.find((x) => x.metadata.name === newRS.metadata.name);
      if (paused && !d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION]) await this.cleanup(d, all.filter((x) => x !== nrs));
    }
    // syncDeploymentStatus: counts and Available only; Progressing is left as it is.
    const s = calculateStatus(all, nrs, d, this.ctx.clock.now());
    if (!deploymentStatusEqual(d.status, s)) await this.writeStatus(d, s);
  }

  // ---------------------------------------------------------------- RollingUpdate (2.5)

  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    let all = [...oldRSs, newRS!];
    let nrs = newRS!;
    // Scale up the new RS.
    const want = desiredReplicas(d);
    let target = specReplicas(nrs);
    if (specReplicas(nrs) > want) target = want;
    else if (specReplicas(nrs) < want) target = newRSNewReplicas(d, all, nrs);
    if (target !== specReplicas(nrs)) {
      const r = await this.scaleAndRecord(nrs, target, d);
      nrs = r.rs;
      all = this.replace(all, nrs);
      if (r.scaled) return this.syncRolloutStatus(all, nrs, d);
    }
    // Scale down old RSes.
    const plan = planOldScaleDown(d, all, oldRSs, nrs);
    let scaledDown = false;
    for (const rs of sortOldestFirst(oldRSs)) {
      const size = plan.get(rs.metadata.name!);
      if (size === undefined || size === specReplicas(rs)) continue;
      const r = await this.scaleAndRecord(rs, size, d);
      all = this.replace(all, r.rs);
      scaledDown ||= r.scaled;
    }
    if (scaledDown) return this.syncRolloutStatus(all, nrs, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanup(d, all.filter((x) => x.metadata.name !== nrs.metadata.name));
    return this.syncRolloutStatus(all, nrs, d);
  }

  // ---------------------------------------------------------------- Recreate (2.7)

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let all = [...oldRSs, ...(newRS ? [newRS] : [])];
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) {
      const r = await this.scaleAndRecord(rs, 0, d);
      all = this.replace(all, r.rs);
      scaledDown ||= r.scaled;
    }
    if (scaledDown) return this.syncRolloutStatus(all, newRS, d);
    if (this.oldPodsRunning(oldRSs)) return this.syncRolloutStatus(all, newRS, d);
    if (!newRS) {
      ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true));
      all = [...oldRSs, newRS!];
    }
    const r = await this.scaleAndRecord(newRS!, desiredReplicas(d), d);
    all = this.replace(all, r.rs);
    if (r.scaled) return this.syncRolloutStatus(all, r.rs, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(all, r.rs, d);
  }

  /** Recreate must not start new pods while any old pod may still run (even terminating ones). */
  private oldPodsRunning(oldRSs: ReplicaSet[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    return this.podInf.list().some((p) => uids.has(controllerRefOf(p)?.uid) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  }

  // ---------------------------------------------------------------- status, paused, cleanup (2.9, 2.10)

  private async syncRolloutStatus(all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<ReconcileResult | void> {
    const now = this.ctx.clock.now();
    const s = rolloutStatus(all, newRS, d, now);
    if (deploymentStatusEqual(d.status, s)) {
      const after = requeueForDeadline(d, s, now);
      return after === undefined ? undefined : { requeueAfter: after };
    }
    await this.writeStatus(d, s);
    // Nothing else will wake us at the deadline if the pods never change again.
    const after = requeueForDeadline({ ...d, status: s }, s, now);
    return after === undefined ? undefined : { requeueAfter: after };
  }

  private async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const s = clone(d.status ?? {});
    const now = this.ctx.clock.now();
    if (d.spec?.paused && !pausedCond) setCondition(s, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now));
    else if (!d.spec?.paused && pausedCond) setCondition(s, newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now));
    else return;
    await this.writeStatus(d, s);
  }

  private async cleanup(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of historyToDelete(d, oldRSs)) {
      await this.client.delete(rsPath(rs.metadata.namespace!, rs.metadata.name), undefined, { signal: this.abort.signal }).catch((err) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      });
    }
  }

  /** PUT /status with the resourceVersion we read: a concurrent change makes this a 409 and the sync is retried. */
  private async writeStatus(d: Deployment, s: DStatus): Promise<void> {
    const body = { ...d, status: normalizeDeploymentStatus(s) };
    const updated = await this.client.update<Deployment>(`${dPath(d.metadata.namespace!, d.metadata.name)}/status`, body, { signal: this.abort.signal });
    d.metadata = updated.metadata;
    d.status = updated.status;
  }
}

function selectorOf(d: Deployment): Requirement[] | null {
  try {
    return fromLabelSelector(d.spec?.selector);
  } catch {
    return null;
  }
}

