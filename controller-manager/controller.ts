/**
 * What every controller in the controller manager looks like, and what it is given.
 * A controller registers informer handlers that only enqueue keys, and runs workers
 * over a WorkQueue whose reconcile(key) is level-triggered (STYLE.md 4–7).
 */
import type { KubeClient } from '../shared/client';
import type { Logger } from '../shared/logger';
import type { InformerFactory } from '../shared/controller/factory';
import type { EventRecorder } from '../shared/controller/events';

export interface Clock {
  now(): Date;
}

/** Timing knobs: Kubernetes' defaults as named constants, flags shrink them for tests. */
export interface ControllerOptions {
  /** Node monitor grace period (kube-controller-manager --node-monitor-grace-period): 50 s. */
  nodeMonitorGracePeriodSeconds: number;
  /** How often node health is checked (--node-monitor-period): 5 s. */
  nodeMonitorPeriodSeconds: number;
  /** Default toleration for not-ready/unreachable taints (DefaultTolerationSeconds admission): 300 s. */
  podEvictionTimeoutSeconds: number;
  /** Cluster pod range for node IPAM (--cluster-cidr) and per-node mask size (--node-cidr-mask-size). */
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  /** Workers per controller (--concurrent-*-syncs): 5. */
  workers: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  nodeMonitorGracePeriodSeconds: 50,
  nodeMonitorPeriodSeconds: 5,
  podEvictionTimeoutSeconds: 300,
  clusterCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  workers: 5,
};

export interface ControllerContext {
  client: KubeClient;
  informers: InformerFactory;
  logger: Logger;
  /** An event recorder whose source.component is the given name (e.g. `replicaset-controller`). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  options: ControllerOptions;
}

export interface Controller {
  /** kube-controller-manager's name for it, e.g. `replicaset`, `deployment`, `garbage-collector`. */
  readonly name: string;
  /** Registers handlers and starts workers; returns once started (informers may still be syncing). */
  start(ctx: ControllerContext): Promise<void>;
  stop(): Promise<void>;
}
