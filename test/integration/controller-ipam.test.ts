/**
 * Node IPAM against a real in-process API server: nodes get /24s from 10.244.0.0/16 in
 * order starting at 10.244.0.0/24 (Kubernetes' RangeAllocator); a deleted node's block is
 * reused once the scan wraps; an exhausted range gives a CIDRNotAvailable event.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { InformerFactory } from '../../shared/controller/factory';
import { EventRecorder } from '../../shared/controller/events';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerOptions } from '../../controller-manager/controller';
import { NodeIpamController } from '../../controller-manager/nodeipam';
import type { KObject } from '../../shared/api/types';

const logger = createLogger('test', { level: 'silent', pretty: false });
let api: RunningApiServer;
let client: KubeClient;
let informers: InformerFactory;
let ctrl: NodeIpamController;

async function startWith(options: Partial<ControllerOptions>): Promise<void> {
  informers = new InformerFactory(client, logger, { initialBackoffMs: 50 });
  ctrl = new NodeIpamController();
  await ctrl.start({ client, informers, logger, recorder: (c) => new EventRecorder(client, { component: c }, logger), clock: { now: () => new Date() }, options: { ...DEFAULT_CONTROLLER_OPTIONS, ...options } });
}
async function stopCtrl(): Promise<void> {
  await ctrl?.stop();
  await informers?.stop();
}

beforeEach(async () => {
  api = await startApiServer({ logger });
  client = new KubeClient({ server: api.url });
});
afterEach(async () => {
  await stopCtrl();
  await client?.close();
  await api?.close();
});

const until = async <T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const node = (name: string, spec: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
const podCIDR = (name: string) => until(async () => ((await client.get<KObject>(`/api/v1/nodes/${name}`)).spec as any)?.podCIDR as string | undefined);

test('two nodes get 10.244.0.0/24 and 10.244.1.0/24 with podCIDRs; a new node after a delete gets the next block', async () => {
  await startWith({});
  await client.create('/api/v1/nodes', node('node-a'));
  expect(await podCIDR('node-a')).toBe('10.244.0.0/24');
  await client.create('/api/v1/nodes', node('node-b'));
  expect(await podCIDR('node-b')).toBe('10.244.1.0/24');
  expect(((await client.get<KObject>('/api/v1/nodes/node-b')).spec as any).podCIDRs).toEqual(['10.244.1.0/24']);
  await client.delete('/api/v1/nodes/node-a');
  await client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-c' } }); // no spec at all
  // Kubernetes' AllocateNext: the freed .0 block waits until the scan wraps.
  expect(await podCIDR('node-c')).toBe('10.244.2.0/24');
}, 30_000);

test('a full range reuses a deleted node\'s block, and is exhausted otherwise (CIDRNotAvailable)', async () => {
  await startWith({ clusterCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24 }); // two blocks
  await client.create('/api/v1/nodes', node('n1'));
  await client.create('/api/v1/nodes', node('n2'));
  expect(await podCIDR('n1')).toBe('10.244.0.0/24');
  expect(await podCIDR('n2')).toBe('10.244.1.0/24');
  await client.create('/api/v1/nodes', node('n3'));
  const ev = await until(async () => (await client.list<{ items: KObject[] }>('/api/v1/namespaces/default/events')).items.find((e) => e.reason === 'CIDRNotAvailable'));
  expect(ev.message).toBe('Node n3 status is now: CIDRNotAvailable');
  expect((ev.involvedObject as any).name).toBe('n3');
  await client.delete('/api/v1/nodes/n1');
  await client.create('/api/v1/nodes', node('n4'));
  // n3 is retried later; n4 (or n3) takes the freed block — exactly one of them.
  const got = await until(async () => {
    const items = (await client.list<{ items: KObject[] }>('/api/v1/nodes')).items;
    return items.some((n) => (n.spec as any)?.podCIDR === '10.244.0.0/24') && items;
  });
  expect(got.filter((n) => (n.spec as any)?.podCIDR === '10.244.0.0/24')).toHaveLength(1);
}, 30_000);

test('restart: existing podCIDRs are kept and never handed out again', async () => {
  await client.create('/api/v1/nodes', node('old-0', { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] }));
  await client.create('/api/v1/nodes', node('old-1', { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }));
  await client.create('/api/v1/nodes', node('fresh'));
  await startWith({});
  expect(await podCIDR('fresh')).toBe('10.244.2.0/24');
  expect(((await client.get<KObject>('/api/v1/nodes/old-0')).spec as any).podCIDR).toBe('10.244.0.0/24');
}, 30_000);
