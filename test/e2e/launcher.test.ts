/**
 * `k8ts up` / `up -d` / `status` / `down`: the launcher starts the cluster's processes,
 * writes the kubeconfig kubectl uses, restarts a component that dies, and leaves
 * nothing running when stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, tempDir, run, eventually, Cli, freePort, pidsWith } from '../helpers/processes';

const CLI = path.join(DIST, 'cli', 'main.js');



const homes: string[] = [];
const started: ChildProcess[] = [];

afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
  for (const h of homes) {
    for (const pid of pidsWith(h)) process.kill(pid, 'SIGKILL');
    fs.rmSync(h, { recursive: true, force: true });
  }
});

test('up in the foreground: kubeconfig, usage, restart of a killed component, clean stop', async () => {
  const home = tempDir('up');
  homes.push(home);
  const port = await freePort();
  const up = spawn(process.execPath, [CLI, 'up', '--home', home, '--port', String(port), '--nodes', '2'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_PRETTY: '0' } });
  started.push(up);
  let out = '';
  up.stdout!.on('data', (c) => (out += c));
  up.stderr!.on('data', (c) => (out += c));
  await eventually(async () => out.includes('k8ts cluster is up'), 60_000);
  expect(out).toContain(`export KUBECONFIG=${path.join(home, 'kubeconfig')}`);
  expect(out).toMatch(/^\[apiserver\]\s+\{.*"component":"apiserver"/m);

  const kubectl = new Cli('kubectl', `http://127.0.0.1:${port}`);
  try {
    const r = await run('kubectl', ['get', 'ns'], { env: { PATH: process.env.PATH, HOME: kubectl.home, KUBECONFIG: path.join(home, 'kubeconfig') } });
    expect(r.stdout).toMatch(/^default\s+Active/m);
  } finally {
    kubectl.cleanup();
  }

  // Kill the API server: the supervisor restarts it, and the data survives.
  await fetch(`http://127.0.0.1:${port}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } }) });
  const [apiPid] = pidsWith(path.join(home, 'data'));
  expect(apiPid).toBeDefined();
  process.kill(apiPid, 'SIGKILL');
  await eventually(async () => out.includes('[apiserver]') && /exited \(SIGKILL\); restarting/.test(out), 20_000);
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/kept`)).ok, 30_000);

  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
  expect(pidsWith(home)).toEqual([]);
  expect(fs.existsSync(path.join(home, 'k8ts.pid'))).toBe(false);
});

test('up -d, status, down', async () => {
  const home = tempDir('up-d');
  homes.push(home);
  const port = await freePort();
  const args = ['--home', home, '--port', String(port)];
  const up = await run(process.execPath, [CLI, 'up', '-d', ...args], { timeoutMs: 90_000 });
  expect(up.code).toBe(0);
  expect(up.stdout).toContain('k8ts cluster is up');
  const status = await run(process.execPath, [CLI, 'status', ...args]);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/supervisor: running \(pid \d+\)/);
  expect(status.stdout).toContain(`API server: ready at http://127.0.0.1:${port}`);
  const again = await run(process.execPath, [CLI, 'up', '-d', ...args]);
  expect(again.code).not.toBe(0);
  expect(again.stdout).toContain('already runs');
  const down = await run(process.execPath, [CLI, 'down', ...args], { timeoutMs: 60_000 });
  expect(down.stdout).toContain('k8ts cluster stopped');
  expect(pidsWith(home)).toEqual([]);
  const after = await run(process.execPath, [CLI, 'status', ...args]);
  expect(after.code).not.toBe(0);
  expect(after.stdout).toContain('supervisor: not running');
});
