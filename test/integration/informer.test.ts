/** The informer against a real API server: sync, add/update/delete, relist after 410. */
import { startApiServer, type RunningApiServer } from '../../apiserver/app';
import { createLogger } from '../../shared/logger';
import { KubeClient } from '../../shared/client';
import { Informer } from '../../shared/controller/informer';
import type { KObject } from '../../shared/api/types';

let api: RunningApiServer;
let client: KubeClient;

beforeAll(async () => {
  api = await startApiServer({ logger: createLogger('apiserver', { level: 'silent', pretty: false }) });
  client = new KubeClient({ server: api.url });
});
afterAll(async () => {
  await client?.close();
  await api?.close();
});

const until = async (fn: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const cm = (name: string, v: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });
const PATH = '/api/v1/namespaces/default/configmaps';

test('syncs, follows changes, and relists after the store compacts past it', async () => {
  await client.create(PATH, cm('before', '1'));
  const log: string[] = [];
  const inf = new Informer(client, PATH, { initialBackoffMs: 10 }).on({
    add: (o) => log.push(`add ${o.metadata.name}`),
    update: (_old, o) => log.push(`update ${o.metadata.name}`),
    delete: (o) => log.push(`delete ${o.metadata.name}`),
  });
  inf.start();
  await inf.waitForSync();
  expect(inf.hasSynced()).toBe(true);
  expect(log).toEqual(['add before']);

  await client.create(PATH, cm('a', '1'));
  await client.patch(`${PATH}/a`, { data: { v: '2' } }, 'merge');
  await client.delete(`${PATH}/before`);
  await until(() => log.length === 4);
  expect(log).toEqual(['add before', 'add a', 'update a', 'delete before']);
  expect(inf.get('default/a')?.data).toEqual({ v: '2' });

  await inf.stop();
}, 20_000);

test('a watch from a compacted revision makes the informer relist', async () => {
  const inf = new Informer(client, PATH, { initialBackoffMs: 10, minWatchTimeoutSeconds: 1 });
  const lists = jest.spyOn(client, 'get');
  inf.start();
  await inf.waitForSync();
  expect(lists).toHaveBeenCalledTimes(1);
  // Writes elsewhere move the store on; compaction then drops the informer's revision.
  // Its watch is renewed every 1–2 s: the renewal gets 410 and the informer relists.
  for (let i = 0; i < 3; i++) await client.create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` } });
  await api.storage.compact(api.storage.currentRevision());
  await until(() => lists.mock.calls.length >= 2, 10_000);
  expect(inf.hasSynced()).toBe(true);
  lists.mockRestore();
  await inf.stop();
}, 20_000);
