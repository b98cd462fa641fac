/**
 * The scheduler against a real API server (in-process, in-memory store): binding and
 * spreading, FailedScheduling with Kubernetes' wording and PodScheduled=False, retry when
 * a node is added or a pod deleted, nodeSelector, taints and cordon.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import type { KObject } from '../../shared/api/types';
import { Scheduler } from '../../scheduler/scheduler';

let api: RunningApiServer;
let client: KubeClient;
let scheduler: Scheduler;

const PODS = '/api/v1/namespaces/default/pods';

async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function createNode(name: string, o: { cpu?: string; memory?: string; labels?: Record<string, string>; taints?: object[] } = {}) {
  const status = {
    capacity: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: '110' },
    allocatable: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  };
  const created = await client.create<KObject>('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: o.taints ? { taints: o.taints } : {},
    status,
  });
  // Create keeps a Node's status (unlike most kinds, where it is reset); write it through
  // the status subresource as well, the way a kubelet reports it.
  expect((created as any).status?.allocatable).toEqual(status.allocatable);
  await client.patch(`/api/v1/nodes/${name}/status`, { status }, 'merge');
  const got = await client.get<any>(`/api/v1/nodes/${name}`);
  expect(got.status.allocatable).toEqual(status.allocatable);
}

async function createPod(name: string, o: { cpu?: string; nodeSelector?: Record<string, string>; tolerations?: object[] } = {}) {
  await client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'test' } },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: o.cpu ?? '100m', memory: '64Mi' } } }],
      nodeSelector: o.nodeSelector,
      tolerations: o.tolerations,
    },
  });
}

const getPod = (name: string) => client.get<any>(`${PODS}/${name}`);
const nodeOf = async (name: string): Promise<string | undefined> => (await getPod(name)).spec.nodeName;
const boundNode = (name: string) => until(() => nodeOf(name), `${name} to be bound`);

async function events(name: string, reason: string): Promise<any[]> {
  const list = await client.list<any>('/api/v1/namespaces/default/events');
  return list.items.filter((e: any) => e.involvedObject?.name === name && e.reason === reason);
}

const condition = async (name: string) => ((await getPod(name)).status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');

beforeAll(async () => {
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }) });
  client = new KubeClient({ server: api.url });
  await createNode('node-1', { labels: { disktype: 'ssd' } });
  await createNode('node-2');
  scheduler = new Scheduler({ client, logger: createLogger('scheduler', { level: 'silent', pretty: false }), initialBackoffMs: 100, maxBackoffMs: 500 });
  await scheduler.start();
}, 30_000);

afterAll(async () => {
  await scheduler?.stop();
  await client?.close();
  await api?.close();
});

test('pods are bound, spread over both nodes, with a Scheduled event and PodScheduled=True', async () => {
  for (let i = 0; i < 8; i++) await createPod(`web-${i}`);
  const nodes = await Promise.all(Array.from({ length: 8 }, (_, i) => boundNode(`web-${i}`)));
  expect(new Set(nodes)).toEqual(new Set(['node-1', 'node-2']));
  const ev = await until(async () => (await events('web-0', 'Scheduled'))[0], 'Scheduled event');
  expect(ev.type).toBe('Normal');
  expect(ev.message).toBe(`Successfully assigned default/web-0 to ${nodes[0]}`);
  expect(ev.source.component).toBe('default-scheduler');
  expect((await condition('web-0')).status).toBe('True');
});

test('a pod that fits nowhere stays pending with FailedScheduling and PodScheduled=False, then lands on a bigger node', async () => {
  await createPod('big', { cpu: '3' });
  const ev = await until(async () => (await events('big', 'FailedScheduling'))[0], 'FailedScheduling event');
  expect(ev.type).toBe('Warning');
  expect(ev.message).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  const cond = await until(async () => {
    const c = await condition('big');
    return c?.status === 'False' && c;
  }, 'PodScheduled=False');
  expect(cond.reason).toBe('Unschedulable');
  expect(cond.message).toBe(ev.message);

  // Nothing changed in the cluster: no retries, no new events (not a busy loop).
  await new Promise((r) => setTimeout(r, 1200));
  const again = await events('big', 'FailedScheduling');
  expect(again).toHaveLength(1);
  expect(again[0].count ?? 1).toBe(1);
  expect(await nodeOf('big')).toBeUndefined();

  // A bigger node arrives: the parked pod is retried without restarting anything.
  await createNode('node-big', { cpu: '8', memory: '16Gi' });
  expect(await boundNode('big')).toBe('node-big');
});

test('nodeSelector is honoured, and an impossible one is explained', async () => {
  await createPod('ssd', { nodeSelector: { disktype: 'ssd' } });
  expect(await boundNode('ssd')).toBe('node-1');
  await createPod('nowhere', { nodeSelector: { disktype: 'nvme' } });
  const ev = await until(async () => (await events('nowhere', 'FailedScheduling'))[0], 'FailedScheduling event');
  expect(ev.message).toBe(
    "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
  // Labelling a node is a change that can help: the pod gets it.
  await client.patch('/api/v1/nodes/node-2', { metadata: { labels: { disktype: 'nvme' } } }, 'merge');
  expect(await boundNode('nowhere')).toBe('node-2');
});

test('taints keep pods off unless tolerated; a cordoned node gets no new pods', async () => {
  await client.patch('/api/v1/nodes/node-big', { spec: { taints: [{ key: 'dedicated', value: 'special', effect: 'NoSchedule' }] } }, 'merge');
  await client.patch('/api/v1/nodes/node-1', { spec: { unschedulable: true } }, 'merge');
  // Let the informer see both changes before creating pods.
  await until(async () => {
    const big = scheduler.cache.nodeInfo('node-big');
    const one = scheduler.cache.nodeInfo('node-1');
    return big?.taints.some((t) => t.key === 'dedicated') && one?.unschedulable;
  }, 'node changes to reach the scheduler');

  for (let i = 0; i < 6; i++) await createPod(`after-${i}`);
  const placed = await Promise.all(Array.from({ length: 6 }, (_, i) => boundNode(`after-${i}`)));
  expect(new Set(placed)).toEqual(new Set(['node-2']));

  await createPod('tolerant', { nodeSelector: { 'kubernetes.io/hostname': 'node-big' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'special', effect: 'NoSchedule' }] });
  expect(await boundNode('tolerant')).toBe('node-big');

  await createPod('intolerant', { nodeSelector: { 'kubernetes.io/hostname': 'node-big' } });
  const ev = await until(async () => (await events('intolerant', 'FailedScheduling'))[0], 'FailedScheduling event');
  expect(ev.message).toBe(
    // Each node stops at its first failing filter: cordon, then taints, then the selector.
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: special}, 1 node(s) were unschedulable. " +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
});

test('a pod waiting for room is scheduled when a bound pod is deleted', async () => {
  // node-2 is the only node open to untainted pods now; fill it, then free it.
  const used = scheduler.cache.nodeInfo('node-2')!.requested.milliCPU;
  const free = 2000 - used;
  await createPod('filler', { cpu: `${free}m` });
  expect(await boundNode('filler')).toBe('node-2');
  await createPod('waiter', { cpu: '500m' });
  await until(async () => (await events('waiter', 'FailedScheduling'))[0], 'FailedScheduling event');
  expect(await nodeOf('waiter')).toBeUndefined();
  await client.delete(`${PODS}/filler`, { gracePeriodSeconds: 0 });
  expect(await boundNode('waiter')).toBe('node-2');
});

test('pods for another scheduler are left alone; a pod already bound is skipped', async () => {
  await client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'custom' },
    spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c', image: 'nginx' }] },
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(await nodeOf('custom')).toBeUndefined();
  expect(await events('custom', 'FailedScheduling')).toHaveLength(0);
  // The binding endpoint fences a second binding with 409; reconcile treats it as done.
  await client.create(`${PODS}/custom/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'custom' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' } });
  await expect(scheduler.reconcile('default/custom')).resolves.toBeUndefined();
});
