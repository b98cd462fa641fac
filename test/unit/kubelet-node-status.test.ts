/** Node registration, heartbeat and lease against a fake API client. */
import type { KubeClient } from '../../shared/client';
import { createLogger } from '../../shared/logger';
import { KUBELET_VERSION, microTime, NodeStatusManager } from '../../kubelet/node-status';

class FakeClient {
  objects = new Map<string, Record<string, unknown>>();
  calls: string[] = [];
  async get(p: string) {
    this.calls.push(`GET ${p}`);
    const o = this.objects.get(p);
    if (!o) throw Object.assign(new Error('not found'), { code: 404 });
    return structuredClone(o);
  }
  async create(p: string, body: Record<string, unknown>) {
    this.calls.push(`POST ${p}`);
    const name = (body.metadata as { name: string }).name;
    const o = { ...body, metadata: { ...(body.metadata as object), uid: 'node-uid' } };
    this.objects.set(`${p}/${name}`, o);
    return structuredClone(o);
  }
  async patch(p: string, body: Record<string, unknown>) {
    this.calls.push(`PATCH ${p} ${JSON.stringify(body)}`);
    const key = p.replace(/\/status$/, '');
    const o = this.objects.get(key);
    if (!o) throw Object.assign(new Error('not found'), { code: 404 });
    for (const [k, v] of Object.entries(body)) o[k] = typeof v === 'object' && v && !Array.isArray(v) ? { ...(o[k] as object), ...v } : v;
    return structuredClone(o);
  }
}

function setup(now: { t: Date }) {
  const client = new FakeClient();
  const m = new NodeStatusManager({
    client: client as unknown as KubeClient,
    nodeName: 'node-1',
    logger: createLogger('t', { level: 'silent', pretty: false }),
    hostIP: '127.0.0.1',
    kubeletPort: 10250,
    runtimeName: 'process',
    runtimeVersion: '0.1.0',
    cpu: 2,
    memoryBytes: 4 * 2 ** 30,
    maxPods: 110,
    ephemeralStorageBytes: 10 * 2 ** 30,
    now: () => now.t,
  });
  return { client, m };
}

test('register creates the Node with labels, capacity, nodeInfo and healthy conditions', async () => {
  const now = { t: new Date('2025-01-15T10:00:00.123Z') };
  const { client, m } = setup(now);
  await m.register();
  const node = client.objects.get('/api/v1/nodes/node-1') as { metadata: { labels: Record<string, string> }; status: Record<string, any> };
  expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'k8ts' });
  expect(node.status.capacity).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '10485760Ki' });
  expect(node.status.allocatable).toEqual(node.status.capacity);
  expect(node.status.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }]);
  expect(node.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  expect(node.status.nodeInfo).toMatchObject({ kubeletVersion: KUBELET_VERSION, containerRuntimeVersion: 'process://0.1.0', operatingSystem: 'linux' });
  expect(node.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason])).toEqual([
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
  expect(node.status.conditions[3]).toMatchObject({ message: 'kubelet is posting ready status', lastHeartbeatTime: '2025-01-15T10:00:00Z', lastTransitionTime: '2025-01-15T10:00:00Z' });
});

test('a heartbeat with nothing changed sends only the conditions, keeping lastTransitionTime', async () => {
  const now = { t: new Date('2025-01-15T10:00:00Z') };
  const { client, m } = setup(now);
  await m.register();
  now.t = new Date('2025-01-15T10:00:10Z');
  client.calls = [];
  await m.heartbeat();
  expect(client.calls).toHaveLength(1);
  const body = JSON.parse(client.calls[0].slice(client.calls[0].indexOf('{')));
  expect(Object.keys(body.status)).toEqual(['conditions']);
  const ready = body.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  expect(ready).toMatchObject({ lastHeartbeatTime: '2025-01-15T10:00:10Z', lastTransitionTime: '2025-01-15T10:00:00Z' });
});

test('lease: created, then renewed with a microsecond renewTime', async () => {
  const now = { t: new Date('2025-01-15T10:00:00.123Z') };
  const { client, m } = setup(now);
  await m.register();
  await m.renewLease();
  const p = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1';
  expect(client.objects.get(p)).toMatchObject({ spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-15T10:00:00.123000Z' } });
  expect((client.objects.get(p) as { metadata: { ownerReferences: unknown[] } }).metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'node-uid' }]);
  now.t = new Date('2025-01-15T10:00:10.5Z');
  await m.renewLease();
  expect((client.objects.get(p) as { spec: { renewTime: string } }).spec.renewTime).toBe('2025-01-15T10:00:10.500000Z');
  expect(m.leaseRenewIntervalMs).toBe(10_000);
  expect(microTime(new Date('2025-01-15T10:00:00Z'))).toBe('2025-01-15T10:00:00.000000Z');
});
