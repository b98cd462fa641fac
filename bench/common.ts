/**
 * What every benchmark shares: child processes and temp dirs that are always cleaned up,
 * CPU accounting from /proc, latency statistics, number formatting and a description of
 * the machine.
 *
 * Cleanup model: every child started through `spawnNode` and every dir made by
 * `tempDir` is registered here. The normal path stops children gracefully and removes
 * dirs itself; a process-level 'exit' hook (also reached from SIGINT/SIGTERM, which we
 * turn into process.exit) SIGKILLs whatever is still running and removes what is
 * left, so an error or ^C never leaves a server or a LevelDB dir behind. Our own child
 * scripts also exit when their stdin closes, which covers the bench process being
 * SIGKILLed itself.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ------------------------------------------------------------------ cleanup registry

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}: killing ${children.size} child process(es), removing ${tempDirs.size} temp dir(s)\n`);
      process.exit(code);
    });
  }
}

/**
 * A fresh temp dir, removed by `removeTempDir` or at exit. `root` lets a run put data
 * dirs on a chosen filesystem (fsync cost depends on it; tmpfs would make it free).
 */
export function tempDir(prefix: string, root = os.tmpdir()): string {
  hookExit();
  const dir = fs.mkdtempSync(path.join(root, `k8ts-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

// ------------------------------------------------------------------ child processes

export interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly pid: number;
  /** The last lines of stdout/stderr, for error messages. */
  tail(): string;
  /** Resolves with the first JSON stdout line whose `msg` is `msg` (seen earlier or later). */
  waitFor(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;

/**
 * Starts `node script ...args`. stdout and stderr are read continuously for the child's
 * whole life: a child that logs into a full pipe would block, and that would show up as
 * latency in the benchmark.
 */
export function spawnNode(name: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Child {
  hookExit();
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  if (proc.pid === undefined) throw new Error(`${name}: could not start ${script}`);
  children.add(proc);
  const lines: string[] = [];
  const seen = new Map<string, Record<string, unknown>>();
  const waiters = new Map<string, Array<(rec: Record<string, unknown>) => void>>();
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitWaiters: Array<() => void> = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  let buf = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      keep(line);
      if (!line.startsWith('{')) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof rec.msg !== 'string') continue;
      if (!seen.has(rec.msg)) seen.set(rec.msg, rec);
      for (const w of waiters.get(rec.msg) ?? []) w(rec);
      waiters.delete(rec.msg);
    }
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    for (const l of chunk.split('\n')) if (l) keep(l);
  });
  // Our scripts exit when stdin closes; an API server ignores it. Never write to it.
  proc.stdin!.on('error', () => undefined);
  proc.once('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(proc);
    for (const w of exitWaiters.splice(0)) w();
  });
  const tail = () => lines.join('\n');
  return {
    name,
    proc,
    pid: proc.pid,
    tail,
    waitFor(msg, timeoutMs) {
      const rec = seen.get(msg);
      if (rec) return Promise.resolve(rec);
      if (exited) return Promise.reject(new Error(`${name} exited (${exited.code ?? exited.signal}) before "${msg}":\n${tail()}`));
      return new Promise((resolve, reject) => {
        const onExit = () => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${exited?.code ?? exited?.signal}) before "${msg}":\n${tail()}`));
        };
        const timer = setTimeout(() => {
          proc.off('exit', onExit);
          reject(new Error(`${name}: no "${msg}" within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        proc.once('exit', onExit);
        const list = waiters.get(msg) ?? [];
        list.push((r) => {
          clearTimeout(timer);
          proc.off('exit', onExit);
          resolve(r);
        });
        waiters.set(msg, list);
      });
    },
    stop(graceMs = 10_000) {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        exitWaiters.push(resolve);
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        exitWaiters.push(() => clearTimeout(t));
      });
    },
  };
}

/** For our own child scripts: exit when the parent goes away (its end of stdin closes). */
export function exitWithParent(): void {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

// ------------------------------------------------------------------ CPU from /proc

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime+stime in ticks from a /proc stat file; the command name may hold spaces or ')'. */
function statTicks(file: string): number {
  try {
    const s = fs.readFileSync(file, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 (state) is f[0]; utime (14) and stime (15) follow.
    return Number(f[11]) + Number(f[12]);
  } catch {
    return NaN;
  }
}

export interface CpuUse {
  /** All threads of the process (JS thread, libuv pool doing LevelDB/fsync, GC helpers), % of one core. */
  processPct: number;
  /** The main thread only (the JS event loop), % of one core: near 100 means JS is the bottleneck. */
  mainThreadPct: number;
}

/** CPU used by `pid` between `start()` and `stop()`. Linux only; NaN elsewhere. */
export class CpuMeter {
  private t0 = 0;
  private proc0 = 0;
  private main0 = 0;

  constructor(readonly pid: number) {}

  start(): this {
    this.t0 = performance.now();
    this.proc0 = statTicks(`/proc/${this.pid}/stat`);
    this.main0 = statTicks(`/proc/${this.pid}/task/${this.pid}/stat`);
    return this;
  }

  stop(): CpuUse {
    const seconds = (performance.now() - this.t0) / 1000;
    const hz = ticksPerSecond();
    const pct = (ticks: number) => (100 * ticks) / hz / seconds;
    return {
      processPct: pct(statTicks(`/proc/${this.pid}/stat`) - this.proc0),
      mainThreadPct: pct(statTicks(`/proc/${this.pid}/task/${this.pid}/stat`) - this.main0),
    };
  }
}

/** Whole-machine busy and steal ticks from the first line of /proc/stat (all cores summed). */
function machineTicks(): { busy: number; steal: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    // Steal is not work done here: it is time our vCPUs wanted to run and the host said no.
    return { busy: user + nice + system + irq + softirq, steal };
  } catch {
    return { busy: NaN, steal: NaN };
  }
}

export interface MachineUse {
  /** CPU used by every process on the machine (and the kernel), % of one core (2 busy cores = 200%). */
  busyPct: number;
  /** Time the hypervisor gave our vCPUs to someone else, % of one core. */
  stealPct: number;
}

/**
 * The machine's total CPU use over a phase. On a shared machine, what is left after
 * subtracting the server and the client is other people's work competing for the cores.
 */
export class MachineMeter {
  private t0 = 0;
  private m0 = { busy: 0, steal: 0 };

  start(): this {
    this.t0 = performance.now();
    this.m0 = machineTicks();
    return this;
  }

  stop(): MachineUse {
    const seconds = (performance.now() - this.t0) / 1000;
    const m = machineTicks();
    const hz = ticksPerSecond();
    return { busyPct: (100 * (m.busy - this.m0.busy)) / hz / seconds, stealPct: (100 * (m.steal - this.m0.steal)) / hz / seconds };
  }
}

/**
 * Waits (bounded) until the rest of the machine has been quiet for `samples` 2-second
 * samples in a row: on a shared box a full run started under someone else's build
 * measures the build, and other people's work comes in bursts. Returns the last sample,
 * quiet or not, so the caller can record it.
 */
export async function waitForQuiet(maxMs: number, thresholdPct: number, samples: number, log: (line: string) => void): Promise<MachineUse> {
  const deadline = performance.now() + maxMs;
  let quiet = 0;
  let reported = 0;
  for (;;) {
    const m = new MachineMeter().start();
    await sleep(2_000);
    const use = m.stop();
    quiet = use.busyPct + use.stealPct < thresholdPct ? quiet + 1 : 0;
    if (quiet >= samples) return use;
    if (performance.now() >= deadline) {
      log(`machine still busy (${Math.round(use.busyPct)}% of a core, steal ${Math.round(use.stealPct)}%) after ${Math.round(maxMs / 1000)} s: running anyway; see "rest of machine" per phase`);
      return use;
    }
    if (quiet === 0 && performance.now() - reported > 15_000) {
      reported = performance.now();
      log(`machine busy (${Math.round(use.busyPct)}% of a core, steal ${Math.round(use.stealPct)}%): waiting for it to quiet down…`);
    }
  }
}

export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

// ------------------------------------------------------------------ statistics

export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of samples in ms (sorts a copy). */
export function latency(samples: Float64Array | number[], count = samples.length): Latency {
  const a = (samples instanceof Float64Array ? samples.slice(0, count) : Float64Array.from(samples.slice(0, count))).sort();
  const at = (p: number) => (count === 0 ? NaN : a[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]);
  return { count, p50: at(50), p90: at(90), p99: at(99), max: count ? a[count - 1] : NaN };
}

export function median(xs: number[]): number {
  return latency(xs).p50;
}

/** A growable Float64 sample buffer with a hard cap (so a run's memory is bounded). */
export class Samples {
  private buf: Float64Array;
  length = 0;
  dropped = 0;

  constructor(
    initial = 1 << 16,
    private readonly cap = 1 << 24,
  ) {
    this.buf = new Float64Array(initial);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      if (this.buf.length >= this.cap) {
        this.dropped += 1;
        return;
      }
      const next = new Float64Array(Math.min(this.cap, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  stats(): Latency {
    return latency(this.buf, this.length);
  }
}

// ------------------------------------------------------------------ formatting

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

/** Milliseconds with precision that suits their size. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  if (r >= 10) return `${Math.round(r).toLocaleString('en-US')}×`;
  if (r >= 1) return `${r.toFixed(1)}×`;
  return `${r.toFixed(2)}×`;
}

export function fmtPct(p: number): string {
  return Number.isFinite(p) ? `${Math.round(p)}%` : 'n/a';
}

export function fmtBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

// ------------------------------------------------------------------ machine

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  date: string;
  loadAverage: number[];
  /** Filesystem type under the data dirs (fsync cost depends on it). */
  dataFs: string;
  /** The rest of the machine just before the run (see waitForQuiet). */
  before?: MachineUse;
}

function filesystemOf(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    let best = { mount: '', type: 'unknown', dev: '' };
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [dev, mount, type] = line.split(' ');
      if (!mount) continue;
      if ((real === mount || real.startsWith(mount.endsWith('/') ? mount : mount + '/')) && mount.length >= best.mount.length) best = { mount, type, dev };
    }
    return `${best.type} (${best.dev} on ${best.mount})`;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(dataRoot: string): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpuModel,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
    dataFs: filesystemOf(dataRoot),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
