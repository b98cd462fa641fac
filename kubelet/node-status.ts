/**
 * Node registration, status heartbeat and the node Lease (upstream kubelet_node_status.go
 * and nodelease).
 *
 * - `register()` creates the Node, or updates labels/status of an existing one (a
 *   restarted kubelet re-registers; the Node keeps its spec, e.g. podCIDR).
 * - `heartbeat()` runs every node-status-update-frequency (10 s): it PATCHes
 *   `nodes/{name}/status` with fresh `lastHeartbeatTime`s; `lastTransitionTime` moves
 *   only when a condition's status flips.
 * - `renewLease()` runs every leaseDuration/4 (10 s of 40 s): it creates or updates the
 *   Lease `kube-node-lease/<node>` (holderIdentity = node name, renewTime in RFC 3339
 *   with microseconds), which is what the node-lifecycle controller watches.
 *
 * Timers are owned by `start()`/`stop()`; each tick is independent and a failure is
 * logged and retried on the next tick, never thrown.
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import type { Node, NodeStatus } from '../shared/api/types';
import type { KubeClient } from '../shared/client';
import type { Logger } from '../shared/logger';

export const KUBELET_VERSION = 'v1.32.0-k8ts';
/** Upstream `nodeStatusUpdateFrequency` default. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** Upstream `nodeLeaseDurationSeconds` default. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The lease is renewed every quarter of its duration (upstream renewIntervalFraction 0.25). */
export const LEASE_RENEW_FRACTION = 0.25;
export const DEFAULT_MAX_PODS = 110;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeStatusOptions {
  client: KubeClient;
  nodeName: string;
  logger: Logger;
  hostIP: string;
  kubeletPort: number;
  runtimeName: string;
  runtimeVersion: string;
  cpu: number;
  memoryBytes: number;
  maxPods: number;
  /** Bytes of the filesystem holding the root dir. */
  ephemeralStorageBytes?: number;
  statusUpdateFrequencyMs?: number;
  leaseDurationSeconds?: number;
  now?: () => Date;
}

type Cond = { type: string; status: string; reason: string; message: string; lastHeartbeatTime?: string; lastTransitionTime?: string };

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises (`2025-01-15T10:00:00.123456Z`). */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function machineID(): string {
  for (const f of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      return fs.readFileSync(f, 'utf8').trim();
    } catch {
      // try the next
    }
  }
  return '';
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1];
  } catch {
    // not Linux-like
  }
  return `${os.type()} ${os.release()}`;
}

/** Node architecture as Go names it (GOARCH). */
export function goArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

function goOs(): string {
  return process.platform === 'win32' ? 'windows' : process.platform;
}

/** The conditions a healthy kubelet reports, with upstream's reasons and messages. */
export function healthyConditions(): Cond[] {
  return [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

export class NodeStatusManager {
  private statusTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private readonly now: () => Date;
  private lastStatic = '';
  /** The last Node object seen (spec.podCIDR for IPAM). */
  node?: Node;

  constructor(private readonly o: NodeStatusOptions) {
    this.now = o.now ?? (() => new Date());
  }

  get statusUpdateFrequencyMs(): number {
    return this.o.statusUpdateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS;
  }

  get leaseDurationSeconds(): number {
    return this.o.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
  }

  get leaseRenewIntervalMs(): number {
    return this.leaseDurationSeconds * 1000 * LEASE_RENEW_FRACTION;
  }

  labels(): Record<string, string> {
    return {
      'beta.kubernetes.io/arch': goArch(),
      'beta.kubernetes.io/os': goOs(),
      'kubernetes.io/arch': goArch(),
      'kubernetes.io/hostname': this.o.nodeName,
      'kubernetes.io/os': goOs(),
      'node.kubernetes.io/instance-type': 'k8ts',
    };
  }

  /** Everything in status except conditions. */
  staticStatus(): NodeStatus {
    const memKi = `${Math.floor(this.o.memoryBytes / 1024)}Ki`;
    const eph = `${Math.floor((this.o.ephemeralStorageBytes ?? 0) / 1024)}Ki`;
    const capacity = { cpu: String(this.o.cpu), memory: memKi, pods: String(this.o.maxPods), 'ephemeral-storage': eph };
    return {
      capacity,
      allocatable: { ...capacity },
      addresses: [
        { type: 'InternalIP', address: this.o.hostIP },
        { type: 'Hostname', address: this.o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.kubeletPort } },
      nodeInfo: {
        machineID: machineID(),
        systemUUID: machineID(),
        bootID: bootID(),
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: `${this.o.runtimeName}://${this.o.runtimeVersion}`,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: goOs(),
        architecture: goArch(),
      },
    };
  }

  /** Conditions for this heartbeat: fresh heartbeat time, transition time kept unless the status flipped. */
  conditions(previous: Cond[] | undefined): Cond[] {
    const now = rfc3339(this.now());
    return healthyConditions().map((c) => {
      const old = previous?.find((p) => p.type === c.type);
      return { ...c, lastHeartbeatTime: now, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
    });
  }

  private get path(): string {
    return `/api/v1/nodes/${encodeURIComponent(this.o.nodeName)}`;
  }

  /** Creates the Node or refreshes labels and status of the existing one. */
  async register(): Promise<Node> {
    let node: Node | undefined;
    try {
      node = await this.o.client.get<Node>(this.path);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    if (!node) {
      try {
        node = await this.o.client.create<Node>('/api/v1/nodes', {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: this.o.nodeName, labels: this.labels() },
          spec: {},
        });
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
        node = await this.o.client.get<Node>(this.path);
      }
    } else {
      node = await this.o.client.patch<Node>(this.path, { metadata: { labels: this.labels() } }, 'merge');
    }
    this.node = node;
    await this.heartbeat();
    return this.node!;
  }

  /** One status update: static fields + conditions with a fresh heartbeat. */
  async heartbeat(): Promise<void> {
    const prev = (this.node?.status?.conditions ?? []) as Cond[];
    const fixed = this.staticStatus();
    const key = JSON.stringify(fixed);
    // When nothing else changed, the heartbeat carries only the conditions (their times).
    const status = key === this.lastStatic ? { conditions: this.conditions(prev) } : { ...fixed, conditions: this.conditions(prev) };
    this.lastStatic = key;
    this.node = await this.o.client.patch<Node>(`${this.path}/status`, { status }, 'merge');
  }

  async renewLease(): Promise<void> {
    const ns = NODE_LEASE_NAMESPACE;
    const p = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${encodeURIComponent(this.o.nodeName)}`;
    const spec = { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.leaseDurationSeconds, renewTime: microTime(this.now()) };
    try {
      await this.o.client.patch(p, { spec }, 'merge');
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
      const owner = this.node?.metadata?.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: this.node.metadata.uid }] : undefined;
      await this.o.client.create(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.nodeName, namespace: ns, ownerReferences: owner },
        spec,
      });
    }
  }

  start(): void {
    const tick = (what: string, fn: () => Promise<void>) => () =>
      void fn().catch((err) => this.o.logger.warn({ err: String((err as Error).message ?? err) }, `${what} failed; retrying on the next tick`));
    void tick('lease', () => this.renewLease())();
    this.statusTimer = setInterval(tick('node status update', () => this.heartbeat()), this.statusUpdateFrequencyMs);
    this.leaseTimer = setInterval(tick('lease renewal', () => this.renewLease()), this.leaseRenewIntervalMs);
  }

  stop(): void {
    clearInterval(this.statusTimer);
    clearInterval(this.leaseTimer);
  }
}

function bootID(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}
