/**
 * Pod startup benchmark: how fast a whole local cluster (`k8ts up --nodes 2`: API server,
 * registry, scheduler, controller manager, two kubelets) turns created pods into Running
 * ones, and what each running pod costs in memory, measured in one run beside the raw
 * limit — bare `child_process.spawn` of the same commands by this process, same count,
 * same concurrency.
 *
 * Scenarios: N pods of a tiny native command (busybox `sleep 3600`) and of a Node-based
 * image (luksa/kubia, `node app.js`), N = 100 and 500 (10 with --quick). A full run gives
 * every scenario a fresh cluster (so "idle" really is idle); --quick runs both in one.
 *
 * Concurrency model: closed loop on Running. At most CONCURRENCY pods are between "create
 * request sent" and "Running seen on the watch"; each Running (or failure) frees a slot
 * for the next create. One watch on the namespace, opened before the first create, is
 * the only source of Running; latency = Running line received − create request sent
 * (both this process's performance.now()).
 *
 * Memory: VmRSS (and Pss, which splits shared pages fairly) of every process under the
 * kubelets — the kubelets, one Node holder per container (kubelet/runtime/holder.ts), and
 * the container processes — found by walking /proc from the kubelet PIDs, before the
 * first create and after the last pod has been Running for SETTLE_MS.
 *
 * Safety: a scenario that would not fit in memory (estimated from the smaller run's Pss
 * per pod) is skipped and reported as such; creates stop if MemAvailable falls below
 * MEM_FLOOR_BYTES. Every loop is bounded by count and time. The cluster is stopped with
 * SIGTERM to `up` (which stops every component and container) and waited for; then any
 * process still alive whose cmdline holds the temp home dir, or that was seen under a
 * kubelet, is SIGKILLed and counted; the home dir is removed (common.ts also does that
 * on error and ^C).
 *
 * Run alone: `node dist/bench/pods.js [--quick] [--write]`; --write (full runs only)
 * replaces just this benchmark's section of BENCHMARKS.md, leaving the others as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'undici';
import {
  CpuMeter,
  MachineMeter,
  describeMachine,
  fmtBytes,
  fmtInt,
  fmtMs,
  fmtPct,
  fmtRatio,
  latency,
  removeTempDir,
  rssMiB,
  sleep,
  spawnNode,
  tempDir,
  type Child,
  type Latency,
} from './common';
import { figureLine, renderMarkdown, type BaselineRow, type BenchOptions, type BenchReport, type Benchmark, type Figure, type ResourceRow } from './report';

// ------------------------------------------------------------------ sizes and targets

type Kind = 'native' | 'node';

interface Scenario {
  kind: Kind;
  n: number;
}

/** Scenarios sharing one cluster, in order. */
const FULL: Scenario[][] = [[{ kind: 'native', n: 100 }], [{ kind: 'node', n: 100 }], [{ kind: 'native', n: 500 }], [{ kind: 'node', n: 500 }]];
const QUICK: Scenario[][] = [[{ kind: 'native', n: 10 }, { kind: 'node', n: 10 }]];

/** Pods (or baseline processes) between "started" and "running" at once. */
const CONCURRENCY = 32;
/** 500 pods on 2 nodes need more than Kubernetes' default 110 per node (and fit the /24 pod range). */
const MAX_PODS_PER_NODE = 300;
/** After the last pod is Running, before memory is read: Node processes finish loading. */
const SETTLE_MS = 3_000;
/** Before the first create: the kubelets finish registering and their heaps settle. */
const IDLE_MS = 3_000;
const CLUSTER_READY_MS = 90_000;
/** `up` stops containers with a 10 s grace (sleep as PID 1 ignores SIGTERM), in parallel. */
const CLUSTER_STOP_MS = 180_000;
/** Per-scenario bound: fixed part + per pod. */
const SCENARIO_BASE_MS = 60_000;
const SCENARIO_PER_POD_MS = 1_000;
/** Stop creating when the machine has less than this available. */
const MEM_FLOOR_BYTES = 3 * 1024 ** 3;
/** Skip a scenario whose estimated footprint exceeds this share of MemAvailable. */
const MEM_BUDGET_SHARE = 0.6;
/** After `up` has exited, how long holders may take to record their containers' exit and go. */
const LEFTOVER_GRACE_MS = 10_000;
/** Other work (% of one core) above which a phase counts as contended. */
const CONTENDED_PCT = 40;

const TARGET = {
  podsPerSec: { native: 150, node: 20 } as Record<Kind, number>,
  p99Ms: 1_000,
  p99AtPods: 100,
  kubeletRssMiB: 64,
  kubeletBytesPerPod: 16 * 1024,
};

const NAMESPACE = 'default';
const PODS = `/api/v1/namespaces/${NAMESPACE}/pods`;
const DIST = path.resolve(__dirname, '..');
const ROOT = path.resolve(DIST, '..');
const KUBIA_ROOTFS = path.join(ROOT, 'images', 'catalog', 'kubia', 'rootfs');

const KIND_LABEL: Record<Kind, string> = { native: 'native (busybox sleep)', node: 'Node-based (luksa/kubia)' };

function podManifest(kind: Kind, name: string): string {
  const container =
    kind === 'native'
      ? { name: 'c', image: 'busybox', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent' }
      : { name: 'c', image: 'luksa/kubia', imagePullPolicy: 'IfNotPresent' };
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench-pods' } }, spec: { terminationGracePeriodSeconds: 1, containers: [container] } });
}

/** The baseline: the same command, spawned directly. */
function baselineCommand(kind: Kind): { cmd: string; args: string[]; cwd?: string; env?: NodeJS.ProcessEnv } {
  return kind === 'native'
    ? { cmd: 'sleep', args: ['3600'] }
    : // PORT=0: an ephemeral port each, where pods each have their own IP.
      { cmd: process.execPath, args: ['app.js'], cwd: KUBIA_ROOTFS, env: { ...process.env, PORT: '0', POD_IP: '127.0.0.1' } };
}

// ------------------------------------------------------------------ /proc

function memAvailableBytes(): number {
  const m = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : os.freemem();
}

function pssKiB(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Linux's USER_HZ, the unit of /proc/PID/stat times: 100 on every architecture Node runs on. */
const USER_HZ = 100;

interface ProcEntry {
  ppid: number;
  /** Start time (field 22): tells a reused PID apart. */
  start: string;
  /** utime + stime so far (ticks of 1/USER_HZ s). */
  ticks: number;
}

/** Every process: pid → ppid, start time and CPU used so far. */
function processTable(): Map<number, ProcEntry> {
  const t = new Map<number, ProcEntry>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      t.set(Number(e), { ppid: Number(f[1]), start: f[19], ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return t;
}

function descendants(roots: number[], table = processTable()): number[] {
  const kids = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) kids.set(ppid, [...(kids.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [...roots];
  // Bounded: each PID is visited once (the table is a forest).
  const seen = new Set<number>();
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const k of kids.get(p) ?? []) {
      out.push(k);
      todo.push(k);
    }
  }
  return out;
}

interface Group {
  count: number;
  rssKiB: number;
  pssKiB: number;
}

interface Snapshot {
  kubelets: Array<{ pid: number; rssKiB: number }>;
  kubelet: Group;
  holders: Group;
  containers: Group;
  /** Every process seen (pid → start time), for the leftover check. */
  pids: Map<number, string>;
  /** CPU seconds used so far by the holders and container processes alive now. */
  podCpuSeconds: number;
}

function snapshot(kubeletPids: number[]): Snapshot {
  const table = processTable();
  const g = (): Group => ({ count: 0, rssKiB: 0, pssKiB: 0 });
  const s: Snapshot = { kubelets: [], kubelet: g(), holders: g(), containers: g(), pids: new Map(), podCpuSeconds: 0 };
  const add = (grp: Group, pid: number) => {
    const rss = rssMiB(pid) * 1024;
    const pss = pssKiB(pid);
    if (!Number.isFinite(rss)) return;
    grp.count += 1;
    grp.rssKiB += rss;
    grp.pssKiB += Number.isFinite(pss) ? pss : 0;
    s.pids.set(pid, table.get(pid)?.start ?? '');
    return rss;
  };
  for (const k of kubeletPids) s.kubelets.push({ pid: k, rssKiB: add(s.kubelet, k) ?? NaN });
  for (const pid of descendants(kubeletPids, table)) {
    add(cmdline(pid).includes('holder.js') ? s.holders : s.containers, pid);
    s.podCpuSeconds += (table.get(pid)?.ticks ?? 0) / USER_HZ;
  }
  return s;
}

const totalRss = (s: Snapshot) => s.kubelet.rssKiB + s.holders.rssKiB + s.containers.rssKiB;
const totalPss = (s: Snapshot) => s.kubelet.pssKiB + s.holders.pssKiB + s.containers.pssKiB;
const maxKubeletMiB = (s: Snapshot) => Math.max(...s.kubelets.map((k) => k.rssKiB)) / 1024;
const kib = (n: number) => (n < 0 ? '−' : '') + fmtBytes(Math.round(Math.abs(n) * 1024));

// ------------------------------------------------------------------ the cluster

interface Cluster {
  child: Child;
  home: string;
  origin: string;
  pool: Pool;
  kubeletPids: number[];
  /** apiserver, scheduler, controller-manager, registry (name → pid). */
  controlPlane: Map<string, number>;
  /** Every PID seen under the kubelets, for the leftover check. */
  seen: Map<number, string>;
}

/** Clusters not yet stopped: what the exit hook must not leave behind. */
const liveClusters = new Set<Cluster>();
let exitHooked = false;

/**
 * On an abnormal exit (error thrown past us, ^C, SIGTERM) common.ts SIGKILLs `up`, which
 * then cannot stop its components and containers; this synchronous hook SIGKILLs what it
 * would have stopped: every process under the kubelets and the control plane, those
 * processes, and whatever's cmdline holds the cluster's home dir.
 */
function hookClusterExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const c of liveClusters) {
      const table = processTable();
      const roots = [...c.kubeletPids, ...c.controlPlane.values()];
      const doomed = new Set([...roots, ...descendants(roots, table), ...[...table.keys()].filter((pid) => pid !== process.pid && cmdline(pid).includes(c.home))]);
      for (const pid of doomed) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  });
}

function freePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port N with N+1 (the registry) free too. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await freePort(p)) && (await freePort(p + 1))) return p;
  }
  throw new Error('no free port pair found');
}

async function getJson(pool: Pool, p: string): Promise<{ status: number; body: any }> {
  const res = await pool.request({ method: 'GET', path: p, headers: { accept: 'application/json' } });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

async function startCluster(dataRoot: string, log: (l: string) => void): Promise<Cluster> {
  const home = tempDir('pods', dataRoot);
  const port = await freePortPair();
  const args = ['up', '--home', home, '--port', String(port), '--nodes', '2', `--kubelet-arg=--max-pods=${MAX_PODS_PER_NODE}`];
  const child = spawnNode('cluster', path.join(DIST, 'cli', 'main.js'), args, { K8TS_LOG_PRETTY: '0' });
  const origin = `http://127.0.0.1:${port}`;
  const pool = new Pool(origin, { connections: CONCURRENCY + 4, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 0 });
  const cluster: Cluster = { child, home, origin, pool, kubeletPids: [], controlPlane: new Map(), seen: new Map() };
  hookClusterExit();
  liveClusters.add(cluster);
  try {
    const deadline = performance.now() + CLUSTER_READY_MS;
    for (;;) {
      if (child.proc.exitCode !== null) throw new Error(`k8ts up exited (${child.proc.exitCode}):\n${child.tail()}`);
      if (performance.now() > deadline) throw new Error(`the cluster's 2 nodes were not Ready within ${CLUSTER_READY_MS} ms:\n${child.tail()}`);
      try {
        const r = await getJson(pool, '/api/v1/nodes');
        const ready = (r.body?.items ?? []).filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
        if (ready.length === 2) break;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    for (const pid of descendants([child.pid])) {
      const c = cmdline(pid);
      if (c.includes('kubelet/main.js')) cluster.kubeletPids.push(pid);
      else for (const name of ['apiserver', 'scheduler', 'controller-manager', 'images']) if (c.includes(`dist/${name}/main.js`)) cluster.controlPlane.set(name === 'images' ? 'registry' : name, pid);
    }
    if (cluster.kubeletPids.length !== 2) throw new Error(`expected 2 kubelet processes under k8ts up, found ${cluster.kubeletPids.length}`);
    log(`  cluster up on 127.0.0.1:${port} (home ${home}), kubelets pid ${cluster.kubeletPids.join(', ')}`);
    return cluster;
  } catch (err) {
    await stopCluster(cluster, log).catch(() => undefined);
    throw err;
  }
}

/** SIGTERM `up` and wait; then kill whatever is left (cmdline holds the home dir, or seen under a kubelet). */
async function stopCluster(c: Cluster, log: (l: string) => void): Promise<{ stopMs: number; leftovers: number }> {
  const t0 = performance.now();
  await c.pool.destroy().catch(() => undefined);
  await c.child.stop(CLUSTER_STOP_MS);
  const stopMs = performance.now() - t0;
  liveClusters.delete(c);
  const leftover = (): number[] => {
    const table = processTable();
    return [...table.keys()].filter((pid) => pid !== process.pid && (cmdline(pid).includes(c.home) || (c.seen.has(pid) && c.seen.get(pid) === table.get(pid)?.start)));
  };
  let left = leftover();
  // Holders outlive their container by up to ~2 s (log drain, state.json); give them a bounded grace.
  for (let i = 0; left.length && i < LEFTOVER_GRACE_MS / 100; i++) {
    await sleep(100);
    left = leftover();
  }
  const leftovers = left.length;
  if (left.length) {
    log(`  WARNING: ${left.length} process(es) left ${LEFTOVER_GRACE_MS / 1000} s after the cluster stopped: ${left.map((p) => `${p} ${cmdline(p).slice(0, 100)}`).join('; ')} — SIGKILL`);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (let i = 0; i < 50 && (left = leftover()).length; i++) await sleep(100);
    if (left.length) log(`  WARNING: still alive after SIGKILL: ${left.join(', ')}`);
  }
  removeTempDir(c.home);
  return { stopMs, leftovers };
}

// ------------------------------------------------------------------ one scenario on the cluster

interface RunResult {
  kind: Kind;
  n: number;
  running: number;
  failed: number;
  firstFailure?: string;
  aborted?: string;
  seconds: number;
  perSecond: number;
  latency: Latency;
  before: Snapshot;
  after: Snapshot;
  cpu: { kubelets: number; kubeletMain: number; control: Map<string, number>; client: number; machine: number; steal: number; pods: number };
}

/** Why a pod will not become Running, if its status says so. */
function failureOf(pod: any): string | undefined {
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return `phase ${pod.status.phase}`;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const r = cs.state?.waiting?.reason;
    if (r && r !== 'ContainerCreating' && r !== 'PodInitializing') return `${r}: ${cs.state.waiting.message ?? ''}`;
    if (cs.state?.terminated) return `terminated: ${cs.state.terminated.reason}`;
  }
  return undefined;
}

async function runPods(c: Cluster, sc: Scenario, tag: string, log: (l: string) => void): Promise<RunResult> {
  const before = snapshot(c.kubeletPids);
  const list = await getJson(c.pool, `${PODS}?limit=1`);
  const rv = list.body?.metadata?.resourceVersion;
  if (list.status !== 200 || !rv) throw new Error(`list pods → ${list.status}`);

  const sent = new Map<string, number>();
  const lat: number[] = [];
  const doneNames = new Set<string>();
  let failed = 0;
  let firstFailure: string | undefined;
  let lastRunning = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const ac = new AbortController();
  const watch = await c.pool.request({ method: 'GET', path: `${PODS}?watch=true&resourceVersion=${rv}&labelSelector=app%3Dbench-pods`, headers: { accept: 'application/json' }, signal: ac.signal, bodyTimeout: 0 });
  if (watch.statusCode !== 200) throw new Error(`watch → ${watch.statusCode}: ${(await watch.body.text()).slice(0, 300)}`);
  let buf = '';
  watch.body.setEncoding('utf8');
  watch.body.on('error', () => undefined);
  watch.body.on('data', (chunk: string) => {
    const now = performance.now();
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      let ev: any;
      try {
        ev = JSON.parse(line);
      } catch {
        continue;
      }
      const pod = ev.object;
      const name: string | undefined = pod?.metadata?.name;
      if (!name || doneNames.has(name) || !sent.has(name)) continue;
      if (pod.status?.phase === 'Running') {
        doneNames.add(name);
        lat.push(now - sent.get(name)!);
        lastRunning = now;
        notify();
      } else {
        const why = failureOf(pod);
        if (why) {
          doneNames.add(name);
          failed += 1;
          firstFailure ??= `${name}: ${why}`;
          notify();
        }
      }
    }
  });

  const meters = {
    kubelets: c.kubeletPids.map((p) => new CpuMeter(p).start()),
    control: [...c.controlPlane].map(([name, pid]) => [name, new CpuMeter(pid).start()] as const),
    client: new CpuMeter(process.pid).start(),
    machine: new MachineMeter().start(),
  };
  const deadline = performance.now() + SCENARIO_BASE_MS + sc.n * SCENARIO_PER_POD_MS;
  let aborted: string | undefined;
  let created = 0;
  let createErrors = 0;
  const t0 = performance.now();
  // Closed loop: keep CONCURRENCY pods between "create sent" and "Running/failed seen".
  while (doneNames.size < sc.n) {
    if (performance.now() > deadline) {
      aborted = `time limit: ${doneNames.size} of ${sc.n} pods done after ${Math.round((performance.now() - t0) / 1000)} s`;
      break;
    }
    const inFlight = created - createErrors - doneNames.size;
    if (created < sc.n && inFlight < CONCURRENCY && !aborted) {
      if (memAvailableBytes() < MEM_FLOOR_BYTES) {
        aborted = `memory: MemAvailable below ${fmtBytes(MEM_FLOOR_BYTES)} after ${created} creates`;
        break;
      }
      const name = `${tag}-${created}`;
      created += 1;
      sent.set(name, performance.now());
      c.pool
        .request({ method: 'POST', path: PODS, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: podManifest(sc.kind, name) })
        .then(async (res) => {
          const text = await res.body.text();
          if (res.statusCode !== 201) throw new Error(`create ${name} → ${res.statusCode}: ${text.slice(0, 200)}`);
        })
        .catch((err) => {
          createErrors += 1;
          failed += 1;
          firstFailure ??= String(err?.message ?? err);
          notify();
        });
      continue;
    }
    if (created >= sc.n && created - createErrors <= doneNames.size) break;
    await new Promise<void>((r) => {
      wake = r;
      // Also wake periodically: deadline and memory checks.
      setTimeout(notify, 250);
    });
  }
  const phaseSeconds = (performance.now() - t0) / 1000;
  // Holders and containers of this phase started inside it: their CPU so far is the phase's.
  const podsNow = snapshot(c.kubeletPids).podCpuSeconds - before.podCpuSeconds;
  const kubeletCpu = meters.kubelets.map((m) => m.stop());
  const control = new Map(meters.control.map(([name, m]) => [name, m.stop().processPct]));
  const client = meters.client.stop();
  const machine = meters.machine.stop();
  ac.abort();
  await sleep(SETTLE_MS);
  const after = snapshot(c.kubeletPids);
  for (const [pid, start] of after.pids) c.seen.set(pid, start);

  const running = lat.length;
  const seconds = ((lastRunning || performance.now()) - t0) / 1000;
  return {
    kind: sc.kind,
    n: sc.n,
    running,
    failed,
    firstFailure,
    aborted,
    seconds,
    perSecond: running / seconds,
    latency: latency(lat),
    before,
    after,
    cpu: {
      kubelets: kubeletCpu.reduce((a, x) => a + x.processPct, 0),
      kubeletMain: Math.max(...kubeletCpu.map((x) => x.mainThreadPct)),
      control,
      client: client.processPct,
      machine: machine.busyPct,
      steal: machine.stealPct,
      pods: (100 * podsNow) / phaseSeconds,
    },
  };
}

// ------------------------------------------------------------------ the baseline

interface BaselineResult {
  kind: Kind;
  n: number;
  started: number;
  seconds: number;
  perSecond: number;
  latency: Latency;
  rssKiBPerProcess: number;
  pssKiBPerProcess: number;
}

/** N spawns of the same command, CONCURRENCY between spawn() and its 'spawn' event; all killed after. */
async function runBaseline(kind: Kind, n: number): Promise<BaselineResult> {
  const { cmd, args, cwd, env } = baselineCommand(kind);
  const procs: ChildProcess[] = [];
  const lat: number[] = [];
  let lastSpawn = 0;
  let inFlight = 0;
  let failures = 0;
  let wake: (() => void) | undefined;
  const t0 = performance.now();
  const deadline = t0 + SCENARIO_BASE_MS + n * SCENARIO_PER_POD_MS;
  try {
    for (let i = 0; i < n && performance.now() < deadline; ) {
      if (inFlight >= CONCURRENCY) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (memAvailableBytes() < MEM_FLOOR_BYTES) break;
      i += 1;
      inFlight += 1;
      const s = performance.now();
      const p = spawn(cmd, args, { cwd, env, stdio: 'ignore' });
      procs.push(p);
      const done = () => {
        inFlight -= 1;
        const w = wake;
        wake = undefined;
        w?.();
      };
      p.once('spawn', () => {
        lastSpawn = performance.now();
        lat.push(lastSpawn - s);
        done();
      });
      p.once('error', () => {
        failures += 1;
        done();
      });
    }
    // Bounded wait for the last spawns.
    for (let i = 0; i < 200 && inFlight > 0; i++) await sleep(50);
    await sleep(SETTLE_MS);
    let rss = 0;
    let pss = 0;
    let alive = 0;
    for (const p of procs) {
      if (p.pid === undefined || p.exitCode !== null) continue;
      const r = rssMiB(p.pid) * 1024;
      if (!Number.isFinite(r)) continue;
      alive += 1;
      rss += r;
      pss += pssKiB(p.pid) || 0;
    }
    if (alive < lat.length) throw new Error(`baseline ${kind}: ${lat.length - alive} of ${lat.length} processes exited early (${failures} spawn errors)`);
    const seconds = (lastSpawn - t0) / 1000;
    return { kind, n, started: lat.length, seconds, perSecond: lat.length / seconds, latency: latency(lat), rssKiBPerProcess: rss / alive, pssKiBPerProcess: pss / alive };
  } finally {
    const exits = procs.filter((p) => p.exitCode === null && p.signalCode === null).map((p) => new Promise<void>((r) => p.once('exit', () => r())));
    for (const p of procs) p.kill('SIGKILL');
    await Promise.race([Promise.all(exits), sleep(10_000)]);
  }
}

/** RSS and Pss (KiB) of an idle Node process: what any Node kubelet or holder pays before doing anything. */
async function idleNodeRss(): Promise<{ rss: number; pss: number }> {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    await sleep(1_000);
    return { rss: rssMiB(p.pid!) * 1024, pss: pssKiB(p.pid!) };
  } finally {
    p.kill('SIGKILL');
  }
}

// ------------------------------------------------------------------ the benchmark

async function runPodsBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log;
  const groups = o.quick ? QUICK : FULL;
  const judged = !o.quick;
  const figures: Figure[] = [];
  const baselines: BaselineRow[] = [];
  const resources: ResourceRow[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const results: RunResult[] = [];
  const contended: string[] = [];
  const base = new Map<string, BaselineResult>();
  const figure = (f: Figure) => {
    figures.push(f);
    log(`  ${figureLine(f)}`);
  };
  const baseline = (b: BaselineRow) => {
    baselines.push(b);
    log(`  ${b.label}: ${b.value}`);
  };
  /** Pss per pod of the smaller run of the same kind: the estimate a bigger run is checked against. */
  const pssPerPod = new Map<Kind, number>();
  const machineAtStart = describeMachine(o.dataRoot);
  const idleNode = await idleNodeRss();
  baseline({ label: 'baseline idle node process', value: `${kib(idleNode.rss)} RSS (${kib(idleNode.pss)} Pss)`, how: `node -e 'setInterval(…)' (the same Node binary), read after 1 s: the floor of any Node process — kubelet and holder alike` });

  for (const group of groups) {
    // The memory guard: skip what would not fit (estimated from the smaller run of the same kind).
    const runnable = group.filter((sc) => {
      const per = pssPerPod.get(sc.kind);
      // The cluster run and its baseline run one after the other; the bigger of the two counts.
      const need = per === undefined ? 0 : per * 1024 * sc.n;
      const avail = memAvailableBytes();
      if (need > MEM_BUDGET_SHARE * avail) {
        const msg = `${sc.n} ${KIND_LABEL[sc.kind]} pods skipped: at ${kib(per!)} Pss per pod (measured at the smaller size) they need ~${fmtBytes(need)}, more than ${Math.round(MEM_BUDGET_SHARE * 100)}% of the ${fmtBytes(avail)} available`;
        warnings.push(msg);
        log(`  WARNING: ${msg}`);
        return false;
      }
      return true;
    });
    if (runnable.length === 0) continue;

    for (const sc of runnable) {
      log(`baseline — ${sc.n} × ${KIND_LABEL[sc.kind]} by child_process.spawn, ${CONCURRENCY} in flight`);
      const b = await runBaseline(sc.kind, sc.n);
      base.set(`${sc.kind}/${sc.n}`, b);
      baseline({
        label: `baseline spawn ${sc.kind} ×${sc.n}`,
        value: `${fmtInt(b.perSecond)}/s (${b.started} in ${b.seconds.toFixed(2)} s), spawn→running p50 ${fmtMs(b.latency.p50)}, p99 ${fmtMs(b.latency.p99)}; ${kib(b.rssKiBPerProcess)} RSS (${kib(b.pssKiBPerProcess)} Pss) per process`,
        how: `child_process.spawn(${sc.kind === 'native' ? '"sleep", ["3600"]' : 'node app.js (the kubia image\'s own file, PORT=0)'}), ${CONCURRENCY} between spawn() and its 'spawn' event; RSS/Pss after ${SETTLE_MS / 1000} s`,
      });
    }

    log(`cluster — k8ts up --nodes 2 --kubelet-arg=--max-pods=${MAX_PODS_PER_NODE}`);
    const cluster = await startCluster(o.dataRoot, log);
    try {
      await sleep(IDLE_MS);
      for (const sc of runnable) {
        log(`pods — ${sc.n} × ${KIND_LABEL[sc.kind]}, ${CONCURRENCY} between create and Running`);
        const r = await runPods(cluster, sc, `${sc.kind}-${sc.n}`, log);
        results.push(r);
        if (r.aborted) warnings.push(`${sc.n} ${sc.kind} pods: stopped early (${r.aborted})`);
        if (r.failed) warnings.push(`${sc.n} ${sc.kind} pods: ${r.failed} did not start (first: ${r.firstFailure})`);
        if (r.running === 0) throw new Error(`no ${sc.kind} pod became Running: ${r.firstFailure ?? r.aborted ?? 'no reason seen'}\n${cluster.child.tail()}`);
        const b = base.get(`${sc.kind}/${sc.n}`)!;
        const d = { rss: totalRss(r.after) - totalRss(r.before), pss: totalPss(r.after) - totalPss(r.before), kubelet: r.after.kubelet.rssKiB - r.before.kubelet.rssKiB };
        const perPod = { rss: d.rss / r.running, pss: d.pss / r.running, kubelet: d.kubelet / r.running };
        pssPerPod.set(sc.kind, Math.max(pssPerPod.get(sc.kind) ?? 0, perPod.pss, b.pssKiBPerProcess));
        const holderRss = r.after.holders.count ? r.after.holders.rssKiB / r.after.holders.count : NaN;
        const holderPss = r.after.holders.count ? r.after.holders.pssKiB / r.after.holders.count : NaN;
        const ctrRss = r.after.containers.count ? r.after.containers.rssKiB / r.running : NaN;
        const L = `${sc.kind} ×${sc.n}`;
        figure({
          label: `pods/s ${L}`,
          value: `${r.perSecond.toFixed(1)}/s (${r.running} Running in ${r.seconds.toFixed(2)} s${r.failed ? `, ${r.failed} failed` : ''})`,
          target: `≥ ${TARGET.podsPerSec[sc.kind]}/s`,
          met: judged ? r.perSecond >= TARGET.podsPerSec[sc.kind] && r.running === sc.n : undefined,
          baseline: `spawn ${fmtInt(b.perSecond)}/s`,
          ratio: `${fmtRatio(r.perSecond / b.perSecond)} bare spawn`,
        });
        const atTargetSize = sc.n === TARGET.p99AtPods;
        figure({
          label: `create→Running ${L}`,
          value: `p50 ${fmtMs(r.latency.p50)}, p99 ${fmtMs(r.latency.p99)}, max ${fmtMs(r.latency.max)}`,
          target: atTargetSize ? `p99 ≤ ${fmtMs(TARGET.p99Ms)}` : `none at ${sc.n} pods (p99 ≤ ${fmtMs(TARGET.p99Ms)} applies at ${TARGET.p99AtPods})`,
          met: judged && atTargetSize ? r.latency.p99 <= TARGET.p99Ms : undefined,
          baseline: `spawn p99 ${fmtMs(b.latency.p99)}`,
          ratio: `${fmtRatio(r.latency.p99 / b.latency.p99)} spawn p99`,
        });
        const kubMax = maxKubeletMiB(r.after);
        figure({
          label: `kubelet RSS ${L}`,
          value: `idle ${r.before.kubelets.map((k) => kib(k.rssKiB)).join(' / ')}; with pods ${r.after.kubelets.map((k) => kib(k.rssKiB)).join(' / ')}`,
          target: `≤ ${TARGET.kubeletRssMiB} MiB`,
          met: judged ? kubMax <= TARGET.kubeletRssMiB : undefined,
          baseline: `idle node process ${kib(idleNode.rss)}`,
          ratio: `${fmtRatio((kubMax * 1024) / idleNode.rss)} an idle node process, ${fmtRatio(kubMax / TARGET.kubeletRssMiB)} the target`,
        });
        figure({
          label: `kubelet memory per pod ${L}`,
          value: `${kib(perPod.kubelet)} (kubelet RSS +${kib(d.kubelet)} over ${r.running} pods)`,
          target: `≤ ${fmtBytes(TARGET.kubeletBytesPerPod)}`,
          met: judged ? perPod.kubelet * 1024 <= TARGET.kubeletBytesPerPod : undefined,
          baseline: '0 (bare spawn has no agent)',
          ratio: `${fmtRatio((perPod.kubelet * 1024) / TARGET.kubeletBytesPerPod)} the target`,
        });
        figure({
          label: `memory per idle pod ${L}`,
          value: `${kib(perPod.rss)} RSS (${kib(perPod.pss)} Pss): holder ${kib(holderRss)} RSS (${kib(holderPss)} Pss) + container processes ${kib(ctrRss)} RSS + kubelet ${kib(perPod.kubelet)}`,
          target: 'none (reported)',
          met: undefined,
          baseline: `spawn ${kib(b.rssKiBPerProcess)} RSS (${kib(b.pssKiBPerProcess)} Pss) per process`,
          ratio: `${fmtRatio(perPod.rss / b.rssKiBPerProcess)} bare spawn RSS, ${fmtRatio(perPod.pss / b.pssKiBPerProcess)} Pss`,
        });
        const others = Math.max(0, r.cpu.machine - r.cpu.kubelets - r.cpu.pods - r.cpu.client - [...r.cpu.control.values()].reduce((a, x) => a + x, 0));
        if (others >= CONTENDED_PCT) contended.push(`${L} (${fmtPct(others)})`);
        resources.push({
          phase: `pods ${L}`,
          serverProcessCpu: `kubelets ${fmtPct(r.cpu.kubelets)} (both)`,
          serverMainThreadCpu: `busiest kubelet JS thread ${fmtPct(r.cpu.kubeletMain)}`,
          clientCpu: fmtPct(r.cpu.client),
          othersCpu: `${fmtPct(others)}${r.cpu.steal >= 1 ? ` + steal ${fmtPct(r.cpu.steal)}` : ''}`,
          extra: `holders + containers ${fmtPct(r.cpu.pods)}; ${[...r.cpu.control].map(([n, p]) => `${n} ${fmtPct(p)}`).join(', ')}`,
        });
        log(`  CPU: kubelets ${fmtPct(r.cpu.kubelets)} (busiest JS thread ${fmtPct(r.cpu.kubeletMain)}), holders + containers ${fmtPct(r.cpu.pods)}, ${[...r.cpu.control].map(([n, p]) => `${n} ${fmtPct(p)}`).join(', ')}, bench ${fmtPct(r.cpu.client)}, rest ${fmtPct(others)}`);
      }
    } finally {
      const { stopMs, leftovers } = await stopCluster(cluster, log);
      log(`  cluster stopped in ${(stopMs / 1000).toFixed(1)} s${leftovers ? `; ${leftovers} leftover process(es) killed` : ', no leftover process'}`);
      if (leftovers) warnings.push(`${leftovers} process(es) outlived \`k8ts up\`'s SIGTERM and were SIGKILLed`);
    }
  }

  // ---- notes on limits, from the numbers above
  const nodeBase = [...base.values()].filter((b) => b.kind === 'node').sort((a, b) => a.n - b.n)[0];
  for (const r of results) {
    const b = base.get(`${r.kind}/${r.n}`)!;
    const L = `${r.kind} ×${r.n}`;
    const holderRss = r.after.holders.count ? r.after.holders.rssKiB / r.after.holders.count : NaN;
    const holderPss = r.after.holders.count ? r.after.holders.pssKiB / r.after.holders.count : NaN;
    const nodePerPod = r.kind === 'native' ? 1 : 2;
    const control = [...r.cpu.control].map(([n, p]) => `${n} ${fmtPct(p)}`).join(', ');
    notes.push(
      `${L}: ${r.perSecond.toFixed(1)} pods/s, p50 ${fmtMs(r.latency.p50)} / p99 ${fmtMs(r.latency.p99)} create→Running; CPU over the phase: kubelets ${fmtPct(r.cpu.kubelets)} (busiest JS thread ${fmtPct(r.cpu.kubeletMain)}), holders + containers ${fmtPct(r.cpu.pods)} (${fmtMs((10 * r.cpu.pods * r.seconds) / r.running)} of CPU per pod), ${control}, bench ${fmtPct(r.cpu.client)}, machine total ${fmtPct(r.cpu.machine)} of 200%. ` +
        `Each pod runs ${nodePerPod} Node process${nodePerPod > 1 ? 'es' : ''} (the holder${nodePerPod > 1 ? ' and the app' : ''}); bare spawn of \`node app.js\` reaches ${nodeBase ? `${fmtInt(nodeBase.perSecond)}/s (${nodeBase.n} processes)` : 'n/a'} on this machine, so ${nodeBase ? `~${fmtInt(nodeBase.perSecond / nodePerPod)}` : 'n/a'} pods/s is the ceiling a Node holder per container leaves before any kubelet or API work. ` +
        `Holder: ${kib(holderRss)} RSS (${kib(holderPss)} Pss) each, ${fmtPct((100 * holderRss) / ((totalRss(r.after) - totalRss(r.before)) / r.running))} of a pod's memory.`,
    );
    if (r.cpu.machine >= 170) notes.push(`${L}: the machine was near its 2 cores (${fmtPct(r.cpu.machine)} of 200%), so CPU bounds the rate: holders + containers took ${fmtPct(r.cpu.pods)}, kubelets ${fmtPct(r.cpu.kubelets)}, the control plane ${fmtPct([...r.cpu.control.values()].reduce((a, x) => a + x, 0))}.`);
    else notes.push(`${L}: the machine had CPU to spare (${fmtPct(r.cpu.machine)} of 200%) and no kubelet JS thread was saturated (busiest ${fmtPct(r.cpu.kubeletMain)}), so waiting — the pod worker's sequential steps, status writes and watch round trips — sets the latency (${fmtRatio(r.latency.p50 / b.latency.p50)} a bare spawn's p50).`);
  }
  for (const f of figures) if (f.met === false) notes.push(`**MISSED** ${f.label}: ${f.value}; target ${f.target}.`);
  if (contended.length) {
    warnings.push(
      `other work on this shared machine used ≥ ${CONTENDED_PCT}% of a core during ${contended.join(', ')} (machine busy time minus the cluster's processes, its holders and containers, and the bench); those figures understate k8ts.`,
    );
  }
  notes.push(
    `Kubelet RSS = a Node process's floor (an idle \`node\` is ${kib(idleNode.rss)} RSS here) + its modules, informer cache, HTTP clients + per-pod state; the holder is the same floor paid once per container.`,
  );
  log('notes on limits:');
  for (const n of notes) log(`  - ${n.replace(/\*\*/g, '')}`);
  if (warnings.length) for (const w of warnings) log(`WARNING: ${w}`);

  return {
    name: 'pods',
    title: 'pod startup and per-pod memory on a 2-node local cluster',
    method: [
      `This run: ${machineAtStart.date}, load average ${machineAtStart.loadAverage.map((l) => l.toFixed(2)).join(' ')}, ${fmtBytes(memAvailableBytes())} available at the end.`,
      `Cluster: \`node dist/cli/main.js up --home <temp> --port <free> --nodes 2 --kubelet-arg=--max-pods=${MAX_PODS_PER_NODE}\` (API server on LevelDB, registry, scheduler, controller manager, 2 kubelets; containers under the runtime the kubelets probe, each under a detached Node holder), all on 127.0.0.1; a fresh cluster per scenario${o.quick ? ' (quick: one cluster for both)' : ''}, ${IDLE_MS / 1000} s idle before the first create.`,
      `Pods: busybox \`sleep 3600\` (native) or luksa/kubia (\`node app.js\`), \`imagePullPolicy: IfNotPresent\` (the first pod per node pulls from the local registry, the rest start from the cache), no resource requests. Closed loop: ${CONCURRENCY} pods at most between "POST sent" and "Running seen"; one watch on the pods (label selector), opened before the first create, decides Running (status.phase). Latency = watch line received − POST sent; pods/s = Running pods / (last Running − first POST).`,
      `Memory: VmRSS from /proc/PID/status and Pss from /proc/PID/smaps_rollup of the kubelets and every descendant (holders = holder.js, containers = the rest), read before the first create and ${SETTLE_MS / 1000} s after the last Running. Memory per idle pod = (after − before) / Running pods; kubelet memory per pod = kubelet RSS growth / pods. RSS counts shared pages (Node's binary) in every process; Pss splits them, so Pss is what the machine actually spends.`,
      `Baseline: the same command spawned by this process with child_process.spawn, same N, ${CONCURRENCY} between spawn() and its 'spawn' event (the process exists and exec'd, the same moment the holder reports a container started); RSS/Pss per process ${SETTLE_MS / 1000} s later; then SIGKILLed.`,
      `Safety: a size whose footprint (Pss per pod at the smaller size × N) exceeds ${Math.round(MEM_BUDGET_SHARE * 100)}% of MemAvailable is skipped and listed as a warning; creates stop below ${fmtBytes(MEM_FLOOR_BYTES)} available. Stop: SIGTERM to \`up\` and wait (it stops every component and container), then any process whose cmdline holds the home dir or seen under a kubelet is SIGKILLed and counted; the home dir is removed.`,
      'CPU: utime+stime deltas from /proc/PID/stat of each kubelet and control-plane process over the create→last Running phase; rest of machine = /proc/stat busy time minus those and the bench process (it includes the holders and containers, which start and stop within the phase).',
    ],
    figures,
    baselines,
    resources,
    notes,
    warnings,
  };
}

export const podsBenchmark: Benchmark = { name: 'pods', run: runPodsBench };

/** Replaces (or adds, before the analysis) this benchmark's section in BENCHMARKS.md; other sections are left as they are. */
export function writeSection(file: string, report: BenchReport): void {
  const rendered = renderMarkdown(describeMachine(os.tmpdir()), [report], 'node dist/bench/pods.js --write', undefined);
  const head = `## ${report.name}: `;
  const start = rendered.indexOf(head);
  const end = rendered.indexOf('\n## Analysis', start);
  const section = rendered.slice(start, end).trimEnd() + '\n\n';
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Analysis\n';
  const at = doc.indexOf(`\n${head}`);
  if (at >= 0) {
    const next = doc.slice(at + 1).search(/\n## /);
    const stop = next < 0 ? doc.length : at + 1 + next + 1;
    fs.writeFileSync(file, doc.slice(0, at + 1) + section + doc.slice(stop));
  } else {
    const analysis = doc.indexOf('\n## Analysis');
    const insertAt = analysis < 0 ? doc.length : analysis + 1;
    fs.writeFileSync(file, doc.slice(0, insertAt) + section + doc.slice(insertAt));
  }
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runPodsBench({ quick, dataRoot: os.tmpdir(), log: (l) => console.log(l) })
    .then((report) => {
      if (process.argv.includes('--write') && !quick) {
        const file = path.join(ROOT, 'BENCHMARKS.md');
        writeSection(file, report);
        console.log(`wrote the pods section of ${file}`);
      }
      process.exit(0);
    })
    .catch((err) => {
      console.error(`bench pods: ${err?.stack ?? err}`);
      process.exit(1);
    });
}
