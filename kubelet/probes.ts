/**
 * Liveness, readiness and startup probes (../shared/KUBELET-STATUS.md §5; upstream
 * pkg/kubelet/prober and pkg/probe/{http,tcp,exec}).
 *
 * One worker per (pod, container, probe type), each on its own `periodSeconds` timer.
 * A worker probes the container's current instance only; a new container ID resets its
 * result (readiness → Failure, liveness → Success, startup → Unknown). Results flip only
 * after `successThreshold`/`failureThreshold` identical consecutive outcomes; a changed
 * result calls `onChange` so the pod worker re-syncs (ready flags, liveness kills).
 * Every failed attempt records an `Unhealthy` event, as upstream does.
 *
 * `runProbe` (one attempt) is separate from the manager so tests can drive it directly.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Container, Pod } from '../shared/api/types';
import type { Probe } from 'kubernetes-types/core/v1';
import type { ContainerStatus as RuntimeContainer, ExecResult } from './runtime/interface';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** `warning` (a 3xx) counts as success but records a ProbeWarning event; `error` is discarded. */
export interface ProbeOutcome {
  result: 'success' | 'failure' | 'warning' | 'error';
  output: string;
}

/** Follows the minor version the node reports (v1.32.0-k8ts). */
export const PROBE_USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;

export interface ProbeTarget {
  podIP: string;
  container: Container;
  exec?: (argv: string[], timeoutSeconds: number) => Promise<ExecResult>;
}

function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  if (port === undefined) return 0;
  if (/^\d+$/.test(port)) return Number(port);
  const p = (container.ports ?? []).find((cp) => cp.name === port);
  if (!p) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.name)}`);
  return p.containerPort;
}

function goDialError(err: NodeJS.ErrnoException, host: string, port: number): string {
  const addr = `${host}:${port}`;
  if (err.code === 'ECONNREFUSED') return `dial tcp ${addr}: connect: connection refused`;
  if (err.code === 'EHOSTUNREACH') return `dial tcp ${addr}: connect: no route to host`;
  if (err.code === 'ECONNRESET') return `read tcp ${addr}: read: connection reset by peer`;
  return `dial tcp ${addr}: ${err.message}`;
}

export function httpProbe(url: string, timeoutSeconds: number, headers: Record<string, string> = {}): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (!done) {
        done = true;
        resolve(o);
      }
    };
    const h: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*', Connection: 'close', ...headers };
    const req = lib.request(url, { method: 'GET', headers: h, agent: false, rejectUnauthorized: false } as https.RequestOptions, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        if (body.length < MAX_BODY) body += d.toString('utf8');
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        body = body.slice(0, MAX_BODY);
        if (code >= 200 && code < 300) finish({ result: 'success', output: body });
        else if (code >= 300 && code < 400) finish({ result: 'warning', output: `Probe terminated redirects, Response body: ${body}` });
        else finish({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (e) => finish({ result: 'failure', output: `Get "${url}": ${e.message}` }));
    });
    req.setTimeout(timeoutSeconds * 1000, () => {
      req.destroy();
      finish({ result: 'failure', output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ result: 'failure', output: `Get "${url}": ${goDialError(e, u.hostname, Number(u.port) || (u.protocol === 'https:' ? 443 : 80))}` }));
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const t = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutSeconds * 1000);
    sock.once('connect', () => {
      clearTimeout(t);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      resolve({ result: 'failure', output: goDialError(e, host, port) });
    });
  });
}

/** One probe attempt against the container. */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeout = probe.timeoutSeconds ?? 1;
  try {
    if (probe.httpGet) {
      const g = probe.httpGet;
      const scheme = (g.scheme ?? 'HTTP').toLowerCase();
      const host = g.host || target.podIP;
      const port = resolvePort(g.port as number | string, target.container);
      let p = g.path ?? '/';
      if (!p.startsWith('/')) p = `/${p}`;
      const headers: Record<string, string> = {};
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      return await httpProbe(`${scheme}://${host}:${port}${p}`, timeout, headers);
    }
    if (probe.tcpSocket) {
      return await tcpProbe(probe.tcpSocket.host || target.podIP, resolvePort(probe.tcpSocket.port as number | string, target.container), timeout);
    }
    if (probe.exec) {
      if (!target.exec) return { result: 'error', output: 'exec is not available' };
      const argv = probe.exec.command ?? [];
      let res: ExecResult;
      try {
        res = await target.exec(argv, timeout);
      } catch (err) {
        if (/timed? ?out/i.test(String(err))) return { result: 'failure', output: `command "${argv.join(' ')}" timed out` };
        return { result: 'error', output: String((err as Error).message ?? err) };
      }
      const out = Buffer.concat([res.stdout, res.stderr]).subarray(0, MAX_BODY).toString('utf8');
      return res.exitCode === 0 ? { result: 'success', output: out } : { result: 'failure', output: out };
    }
    if (probe.grpc) return { result: 'error', output: 'grpc probes are not supported' };
    return { result: 'error', output: 'missing probe handler' };
  } catch (err) {
    return { result: 'error', output: String((err as Error).message ?? err) };
  }
}

// ------------------------------------------------------------------ the manager

const TYPE_NAME: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProbeManagerOptions {
  exec: (containerId: string, argv: string[], timeoutSeconds: number) => Promise<ExecResult>;
  /** Records a container event (Unhealthy, ProbeWarning). */
  event: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath: string) => void;
  /** A stored result changed: the pod needs a sync. */
  onChange: (pod: Pod) => void;
  now?: () => number;
  /** Probe attempt (tests inject a fake). */
  run?: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
}

interface Worker {
  key: string;
  type: ProbeType;
  pod: Pod;
  container: Container;
  probe: Probe;
  podIP: string;
  instance?: RuntimeContainer;
  containerId?: string;
  result: ProbeResult;
  lastOutcome?: 'success' | 'failure';
  run: number;
  onHold: boolean;
  timer?: NodeJS.Timeout;
  busy: boolean;
}

function probeOf(c: Container, type: ProbeType): Probe | undefined {
  return type === 'liveness' ? c.livenessProbe : type === 'readiness' ? c.readinessProbe : c.startupProbe;
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private readonly now: () => number;
  private readonly runFn: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;

  constructor(private readonly opts: ProbeManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.runFn = opts.run ?? runProbe;
  }

  private static key(uid: string, name: string, type: ProbeType): string {
    return `${uid}/${name}/${type}`;
  }

  /**
   * Tells the manager the pod's current containers (newest instance per name). Creates
   * workers for containers with probes; a changed container ID resets the worker.
   */
  update(pod: Pod, podIP: string, newest: Map<string, RuntimeContainer | undefined>): void {
    const uid = pod.metadata!.uid!;
    const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
    for (const c of containers) {
      for (const type of ['startup', 'liveness', 'readiness'] as ProbeType[]) {
        const probe = probeOf(c, type);
        if (!probe) continue;
        const key = ProbeManager.key(uid, c.name, type);
        let w = this.workers.get(key);
        if (!w) {
          w = { key, type, pod, container: c, probe, podIP, result: initialResult(type), run: 0, onHold: false, busy: false };
          this.workers.set(key, w);
          const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
          const worker = w;
          w.timer = setInterval(() => void this.tick(worker), period);
          w.timer.unref?.();
          setImmediate(() => void this.tick(worker));
        }
        w.pod = pod;
        w.podIP = podIP;
        const inst = newest.get(c.name);
        w.instance = inst;
        if (inst && inst.id !== w.containerId) {
          w.containerId = inst.id;
          w.result = initialResult(type);
          w.run = 0;
          w.lastOutcome = undefined;
          w.onHold = false;
        }
      }
    }
  }

  private get(uid: string, name: string, type: ProbeType, containerId: string): ProbeResult | undefined {
    const w = this.workers.get(ProbeManager.key(uid, name, type));
    if (!w) return undefined;
    if (w.containerId !== containerId) return initialResult(type);
    return w.result;
  }

  /** `started`: true once the startup probe succeeded, or when there is none. */
  started(uid: string, name: string, containerId: string): boolean {
    const r = this.get(uid, name, 'startup', containerId);
    return r === undefined || r === 'success';
  }

  ready(uid: string, name: string, containerId: string): boolean {
    const r = this.get(uid, name, 'readiness', containerId);
    return r === undefined || r === 'success';
  }

  /** The liveness or startup probe of this instance stored Failure: kill and restart. */
  failed(uid: string, name: string, containerId: string): ProbeType | undefined {
    if (this.get(uid, name, 'liveness', containerId) === 'failure') return 'liveness';
    if (this.get(uid, name, 'startup', containerId) === 'failure') return 'startup';
    return undefined;
  }

  /** Deleted pods: liveness and startup stop (upstream sets them to Success); readiness keeps running. */
  podTerminating(uid: string): void {
    for (const w of this.workers.values()) {
      if (w.key.startsWith(`${uid}/`) && w.type !== 'readiness') {
        w.result = 'success';
        w.onHold = true;
      }
    }
  }

  removePod(uid: string): void {
    for (const [k, w] of this.workers) {
      if (k.startsWith(`${uid}/`)) {
        clearInterval(w.timer);
        this.workers.delete(k);
      }
    }
  }

  stop(): void {
    for (const w of this.workers.values()) clearInterval(w.timer);
    this.workers.clear();
  }

  /** One probe period of one worker (exported for tests through `tickAll`). */
  private async tick(w: Worker): Promise<void> {
    if (w.busy || !this.workers.has(w.key)) return;
    const inst = w.instance;
    if (!inst || inst.state !== 'running' || w.onHold) return;
    const uid = w.pod.metadata!.uid!;
    // Startup gates the others; once started, the startup worker stops for this instance.
    if (w.type !== 'startup' && !this.started(uid, w.container.name, inst.id)) return;
    if (w.type === 'startup' && w.result === 'success') return;
    const startedAt = inst.startedAt ? Date.parse(inst.startedAt) : 0;
    if (Math.floor((this.now() - Math.floor(startedAt / 1000) * 1000) / 1000) < (w.probe.initialDelaySeconds ?? 0)) return;
    w.busy = true;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.runFn(w.probe, {
        podIP: w.podIP,
        container: w.container,
        exec: (argv, t) => this.opts.exec(inst.id, argv, t),
      });
    } finally {
      w.busy = false;
    }
    // The instance changed while probing: the outcome is about a container that is gone.
    if (w.containerId !== inst.id || !this.workers.has(w.key)) return;
    this.record(w, outcome);
  }

  /** Applies one outcome to a worker: events, thresholds, stored result. */
  record(w: Worker, outcome: ProbeOutcome): void {
    const fieldPath = fieldPathOf(w.pod, w.container.name);
    const typeName = TYPE_NAME[w.type];
    if (outcome.result === 'error') {
      return; // upstream discards errors (they do not count toward a threshold)
    }
    if (outcome.result === 'warning') this.opts.event(w.pod, 'Warning', 'ProbeWarning', `${typeName} probe warning: ${outcome.output}`, fieldPath);
    if (outcome.result === 'failure') this.opts.event(w.pod, 'Warning', 'Unhealthy', `${typeName} probe failed: ${outcome.output}`, fieldPath);
    const r: 'success' | 'failure' = outcome.result === 'failure' ? 'failure' : 'success';
    if (w.lastOutcome === r) w.run++;
    else {
      w.lastOutcome = r;
      w.run = 1;
    }
    const threshold = r === 'failure' ? w.probe.failureThreshold ?? 3 : w.probe.successThreshold ?? 1;
    if (w.run < threshold) return;
    const changed = w.result !== r;
    w.result = r;
    // A stored liveness failure, or any startup result, holds the worker until the next instance.
    if ((w.type === 'liveness' && r === 'failure') || w.type === 'startup') {
      w.onHold = true;
      w.run = 0;
    }
    if (changed) this.opts.onChange(w.pod);
  }

  /** Test hook: runs one tick of every worker and waits for it. */
  async tickAll(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => this.tick(w)));
  }
}

function initialResult(type: ProbeType): ProbeResult {
  return type === 'readiness' ? 'failure' : type === 'liveness' ? 'success' : 'unknown';
}

export function fieldPathOf(pod: Pod, name: string): string {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name) ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}
