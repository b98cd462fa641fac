/**
 * Test helpers that run real k8ts processes (from dist/, built by `npm test` before
 * jest starts) on loopback with ephemeral ports and temp dirs, and the real kubectl
 * with a fresh HOME. Everything started here is killed in `stop()`; tests call it in
 * afterAll so a failing test still cleans up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `k8ts-${prefix}-`));
}

export interface ApiServerProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  dataDir?: string;
  logs: string[];
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

function waitExit(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

/** Starts `dist/apiserver/main.js` on 127.0.0.1 (port 0 unless given) and waits until it listens. */
export async function startApiServerProcess(opts: { dataDir?: string; port?: number; args?: string[] } = {}): Promise<ApiServerProcess> {
  const main = path.join(DIST, 'apiserver', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const args = [main, '--port', String(opts.port ?? 0)];
  if (opts.dataDir) args.push('--data-dir', opts.dataDir);
  else args.push('--storage', 'memory');
  args.push(...(opts.args ?? []));
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_PRETTY: '0' } });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`API server did not start:\n${logs.join('\n')}`)), 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        try {
          const rec = JSON.parse(line);
          if (rec.msg === 'API server listening') {
            clearTimeout(timer);
            resolve(rec.port);
          }
        } catch {
          // not JSON
        }
      }
    });
    proc.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API server exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    dataDir: opts.dataDir,
    logs,
    async stop() {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await waitExit(proc);
      clearTimeout(t);
    },
    async kill() {
      proc.kill('SIGKILL');
      await waitExit(proc);
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (with a hard timeout), collecting its output. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/**
 * A command-line client bound to one server: the real kubectl (with its own HOME, since
 * kubectl caches discovery per HOME) or our `k8ts`, run from dist/. Scenario tests run
 * the same steps through both.
 */
export class Cli {
  readonly home = tempDir('cli-home');
  readonly kubeconfig = path.join(this.home, 'kubeconfig');

  constructor(
    readonly name: 'kubectl' | 'k8ts',
    readonly server: string,
  ) {
    fs.writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: k8ts',
        '  cluster:',
        `    server: ${server}`,
        'users:',
        '- name: admin',
        '  user: {}',
        'contexts:',
        '- name: k8ts',
        '  context: {cluster: k8ts, user: admin}',
        'current-context: k8ts',
        '',
      ].join('\n'),
    );
  }

  env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: this.home, KUBECONFIG: this.kubeconfig };
  }

  /** The command and leading arguments that start this client. */
  command(): [string, string[]] {
    return this.name === 'kubectl' ? ['kubectl', []] : [process.execPath, [path.join(DIST, 'cli', 'main.js')]];
  }

  run(args: string[], opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
    const [cmd, pre] = this.command();
    return run(cmd, [...pre, ...args], { env: this.env(), ...opts });
  }

  /** Runs and fails the test with the client's output unless it exits 0. */
  async ok(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`${this.name} ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  cleanup(): void {
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/** Polls until `fn` returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const SEEDS = path.resolve(ROOT, '..', 'shared', 'fixtures', 'seeds');

/** A free port below the ephemeral range (fixed ephemeral ports collide on this machine). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** PIDs of processes whose command line (NUL-separated) contains `needle`. */
export function pidsWith(needle: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) pids.push(Number(d));
    } catch {
      // gone
    }
  }
  return pids;
}
