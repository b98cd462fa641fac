/**
 * Namespace controller against a real in-process API server: deleting a namespace
 * deletes its configmaps, secrets, pods and workloads, then the namespace itself;
 * a pod waiting for its kubelet keeps the namespace Terminating with the
 * NamespaceContentRemaining condition until it is gone.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { ApiError } from '../../shared/api/errors';
import { InformerFactory } from '../../shared/controller/factory';
import { EventRecorder } from '../../shared/controller/events';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller-manager/controller';
import { NamespaceController } from '../../controller-manager/namespace';
import type { KObject } from '../../shared/api/types';

const logger = createLogger('test', { level: 'silent', pretty: false });
let api: RunningApiServer;
let client: KubeClient;
let informers: InformerFactory;
let ctrl: NamespaceController;

beforeAll(async () => {
  api = await startApiServer({ logger });
  client = new KubeClient({ server: api.url });
  informers = new InformerFactory(client, logger, { initialBackoffMs: 50 });
  ctrl = new NamespaceController();
  await ctrl.start({ client, informers, logger, recorder: (c) => new EventRecorder(client, { component: c }, logger), clock: { now: () => new Date() }, options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 } });
});
afterAll(async () => {
  await ctrl?.stop();
  await informers?.stop();
  await client?.close();
  await api?.close();
});

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
const pod = (name: string, nodeName?: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) } });

async function fill(ns: string): Promise<void> {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const base = `/api/v1/namespaces/${ns}`;
  await client.create(`${base}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
  await client.create(`${base}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' } });
  await client.create(`${base}/pods`, pod('web-1'));
  await client.create(`${base}/pods`, pod('web-2'));
  await client.create(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

test('delete namespace dev: its content goes, then the namespace', async () => {
  await fill('dev');
  await client.delete('/api/v1/namespaces/dev');
  await until(async () => (await get('/api/v1/namespaces/dev')) === undefined);
  for (const p of ['/api/v1/namespaces/dev/configmaps', '/api/v1/namespaces/dev/secrets', '/api/v1/namespaces/dev/pods', '/apis/apps/v1/namespaces/dev/deployments']) {
    expect((await client.list<{ items: KObject[] }>(p)).items).toEqual([]);
  }
  // Other namespaces are untouched.
  expect(await get('/api/v1/namespaces/default')).toBeDefined();
}, 30_000);

test('a pod waiting for its kubelet keeps the namespace Terminating with conditions until it is gone', async () => {
  await fill('slow');
  await client.create('/api/v1/namespaces/slow/pods', pod('bound', 'node-1'));
  await client.delete('/api/v1/namespaces/slow');
  const ns = await until(async () => {
    const n = await get('/api/v1/namespaces/slow');
    const c = ((n?.status as any)?.conditions ?? []).find((x: any) => x.type === 'NamespaceContentRemaining');
    return c?.status === 'True' && n;
  });
  const status = ns.status as any;
  expect(status.phase).toBe('Terminating');
  const byType = Object.fromEntries(status.conditions.map((c: any) => [c.type, c]));
  expect(byType.NamespaceContentRemaining).toMatchObject({ reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' });
  expect(byType.NamespaceDeletionContentFailure).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
  expect(byType.NamespaceDeletionDiscoveryFailure).toMatchObject({ status: 'False', reason: 'ResourcesDiscovered' });
  expect(byType.NamespaceFinalizersRemaining).toMatchObject({ status: 'False', reason: 'ContentHasNoFinalizers' });
  expect((ns.spec as any).finalizers).toEqual(['kubernetes']);
  expect((await client.list<{ items: KObject[] }>('/api/v1/namespaces/slow/configmaps')).items).toEqual([]);
  const p = await get('/api/v1/namespaces/slow/pods/bound');
  expect(p?.metadata.deletionTimestamp).toBeDefined();
  // The kubelet confirms the pod is gone; the controller's requeue then finalizes.
  await client.delete('/api/v1/namespaces/slow/pods/bound', { gracePeriodSeconds: 0 });
  await until(async () => (await get('/api/v1/namespaces/slow')) === undefined, 20_000);
}, 40_000);
