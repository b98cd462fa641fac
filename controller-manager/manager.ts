/**
 * The controller manager: one process, one shared informer factory, many controllers
 * (kube-controller-manager's shape). This file holds the list of controllers — adding
 * one is one line in CONTROLLERS — and builds the ControllerContext they all receive.
 *
 * Lifecycle: start() starts every selected controller (each registers its handlers
 * and starts its workers once the informers it uses have synced); stop() stops the
 * controllers, then the informers. Nothing is persisted: every controller rebuilds its
 * view from the API on start, which is what makes a crash-and-restart safe.
 */
import type { KubeClient } from '../shared/client';
import { EventRecorder } from '../shared/controller/events';
import { InformerFactory } from '../shared/controller/factory';
import type { Logger } from '../shared/logger';
import { DEFAULT_CONTROLLER_OPTIONS, type Clock, type Controller, type ControllerContext, type ControllerOptions } from './controller';
import { DeploymentController } from './deployment';
import { DaemonSetController } from './daemonset';
import { GarbageCollector } from './garbagecollector';
import { JobController } from './job';
import { NamespaceController } from './namespace';
import { NodeIpamController } from './nodeipam';
import { NodeLifecycleController } from './nodelifecycle';
import { ReplicaSetController } from './replicaset';

/** kube-controller-manager's controller names → constructors. One line per controller. */
export const CONTROLLERS: Record<string, () => Controller> = {
  replicaset: () => new ReplicaSetController(),
  deployment: () => new DeploymentController(),
  'garbage-collector': () => new GarbageCollector(),
  namespace: () => new NamespaceController(),
  'node-ipam': () => new NodeIpamController(),
  'node-lifecycle': () => new NodeLifecycleController(),
  job: () => new JobController(),
  daemonset: () => new DaemonSetController(),
};

export const systemClock: Clock = { now: () => new Date() };

export interface ControllerManagerOptions {
  client: KubeClient;
  logger: Logger;
  /** Names from CONTROLLERS; `*` or omitted = all. `-name` disables one (kube-controller-manager's syntax). */
  controllers?: string[];
  options?: Partial<ControllerOptions>;
  clock?: Clock;
}

/** Resolves `--controllers` syntax: `*` = all, `name` = enable, `-name` = disable. */
export function selectControllers(spec: string[] | undefined, known: string[] = Object.keys(CONTROLLERS)): string[] {
  const list = spec && spec.length ? spec : ['*'];
  const unknown = list.map((s) => s.replace(/^-/, '')).filter((s) => s !== '*' && !known.includes(s));
  if (unknown.length) throw new Error(`unknown controller(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const all = list.includes('*');
  return known.filter((n) => (all || list.includes(n)) && !list.includes(`-${n}`));
}

export class ControllerManager {
  readonly informers: InformerFactory;
  readonly controllers: Controller[];
  readonly context: ControllerContext;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.informers = new InformerFactory(opts.client, opts.logger);
    const clock = opts.clock ?? systemClock;
    this.context = {
      client: opts.client,
      informers: this.informers,
      logger: opts.logger,
      recorder: (component) => new EventRecorder(opts.client, { component }, opts.logger, () => clock.now()),
      clock,
      options: { ...DEFAULT_CONTROLLER_OPTIONS, ...opts.options },
    };
    this.controllers = selectControllers(opts.controllers).map((n) => CONTROLLERS[n]());
  }

  async start(): Promise<void> {
    for (const c of this.controllers) {
      await c.start(this.context);
      this.opts.logger.info({ controller: c.name }, 'started controller');
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.stop().catch((err) => this.opts.logger.warn({ controller: c.name, err: String(err) }, 'stop failed'))));
    await this.informers.stop();
  }
}
