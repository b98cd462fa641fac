/**
 * Node IPAM (kube-controller-manager `node-ipam`, RangeAllocator; CONTROLLERS.md §10.1):
 * gives every Node without `spec.podCIDR` the next free block of the cluster range.
 *
 * Allocation follows Kubernetes' cidrset exactly: the cluster CIDR is split into
 * 2^(nodeMask − clusterMask) blocks indexed from 0, `allocateNext` scans from
 * `nextCandidate` with wrap-around and moves `nextCandidate` past what it took. So
 * nodes get 10.244.0.0/24, 10.244.1.0/24, … and a block freed by a deleted node is
 * reused only once the scan wraps (the next new node gets the next higher index).
 *
 * Concurrency: allocation and release are synchronous (one JS turn), so several
 * workers never hand out the same block. The used set is rebuilt from every node's
 * podCIDRs after the informer syncs and before any worker runs, so a restart never
 * double-allocates. A block we handed out is remembered per node UID until the node
 * is gone, so a reconcile that still sees the node without its podCIDR (informer lag)
 * re-sends the same block instead of taking a second one.
 */
import type { KObject, Node } from '../shared/api/types';
import type { Informer } from '../shared/controller/informer';
import { keyOf } from '../shared/controller/informer';
import { WorkQueue } from '../shared/controller/workqueue';
import type { EventRecorder } from '../shared/controller/events';
import type { Controller, ControllerContext } from './controller';

/** How long to wait before retrying a node for which no block was free. */
const EXHAUSTED_RETRY_MS = 30_000;

function ipToInt(ip: string): number {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCIDR(cidr: string): { base: number; bits: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
  const bits = Number(m[2]);
  if (bits < 0 || bits > 32) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ipToInt(m[1]) & mask) >>> 0, bits };
}

/** Kubernetes' cidrset for one IPv4 cluster range: a bitmap of node-sized blocks. */
export class CIDRSet {
  readonly size: number;
  private readonly used: boolean[];
  private readonly base: number;
  private readonly blockSize: number;
  private nextCandidate = 0;

  constructor(readonly clusterCIDR: string, readonly nodeMaskSize: number) {
    const { base, bits } = parseCIDR(clusterCIDR);
    if (nodeMaskSize < bits) throw new Error(`node CIDR mask /${nodeMaskSize} is shorter than the cluster mask /${bits}`);
    if (nodeMaskSize - bits > 16) throw new Error(`node CIDR mask /${nodeMaskSize} may be at most 16 bits longer than the cluster mask /${bits}`);
    if (nodeMaskSize > 32) throw new Error(`invalid node CIDR mask /${nodeMaskSize}`);
    this.base = base;
    this.size = 2 ** (nodeMaskSize - bits);
    this.blockSize = 2 ** (32 - nodeMaskSize);
    this.used = new Array<boolean>(this.size).fill(false);
  }

  cidrOf(index: number): string {
    return `${intToIp((this.base + index * this.blockSize) >>> 0)}/${this.nodeMaskSize}`;
  }

  /** The block index of `cidr`, or undefined when it is not exactly one of our blocks. */
  indexOf(cidr: string): number | undefined {
    let p: { base: number; bits: number };
    try {
      p = parseCIDR(cidr);
    } catch {
      return undefined;
    }
    if (p.bits !== this.nodeMaskSize) return undefined;
    const off = p.base - this.base;
    if (off < 0 || off % this.blockSize !== 0) return undefined;
    const i = off / this.blockSize;
    return i < this.size ? i : undefined;
  }

  /** Marks a block used (existing node ranges at start-up); false if it is not ours. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used[i] = true;
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used[i] = false;
  }

  isUsed(cidr: string): boolean {
    const i = this.indexOf(cidr);
    return i !== undefined && this.used[i];
  }

  /** The next free block scanning from nextCandidate with wrap-around; undefined when full. */
  allocateNext(): string | undefined {
    for (let n = 0; n < this.size; n++) {
      const i = (this.nextCandidate + n) % this.size;
      if (!this.used[i]) {
        this.used[i] = true;
        this.nextCandidate = (i + 1) % this.size;
        return this.cidrOf(i);
      }
    }
    return undefined;
  }
}

function nodeCIDRs(node: Node): string[] {
  const spec = node.spec ?? {};
  if (spec.podCIDRs?.length) return [...spec.podCIDRs];
  return spec.podCIDR ? [spec.podCIDR] : [];
}

export class NodeIpamController implements Controller {
  readonly name = 'node-ipam';
  private ctx!: ControllerContext;
  private queue!: WorkQueue;
  private nodes!: Informer<Node & KObject>;
  private recorder!: EventRecorder;
  private cidrs!: CIDRSet;
  /** Blocks this controller handed out or saw, by node UID (released when the node goes). */
  private readonly held = new Map<string, string>();
  private workers?: Promise<void>;
  /** Resolves on stop(): start-up waits on informer sync race it, so stop never hangs on a server that is down. */
  private stopSignal!: () => void;
  private stopping = new Promise<void>((r) => (this.stopSignal = r));
  private stopped = false;

  async start(ctx: ControllerContext): Promise<void> {
    this.ctx = { ...ctx, logger: ctx.logger.child({ controller: this.name }) };
    this.cidrs = new CIDRSet(ctx.options.clusterCIDR, ctx.options.nodeCIDRMaskSize);
    this.recorder = ctx.recorder('node-ipam-controller');
    this.queue = new WorkQueue({ onError: (key, err) => this.ctx.logger.warn({ object: key, err: String(err) }, 'node CIDR assignment failed; retrying') });
    this.nodes = ctx.informers.for<Node & KObject>('/api/v1/nodes');
    this.nodes.on({
      add: (n) => this.queue.add(keyOf(n)),
      update: (_o, n) => this.queue.add(keyOf(n)),
      delete: (n) => this.release(n),
    });
    const workers = ctx.options.workers;
    // The used set must be complete before the first allocation, or a restart could
    // hand out a block an existing node already has.
    this.workers = Promise.race([this.nodes.waitForSync(), this.stopping]).then(() => {
      if (this.stopped) return;
      for (const n of this.nodes.list()) this.remember(n);
      return this.queue.runWorkers(workers, (key) => this.reconcile(key));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    this.queue?.shutdown();
    await this.workers;
  }

  private remember(node: Node & KObject): void {
    for (const c of nodeCIDRs(node)) {
      if (this.cidrs.occupy(c)) this.held.set(node.metadata.uid!, c);
    }
  }

  private release(node: Node & KObject): void {
    const uid = node.metadata.uid!;
    const c = this.held.get(uid);
    this.held.delete(uid);
    for (const x of new Set([...nodeCIDRs(node), ...(c ? [c] : [])])) {
      // Only free a block no other live node claims (a hand-edited duplicate must not free it).
      const other = this.nodes.list().some((n) => n.metadata.uid !== uid && nodeCIDRs(n).includes(x));
      if (!other) this.cidrs.release(x);
    }
  }

  async reconcile(key: string): Promise<{ requeueAfter?: number } | void> {
    const node = this.nodes.get(key);
    if (!node) return;
    if (nodeCIDRs(node).length > 0) {
      this.remember(node);
      return;
    }
    const uid = node.metadata.uid!;
    let cidr = this.held.get(uid);
    if (!cidr) {
      cidr = this.cidrs.allocateNext();
      if (!cidr) {
        this.recorder.event(nodeRef(node), 'Normal', 'CIDRNotAvailable', `Node ${node.metadata.name} status is now: CIDRNotAvailable`);
        return { requeueAfter: EXHAUSTED_RETRY_MS };
      }
      this.held.set(uid, cidr);
    }
    try {
      // The UID test keeps a block from landing on a re-created node of the same name
      // (whose UID we have not seen yet, so the block would be leaked to the old UID).
      const set = node.spec
        ? [{ op: 'add', path: '/spec/podCIDR', value: cidr }, { op: 'add', path: '/spec/podCIDRs', value: [cidr] }]
        : [{ op: 'add', path: '/spec', value: { podCIDR: cidr, podCIDRs: [cidr] } }];
      await this.ctx.client.patch(`/api/v1/nodes/${encodeURIComponent(node.metadata.name!)}`, [{ op: 'test', path: '/metadata/uid', value: uid }, ...set], 'json');
      this.ctx.logger.info({ object: node.metadata.name, podCIDR: cidr }, 'assigned pod CIDR');
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404) {
        this.held.delete(uid);
        this.cidrs.release(cidr);
        return;
      }
      this.recorder.event(nodeRef(node), 'Normal', 'CIDRAssignmentFailed', `Node ${node.metadata.name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
  }
}

function nodeRef(node: KObject): KObject {
  return { ...node, apiVersion: 'v1', kind: 'Node' };
}
