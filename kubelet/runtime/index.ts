/**
 * createRuntime: probes the host once and returns the Linux sandbox runtime where it can
 * create mount/PID/UTS namespaces and overlay mounts (root, util-linux), else the process
 * runtime, which warns loudly that containers are not isolated. It also decides how memory
 * limits are enforced: a cgroup v2 memory controller when /sys/fs/cgroup is a writable
 * cgroup2 hierarchy with `memory` available, else the holder watches the group's RSS.
 *
 * The probe runs synchronously at construction (a kubelet builds its runtime once at start).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HolderRuntime, type RuntimeLogger } from './holder-runtime';
import type { Runtime } from './interface';
import { LinuxSandboxLauncher } from './linux-sandbox';
import { ProcessLauncher } from './process-runtime';

export { ExecTimeoutError } from './interface';
export type * from './interface';
export type { RuntimeLogger } from './holder-runtime';

export const RUNTIME_VERSION = '0.1.0';

export interface CreateRuntimeOptions {
  /** Where sandboxes and containers are recorded; reuse it across kubelet restarts. */
  rootDir: string;
  logger: RuntimeLogger;
  /** Force a runtime; 'linux-sandbox' throws if the host cannot run it. Default: probe. */
  prefer?: 'linux-sandbox' | 'process';
  /** The compiled holder (default: holder.js beside this module, else dist/kubelet/runtime/holder.js). */
  holderPath?: string;
  /** cgroup v2 mount point to use for memory limits (default /sys/fs/cgroup); `false` disables cgroups. */
  cgroupRoot?: string | false;
}

export function defaultHolderPath(): string {
  const beside = path.join(__dirname, 'holder.js');
  if (fs.existsSync(beside)) return beside;
  // Running from the TypeScript sources (ts-jest): use the build output.
  return path.resolve(__dirname, '..', '..', 'dist', 'kubelet', 'runtime', 'holder.js');
}

/** Whether this host can run the Linux sandbox runtime; the reason when it cannot. */
export function probeLinuxSandbox(rootDir: string): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `platform is ${process.platform}` };
  const dir = fs.mkdtempSync(path.join(rootDir, '.probe-'));
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d));
    // The same operations a container start performs, on a throwaway root inside rootDir
    // (so an upperdir on a filesystem overlay cannot use is caught here, not per container).
    const script =
      `mount -t overlay overlay -o lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work ${dir}/merged && ` +
      `mount -t proc proc ${dir}/merged && printf probe > /proc/sys/kernel/hostname && chroot / true`;
    const r = spawnSync('unshare', ['--mount', '--uts', '--pid', '--fork', '--propagation', 'private', '/bin/sh', '-c', script], {
      encoding: 'utf8',
      timeout: 10000,
    });
    if (r.error) return { ok: false, reason: `unshare: ${r.error.message}` };
    if (r.status !== 0) return { ok: false, reason: `namespace/overlay probe failed: ${(r.stderr || '').trim() || `exit ${r.status}`}` };
    if (!fs.existsSync('/usr/bin/env') || !fs.existsSync('/bin/sh')) return { ok: false, reason: '/usr/bin/env or /bin/sh missing' };
    return { ok: true };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A cgroup v2 directory with the memory (and, if possible, cpu) controller enabled for its children, or undefined. */
export function probeCgroupV2(root: string, logger: RuntimeLogger): string | undefined {
  try {
    const controllers = fs.readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').split(/\s+/);
    if (!controllers.includes('memory')) return undefined;
    const parent = path.join(root, 'k8ts');
    fs.mkdirSync(parent, { recursive: true });
    const enabled = (d: string) => fs.readFileSync(path.join(d, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory');
    if (!enabled(root)) fs.writeFileSync(path.join(root, 'cgroup.subtree_control'), '+memory');
    if (!enabled(parent)) fs.writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+memory');
    // CPU limits are best effort: the cpu controller may be unavailable or delegated away.
    if (controllers.includes('cpu')) {
      for (const d of [root, parent]) {
        try {
          fs.appendFileSync(path.join(d, 'cgroup.subtree_control'), ' +cpu');
        } catch {
          logger.debug({ cgroup: d }, 'cannot enable the cpu controller; CPU limits not enforced');
        }
      }
    }
    return parent;
  } catch (err) {
    logger.debug({ err: String(err) }, 'cgroup v2 memory controller not usable');
    return undefined;
  }
}

export function createRuntime(opts: CreateRuntimeOptions): Runtime {
  const { rootDir, logger } = opts;
  fs.mkdirSync(rootDir, { recursive: true });
  const holderPath = opts.holderPath ?? defaultHolderPath();
  if (!fs.existsSync(holderPath)) throw new Error(`container holder ${holderPath} is missing: run \`npm run build\``);
  const cgroupParent = opts.cgroupRoot === false ? undefined : probeCgroupV2(opts.cgroupRoot ?? '/sys/fs/cgroup', logger);
  const memory = cgroupParent ? `cgroup v2 (${cgroupParent})` : 'RSS polling';

  let sandbox: { ok: true } | { ok: false; reason: string } = { ok: false, reason: 'process runtime requested' };
  if (opts.prefer !== 'process') {
    sandbox = probeLinuxSandbox(rootDir);
    if (!sandbox.ok && opts.prefer === 'linux-sandbox') throw new Error(`linux-sandbox runtime unavailable: ${sandbox.reason}`);
  }
  if (sandbox.ok) {
    logger.info({ runtime: 'linux-sandbox', rootDir, memoryLimits: memory }, 'container runtime: linux-sandbox (mount, PID and UTS namespaces)');
    return new HolderRuntime({
      name: 'linux-sandbox',
      version: RUNTIME_VERSION,
      isolated: true,
      rootDir,
      logger,
      launcher: new LinuxSandboxLauncher(),
      holderPath,
      cgroupParent,
    });
  }
  logger.warn(
    { runtime: 'process', rootDir, memoryLimits: memory, reason: sandbox.reason },
    'container runtime: process — CONTAINERS ARE NOT ISOLATED: they share the host filesystem, PIDs and hostname',
  );
  return new HolderRuntime({
    name: 'process',
    version: RUNTIME_VERSION,
    isolated: false,
    rootDir,
    logger,
    launcher: new ProcessLauncher(),
    holderPath,
    cgroupParent,
  });
}
