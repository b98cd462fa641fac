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
 *   1  creates: POST pods (small realistic manifest, unique names), 50 clients
 *   2  gets: GET one pod (names from phase 1), 50 clients
 *   3  list: N pods in a fresh server, full list as JSON and as a Table (kubectl's Accept),
 *      median of several sequential runs; baseline: fastify serving a PodList of N
 *      copies of one of those very pods
 *   4  watch: W HTTP NDJSON watchers from the current RV while a paced writer creates
 *      pods at R/s; each pod carries its send time in an annotation, so latency = event
 *      line parsed at the watcher − send time (taken just before the POST is issued;
 *      both clocks are this process's performance.now()). It therefore includes the
 *      write's validation, its fsync'd group commit and the fan-out.
 *
 * Every loop is bounded by count and by time; children are killed and data dirs removed
 * at the end, on error and on SIGINT (see common.ts).
 *
 * Run alone: `node dist/bench/api.js [--quick]` (prints only; `bench/run.js` writes
 * BENCHMARKS.md).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'undici';
import {
  CpuMeter,
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
  watchers: [10, 100],
  watchRate: 1000,
  watchMs: 2_000,
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
const SENT_MARK = `"${SENT_ANNOTATION}":"`;

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

async function startApiServer(dataRoot: string): Promise<Server> {
  const dataDir = tempDir('apiserver', dataRoot);
  const child = spawnNode('apiserver', path.join(DIST, 'apiserver', 'main.js'), ['--port', '0', '--data-dir', dataDir], { K8TS_LOG_PRETTY: '0' });
  try {
    const rec = await child.waitFor('API server listening', 30_000);
    return {
      child,
      origin: `http://127.0.0.1:${rec.port}`,
      dataDir,
      async stop() {
        await child.stop();
        removeTempDir(dataDir);
      },
    };
  } catch (err) {
    await child.stop(1_000);
    removeTempDir(dataDir);
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

/** CPU of the server under test and of this (client) process over one phase. */
async function metered<T>(server: Server, fn: () => Promise<T>): Promise<{ result: T; server: CpuUse; client: CpuUse }> {
  const s = new CpuMeter(server.child.pid).start();
  const c = new CpuMeter(process.pid).start();
  const result = await fn();
  return { result, server: s.stop(), client: c.stop() };
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
  server: CpuUse;
  client: CpuUse;
}

/**
 * W watchers from the current RV; a paced writer creates pods at `rate`/s for `ms`
 * (open loop: sends are due on a schedule, not when the last answer came back, with at
 * most MAX_IN_FLIGHT outstanding so an overloaded server is not buried).
 */
async function watchPhase(server: Server, watchers: number, rate: number, ms: number, tag: string): Promise<WatchResult> {
  const MAX_IN_FLIGHT = 256;
  const DRAIN_MS = 5_000;
  const control = newPool(server.origin, 1);
  const watchPool = newPool(server.origin, watchers);
  const writePool = newPool(server.origin, 64);
  const aborts: AbortController[] = [];
  try {
    const start = await getJson(control, `${PODS}?limit=1`);
    const rv = start.body?.metadata?.resourceVersion;
    if (start.status !== 200 || !rv) throw new Error(`list for the watch RV → ${start.status}`);

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
        res.body.setEncoding('utf8');
        let buf = '';
        res.body.on('error', () => undefined);
        res.body.on('data', (chunk: string) => {
          // One clock read per chunk: every line in it arrived at the same moment.
          const now = performance.now();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            // Finding the annotation by text avoids parsing 100k pods/s on the client,
            // which would otherwise be what this measures.
            const i = line.indexOf(SENT_MARK);
            if (i < 0 || !line.startsWith('{"type":"ADDED"')) {
              watchErrors += 1;
              firstWatchError ??= line.slice(0, 300);
              continue;
            }
            const sent = Number(line.slice(i + SENT_MARK.length, line.indexOf('"', i + SENT_MARK.length)));
            samples.push(now - sent);
            received[w] += 1;
          }
        });
      }),
    );
    // The server registers a watch after sending headers; give the last ones a moment.
    await sleep(200);

    const ack = new Samples();
    let sent = 0;
    let acked = 0;
    let writeErrors = 0;
    let firstError: string | undefined;
    let lastAck = 0;
    const inFlight = new Set<Promise<void>>();
    const total = Math.max(1, Math.round((rate * ms) / 1000));
    const meterS = new CpuMeter(server.child.pid).start();
    const meterC = new CpuMeter(process.pid).start();
    const t0 = performance.now();
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
          lastAck = performance.now();
          ack.push(lastAck - ts);
          acked += 1;
        })
        .catch((err: Error) => {
          writeErrors += 1;
          firstError ??= err.message;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    // Hard bound: a writer that is hopelessly behind schedule stops at 3× the phase.
    while (sent < total && performance.now() - t0 < 3 * ms) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (sent < due && inFlight.size < MAX_IN_FLIGHT) fire(sent++);
      await sleep(1);
    }
    await Promise.all([...inFlight]);
    const writerSeconds = ((lastAck || performance.now()) - t0) / 1000;
    const deadline = performance.now() + DRAIN_MS;
    while (received.some((n) => n < acked) && performance.now() < deadline) await sleep(10);
    const serverCpu = meterS.stop();
    const clientCpu = meterC.stop();
    if (watchErrors) throw new Error(`watch: ${watchErrors} unexpected lines, first: ${firstWatchError}`);
    return {
      watchers,
      deliveries: samples.stats(),
      expectedDeliveries: acked * watchers,
      writesAcked: acked,
      writeErrors,
      firstError,
      writerSeconds,
      eventsPerSec: acked / writerSeconds,
      ack: ack.stats(),
      server: serverCpu,
      client: clientCpu,
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
  const cpuRow = (phase: string, m: { server: CpuUse; client: CpuUse }, extra = ''): void => {
    resources.push({ phase, serverProcessCpu: fmtPct(m.server.processPct), serverMainThreadCpu: fmtPct(m.server.mainThreadPct), clientCpu: fmtPct(m.client.processPct), extra });
  };
  const figure = (f: Figure): void => {
    figures.push(f);
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
      baseline: `fastify POST ${fmtInt(fPost.result.perSecond)}/s (p99 ${fmtMs(fPost.result.latency.p99)}); synced puts ${fmtInt(lv.sequential.putsPerSecond)}/s sequential, ${fmtInt(lv.concurrent.putsPerSecond)}/s ${S.level.concurrency}-concurrent`,
      ratio: `${fmtRatio(c.perSecond / fPost.result.perSecond)} fastify POST, ${fmtRatio(c.perSecond / lv.sequential.putsPerSecond)} raw synced puts, ${fmtRatio(c.perSecond / lv.concurrent.putsPerSecond)} ${S.level.concurrency}-concurrent synced puts`,
    });
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
    });
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
      });
      cpuRow(`3 list ${what}`, m, `${S.listRuns + S.listWarmupRuns} sequential lists`);
    }

    // ---- 4: watch
    const api3 = await started(startApiServer(o.dataRoot));
    const watchResults: WatchResult[] = [];
    for (const w of S.watchers) {
      log(`API server — watch: ${w} watchers, writer at ${fmtInt(S.watchRate)} creates/s for ${S.watchMs / 1000} s`);
      const r = await watchPhase(api3, w, S.watchRate, S.watchMs, `w${w}`);
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
      });
      cpuRow(`4 watch ×${w}`, r, `${fmtInt(r.deliveries.count / r.writerSeconds)} deliveries/s`);
    }
    await stopped(api3);

    // ---- notes on limits, from the numbers above
    const fsync = lv.sequential.latency.p50;
    const cpuNote = (m: { server: CpuUse; client: CpuUse }) =>
      `server process ${fmtPct(m.server.processPct)} CPU (main thread ${fmtPct(m.server.mainThreadPct)}), bench client ${fmtPct(m.client.processPct)}`;
    notes.push(
      `One synced LevelDB put takes ${fmtMs(fsync)} (p50) on this disk, so a server that fsyncs each write alone tops out near ${fmtInt(lv.sequential.putsPerSecond)}/s; one synced batch of ${S.level.batchSize} reaches ${fmtInt(lv.batched.putsPerSecond)} puts/s. That gap is what the API server's group commit has to win.`,
    );
    notes.push(
      `Creates: ${fmtInt(c.perSecond)}/s with ${cpuNote(creates)}. ${creates.server.mainThreadPct >= 85 ? 'The JS main thread is (nearly) saturated: per-request CPU — not fsync — bounds throughput.' : 'The JS main thread has headroom, so waiting on fsync (or the client) bounds throughput.'} At ${fmtInt(c.perSecond)}/s and ${fmtMs(lv.batched.latency.p50)} per synced batch, a group commit holds about ${fmtInt(Math.max(1, (c.perSecond * lv.batched.latency.p50) / 1000))} writes.`,
    );
    notes.push(
      `Gets: ${fmtInt(g.perSecond)}/s with ${cpuNote(gets)} (fastify hello-world: ${fmtInt(fGet.result.perSecond)}/s with ${cpuNote(fGet)}). ${gets.client.processPct >= 85 ? 'The client process is itself near one core, so the load generator also limits this figure.' : ''}`,
    );
    notes.push(
      `List: JSON ${fmtMs(listJson.result.medianMs)} vs ${fmtMs(fList.result.medianMs)} for fastify serialising the same ${fmtInt(S.listPods)} pods; Table ${fmtMs(listTable.result.medianMs)}.`,
    );
    for (const r of watchResults) {
      notes.push(
        `Watch ×${r.watchers}: p50 ${fmtMs(r.deliveries.p50)} / p99 ${fmtMs(r.deliveries.p99)}, of which the write itself (ack) is p50 ${fmtMs(r.ack.p50)} / p99 ${fmtMs(r.ack.p99)}; ${cpuNote(r)}; ${fmtInt(r.deliveries.count / r.writerSeconds)} deliveries/s.${r.client.processPct >= 85 ? ' The bench client (reader of every stream) is near one core, so part of this latency is queueing in the client.' : ''}`,
      );
    }
    for (const f of figures.filter((x) => x.met === false)) notes.push(`MISSED — ${f.label}: ${f.value}; target ${f.target}. See the CPU split above for what limits it.`);
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
      `Watch: ${S.watchers.join(' then ')} HTTP NDJSON watchers (\`?watch=true&resourceVersion=<current>\`, one connection each) on one server, while a writer creates pods at ${fmtInt(S.watchRate)}/s for ${S.watchMs / 1000} s (open loop, paced every ms, ≤ 256 in flight). Each pod carries \`${SENT_ANNOTATION}\` = its send time; latency = line received by a watcher − send time (send = just before the POST is issued, so it includes validation, the fsync\'d commit and fan-out). p50/p99 over all deliveries; events/s = acknowledged writes / writer time.`,
      `Baseline A: bare fastify (no logger) in a child process, GET /hello and POST /echo (same manifest) under the same load generator; for the list, a PodList of ${fmtInt(S.listPods)} copies of one real stored pod, stringified per request.`,
      `Baseline B: classic-level in its own child process, ${fmtBytes(S.level.valueBytes)} values, ${S.level.phaseMs / 1000} s per phase: unsynced sequential, put(sync) sequential, ${S.level.concurrency} concurrent put(sync) writers, and sequential synced batches of ${S.level.batchSize}.`,
      'CPU: utime+stime deltas from /proc/PID/stat (whole process) and /proc/PID/task/PID/stat (main thread) over each phase.',
    ],
    figures,
    baselines,
    resources,
    notes,
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
