/**
 * Pod IP allocation for one node (host-local IPAM, like the CNI plugin of that name).
 *
 * The range is the node's `spec.podCIDR` once node IPAM sets it, else the per-node
 * default `10.244.N.0/24`. In loopback mode (no network namespaces) every pod address
 * is mapped into 127/8 (`10.244.N.0/24` → `127.244.N.0/24`) so pods can still have
 * distinct IPs on one host. Addresses are handed out sequentially after the last one
 * given (so a freed IP is not reused at once), skipping the network, gateway (.1) and
 * broadcast addresses, and are persisted to a JSON file so a restarted kubelet gives
 * every pod the IP it had. Writes are atomic (write to a temp file, then rename).
 * Single-threaded by construction: callers run on the event loop and every method is
 * synchronous.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface State {
  range: string;
  last?: string;
  byUid: Record<string, string>;
}

/** `10.244.3.0/24` → loopback `127.244.3.0/24` (the first octet becomes 127). */
export function toLoopbackCidr(cidr: string): string {
  const [ip, bits] = cidr.split('/');
  const o = ip.split('.');
  return `127.${o[1]}.${o[2]}.${o[3]}/${bits}`;
}

export function defaultPodCidr(nodeIndex: number): string {
  return `10.244.${nodeIndex}.0/24`;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export class Ipam {
  private state: State;

  constructor(
    private readonly file: string,
    range: string,
  ) {
    this.state = { range, byUid: {} };
    try {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as State;
      this.state = { range, last: saved.range === range ? saved.last : undefined, byUid: saved.byUid ?? {} };
    } catch {
      // no state yet
    }
  }

  get range(): string {
    return this.state.range;
  }

  /** Switches range (node IPAM assigned a podCIDR); existing pods keep their addresses. */
  setRange(range: string): void {
    if (range === this.state.range) return;
    this.state.range = range;
    this.state.last = undefined;
    this.save();
  }

  get(uid: string): string | undefined {
    return this.state.byUid[uid];
  }

  /** Records an address found on an adopted sandbox so it is never handed out twice. */
  reserve(uid: string, ip: string): void {
    if (this.state.byUid[uid] === ip) return;
    this.state.byUid[uid] = ip;
    this.save();
  }

  allocate(uid: string): string {
    const have = this.state.byUid[uid];
    if (have) return have;
    const [base, bitsStr] = this.state.range.split('/');
    const bits = Number(bitsStr);
    const size = 2 ** (32 - bits);
    const network = ipToInt(base) - (ipToInt(base) % size);
    const first = network + 2; // .0 is the network, .1 the gateway
    const lastUsable = network + size - 2; // skip broadcast
    const used = new Set(Object.values(this.state.byUid));
    const start = this.state.last ? ipToInt(this.state.last) + 1 : first;
    const count = lastUsable - first + 1;
    for (let i = 0; i < count; i++) {
      let n = start + i;
      if (n > lastUsable || n < first) n = first + ((n - first) % count + count) % count;
      const ip = intToIp(n);
      if (!used.has(ip)) {
        this.state.byUid[uid] = ip;
        this.state.last = ip;
        this.save();
        return ip;
      }
    }
    throw new Error(`no IP addresses available in range ${this.state.range}`);
  }

  release(uid: string): void {
    if (!(uid in this.state.byUid)) return;
    delete this.state.byUid[uid];
    this.save();
  }

  uids(): string[] {
    return Object.keys(this.state.byUid);
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state));
    fs.renameSync(tmp, this.file);
  }
}
