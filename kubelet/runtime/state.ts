/**
 * On-disk records shared by the runtime (in the kubelet) and the holder (one detached
 * process per running container), plus the /proc helpers both use.
 *
 * Layout under the runtime's root dir:
 *   sandboxes/<id>/sandbox.json          PodSandboxConfig + createdAt + state
 *   sandboxes/<id>/etc/{hostname,hosts,resolv.conf}   the pod's files, shown at /etc
 *   containers/<id>/config.json          ContainerConfig + sandboxId + createdAt (runtime writes once)
 *   containers/<id>/spec.json            what the holder runs (runtime writes before start)
 *   containers/<id>/state.json           HolderState (holder writes; runtime only for a
 *                                        start that never got a holder, or a lost holder)
 *   containers/<id>/holder.log           the holder's own diagnostics (not the container log)
 *
 * Concurrency model: each file has one writer at a time and every write is atomic
 * (write a temp file, rename over), so a reader — including a new runtime instance after
 * a kubelet restart — sees either the old or the new record, never a torn one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the holder executes; written by the runtime, read by the holder. */
export interface HolderSpec {
  /** argv the holder spawns as a new process group (the sandbox wrapper or the plain command). */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  memoryLimitBytes?: number;
  /**
   * cgroup v2 directory created for this container (memory.max set), or absent when the
   * limit is enforced by polling RSS. The launched script joins it itself before exec.
   */
  cgroupPath?: string;
  /**
   * The container's first process is not the holder's child but is announced on fd 3 as
   * `pid N` (the sandbox's PID 1 behind its parent shell); state.pid waits for it.
   */
  pidFromControl?: boolean;
}

/** Written by the holder: first when the process is up, again when it has ended. */
export interface HolderState {
  holderPid: number;
  /** /proc/<pid>/stat starttime (clock ticks since boot): tells a live holder from a reused PID. */
  holderStartTicks: number;
  /** Host PID of the container's first process (PID 1 of its PID namespace in the sandbox runtime). */
  pid?: number;
  pidStartTicks?: number;
  /** Process group that contains every process of the container. */
  pgid?: number;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  signal?: string;
  reason?: string;
  message?: string;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  startTicks: number;
}

/** Parses /proc/<pid>/stat (the comm field may hold spaces and parentheses, hence lastIndexOf). */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); starttime is field 22.
  return { pid, state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), startTicks: Number(f[19]) };
}

/** True when `pid` is alive (not a zombie) and is the same process that started at `startTicks`. */
export function isSameLiveProcess(pid: number | undefined, startTicks: number | undefined): boolean {
  if (!pid || startTicks === undefined) return false;
  const st = procStat(pid);
  return !!st && st.state !== 'Z' && st.state !== 'X' && st.startTicks === startTicks;
}

/** Live (non-zombie) members of a process group, by scanning /proc. */
export function groupMembers(pgid: number): ProcStat[] {
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = procStat(Number(n));
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') out.push(st);
  }
  return out;
}

/**
 * Whether any live process of the group remains. kill(-pgid, 0) is the cheap answer; it
 * also counts zombies nobody reaps (orphans re-parented to an init that does not wait),
 * so a positive answer is confirmed by a /proc scan.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return groupMembers(pgid).length > 0;
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* ESRCH: already gone */
  }
}

/** Resident memory of the group in bytes (sum of statm resident pages). */
export function groupRssBytes(pgid: number, pageSize = 4096): number {
  let total = 0;
  for (const m of groupMembers(pgid)) {
    try {
      const statm = fs.readFileSync(`/proc/${m.pid}/statm`, 'utf8').split(' ');
      total += Number(statm[1]) * pageSize;
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}

export function containerDir(rootDir: string, id: string): string {
  return path.join(rootDir, 'containers', id);
}

export function sandboxDir(rootDir: string, id: string): string {
  return path.join(rootDir, 'sandboxes', id);
}

/** POSIX shell single-quoting. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The last step of every container start and exec: `sh -c EXEC_WRAPPER sh argv…`. It
 * checks that argv[0] resolves in the container's PATH so a missing binary fails with
 * the message Kubernetes users know instead of a shell's "not found", then execs it (so
 * the command keeps the shell's PID: PID 1 in the sandbox). With `reportFd3`, fd 3 is the
 * holder's control pipe: a start error is reported there (the holder turns it into reason
 * StartError, exit code 128), success as `started` (the holder records the start only
 * then, so startContainer returns after the root is assembled), and the pipe is closed
 * before exec so the container never inherits it.
 */
export function execWrapper(reportFd3: boolean): string {
  const notFound = `exec: "%s": executable file not found in $PATH`;
  if (reportFd3) {
    return (
      `if ! command -v "$1" >/dev/null 2>&1; then printf 'startError ${notFound}\\n' "$1" >&3; exit 128; fi; ` +
      `printf 'started\\n' >&3; exec 3>&-; exec "$@"`
    );
  }
  return `if ! command -v "$1" >/dev/null 2>&1; then printf '${notFound}\\n' "$1" >&2; exit 127; fi; exec "$@"`;
}
