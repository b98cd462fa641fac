/** Pure helpers of the container runtime: quoting, /proc parsing, the exec wrapper, cgroup probing. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeCgroupV2 } from '../../kubelet/runtime';
import { execWrapper, groupAlive, groupMembers, procStat, readJson, shq, writeJsonAtomic, isSameLiveProcess } from '../../kubelet/runtime/state';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe('shq', () => {
  test.each([[''], ['plain'], ["it's"], ['a b\nc'], ['$HOME `x` "q" \\ *'], ["''"]])('%j survives sh', (s) => {
    const r = spawnSync('/bin/sh', ['-c', `printf %s ${shq(s)}`], { encoding: 'utf8' });
    expect(r.stdout).toBe(s);
  });
});

describe('procStat', () => {
  test('parses this process', () => {
    const st = procStat(process.pid)!;
    expect(st.pid).toBe(process.pid);
    expect(st.ppid).toBe(process.ppid);
    expect(st.startTicks).toBeGreaterThan(0);
    expect(isSameLiveProcess(process.pid, st.startTicks)).toBe(true);
    expect(isSameLiveProcess(process.pid, st.startTicks + 1)).toBe(false);
  });
  test('a comm with spaces and parentheses', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-rt-comm-'));
    const { spawn } = await import('node:child_process');
    const link = path.join(d, 'a) b (c');
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), link);
    const p = spawn(link, ['5'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const st = procStat(p.pid!)!;
      expect(st).toMatchObject({ pid: p.pid, ppid: process.pid, state: 'S' });
    } finally {
      p.kill('SIGKILL');
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
  test('missing pid', () => {
    expect(procStat(2 ** 22 + 12345)).toBeUndefined();
  });
  test('groupMembers / groupAlive of a fresh group', async () => {
    const { spawn } = await import('node:child_process');
    const p = spawn('sh', ['-c', 'sleep 5 & sleep 5 & wait'], { detached: true, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    expect(groupMembers(p.pid!).length).toBe(3);
    expect(groupAlive(p.pid!)).toBe(true);
    // Children first, so their parent reaps them (an init that does not reap would keep
    // orphaned zombies around).
    for (const m of groupMembers(p.pid!)) if (m.pid !== p.pid) process.kill(m.pid, 'SIGKILL');
    await new Promise((r) => p.once('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive(p.pid!)).toBe(false);
  });
});

describe('execWrapper', () => {
  const run = (argv: string[]) => spawnSync('/bin/sh', ['-c', execWrapper(false), 'sh', ...argv], { encoding: 'utf8' });
  test('runs the command with its args', () => {
    expect(run(['echo', 'a b', 'c']).stdout).toBe('a b c\n');
  });
  test('missing binary: 127 and the Kubernetes message', () => {
    const r = run(['nope-k8ts', 'x']);
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('exec: "nope-k8ts": executable file not found in $PATH\n');
  });
});

describe('atomic json', () => {
  test('write then read; unreadable is undefined', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-rt-unit-'));
    try {
      writeJsonAtomic(path.join(d, 'a.json'), { x: 1 });
      expect(readJson(path.join(d, 'a.json'))).toEqual({ x: 1 });
      expect(fs.readdirSync(d)).toEqual(['a.json']);
      expect(readJson(path.join(d, 'missing.json'))).toBeUndefined();
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('probeCgroupV2', () => {
  test('enables memory for a k8ts child when the controller is available', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-rt-cg-'));
    try {
      fs.writeFileSync(path.join(d, 'cgroup.controllers'), 'cpu io memory pids\n');
      fs.writeFileSync(path.join(d, 'cgroup.subtree_control'), '');
      fs.mkdirSync(path.join(d, 'k8ts'));
      fs.writeFileSync(path.join(d, 'k8ts', 'cgroup.subtree_control'), '');
      expect(probeCgroupV2(d, logger)).toBe(path.join(d, 'k8ts'));
      // A real cgroupfs takes each write as a command; a plain file shows them appended.
      expect(fs.readFileSync(path.join(d, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu');
      expect(fs.readFileSync(path.join(d, 'k8ts', 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu');
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
  test('no memory controller, or no cgroup2 at all: undefined', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-rt-cg-'));
    try {
      expect(probeCgroupV2(d, logger)).toBeUndefined();
      fs.writeFileSync(path.join(d, 'cgroup.controllers'), 'cpu pids\n');
      expect(probeCgroupV2(d, logger)).toBeUndefined();
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
