/**
 * Controllers benchmark (issue 5): how long the control plane — API server, scheduler,
 * controller manager, as real processes — takes to bring a Deployment from 0 to N Ready
 * replicas, and to roll it to a new template (maxSurge/maxUnavailable 25%), with pods on
 * hollow nodes so no container is ever started: only the control plane is measured.
 *
 * Hollow nodes: this process registers NODES Node objects (Ready, roomy allocatable),
 * creates their Leases in kube-node-lease and renews them every LEASE_RENEW_MS (so
 * node-lifecycle never marks them down), and runs a hollow kubelet: one informer on the
 * benchmark's pods; a pod bound to a node gets one merge patch of its status to Running
 * and Ready, a pod with a deletionTimestamp gets a DELETE with gracePeriodSeconds 0. At
 * most KUBELET_CONCURRENCY of those writes are in flight (a FIFO queue; a pod uid is
 * written at most once per action).
 *
 * Baseline, same run, same API server: N pods POSTed with spec.nodeName already set
 * (KUBELET_CONCURRENCY in flight), then marked Ready by the same hollow kubelet; the time
 * until the informer has seen all N Ready is what raw API writes cost, and the ratio of
 * each figure to it is the control plane's overhead on top.
 *
 * Timing: the Deployment is read every POLL_MS; "ready" = readyReplicas and
 * availableReplicas = N; "rolled out" = kubectl rollout status's definition. Every phase
 * is bounded (PHASE_TIMEOUT_MS); children are killed and the LevelDB dir removed on
 * every path (common.ts).
 *
 * Run alone: `node dist/bench/controllers.js [--quick] [--write]`; --write (full runs
 * only) replaces just this benchmark's section of BENCHMARKS.md.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeClient, PATCH_CONTENT_TYPES } from '../shared/client';
import { Informer } from '../shared/controller/informer';
import { ApiError } from '../shared/api/errors';
import type { KObject, Pod } from '../shared/api/types';
import { CpuMeter, MachineMeter, fmtMs, fmtPct, fmtRatio, removeTempDir, rssMiB, sleep, spawnNode, tempDir, type Child, type CpuUse } from './common';
import { figureLine, type BaselineRow, type BenchOptions, type BenchReport, type Benchmark, type Figure, type ResourceRow } from './report';
import { writeSection } from './pods';

// ------------------------------------------------------------------ sizes and targets

const FULL = { replicas: 500, nodes: 20 };
const QUICK = { replicas: 50, nodes: 5 };
const TARGET = { readyMs: 10_000, rolloutMs: 30_000 };

/** Hollow kubelet writes (status patches and final deletes) in flight at once. */
const KUBELET_CONCURRENCY = 32;
/** Upstream kubelet renews its node lease every 10 s (lease duration 40 s). */
const LEASE_RENEW_MS = 10_000;
const LEASE_DURATION_SECONDS = 40;
const POLL_MS = 100;
const PHASE_TIMEOUT_MS = 180_000;
const RSS_SAMPLE_MS = 200;
/** After the components start, before the first measured phase: informers sync. */
const SETTLE_MS = 2_000;

const NS = 'bench-deploy';
const RAW_NS = 'bench-raw';
const LEASE_NS = 'kube-node-lease';
const DEPLOY = 'bench';
const DIST = path.resolve(__dirname, '..');
const ROOT = path.resolve(DIST, '..');
const MERGE = PATCH_CONTENT_TYPES.merge;

// ------------------------------------------------------------------ hollow nodes and kubelet

const microTime = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

async function createIgnoringExists(client: KubeClient, p: string, body: unknown): Promise<void> {
  try {
    await client.request('POST', p, { body });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
}

async function registerNodes(client: KubeClient, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `hollow-${String(i).padStart(3, '0')}`);
  await createIgnoringExists(client, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEASE_NS } });
  await Promise.all(
    names.map(async (name) => {
      await client.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, type: 'hollow' } }, spec: {} } });
      const now = new Date().toISOString();
      const res = { cpu: '64', memory: '256Gi', pods: '110' };
      await client.request('PATCH', `/api/v1/nodes/${name}/status`, {
        contentType: MERGE,
        body: { status: { capacity: res, allocatable: res, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow', lastHeartbeatTime: now, lastTransitionTime: now }], nodeInfo: { kubeletVersion: 'hollow' } } },
      });
      await client.request('POST', `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases`, {
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime() } },
      });
    }),
  );
  return names;
}

/**
 * The hollow kubelet: Ready status for bound pods, final delete for terminating ones.
 * One FIFO of writes drained by KUBELET_CONCURRENCY workers; `readyAt` records when the
 * informer first saw each pod Ready (the watch's view, as a controller would see it).
 */
class HollowKubelet {
  private readonly queue: Array<() => Promise<void>> = [];
  private inFlight = 0;
  private readonly marked = new Set<string>();
  private readonly deleted = new Set<string>();
  private ip = 0;
  readonly ready = new Map<string, number>();
  writes = 0;
  errors = 0;
  lastError = '';
  private readonly informers: Informer<Pod & KObject>[] = [];

  constructor(private readonly client: KubeClient) {}

  watch(namespace: string): Promise<void> {
    const inf = new Informer<Pod & KObject>(this.client, `/api/v1/namespaces/${namespace}/pods`);
    const on = (p: Pod & KObject) => this.observe(p);
    inf.on({ add: on, update: (_o, p) => on(p) });
    this.informers.push(inf.start());
    return inf.waitForSync();
  }

  async stop(): Promise<void> {
    this.queue.length = 0;
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private observe(p: Pod & KObject): void {
    const md = p.metadata!;
    const uid = md.uid ?? `${md.namespace}/${md.name}`;
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !this.ready.has(uid)) this.ready.set(uid, performance.now());
    const podPath = `/api/v1/namespaces/${md.namespace}/pods/${md.name}`;
    if (md.deletionTimestamp) {
      if (this.deleted.has(uid)) return;
      this.deleted.add(uid);
      this.enqueue(() => this.client.request('DELETE', podPath, { body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } } }).then(() => undefined));
      return;
    }
    if (!p.spec?.nodeName || this.marked.has(uid) || p.status?.phase === 'Running') return;
    this.marked.add(uid);
    const n = this.ip++;
    const podIP = `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
    this.enqueue(async () => {
      const now = new Date().toISOString();
      const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
      const containers = (p.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image, imageID: `hollow://${c.image}`, containerID: `hollow://${uid}/${c.name}`, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } }));
      await this.client.request('PATCH', `${podPath}/status`, {
        contentType: MERGE,
        body: { status: { phase: 'Running', hostIP: '127.0.0.1', podIP, podIPs: [{ ip: podIP }], startTime: now, conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond), containerStatuses: containers } },
      });
    });
  }

  private enqueue(write: () => Promise<void>): void {
    this.queue.push(write);
    this.drain();
  }

  private drain(): void {
    while (this.inFlight < KUBELET_CONCURRENCY && this.queue.length) {
      const w = this.queue.shift()!;
      this.inFlight++;
      w()
        .catch((err) => {
          // 404: the pod went away first (a delete raced us) — nothing left to do.
          if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
          this.errors++;
          this.lastError = String(err?.message ?? err);
        })
        .finally(() => {
          this.writes++;
          this.inFlight--;
          this.drain();
        });
    }
  }
}

// ------------------------------------------------------------------ measuring

interface Meters {
  cpu: Map<string, CpuMeter>;
  machine: MachineMeter;
  rssPeak: Map<string, number>;
  timer: NodeJS.Timeout;
}

function startMeters(pids: Map<string, number>): Meters {
  const rssPeak = new Map<string, number>();
  const sample = () => {
    for (const [n, pid] of pids) rssPeak.set(n, Math.max(rssPeak.get(n) ?? 0, rssMiB(pid) || 0));
  };
  sample();
  return { cpu: new Map([...pids].map(([n, pid]) => [n, new CpuMeter(pid).start()])), machine: new MachineMeter().start(), rssPeak, timer: setInterval(sample, RSS_SAMPLE_MS) };
}

interface PhaseUse {
  cpu: Map<string, CpuUse>;
  rssPeak: Map<string, number>;
  machinePct: number;
  stealPct: number;
}

function stopMeters(m: Meters): PhaseUse {
  clearInterval(m.timer);
  const machine = m.machine.stop();
  return { cpu: new Map([...m.cpu].map(([n, c]) => [n, c.stop()])), rssPeak: m.rssPeak, machinePct: machine.busyPct, stealPct: machine.stealPct };
}

interface DeployStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  observedGeneration?: number;
}

/** Polls the Deployment every POLL_MS until `done`; resolves with ms since t0, or throws after PHASE_TIMEOUT_MS. */
async function pollUntil(client: KubeClient, t0: number, what: string, done: (d: { metadata: { generation?: number }; status?: DeployStatus }) => boolean): Promise<number> {
  const p = `/apis/apps/v1/namespaces/${NS}/deployments/${DEPLOY}`;
  let last: unknown;
  while (performance.now() - t0 < PHASE_TIMEOUT_MS) {
    const d = await client.request<{ metadata: { generation?: number }; status?: DeployStatus }>('GET', p);
    last = d.status;
    if (done(d)) return performance.now() - t0;
    await sleep(POLL_MS);
  }
  throw new Error(`${what}: not reached within ${PHASE_TIMEOUT_MS} ms; last status ${JSON.stringify(last)}`);
}

function deployment(replicas: number, image: string): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: DEPLOY },
    spec: {
      replicas,
      selector: { matchLabels: { app: DEPLOY } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: DEPLOY } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

// ------------------------------------------------------------------ the benchmark

async function runControllersBench(o: BenchOptions): Promise<BenchReport> {
  const log = (l: string) => o.log(`  ${l}`);
  const S = o.quick ? QUICK : FULL;
  const judged = o.quick ? undefined : true;
  const N = S.replicas;
  const dataDir = tempDir('controllers', o.dataRoot);
  const children: Child[] = [];
  let kubelet: HollowKubelet | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  try {
    const api = spawnNode('apiserver', path.join(DIST, 'apiserver', 'main.js'), ['--port', '0', '--data-dir', dataDir], { K8TS_LOG_PRETTY: '0' });
    children.push(api);
    const rec = await api.waitFor('API server listening', 30_000);
    const server = `http://127.0.0.1:${rec.port}`;
    const client = new KubeClient({ server, userAgent: 'k8ts-bench-controllers', timeoutMs: 30_000 });
    log(`API server ${server} (LevelDB in ${dataDir})`);

    const nodes = await registerNodes(client, S.nodes);
    leaseTimer = setInterval(() => {
      for (const name of nodes) {
        client.request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases/${name}`, { contentType: MERGE, body: { spec: { renewTime: microTime() } } }).catch(() => undefined);
      }
    }, LEASE_RENEW_MS);
    log(`${S.nodes} hollow nodes registered (64 CPU, 256Gi, 110 pods each), leases renewed every ${LEASE_RENEW_MS / 1000} s`);
    for (const ns of [NS, RAW_NS]) await createIgnoringExists(client, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

    kubelet = new HollowKubelet(client);
    await kubelet.watch(RAW_NS);
    await kubelet.watch(NS);

    // ---- baseline: raw pod writes + hollow kubelet, no scheduler or controllers running yet
    log(`baseline — ${N} pods POSTed with nodeName set (${KUBELET_CONCURRENCY} in flight), marked Ready by the hollow kubelet`);
    const pids0 = new Map([['apiserver', api.pid], ['bench', process.pid]]);
    let m = startMeters(pids0);
    const tb = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: KUBELET_CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          await client.request('POST', `/api/v1/namespaces/${RAW_NS}/pods`, {
            body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `raw-${i}`, labels: { app: 'raw' } }, spec: { nodeName: nodes[i % nodes.length], containers: [{ name: 'web', image: 'nginx:1.28', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
          });
        }
      }),
    );
    const createdMs = performance.now() - tb;
    const rawReady = () => [...kubelet!.ready.keys()].length;
    for (;;) {
      if (rawReady() >= N) break;
      if (performance.now() - tb > PHASE_TIMEOUT_MS) throw new Error(`baseline: only ${rawReady()} of ${N} pods Ready after ${PHASE_TIMEOUT_MS} ms (${kubelet.errors} write errors, last: ${kubelet.lastError})`);
      await sleep(10);
    }
    const baseMs = performance.now() - tb;
    const baseUse = stopMeters(m);
    log(`baseline: ${N} pods created in ${fmtMs(createdMs)}, all Ready in ${fmtMs(baseMs)}`);

    // ---- the control plane
    const sched = spawnNode('scheduler', path.join(DIST, 'scheduler', 'main.js'), ['--server', server], { K8TS_LOG_PRETTY: '0' });
    children.push(sched);
    const cm = spawnNode('controller-manager', path.join(DIST, 'controller-manager', 'main.js'), ['--server', server], { K8TS_LOG_PRETTY: '0' });
    children.push(cm);
    await cm.waitFor('controller manager started', 30_000);
    await sleep(SETTLE_MS);
    if (sched.proc.exitCode !== null) throw new Error(`scheduler exited:\n${sched.tail()}`);
    const pids = new Map([['controller-manager', cm.pid], ['scheduler', sched.pid], ['apiserver', api.pid], ['bench', process.pid]]);

    log(`phase 1 — Deployment ${NS}/${DEPLOY} with ${N} replicas → readyReplicas = availableReplicas = ${N}`);
    m = startMeters(pids);
    const t1 = performance.now();
    await client.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, { body: deployment(N, 'nginx:1.28') });
    const readyMs = await pollUntil(client, t1, 'ready', (d) => d.status?.readyReplicas === N && d.status?.availableReplicas === N);
    const readyUse = stopMeters(m);
    log(`ready: ${fmtMs(readyMs)}`);

    log(`phase 2 — image nginx:1.28 → nginx:1.29, maxSurge 25%, maxUnavailable 25% → rollout complete`);
    m = startMeters(pids);
    const t2 = performance.now();
    await client.request('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/${DEPLOY}`, { contentType: MERGE, body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.29', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } } } });
    const rollMs = await pollUntil(
      client,
      t2,
      'rollout',
      (d) => d.status?.updatedReplicas === N && d.status?.availableReplicas === N && d.status?.replicas === N && (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0),
    );
    const rollUse = stopMeters(m);
    log(`rolled out: ${fmtMs(rollMs)}`);
    // Cross-check the controllers' status against the pods themselves.
    const pods = await client.request<{ items: Pod[] }>('GET', `/api/v1/namespaces/${NS}/pods`);
    const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
    const updated = live.filter((p) => p.spec?.containers?.[0]?.image === 'nginx:1.29' && p.status?.phase === 'Running').length;
    const usedNodes = new Set(live.map((p) => p.spec?.nodeName)).size;
    log(`pods after the rollout: ${pods.items.length} (${updated} Running on nginx:1.29, ${pods.items.length - live.length} terminating) on ${usedNodes} of ${S.nodes} nodes`);
    if (updated !== N) throw new Error(`rollout reported complete but ${updated} of ${N} pods run the new image`);
    if (kubelet.errors) log(`hollow kubelet: ${kubelet.errors} failed writes of ${kubelet.writes} (last: ${kubelet.lastError})`);

    // ---- report
    const figures: Figure[] = [];
    const figure = (f: Figure) => {
      figures.push(f);
      o.log(`  ${figureLine(f)}`);
    };
    const baseLabel = `raw ${N} pods → Ready ${fmtMs(baseMs)}`;
    figure({
      label: `deployment 0→${N} Ready`,
      value: fmtMs(readyMs),
      target: o.quick ? `≤ ${fmtMs(TARGET.readyMs)} at 500` : `≤ ${fmtMs(TARGET.readyMs)}`,
      met: judged && readyMs <= TARGET.readyMs,
      baseline: baseLabel,
      ratio: `${fmtRatio(readyMs / baseMs)} raw`,
    });
    figure({
      label: `rolling update of ${N}`,
      value: fmtMs(rollMs),
      target: o.quick ? `≤ ${fmtMs(TARGET.rolloutMs)} at 500` : `≤ ${fmtMs(TARGET.rolloutMs)}`,
      met: judged && rollMs <= TARGET.rolloutMs,
      baseline: baseLabel,
      // A rollout creates N new pods and deletes N old ones: compare with twice the raw creates.
      ratio: `${fmtRatio(rollMs / baseMs)} raw (${fmtRatio(rollMs / (2 * baseMs))} 2× raw)`,
    });
    const cpuOf = (u: PhaseUse, n: string) => u.cpu.get(n);
    const cmLine = (u: PhaseUse) => `${fmtPct(cpuOf(u, 'controller-manager')!.processPct)} (JS thread ${fmtPct(cpuOf(u, 'controller-manager')!.mainThreadPct)}), RSS peak ${Math.round(u.rssPeak.get('controller-manager') ?? NaN)} MiB`;
    const schedLine = (u: PhaseUse) => `${fmtPct(cpuOf(u, 'scheduler')!.processPct)} (JS thread ${fmtPct(cpuOf(u, 'scheduler')!.mainThreadPct)}), RSS peak ${Math.round(u.rssPeak.get('scheduler') ?? NaN)} MiB`;
    for (const [phase, u] of [['create', readyUse], ['rollout', rollUse]] as const) {
      figure({ label: `controller-manager during ${phase}`, value: cmLine(u), target: 'none (reported)', met: undefined, baseline: 'none', ratio: '—' });
      figure({ label: `scheduler during ${phase}`, value: schedLine(u), target: 'none (reported)', met: undefined, baseline: 'none', ratio: '—' });
    }

    const baselines: BaselineRow[] = [
      {
        label: `raw ${N} pods → Ready`,
        value: `${fmtMs(baseMs)} (POSTs done at ${fmtMs(createdMs)})`,
        how: `${N} pods POSTed with spec.nodeName set (${KUBELET_CONCURRENCY} in flight) to the same API server before the scheduler and controller manager start; the same hollow kubelet patches each to Ready; time until its informer has seen all ${N} Ready`,
      },
    ];
    o.log(`  baseline raw ${N} pods → Ready: ${fmtMs(baseMs)}`);

    const resources: ResourceRow[] = [];
    const rest = (u: PhaseUse) => {
      const ours = [...u.cpu.values()].reduce((a, c) => a + c.processPct, 0);
      return `${fmtPct(Math.max(0, u.machinePct - ours))}${u.stealPct >= 1 ? ` + steal ${fmtPct(u.stealPct)}` : ''}`;
    };
    for (const [phase, u] of [['baseline (raw pods)', baseUse], ['deployment create → Ready', readyUse], ['rolling update', rollUse]] as const) {
      const a = u.cpu.get('apiserver')!;
      resources.push({
        phase,
        serverProcessCpu: `apiserver ${fmtPct(a.processPct)}`,
        serverMainThreadCpu: `apiserver ${fmtPct(a.mainThreadPct)}`,
        clientCpu: fmtPct(u.cpu.get('bench')!.processPct),
        othersCpu: rest(u),
        extra: u.cpu.has('controller-manager')
          ? `controller-manager ${fmtPct(u.cpu.get('controller-manager')!.processPct)} (JS ${fmtPct(u.cpu.get('controller-manager')!.mainThreadPct)}), scheduler ${fmtPct(u.cpu.get('scheduler')!.processPct)} (JS ${fmtPct(u.cpu.get('scheduler')!.mainThreadPct)})`
          : 'scheduler and controller manager not started',
      });
      o.log(`  CPU ${phase}: ${resources[resources.length - 1].serverProcessCpu} (JS ${fmtPct(a.mainThreadPct)}), bench ${resources[resources.length - 1].clientCpu}, ${resources[resources.length - 1].extra}, rest ${rest(u)}`);
    }

    // ---- notes: which JS thread was busiest in each phase
    const notes: string[] = [];
    const warnings: string[] = [];
    for (const [phase, u, ms] of [['create → Ready', readyUse, readyMs], ['rolling update', rollUse, rollMs]] as const) {
      const threads = [...u.cpu].map(([n, c]) => [n, c.mainThreadPct] as const).sort((a, b) => b[1] - a[1]);
      const [top, pct] = threads[0];
      const list = threads.map(([n, p]) => `${n} ${fmtPct(p)}`).join(', ');
      const capacity = 100 * (os.availableParallelism?.() ?? os.cpus().length);
      notes.push(
        u.machinePct >= 0.85 * capacity
          ? `${phase} (${fmtMs(ms)}): the machine's cores were nearly all busy (${fmtPct(u.machinePct)} of ${capacity}%) though no single JS thread was saturated (${list}) — the API server, scheduler, controller manager and hollow kubelet compete for ${capacity / 100} cores, so CPU bounds this phase; the API server (the hub every write and watch event goes through) is the largest consumer.`
          : pct >= 85
          ? `${phase} (${fmtMs(ms)}): the ${top} JS thread was saturated (${fmtPct(pct)} of a core; ${list}) — it is what limits this phase.`
          : `${phase} (${fmtMs(ms)}): no JS thread saturated (${list}; machine ${fmtPct(u.machinePct)} of ${capacity}%) — waiting (work-queue hand-offs, watch round trips, sequential steps of the rollout) sets the time, not CPU.`,
      );
      const others = Math.max(0, u.machinePct - [...u.cpu.values()].reduce((a, c) => a + c.processPct, 0));
      if (others >= 40) warnings.push(`other work on this shared machine used ${fmtPct(others)} of a core during ${phase}; that figure understates k8ts.`);
    }
    notes.push(`Baseline ${fmtMs(baseMs)} for ${N} raw pods = API writes (create + status patch per pod) and one watch, with no scheduling or controller work; the figures' ratios to it are the control plane's overhead.`);
    for (const f of figures) if (f.met === false) notes.push(`**MISSED** ${f.label}: ${f.value}; target ${f.target}.`);
    if (kubelet.errors) warnings.push(`hollow kubelet: ${kubelet.errors} of ${kubelet.writes} writes failed (last: ${kubelet.lastError})`);
    o.log('  notes on limits:');
    for (const n of notes) o.log(`    - ${n.replace(/\*\*/g, '')}`);
    for (const w of warnings) o.log(`  WARNING: ${w}`);

    return {
      name: 'controllers',
      title: `Deployment of ${N} replicas on ${S.nodes} hollow nodes: 0 → Ready and rolling update`,
      method: [
        `Processes on 127.0.0.1: \`dist/apiserver/main.js --port 0 --data-dir <temp>\` (LevelDB, the realistic storage), \`dist/scheduler/main.js --server URL\`, \`dist/controller-manager/main.js --server URL\` (all controllers, default flags).`,
        `Hollow nodes: ${S.nodes} Nodes created by the bench (allocatable cpu 64, memory 256Gi, pods 110; Ready True) with Leases in kube-node-lease renewed every ${LEASE_RENEW_MS / 1000} s. The hollow kubelet in the bench process: an informer per namespace on pods; a bound pod gets one merge patch of pods/status (Running; Initialized, Ready, ContainersReady, PodScheduled True; containerStatuses ready/started/running; podIP); a terminating pod is DELETEd with gracePeriodSeconds 0; ≤ ${KUBELET_CONCURRENCY} writes in flight.`,
        `Phase 1: POST a Deployment (replicas ${N}, image nginx:1.28, requests 10m/16Mi, maxSurge 25%, maxUnavailable 25%), GET it every ${POLL_MS} ms until readyReplicas = availableReplicas = ${N}. Phase 2: merge-patch the image to nginx:1.29, poll until updatedReplicas = availableReplicas = replicas = ${N} and observedGeneration ≥ generation (kubectl rollout status). Times from the request sent.`,
        `Baseline (same run, same API server, before the scheduler and controller manager start): ${N} pods POSTed with spec.nodeName set, ${KUBELET_CONCURRENCY} in flight, made Ready by the same hollow kubelet; time until its informer saw all ${N} Ready.`,
        `CPU: utime+stime deltas from /proc/PID/stat over each phase (process = all threads, JS = main thread), RSS peak from /proc/PID/status sampled every ${RSS_SAMPLE_MS} ms. "bench client" = this process (hollow kubelet, poller, lease renewals).`,
      ],
      figures,
      baselines,
      resources,
      notes,
      warnings,
    };
  } finally {
    if (leaseTimer) clearInterval(leaseTimer);
    await kubelet?.stop().catch(() => undefined);
    for (const c of children.reverse()) await c.stop(5_000);
    removeTempDir(dataDir);
  }
}

export const controllersBenchmark: Benchmark = { name: 'controllers', run: runControllersBench };

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runControllersBench({ quick, dataRoot: os.tmpdir(), log: (l) => console.log(l) })
    .then((report) => {
      if (process.argv.includes('--write') && !quick) {
        const file = path.join(ROOT, 'BENCHMARKS.md');
        writeSection(file, report);
        console.log(`wrote the controllers section of ${file}`);
      }
      process.exit(0);
    })
    .catch((err) => {
      console.error(`bench controllers: ${err?.stack ?? err}`);
      process.exit(1);
    });
}
