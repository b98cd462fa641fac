/**
 * The kubelet, assembled: node registration and lease, the informer on this node's
 * pods, the work queue feeding the pod workers, a PLEG-style relist that notices runtime
 * changes, the prober, and the kubelet's own HTTP endpoint.
 *
 * Concurrency: pods are synced by the WorkQueue (never the same key twice at once, up to
 * `workers` different pods in parallel). The relist (every 1 s, upstream PLEG period)
 * compares each pod's container states with the previous relist and enqueues pods that
 * changed, plus pods whose runtime state has no API object any more (orphans).
 *
 * `stop()` stops watching and leaves every container running — like a real kubelet,
 * containers outlive it, and the next kubelet adopts them.
 */
import * as http from 'node:http';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject, Node, Pod } from '../shared/api/types';
import type { KubeClient } from '../shared/client';
import type { Logger } from '../shared/logger';
import { EventRecorder } from '../shared/controller/events';
import { Informer, keyOf } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import type { ImageService } from '../images/types';
import type { Runtime } from './runtime/interface';
import { defaultPodCidr, Ipam, toLoopbackCidr } from './ipam';
import { LABEL_POD_UID } from './labels';
import { DEFAULT_MAX_PODS, NodeStatusManager } from './node-status';
import { ORPHAN_PREFIX, PodWorkers } from './pod-worker';
import { ProbeManager } from './probes';

/** Upstream PLEG relist period. */
export const PLEG_RELIST_MS = 1000;
export const DEFAULT_POD_WORKERS = 16;
/** How long stop() waits for in-flight pod syncs. */
export const STOP_WAIT_MS = 2000;

export interface KubeletOptions {
  client: KubeClient;
  nodeName: string;
  rootDir: string;
  /** 1-based; picks the loopback range 127.244.N.0/24 until the Node has a podCIDR. */
  nodeIndex: number;
  runtime: Runtime;
  images: ImageService;
  logger: Logger;
  /** Kubelet HTTP port (0 = pick). */
  port?: number;
  cpu?: number;
  memoryBytes?: number;
  maxPods?: number;
  nodeStatusUpdateFrequencyMs?: number;
  nodeLeaseDurationSeconds?: number;
  backoffScale?: number;
  relistMs?: number;
  workers?: number;
}

export class Kubelet {
  readonly hostIP = '127.0.0.1';
  private informer!: Informer<KObject>;
  private nodeInformer?: Informer<KObject>;
  private queue!: WorkQueue;
  private workersDone?: Promise<void>;
  private server?: http.Server;
  private relistTimer?: NodeJS.Timeout;
  private lastStates = new Map<string, string>();
  private relisting = false;
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  nodeStatus!: NodeStatusManager;
  pods!: PodWorkers;
  probes!: ProbeManager;
  ipam!: Ipam;
  port = 0;

  constructor(readonly o: KubeletOptions) {}

  async start(): Promise<void> {
    const { o } = this;
    const log = o.logger;
    fs.mkdirSync(o.rootDir, { recursive: true });
    this.port = await this.listen(o.port ?? 0);
    this.nodeStatus = new NodeStatusManager({
      client: o.client,
      nodeName: o.nodeName,
      logger: log,
      hostIP: this.hostIP,
      kubeletPort: this.port,
      runtimeName: o.runtime.name,
      runtimeVersion: o.runtime.version,
      cpu: o.cpu ?? os.cpus().length,
      memoryBytes: o.memoryBytes ?? os.totalmem(),
      maxPods: o.maxPods ?? DEFAULT_MAX_PODS,
      ephemeralStorageBytes: diskBytes(o.rootDir),
      statusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
      leaseDurationSeconds: o.nodeLeaseDurationSeconds,
    });
    const node = await this.nodeStatus.register();
    this.nodeStatus.start();
    const cidr = node.spec?.podCIDR ? toLoopbackCidr(node.spec.podCIDR) : toLoopbackCidr(defaultPodCidr(o.nodeIndex));
    this.ipam = new Ipam(path.join(o.rootDir, 'ipam.json'), cidr);
    log.info({ node: o.nodeName, podCIDR: cidr, network: 'loopback', runtime: o.runtime.name }, 'kubelet started: pod network in loopback mode (pod IPs are 127.x addresses)');

    const recorder = new EventRecorder(o.client, { component: 'kubelet', host: o.nodeName }, log);
    const event = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) =>
      recorder.event({ ...pod, kind: 'Pod', apiVersion: 'v1' } as never, type, reason, message, fieldPath);
    this.queue = new WorkQueue({
      baseDelayMs: 200,
      maxDelayMs: 10_000 * (o.backoffScale ?? 1),
      onError: (key, err) => log.warn({ object: key, err: String((err as Error).message ?? err) }, 'pod sync failed'),
    });
    this.probes = new ProbeManager({
      exec: (id, argv, t) => o.runtime.execSync(id, argv, t),
      event,
      onChange: (pod) => this.queue.add(keyOf(pod)),
    });
    this.informer = new Informer<KObject>(o.client, '/api/v1/pods', { fieldSelector: `spec.nodeName=${o.nodeName}`, logger: log });
    this.pods = new PodWorkers({
      client: o.client,
      runtime: o.runtime,
      images: o.images,
      ipam: this.ipam,
      probes: this.probes,
      event,
      nodeName: o.nodeName,
      hostIP: this.hostIP,
      rootDir: o.rootDir,
      logger: log,
      getPod: (key) => this.informer.get(key) as Pod | undefined,
      listPods: () => this.informer.list() as Pod[],
      backoffScale: o.backoffScale,
    });
    await this.pods.adopt();
    this.informer.on({
      add: (p) => this.queue.add(keyOf(p)),
      // Like upstream's pod config source, status-only updates (mostly our own PATCHes)
      // do not trigger a sync; spec, labels, annotations and deletion do.
      update: (old, p) => {
        if (syncRelevant(old) !== syncRelevant(p)) this.queue.add(keyOf(p));
      },
      delete: (p) => this.queue.add(keyOf(p)),
    });
    // The node IPAM controller assigns spec.podCIDR after registration: switch the pod
    // address range the moment it arrives, so pod IPs are always inside the node's range.
    this.nodeInformer = new Informer<KObject>(o.client, '/api/v1/nodes', { fieldSelector: `metadata.name=${o.nodeName}`, logger: log });
    const adoptPodCIDR = (n: KObject) => {
      const podCIDR = (n as Node).spec?.podCIDR;
      if (podCIDR && toLoopbackCidr(podCIDR) !== this.ipam.range) this.ipam.setRange(toLoopbackCidr(podCIDR));
    };
    this.nodeInformer.on({ add: adoptPodCIDR, update: (_old, n) => adoptPodCIDR(n) }).start();
    this.informer.start();
    await this.informer.waitForSync();
    this.workersDone = this.queue.runWorkers(o.workers ?? DEFAULT_POD_WORKERS, async (key) => {
      const res = await this.pods.sync(key);
      if (res?.requeueAfter !== undefined) this.requeueAfter(key, res.requeueAfter);
    });
    await this.relist();
    this.relistTimer = setInterval(() => void this.relist(), o.relistMs ?? PLEG_RELIST_MS);
  }

  /**
   * Earliest-wins delayed re-sync per pod. (The queue's own addAfter keeps the first
   * timer, which would let a 10 s resync hide a 100 ms back-off expiry.)
   */
  private requeueAfter(key: string, ms: number): void {
    const at = Date.now() + ms;
    const cur = this.timers.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.queue.add(key);
    }, ms);
    timer.unref?.();
    this.timers.set(key, { at, timer });
  }

  /** PLEG: enqueue pods whose containers changed state, and orphans. */
  private async relist(): Promise<void> {
    if (this.relisting) return;
    this.relisting = true;
    try {
      const byUid = new Map<string, string>();
      for (const p of this.informer.list()) byUid.set(p.metadata.uid!, keyOf(p));
      const states = new Map<string, string>();
      const containers = await this.o.runtime.listContainers();
      for (const c of containers) {
        const uid = c.labels?.[LABEL_POD_UID];
        if (!uid) continue;
        states.set(uid, `${states.get(uid) ?? ''}|${c.id}:${c.state}`);
      }
      for (const [uid, sig] of states) {
        if (this.lastStates.get(uid) === sig) continue;
        const key = byUid.get(uid);
        if (key) this.queue.add(key);
      }
      this.lastStates = states;
      for (const uid of await this.pods.findOrphans(containers)) this.queue.add(`${ORPHAN_PREFIX}${uid}`);
      // The node IPAM controller may have assigned a podCIDR since registration.
      const cidr = this.nodeStatus.node?.spec?.podCIDR;
      if (cidr && toLoopbackCidr(cidr) !== this.ipam.range) this.ipam.setRange(toLoopbackCidr(cidr));
    } catch (err) {
      this.o.logger.warn({ err: String((err as Error).message ?? err) }, 'relist failed');
    } finally {
      this.relisting = false;
    }
  }

  private listen(port: number): Promise<number> {
    // The kubelet's own endpoint; logs/exec/port-forward arrive here in a later issue.
    this.server = http.createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        const a = this.server!.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  /** Stops watching and syncing; containers keep running (they outlive the kubelet). */
  async stop(): Promise<void> {
    clearInterval(this.relistTimer);
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.nodeStatus?.stop();
    this.probes?.stop();
    this.queue?.shutdown();
    await this.informer?.stop();
    await this.nodeInformer?.stop();
    // A sync may be waiting out a container's grace period; the kubelet does not wait
    // for it (nothing is lost: the next kubelet picks the pod up where it stands).
    await Promise.race([this.workersDone, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function diskBytes(dir: string): number {
  try {
    const s = fs.statfsSync(dir);
    return s.blocks * s.bsize;
  } catch {
    return 0;
  }
}

/** What of a pod, when changed, calls for a sync (upstream checkAndUpdatePod). */
function syncRelevant(p: KObject): string {
  const md = p.metadata;
  return JSON.stringify([p.spec, md.uid, md.labels, md.annotations, md.deletionTimestamp, md.deletionGracePeriodSeconds]);
}
