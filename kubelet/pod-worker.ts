/**
 * The pod workers: drive each pod bound to this node toward its spec, level-triggered.
 *
 * `sync(key)` runs from the WorkQueue, so one pod is never synced twice at once. A sync
 * reads the runtime's view of the pod's containers (nothing important is kept only in
 * memory, so a restarted kubelet adopts running containers: same processes, restart
 * counts from the container labels, never a second copy), decides what to start or
 * kill, does it, and PATCHes `pods/{name}/status` when the computed status differs from
 * the API server's copy. Back-off windows and the reason cache are in memory, as
 * upstream's.
 *
 * Deleted pods: containers get SIGTERM (grace = deletionGracePeriodSeconds), the
 * terminal status is patched, and only when every process is gone is the pod DELETEd
 * with `{gracePeriodSeconds: 0, preconditions: {uid}}`; then the sandbox, volumes and IP
 * are released. Pods that disappeared from the API while the kubelet was away are
 * found by `findOrphans` and cleaned up the same way (key `!orphan/<uid>`).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ConfigMap, Container, Pod, PodStatus, Secret } from '../shared/api/types';
import type { KubeClient } from '../shared/client';
import type { Logger } from '../shared/logger';
import type { ReconcileResult } from '../shared/controller/workqueue';
import { ImagePullError, type ImageService, type PullPolicy } from '../images/types';
import { pullWithPolicy } from '../images/cache';
import { parseReference } from '../images/reference';
import type { ContainerConfig, ContainerStatus as RuntimeContainer, LocalImage, Runtime } from './runtime/interface';
import { Backoff, goDuration } from './backoff';
import { buildArgv, buildEnv, ConfigError, parseQuantity } from './env';
import type { Ipam } from './ipam';
import {
  LABEL_CONTAINER_HASH,
  LABEL_CONTAINER_NAME,
  LABEL_CONTAINER_TYPE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
  LABEL_TERMINATION_GRACE,
} from './labels';
import { fieldPathOf, ProbeManager } from './probes';
import {
  computePodStatus,
  instancesOf,
  isInitContainerSidecar,
  podDesc,
  restartCountOf,
  shouldContainerBeRestarted,
  statusChanged,
  terminatePodStatus,
  type ReasonEntry,
} from './status';
import { mountsFor, setUpVolumes, tearDownPodDir, VolumeError } from './volumes';

export const ORPHAN_PREFIX = '!orphan/';
/** Upstream status manager `syncPeriod`: every pod is re-checked this often. */
export const STATUS_RESYNC_MS = 10_000;
/** Upstream default `terminationGracePeriodSeconds`. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** Upstream `minimumGracePeriodInSeconds` for a container kill. */
export const MIN_KILL_GRACE_SECONDS = 2;

export type EventFn = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) => void;

export interface PodWorkerOptions {
  client: KubeClient;
  runtime: Runtime;
  images: ImageService;
  ipam: Ipam;
  probes: ProbeManager;
  event: EventFn;
  nodeName: string;
  hostIP: string;
  rootDir: string;
  logger: Logger;
  /** Pod by `ns/name` from the informer cache. */
  getPod: (key: string) => Pod | undefined;
  /** All pods in the informer cache (orphan detection). */
  listPods: () => Pod[];
  backoffScale?: number;
  now?: () => number;
}

/** Short hash of the container spec: a changed spec resets its back-off (upstream key). */
export function containerHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8);
}

/** Kubernetes' default pull policy when the API server did not set one. */
export function pullPolicyOf(c: Container): PullPolicy {
  if (c.imagePullPolicy) return c.imagePullPolicy as PullPolicy;
  const img = c.image ?? '';
  if (img.includes('@')) return 'IfNotPresent';
  const slash = img.lastIndexOf('/');
  const colon = img.lastIndexOf(':');
  const tag = colon > slash ? img.slice(colon + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Go-style duration of a pull, truncated to milliseconds (`845ms`, `5.304s`). */
function pullDuration(ms: number): string {
  return goDuration(Math.floor(ms));
}

export class PodWorkers {
  readonly containerBackoff: Backoff;
  readonly imageBackoff: Backoff;
  private readonly reasons = new Map<string, Map<string, ReasonEntry>>();
  private readonly sandboxes = new Map<string, string>();
  /** key → uid of the pod last synced under that key (a recreated pod has a new uid). */
  private readonly keyUid = new Map<string, string>();
  /** uid → grace to use when the pod vanished from the API before we stopped it. */
  private readonly graceByUid = new Map<string, number>();
  /** Container IDs for which a Killing event was already recorded. */
  private readonly killing = new Set<string>();
  /** uid → the status of our last successful PATCH and the resourceVersion it produced. */
  private readonly lastSent = new Map<string, { status: PodStatus; rv: string }>();
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly o: PodWorkerOptions) {
    this.now = o.now ?? Date.now;
    this.containerBackoff = new Backoff({ scale: o.backoffScale, now: this.now });
    this.imageBackoff = new Backoff({ scale: o.backoffScale, now: this.now });
    this.log = o.logger;
  }

  /** Reads the sandboxes that exist (kubelet restart): their IPs are reserved, never re-used. */
  async adopt(): Promise<void> {
    for (const sb of await this.o.runtime.listPodSandboxes()) {
      this.sandboxes.set(sb.config.podUid, sb.id);
      if (sb.config.podIP) this.o.ipam.reserve(sb.config.podUid, sb.config.podIP);
    }
  }

  /** Pod UIDs with runtime state but no pod in the API any more. */
  async findOrphans(containers?: RuntimeContainer[]): Promise<string[]> {
    const live = new Set(this.o.listPods().map((p) => p.metadata!.uid!));
    const uids = new Set<string>();
    for (const sb of await this.o.runtime.listPodSandboxes()) uids.add(sb.config.podUid);
    for (const c of containers ?? (await this.o.runtime.listContainers())) {
      const uid = c.labels?.[LABEL_POD_UID];
      if (uid) uids.add(uid);
    }
    for (const uid of this.o.ipam.uids()) uids.add(uid);
    return [...uids].filter((u) => !live.has(u));
  }

  private reasonsOf(uid: string): Map<string, ReasonEntry> {
    let m = this.reasons.get(uid);
    if (!m) this.reasons.set(uid, (m = new Map()));
    return m;
  }

  async sync(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(ORPHAN_PREFIX)) {
      await this.cleanup(key.slice(ORPHAN_PREFIX.length));
      return;
    }
    const pod = this.o.getPod(key);
    const oldUid = this.keyUid.get(key);
    if (oldUid && oldUid !== pod?.metadata?.uid) {
      await this.cleanup(oldUid);
      this.keyUid.delete(key);
    }
    if (!pod) return;
    return this.syncLive(key, this.withLatestStatus(pod));
  }

  private async syncLive(key: string, pod: Pod): Promise<ReconcileResult | void> {
    const uid = pod.metadata!.uid!;
    this.keyUid.set(key, uid);
    this.graceByUid.set(uid, graceOf(pod, this.graceByUid.get(uid)));
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod);
    return this.syncPod(pod);
  }

  // ------------------------------------------------------------------ running

  private async syncPod(pod: Pod): Promise<ReconcileResult> {
    const uid = pod.metadata!.uid!;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let requeue = STATUS_RESYNC_MS;
    const wake = (ms: number) => {
      requeue = Math.min(requeue, Math.max(ms, 1));
    };
    let containers = await this.listContainers(uid);
    let sandboxId = this.sandboxes.get(uid);
    let podIP = this.o.ipam.get(uid) ?? pod.status?.podIP;

    if (!terminal) {
      // hostNetwork pods use the node's address; everyone else gets one from the node range.
      podIP = pod.spec?.hostNetwork ? this.o.hostIP : this.o.ipam.allocate(uid);
      if (!sandboxId) {
        try {
          sandboxId = await this.o.runtime.runPodSandbox({
            podUid: uid,
            namespace: pod.metadata!.namespace!,
            name: pod.metadata!.name!,
            hostname: pod.spec?.hostname || pod.metadata!.name!,
            podIP,
            logDir: this.logDir(pod),
            labels: { [LABEL_POD_UID]: uid, [LABEL_POD_NAME]: pod.metadata!.name!, [LABEL_POD_NAMESPACE]: pod.metadata!.namespace!, ...(pod.metadata?.labels ?? {}) },
          });
          this.sandboxes.set(uid, sandboxId);
        } catch (err) {
          this.o.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errText(err)}`);
          await this.sendStatus(pod, this.computeStatus(pod, containers, false, podIP));
          throw err;
        }
      }
      this.o.probes.update(pod, podIP, newestByName(pod, containers));
      const killed = await this.killUnhealthy(pod, containers);
      if (killed.size) containers = await this.listContainers(uid);
      const wait = await this.startContainers(pod, sandboxId, podIP, containers, killed);
      if (wait !== undefined) wake(wait);
      containers = await this.listContainers(uid);
      this.o.probes.update(pod, podIP, newestByName(pod, containers));
    }

    let status = this.computeStatus(pod, containers, !!sandboxId && !terminal, podIP);
    const finished = status.phase === 'Succeeded' || status.phase === 'Failed';
    if (finished && sandboxId) {
      // A finished pod gives back its sandbox; its exited containers stay for status/logs.
      await this.o.runtime.stopPodSandbox(sandboxId, MIN_KILL_GRACE_SECONDS).catch((err) => this.log.warn({ err: errText(err) }, 'stopPodSandbox failed'));
      this.sandboxes.delete(uid);
      this.o.probes.removePod(uid);
      // The address goes back with the sandbox (as CNI DEL does); the status keeps showing it.
      this.o.ipam.release(uid);
      status = this.computeStatus(pod, await this.listContainers(uid), false, podIP);
    }
    await this.sendStatus(pod, status);
    return finished ? {} : { requeueAfter: requeue };
  }

  private logDir(pod: Pod): string {
    const md = pod.metadata!;
    return path.join(this.o.rootDir, 'logs', 'pods', `${md.namespace}_${md.name}_${md.uid}`);
  }

  private async listContainers(uid: string): Promise<RuntimeContainer[]> {
    return this.o.runtime.listContainers({ labels: { [LABEL_POD_UID]: uid } });
  }

  /** Liveness/startup failures: Killing event, stop; the restart follows in startContainers. */
  private async killUnhealthy(pod: Pod, containers: RuntimeContainer[]): Promise<Map<string, string>> {
    const uid = pod.metadata!.uid!;
    const killed = new Map<string, string>();
    const specs = [...(pod.spec?.initContainers ?? []).filter(isInitContainerSidecar), ...pod.spec!.containers];
    await Promise.all(
      specs.map(async (c) => {
        const newest = instancesOf(containers, c.name)[0];
        if (!newest || newest.state !== 'running') return;
        const which = this.o.probes.failed(uid, c.name, newest.id);
        if (!which) return;
        const never = pod.spec?.restartPolicy === 'Never' && !isInitContainerSidecar(c);
        const who = isInitContainerSidecar(c) ? 'Init container' : 'Container';
        this.o.event(pod, 'Normal', 'Killing', `${who} ${c.name} failed ${which} probe${never ? '' : ', will be restarted'}`, fieldPathOf(pod, c.name));
        const probe = which === 'liveness' ? c.livenessProbe : c.startupProbe;
        const grace = probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
        await this.o.runtime.stopContainer(newest.id, Math.max(grace, MIN_KILL_GRACE_SECONDS));
        killed.set(c.name, newest.id);
      }),
    );
    return killed;
  }

  /**
   * Upstream computePodActions + SyncPod for starting: init containers one at a time in
   * order, then every app container that should (re)start. Returns the ms until the
   * earliest back-off window ends, if one blocks a start.
   */
  private async startContainers(pod: Pod, sandboxId: string, podIP: string, containers: RuntimeContainer[], killed: Map<string, string>): Promise<number | undefined> {
    let wait: number | undefined;
    const waitFor = (ms: number | undefined) => {
      if (ms !== undefined) wait = wait === undefined ? ms : Math.min(wait, ms);
    };
    const policy = pod.spec?.restartPolicy ?? 'Always';
    for (const c of pod.spec?.initContainers ?? []) {
      const insts = instancesOf(containers, c.name);
      const newest = insts[0];
      if (isInitContainerSidecar(c)) {
        if (newest?.state === 'running') continue;
        waitFor(await this.startContainer(pod, c, 'init', sandboxId, podIP, insts, killed.get(c.name)));
        return wait;
      }
      if (newest?.state === 'exited' && newest.exitCode === 0) continue;
      if (newest?.state === 'running') return wait; // wait for it to finish
      if (newest?.state === 'exited' && policy === 'Never') return wait; // the pod has failed
      waitFor(await this.startContainer(pod, c, 'init', sandboxId, podIP, insts, undefined));
      return wait;
    }
    await Promise.all(
      pod.spec!.containers.map(async (c) => {
        const insts = instancesOf(containers, c.name);
        if (!shouldContainerBeRestarted(pod, insts[0])) return;
        waitFor(await this.startContainer(pod, c, 'app', sandboxId, podIP, insts, killed.get(c.name)));
      }),
    );
    return wait;
  }

  /**
   * Back-off, image, config, create, start — one container. Failures land in the reason
   * cache (→ the waiting reason in the status) and return the ms after which to retry.
   */
  private async startContainer(
    pod: Pod,
    c: Container,
    kind: 'init' | 'app',
    sandboxId: string,
    podIP: string,
    insts: RuntimeContainer[],
    killedId: string | undefined,
  ): Promise<number | undefined> {
    const uid = pod.metadata!.uid!;
    const reasons = this.reasonsOf(uid);
    const fieldPath = fieldPathOf(pod, c.name);
    const desc = podDesc(pod);

    // Crash back-off (upstream doBackOff). After a probe kill, the instance just killed
    // does not count: the earlier dead one decides (§4.5).
    const dead = insts.find((i) => i.state === 'exited' && i.id !== killedId);
    if (dead) {
      const key = `${uid}_${c.name}_${containerHash(c)}`;
      const finishedAt = dead.finishedAt ? Date.parse(dead.finishedAt) : this.now();
      if (this.containerBackoff.isInBackOffSince(key, finishedAt)) {
        const b = this.containerBackoff.get(key);
        this.o.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${desc}`, fieldPath);
        reasons.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(b)} restarting failed container=${c.name} pod=${desc}` });
        return this.containerBackoff.remaining(key, finishedAt);
      }
      this.containerBackoff.next(key, finishedAt);
    }

    // Image (upstream EnsureImageExists).
    let image: LocalImage;
    try {
      const got = await this.ensureImage(pod, c, fieldPath);
      if (typeof got === 'number') return got;
      image = got;
    } catch (err) {
      reasons.set(c.name, { reason: 'ErrImagePull', message: errText(err) });
      return this.retryPeriod();
    }

    // Config: volumes, env, argv.
    let cfg: ContainerConfig;
    const restartCount = insts[0] ? restartCountOf(insts[0]) + 1 : 0;
    try {
      cfg = await this.containerConfig(pod, c, kind, image, podIP, restartCount);
    } catch (err) {
      if (err instanceof VolumeError) {
        this.o.event(pod, 'Warning', 'FailedMount', err.message);
        return this.retryPeriod();
      }
      const msg = errText(err);
      this.o.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fieldPath);
      reasons.set(c.name, { reason: 'CreateContainerConfigError', message: msg });
      return this.retryPeriod();
    }

    let id: string;
    try {
      id = await this.o.runtime.createContainer(sandboxId, cfg);
    } catch (err) {
      const msg = errText(err);
      this.o.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fieldPath);
      reasons.set(c.name, { reason: 'CreateContainerError', message: msg });
      return this.retryPeriod();
    }
    this.o.event(pod, 'Normal', 'Created', `Created container ${c.name}`, fieldPath);
    try {
      await this.o.runtime.startContainer(id);
    } catch (err) {
      const msg = errText(err);
      this.o.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fieldPath);
      reasons.set(c.name, { reason: 'RunContainerError', message: msg });
      return this.retryPeriod();
    }
    this.o.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
    reasons.delete(c.name);
    // Keep the previous instance (lastState, `logs --previous`); older dead ones go.
    for (const old of insts.slice(1)) {
      if (old.state === 'exited' || old.state === 'created') await this.o.runtime.removeContainer(old.id).catch(() => undefined);
    }
    return undefined;
  }

  /** Upstream's pod-worker retry period after a sync error (10 s, scaled like the back-offs). */
  private retryPeriod(): number {
    return this.containerBackoff.initialMs;
  }

  /**
   * The image per pull policy (images' `pullWithPolicy`), with upstream's events and the
   * image back-off; a number = ms to wait before the next attempt.
   */
  private async ensureImage(pod: Pod, c: Container, fieldPath: string): Promise<LocalImage | number> {
    const uid = pod.metadata!.uid!;
    const img = c.image ?? '';
    const reasons = this.reasonsOf(uid);
    const policy = pullPolicyOf(c);
    const fail = (reason: string, msg: string, eventReason = 'Failed', eventMsg = msg) => {
      this.o.event(pod, 'Warning', eventReason, eventMsg, fieldPath);
      this.o.event(pod, 'Warning', 'Failed', `Error: ${reason}`, fieldPath);
      reasons.set(c.name, { reason, message: msg });
    };
    try {
      parseReference(img);
    } catch (err) {
      const msg = errText(err); // already upstream's "Failed to apply default image tag …"
      fail('InvalidImageName', msg, 'InspectFailed');
      return this.retryPeriod();
    }
    // Whether a pull will happen decides the events, so ask the cache first.
    const willPull = policy === 'Always' || (policy === 'IfNotPresent' && !(await this.o.images.cached(img)));
    const key = `${uid}_${img}`;
    if (willPull) {
      if (this.imageBackoff.isInBackOffSinceUpdate(key)) {
        const msg = `Back-off pulling image "${img}"`;
        this.o.event(pod, 'Normal', 'BackOff', msg, fieldPath);
        this.o.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', fieldPath);
        reasons.set(c.name, { reason: 'ImagePullBackOff', message: msg });
        // Like upstream's pod worker: retry every backOffPeriod, pulling once the window ends.
        return Math.min(this.retryPeriod(), this.imageBackoff.remainingSinceUpdate(key) || this.retryPeriod());
      }
      this.o.event(pod, 'Normal', 'Pulling', `Pulling image "${img}"`, fieldPath);
    }
    const t0 = this.now();
    try {
      const got = await pullWithPolicy(this.o.images, img, policy);
      if (!got.pulled) {
        this.o.event(pod, 'Normal', 'Pulled', `Container image "${img}" already present on machine`, fieldPath);
        return got.image;
      }
      // The size query counts toward the pull time, as upstream's does.
      const sized = this.o.images as ImageService & { imageSize?: (i: LocalImage) => Promise<number> };
      const size = sized.imageSize ? await sized.imageSize(got.image).catch(() => 0) : 0;
      const d = pullDuration(this.now() - t0);
      this.o.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${img}" in ${d} (${d} including waiting). Image size: ${size} bytes.`, fieldPath);
      this.imageBackoff.reset(key);
      return got.image;
    } catch (err) {
      const msg = errText(err);
      if (err instanceof ImagePullError && err.reason === 'ErrImageNeverPull') {
        // Never: retried each sync without back-off (§8.2).
        fail('ErrImageNeverPull', msg, 'ErrImageNeverPull');
        return this.retryPeriod();
      }
      fail('ErrImagePull', msg, 'Failed', `Failed to pull image "${img}": ${msg}`);
      this.imageBackoff.next(key);
      // Upstream retries a failed sync after backOffPeriod (10 s); inside the doubled
      // window that retry shows ImagePullBackOff.
      return this.retryPeriod();
    }
  }

  private async containerConfig(pod: Pod, c: Container, kind: 'init' | 'app', image: LocalImage, podIP: string, restartCount: number): Promise<ContainerConfig> {
    const ns = pod.metadata!.namespace!;
    const cms = new Map<string, ConfigMap | undefined>();
    const secrets = new Map<string, Secret | undefined>();
    // Fetch everything referenced up front so env/volume building stays synchronous and pure.
    const cmNames = new Set<string>();
    const secretNames = new Set<string>();
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) cmNames.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secretNames.add(e.valueFrom.secretKeyRef.name);
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) cmNames.add(e.configMapRef.name);
      if (e.secretRef?.name) secretNames.add(e.secretRef.name);
    }
    for (const v of pod.spec?.volumes ?? []) {
      if (v.configMap?.name) cmNames.add(v.configMap.name);
      if (v.secret?.secretName) secretNames.add(v.secret.secretName);
    }
    await Promise.all([
      ...[...cmNames].map(async (n) => cms.set(n, await this.getOptional<ConfigMap>(`/api/v1/namespaces/${ns}/configmaps/${n}`))),
      ...[...secretNames].map(async (n) => secrets.set(n, await this.getOptional<Secret>(`/api/v1/namespaces/${ns}/secrets/${n}`))),
    ]);
    const src = { configMap: (n: string) => cms.get(n), secret: (n: string) => secrets.get(n), podIP, hostIP: this.o.hostIP };
    const volumes = setUpVolumes(pod, this.o.rootDir, src);
    const env = buildEnv(pod, c, image.config?.env, src);
    const argv = buildArgv(c, image.config ?? {}, env);
    if (argv.length === 0) throw new ConfigError('no command specified');
    const mounts = mountsFor(c, volumes);
    const limits = (c.resources?.limits ?? {}) as Record<string, string>;
    const cfg: ContainerConfig = {
      name: c.name,
      image,
      argv,
      env,
      workingDir: c.workingDir || image.config?.workingDir,
      mounts,
      logPath: path.join(this.logDir(pod), c.name, `${restartCount}.log`),
      tty: c.tty,
      stdin: c.stdin,
      labels: {
        [LABEL_POD_UID]: pod.metadata!.uid!,
        [LABEL_POD_NAME]: pod.metadata!.name!,
        [LABEL_POD_NAMESPACE]: ns,
        [LABEL_CONTAINER_NAME]: c.name,
        [LABEL_RESTART_COUNT]: String(restartCount),
        [LABEL_CONTAINER_HASH]: containerHash(c),
        [LABEL_CONTAINER_TYPE]: kind,
        [LABEL_TERMINATION_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS),
      },
    };
    if (limits.memory !== undefined) cfg.memoryLimitBytes = Math.floor(parseQuantity(limits.memory));
    if (limits.cpu !== undefined) cfg.cpuLimitMillicores = Math.ceil(parseQuantity(limits.cpu) * 1000);
    return cfg;
  }

  private async getOptional<T>(p: string): Promise<T | undefined> {
    try {
      return await this.o.client.get<T>(p);
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  /**
   * A shallow copy of the cached pod whose status is the newest we know: our last PATCH
   * result when the informer has not caught up with it yet (cache objects stay untouched).
   */
  private withLatestStatus(pod: Pod): Pod {
    const sent = this.lastSent.get(pod.metadata!.uid!);
    if (!sent || rvNewerOrEqual(pod.metadata?.resourceVersion, sent.rv)) return { ...pod };
    return { ...pod, status: sent.status };
  }

  private computeStatus(pod: Pod, containers: RuntimeContainer[], sandboxReady: boolean, podIP: string | undefined, terminal = false): PodStatus {
    const uid = pod.metadata!.uid!;
    const status = computePodStatus({
      pod,
      containers,
      sandboxReady,
      podIP,
      hostIP: this.o.hostIP,
      reasons: this.reasons.get(uid),
      probes: {
        started: (n, id) => this.o.probes.started(uid, n, id),
        ready: (n, id) => this.o.probes.ready(uid, n, id),
      },
      podIsTerminal: terminal,
      now: new Date(this.now()),
    });
    return terminal ? terminatePodStatus(status) : status;
  }

  /** PATCHes the status when it differs from the API server's copy (upstream status manager). */
  private async sendStatus(pod: Pod, status: PodStatus): Promise<void> {
    if (!statusChanged(pod.status, status)) return;
    const md = pod.metadata!;
    try {
      const updated = await this.o.client.patch<Pod>(`/api/v1/namespaces/${md.namespace}/pods/${md.name}/status`, { status }, 'merge');
      // Later syncs build on what we wrote even before the watch delivers it.
      this.lastSent.set(md.uid!, { status: updated.status ?? status, rv: updated.metadata?.resourceVersion ?? '' });
      (pod as { status?: PodStatus }).status = updated.status ?? status; // our copy, not the cache object
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 409) return; // the pod is gone or was replaced
      throw err;
    }
  }

  // -------------------------------------------------------------- termination

  private async terminate(pod: Pod): Promise<ReconcileResult | void> {
    const uid = pod.metadata!.uid!;
    const grace = this.graceByUid.get(uid) ?? graceOf(pod, undefined);
    this.o.probes.podTerminating(uid);
    let containers = await this.listContainers(uid);
    await this.stopAll(pod, containers, grace);
    const sandboxId = this.sandboxes.get(uid);
    if (sandboxId) await this.o.runtime.stopPodSandbox(sandboxId, grace);
    containers = await this.listContainers(uid);
    if (containers.some((c) => c.state === 'running')) return { requeueAfter: 200 }; // not every process is gone yet
    await this.sendStatus(pod, this.computeStatus(pod, containers, false, this.o.ipam.get(uid) ?? pod.status?.podIP, true));
    const md = pod.metadata!;
    try {
      await this.o.client.delete(`/api/v1/namespaces/${md.namespace}/pods/${md.name}`, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) throw err;
    }
    await this.cleanup(uid);
  }

  private async stopAll(pod: Pod | undefined, containers: RuntimeContainer[], grace: number): Promise<void> {
    const running = containers.filter((c) => c.state === 'running');
    // Regular containers first, then sidecars, as upstream orders a pod kill.
    const isSidecar = (c: RuntimeContainer) => !!pod?.spec?.initContainers?.some((s) => s.name === c.labels?.[LABEL_CONTAINER_NAME] && isInitContainerSidecar(s));
    for (const group of [running.filter((c) => !isSidecar(c)), running.filter(isSidecar)]) {
      await Promise.all(
        group.map(async (c) => {
          const name = c.labels?.[LABEL_CONTAINER_NAME] ?? c.name;
          if (pod && !this.killing.has(c.id)) {
            this.killing.add(c.id);
            this.o.event(pod, 'Normal', 'Killing', `Stopping container ${name}`, fieldPathOf(pod, name));
          }
          await this.o.runtime.stopContainer(c.id, Math.max(grace, MIN_KILL_GRACE_SECONDS));
        }),
      );
    }
  }

  /** Stops and removes everything a pod uid has on this node (idempotent). */
  async cleanup(uid: string): Promise<void> {
    this.o.probes.removePod(uid);
    const containers = await this.listContainers(uid);
    const labelled = containers.map((c) => Number(c.labels?.[LABEL_TERMINATION_GRACE])).find((n) => Number.isFinite(n));
    const grace = this.graceByUid.get(uid) ?? labelled ?? DEFAULT_TERMINATION_GRACE_SECONDS;
    await this.stopAll(undefined, containers, grace);
    for (const c of containers) {
      this.killing.delete(c.id);
      await this.o.runtime.removeContainer(c.id).catch((err) => this.log.warn({ err: errText(err), id: c.id }, 'removeContainer failed'));
    }
    const sandboxIds = new Set<string>();
    const known = this.sandboxes.get(uid);
    if (known) sandboxIds.add(known);
    for (const sb of await this.o.runtime.listPodSandboxes()) if (sb.config.podUid === uid) sandboxIds.add(sb.id);
    for (const id of sandboxIds) {
      await this.o.runtime.stopPodSandbox(id, grace).catch(() => undefined);
      await this.o.runtime.removePodSandbox(id).catch((err) => this.log.warn({ err: errText(err), id }, 'removePodSandbox failed'));
    }
    this.sandboxes.delete(uid);
    tearDownPodDir(this.o.rootDir, uid);
    this.o.ipam.release(uid);
    this.reasons.delete(uid);
    this.lastSent.delete(uid);
    this.graceByUid.delete(uid);
    this.containerBackoff.resetPrefix(`${uid}_`);
    this.imageBackoff.resetPrefix(`${uid}_`);
    for (const [k, u] of this.keyUid) if (u === uid) this.keyUid.delete(k);
  }
}

/** Upstream calculateEffectiveGracePeriod: deletion grace (may only shorten), 0 → spec grace, min 1. */
function graceOf(pod: Pod, previous: number | undefined): number {
  let g = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  if (g === 0) g = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  if (previous !== undefined && pod.metadata?.deletionTimestamp) g = Math.min(g, previous);
  return Math.max(1, g);
}

function newestByName(pod: Pod, containers: RuntimeContainer[]): Map<string, RuntimeContainer | undefined> {
  const m = new Map<string, RuntimeContainer | undefined>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) m.set(c.name, instancesOf(containers, c.name)[0]);
  return m;
}

/** resourceVersions are the store's revision numbers: compare numerically when they parse. */
function rvNewerOrEqual(a: string | undefined, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y) || !b) return true;
  return x >= y;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

