/**
 * The process launcher: the fallback where namespaces cannot be created. A container is a
 * plain process group on the host, started in the image rootfs joined with its working
 * directory, with the image's bin directories in front of PATH. Nothing is isolated:
 * the container sees and can write the host's files, and volumes are not mounted (their
 * host paths are where they are). createRuntime logs that loudly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerConfig } from './interface';
import type { Launcher, StoredContainer, StoredSandbox } from './holder-runtime';
import { execWrapper, shq, type HolderSpec } from './state';

const IMAGE_BIN_DIRS = ['usr/local/sbin', 'usr/local/bin', 'usr/sbin', 'usr/bin', 'sbin', 'bin'];

export class ProcessLauncher implements Launcher {
  validate(_cfg: ContainerConfig): void {
    /* nothing can be checked that the start would not report better */
  }

  private cwd(c: StoredContainer): string {
    const wd = c.config.workingDir || c.config.image.config.workingDir || '/';
    const p = path.join(c.config.image.rootfs, wd);
    return fs.existsSync(p) ? p : c.config.image.rootfs;
  }

  private env(c: StoredContainer, env: Record<string, string>): Record<string, string> {
    const bins = IMAGE_BIN_DIRS.map((d) => path.join(c.config.image.rootfs, d)).filter((d) => fs.existsSync(d));
    return { ...env, PATH: [...bins, env.PATH].filter(Boolean).join(':') };
  }

  prepare(_dir: string, c: StoredContainer, _sb: StoredSandbox, env: Record<string, string>, cgroupPath?: string): HolderSpec {
    const join = cgroupPath
      ? `echo 0 > ${shq(path.join(cgroupPath, 'cgroup.procs'))} || { printf 'startError cannot join the memory cgroup\\n' >&3; exit 128; }; `
      : '';
    return {
      argv: ['/bin/sh', '-c', join + execWrapper(true), 'sh', ...c.config.argv],
      env: this.env(c, env),
      cwd: this.cwd(c),
      logPath: c.config.logPath,
      memoryLimitBytes: c.config.memoryLimitBytes,
      cgroupPath,
    };
  }

  execCommand(c: StoredContainer, _pid: number, env: Record<string, string>, argv: string[]) {
    return { argv: ['/bin/sh', '-c', execWrapper(false), 'sh', ...argv], env: this.env(c, env), cwd: this.cwd(c) };
  }
}
