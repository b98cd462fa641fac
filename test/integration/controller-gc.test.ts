/**
 * Garbage collector against a real in-process API server: Background (dangling
 * dependents collected), Foreground (dependents first, blockOwnerDeletion holds the
 * owner), Orphan (refs stripped, dependents kept), owners that never existed or were
 * replaced by a same-named object, and multiple owners.
 */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { ApiError } from '../../shared/api/errors';
import { InformerFactory } from '../../shared/controller/factory';
import { EventRecorder } from '../../shared/controller/events';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller-manager/controller';
import { GarbageCollector } from '../../controller-manager/garbagecollector';
import type { KObject, OwnerReference } from '../../shared/api/types';

const logger = createLogger('test', { level: 'silent', pretty: false });
let api: RunningApiServer;
let client: KubeClient;
let informers: InformerFactory;
let gc: GarbageCollector;

beforeAll(async () => {
  api = await startApiServer({ logger });
  client = new KubeClient({ server: api.url });
  informers = new InformerFactory(client, logger, { initialBackoffMs: 50 });
  gc = new GarbageCollector();
  await gc.start({ client, informers, logger, recorder: (c) => new EventRecorder(client, { component: c }, logger), clock: { now: () => new Date() }, options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 } });
});
afterAll(async () => {
  await gc?.stop();
  await informers?.stop();
  await client?.close();
  await api?.close();
});

const NS = '/api/v1/namespaces/default';
const RS = '/apis/apps/v1/namespaces/default/replicasets';

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
const gone = (path: string) => until(async () => (await get(path)) === undefined);

function ownerRef(o: KObject, block = true, controller = true): OwnerReference {
  return { apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller, blockOwnerDeletion: block };
}
const rs = (name: string): KObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
  spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const pod = (name: string, owners: OwnerReference[], nodeName?: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: owners },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
});
const cm = (name: string, owners: OwnerReference[] = []): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners } });

test('Background: deleting the owner collects its dependents (pods, configmaps, secrets)', async () => {
  const owner = await client.create<KObject>(RS, rs('bg'));
  await client.create(`${NS}/pods`, pod('bg-1', [ownerRef(owner)]));
  await client.create(`${NS}/configmaps`, cm('bg-cm', [ownerRef(owner, false)]));
  await client.create(`${NS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bg-s', ownerReferences: [ownerRef(owner, false)] } });
  await new Promise((r) => setTimeout(r, 300));
  expect(await get(`${NS}/pods/bg-1`)).toBeDefined(); // a live owner keeps them
  await client.delete(`${RS}/bg`, { propagationPolicy: 'Background' });
  await gone(`${NS}/pods/bg-1`);
  await gone(`${NS}/configmaps/bg-cm`);
  await gone(`${NS}/secrets/bg-s`);
}, 30_000);

test('Background chain: owner → configmap → configmap', async () => {
  const a = await client.create<KObject>(`${NS}/configmaps`, cm('chain-a'));
  const b = await client.create<KObject>(`${NS}/configmaps`, cm('chain-b', [ownerRef(a)]));
  await client.create(`${NS}/configmaps`, cm('chain-c', [ownerRef(b)]));
  await client.delete(`${NS}/configmaps/chain-a`);
  await gone(`${NS}/configmaps/chain-b`);
  await gone(`${NS}/configmaps/chain-c`);
}, 30_000);

test('Foreground: the owner stays (foregroundDeletion) until blocking dependents are gone, then goes', async () => {
  const owner = await client.create<KObject>(RS, rs('fg'));
  // A pod on a node waits for its kubelet after a graceful delete: it holds the owner.
  await client.create(`${NS}/pods`, pod('fg-1', [ownerRef(owner)], 'node-x'));
  await client.create(`${NS}/pods`, pod('fg-2', [ownerRef(owner)]));
  await client.create(`${NS}/configmaps`, cm('fg-cm', [ownerRef(owner, false)]));
  await client.delete(`${RS}/fg`, { propagationPolicy: 'Foreground' });
  await gone(`${NS}/pods/fg-2`);
  await gone(`${NS}/configmaps/fg-cm`);
  const terminating = await until(async () => (await get(`${NS}/pods/fg-1`))?.metadata.deletionTimestamp && true);
  expect(terminating).toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  const held = await get(`${RS}/fg`);
  expect(held?.metadata.finalizers).toContain('foregroundDeletion');
  expect(held?.metadata.deletionTimestamp).toBeDefined();
  // The "kubelet" confirms: the blocking dependent goes, then the owner.
  await client.delete(`${NS}/pods/fg-1`, { gracePeriodSeconds: 0 });
  await gone(`${RS}/fg`);
}, 30_000);

test('Foreground: a dependent without blockOwnerDeletion does not hold the owner, and is still deleted', async () => {
  const owner = await client.create<KObject>(`${NS}/configmaps`, cm('fg-nb'));
  await client.create(`${NS}/pods`, pod('fg-nb-1', [ownerRef(owner, false)], 'node-x'));
  await client.delete(`${NS}/configmaps/fg-nb`, { propagationPolicy: 'Foreground' });
  await gone(`${NS}/configmaps/fg-nb`);
  await until(async () => (await get(`${NS}/pods/fg-nb-1`))?.metadata.deletionTimestamp && true);
  await client.delete(`${NS}/pods/fg-nb-1`, { gracePeriodSeconds: 0 });
}, 30_000);

test('Orphan: dependents stay without the ownerReference; the owner goes', async () => {
  const owner = await client.create<KObject>(RS, rs('or'));
  const other = await client.create<KObject>(`${NS}/configmaps`, cm('or-other'));
  await client.create(`${NS}/pods`, pod('or-1', [ownerRef(owner)]));
  await client.create(`${NS}/configmaps`, cm('or-cm', [ownerRef(owner, false), ownerRef(other, false, false)]));
  await client.delete(`${RS}/or`, { propagationPolicy: 'Orphan' });
  await gone(`${RS}/or`);
  const p = await get(`${NS}/pods/or-1`);
  expect(p).toBeDefined();
  expect(p!.metadata.ownerReferences ?? []).toEqual([]);
  const c = await get(`${NS}/configmaps/or-cm`);
  expect(c!.metadata.ownerReferences?.map((r) => r.name)).toEqual(['or-other']);
  await new Promise((r) => setTimeout(r, 300));
  expect(await get(`${NS}/pods/or-1`)).toBeDefined(); // and is not collected afterwards
}, 30_000);

test('dangling: an owner that never existed, or a same-named owner with another uid, counts as gone', async () => {
  const fake: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'never', uid: '00000000-0000-0000-0000-000000000000', controller: true };
  await client.create(`${NS}/pods`, pod('dangling-1', [fake]));
  await gone(`${NS}/pods/dangling-1`);

  const first = await client.create<KObject>(`${NS}/configmaps`, cm('reborn'));
  const ref = ownerRef(first);
  await client.delete(`${NS}/configmaps/reborn`);
  await client.create(`${NS}/configmaps`, cm('reborn')); // same name, new uid
  await client.create(`${NS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'reborn-dep', ownerReferences: [ref] } });
  await gone(`${NS}/secrets/reborn-dep`);
  expect(await get(`${NS}/configmaps/reborn`)).toBeDefined();
}, 30_000);

test('a dependent with one live owner keeps it and loses the dangling ref', async () => {
  const live = await client.create<KObject>(`${NS}/configmaps`, cm('multi-live'));
  const dead = await client.create<KObject>(`${NS}/configmaps`, cm('multi-dead'));
  await client.create(`${NS}/configmaps`, cm('multi-dep', [ownerRef(live, false), ownerRef(dead, false, false)]));
  await client.delete(`${NS}/configmaps/multi-dead`);
  const dep = await until(async () => {
    const d = await get(`${NS}/configmaps/multi-dep`);
    return d && d.metadata.ownerReferences?.length === 1 && d;
  });
  expect(dep.metadata.ownerReferences![0].name).toBe('multi-live');
}, 30_000);

test('Foreground chain: Deployment → ReplicaSet (deleted in foreground too) → pod; each waits for the level below', async () => {
  const DEP = '/apis/apps/v1/namespaces/default/deployments';
  const d = await client.create<KObject>(DEP, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'chain' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'chain' } }, template: { metadata: { labels: { app: 'chain' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const r = await client.create<KObject>(RS, { ...rs('chain-abc'), metadata: { name: 'chain-abc', ownerReferences: [ownerRef(d)] } });
  await client.create(`${NS}/pods`, pod('chain-abc-1', [ownerRef(r)], 'node-x'));
  await client.delete(`${DEP}/chain`, { propagationPolicy: 'Foreground' });
  const rsDeleting = await until(async () => {
    const x = await get(`${RS}/chain-abc`);
    return x?.metadata.finalizers?.includes('foregroundDeletion') && x;
  });
  expect(rsDeleting.metadata.deletionTimestamp).toBeDefined();
  await until(async () => (await get(`${NS}/pods/chain-abc-1`))?.metadata.deletionTimestamp && true);
  await new Promise((res) => setTimeout(res, 300));
  expect(await get(`${DEP}/chain`)).toBeDefined();
  expect(await get(`${RS}/chain-abc`)).toBeDefined();
  await client.delete(`${NS}/pods/chain-abc-1`, { gracePeriodSeconds: 0 });
  await gone(`${RS}/chain-abc`);
  await gone(`${DEP}/chain`);
}, 30_000);

test('restart: dependents of an owner deleted while the collector was down are collected on start', async () => {
  const owner = await client.create<KObject>(`${NS}/configmaps`, cm('while-down'));
  await gc.stop();
  await client.create(`${NS}/configmaps`, cm('while-down-dep', [ownerRef(owner, false)]));
  await client.delete(`${NS}/configmaps/while-down`);
  const informers2 = new InformerFactory(client, logger, { initialBackoffMs: 50 });
  const gc2 = new GarbageCollector();
  await gc2.start({ client, informers: informers2, logger, recorder: (c) => new EventRecorder(client, { component: c }, logger), clock: { now: () => new Date() }, options: { ...DEFAULT_CONTROLLER_OPTIONS, workers: 2 } });
  try {
    await gone(`${NS}/configmaps/while-down-dep`);
  } finally {
    await gc2.stop();
    await informers2.stop();
  }
}, 30_000);
