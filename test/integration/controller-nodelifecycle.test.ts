/**
 * Node lifecycle against a real in-process API server, with the grace period shrunk to
 * 2 s and the monitor period to 0.2 s: a node whose Lease is stale goes Ready=Unknown
 * with the unreachable taints; its pod with tolerationSeconds 1 is deleted; a pod with
 * the admission default toleration waits for podEvictionTimeoutSeconds; the kubelet
 * coming back (lease + Ready status) removes the taints and cancels pending evictions;
 * with every node down nothing is evicted.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { ApiError } from '../../shared/api/errors';
import { InformerFactory } from '../../shared/controller/factory';
import { EventRecorder } from '../../shared/controller/events';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller-manager/controller';
import { NodeLifecycleController, type NodeLifecycleTuning } from '../../controller-manager/nodelifecycle';
import type { KObject } from '../../shared/api/types';

const logger = createLogger('test', { level: 'silent', pretty: false });
let api: RunningApiServer;
let client: KubeClient;
let informers: InformerFactory;
let ctrl: NodeLifecycleController;
const renewers: NodeJS.Timeout[] = [];

const micro = (d: Date) => d.toISOString().replace('Z', '000Z');
const rfc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (s: number) => new Date(Date.now() - s * 1000);

async function setup(): Promise<void> {
  api = await startApiServer({ logger });
  client = new KubeClient({ server: api.url });
}
async function startController(tuning: Partial<NodeLifecycleTuning> = {}): Promise<void> {
  informers = new InformerFactory(client, logger, { initialBackoffMs: 50 });
  ctrl = new NodeLifecycleController(tuning);
  await ctrl.start({
    client, informers, logger,
    recorder: (c) => new EventRecorder(client, { component: c }, logger),
    clock: { now: () => new Date() },
    options: { ...DEFAULT_CONTROLLER_OPTIONS, nodeMonitorGracePeriodSeconds: 2, nodeMonitorPeriodSeconds: 0.2, podEvictionTimeoutSeconds: 60, workers: 2 },
  });
}
async function teardown(): Promise<void> {
  for (const t of renewers.splice(0)) clearInterval(t);
  await ctrl?.stop();
  await informers?.stop();
  await client?.close();
  await api?.close();
}

const until = async <T>(fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const get = async (path: string): Promise<KObject | undefined> => {
  try {
    return await client.get<KObject>(path);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readyConditions(at: Date) {
  const t = rfc(at);
  return [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t },
  ];
}

/** A Node that was Ready at `at` and a Lease last renewed then. */
async function addNode(name: string, at: Date): Promise<void> {
  await client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { conditions: readyConditions(at) } });
  await client.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(at) },
  });
}
const renewLease = (name: string) => client.patch(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`, { spec: { renewTime: micro(new Date()) } }, 'merge');
/** What a kubelet does every 10 s: renew its lease (and here, keep posting Ready). */
function keepAlive(name: string): void {
  renewers.push(setInterval(() => void renewLease(name).catch(() => undefined), 300));
}

async function addPod(name: string, nodeName: string, tolerationSeconds?: number): Promise<void> {
  const tolerations = tolerationSeconds === undefined ? undefined : [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }];
  await client.create('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
  });
  // What the kubelet reported while the node was up (create resets a pod's status).
  await client.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge');
}
const node = async (name: string) => (await client.get<KObject>(`/api/v1/nodes/${name}`)) as KObject & { spec: any; status: any };
const events = async () => (await client.list<{ items: KObject[] }>('/api/v1/namespaces/default/events')).items as any[];

describe('one node down, one healthy', () => {
  beforeAll(async () => {
    await setup();
    await addNode('good', new Date());
    keepAlive('good');
    await addNode('bad', ago(600));
    await addPod('web', 'bad', 1);
    await addPod('web-default', 'bad'); // admission's 300 s default → podEvictionTimeoutSeconds (60 s here)
    await addPod('web-good', 'good', 1);
    await startController();
  });
  afterAll(teardown);

  test('stale lease → Ready Unknown, unreachable taints, NodeNotReady event', async () => {
    const n = await until(async () => {
      const x = await node('bad');
      return (x.spec.taints ?? []).some((t: any) => t.effect === 'NoExecute') && x;
    });
    const byType = Object.fromEntries(n.status.conditions.map((c: any) => [c.type, c]));
    for (const t of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(byType[t]).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    const taints = n.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort();
    expect(taints).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(n.spec.taints.every((t: any) => typeof t.timeAdded === 'string')).toBe(true);
    const good = await node('good');
    expect(good.spec.taints ?? []).toEqual([]);
    expect(good.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    await until(async () => (await events()).some((e) => e.reason === 'NodeNotReady' && e.message === 'Node bad status is now: NodeNotReady'));
    await until(async () => (await events()).some((e) => e.reason === 'RegisteredNode' && e.message === 'Node good event: Registered Node good in Controller'));
  }, 20_000);

  test('the pod tolerating 1 s is deleted (grace 0); the others stay; pods on the node are marked not Ready', async () => {
    await until(async () => (await get('/api/v1/namespaces/default/pods/web')) === undefined, 10_000);
    const ev = (await events()).find((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/web');
    expect(ev).toBeDefined();
    const p = await get('/api/v1/namespaces/default/pods/web-default');
    expect(p?.metadata.deletionTimestamp).toBeUndefined();
    expect((p?.status as any).conditions.find((c: any) => c.type === 'Ready').status).toBe('False');
    expect(await get('/api/v1/namespaces/default/pods/web-good')).toBeDefined();
  }, 20_000);

  test('the kubelet comes back: taints removed, pending eviction cancelled', async () => {
    await renewLease('bad');
    const n = await node('bad');
    await client.update('/api/v1/nodes/bad/status', { ...n, status: { ...n.status, conditions: readyConditions(new Date()) } });
    keepAlive('bad');
    await until(async () => ((await node('bad')).spec.taints ?? []).length === 0);
    await until(async () => (await events()).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Cancelling deletion of Pod default/web-default'));
    await sleep(2500); // longer than the grace period: it stays healthy while the lease is renewed
    const after = await node('bad');
    expect(after.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    expect(after.spec.taints ?? []).toEqual([]);
    expect(await get('/api/v1/namespaces/default/pods/web-default')).toBeDefined();
  }, 20_000);

  test('a healthy node whose kubelet stops renewing goes Unknown after the grace period', async () => {
    await addNode('later', new Date());
    const stop = renewers.length;
    keepAlive('later');
    await until(async () => (await events()).some((e) => e.reason === 'RegisteredNode' && e.message === 'Node later event: Registered Node later in Controller'));
    await sleep(2500);
    expect((await node('later')).status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    const t0 = Date.now();
    clearInterval(renewers[stop]);
    await until(async () => (await node('later')).status.conditions.find((c: any) => c.type === 'Ready').status === 'Unknown', 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500); // ≈ grace (2 s) after the last renewal
    await client.delete('/api/v1/nodes/later');
    await until(async () => (await events()).some((e) => e.reason === 'RemovingNode' && e.message === 'Node later event: Removing Node later from Controller'));
  }, 30_000);
});

describe('every node down (full disruption)', () => {
  beforeAll(async () => {
    await setup();
    await addNode('lonely', ago(600));
    await addPod('web', 'lonely', 1);
    await startController();
  });
  afterAll(teardown);

  test('the node goes Unknown with the NoSchedule taint only, and nothing is evicted', async () => {
    const n = await until(async () => {
      const x = await node('lonely');
      return x.status.conditions.find((c: any) => c.type === 'Ready').status === 'Unknown' && (x.spec.taints ?? []).length > 0 && x;
    });
    expect(n.spec.taints.map((t: any) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    await sleep(2500);
    expect(await get('/api/v1/namespaces/default/pods/web')).toBeDefined();
    expect((await node('lonely')).spec.taints.map((t: any) => t.effect)).toEqual(['NoSchedule']);
  }, 20_000);
});

const noExecuteOn = async (name: string) => ((await node(name)).spec.taints ?? []).some((t: any) => t.effect === 'NoExecute');

describe('NoExecute tainting is rate limited per zone', () => {
  beforeAll(async () => {
    await setup();
    for (const n of ['ok-1', 'ok-2']) {
      await addNode(n, new Date());
      keepAlive(n);
    }
    await addNode('down-1', ago(600));
    await addNode('down-2', ago(600));
    await startController({ nodeEvictionRate: 0.5 }); // one node per 2 s
  });
  afterAll(teardown);

  test('the first node is tainted at once, the second one about 1/rate later', async () => {
    const t0 = Date.now();
    await until(async () => (await noExecuteOn('down-1')) || (await noExecuteOn('down-2')));
    const first = Date.now() - t0;
    const both = await until(async () => ((await noExecuteOn('down-1')) && (await noExecuteOn('down-2'))) || undefined, 10_000);
    expect(both).toBe(true);
    const second = Date.now() - t0;
    expect(second - first).toBeGreaterThanOrEqual(1200);
    // Both have the NoSchedule taint from the start.
    for (const n of ['down-1', 'down-2']) expect((await node(n)).spec.taints.some((t: any) => t.effect === 'NoSchedule')).toBe(true);
  }, 20_000);
});

describe('partial disruption (3 of 4 nodes down) stops NoExecute tainting', () => {
  beforeAll(async () => {
    await setup();
    await addNode('ok', new Date());
    keepAlive('ok');
    for (const n of ['d1', 'd2', 'd3']) await addNode(n, ago(600));
    await addPod('web', 'd1', 1);
    await startController({ nodeEvictionRate: 10 });
  });
  afterAll(teardown);

  test('nodes go Unknown with NoSchedule only; the pod stays', async () => {
    await until(async () => {
      for (const n of ['d1', 'd2', 'd3']) if (!((await node(n)).spec.taints ?? []).length) return false;
      return true;
    });
    await sleep(2000);
    for (const n of ['d1', 'd2', 'd3']) expect(await noExecuteOn(n)).toBe(false);
    expect(await get('/api/v1/namespaces/default/pods/web')).toBeDefined();
  }, 20_000);
});
