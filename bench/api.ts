/**
 * API server benchmark: what k8ts-apiserver sustains on this machine, measured in one
 * run beside two baselines from the same run, every figure printed with its ratio to
 * the baseline it should be read against and with its target (met / MISSED).
 *
 * Processes. The bench process is the client (load generator and watch readers); each
 * server is a child process: the real `dist/apiserver/main.js` (LevelDB with fsync'd
 * group commit, fresh temp data dir), baseline A `fastify-hello.js`, baseline B
 * `level-puts.js`. On a 2-core machine the client and the server under test each get
 * about one core; the baselines are driven the same way, so ratios compare servers.
 *
 * Phases, in order (sizes: FULL, or QUICK with --quick):
 *   B  raw classic-level puts (sync) sequential / 50 concurrent / 50-per-batch
 *   A  fastify GET /hello and POST /echo, 50 closed-loop clients
 *   -  diagnostic: creates against the API server on --storage memory (same request
 *      path, no LevelDB): separates the cost of durability from the cost of the request
 *   1  creates: POST pods (small realistic manifest, unique names), 50 clients
 *   2  gets: GET one pod (names from phase 1), 50 clients
 *   3  list: N pods in a fresh server, full list as JSON and as a Table (kubectl's Accept),
 *      median of several sequential runs; baseline: fastify serving a PodList of N
 *      copies of one of those very pods
 *   4  watch: W HTTP NDJSON watchers from the current RV while a paced writer creates
 *      pods at R/s; each pod carries its send time in an annotation, so latency = the
 *      event's line arriving at a watcher − send time (taken just before the POST is
 *      issued; both are this process's performance.now()). It therefore includes the
 *      write's validation, its fsync'd group commit and the fan-out; the write's own
 *      ack latency is reported beside it to tell the two apart.
 *
 * CPU of the server, of this client process and of the rest of the machine is sampled
 * from /proc over every phase: on a shared 2-core box that is what says whether a figure
 * is bounded by the server's JS thread, by the client, or by someone else's work.
 *
 * Every loop is bounded by count and by time; children are killed and data dirs removed
 * at the end, on error and on SIGINT (see common.ts).
 *
 * Run alone: `node dist/bench/api.js [--quick]` (prints only; `bench/run.js` writes
 * BENCHMARKS.md). K8TS_BENCH_SERVER_NODE_ARGS adds node flags to the API server
 * processes only, e.g. "--cpu-prof --cpu-prof-dir=DIR" to profile the server under load.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'undici';
import {
  CpuMeter,
  MachineMeter,
  fmtBytes,
  fmtInt,
  fmtMs,
  fmtPct,
  fmtRatio,
  median,
  removeTempDir,
  rssMiB,
  Samples,
  sleep,
  spawnNode,
  tempDir,
  type Child,
  type CpuUse,
  type Latency,
  type MachineUse,
} from './common';
import { closedLoop, type LoadResult, type RequestSpec } from './load';
import type { LevelPutsOptions, LevelPutsResult } from './level-puts';
import { figureLine, type BaselineRow, type BenchOptions, type BenchReport, type Benchmark, type Figure, type ResourceRow } from './report';

// ------------------------------------------------------------------ sizes and targets

interface Sizes {
  concurrency: number;
  warmupMs: number;
  phaseMs: number;
  /** Bound on requests per closed-loop phase (the time limit normally ends it first). */
  maxRequests: number;
  listPods: number;
  listWarmupRuns: number;
  listRuns: number;
  watchers: number[];
  watchRate: number;
  watchMs: number;
  level: Omit<LevelPutsOptions, 'dir'>;
}

const FULL: Sizes = {
  concurrency: 50,
  warmupMs: 1_000,
  phaseMs: 10_000,
  maxRequests: 2_000_000,
  listPods: 5_000,
  listWarmupRuns: 3,
  listRuns: 11,
  watchers: [10, 100],
  watchRate: 1_000,
  watchMs: 10_000,
  level: { valueBytes: 2_048, maxPuts: 200_000, phaseMs: 5_000, warmupPuts: 20, concurrency: 50, batchSize: 50 },
};

const QUICK: Sizes = {
  concurrency: 50,
  warmupMs: 200,
  phaseMs: 1_000,
  maxRequests: 200_000,
  listPods: 200,
  listWarmupRuns: 1,
  listRuns: 3,
  watchers: [5],
  watchRate: 100,
  watchMs: 1_500,
  level: { valueBytes: 2_048, maxPuts: 20_000, phaseMs: 500, warmupPuts: 5, concurrency: 50, batchSize: 50 },
};

/** The issue's targets. */
const TARGET = {
  createsPerSec: 3_000,
  createsP99Ms: 20,
  getsPerSec: 10_000,
  getsP99Ms: 10,
  listMs: 100,
  listPods: 5_000,
  /** p99 bound by number of watchers. */
  watchP99Ms: new Map([
    [10, 10],
    [100, 50],
  ]),
};

const NAMESPACE = 'default';
const PODS = `/api/v1/namespaces/${NAMESPACE}/pods`;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
/** The annotation carrying a write's send time (ms, this process's performance.now()). */
const SENT_ANNOTATION = 'bench.k8ts.io/sent';
const SENT_MARK_BYTES = Buffer.from(`"${SENT_ANNOTATION}":"`);
const ADDED_PREFIX = Buffer.from('{"type":"ADDED"');
const NEWLINE = 0x0a;
/** The paced writer's bound on outstanding creates (over 64 connections). */
const WATCH_MAX_IN_FLIGHT = 256;
const WATCH_WRITE_CONNECTIONS = 64;
/** Other work (processes + steal, % of one core) above which a phase counts as contended. */
const CONTENDED_PCT = 40;
const QUOTE = 0x22;

/** A small but realistic pod: labels, one container with a port and resources. */
export function podManifest(name: string, annotations?: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'web' }, ...(annotations ? { annotations } : {}) },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, name: 'http' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
      ],
    },
  });
}

// ------------------------------------------------------------------ processes

interface Server {
  child: Child;
  origin: string;
  dataDir?: string;
  stop(): Promise<void>;
}

const DIST = path.resolve(__dirname, '..');

/** The real API server; `memory` (diagnostic only) swaps LevelDB for the in-memory store. */
async function startApiServer(dataRoot: string, storage: 'leveldb' | 'memory' = 'leveldb'): Promise<Server> {
  const dataDir = storage === 'leveldb' ? tempDir('apiserver', dataRoot) : undefined;
  // e.g. K8TS_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server's time goes.
  const nodeArgs = (process.env.K8TS_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = ['--port', '0', ...(dataDir ? ['--data-dir', dataDir] : ['--storage', 'memory'])];
  const child = spawnNode('apiserver', path.join(DIST, 'apiserver', 'main.js'), args, { K8TS_LOG_PRETTY: '0' }, nodeArgs);
  const cleanup = async (graceMs?: number) => {
    await child.stop(graceMs);
    if (dataDir) removeTempDir(dataDir);
  };
  try {
    const rec = await child.waitFor('API server listening', 30_000);
    return { child, origin: `http://127.0.0.1:${rec.port}`, dataDir, stop: () => cleanup() };
  } catch (err) {
    await cleanup(1_000);
    throw err;
  }
}

async function startFastify(): Promise<Server> {
  const child = spawnNode('fastify-hello', path.join(__dirname, 'fastify-hello.js'), []);
  try {
    const rec = await child.waitFor('listening', 30_000);
    return { child, origin: `http://127.0.0.1:${rec.port}`, stop: () => child.stop() };
  } catch (err) {
    await child.stop(1_000);
    throw err;
  }
}

async function runLevelPuts(sizes: Sizes['level'], dataRoot: string): Promise<LevelPutsResult> {
  const dir = tempDir('level', dataRoot);
  const child = spawnNode('level-puts', path.join(__dirname, 'level-puts.js'), [JSON.stringify({ ...sizes, dir: path.join(dir, 'db') })]);
  try {
    const rec = await child.waitFor('result', 4 * sizes.phaseMs + 60_000);
    return rec as unknown as LevelPutsResult;
  } finally {
    await child.stop(2_000);
    removeTempDir(dir);
  }
}

/** CPU over one phase: the server under test, this (client) process, and the whole machine. */
export interface PhaseCpu {
  server: CpuUse;
  client: CpuUse;
  machine: MachineUse;
}

function startMeters(server: Server): { stop(): PhaseCpu } {
  const s = new CpuMeter(server.child.pid).start();
  const c = new CpuMeter(process.pid).start();
  const m = new MachineMeter().start();
  return { stop: () => ({ server: s.stop(), client: c.stop(), machine: m.stop() }) };
}

async function metered<T>(server: Server, fn: () => Promise<T>): Promise<PhaseCpu & { result: T }> {
  const meters = startMeters(server);
  const result = await fn();
  return { result, ...meters.stop() };
}

/**
 * What bounds a phase, read from its CPU split. On this box the server and the client
 * each want one core; the rest of the machine is other people's work.
 */
function limitOf(m: PhaseCpu): string {
  const others = Math.max(0, m.machine.busyPct - m.server.processPct - m.client.processPct);
  const split = `server ${fmtPct(m.server.processPct)} CPU (JS main thread ${fmtPct(m.server.mainThreadPct)}), bench client ${fmtPct(m.client.processPct)}, rest of machine ${fmtPct(others)}${m.machine.stealPct >= 1 ? `, steal ${fmtPct(m.machine.stealPct)}` : ''}`;
  const why: string[] = [];
  if (m.server.mainThreadPct >= 85) why.push("the API server's JS thread is saturated, so its CPU per request sets the pace");
  const helpers = m.server.processPct - m.server.mainThreadPct;
  if (helpers >= 30) why.push(`the server's other threads (LevelDB writes, fsync and compaction on libuv's pool, GC) used ${fmtPct(helpers)} of a core`);
  if (m.client.processPct >= 85) why.push('the bench client is near one core, so the load generator is part of the limit');
  if (others >= 40) why.push(`other processes on the shared machine took ${fmtPct(others)} of a core meanwhile (contention)`);
  if (m.machine.stealPct >= 10) why.push(`the hypervisor withheld ${fmtPct(m.machine.stealPct)} of a core (steal)`);
  if (why.length === 0) why.push('no CPU is saturated, so waiting (fsync, the commit pipeline, or the client) sets the pace');
  return `${split} — ${why.join('; ')}`;
}

function newPool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 60_000 });
}

async function getJson(pool: Pool, p: string, accept = 'application/json'): Promise<{ status: number; body: any; bytes: number }> {
  const res = await pool.request({ method: 'GET', path: p, headers: { accept } });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, bytes: Buffer.byteLength(text) };
}

// ------------------------------------------------------------------ phases

function lat(l: Latency): string {
  return `p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}`;
}

function loadSummary(r: LoadResult): string {
  return `${fmtInt(r.perSecond)}/s, ${lat(r.latency)}${r.errors ? `, ${fmtInt(r.errors)} errors` : ''}`;
}

function check(r: LoadResult, what: string): void {
  if (r.ok === 0) throw new Error(`${what}: no successful request${r.firstError ? `: ${r.firstError}` : ''}`);
}

async function timeList(pool: Pool, p: string, accept: string, warmup: number, runs: number): Promise<{ medianMs: number; minMs: number; maxMs: number; bytes: number; items: number }> {
  const times: number[] = [];
  let bytes = 0;
  let items = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const res = await pool.request({ method: 'GET', path: p, headers: { accept } });
    const buf = Buffer.from(await res.body.arrayBuffer());
    const t1 = performance.now();
    if (res.statusCode !== 200) throw new Error(`GET ${p} (${accept}) → ${res.statusCode}: ${buf.toString().slice(0, 300)}`);
    if (i >= warmup) times.push(t1 - t0);
    if (i === 0) {
      bytes = buf.length;
      const parsed = JSON.parse(buf.toString());
      items = (parsed.items ?? parsed.rows ?? []).length;
    }
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), bytes, items };
}

interface WatchResult {
  watchers: number;
  deliveries: Latency;
  expectedDeliveries: number;
  writesAcked: number;
  writeErrors: number;
  firstError?: string;
  writerSeconds: number;
  eventsPerSec: number;
  ack: Latency;
  cpu: PhaseCpu;
}

/**
 * W watchers from the current RV; a paced writer creates pods at `rate`/s for
 * `warmupMs + ms`, and only writes sent after the warm-up are recorded. Open loop: sends
 * fall due on a schedule, not when the last answer came back, with at most
 * WATCH_MAX_IN_FLIGHT outstanding so an overloaded server is not buried.
 */
async function watchPhase(server: Server, watchers: number, rate: number, warmupMs: number, ms: number, tag: string): Promise<WatchResult> {
  // How long to wait, after the last ack, for every watcher to have every event.
  const DRAIN_MS = 5_000;
  const control = newPool(server.origin, 1);
  const watchPool = newPool(server.origin, watchers);
  const writePool = newPool(server.origin, WATCH_WRITE_CONNECTIONS);
  const aborts: AbortController[] = [];
  try {
    const start = await getJson(control, `${PODS}?limit=1`);
    const rv = start.body?.metadata?.resourceVersion;
    if (start.status !== 200 || !rv) throw new Error(`list for the watch RV → ${start.status}`);

    let measureFrom = Infinity;
    const samples = new Samples(1 << 16);
    const received = new Array<number>(watchers).fill(0);
    let watchErrors = 0;
    let firstWatchError: string | undefined;
    await Promise.all(
      Array.from({ length: watchers }, async (_, w) => {
        const ac = new AbortController();
        aborts.push(ac);
        const res = await watchPool.request({ method: 'GET', path: `${PODS}?watch=true&resourceVersion=${rv}`, headers: { accept: 'application/json' }, signal: ac.signal, bodyTimeout: 0 });
        if (res.statusCode !== 200) throw new Error(`watch → ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
        // Lines are scanned as bytes: decoding ~100 MB/s of pod JSON to strings (let
        // alone parsing it) would make the client, not the server, what this measures.
        let rest: Buffer | undefined;
        res.body.on('error', () => undefined);
        res.body.on('data', (chunk: Buffer) => {
          // One clock read per chunk: every line in it arrived at the same moment.
          const now = performance.now();
          const data = rest ? Buffer.concat([rest, chunk]) : chunk;
          let from = 0;
          let nl: number;
          while ((nl = data.indexOf(NEWLINE, from)) >= 0) {
            const m = data.indexOf(SENT_MARK_BYTES, from);
            if (m < 0 || m > nl || data.compare(ADDED_PREFIX, 0, ADDED_PREFIX.length, from, from + ADDED_PREFIX.length) !== 0) {
              watchErrors += 1;
              firstWatchError ??= data.toString('utf8', from, Math.min(nl, from + 300));
            } else {
              const v = m + SENT_MARK_BYTES.length;
              const sent = Number(data.toString('latin1', v, data.indexOf(QUOTE, v)));
              received[w] += 1;
              if (sent >= measureFrom) samples.push(now - sent);
            }
            from = nl + 1;
          }
          rest = from < data.length ? data.subarray(from) : undefined;
        });
      }),
    );
    // The server registers a watch just after sending its headers; give the last ones a moment.
    await sleep(200);

    const ack = new Samples();
    let sent = 0;
    let acked = 0;
    let measuredAcks = 0;
    let writeErrors = 0;
    let firstError: string | undefined;
    let lastAck = 0;
    const inFlight = new Set<Promise<void>>();
    const total = Math.max(1, Math.round((rate * (warmupMs + ms)) / 1000));
    const fire = (i: number) => {
      const ts = performance.now();
      const body = podManifest(`${tag}-${i}`, { [SENT_ANNOTATION]: ts.toFixed(3) });
      const p = writePool
        .request({ method: 'POST', path: PODS, headers: JSON_HEADERS, body })
        .then(async (res) => {
          const text = await res.body.text();
          if (res.statusCode !== 201) {
            writeErrors += 1;
            firstError ??= `POST → ${res.statusCode}: ${text.slice(0, 300)}`;
            return;
          }
          acked += 1;
          if (ts >= measureFrom) {
            lastAck = performance.now();
            ack.push(lastAck - ts);
            measuredAcks += 1;
          }
        })
        .catch((err: Error) => {
          writeErrors += 1;
          firstError ??= err.message;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const t0 = performance.now();
    measureFrom = t0 + warmupMs;
    let meters: { stop(): PhaseCpu } | undefined;
    // Hard bound: a writer hopelessly behind schedule stops at 3× the planned time.
    while (sent < total && performance.now() - t0 < 3 * (warmupMs + ms)) {
      const now = performance.now();
      if (!meters && now >= measureFrom) meters = startMeters(server);
      const due = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
      while (sent < due && inFlight.size < WATCH_MAX_IN_FLIGHT) fire(sent++);
      await sleep(1);
    }
    await Promise.all([...inFlight]);
    const writerSeconds = ((lastAck || performance.now()) - measureFrom) / 1000;
    const deadline = performance.now() + DRAIN_MS;
    while (received.some((n) => n < acked) && performance.now() < deadline) await sleep(10);
    const cpu = (meters ?? startMeters(server)).stop();
    if (watchErrors) throw new Error(`watch: ${watchErrors} unexpected lines, first: ${firstWatchError}`);
    return {
      watchers,
      deliveries: samples.stats(),
      expectedDeliveries: measuredAcks * watchers,
      writesAcked: measuredAcks,
      writeErrors,
      firstError,
      writerSeconds,
      eventsPerSec: measuredAcks / writerSeconds,
      ack: ack.stats(),
      cpu,
    };
  } finally {
    for (const ac of aborts) ac.abort();
    await Promise.all([control.destroy(), watchPool.destroy(), writePool.destroy()]);
  }
}

// ------------------------------------------------------------------ the benchmark

export async function runApiBench(o: BenchOptions): Promise<BenchReport> {
  const S = o.quick ? QUICK : FULL;
  const log = o.log;
  const judged = !o.quick;
  const figures: Figure[] = [];
  const baselines: BaselineRow[] = [];
  const resources: ResourceRow[] = [];
  const notes: string[] = [];
  const cpuRow = (phase: string, m: PhaseCpu, extra = ''): void => {
    const others = Math.max(0, m.machine.busyPct - m.server.processPct - m.client.processPct);
    const row: ResourceRow = {
      phase,
      serverProcessCpu: fmtPct(m.server.processPct),
      serverMainThreadCpu: fmtPct(m.server.mainThreadPct),
      clientCpu: fmtPct(m.client.processPct),
      othersCpu: `${fmtPct(others)}${m.machine.stealPct >= 1 ? ` + steal ${fmtPct(m.machine.stealPct)}` : ''}`,
      extra,
    };
    resources.push(row);
    if (others + m.machine.stealPct >= CONTENDED_PCT) contended.push(`${phase} (${fmtPct(others + m.machine.stealPct)})`);
    log(`    cpu: server ${row.serverProcessCpu} (main thread ${row.serverMainThreadCpu}), bench client ${row.clientCpu}, rest of machine ${row.othersCpu}${extra ? `; ${extra}` : ''}`);
  };
  const warnings: string[] = [];
  const contended: string[] = [];
  const judgedFigures: Array<{ f: Figure; cpu?: PhaseCpu }> = [];
  const figure = (f: Figure, cpu?: PhaseCpu): void => {
    figures.push(f);
    judgedFigures.push({ f, cpu });
    log(`  ${figureLine(f)}`);
  };
  const baseline = (b: BaselineRow): void => {
    baselines.push(b);
    log(`  ${b.label}: ${b.value}`);
  };
  const servers: Server[] = [];
  const pools: Pool[] = [];
  const started = async (s: Promise<Server>) => {
    const x = await s;
    servers.push(x);
    return x;
  };
  const stopped = async (s: Server) => {
    servers.splice(servers.indexOf(s), 1);
    await s.stop();
  };

  try {
    // ---- baseline B: raw classic-level
    log(`baseline B: classic-level put(sync) in a child process (${fmtBytes(S.level.valueBytes)} values)`);
    const lv = await runLevelPuts(S.level, o.dataRoot);
    baseline({ label: 'baseline B unsynced puts sequential', value: `${fmtInt(lv.unsynced.putsPerSecond)}/s, ${lat(lv.unsynced.latency)}`, how: 'put(k, v) one at a time — LevelDB without fsync' });
    baseline({ label: 'baseline B synced puts sequential', value: `${fmtInt(lv.sequential.putsPerSecond)}/s, ${lat(lv.sequential.latency)}`, how: 'put(k, v, {sync: true}) one at a time — one fsync each' });
    baseline({ label: `baseline B synced puts ${S.level.concurrency} concurrent`, value: `${fmtInt(lv.concurrent.putsPerSecond)}/s, ${lat(lv.concurrent.latency)}`, how: `${S.level.concurrency} writers looping put(sync) — LevelDB merges what libuv's 4 pool threads hand it` });
    baseline({ label: `baseline B synced batches of ${S.level.batchSize}`, value: `${fmtInt(lv.batched.putsPerSecond)} puts/s, per batch ${lat(lv.batched.latency)}`, how: `batch(${S.level.batchSize} puts, {sync: true}) one at a time — the group-commit ceiling` });

    // ---- baseline A: bare fastify
    log('baseline A: bare fastify in a child process, same load generator');
    const fastify = await started(startFastify());
    const fpool = newPool(fastify.origin, S.concurrency);
    pools.push(fpool);
    const loadOpts = { pool: fpool, concurrency: S.concurrency, warmupMs: S.warmupMs, durationMs: S.phaseMs, maxRequests: S.maxRequests };
    const fPost = await metered(fastify, () =>
      closedLoop({ ...loadOpts, expectStatus: 200, request: (w, i): RequestSpec => ({ method: 'POST', path: '/echo', headers: JSON_HEADERS, body: podManifest(`echo-${w}-${i}`) }) }),
    );
    check(fPost.result, 'fastify POST');
    baseline({ label: 'baseline A fastify POST', value: loadSummary(fPost.result), how: `POST /echo of the same pod manifest, ${S.concurrency} clients` });
    cpuRow('baseline A fastify POST', fPost);
    const fGet = await metered(fastify, () => closedLoop({ ...loadOpts, expectStatus: 200, request: (): RequestSpec => ({ method: 'GET', path: '/hello' }) }));
    check(fGet.result, 'fastify GET');
    baseline({ label: 'baseline A fastify GET', value: loadSummary(fGet.result), how: `GET /hello → {"hello":"world"}, ${S.concurrency} clients` });
    cpuRow('baseline A fastify GET', fGet);
    // fastify stays up (idle) for the list baseline, which needs a real pod from phase 3.

    // ---- diagnostic: the API server's request path without LevelDB
    log('diagnostic: API server with --storage memory — creates (what durability costs)');
    const apiMem = await started(startApiServer(o.dataRoot, 'memory'));
    const mpool = newPool(apiMem.origin, S.concurrency);
    pools.push(mpool);
    const memCreates = await metered(apiMem, () =>
      closedLoop({ ...loadOpts, pool: mpool, expectStatus: 201, request: (w, i): RequestSpec => ({ method: 'POST', path: PODS, headers: JSON_HEADERS, body: podManifest(`m-${w}-${i}`) }) }),
    );
    check(memCreates.result, 'memory-storage creates');
    baseline({ label: 'diagnostic: API server creates on memory storage', value: loadSummary(memCreates.result), how: `the same server and request path with --storage memory (no LevelDB, no fsync), ${S.concurrency} clients` });
    cpuRow('diagnostic: creates, memory storage', memCreates);
    await mpool.destroy();
    await stopped(apiMem);

    // ---- 1, 2: creates and gets
    log(`API server (LevelDB, fsync) — creates and gets, ${S.concurrency} clients, ${S.phaseMs / 1000} s each`);
    const api1 = await started(startApiServer(o.dataRoot));
    const apool = newPool(api1.origin, S.concurrency);
    pools.push(apool);
    const aLoad = { ...loadOpts, pool: apool };
    const names: string[] = [];
    const creates = await metered(api1, () =>
      closedLoop({
        ...aLoad,
        expectStatus: 201,
        request: (w, i): RequestSpec => {
          const name = `c-${w}-${i}`;
          return { method: 'POST', path: PODS, headers: JSON_HEADERS, body: podManifest(name), tag: name };
        },
        onOk: (spec) => {
          if (names.length < 200_000) names.push(spec.tag!);
        },
      }),
    );
    check(creates.result, 'creates');
    const c = creates.result;
    figure({
      label: 'creates/s',
      value: loadSummary(c),
      target: `≥ ${fmtInt(TARGET.createsPerSec)}/s at p99 ≤ ${TARGET.createsP99Ms} ms`,
      met: judged ? c.perSecond >= TARGET.createsPerSec && c.latency.p99 <= TARGET.createsP99Ms && c.errors === 0 : undefined,
      baseline: `fastify POST ${fmtInt(fPost.result.perSecond)}/s (p99 ${fmtMs(fPost.result.latency.p99)}); synced puts ${fmtInt(lv.sequential.putsPerSecond)}/s sequential, ${fmtInt(lv.concurrent.putsPerSecond)}/s ${S.level.concurrency}-concurrent; memory-storage creates ${fmtInt(memCreates.result.perSecond)}/s (p99 ${fmtMs(memCreates.result.latency.p99)})`,
      ratio: `${fmtRatio(c.perSecond / fPost.result.perSecond)} fastify POST, ${fmtRatio(c.perSecond / lv.sequential.putsPerSecond)} raw synced puts, ${fmtRatio(c.perSecond / lv.concurrent.putsPerSecond)} ${S.level.concurrency}-concurrent synced puts, ${fmtRatio(c.perSecond / memCreates.result.perSecond)} memory-storage creates`,
    }, creates);
    cpuRow('1 creates', creates, `server RSS after ${fmtInt(rssMiB(api1.child.pid))} MiB, ${fmtInt(names.length)} pods stored`);

    if (names.length === 0) throw new Error('gets: no pod was created');
    const gets = await metered(api1, () =>
      closedLoop({ ...aLoad, expectStatus: 200, request: (w, i): RequestSpec => ({ method: 'GET', path: `${PODS}/${names[(w * 7919 + i * 31) % names.length]}`, headers: { accept: 'application/json' } }) }),
    );
    check(gets.result, 'gets');
    const g = gets.result;
    figure({
      label: 'gets/s',
      value: loadSummary(g),
      target: `≥ ${fmtInt(TARGET.getsPerSec)}/s at p99 ≤ ${TARGET.getsP99Ms} ms`,
      met: judged ? g.perSecond >= TARGET.getsPerSec && g.latency.p99 <= TARGET.getsP99Ms && g.errors === 0 : undefined,
      baseline: `fastify GET ${fmtInt(fGet.result.perSecond)}/s (p99 ${fmtMs(fGet.result.latency.p99)})`,
      ratio: `${fmtRatio(g.perSecond / fGet.result.perSecond)} fastify GET`,
    }, gets);
    cpuRow('2 gets', gets);
    await apool.destroy();
    await stopped(api1);

    // ---- 3: list
    log(`API server — list of ${fmtInt(S.listPods)} pods (fresh server), median of ${S.listRuns} runs after ${S.listWarmupRuns} warm-up`);
    const api2 = await started(startApiServer(o.dataRoot));
    const lpool = newPool(api2.origin, S.concurrency);
    pools.push(lpool);
    const seed = await closedLoop({
      pool: lpool,
      concurrency: S.concurrency,
      warmupMs: 0,
      durationMs: 120_000,
      maxRequests: S.listPods,
      expectStatus: 201,
      request: (w, i): RequestSpec => ({ method: 'POST', path: PODS, headers: JSON_HEADERS, body: podManifest(`l-${w}-${i}`) }),
    });
    if (seed.ok !== S.listPods) throw new Error(`list seeding created ${seed.ok} of ${S.listPods} pods: ${seed.firstError}`);
    const listJson = await metered(api2, () => timeList(lpool, PODS, 'application/json', S.listWarmupRuns, S.listRuns));
    const listTable = await metered(api2, () => timeList(lpool, PODS, TABLE_ACCEPT, S.listWarmupRuns, S.listRuns));
    for (const [what, l] of [['JSON', listJson.result], ['Table', listTable.result]] as const) {
      if (l.items !== S.listPods) throw new Error(`list ${what}: ${l.items} items, expected ${S.listPods}`);
    }
    const sample = (await getJson(lpool, `${PODS}?limit=1`)).body.items[0];
    await lpool.destroy();
    await stopped(api2);

    const seeded = await (async () => {
      const res = await fpool.request({ method: 'POST', path: '/list-seed', headers: JSON_HEADERS, body: JSON.stringify({ item: sample, count: S.listPods }) });
      return (await res.body.json()) as { count: number };
    })();
    if (seeded.count !== S.listPods) throw new Error(`fastify list seed: ${seeded.count}`);
    const fList = await metered(fastify, () => timeList(fpool, '/list', 'application/json', S.listWarmupRuns, S.listRuns));
    baseline({ label: 'baseline A fastify list', value: `median ${fmtMs(fList.result.medianMs)} (${fmtBytes(fList.result.bytes)})`, how: `GET /list: a PodList of ${fmtInt(S.listPods)} copies of one stored pod, JSON.stringify per request` });
    cpuRow('baseline A fastify list', fList);
    await fpool.destroy();
    await stopped(fastify);

    const listTarget = `≤ ${TARGET.listMs} ms`;
    const listJudged = judged && S.listPods === TARGET.listPods;
    for (const [what, m] of [['JSON', listJson], ['Table', listTable]] as const) {
      const l = m.result;
      figure({
        label: `list ${what}`,
        value: `${fmtInt(S.listPods)} pods: median ${fmtMs(l.medianMs)} (min ${fmtMs(l.minMs)}, max ${fmtMs(l.maxMs)}; ${fmtBytes(l.bytes)})`,
        target: what === 'JSON' ? listTarget : `${listTarget} (the list target, applied to kubectl's Table too)`,
        met: listJudged ? l.medianMs <= TARGET.listMs : undefined,
        baseline: `fastify list median ${fmtMs(fList.result.medianMs)}`,
        ratio: `${fmtRatio(l.medianMs / fList.result.medianMs)} the fastify list time${what === 'Table' ? `, ${fmtRatio(l.medianMs / listJson.result.medianMs)} the JSON list` : ''}`,
      }, m);
      cpuRow(`3 list ${what}`, m, `${S.listRuns + S.listWarmupRuns} sequential lists`);
    }

    // ---- 4: watch
    const api3 = await started(startApiServer(o.dataRoot));
    const watchResults: WatchResult[] = [];
    for (const w of S.watchers) {
      log(`API server — watch: ${w} watchers, writer at ${fmtInt(S.watchRate)} creates/s, ${S.warmupMs / 1000} s warm-up + ${S.watchMs / 1000} s`);
      const r = await watchPhase(api3, w, S.watchRate, S.warmupMs, S.watchMs, `w${w}`);
      watchResults.push(r);
      if (r.writesAcked === 0) throw new Error(`watch: no write succeeded: ${r.firstError}`);
      const bound = TARGET.watchP99Ms.get(w);
      const missing = r.expectedDeliveries - r.deliveries.count;
      figure({
        label: `watch latency, ${w} watchers`,
        value: `${lat(r.deliveries)} over ${fmtInt(r.deliveries.count)} deliveries${missing ? ` (${fmtInt(missing)} missing)` : ''}; ${fmtInt(r.eventsPerSec)} events/s achieved (asked ${fmtInt(S.watchRate)}); write ack ${lat(r.ack)}${r.writeErrors ? `; ${r.writeErrors} write errors` : ''}`,
        target: bound !== undefined ? `p99 ≤ ${bound} ms` : 'none at this size',
        met: judged && bound !== undefined ? r.deliveries.p99 <= bound && missing === 0 && r.eventsPerSec >= 0.9 * S.watchRate : undefined,
        baseline: `synced put p99 ${fmtMs(lv.sequential.latency.p99)} (an event leaves only after its fsync); write ack p99 ${fmtMs(r.ack.p99)}`,
        ratio: `${fmtRatio(r.deliveries.p99 / lv.sequential.latency.p99)} a synced put's p99, ${fmtRatio(r.deliveries.p99 / r.ack.p99)} the write's ack p99`,
      }, r.cpu);
      cpuRow(`4 watch ×${w}`, r.cpu, `${fmtInt(r.deliveries.count / r.writerSeconds)} deliveries/s`);
    }
    await stopped(api3);

    // ---- notes on limits, from the numbers above
    notes.push(
      `fsync: one synced LevelDB put takes p50 ${fmtMs(lv.sequential.latency.p50)} / p99 ${fmtMs(lv.sequential.latency.p99)} here (unsynced: p50 ${fmtMs(lv.unsynced.latency.p50)}), so a server that fsyncs each write alone tops out near ${fmtInt(lv.sequential.putsPerSecond)}/s; ${S.level.concurrency} concurrent writers get ${fmtInt(lv.concurrent.putsPerSecond)}/s and sequential synced batches of ${S.level.batchSize} ${fmtInt(lv.batched.putsPerSecond)} puts/s — the room group commit has to win.`,
    );
    notes.push(
      `Creates: ${fmtInt(c.perSecond)}/s, ${lat(c.latency)}; ${limitOf(creates)}. The same server on memory storage: ${fmtInt(memCreates.result.perSecond)}/s, ${lat(memCreates.result.latency)}; ${limitOf(memCreates)}.`,
    );
    notes.push(`Gets: ${fmtInt(g.perSecond)}/s, ${lat(g.latency)}; ${limitOf(gets)}. Bare fastify on the same generator: ${fmtInt(fGet.result.perSecond)}/s; ${limitOf(fGet)}.`);
    notes.push(
      `List: JSON median ${fmtMs(listJson.result.medianMs)} against ${fmtMs(fList.result.medianMs)} for fastify serialising the same ${fmtInt(S.listPods)} pods; Table ${fmtMs(listTable.result.medianMs)} (${fmtBytes(listTable.result.bytes)} instead of ${fmtBytes(listJson.result.bytes)}).`,
    );
    for (const r of watchResults) {
      notes.push(
        `Watch ×${r.watchers}: p50 ${fmtMs(r.deliveries.p50)} / p99 ${fmtMs(r.deliveries.p99)}; the write alone (send → 201) is p50 ${fmtMs(r.ack.p50)} / p99 ${fmtMs(r.ack.p99)}, so ${r.deliveries.p50 - r.ack.p50 > r.ack.p50 ? 'most of the latency is after the commit (fan-out and delivery)' : 'most of the latency is the write itself (queueing, validation, fsync\'d commit)'}; ${fmtInt(r.deliveries.count / r.writerSeconds)} deliveries/s; ${limitOf(r.cpu)}.`,
      );
    }
    for (const { f, cpu } of judgedFigures) {
      if (f.met === false) notes.push(`**MISSED** ${f.label}: ${f.value}; target ${f.target}. ${cpu ? `Limited by: ${limitOf(cpu)}.` : ''}`);
    }
    if (contended.length) {
      warnings.push(
        `other work used ≥ ${CONTENDED_PCT}% of a core (processes + steal) during ${contended.length} of ${resources.length} phases: ${contended.join(', ')}. On a 2-core machine that takes CPU from the server or the client, so those figures understate k8ts; re-run on a quiet machine before reading them as the server's limits.`,
      );
      for (const w of warnings) log(`WARNING: ${w}`);
    }
    log('notes on limits:');
    for (const n of notes) log(`  - ${n.replace(/\*\*/g, '')}`);
  } finally {
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
    for (const s of servers.splice(0)) await s.stop().catch(() => undefined);
  }

  return {
    name: 'api',
    title: 'k8ts-apiserver REST and watch',
    method: [
      'One process (bench/run.ts) is the client; each server is a child process started fresh on 127.0.0.1 with an ephemeral port: the real `dist/apiserver/main.js --data-dir DIR` (LevelDB, fsync\'d group commit, temp dir), baseline A `bench/fastify-hello.ts`, baseline B `bench/level-puts.ts`.',
      `Creates and gets: closed loop, ${S.concurrency} clients = ${S.concurrency} keep-alive connections (undici Pool, no pipelining), each sending its next request when the last answer's body was read; ${S.warmupMs / 1000} s warm-up unrecorded, then ${S.phaseMs / 1000} s measured. Latency = request issued → last body byte. Creates POST a small pod (labels, one container with port and resources) with a unique name to \`${PODS}\`; gets read those pods back by name.`,
      `List: a fresh server holding exactly ${fmtInt(S.listPods)} pods (created through the API), GET \`${PODS}\` one at a time, ${S.listWarmupRuns} warm-up then median of ${S.listRuns}; time = request issued → whole body read (client parsing not included). Table: the same with \`Accept: ${TABLE_ACCEPT}\`.`,
      `Watch: ${S.watchers.join(' then ')} HTTP NDJSON watchers (\`?watch=true&resourceVersion=<current>\`, one connection each) on one server, while a writer creates pods at ${fmtInt(S.watchRate)}/s for ${S.warmupMs / 1000} s unrecorded warm-up + ${S.watchMs / 1000} s (open loop, paced every ms, ≤ ${WATCH_MAX_IN_FLIGHT} in flight over ${WATCH_WRITE_CONNECTIONS} connections). Each pod carries \`${SENT_ANNOTATION}\` = its send time; latency = line received by a watcher − send time (send = just before the POST is issued, so it includes validation, the fsync\'d commit and fan-out; the client scans lines as bytes for the annotation instead of parsing them). p50/p99 over all deliveries; events/s = acknowledged writes / measured writer time.`,
      `Baseline A: bare fastify (no logger) in a child process, GET /hello and POST /echo (same manifest) under the same load generator; for the list, a PodList of ${fmtInt(S.listPods)} copies of one real stored pod, stringified per request.`,
      `Diagnostic: the same creates against the API server started with \`--storage memory\` (no LevelDB, no fsync), to separate what durability costs from what the request path costs.`,
      `Baseline B: classic-level in its own child process, ${fmtBytes(S.level.valueBytes)} values, ${S.level.phaseMs / 1000} s per phase: unsynced sequential, put(sync) sequential, ${S.level.concurrency} concurrent put(sync) writers, and sequential synced batches of ${S.level.batchSize}.`,
      'CPU: utime+stime deltas from /proc/PID/stat (whole process) and /proc/PID/task/PID/stat (main thread) over each phase; rest of machine = /proc/stat busy time minus server and client; steal = /proc/stat steal (the host running other VMs on our vCPUs).',
    ],
    figures,
    baselines,
    resources,
    notes,
    warnings,
  };
}

export const apiBenchmark: Benchmark = { name: 'api', run: runApiBench };

if (require.main === module) {
  runApiBench({ quick: process.argv.includes('--quick'), dataRoot: os.tmpdir(), log: (l) => console.log(l) })
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(`bench api: ${err?.stack ?? err}`);
      process.exit(1);
    });
}
