/**
 * `k8ts up | down | status`: a whole local cluster from one command. `up` starts the
 * API server, then every other component that exists in this build (scheduler,
 * controller manager, one kubelet per node, kube-proxy) as separate processes under
 * the Supervisor, writes `<home>/kubeconfig`, and prints how to use the cluster once
 * the API server answers. `up -d` runs the same supervisor detached, logging to
 * `<home>/k8ts.log`; `down` stops it by the PID in `<home>/k8ts.pid`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Supervisor, type ComponentSpec } from './supervisor';
import { writeKubeconfig } from '../shared/kubeconfig';
import { createLogger } from '../shared/logger';

export interface UpOptions {
  home: string;
  port: number;
  nodes: number;
  /** Extra flags per component (`--kubelet-arg=--backoff-scale=0.1`), e.g. to shrink timings in tests. */
  extraArgs?: Partial<Record<'apiserver' | 'scheduler' | 'controller-manager' | 'kubelet' | 'kube-proxy', string[]>>;
}

const DIST = path.resolve(__dirname, '..');

function entry(component: string): string | undefined {
  const p = path.join(DIST, component, 'main.js');
  return fs.existsSync(p) ? p : undefined;
}

/** The image registry listens next to the API server (6443 → 6444), so several clusters can coexist. */
export function registryPort(o: UpOptions): number {
  return o.port + 1;
}

/** The component processes of a local cluster, in start order (only those built so far). */
export function clusterComponents(o: UpOptions): ComponentSpec[] {
  const server = `http://127.0.0.1:${o.port}`;
  const node = process.execPath;
  const specs: ComponentSpec[] = [];
  const add = (name: string, component: string, args: string[]) => {
    const main = entry(component);
    const extra = o.extraArgs?.[component as keyof NonNullable<UpOptions['extraArgs']>] ?? [];
    if (main) specs.push({ name, command: node, args: [main, ...args, ...extra] });
  };
  const registry = `http://127.0.0.1:${registryPort(o)}`;
  add('apiserver', 'apiserver', ['--port', String(o.port), '--bind-address', '127.0.0.1', '--data-dir', path.join(o.home, 'data')]);
  add('registry', 'images', ['--port', String(registryPort(o)), '--bind-address', '127.0.0.1', '--data-dir', path.join(o.home, 'registry')]);
  add('scheduler', 'scheduler', ['--server', server]);
  add('controller-manager', 'controller-manager', ['--server', server]);
  for (let i = 1; i <= o.nodes; i++) {
    add(`node-${i}`, 'kubelet', ['--server', server, '--node-name', `node-${i}`, '--root-dir', path.join(o.home, 'nodes', `node-${i}`), '--node-index', String(i), '--registry', registry]);
  }
  add('kube-proxy', 'kube-proxy', ['--server', server]);
  return specs;
}

async function waitReady(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function usage(o: UpOptions): string {
  const kc = path.join(o.home, 'kubeconfig');
  return [
    '',
    `k8ts cluster is up: API server at http://127.0.0.1:${o.port}, ${o.nodes} node(s), data in ${path.join(o.home, 'data')}`,
    '',
    '  With kubectl:   export KUBECONFIG=' + kc,
    '                  kubectl get nodes',
    '  With k8ts:      ./bin/k8ts get pods -A      (reads ' + kc + ')',
    `  With curl:      curl http://127.0.0.1:${o.port}/api/v1/namespaces`,
    '',
    '  Stop with Ctrl-C (or `k8ts down` for a cluster started with -d).',
    '',
  ].join('\n');
}

function pidFile(home: string): string {
  return path.join(home, 'k8ts.pid');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(home: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(home), 'utf8').trim());
    return pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A kubelet leaves its containers running when it stops (so a restarted kubelet adopts
 * them, as in Kubernetes); stopping the whole local cluster stops them too, through
 * each node's runtime, so nothing keeps running after `k8ts down` or Ctrl-C.
 */
async function stopNodeContainers(o: UpOptions, out: (s: string) => void): Promise<void> {
  const runtimeModule = path.join(DIST, 'kubelet', 'runtime', 'index.js');
  if (!fs.existsSync(runtimeModule)) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createRuntime } = require(runtimeModule) as typeof import('../kubelet/runtime');
  const logger = createLogger('k8ts-up', { level: 'error', pretty: false });
  for (let i = 1; i <= o.nodes; i++) {
    const rootDir = path.join(o.home, 'nodes', `node-${i}`, 'runtime');
    if (!fs.existsSync(rootDir)) continue;
    try {
      const runtime = createRuntime({ rootDir, logger, prefer: 'process' });
      const sandboxes = await runtime.listPodSandboxes();
      await Promise.all(sandboxes.map((sb) => runtime.stopPodSandbox(sb.id, 10)));
      if (sandboxes.length) out(`node-${i}: stopped the containers of ${sandboxes.length} pod(s)`);
    } catch (err) {
      out(`node-${i}: could not stop its containers: ${(err as Error).message}`);
    }
  }
}

/** Runs the cluster in this process until SIGINT/SIGTERM. */
export async function runUp(o: UpOptions, out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<void> {
  fs.mkdirSync(o.home, { recursive: true });
  const existing = readPid(o.home);
  if (existing && existing !== process.pid) throw new Error(`a k8ts cluster already runs from ${o.home} (pid ${existing}); stop it with \`k8ts down --home ${o.home}\``);
  fs.writeFileSync(pidFile(o.home), String(process.pid));
  writeKubeconfig(path.join(o.home, 'kubeconfig'), { server: `http://127.0.0.1:${o.port}` });
  const specs = clusterComponents(o);
  if (specs.length === 0) throw new Error(`no components found under ${DIST}: run \`npm run build\` first`);
  const sup = new Supervisor({ write: out });
  const [apiserver, ...rest] = specs;
  sup.add(apiserver);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    out('stopping the cluster…');
    await sup.stop();
    await stopNodeContainers(o, out);
    try {
      if (readPid(o.home) === process.pid || !readPid(o.home)) fs.rmSync(pidFile(o.home), { force: true });
    } catch {
      // best effort
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (!(await waitReady(`http://127.0.0.1:${o.port}`, 60_000))) {
    out(`the API server did not become ready on port ${o.port}; see its log lines above`);
    await stop();
    return;
  }
  for (const s of rest) sup.add(s);
  out(usage(o));
}

/** `up -d`: start the supervisor detached, wait until the API server answers. */
export async function runUpDetached(o: UpOptions, out: (s: string) => void): Promise<number> {
  fs.mkdirSync(o.home, { recursive: true });
  const existing = readPid(o.home);
  if (existing) {
    out(`a k8ts cluster already runs from ${o.home} (pid ${existing})`);
    return 1;
  }
  const log = fs.openSync(path.join(o.home, 'k8ts.log'), 'a');
  const extra = Object.entries(o.extraArgs ?? {}).flatMap(([component, flags]) => (flags ?? []).map((f) => `--${component}-arg=${f}`));
  const child = spawn(process.execPath, [path.join(DIST, 'cli', 'main.js'), 'up', '--home', o.home, '--port', String(o.port), '--nodes', String(o.nodes), ...extra], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  const ok = await waitReady(`http://127.0.0.1:${o.port}`, 60_000, () => child.exitCode === null);
  if (!ok) {
    out(`the cluster did not come up; see ${path.join(o.home, 'k8ts.log')}`);
    return 1;
  }
  out(usage(o).replace('Stop with Ctrl-C (or `k8ts down` for a cluster started with -d).', `Logs: ${path.join(o.home, 'k8ts.log')}. Stop with \`k8ts down\`.`));
  return 0;
}

export async function runDown(home: string, out: (s: string) => void): Promise<number> {
  const pid = readPid(home);
  if (!pid) {
    out(`no k8ts cluster runs from ${home}`);
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile(home), { force: true });
  out('k8ts cluster stopped');
  return 0;
}

export async function runStatus(home: string, port: number, out: (s: string) => void): Promise<number> {
  const pid = readPid(home);
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  try {
    ready = (await fetch(`${url}/readyz`)).ok;
  } catch {
    ready = false;
  }
  out(`supervisor: ${pid ? `running (pid ${pid})` : 'not running'}`);
  out(`API server: ${ready ? `ready at ${url}` : `not answering at ${url}`}`);
  if (ready) {
    try {
      const nodes = (await (await fetch(`${url}/api/v1/nodes`)).json()) as { items?: { metadata: { name: string } }[] };
      out(`nodes: ${(nodes.items ?? []).map((n) => n.metadata.name).join(', ') || '(none registered)'}`);
    } catch {
      // the nodes list is informational
    }
  }
  return ready ? 0 : 1;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerClusterCommands(program: Command, out: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const common = (c: Command) => c.option('--home <dir>', 'state directory (data, kubeconfig, logs)', '.k8ts').option('--port <n>', 'API server port on 127.0.0.1', '6443');
  common(program.command('up').description('start a local cluster: API server, scheduler, controller manager, kubelets, kube-proxy'))
    .option('--nodes <n>', 'number of nodes', '2')
    .option('-d, --detach', 'run in the background (stop with `k8ts down`)')
    .option('--apiserver-arg <flag>', 'extra flag for the API server (repeatable)', collect, [])
    .option('--scheduler-arg <flag>', 'extra flag for the scheduler (repeatable)', collect, [])
    .option('--controller-manager-arg <flag>', 'extra flag for the controller manager (repeatable)', collect, [])
    .option('--kubelet-arg <flag>', 'extra flag for every kubelet (repeatable), e.g. --kubelet-arg=--backoff-scale=0.1', collect, [])
    .action(async (o) => {
      const opts: UpOptions = {
        home: path.resolve(o.home),
        port: Number(o.port),
        nodes: Number(o.nodes),
        extraArgs: { apiserver: o.apiserverArg, scheduler: o.schedulerArg, 'controller-manager': o.controllerManagerArg, kubelet: o.kubeletArg },
      };
      if (o.detach) process.exitCode = await runUpDetached(opts, out);
      else await runUp(opts, out);
    });
  common(program.command('down').description('stop a cluster started with `k8ts up -d`')).action(async (o) => {
    process.exitCode = await runDown(path.resolve(o.home), out);
  });
  common(program.command('status').description('show whether the local cluster runs and answers')).action(async (o) => {
    process.exitCode = await runStatus(path.resolve(o.home), Number(o.port), out);
  });
}
