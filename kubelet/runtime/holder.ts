/**
 * The container holder: `node holder.js <container-dir>`, one per running container,
 * started detached (its own session) so the container outlives the kubelet. It is the
 * direct parent of the container's first process, so it alone learns the true exit
 * status; it writes everything the kubelet needs to `state.json` and exits when the
 * container has ended.
 *
 * The holder itself always runs on the host (outside any namespace: node cannot start
 * threads after unshare(CLONE_NEWPID)). What it spawns is in spec.json: for the sandbox
 * runtime `unshare … sh -c OUTER setup.sh`, whose child is PID 1 of the container's PID
 * namespace and is announced on fd 3; for the process runtime the command itself.
 *
 * Guarantees:
 * - The container is its own process group (pgid = its first process's PID; recorded
 *   in state.json as pgid).
 * - state.json gets `{pid, pgid, startedAt}` once the command has been exec'd (its root
 *   assembled; announced as `started` on fd 3) and
 *   `{exitCode, signal, finishedAt, reason}` when it has ended: Completed (0), Error
 *   (≠0, 128+signal for signals), OOMKilled (137, killed for its memory limit),
 *   StartError (128, the command could not be found).
 * - When the first process ends, whatever is left of its group is SIGKILLed (as runc does
 *   when a container's init dies), so an ended container holds no processes.
 * - SIGTERM/SIGINT/SIGHUP to the holder are forwarded to the whole group; they do not
 *   kill the holder, which stays to record the exit.
 * - stdout/stderr go to the container log in the CRI format
 *   `<RFC3339Nano> stdout|stderr F|P <line>` (P for a partial line cut at 16 KiB).
 *
 * Concurrency model: single-threaded event loop; it is the only writer of state.json
 * while alive, and writes are atomic renames.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { groupRssBytes, killGroup, procStat, readJson, writeJsonAtomic, type HolderSpec, type HolderState } from './state';

const RSS_POLL_MS = 200;
const MAX_LINE = 16 * 1024;
/** How long to wait for stdout/stderr to drain after the group is gone. */
const DRAIN_MS = 2000;

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: holder.js <container-dir>\n');
  process.exit(2);
}
const statePath = path.join(dir, 'state.json');
const spec = readJson<HolderSpec>(path.join(dir, 'spec.json'));
if (!spec) {
  process.stderr.write(`holder: cannot read ${dir}/spec.json\n`);
  process.exit(2);
}

const self = procStat(process.pid);
const state: HolderState = { holderPid: process.pid, holderStartTicks: self?.startTicks ?? 0 };
const save = () => writeJsonAtomic(statePath, state);

const logFd = fs.openSync(spec.logPath, 'a');

/**
 * RFC3339 with nanosecond digits: the wall clock read once at start, advanced by hrtime,
 * so lines are strictly ordered even within one millisecond.
 */
const wallStartNs = BigInt(Date.now()) * 1000000n;
const hrStart = process.hrtime.bigint();
function timestamp(): string {
  const ns = wallStartNs + (process.hrtime.bigint() - hrStart);
  const iso = new Date(Number(ns / 1000000n)).toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, 19)}.${String(ns % 1000000000n).padStart(9, '0')}Z`;
}

function lineWriter(stream: 'stdout' | 'stderr') {
  let pending = Buffer.alloc(0);
  const emit = (line: Buffer, tag: 'F' | 'P') => {
    fs.writeSync(logFd, Buffer.concat([Buffer.from(`${timestamp()} ${stream} ${tag} `), line, Buffer.from('\n')]));
  };
  return {
    write(chunk: Buffer) {
      let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let nl: number;
      while ((nl = buf.indexOf(10)) !== -1) {
        emit(buf.subarray(0, nl), 'F');
        buf = buf.subarray(nl + 1);
      }
      while (buf.length > MAX_LINE) {
        emit(buf.subarray(0, MAX_LINE), 'P');
        buf = buf.subarray(MAX_LINE);
      }
      pending = Buffer.from(buf);
    },
    end() {
      if (pending.length) emit(pending, 'F');
      pending = Buffer.alloc(0);
    },
  };
}

function finish(exitCode: number, signal: string | undefined, reason: string, message?: string) {
  state.exitCode = exitCode;
  if (signal) state.signal = signal;
  state.reason = reason;
  if (message) state.message = message;
  state.finishedAt = new Date().toISOString();
  if (!state.startedAt || reason === 'StartError') state.startedAt = '1970-01-01T00:00:00Z';
  save();
  if (spec!.cgroupPath) {
    try {
      fs.rmdirSync(spec!.cgroupPath);
    } catch {
      /* still populated or already gone; harmless */
    }
  }
  fs.closeSync(logFd);
  process.exit(0);
}

let child;
try {
  child = spawn(spec.argv[0], spec.argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    detached: true, // setsid: the container is its own session and process group
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
} catch (err) {
  finish(128, undefined, 'StartError', String((err as Error).message));
  throw err; // unreachable: finish exits
}

let startError: string | undefined;
let oomKilled = false;
let spawnFailed: string | undefined;
const out = lineWriter('stdout');
const errw = lineWriter('stderr');
child.stdout!.on('data', (b: Buffer) => out.write(b));
child.stderr!.on('data', (b: Buffer) => errw.write(b));
let ctl = '';
const ctlStream = child.stdio[3] as NodeJS.ReadableStream;
ctlStream.on('data', (b: Buffer) => {
  ctl += b.toString();
  const m = /^startError (.*)$/m.exec(ctl);
  if (m) startError = m[1];
  const p = /^pid (\d+)$/m.exec(ctl);
  if (/^started$/m.test(ctl) && state.pid === undefined) {
    const mainPid = spec.pidFromControl ? (p ? Number(p[1]) : undefined) : child.pid;
    if (mainPid !== undefined) recordStart(mainPid);
  }
});
ctlStream.on('error', () => undefined);

child.on('error', (err) => {
  spawnFailed = err.message;
});

function recordStart(mainPid: number) {
  state.pid = mainPid;
  // Announced first processes lead their own group (setsid); otherwise it is our child's.
  state.pgid = spec!.pidFromControl ? mainPid : pid;
  state.pidStartTicks = procStat(mainPid)?.startTicks;
  state.startedAt = new Date().toISOString();
  save();
}

const pid = child.pid;

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (state.pgid !== undefined) killGroup(state.pgid, sig);
  });
}

let rssTimer: NodeJS.Timeout | undefined;
if (pid !== undefined && spec.memoryLimitBytes && !spec.cgroupPath) {
  const limit = spec.memoryLimitBytes;
  const pageSize = 4096;
  rssTimer = setInterval(() => {
    const pgid = state.pgid;
    if (pgid !== undefined && groupRssBytes(pgid, pageSize) > limit) {
      oomKilled = true;
      killGroup(pgid, 'SIGKILL');
    }
  }, RSS_POLL_MS);
}

function cgroupOomKilled(): boolean {
  if (!spec!.cgroupPath) return false;
  try {
    const ev = fs.readFileSync(path.join(spec!.cgroupPath, 'memory.events'), 'utf8');
    const m = /^oom_kill (\d+)$/m.exec(ev);
    return !!m && Number(m[1]) > 0;
  } catch {
    return false;
  }
}

child.on('exit', (code, signal) => {
  if (rssTimer) clearInterval(rssTimer);
  if (pid !== undefined) killGroup(pid, 'SIGKILL');
  if (state.pgid !== undefined && state.pgid !== pid) killGroup(state.pgid, 'SIGKILL');
  let pipesOpen = 3;
  let done = false;
  const conclude = () => {
    if (done) return;
    done = true;
    out.end();
    errw.end();
    if (spawnFailed !== undefined && pid === undefined) return finish(128, undefined, 'StartError', spawnFailed);
    if (startError !== undefined) return finish(128, undefined, 'StartError', startError);
    const sigNum = signal ? (os.constants.signals as Record<string, number>)[signal] ?? 0 : 0;
    const exitCode = code ?? 128 + sigNum;
    if (oomKilled || cgroupOomKilled()) return finish(137, signal ?? undefined, 'OOMKilled');
    finish(exitCode, signal ?? undefined, exitCode === 0 ? 'Completed' : 'Error');
  };
  const closed = () => {
    if (--pipesOpen === 0) conclude();
  };
  // Wait for stdout, stderr and the control pipe, so no output and no start error is lost.
  for (const s of [child.stdout!, child.stderr!, child.stdio[3] as unknown as NodeJS.ReadableStream & { closed: boolean }]) {
    if (s.closed) closed();
    else s.once('close', closed);
  }
  setTimeout(conclude, DRAIN_MS).unref();
});

child.on('error', () => {
  if (pid === undefined) finish(128, undefined, 'StartError', spawnFailed);
});
