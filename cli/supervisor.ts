/**
 * The process supervisor behind `k8ts up`: starts each component as its own Node
 * process, prefixes every output line with the component's name, restarts a component
 * that dies with exponential back-off (1 s doubling to 30 s, reset after it has run for
 * a minute), and on stop sends SIGTERM to all, then SIGKILL to whatever is left after
 * the grace period. Nothing here knows what the components are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  /** Where prefixed log lines go. */
  write: (line: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A component that ran this long gets its back-off reset. */
  resetAfterMs?: number;
  stopGraceMs?: number;
}

interface Managed {
  spec: ComponentSpec;
  child?: ChildProcess;
  backoffMs: number;
  startedAt: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private managed: Managed[] = [];
  private stopping = false;
  private readonly width: number;

  constructor(private readonly opts: SupervisorOptions, specs: ComponentSpec[] = []) {
    this.width = 0;
    for (const s of specs) this.add(s);
  }

  add(spec: ComponentSpec): void {
    const m: Managed = { spec, backoffMs: this.opts.initialBackoffMs ?? 1000, startedAt: 0, restarts: 0 };
    this.managed.push(m);
    if (!this.stopping) this.start(m);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.managed.map((m) => [m.spec.name, m.child?.pid]));
  }

  private prefix(name: string): string {
    const width = Math.max(this.width, ...this.managed.map((m) => m.spec.name.length));
    return `[${name}]`.padEnd(width + 2);
  }

  private start(m: Managed): void {
    m.startedAt = Date.now();
    const child = spawn(m.spec.command, m.spec.args, { env: { ...process.env, ...m.spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    m.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.opts.write(`${this.prefix(m.spec.name)} ${line}`));
    }
    child.on('error', (err) => this.opts.write(`${this.prefix(m.spec.name)} failed to start: ${err.message}`));
    child.on('exit', (code, signal) => {
      m.child = undefined;
      if (this.stopping) return;
      if (Date.now() - m.startedAt >= (this.opts.resetAfterMs ?? 60_000)) m.backoffMs = this.opts.initialBackoffMs ?? 1000;
      m.restarts++;
      this.opts.write(`${this.prefix(m.spec.name)} exited (${signal ?? `code ${code}`}); restarting in ${Math.round(m.backoffMs / 100) / 10}s (restart ${m.restarts})`);
      m.timer = setTimeout(() => this.start(m), m.backoffMs);
      m.backoffMs = Math.min(m.backoffMs * 2, this.opts.maxBackoffMs ?? 30_000);
    });
  }

  /** SIGTERM every component (in reverse start order), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    const live = this.managed.filter((m) => {
      if (m.timer) clearTimeout(m.timer);
      return m.child && m.child.exitCode === null && m.child.signalCode === null;
    });
    await Promise.all(
      live.reverse().map(
        (m) =>
          new Promise<void>((resolve) => {
            const child = m.child!;
            const kill = setTimeout(() => child.kill('SIGKILL'), this.opts.stopGraceMs ?? 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}
