/**
 * The part both runtimes share: sandboxes and containers persisted under a root dir, each
 * started container run by a detached holder (holder.ts), status read back from the
 * holder's state.json, stop as SIGTERM → grace → SIGKILL to the container's process group.
 * What differs — how a container's process is launched and how an exec gets inside it —
 * is a `Launcher` (linux-sandbox.ts, process-runtime.ts).
 *
 * Guarantees:
 * - Everything is on disk: a new instance on the same root (a restarted kubelet) lists the
 *   same sandboxes and containers with their labels, sees running ones running (same PIDs,
 *   checked against /proc start times so a reused PID is never mistaken for a container)
 *   and exited ones with their exit codes.
 * - A container is started at most once: startContainer refuses a container that has a
 *   state.json, and a restarted runtime never relaunches anything.
 * - stopContainer resolves only when no process of the container's group is left and the
 *   holder has recorded the exit.
 *
 * Concurrency model: methods are async and may run concurrently for different
 * containers; per container the kubelet's pod worker serialises create/start/stop/remove.
 * The holder is the only writer of a running container's state.json; this class writes it
 * only when no holder exists (start failed to launch one) or the holder is provably gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../shared/logger';
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  ExecResult,
  PodSandboxConfig,
  Runtime,
} from './interface';
import { ExecTimeoutError } from './interface';
import {
  containerDir,
  groupAlive,
  isSameLiveProcess,
  killGroup,
  readJson,
  sandboxDir,
  writeJsonAtomic,
  type HolderSpec,
  type HolderState,
} from './state';

export type RuntimeLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface StoredSandbox {
  id: string;
  config: PodSandboxConfig;
  createdAt: string;
  state: 'ready' | 'notready';
  /** Where the sandbox's files are (set when read, not stored: the root may move). */
  dir?: string;
}

export interface StoredContainer {
  id: string;
  sandboxId: string;
  createdAt: string;
  config: ContainerConfig;
}

/** How a runtime turns a stored container into a holder launch, and an exec into a command. */
export interface Launcher {
  /** Checks a container config at create time; throws with a precise message. */
  validate(cfg: ContainerConfig): void;
  /** The holder's spec for this container (writes any helper files into `dir`). */
  prepare(dir: string, c: StoredContainer, sb: StoredSandbox, env: Record<string, string>, cgroupPath?: string): HolderSpec;
  /** argv/env/cwd that run `argv` inside the running container. */
  execCommand(c: StoredContainer, pid: number, env: Record<string, string>, argv: string[]): { argv: string[]; env: Record<string, string>; cwd: string };
}

export interface HolderRuntimeOptions {
  name: string;
  version: string;
  isolated: boolean;
  rootDir: string;
  logger: RuntimeLogger;
  launcher: Launcher;
  /** Path of the compiled holder.js. */
  holderPath: string;
  /** cgroup v2 parent directory with the memory controller enabled, when available. */
  cgroupParent?: string;
  /** Node binary for the holder (defaults to the current one). */
  nodePath?: string;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const POLL_MS = 25;
/** A start that shows no running process in this time is reported as failed. */
const START_TIMEOUT_MS = 15000;
/** After SIGKILL the group must vanish within this; otherwise something is badly wrong (D state). */
const KILL_TIMEOUT_MS = 15000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newId(): string {
  return randomBytes(32).toString('hex');
}

function parseEnvList(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list ?? []) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

export class HolderRuntime implements Runtime {
  readonly name: string;
  readonly version: string;
  readonly isolated: boolean;
  private readonly root: string;
  private readonly log: RuntimeLogger;
  private readonly launcher: Launcher;
  private readonly holderPath: string;
  private readonly cgroupParent?: string;
  private readonly nodePath: string;

  constructor(opts: HolderRuntimeOptions) {
    this.name = opts.name;
    this.version = opts.version;
    this.isolated = opts.isolated;
    this.root = opts.rootDir;
    this.log = opts.logger;
    this.launcher = opts.launcher;
    this.holderPath = opts.holderPath;
    this.cgroupParent = opts.cgroupParent;
    this.nodePath = opts.nodePath ?? process.execPath;
    fs.mkdirSync(path.join(this.root, 'sandboxes'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'containers'), { recursive: true });
  }

  // ---- sandboxes -------------------------------------------------------------------

  async runPodSandbox(cfg: PodSandboxConfig): Promise<string> {
    const id = newId();
    const dir = sandboxDir(this.root, id);
    fs.mkdirSync(path.join(dir, 'etc'), { recursive: true });
    // The pod's own /etc files, shared by its containers (the kubelet-managed hosts file).
    fs.writeFileSync(path.join(dir, 'etc', 'hostname'), `${cfg.hostname}\n`);
    fs.writeFileSync(
      path.join(dir, 'etc', 'hosts'),
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
        'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        `${cfg.podIP}\t${cfg.hostname}\n`,
    );
    let resolv = '';
    try {
      resolv = fs.readFileSync('/etc/resolv.conf', 'utf8');
    } catch {
      /* no host resolver config: an empty one */
    }
    fs.writeFileSync(path.join(dir, 'etc', 'resolv.conf'), resolv);
    const sb: StoredSandbox = { id, config: cfg, createdAt: new Date().toISOString(), state: 'ready' };
    writeJsonAtomic(path.join(dir, 'sandbox.json'), sb);
    return id;
  }

  async stopPodSandbox(id: string, gracePeriodSeconds: number): Promise<void> {
    const sb = this.readSandbox(id);
    if (!sb) return;
    const cs = await this.listContainers({ sandboxId: id });
    await Promise.all(cs.map((c) => this.stopContainer(c.id, gracePeriodSeconds)));
    writeJsonAtomic(path.join(sandboxDir(this.root, id), 'sandbox.json'), { ...sb, dir: undefined, state: 'notready' });
  }

  async removePodSandbox(id: string): Promise<void> {
    const cs = await this.listContainers({ sandboxId: id });
    await Promise.all(cs.map((c) => this.removeContainer(c.id)));
    fs.rmSync(sandboxDir(this.root, id), { recursive: true, force: true });
  }

  async listPodSandboxes(): Promise<{ id: string; config: PodSandboxConfig }[]> {
    const out: { id: string; config: PodSandboxConfig }[] = [];
    for (const id of this.ids('sandboxes')) {
      const sb = this.readSandbox(id);
      if (sb) out.push({ id, config: sb.config });
    }
    return out;
  }

  // ---- containers ------------------------------------------------------------------

  async createContainer(sandboxId: string, cfg: ContainerConfig): Promise<string> {
    if (!this.readSandbox(sandboxId)) throw new Error(`pod sandbox ${sandboxId} not found`);
    if (!cfg.argv.length) throw new Error(`container ${cfg.name}: no command specified`);
    this.launcher.validate(cfg);
    const id = newId();
    const dir = containerDir(this.root, id);
    fs.mkdirSync(dir, { recursive: true });
    const c: StoredContainer = { id, sandboxId, createdAt: new Date().toISOString(), config: cfg };
    writeJsonAtomic(path.join(dir, 'config.json'), c);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.readContainer(id);
    if (!c) throw new Error(`container ${id} not found`);
    const dir = containerDir(this.root, id);
    const statePath = path.join(dir, 'state.json');
    if (fs.existsSync(statePath)) throw new Error(`container ${id} was already started`);
    const sb = this.readSandbox(c.sandboxId);
    if (!sb) throw new Error(`pod sandbox ${c.sandboxId} not found`);

    fs.mkdirSync(path.dirname(c.config.logPath), { recursive: true });
    const env = this.containerEnv(c, sb);
    const cgroupPath = this.makeCgroup(id, c.config.memoryLimitBytes, c.config.cpuLimitMillicores);
    const spec = this.launcher.prepare(dir, c, sb, env, cgroupPath);
    writeJsonAtomic(path.join(dir, 'spec.json'), spec);

    const holderLog = fs.openSync(path.join(dir, 'holder.log'), 'a');
    let holder: ChildProcess;
    try {
      holder = spawn(this.nodePath, [this.holderPath, dir], {
        detached: true, // own session: survives the kubelet and its process group's signals
        stdio: ['ignore', holderLog, holderLog],
        env: { PATH: process.env.PATH ?? DEFAULT_PATH },
      });
    } finally {
      fs.closeSync(holderLog);
    }
    let spawnError: Error | undefined;
    holder.on('error', (e) => (spawnError = e));
    holder.unref();

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const st = readJson<HolderState>(statePath);
      if (st?.pid || st?.finishedAt) return;
      if (spawnError || holder.exitCode !== null || holder.signalCode !== null || Date.now() > deadline) {
        await sleep(POLL_MS); // the holder may have written its state just before exiting
        const again = readJson<HolderState>(statePath);
        if (again?.pid || again?.finishedAt) return;
        const msg = spawnError?.message ?? `container holder failed to start (see ${path.join(dir, 'holder.log')})`;
        writeJsonAtomic(statePath, {
          holderPid: holder.pid ?? 0,
          holderStartTicks: 0,
          startedAt: '1970-01-01T00:00:00Z',
          finishedAt: new Date().toISOString(),
          exitCode: 128,
          reason: 'StartError',
          message: msg,
        } satisfies HolderState);
        if (holder.exitCode === null) holder.kill('SIGKILL');
        return;
      }
      await sleep(POLL_MS);
    }
  }

  async stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    const statePath = path.join(containerDir(this.root, id), 'state.json');
    const st = readJson<HolderState>(statePath);
    if (!st || !st.pgid) return;
    const holderAlive = isSameLiveProcess(st.holderPid, st.holderStartTicks);
    const mainAlive = isSameLiveProcess(st.pid, st.pidStartTicks);
    // Without a live holder or main process the pgid may have been reused: never signal it then.
    if (!holderAlive && !mainAlive) {
      this.markLost(id, st);
      return;
    }
    const pgid = st.pgid;
    if (groupAlive(pgid)) {
      killGroup(pgid, 'SIGTERM');
      const graceEnd = Date.now() + Math.max(0, gracePeriodSeconds) * 1000;
      while (groupAlive(pgid) && Date.now() < graceEnd) await sleep(POLL_MS);
      if (groupAlive(pgid)) {
        this.log.info({ containerId: id, gracePeriodSeconds }, 'grace period over, killing container');
        const killEnd = Date.now() + KILL_TIMEOUT_MS;
        while (groupAlive(pgid)) {
          killGroup(pgid, 'SIGKILL');
          if (Date.now() > killEnd) throw new Error(`container ${id}: processes survive SIGKILL`);
          await sleep(POLL_MS);
        }
      }
    }
    // Wait for the holder to record the exit so the next status read says "exited".
    const recordEnd = Date.now() + 5000;
    for (;;) {
      const now = readJson<HolderState>(statePath);
      if (now?.finishedAt) return;
      if (!isSameLiveProcess(st.holderPid, st.holderStartTicks) || Date.now() > recordEnd) {
        if (!readJson<HolderState>(statePath)?.finishedAt) this.markLost(id, st);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  async removeContainer(id: string): Promise<void> {
    const st = readJson<HolderState>(path.join(containerDir(this.root, id), 'state.json'));
    if (st && !st.finishedAt) await this.stopContainer(id, 0);
    if (this.cgroupParent) {
      try {
        fs.rmdirSync(path.join(this.cgroupParent, id));
      } catch {
        /* none or already removed by the holder */
      }
    }
    // Log files belong to the kubelet (it serves --previous and rotates them).
    fs.rmSync(containerDir(this.root, id), { recursive: true, force: true });
  }

  async listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const id of this.ids('containers')) {
      const c = this.readContainer(id);
      if (!c) continue;
      if (filter?.sandboxId && c.sandboxId !== filter.sandboxId) continue;
      if (filter?.labels && !Object.entries(filter.labels).every(([k, v]) => c.config.labels[k] === v)) continue;
      out.push(this.status(c));
    }
    return out;
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    const c = this.readContainer(id);
    return c && this.status(c);
  }

  async execSync(id: string, argv: string[], timeoutSeconds: number): Promise<ExecResult> {
    const c = this.readContainer(id);
    if (!c) throw new Error(`container ${id} not found`);
    const status = this.status(c);
    if (status.state !== 'running' || !status.pid) throw new Error(`container ${id} is not running`);
    if (!argv.length) throw new Error('exec: no command');
    const sb = this.readSandbox(c.sandboxId);
    const env = sb ? this.containerEnv(c, sb) : c.config.env;
    const cmd = this.launcher.execCommand(c, status.pid, env, argv);
    return new Promise<ExecResult>((resolve, reject) => {
      const p = spawn(cmd.argv[0], cmd.argv.slice(1), { cwd: cmd.cwd, env: cmd.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      p.stdout!.on('data', (b: Buffer) => out.push(b));
      p.stderr!.on('data', (b: Buffer) => err.push(b));
      let timedOut = false;
      const timer =
        timeoutSeconds > 0
          ? setTimeout(() => {
              timedOut = true;
              // The exec's own group: nsenter's forked child is in it too.
              if (p.pid) killGroup(p.pid, 'SIGKILL');
            }, timeoutSeconds * 1000)
          : undefined;
      p.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
      p.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        if (timedOut) return reject(new ExecTimeoutError(argv, timeoutSeconds));
        resolve({ exitCode: code ?? 128 + (signal ? signalNumber(signal) : 0), stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
      });
    });
  }

  // ---- internals -------------------------------------------------------------------

  private status(c: StoredContainer): ContainerStatus {
    const base: ContainerStatus = {
      id: c.id,
      sandboxId: c.sandboxId,
      name: c.config.name,
      state: 'created',
      createdAt: c.createdAt,
      image: c.config.image,
      labels: c.config.labels,
      logPath: c.config.logPath,
    };
    const statePath = path.join(containerDir(this.root, c.id), 'state.json');
    let st = readJson<HolderState>(statePath);
    if (!st) return base;
    if (!st.finishedAt && !isSameLiveProcess(st.holderPid, st.holderStartTicks)) {
      // The holder is gone; re-read in case it recorded the exit just before leaving.
      st = readJson<HolderState>(statePath) ?? st;
      if (!st.finishedAt && !isSameLiveProcess(st.pid, st.pidStartTicks)) st = this.markLost(c.id, st);
    }
    const s: ContainerStatus = { ...base, startedAt: st.startedAt, pid: st.pid };
    if (st.finishedAt) {
      return { ...s, state: 'exited', pid: undefined, finishedAt: st.finishedAt, exitCode: st.exitCode, reason: st.reason, message: st.message };
    }
    // No pid yet: the holder is still assembling the root (startContainer has not returned).
    return { ...s, state: st.pid ? 'running' : 'created' };
  }

  /** A container whose holder vanished without recording an exit: its status is lost for good. */
  private markLost(id: string, st: HolderState): HolderState {
    const statePath = path.join(containerDir(this.root, id), 'state.json');
    if (st.finishedAt) return st;
    const lost: HolderState = {
      ...st,
      finishedAt: new Date().toISOString(),
      exitCode: 137,
      reason: 'Error',
      message: 'container holder exited without recording the exit status',
    };
    if (fs.existsSync(path.dirname(statePath))) writeJsonAtomic(statePath, lost);
    return lost;
  }

  /** Image env, then the container's (which wins), then what Kubernetes always sets. */
  private containerEnv(c: StoredContainer, sb: StoredSandbox): Record<string, string> {
    const env: Record<string, string> = { ...parseEnvList(c.config.image.config.env), ...c.config.env };
    env.PATH ??= DEFAULT_PATH;
    env.HOSTNAME ??= sb.config.hostname;
    env.POD_IP ??= sb.config.podIP;
    return env;
  }

  /**
   * A cgroup v2 child for the container's limits: memory.max (+ no swap, whole-group OOM
   * kill) and cpu.max (quota per 100 ms period) when the cpu controller is enabled.
   * Undefined when there is no limit or cgroups are unusable: memory is then watched by RSS.
   */
  private makeCgroup(id: string, memory: number | undefined, cpuMillis: number | undefined): string | undefined {
    if ((!memory && !cpuMillis) || !this.cgroupParent) return undefined;
    const dir = path.join(this.cgroupParent, id);
    try {
      fs.mkdirSync(dir);
      if (memory) {
        fs.writeFileSync(path.join(dir, 'memory.max'), String(memory));
        for (const [f, v] of [['memory.swap.max', '0'], ['memory.oom.group', '1']]) {
          try {
            fs.writeFileSync(path.join(dir, f), v);
          } catch {
            /* optional knobs (no swap accounting) */
          }
        }
      }
      if (cpuMillis) {
        try {
          fs.writeFileSync(path.join(dir, 'cpu.max'), `${Math.max(1000, cpuMillis * 100)} 100000`);
        } catch (err) {
          this.log.debug({ err: String(err), containerId: id }, 'cpu limit not enforced: cgroup cpu controller unavailable');
        }
      }
      return dir;
    } catch (err) {
      this.log.warn({ err: String(err), containerId: id }, 'cgroup v2 limits unavailable; watching RSS for the memory limit');
      try {
        fs.rmdirSync(dir);
      } catch {
        /* not created */
      }
      return undefined;
    }
  }

  private ids(kind: 'sandboxes' | 'containers'): string[] {
    try {
      return fs.readdirSync(path.join(this.root, kind)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    } catch {
      return [];
    }
  }

  private readSandbox(id: string): StoredSandbox | undefined {
    const dir = sandboxDir(this.root, id);
    const sb = readJson<StoredSandbox>(path.join(dir, 'sandbox.json'));
    return sb && { ...sb, dir };
  }

  private readContainer(id: string): StoredContainer | undefined {
    return readJson<StoredContainer>(path.join(containerDir(this.root, id), 'config.json'));
  }
}

function signalNumber(signal: string): number {
  return (os.constants.signals as Record<string, number>)[signal] ?? 0;
}
